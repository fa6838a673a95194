"""Datos / Data: sources and licences, coverage, indicator diagnostics, the statistical audit and
validation of the model, unmatched rows, downloads, and (for editors) the import of official
figures with history and rollback."""
import streamlit as st

from dashboard import audit, data, data_report, dataset_editor, signal, signin, state, text
from dashboard.i18n import t, t_error
from dashboard.text import format_number
from geodata import roles
from geodata.errors import DataError
from geodata.importing import datasets_table
from geodata.names import DIMENSIONS

state.ensure_entrypoint()
ctx = state.context()
lang = ctx.lang
st.title(t("data.title", lang))
catalogue = data.catalogue(ctx.country, ctx.version)
store = data.store(ctx.country)
spec = state.scenario_spec(ctx)


def show_error(err: DataError) -> None:
    st.error(t_error(err, lang))
    if err.params.get("problems"):
        st.dataframe(dataset_editor.problems_table(err, lang), hide_index=True, width="stretch")


if done := st.session_state.pop("data_done", None):
    st.success(done)
tabs = st.tabs([t(f"data.tab_{k}", lang) for k in
                ("sources", "coverage", "diagnostics", "unmatched", "downloads", "import", "history")]
               + [t("audit.tab", lang), t("validate.tab", lang)])
with tabs[0]:
    for block in data_report.sources_markdown(data.pack(ctx.country), lang):
        st.container(border=True).markdown(block)
    st.caption(t("data.sources_caption", lang))

with tabs[1]:
    st.dataframe(data_report.coverage_matrix(data.observations(ctx.country, ctx.version), catalogue, lang,
                                        data.level_names(ctx.country, lang)),
                 width="stretch", key="data_coverage")
    st.caption(t("data.coverage_caption", lang))

with tabs[2]:
    ids = tuple(i.id for i in spec.active_indicators() if i.id in catalogue)
    diag, pairs = data.diagnostics(ctx.country, ctx.version, ids, ctx.year, spec.window)
    st.dataframe(data_report.diagnostics_display(diag, catalogue, lang, data.level_names(ctx.country, lang)), hide_index=True,
                 width="stretch", key="data_diagnostics")
    st.caption(t("data.diagnostics_caption", lang, year=ctx.year, window=spec.window))
    st.markdown(f"**{t('data.collinear_title', lang)}**")
    if pairs.empty:
        st.info(t("data.no_collinear", lang, year=ctx.year))
    else:
        st.dataframe(data_report.pairs_display(pairs, catalogue, lang), hide_index=True, width="stretch")
    st.markdown(f"**{t('data.signal_title', lang)}**")
    try:
        scored = signal.signal_table(data.model_result(ctx.country, ctx.version, spec.key(), ctx.year, ctx.level, 0))
        st.info(signal.left_out_sentence(scored, catalogue, lang))
        st.dataframe(signal.signal_display(scored, catalogue, lang), hide_index=True, width="stretch",
                     key="data_signal")
        st.caption(t("data.signal_caption", lang, year=ctx.year, threshold=format_number(spec.snr_min, lang, 2),
                     level=data.level_name(ctx.country, ctx.level, lang)))
    except DataError as err:
        st.info(t_error(err, lang))

with tabs[3]:
    unmatched = data_report.unmatched_report(data.unmatched(ctx.country, ctx.version), lang)
    if unmatched.empty:
        st.info(t("data.no_unmatched", lang))
    else:
        st.dataframe(data_report.headers(unmatched, "data.col_", lang), hide_index=True, width="stretch", key="data_unmatched")
    st.caption(t("data.unmatched_caption", lang, n=len(unmatched)))

with tabs[4]:
    st.download_button(t("data.download_observations", lang),
                       text.csv_bytes(data_report.headers(data.observations(ctx.country, ctx.version), "data.col_",
                                                          lang), lang),
                       file_name=f"observations_{ctx.country}_{ctx.version}.csv", mime="text/csv")
    st.download_button(t("data.download_unmatched", lang), text.csv_bytes(unmatched, lang),
                       file_name=f"unmatched_{ctx.country}_{ctx.version}.csv", mime="text/csv")
    st.caption(t("data.downloads_caption", lang))

editing = roles.editing_enabled(st.secrets, store=store)
who = signin.visitor()
with tabs[5]:
    if not editing:
        st.info(t("data.read_only", lang))
    else:
        token = st.text_input(t("roles.token", lang), type="password", key="data_token",
                              help=t("roles.token_help", lang))
        upload = st.file_uploader(t("import.file", lang), type=["csv", "xlsx"], key="data_upload",
                                  help=t("import.file_help", lang))
        defs = store.indicator_definitions(ctx.country)
        imported = list(defs.loc[defs["origin"] == "import", "id"])
        choice = st.selectbox(t("import.indicator", lang), ["__new__"] + imported, key="data_indicator",
                              format_func=lambda i: t("import.new_indicator", lang) if i == "__new__"
                              else f"{catalogue[i].label(lang)} ({i})" if i in catalogue else i)
        form = {}
        if choice == "__new__":
            c1, c2 = st.columns(2)
            choice = c1.text_input(t("import.indicator_id", lang), key="data_new_id",
                                   help=t("import.indicator_id_help", lang))
            form["unit"] = c2.text_input(t("import.unit", lang), key="data_new_unit")
            form["label_es"] = c1.text_input(t("import.label_es", lang), key="data_new_label_es")
            form["label_en"] = c2.text_input(t("import.label_en", lang), key="data_new_label_en")
            form["kind"] = c1.selectbox(t("import.kind", lang), ("count", "share", "rate", "index"),
                                        key="data_new_kind", format_func=lambda k: t(f"import.kind_{k}", lang))
            form["dimension"] = c2.selectbox(t("import.dimension", lang), DIMENSIONS, key="data_new_dim",
                                             format_func=lambda d: t(f"compare.dim_{d}", lang))
            form["direction"] = 1 if c1.checkbox(t("import.higher_worse", lang), True, key="data_new_dir") else -1
            form["sensitive"] = c2.checkbox(t("import.sensitive", lang), key="data_new_sensitive",
                                            help=t("import.sensitive_help", lang))
        c1, c2 = st.columns(2)
        year = c1.number_input(t("import.year", lang), 2000, 2024, value=None, step=1, key="data_year",
                               help=t("import.year_help", lang))
        value_column = c2.text_input(t("import.value_column", lang), key="data_value_column",
                                     help=t("import.value_column_help", lang))
        kwargs = dict(indicator=choice or "", token=token, secrets=st.secrets, country=ctx.country, who=who,
                      new_indicator=dataset_editor.new_indicator_options(form) if form else None,
                      year=int(year) if year else None, value_column=value_column)
        if upload is None:
            st.info(t("import.choose_file", lang))
        elif st.button(t("import.preview", lang), key="data_preview_button"):
            try:
                report = dataset_editor.run_import(store, upload.getvalue(), upload.name, dry_run=True, **kwargs)
                st.session_state["data_preview"] = (upload.file_id, report)
            except DataError as err:
                st.session_state.pop("data_preview", None)
                show_error(err)
        preview = st.session_state.get("data_preview")
        if upload is not None and preview and preview[0] == upload.file_id:
            report = preview[1]
            cols = st.columns(5)
            for col, (k, n) in zip(cols, dataset_editor.preview_counts(report).items()):
                col.metric(t(f"import.count_{k}", lang), n)
            st.dataframe(dataset_editor.import_preview_display(report, lang), hide_index=True,
                         width="stretch", key="data_preview_table")
            if st.button(t("import.confirm", lang, dataset=report.dataset, version=report.version),
                         type="primary", key="data_import_button"):
                try:
                    done = dataset_editor.run_import(store, upload.getvalue(), upload.name, dry_run=False, **kwargs)
                    st.session_state.pop("data_preview", None)
                    st.session_state["data_done"] = t(f"import.done_{done.status}", lang, dataset=done.dataset,
                                                      version=done.version, added=done.added, changed=done.changed)
                    st.rerun()
                except DataError as err:
                    show_error(err)

with tabs[6]:
    st.dataframe(dataset_editor.registry_display(datasets_table(store, ctx.country), lang), hide_index=True, width="stretch",
                 key="data_datasets")
    history = store.history(ctx.country)
    if len(history):
        st.markdown(f"**{t('rollback.history', lang)}**")
        st.dataframe(dataset_editor.registry_display(history, lang), hide_index=True, width="stretch", key="data_history")
    imports = datasets_table(store, ctx.country, kind="import")
    if not editing:
        st.caption(t("data.read_only", lang))
    elif imports.empty:
        st.info(t("rollback.none", lang))
    else:
        c1, c2 = st.columns(2)
        name = c1.selectbox(t("rollback.dataset", lang), sorted(imports["name"].unique()), key="data_rb_name")
        mine = imports[imports["name"] == name]
        version = c2.selectbox(t("rollback.version", lang), list(mine["version"]), key="data_rb_version",
                               format_func=lambda v: t(f"rollback.status_{mine.set_index('version').at[v, 'status']}",
                                                       lang, version=v))
        token = st.text_input(t("roles.token", lang), type="password", key="data_rb_token")
        try:
            if st.button(t("rollback.preview", lang), key="data_rb_preview"):
                st.session_state["data_rb"] = dataset_editor.run_rollback(store, name, version, token=token,
                                                                  secrets=st.secrets, country=ctx.country, who=who)
            plan = st.session_state.get("data_rb")
            if plan is not None and (plan.dataset, plan.to_version) == (name, version):
                st.caption(t(f"rollback.plan_{plan.status}", lang, n=len(plan.preview), version=version))
                st.dataframe(dataset_editor.rollback_preview_display(plan, lang), hide_index=True, width="stretch")
                if plan.status == "dry_run" and st.button(t("rollback.confirm", lang), type="primary",
                                                          key="data_rb_confirm"):
                    dataset_editor.run_rollback(store, name, version, token=token, secrets=st.secrets,
                                        country=ctx.country, dry_run=False, who=who)
                    st.session_state.pop("data_rb", None)
                    st.session_state["data_done"] = t("rollback.done", lang, dataset=name, version=version)
                    st.rerun()
        except DataError as err:
            show_error(err)
    st.markdown(f"**{t('auditlog.title', lang)}**")
    log = store.audit_log(ctx.country)
    if log.empty:
        st.caption(t("auditlog.none", lang))
    else:
        st.dataframe(dataset_editor.audit_display(log, lang), hide_index=True, width="stretch", key="data_audit")
        st.caption(t("auditlog.caption", lang))

with tabs[7]:
    st.caption(t("audit.intro", lang))
    try:
        structure = data.audit_structure(ctx.country, ctx.version, spec.key(), ctx.year, ctx.level)
    except DataError as err:
        show_error(err)
        structure = None
    if structure is not None:
        for line in audit.weight_warnings(structure, lang):
            st.warning(line)
        st.plotly_chart(audit.weights_figure(structure, lang=lang), key="audit_weights")
        st.caption(t("audit.weights_caption", lang))
        if any(v is not None for v in structure["cronbach_alpha"].values()):
            st.plotly_chart(audit.consistency_figure(structure, lang=lang), key="audit_consistency")
            st.caption(t("audit.consistency_caption", lang))
        labels = {i: catalogue[i].label(lang) if i in catalogue else i for i in catalogue}
        for dim, matrix in structure["indicator_correlations"].items():
            title = t("audit.correlations_title", lang, dimension=audit.dimension_label(dim, lang))
            if len(matrix) < 2:
                st.caption(t("audit.single_indicator", lang, dimension=audit.dimension_label(dim, lang)))
            else:
                st.plotly_chart(audit.correlation_figure(matrix, labels, lang=lang, title=title),
                                key=f"audit_corr_{dim}")
        dim_labels = {d: audit.dimension_label(d, lang) for d in structure["dimension_correlations"]}
        st.plotly_chart(audit.correlation_figure(structure["dimension_correlations"], dim_labels, lang=lang,
                                                 title=t("audit.dimension_correlations_title", lang)),
                        key="audit_corr_dimensions")
        st.markdown(f"**{t('audit.sensitivity_heading', lang)}**")
        st.caption(t("audit.sensitivity_intro", lang))
        if st.button(t("audit.run_sensitivity", lang), key="audit_run") or st.session_state.get("audit_ran"):
            st.session_state["audit_ran"] = True
            try:
                with st.spinner(t("audit.running", lang)):
                    report = data.audit_report(ctx.country, ctx.version, spec.key(), ctx.year, ctx.level)
                st.plotly_chart(audit.sensitivity_figure(report["sensitivity"], lang=lang), key="audit_sobol")
                st.caption(t("audit.sensitivity_caption", lang, runs=report["sensitivity_runs"],
                             n=report["sensitivity_n"], shift=text.format_number(report["mean_rank_shift"], lang)))
                st.plotly_chart(audit.rank_range_figure(report["rank_range"], lang=lang), key="audit_ranks")
            except DataError as err:
                show_error(err)

with tabs[8]:
    st.caption(t("validate.intro", lang))
    country_name = data.country_name(ctx.country, lang)
    levels = data.level_names(ctx.country, lang)
    try:
        report = data.validation(ctx.country, ctx.version, spec.key(), ctx.year, ctx.level)
        if report is None:
            st.info(t("validate.none_peer", lang, country=country_name))
        else:
            st.markdown(f"**{t('validate.peer_title', lang, peer=t(f'validate.peer_{ctx.country}', lang))}**")
            st.dataframe(audit.validation_display(report, lang, levels), hide_index=True, width="stretch",
                         key="validate_peer")
            st.caption(t(f"validate.note_{ctx.country}", lang))
        st.markdown(f"**{t('validate.backtest_title', lang)}**")
        if st.button(t("validate.run_backtest", lang), key="validate_run") or st.session_state.get("validate_ran"):
            st.session_state["validate_ran"] = True
            with st.spinner(t("validate.running", lang)):
                bt = data.backtest(ctx.country, ctx.version, spec.key(), ctx.level)
            shown = audit.backtest_display(bt, catalogue, lang, levels)
            if shown.empty:
                st.info(t("validate.no_backtest", lang, country=country_name))
            else:
                st.dataframe(shown, hide_index=True, width="stretch", key="validate_backtest")
                st.caption(t("validate.backtest_caption", lang))
    except DataError as err:
        show_error(err)
