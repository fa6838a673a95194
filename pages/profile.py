"""Perfil / Profile: one unit's score, rank band, every indicator (raw and smoothed, with its
interval and years), trend sparklines and its neighbours."""
import streamlit as st

from dashboard import charts, data, profile_compare, state, text, trend_series, why
from dashboard.confidence import confidence_label
from dashboard.exports.buttons import download_buttons
from dashboard.i18n import t, t_error
from dashboard.text import format_number
from geodata.errors import DataError

state.ensure_entrypoint()
state.bind_to_country("_profile_sidebar_level")
ctx = state.context()
lang = ctx.lang
st.title(t("profile.title", lang))

md = data.model_data(ctx.country, ctx.version)
codes = {lvl: list(md.units[lvl]["code"]) for lvl in md.units}
# A map click sets profile_unit and profile_level; a link carries ?unit=CODE. A level chosen in
# the sidebar since the last visit wins over the level of an earlier click.
requested = st.session_state.get("profile_unit") or st.query_params.get("unit")
requested_level = st.session_state.get("profile_level") \
    if st.session_state.get("_profile_sidebar_level") in (None, ctx.level) else None
level, code = profile_compare.resolve_profile(requested, requested_level, ctx.level, codes)
st.session_state["_profile_sidebar_level"] = ctx.level
st.session_state["profile_level"] = level
if requested and code is None:
    st.info(t("profile.unknown_unit", lang, level=data.level_name(ctx.country, level, lang)))

spec = state.scenario_spec(ctx)
try:
    result = data.model_result(ctx.country, ctx.version, spec.key(), ctx.year, level, None)
except DataError as err:
    st.error(t_error(err, lang))
    st.stop()
table = result.table.set_index("code")
if code is None:
    code = table["score"].idxmax() if table["score"].notna().any() else codes[level][0]
st.session_state["profile_unit"] = code
options = sorted(codes[level], key=lambda c: (str(table.at[c, "name"]), c))
st.selectbox(t("profile.unit", lang), options, key="profile_unit",
             format_func=lambda c: table.at[c, "name"] if level == "department"
             else f"{table.at[c, 'name']} ({table.at[c, 'department']})",
             help=t("profile.unit_help", lang))
code = st.session_state["profile_unit"]
state.write_url(unit=code)
row = table.loc[code]

st.subheader(f"{row['name']}" + ("" if level == "department" else f" · {row['department']}"))
st.caption(t("profile.level_year", lang, level=data.level_name(ctx.country, level, lang), year=ctx.year))
band = {"low": format_number(row["rank_p05"], lang, 0), "high": format_number(row["rank_p95"], lang, 0)}
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("profile.score", lang), format_number(row["score"], lang, 2),
          help=t("profile.score_help", lang))
m2.metric(t("profile.rank", lang), t("profile.rank_of", lang, rank=format_number(row["rank"], lang, 0),
                                     n=len(table)),
          help=t("profile.rank_help", lang, **band))
m3.metric(t("profile.p_top", lang, n=result.spec.top_n),
          text.percent(row["p_top"], lang),
          help=t("profile.p_top_help", lang, n=result.spec.top_n))
m4.metric(t("profile.reliability", lang), f"{format_number(row['reliability'], lang, 1)} / 10",
          help=t("profile.reliability_help", lang))
if row["class_code"]:
    st.markdown(t("profile.summary", lang, cls=t(f"profile.class_{row['class_code']}", lang), n=len(table),
                  **band))
    if words := confidence_label(row["p_top"], result.spec.top_n, lang):
        st.markdown(f"**{t('confidence.col_label', lang)}:** {words}")  # project text, no user input
    from risk_model.contributions import contribution_table

    parts = contribution_table(result).set_index("code").loc[code]
    full = {**row.to_dict(), **parts.to_dict()}
    dims = [c[len("contrib_"):] for c in parts.index]
    st.subheader(t("why.title", lang))
    st.plotly_chart(charts.why_figure(full, dims, lang), key="profile_why", config={"displayModeBar": False})
    st.dataframe(why.why_table(full, result.spec, lang), hide_index=True, width="stretch", key="profile_why_table")
    st.caption(t("why.caption", lang, aggregation=t(f"priorities.agg_{result.spec.aggregation}", lang)))
    if result.spec.aggregation == "geometric":
        st.caption(t("why.caption_geometric", lang))
else:
    st.info(t("profile.no_score", lang))

st.subheader(t("profile.indicators", lang))
series = {i: data.trend_series(ctx.country, ctx.version, i, trend_series.effective_level(md, i, level))
          for i in trend_series.trend_indicators(md)}
indicators = profile_compare.profile_indicators(md, code, level=level, year=ctx.year, window=spec.window,
                                       lang=lang, series=series)
if indicators.empty:
    st.info(t("profile.no_indicators", lang, year=ctx.year))
else:
    st.dataframe(profile_compare.profile_display(indicators, lang), hide_index=True, width="stretch",
                 key="profile_indicators", height=35 * (len(indicators) + 1) + 3,
                 column_config={t("profile.col_indicator", lang): st.column_config.TextColumn(width="large"),
                                t("profile.col_trend", lang): st.column_config.LineChartColumn(
                                    t("profile.col_trend", lang), help=t("profile.trend_help", lang))})
    st.caption(t("profile.indicators_caption", lang, window=spec.window, year=ctx.year))
    st.download_button(t("export.table_csv", lang), text.csv_bytes(profile_compare.profile_display(indicators, lang)
                                                                   .drop(columns=t("profile.col_trend", lang)), lang),
                       file_name=f"riskmap_{ctx.country}_{ctx.year}_{level}_{code}.csv", mime="text/csv",
                       key="profile_csv")

st.subheader(t("profile.neighbours", lang))
neighbours = profile_compare.neighbours_table(md, result.table, code, level=level)
if neighbours.empty:
    st.info(t("profile.no_neighbours", lang))
else:
    st.dataframe(profile_compare.neighbours_display(neighbours, lang, result.spec.top_n), hide_index=True, width="stretch",
                 key="profile_neighbours")
    st.caption(t("profile.neighbours_caption", lang))
with st.expander(t("export.download", lang)):
    download_buttons("briefing", ctx=ctx, level=level, result=result, key="profile_briefing")
