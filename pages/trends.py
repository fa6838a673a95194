"""Tendencias / Trends: national and selected units over the years with 95% interval bands, a
unit x year heat map and change flags with a low-count guard."""
import streamlit as st

from dashboard import charts, data, state, trend_series
from dashboard.i18n import t
from dashboard.text import format_number

state.ensure_entrypoint()
state.bind_to_country("trends_units", "trends_units_level", "trends_indicator")
ctx = state.context()
lang = ctx.lang
st.title(t("trends.title", lang))
st.caption(t("trends.intro", lang))

md = data.model_data(ctx.country, ctx.version)
catalogue = md.catalogue
indicators = trend_series.trend_indicators(md)
if not indicators:
    st.info(t("trends.no_data", lang))
    st.stop()
if st.session_state.get("trends_indicator") not in indicators:
    st.session_state["trends_indicator"] = "acled_fatalities" if "acled_fatalities" in indicators \
        else indicators[0]
indicator = st.selectbox(t("trends.indicator", lang), indicators, key="trends_indicator",
                         format_func=lambda i: catalogue[i].label(lang))
ind = catalogue[indicator]
level = trend_series.effective_level(md, indicator, ctx.level)
if level != ctx.level:
    st.info(t("trends.coarser_level", lang, level=data.level_name(ctx.country, level, lang),
              wanted=data.level_name(ctx.country, ctx.level, lang)))
series = data.trend_series(ctx.country, ctx.version, indicator, level)
years = sorted(int(y) for y in series["year"].unique())
unit = ind.unit(lang)
source = data.attribution(ctx.country, ind.dataset)

if len(years) < 2:
    st.info(t("trends.single_year", lang, year=years[0]) if years else t("trends.no_data", lang))
else:
    names = series[series["code"] != trend_series.NATIONAL].drop_duplicates("code").set_index("code")
    codes = list(names.index)
    if st.session_state.get("trends_units_level") != (indicator, level) \
            or "trends_units" not in st.session_state:
        st.session_state["trends_units"] = trend_series.default_units(series)
        st.session_state["trends_units_level"] = (indicator, level)
    st.session_state["trends_units"] = [c for c in st.session_state["trends_units"] if c in codes]
    chosen = st.multiselect(t("trends.units", lang), codes, key="trends_units", max_selections=6,
                            placeholder=t("app.choose", lang),
                            format_func=lambda c: f"{names.at[c, 'name']} ({names.at[c, 'department']})"
                            if level != "department" else names.at[c, "name"],
                            help=t("trends.units_help", lang))
    title = t("trends.chart_title", lang, label=ind.label(lang), first=years[0], last=years[-1])
    st.plotly_chart(charts.trend_figure(series, chosen, lang=lang, title=title, unit=unit),
                    width="stretch", key="trends_chart")
    band = "trends.band_counts" if ind.kind == "count" else (
        "trends.band_shares" if ind.denominator in ("respondents", "households") else "trends.band_none")
    st.caption(t(band, lang) + " " + (t("trends.source", lang, source=source) if source else ""))

    st.subheader(t("trends.heat_title", lang))
    matrix = trend_series.heatmap_matrix(series, keep=chosen)
    st.plotly_chart(charts.heatmap_figure(matrix, lang=lang, title=ind.label(lang), unit=unit),
                    width="stretch", key="trends_heat")
    st.caption(t("trends.heat_caption", lang, shown=len(matrix), total=len(codes)))

    st.subheader(t("trends.flags_title", lang))
    if ind.kind == "count" or ind.denominator in ("respondents", "households"):
        flags = data.trend_flags(ctx.country, ctx.version, indicator, level)
        counts = trend_series.flag_counts(flags)
        cols = st.columns(4)
        for col, (flag, n) in zip(cols, counts.items()):
            col.metric(t(f"trends.flag_{flag}", lang), n)
        st.dataframe(trend_series.flag_table(flags, lang), hide_index=True, width="stretch",
                     key="trends_flags")
        st.caption(t("trends.flags_caption", lang, last=min(5, len(years))))
    else:
        st.info(t("trends.flags_not_counts", lang))

st.subheader(t("trends.rolling_heading", lang))
rolling_level = ctx.level if ctx.level in md.units else md.finest
rolling = data.rolling(ctx.country, ctx.version, rolling_level)
if rolling is None:
    st.info(t("trends.rolling_none", lang, country=data.country_name(ctx.country, lang)))
else:
    end = rolling["end_month"].iloc[0]
    st.caption(t("trends.rolling_title", lang, level=data.level_name(ctx.country, rolling_level, lang), end=end))
    for col, (flag, n) in zip(st.columns(4), trend_series.flag_counts(rolling).items()):
        col.metric(t(f"trends.flag_{flag}", lang), n)
    st.dataframe(trend_series.rolling_display(rolling, lang), hide_index=True, width="stretch",
                 key="trends_rolling")
    st.caption(t("trends.rolling_caption", lang))
    shares = data.concentration(ctx.country)
    if shares is not None and len(shares):
        last = shares.iloc[-1]
        st.caption(t("trends.concentration", lang, year=int(last["year"]),
                     share=format_number(last["top_share"], lang), zero=format_number(last["zero_units"], lang, 0),
                     units=format_number(last["units"], lang, 0)))

context = trend_series.national_context(data.observations(ctx.country, ctx.version), ctx.country)
if len(context):
    first, last = int(context["year"].min()), int(context["year"].max())
    with st.expander(t("trends.context_title", lang, first=first, last=last),
                     expanded=ind.dimension == "violence" and len(years) > 1):
        homicide = catalogue.get("unodc_homicide_rate")
        st.plotly_chart(charts.context_figure(
            context, lang=lang, title=t("trends.context_chart", lang, first=first, last=last),
            unit=homicide.unit(lang) if homicide else ""), width="stretch", key="trends_context")
        st.caption(t("trends.context_caption", lang, first=first, last=last,
                     source=data.attribution(ctx.country, homicide.dataset) if homicide else ""))
