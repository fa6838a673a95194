"""Prioridades / Priorities: weights, aggregation and N; the ranked table with rank bands and
P(top N); constraints; a shortlist with notes, saved in the store and exported."""
import streamlit as st

from dashboard import audit, data, priorities, signin, state
from dashboard.exports.buttons import download_buttons
from dashboard.i18n import t, t_error
from dashboard.text import literal
from geodata.errors import DataError
from geodata.names import AGGREGATIONS

state.ensure_entrypoint()
state.bind_to_country("pri_opened")
ctx = state.context()
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
view = priorities.ranked_view(selection, lang)
labels = {c: t(f"priorities.col_{c}", lang) for c in
          ("rank", "name", "department", "score", "class", "band", "p_top", "reliability", "selected",
           "code", "note")}

st.subheader(t("priorities.ranked", lang))
st.caption(t("priorities.ranked_caption", lang, n=int(view["selected"].sum())))
st.dataframe(view, hide_index=True, width="stretch", height=420, column_config={
    "rank": st.column_config.NumberColumn(labels["rank"], format="%d"),
    "name": labels["name"], "department": labels["department"],
    "score": st.column_config.TextColumn(labels["score"]),
    "class": labels["class"], "band": labels["band"],
    "p_top": st.column_config.ProgressColumn(labels["p_top"], min_value=0, max_value=100, format="%d %%"),
    "reliability": st.column_config.TextColumn(labels["reliability"]),
    "selected": st.column_config.CheckboxColumn(labels["selected"]), "code": labels["code"]})
st.caption(t("priorities.draws_note", lang, draws=spec.draws))
with st.expander(t("export.download", lang)):
    download_buttons("table", ctx=ctx, level=ctx.level, spec_key=spec.key(), key="pri_table")
    download_buttons("briefing", ctx=ctx, level=ctx.level, spec_key=spec.key(), key="pri_briefing")

st.subheader(t("priorities.shortlist", lang))
store = data.store(ctx.country)
opened = st.session_state.get("pri_opened")
if opened:
    meta, items = opened
    st.info(t("priorities.opened", lang, name=literal(meta["name"]), date=meta["saved_at"][:16].replace("T", " "),
              n=len(items), scenario=literal(meta["scenario"])))
    if st.button(t("priorities.close", lang), key="pri_close"):
        del st.session_state["pri_opened"]
        st.rerun()
    shortlist = items.reindex(columns=list(priorities.SHORTLIST_COLUMNS))
    editor_key = f"pri_editor_saved_{meta['id']}"
else:
    shortlist = priorities.shortlist_frame(view)
    editor_key = "pri_editor_" + str(abs(hash((spec.key(), ctx.level, ctx.year, tuple(exclude),
                                                int(per_dept)))))
edited = st.data_editor(
    shortlist, key=editor_key, hide_index=True, width="stretch", num_rows="dynamic",
    disabled=[c for c in shortlist.columns if c != "note"],
    column_config={c: st.column_config.Column(labels.get(c, c)) for c in shortlist.columns} |
    {"note": st.column_config.TextColumn(labels["note"], width="large", max_chars=500),
     "p_top": st.column_config.ProgressColumn(labels["p_top"], min_value=0, max_value=100, format="%d %%")})
st.caption(t("priorities.shortlist_help", lang))

cols = ["rank", "code", "name", "department", "score", "class", "p_top", "reliability", "note"]
footer = f"{spec.key()} · {ctx.year} · {ctx.level} · {ctx.version}"
exported = priorities.export_frame(edited.reindex(columns=cols), selection)
d1, d2, d3, d4 = st.columns([3, 2, 2, 2], vertical_alignment="bottom")
name = d1.text_input(t("priorities.save_name", lang), key="pri_name", max_chars=80)
if d2.button(t("priorities.save", lang)):
    if not name.strip():
        st.warning(t("priorities.save_needs_name", lang))
    else:
        try:  # plain text of bounded length, and a few saves per session and address
            signin.allow_write(signin.visitor())
            store.save_shortlist(ctx.country, name, edited.reindex(columns=cols), scenario=spec.key(),
                                 level=ctx.level, year=ctx.year)
            saved = store.list_shortlists(ctx.country).iloc[0]
            st.success(t("priorities.saved", lang, name=literal(saved["name"]),
                         date=saved["saved_at"][:16].replace("T", " ")))
        except DataError as err:
            st.error(t_error(err, lang))
d3.download_button(t("priorities.download_csv", lang), key="pri_csv", mime="text/csv",
                   file_name="shortlist.csv",
                   data=priorities.export_bytes(exported, "csv",
                                                columns={c: labels[c] for c in cols}, footer=footer,
                                                lang=lang))
d4.download_button(t("priorities.download_xlsx", lang), key="pri_xlsx", file_name="shortlist.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                   data=priorities.export_bytes(exported, "xlsx",
                                                columns={c: labels[c] for c in cols}, footer=footer,
                                                lang=lang))

with st.expander(t("priorities.saved_lists", lang)):
    saved_lists = store.list_shortlists(ctx.country)
    if saved_lists.empty:
        st.caption(t("priorities.none_saved", lang))
    else:
        pick = st.selectbox(t("priorities.saved_lists", lang), saved_lists["id"].tolist(), key="pri_pick",
                            format_func=lambda i: t("priorities.saved_label", lang, **{
                                "name": saved_lists.set_index("id").at[i, "name"],
                                "date": saved_lists.set_index("id").at[i, "saved_at"][:16].replace("T", " "),
                                "n": int(saved_lists.set_index("id").at[i, "n"])}))
        if st.button(t("priorities.open", lang), key="pri_open"):
            st.session_state["pri_opened"] = store.load_shortlist(pick)
            st.rerun()
st.caption(t("priorities.link", lang))
