"""The shortlist editor's rules, outside the page (no Streamlit): search by name, pins, notes,
order, and the tables shown, saved and exported.

A shortlist is a list of items ``{"code": str, "pinned": bool, "note": str}`` in the user's
order, at one geography level. ``compose`` keeps it in step with the ranking: pinned items stay
whatever the weights, unpinned ones are the current top N (minus the units the user removed).
Every function returns new lists; unknown or empty codes are dropped by ``clean``, so no empty
or "None" row can reach the store or an export.
"""
from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from dashboard.confidence import confidence_words
from dashboard.text import format_number
from dashboard.why import bar_uri, contribution_columns
from geodata.usertext import NOTE_MAX

__all__ = ["fold", "search_units", "search_example", "clean", "compose", "add", "apply_edits",
           "editor_frame", "items_frame", "items_from_saved", "ranks_frame", "export_frame", "PHONE_EDITOR_COLUMNS"]

#: The editor's columns on a phone (390 px wide, no sideways scrolling): what it takes to order,
#: pin and annotate a unit named by its name; rank, P(top N), words, band, why, department and
#: remove stay on a wide screen (the ranks also in the phone's ranked tables and the exports).
PHONE_EDITOR_COLUMNS = ("position", "pinned", "name", "note")


def fold(text) -> str:
    """Lower case without accents, spaces collapsed: what the name search compares.

    >>> fold("  Nueva  CONCEPCIÓN "), fold("La Unión") == fold("la union")
    ('nueva concepcion', True)
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def search_units(labels: dict, text: str, limit: int = 25) -> list[str]:
    """Codes whose label contains ``text`` (accent- and case-insensitive), best first: labels
    starting with it, then a word starting with it, then the rest; alphabetical within each.

    >>> search_units({"1": "La Unión (La Unión)", "2": "Unión Sur", "3": "Reunión"}, "UNION")
    ['2', '1', '3']
    """
    needle = fold(text)
    if not needle:
        return []
    scored = []
    for code, label in labels.items():
        hay = fold(label)
        if needle not in hay:
            continue
        words = hay.replace("(", " ").split()
        tier = 0 if hay.startswith(needle) else (1 if any(w.startswith(needle) for w in words) else 2)
        scored.append((tier, hay, str(code)))
    return [code for _, _, code in sorted(scored)][:limit]


def search_example(units: pd.DataFrame, population: pd.DataFrame, level: str) -> str:
    """The example in the search box's placeholder: the folded name (``fold``) of the most
    populous unit of ``level``, in the latest year ``population`` has for that level.

    Population, not the ranking, so the example stays put while the user changes weights, year
    or layer (it changes only with the data). A name that is also a department's name is passed
    over below the department level: the search reads labels "name (department)", so it would
    match every unit of that department (El Salvador's district Santa Ana, say).
    With no population for the level, the first unit by code. ``units``: ``ModelData.units[level]``
    (``code, name, dept_name``); ``population``: ``ModelData.population`` (``unit, level, year,
    population``, persons).

    >>> units = pd.DataFrame({"code": ["1", "2", "3"], "name": ["Norte", "Ciudad Sur", "Este"],
    ...                       "dept_name": ["Norte", "Sur", "Sur"]})
    >>> pop = pd.DataFrame({"unit": ["1", "2", "3", "2"], "level": "district",
    ...                     "year": [2020, 2020, 2020, 2010], "population": [900, 500, 800, 10]})
    >>> search_example(units, pop, "district")
    'este'
    """
    names = units.set_index(units["code"].astype(str))["name"].astype(str)
    if level != "department":
        depts = {fold(d) for d in units["dept_name"]}
        names = names[[fold(n) not in depts for n in names]]
    here = population[(population["level"] == level) & population["unit"].astype(str).isin(names.index)]
    if len(here):
        last = here[here["year"] == here["year"].max()].sort_values(["population", "unit"], ascending=[False, True])
        return fold(names[str(last["unit"].iloc[0])])
    return fold(names.sort_index().iloc[0]) if len(names) else fold(units["name"].astype(str).min())


def _note(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(value).strip()[:NOTE_MAX]


def clean(items, valid_codes) -> list[dict]:
    """Items with a known code, once each (first kept), notes as text of at most ``NOTE_MAX``."""
    valid = {str(c) for c in valid_codes}
    out, seen = [], set()
    for item in items:
        code = item.get("code")
        code = None if code is None or (isinstance(code, float) and np.isnan(code)) else str(code).strip()
        if not code or code not in valid or code in seen:
            continue
        seen.add(code)
        out.append({"code": code, "pinned": bool(item.get("pinned", False)), "note": _note(item.get("note"))})
    return out


def compose(items, top_codes, removed=()) -> list[dict]:
    """The shortlist after a ranking change: pinned items and unpinned ones still in
    ``top_codes`` keep their order; the other ``top_codes`` (not ``removed``) follow in rank order.

    >>> compose([{"code": "a", "pinned": True, "note": ""}, {"code": "b", "pinned": False, "note": "x"}],
    ...         ["c", "d"], removed=["d"])
    [{'code': 'a', 'pinned': True, 'note': ''}, {'code': 'c', 'pinned': False, 'note': ''}]
    """
    top = [str(c) for c in top_codes]
    gone = {str(c) for c in removed}
    kept = [dict(i) for i in items if i["pinned"] or i["code"] in top]
    have = {i["code"] for i in kept}
    return kept + [{"code": c, "pinned": False, "note": ""} for c in top if c not in have and c not in gone]


def add(items, code: str) -> tuple[list[dict], bool]:
    """``items`` with ``code`` pinned (appended when new); True when it was new."""
    code = str(code)
    out = [dict(i) for i in items]
    for item in out:
        if item["code"] == code:
            item["pinned"] = True
            return out, False
    return out + [{"code": code, "pinned": True, "note": ""}], True


def apply_edits(items, edited_rows: dict) -> tuple[list[dict], list[str]]:
    """Apply ``st.data_editor``'s ``edited_rows`` ({row: {column: value}}) to ``items`` shown in
    the same order: ``pinned``, ``note``, ``remove`` (True drops the row) and ``position``
    (1-based; the row moves there). Returns ``(items, removed codes)``.

    >>> items = [{"code": c, "pinned": False, "note": ""} for c in "abcd"]
    >>> new, gone = apply_edits(items, {"0": {"position": 3}, "3": {"remove": True}})
    >>> [i["code"] for i in new], gone
    (['b', 'c', 'a'], ['d'])
    """
    out = [dict(i) for i in items]
    keys, removed = [], []
    for row, item in enumerate(out):
        change = edited_rows.get(row, edited_rows.get(str(row), {})) or {}
        key = float(row + 1)
        if "pinned" in change:
            item["pinned"] = bool(change["pinned"])
        if "note" in change:
            item["note"] = _note(change["note"])
        if change.get("remove"):
            removed.append(item["code"])
        position = change.get("position")
        if position is not None and not (isinstance(position, float) and np.isnan(position)):
            target = float(position)
            key = target + 0.5 if target > row + 1 else target - 0.5
        keys.append(key)
    order = sorted(range(len(out)), key=lambda r: (keys[r], r))
    return [out[r] for r in order if out[r]["code"] not in removed], removed


def _band(lo, hi, lang: str) -> str:
    if lo is None or np.isnan(lo):
        return ""
    return f"{format_number(lo, lang, 0)}–{format_number(hi, lang, 0)}"


def ranks_frame(codes, table: pd.DataFrame, parts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """For ``codes`` (in that order) of a result table (``code, name, department, score, rank,
    rank_p05, rank_p95, p_top``) and its contributions (``contrib_*``): name, department, rank,
    band, P(top N) in percent 0..100, the confidence word (``confidence_words``), score 0..10
    (text) and the why bar. Codes not in the table are left out."""
    tab = table.merge(parts, on="code", how="left") if len(parts.columns) > 1 else table
    tab = tab.set_index(tab["code"].astype(str))
    codes = [str(c) for c in codes if str(c) in tab.index]
    rows = tab.loc[codes]
    return pd.DataFrame({
        "name": rows["name"].to_numpy(), "department": rows["department"].to_numpy(),
        "rank": rows["rank"].to_numpy(float),
        "band": [_band(a, b, lang) for a, b in zip(rows["rank_p05"].to_numpy(float), rows["rank_p95"].to_numpy(float))],
        "p_top": (100 * rows["p_top"].to_numpy(float)).round(0),
        "label": confidence_words(rows["p_top"].to_numpy(float), lang),
        "score": [format_number(x, lang, 2) for x in rows["score"].to_numpy(float)],
        "why": [bar_uri(r) for _, r in rows[contribution_columns(rows)].iterrows()]
        if contribution_columns(rows) else [""] * len(rows),
        "code": codes,
    })


def editor_frame(items, table: pd.DataFrame, parts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The editor's rows, one per item in order: position, pinned, ``ranks_frame`` columns,
    note and remove (False)."""
    ranks = ranks_frame([i["code"] for i in items], table, parts, lang).set_index("code")
    rows = []
    for pos, item in enumerate(items, start=1):
        r = ranks.loc[item["code"]]
        rows.append({"position": pos, "pinned": item["pinned"], "name": r["name"], "note": item["note"],
                     "rank": r["rank"], "band": r["band"], "p_top": r["p_top"], "label": r["label"],
                     "why": r["why"], "department": r["department"], "remove": False, "code": item["code"]})
    return pd.DataFrame(rows, columns=["position", "pinned", "name", "rank", "p_top", "label", "note", "band",
                                       "why", "department", "remove", "code"])


def items_frame(items, table: pd.DataFrame) -> pd.DataFrame:
    """What the store keeps of a shortlist: ``position, code, name, department, pinned, note``
    plus the rank, score and P(top N) when saved (numbers, for the record)."""
    tab = table.set_index(table["code"].astype(str))
    rows = []
    for pos, item in enumerate(items, start=1):
        r = tab.loc[item["code"]] if item["code"] in tab.index else None
        rows.append({"position": pos, "code": item["code"],
                     "name": "" if r is None else str(r["name"]),
                     "department": "" if r is None else str(r["department"]),
                     "pinned": bool(item["pinned"]), "note": item["note"],
                     "rank": np.nan if r is None else float(r["rank"]),
                     "score": np.nan if r is None else round(float(r["score"]), 4),
                     "p_top": np.nan if r is None else round(float(r["p_top"]), 4)})
    return pd.DataFrame(rows, columns=["position", "code", "name", "department", "pinned", "note", "rank",
                                       "score", "p_top"])


def items_from_saved(saved: pd.DataFrame) -> list[dict]:
    """Items of a stored shortlist (``Store.load_shortlist``), in their saved order. Lists saved
    before pins existed have no ``pinned`` column: their units are taken as pinned (the list
    was a fixed set)."""
    if saved is None or saved.empty or "code" not in saved:
        return []
    frame = saved.sort_values("position", kind="stable") if "position" in saved else saved
    pinned = frame["pinned"] if "pinned" in frame else pd.Series(True, index=frame.index)
    notes = frame["note"] if "note" in frame else pd.Series("", index=frame.index)
    return [{"code": str(c), "pinned": bool(p), "note": _note(nt)}
            for c, p, nt in zip(frame["code"], pinned, notes) if not pd.isna(c) and str(c).strip()]


def export_frame(items, table: pd.DataFrame, parts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The shortlist as downloaded: position, code, name, department, pinned, rank, band, P(top N)
    (0..1), the confidence word, score and dimension contributions (points 0..10), note."""
    tab = table.merge(parts, on="code", how="left") if len(parts.columns) > 1 else table
    tab = tab.set_index(tab["code"].astype(str))
    rows = []
    for pos, item in enumerate(items, start=1):
        if item["code"] not in tab.index:
            continue
        r = tab.loc[item["code"]]
        row = {"position": pos, "code": item["code"], "name": r["name"], "department": r["department"],
               "pinned": bool(item["pinned"]), "rank": float(r["rank"]),
               "band": _band(float(r["rank_p05"]), float(r["rank_p95"]), lang),
               "p_top": round(float(r["p_top"]), 4),
               "label": confidence_words([r["p_top"]], lang)[0], "score": round(float(r["score"]), 4)}
        for col in contribution_columns(tab):
            row[col] = round(float(r[col]), 4)
        row["note"] = item["note"]
        rows.append(row)
    return pd.DataFrame(rows)
