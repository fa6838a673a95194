"""Comparar / Compare: two to five units side by side: dimension scores, score, rank band,
P(top N) and reliability, as a table and a grouped bar chart."""
import streamlit as st

from dashboard import charts, data, profile_compare, state
from dashboard.i18n import t, t_error
from geodata.errors import DataError

state.ensure_entrypoint()
state.bind_to_country("compare_units", "_compare_level")
ctx = state.context()
lang = ctx.lang
st.title(t("compare.title", lang))
st.caption(t("compare.intro", lang))

spec = state.scenario_spec(ctx)
try:
    result = data.model_result(ctx.country, ctx.version, spec.key(), ctx.year, ctx.level, None)
except DataError as err:
    st.error(t_error(err, lang))
    st.stop()
table = result.table.set_index("code")
ranked = list(result.table.sort_values(["rank", "code"])["code"])
options = sorted(table.index, key=lambda c: (str(table.at[c, "name"]), c))
key = "compare_units"
if st.session_state.get("_compare_level") != ctx.level or key not in st.session_state:
    st.session_state[key] = ranked[:3]
    st.session_state["_compare_level"] = ctx.level
st.session_state[key] = [c for c in st.session_state[key] if c in table.index][:5]
chosen = st.multiselect(t("compare.units", lang), options, key=key, max_selections=5,
                        placeholder=t("app.choose", lang),
                        format_func=lambda c: table.at[c, "name"] if ctx.level == "department"
                        else f"{table.at[c, 'name']} ({table.at[c, 'department']})",
                        help=t("compare.units_help", lang))
st.caption(t("compare.level_year", lang, level=data.level_name(ctx.country, ctx.level, lang), year=ctx.year,
             top=result.spec.top_n))

if len(chosen) < 2:
    st.info(t("compare.pick_two", lang))
    st.stop()

dims = [d for d in result.spec.dimensions if d in result.table]
st.dataframe(profile_compare.compare_table(result.table, chosen, dims, lang, result.spec.top_n), hide_index=True,
             width="stretch", key="compare_table")
st.plotly_chart(charts.compare_figure(result.table, chosen, dims, lang=lang,
                                      title=t("compare.chart_title", lang, year=ctx.year)),
                width="stretch", key="compare_chart")
st.caption(t("compare.caption", lang, top=result.spec.top_n))
