"""The Data page's editor section: import and rollback behind the editor token, and their
previews and problems as display tables. Pure pandas over ``geodata.importing``, no Streamlit.
"""
from __future__ import annotations

import pandas as pd

from dashboard.data_report import headers
from dashboard.i18n import messages, t
from dashboard.text import format_number
from geodata.errors import DataError



def registry_display(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The dataset registry or its history (``geodata.importing.datasets_table``,
    ``Store.history``) with translated headers and kind, status and action values."""
    table = messages(lang)
    out = df.copy()
    for col, prefix in (("kind", "rollback.kind_"), ("status", "rollback.status_value_"),
                        ("action", "rollback.action_")):
        if col in out:
            out[col] = [table.get(f"{prefix}{v}", v) for v in out[col]]
    return headers(out, "rollback.col_", lang)


def problems_table(err: DataError, lang: str) -> pd.DataFrame:
    """The problems of a rejected import, each message in ``lang``: ``row, column, value, problem``."""
    from geodata.validation import problems_frame

    probs = err.params.get("problems") or ()
    table = messages(lang)
    rows = []
    for p in probs:
        try:
            text = table[p.key].format(**p.params) if p.key in table else p.message
        except (KeyError, IndexError, ValueError):
            text = p.message
        rows.append({"row": p.row, "column": p.column, "value": p.value, "problem": text})
    if not rows:
        frame = problems_frame(err)
        rows = [{"row": r.row, "column": r.column, "value": r.value, "problem": r.message}
                for r in frame.itertuples()]
    return pd.DataFrame(rows, columns=["row", "column", "value", "problem"])


def preview_counts(report) -> dict:
    """``added, changed, unchanged, kept, skipped`` of an ``ImportReport`` (dry run or not)."""
    return {"added": report.added, "changed": report.changed, "unchanged": report.unchanged,
            "kept": report.kept, "skipped": len(report.skipped)}


def new_indicator_options(form: dict) -> dict | None:
    """The ``new_indicator`` options of ``geodata.importing.import_file`` from the page's form
    fields (``label_es, label_en, kind, dimension, unit, direction, sensitive``); None when every
    text field is empty (an existing indicator is meant)."""
    texts = ("label_es", "label_en", "unit")
    if not any(str(form.get(k) or "").strip() for k in texts):
        return None
    out = {k: str(form.get(k) or "").strip() for k in texts}
    out.update(kind=form.get("kind"), dimension=form.get("dimension"),
               direction=int(form.get("direction", 1)), sensitive=bool(form.get("sensitive", False)))
    return out


def run_import(store, content: bytes, filename: str, *, indicator: str, token: str | None, secrets=None,
               new_indicator: dict | None = None, year: int | None = None, value_column: str | None = None,
               dataset: str | None = None, country: str = "slv", dry_run: bool = True,
               who: tuple[str, str] = ("", "")):
    """What the Data page's uploader calls: sign the editor in (``dashboard.signin.sign_in``,
    with the lockout; ``who`` is ``signin.visitor()``), then validate (``dry_run``) or import the
    uploaded bytes under the editor's name. Raises ``DataError`` (``roles.*`` or ``import.*``);
    nothing is written unless the token is right, the whole file is valid and ``dry_run`` is False."""
    from dashboard.signin import sign_in
    from geodata.importing import import_file

    editor = sign_in(store, token, secrets=secrets, who=who)
    return import_file(store, content, filename=filename, country=country, indicator=indicator.strip(),
                       editor=editor, year=year, value_column=(value_column or "").strip() or None,
                       dataset=(dataset or "").strip() or None, new_indicator=new_indicator, dry_run=dry_run)


def run_rollback(store, name: str, version: int, *, token: str | None, secrets=None, country: str = "slv",
                 dry_run: bool = True, who: tuple[str, str] = ("", "")):
    """Sign the editor in (as ``run_import``), then a rollback of an imported dataset under the
    editor's name (``dry_run``: the preview only)."""
    from dashboard.signin import sign_in
    from geodata.importing import rollback

    editor = sign_in(store, token, secrets=secrets, who=who)
    return rollback(store, name, to_version=int(version), editor=editor, country=country, dry_run=dry_run)


def audit_display(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``Store.audit_log`` with translated headers and actions (names and details as stored,
    shown as plain text by ``st.dataframe``)."""
    table = messages(lang)
    out = df.copy()
    out["action"] = [table.get(f"auditlog.action_{v}", v) for v in out["action"]]
    return headers(out, "auditlog.col_", lang)


def import_preview_display(report, lang: str) -> pd.DataFrame:
    """An ``ImportReport``'s preview (one row per value) with translated headers and change."""
    p = report.preview
    return pd.DataFrame({
        t("import.col_row", lang): p["row"].to_numpy(), t("import.col_unit", lang): p["name"].to_numpy(),
        t("import.col_year", lang): p["year"].to_numpy(),
        t("import.col_value", lang): [format_number(x, lang, 2) for x in p["value"]],
        t("import.col_previous", lang): [format_number(x, lang, 2) for x in p["previous"]],
        t("import.col_change", lang): [t(f"import.change_{c}", lang) for c in p["change"]],
    })


def rollback_preview_display(report, lang: str) -> pd.DataFrame:
    """A ``RollbackReport``'s preview with translated headers and change."""
    p = report.preview
    return pd.DataFrame({
        t("data.col_indicator", lang): p["indicator"].to_numpy(), t("import.col_unit", lang): p["unit"].to_numpy(),
        t("import.col_year", lang): p["year"].to_numpy(),
        t("rollback.col_now", lang): [format_number(x, lang, 2) for x in p["value_now"]],
        t("rollback.col_after", lang): [format_number(x, lang, 2) for x in p["value_after"]],
        t("import.col_change", lang): [t(f"rollback.change_{c}", lang) for c in p["change"]],
    })
