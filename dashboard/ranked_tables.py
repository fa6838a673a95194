"""Ranked tables on screen (Streamlit): one column configuration for the Priorities table, the
shortlist editor and the programme view, headers from ``priorities.column_header`` (the names
their downloads use), and a phone layout.

A phone (``leaflet_map.PHONE_WIDTH`` CSS px or less) gets a second copy of a table with
``priorities.PHONE_COLUMNS`` only (rank, name, score, how sure, P(top N)) as a static HTML table
(``st.table``), whose headers and cells wrap, so a 390 px screen shows all five without
sideways scrolling; every cell is Markdown-escaped (``text.markdown_literal``). A CSS media
query on the containers' public ``st-key-<key>`` classes shows one copy or the other (our own
CSS, no user text; ``phone_switch``, also used by the shortlist editor's two copies).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.leaflet_map import PHONE_WIDTH
from dashboard.priorities import PHONE_COLUMNS, column_header
from dashboard.text import markdown_literal, percent

__all__ = ["column_config", "show", "phone_switch", "phone_frame"]


def column_config(columns, lang: str, n: int) -> dict:
    """Streamlit column configuration of ranked-table ``columns`` (headers in ``lang`` naming
    the top ``n``; P(top N) a bar over percent 0..100)."""
    out = {}
    for c in columns:
        label = column_header(c, lang, n)
        if c in ("rank", "position"):
            out[c] = st.column_config.NumberColumn(label, format="%d")
        elif c == "p_top":
            out[c] = st.column_config.ProgressColumn(label, min_value=0, max_value=100, format="%d %%")
        elif c == "why":
            out[c] = st.column_config.ImageColumn(label)
        elif c in ("selected", "pinned", "remove"):
            out[c] = st.column_config.CheckboxColumn(label)
        else:
            out[c] = st.column_config.TextColumn(label)
    return out


def show(frame: pd.DataFrame, key: str, lang: str, n: int, order, *, height: int | str = "auto") -> None:
    """``frame`` as a table with the columns of ``order`` it has: all of them on a wide screen,
    ``PHONE_COLUMNS`` on a phone (``key`` names the two containers and tables)."""
    order = [c for c in order if c in frame]
    phone_switch(key, f".st-key-{key}_phone :is(th,td){{padding:6px 4px !important;font-size:13px;"
                      f"overflow-wrap:anywhere}}")
    with st.container(key=f"{key}_wide"):
        st.dataframe(frame, hide_index=True, width="stretch", height=height, column_order=order,
                     column_config=column_config(order, lang, n), key=f"{key}_wide_table")
    with st.container(key=f"{key}_phone"):
        st.table(phone_frame(frame, lang, n), hide_index=True, border="horizontal",
                 height=height if isinstance(height, int) else "content")


def phone_switch(key: str, extra_css: str = "") -> None:
    """Show the container ``<key>_wide`` on a wide screen and ``<key>_phone`` on a phone
    (``PHONE_WIDTH`` CSS px or less), by a CSS media query on their ``st-key-`` classes;
    ``extra_css`` is more of our own CSS (never user text)."""
    st.html(f"<style>@media (max-width:{PHONE_WIDTH}px){{.st-key-{key}_wide{{display:none}}}}"
            f"@media (min-width:{PHONE_WIDTH + 1}px){{.st-key-{key}_phone{{display:none}}}}{extra_css}</style>")


def phone_frame(frame: pd.DataFrame, lang: str, n: int) -> pd.DataFrame:
    """The phone's columns of a ranked table as Markdown-escaped text under their headers:
    rank as a whole number, P(top N) (``p_top``, percent 0..100) as "58 %" / "58%"."""
    cols = [c for c in PHONE_COLUMNS if c in frame]
    out = {}
    for c in cols:
        values = frame[c]
        if c in ("rank", "position"):
            values = ["–" if pd.isna(v) else str(int(v)) for v in values]
        elif c == "p_top":
            values = [percent(v / 100, lang) for v in values]
        out[markdown_literal(column_header(c, lang, n))] = [markdown_literal(v) for v in values]
    return pd.DataFrame(out)
