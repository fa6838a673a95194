"""The Priorities page's shortlist editor, saved lists and programme view (Streamlit).

The rules live in ``dashboard.shortlist`` (pure, tested without a browser); this module keeps the
per-level list in the session, draws the widgets and calls the store. User text (list names,
authors, notes) is shown only with ``st.text`` or inside data tables, never as markdown.

Session keys (``SESSION_KEYS``, bound to the country by the page, ``state.bind_to_country``): ``sl_items``
(level -> items), ``sl_sig`` (level -> the ranking the items follow), ``sl_removed`` (level ->
codes the user removed), ``sl_meta`` (level -> the saved list shown), ``sl_programme``.
"""
from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import data, priorities, ranked_tables, shortlist, signin, state
from dashboard.confidence import confidence_level
from dashboard.i18n import t
from dashboard.priorities import column_header
from dashboard.text import literal
from geodata.errors import DataError
from geodata.usertext import NAME_MAX, NOTE_MAX

__all__ = ["SESSION_KEYS", "unit_labels", "current_items", "editor", "save_and_export", "saved_lists",
           "read_link", "programme_view", "scenario_words"]

#: Session keys holding one country's list, programme choice and the saved list shown.
SESSION_KEYS = ("sl_items", "sl_sig", "sl_removed", "sl_meta", "sl_programme")
#: The editor's row height (Streamlit's default, CSS px) and the rows it shows before scrolling.
_EDITOR_ROW, _EDITOR_ROWS = 35, 25
#: The phone editor's column widths (CSS px): 326 in all, the content width of a 360 px phone; the
#: grid stretches them to fill a wider one (358 px on a 390 px phone).
_PHONE_WIDTHS = {"position": 52, "pinned": 72, "name": 126, "note": 76}
#: Marks a level whose items were just opened from a saved list: they are adopted as they are
#: by the next run's ranking instead of being recomposed.
_ADOPT = "adopt"


def unit_labels(table: pd.DataFrame, level: str) -> dict[str, str]:
    """Code -> "name (department)" (the name alone for departments) of a result table."""
    if level == "department":
        return dict(zip(table["code"].astype(str), table["name"].astype(str)))
    return dict(zip(table["code"].astype(str), table["name"].astype(str) + " (" + table["department"].astype(str) + ")"))


def _slot(key: str) -> dict:
    return st.session_state.setdefault(key, {})


def current_items(level: str, signature: str, top_codes, valid_codes) -> list[dict]:
    """The session's list at ``level`` kept in step with the ranking ``signature``."""
    items, sigs, removed = _slot("sl_items"), _slot("sl_sig"), _slot("sl_removed")
    have = items.get(level)
    if have is None or sigs.get(level) not in (signature, _ADOPT):
        have = shortlist.compose(have or [], top_codes, removed.get(level, ()))
    sigs[level] = signature
    items[level] = shortlist.clean(have, valid_codes)
    return items[level]


def _apply_editor(level: str, key: str) -> None:
    edits = st.session_state.get(key, {}).get("edited_rows", {})
    items, removed = shortlist.apply_edits(_slot("sl_items").get(level, []), edits)
    _slot("sl_items")[level] = items
    _slot("sl_removed").setdefault(level, [])
    _slot("sl_removed")[level] = list(dict.fromkeys([*_slot("sl_removed")[level], *removed]))
    st.session_state["sl_gen"] = st.session_state.get("sl_gen", 0) + 1


def _add_unit(level: str, labels: dict, lang: str) -> None:
    code = st.session_state.get("sl_match")
    if not code:
        return
    items, new = shortlist.add(_slot("sl_items").get(level, []), code)
    _slot("sl_items")[level] = items
    gone = _slot("sl_removed").get(level, [])
    _slot("sl_removed")[level] = [c for c in gone if c != code]
    st.session_state["sl_flash"] = t("shortlist.added" if new else "shortlist.already", lang, name=labels[code])
    st.session_state["sl_search"] = ""
    st.session_state["sl_gen"] = st.session_state.get("sl_gen", 0) + 1


def _reset(level: str) -> None:
    for key in ("sl_items", "sl_sig", "sl_removed", "sl_meta"):
        _slot(key).pop(level, None)
    st.query_params.pop("shortlist", None)
    st.session_state["sl_gen"] = st.session_state.get("sl_gen", 0) + 1


def editor(ctx, table: pd.DataFrame, parts: pd.DataFrame, items: list[dict], n: int, lang: str) -> None:
    """Search-and-add, the editable list (no added rows: ``num_rows="fixed"``) and its help."""
    level = ctx.level
    labels = unit_labels(table[table["score"].notna()], level)
    if flash := st.session_state.pop("sl_flash", None):
        st.success(flash)
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    text = left.text_input(t("shortlist.search", lang), key="sl_search", max_chars=60,
                           placeholder=t("shortlist.search_placeholder", lang,
                                         example=data.search_example(ctx.country, ctx.version, level)))
    if text.strip():
        matches = shortlist.search_units(labels, text)
        if matches:
            right.selectbox(t("shortlist.search_matches", lang), matches, key="sl_match", format_func=labels.get)
            st.button(t("shortlist.add", lang), key="sl_add", type="primary", on_click=_add_unit,
                      args=(level, labels, lang))
        else:
            right.text(t("shortlist.search_none", lang, text=text.strip()))
    meta = _slot("sl_meta").get(level)
    if meta:
        st.text(_meta_line(meta, lang))
    if not items:
        st.info(t("shortlist.empty", lang))
    else:
        frame = shortlist.editor_frame(items, table, parts, lang)
        config = ranked_tables.column_config(frame.columns, lang, n) | {
            "position": st.column_config.NumberColumn(column_header("position", lang, n), min_value=1,
                                                      max_value=len(items), step=1, format="%d"),
            "note": st.column_config.TextColumn(column_header("note", lang, n), width="medium", max_chars=NOTE_MAX)}
        gen = st.session_state.get("sl_gen", 0)
        ranked_tables.phone_switch("sl_editor")  # both copies edit the same rows, in the same order
        with st.container(key="sl_editor_wide"):
            _editor_table(frame, f"sl_editor_{level}_{gen}", level, [c for c in frame.columns if c != "code"], config)
        with st.container(key="sl_editor_phone"):
            phone = list(shortlist.PHONE_EDITOR_COLUMNS)
            config = {c: {**config[c], "width": _PHONE_WIDTHS[c]} for c in phone}
            config["position"]["label"] = t("shortlist.col_position_short", lang)
            _editor_table(frame[phone], f"sl_editor_phone_{level}_{gen}", level, phone, config)
            st.caption(t("shortlist.phone_columns", lang))
    st.caption(t("shortlist.intro", lang))
    st.button(t("shortlist.reset", lang), key="sl_reset", on_click=_reset, args=(level,))


def _editor_table(frame: pd.DataFrame, key: str, level: str, order: list[str], config: dict) -> None:
    """One copy of the editable list: ``order``'s columns, only position, pinned, note and remove
    editable, no added rows (``num_rows="fixed"``), every row of a usual list in view."""
    st.data_editor(frame, key=key, hide_index=True, width="stretch", num_rows="fixed",
                   height=_EDITOR_ROW * (min(len(frame), _EDITOR_ROWS) + 1) + 3,
                   on_change=_apply_editor, args=(level, key), column_order=order,
                   disabled=[c for c in order if c not in ("position", "pinned", "note", "remove")],
                   column_config={c: config[c] for c in order})


def scenario_words(country: str, key: str, lang: str) -> str:
    """A stored ``Spec.key()`` in words (weights, aggregation, scheme, N); "–" if unreadable."""
    from risk_model.spec import parse_key

    try:
        return priorities.scenario_summary(parse_key(data.base_spec(country), key), lang)
    except (DataError, ValueError, KeyError):
        return "–"


def _date(saved_at: str) -> str:
    return str(saved_at)[:16].replace("T", " ")


def _meta_line(meta: dict, lang: str) -> str:
    author = t("shortlist.by", lang, author=meta["author"]) if meta.get("author") else t("shortlist.no_author", lang)
    return f"{meta['name']} · {author} · {_date(meta['saved_at'])} · {scenario_words(meta['country'], meta['scenario'], lang)}"


def _link(meta: dict, lang: str) -> str:
    """The URL that reopens a saved list: its page, language, level, year, scenario and id."""
    base = str(st.context.url or "").split("?")[0].rstrip("/")
    if not base.endswith("/priorities"):
        base = base.rsplit("/", 1)[0] + "/priorities" if "/" in base.split("//", 1)[-1] else base + "/priorities"
    params = {"lang": lang, "country": meta["country"], "level": meta["level"], "scenario": meta["scenario"],
              "shortlist": str(meta["id"])}
    if meta.get("year") is not None and not pd.isna(meta.get("year")):
        params["year"] = str(int(meta["year"]))
    return f"{base}?{urlencode(params)}"


def save_and_export(ctx, spec, result, parts: pd.DataFrame, items: list[dict], lang: str) -> None:
    """Name, author, Save; CSV, XLSX and the one-page PDF of the list."""
    c1, c2, c3 = st.columns([3, 2, 2], vertical_alignment="bottom")
    c1.text_input(t("shortlist.name", lang), key="sl_name", max_chars=NAME_MAX)
    c2.text_input(t("shortlist.author", lang), key="sl_author", max_chars=NAME_MAX)
    c3.button(t("shortlist.save", lang), key="sl_save", type="primary", on_click=_save,
              args=(ctx, spec.key(), shortlist.items_frame(items, result.table), lang))
    if said := st.session_state.pop("sl_said", None):
        kind, text, link = said
        (st.success if kind == "ok" else st.warning)(text)
        if link:
            st.code(link, language=None, wrap_lines=True)  # the whole link on a phone
    frame = shortlist.export_frame(items, result.table, parts, lang)
    if frame.empty:
        return
    meta = _slot("sl_meta").get(ctx.level)
    words = scenario_words(ctx.country, spec.key(), lang)
    headers = {c: column_header(c, lang, spec.top_n) for c in frame.columns}
    footer = f"{words} · {ctx.year} · {data.level_name(ctx.country, ctx.level, lang)} · {ctx.version}"
    stem = f"shortlist_{ctx.country}_{ctx.year}_{ctx.level}"
    d1, d2, d3 = st.columns(3)
    d1.download_button(t("priorities.download_csv", lang), key="sl_csv", mime="text/csv", file_name=f"{stem}.csv",
                       data=priorities.export_bytes(frame, "csv", columns=headers, footer=footer, lang=lang), on_click="ignore")
    d2.download_button(t("priorities.download_xlsx", lang), key="sl_xlsx", file_name=f"{stem}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       data=priorities.export_bytes(frame, "xlsx", columns=headers, footer=footer, lang=lang), on_click="ignore")

    def pdf() -> bytes:
        from dashboard.exports.buttons import _water, export_context
        from dashboard.exports.shortlist import render_shortlist, shortlist_sheet

        title = t("shortlist.pdf_title", lang, name=meta["name"]) if meta else t("shortlist.pdf_unnamed", lang)
        saved = (t("shortlist.pdf_saved", lang, date=_date(meta["saved_at"]),
                   author=meta["author"] or t("shortlist.no_author", lang)) if meta else "")
        outlines = data.units(ctx.country, "department") if ctx.level != "department" else None
        return render_shortlist(shortlist_sheet(result, data.units(ctx.country, ctx.level), export_context(ctx),
                                                frame, title=title, scenario_text=words, saved_line=saved,
                                                outlines=outlines, water=_water(ctx.country)))
    d3.download_button(t("shortlist.download_pdf", lang), key="sl_pdf", mime="application/pdf",
                       file_name=f"{stem}.pdf", data=pdf, on_click="ignore")


def _save(ctx, scenario: str, frame: pd.DataFrame, lang: str) -> None:
    """The Save button's callback: check the name and author, store the list, remember its link
    (the message is shown by the run that follows, ``sl_said``)."""
    name = str(st.session_state.get("sl_name") or "").strip()
    author = str(st.session_state.get("sl_author") or "").strip()
    if frame.empty:
        said = ("warn", t("shortlist.nothing_to_save", lang), "")
    elif not name:
        said = ("warn", t("shortlist.needs_name", lang), "")
    elif len(name) > NAME_MAX or len(author) > NAME_MAX:
        said = ("warn", t("shortlist.too_long", lang, n=NAME_MAX), "")
    else:
        store = data.store(ctx.country)
        try:  # plain text of bounded length (the store checks), and a few saves per session and address
            signin.allow_write(signin.visitor())
            new_id = store.save_shortlist(ctx.country, name, frame, scenario=scenario, level=ctx.level,
                                          year=ctx.year, author=author)
        except DataError as err:
            from dashboard.i18n import t_error

            said = ("warn", t_error(err, lang), "")
        else:
            meta, _ = store.load_shortlist(new_id)
            _slot("sl_meta")[ctx.level] = meta
            st.query_params["shortlist"] = str(new_id)
            st.session_state["sl_link_done"] = str(new_id)
            said = ("ok", t("shortlist.saved", lang, name=literal(meta["name"]), n=len(frame)), _link(meta, lang))
    st.session_state["sl_said"] = said


def _open(meta: dict, saved: pd.DataFrame, ctx) -> None:
    """Put a saved list in the session at its level and bring back its scenario and year."""
    level = meta["level"]
    _slot("sl_items")[level] = shortlist.items_from_saved(saved)
    _slot("sl_sig")[level] = _ADOPT
    _slot("sl_meta")[level] = meta
    _slot("sl_removed")[level] = []
    st.session_state["sl_gen"] = st.session_state.get("sl_gen", 0) + 1
    st.query_params["shortlist"] = str(meta["id"])
    st.session_state["sl_link_done"] = str(meta["id"])
    current = state.scenario_spec(ctx).key()
    if level != ctx.level or meta["scenario"] != current or (meta.get("year") not in (None, ctx.year)):
        state.open_view(level, meta["scenario"], meta.get("year"))


def read_link(ctx, lang: str) -> None:
    """Open the saved list named by ``?shortlist=ID`` once per session (a shared link)."""
    wanted = st.query_params.get("shortlist")
    if not wanted or st.session_state.get("sl_link_done") == wanted:
        return
    st.session_state["sl_link_done"] = wanted
    try:
        meta, saved = data.store(ctx.country).load_shortlist(int(wanted))
    except (KeyError, ValueError):
        meta = None
    if meta is None or meta["country"] != ctx.country:
        st.warning(t("shortlist.unknown_link", lang, id=str(wanted)[:12]))
        return
    st.session_state["sl_flash"] = t("shortlist.opened_from_link", lang, name=literal(meta["name"]))
    _open(meta, saved, ctx)


def saved_lists(ctx, lang: str) -> pd.DataFrame:
    """The country's saved lists (name, author, date, scenario in words, size, link) and Open."""
    store = data.store(ctx.country)
    listed = store.list_shortlists(ctx.country)
    st.subheader(t("shortlist.saved_lists", lang))
    if listed.empty:
        st.caption(t("shortlist.none_saved", lang))
        return listed
    rows = pd.DataFrame({
        "name": listed["name"], "author": listed["author"].fillna(""),
        "date": [_date(x) for x in listed["saved_at"]],
        "scenario": [scenario_words(ctx.country, k, lang) for k in listed["scenario"]],
        "n": listed["n"].astype(int),
        "link": [_link({"country": ctx.country, **r}, lang) for r in listed.to_dict("records")]})
    st.dataframe(rows, hide_index=True, width="stretch", key="sl_saved_table", column_config={
        "name": t("shortlist.col_name", lang), "author": t("shortlist.col_author", lang),
        "date": t("shortlist.col_date", lang), "scenario": st.column_config.TextColumn(t("shortlist.col_scenario", lang),
                                                                                      width="large"),
        "n": t("shortlist.col_n", lang),
        "link": st.column_config.LinkColumn(t("shortlist.col_link", lang), display_text=t("shortlist.open", lang))})
    ids = listed["id"].astype(int).tolist()
    by_id = listed.set_index("id")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    pick = c1.selectbox(t("shortlist.open_pick", lang), ids, key="sl_pick", format_func=lambda i: t(
        "shortlist.pick_label", lang, name=by_id.at[i, "name"], date=_date(by_id.at[i, "saved_at"]),
        n=int(by_id.at[i, "n"])))
    if c2.button(t("shortlist.open", lang), key="sl_open"):
        meta, saved = store.load_shortlist(int(pick))
        st.session_state["sl_flash"] = t("shortlist.opened", lang, name=literal(meta["name"]))
        _open(meta, saved, ctx)
        st.rerun()
    return listed


def programme_view(ctx, table: pd.DataFrame, parts: pd.DataFrame, items: list[dict], listed: pd.DataFrame,
                   n: int, lang: str) -> None:
    """Where each area of a chosen set ranks: rank, band, P(top N), words, score and why."""
    st.subheader(t("shortlist.programme", lang))
    st.caption(t("shortlist.programme_intro", lang))
    md = data.model_data(ctx.country, ctx.version)
    finest = md.units[md.finest]
    programme, unresolved = data.programme_default(ctx.country)
    sets: dict[str, tuple[str, list[str]]] = {}
    if programme:
        codes = priorities.codes_at_level(programme, finest, ctx.level)
        sets["iom"] = (t("shortlist.programme_iom", lang, n=len(programme)), codes)
    sets["current"] = (t("shortlist.programme_current", lang, n=len(items)), [i["code"] for i in items])
    store = data.store(ctx.country)
    for r in listed.itertuples():
        if r.level == ctx.level:
            sets[f"saved_{r.id}"] = (t("shortlist.programme_saved", lang, name=r.name, n=int(r.n)), None)
    choice = st.selectbox(t("shortlist.programme_set", lang), list(sets), key="sl_programme",
                          format_func=lambda k: sets[k][0])
    label, codes = sets[choice]
    if codes is None:
        codes = [i["code"] for i in shortlist.items_from_saved(store.load_shortlist(int(choice[6:]))[1])]
    frame = shortlist.ranks_frame(codes, table, parts, lang)
    if choice == "iom" and unresolved:
        st.caption(t("shortlist.programme_unresolved", lang, names=", ".join(unresolved)))
    if frame.empty:
        st.info(t("shortlist.programme_empty", lang))
        return
    raw = table.set_index(table["code"].astype(str))["p_top"].reindex(frame["code"]).to_numpy(float)
    levels = [confidence_level(p) for p in raw]
    st.text(t("shortlist.programme_summary", lang, total=len(frame), n=n,
              **{k: levels.count(k) for k in ("clear", "likely", "possible", "unlikely")}))
    ranked_tables.show(frame, "sl_programme_table", lang, n, ("name", "department", "rank", "band", "p_top", "label",
                                                              "score", "why"))
