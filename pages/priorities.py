"""Prioridades / Priorities: weights, aggregation and N; the ranked table with rank bands, P(top N),
confidence in words and why (dimension contributions); constraints; the shortlist editor (pins,
notes, order), saved lists with links, exports, and the programme view."""
import streamlit as st

from dashboard import audit, data, priorities, ranked_tables, shortlist_page, state, why
from dashboard.confidence import summary_sentence
from dashboard.exports.buttons import download_buttons
from dashboard.i18n import t
from geodata.errors import DataError
from geodata.names import AGGREGATIONS
from risk_model.contributions import contribution_table

state.ensure_entrypoint()
state.bind_to_country(*shortlist_page.SESSION_KEYS)
ctx = state.context()
shortlist_page.read_link(ctx, ctx.lang)  # ?shortlist=ID: may rerun at the list's level and scenario
lang = ctx.lang
st.title(t("priorities.title", lang))
st.caption(t("priorities.intro", lang))

country_name = data.country_name(ctx.country, lang)
scorable = {ind.dimension for ind in data.base_spec(ctx.country).indicators}
with st.form("priorities_form"):
    st.markdown(t("priorities.weights", lang))
    for col, (dim, key) in zip(st.columns(len(state.WEIGHT_KEYS)), state.WEIGHT_KEYS.items()):
        if dim not in scorable:  # no indicator: a weight would change nothing, so none is offered
            st.session_state[key] = 0.0
        col.slider(t(f"priorities.dim_{dim}", lang), 0.0, state.WEIGHT_MAX, step=1.0, format="%.0f",
                   key=key, disabled=dim not in scorable,
                   help=None if dim in scorable else t("priorities.no_indicator", lang, country=country_name))
    left, right = st.columns(2)
    left.radio(t("priorities.aggregation", lang), AGGREGATIONS, key=state.AGGREGATION,
               horizontal=True, format_func=lambda a: t(f"priorities.agg_{a}", lang))
    right.number_input(t("priorities.top_n", lang), min_value=1, max_value=999, step=1,
                       key=state.TOP_N)
    st.form_submit_button(t("priorities.submit", lang), type="primary")

md = data.model_data(ctx.country, ctx.version)
finest = md.units[md.finest]  # programme units: El Salvador's districts; municipios elsewhere
default_programme, _ = data.programme_default(ctx.country)
st.session_state.setdefault(state.PROGRAMME, default_programme)
names = data.finest_unit_names(ctx.country, ctx.version)
with st.expander(t("priorities.constraints", lang), expanded=True):
    c1, c2 = st.columns([2, 3])
    exclude_on = c1.toggle(t("priorities.exclude_covered", lang), key="pri_exclude")
    per_dept = c1.number_input(t("priorities.per_department", lang), min_value=0, max_value=50,
                               value=0, step=1, key="pri_per_department")
    covered = c2.multiselect(t("priorities.covered", lang), list(names), key=state.PROGRAMME,
                             placeholder=t("app.choose", lang),
                             format_func=names.get, help=t("map.programme_help" if default_programme
                                                           else "map.programme_help_none", lang))

spec = state.scenario_spec(ctx)
try:
    result = data.model_result(ctx.country, ctx.version, spec.key(), ctx.year, ctx.level)
except DataError as err:
    st.warning(priorities.model_error_text(err, spec, md, ctx.year, lang))
    st.stop()

weight_gaps = audit.weight_warnings(data.audit_structure(ctx.country, ctx.version, spec.key(), ctx.year, ctx.level),
                                    lang)
if weight_gaps:
    st.warning("\n\n".join([f"**{t('audit.warning_title', lang)}**"] + weight_gaps), icon="⚖️")

exclude = priorities.codes_at_level(covered, finest, ctx.level) if exclude_on else []
selection = priorities.select_top(result.table, spec.top_n, exclude=exclude,
                                  per_department=int(per_dept))
if selection.empty:
    st.info(t("priorities.empty", lang))
    st.stop()
if spec.top_n > int(selection["selected"].sum()):
    st.info(t("priorities.n_too_large", lang, n=spec.top_n, units=int(selection["selected"].sum())))
n = result.spec.top_n
parts = contribution_table(result)
view = priorities.ranked_view(selection, lang, n=n, parts=parts)
st.subheader(t("priorities.ranked", lang))
if sentence := summary_sentence(result.table["rank"], result.table["p_top"], n, lang):
    st.markdown(f"**{sentence}**")  # project text with numbers only, no user input
st.caption(t("priorities.ranked_caption", lang, n=int(view["selected"].sum())))
table_col, guide_col = st.columns([4, 1])
with table_col:
    ranked_tables.show(view, "pri_ranked", lang, n, ("rank", "name", "department", "score", "why", "label", "p_top",
                                                     "band", "class", "reliability", "selected", "code"), height=420)
with guide_col:
    st.markdown(f"**{t('confidence.guide_title', lang)}**")
    st.caption(t("confidence.guide", lang).replace("\n", "  \n"))
    st.caption(why.legend_text([c[len("contrib_"):] for c in why.contribution_columns(parts)], lang))
st.caption(t("priorities.draws_note", lang, draws=spec.draws))
with st.expander(t("export.download", lang)):
    download_buttons("table", ctx=ctx, level=ctx.level, result=result, key="pri_table")  # the scores shown
    download_buttons("briefing", ctx=ctx, level=ctx.level, result=result, key="pri_briefing")

st.subheader(t("shortlist.title", lang))
signature = f"{spec.key()}|{ctx.year}|{','.join(exclude)}|{int(per_dept)}"
top_codes = selection.loc[selection["selected"], "code"].astype(str).tolist()
items = shortlist_page.current_items(ctx.level, signature, top_codes,
                                     result.table.loc[result.table["score"].notna(), "code"].astype(str))
shortlist_page.editor(ctx, result.table, parts, items, n, lang)
shortlist_page.save_and_export(ctx, spec, result, parts, items, lang)
listed = shortlist_page.saved_lists(ctx, lang)
shortlist_page.programme_view(ctx, result.table, parts, items, listed, n, lang)
