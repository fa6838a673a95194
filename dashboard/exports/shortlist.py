"""The shortlist as a one-page PDF: title, scenario in words, the map with the list's units
outlined and numbered, a table (position, name, rank, band, P(top N), confidence words, the
"why" bar) and the notes. Built from the same pieces as the briefing (``assemble.composite_view``,
``mapimage.draw_map``/``draw_legend``), one A4 portrait page, TrueType text.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from dashboard.i18n import t
from dashboard.priorities import column_header
from dashboard.why import DIMENSION_COLOURS, SCALE, legend_text

from . import assemble
from .mapimage import _hline, draw_legend, draw_map, draw_text_block, wrap
from .style import INK, MUTED, SIZES, new_figure, rendering, save_figure
from .views import MapView, Overlay

__all__ = ["ShortlistSheet", "shortlist_sheet", "render_shortlist", "PIN_MARK"]

#: Column widths (share of the page's inner width): #, name, department, pinned, rank, band, P,
#: words, why.
_WIDTHS = (0.08, 0.18, 0.13, 0.07, 0.06, 0.11, 0.11, 0.17, 0.09)
#: Mark of a pinned unit in the "pinned" column (DejaVu Sans has it).
PIN_MARK = "✓"
_LIST_COLOUR = "#111111"


@dataclass(frozen=True)
class ShortlistSheet:
    """Everything the page prints, already translated; ``rows`` hold text cells and ``bars``
    the contributions (points 0..10 per dimension) of each row."""

    title: str
    subtitle: tuple[str, ...]
    map: MapView
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    bars: tuple[tuple[tuple[str, float], ...], ...]
    notes_title: str
    notes: tuple[str, ...]
    bar_legend: str
    footer: tuple[str, ...]
    date_line: str
    lang: str


def shortlist_sheet(result, units, ctx: assemble.ExportContext, frame: pd.DataFrame, *, title: str,
                    scenario_text: str, saved_line: str = "", outlines=None, water=None,
                    palette: str = "ylorrd") -> ShortlistSheet:
    """The sheet of ``frame`` (``dashboard.shortlist.export_frame``: position, code, name,
    department, pinned, rank, band, p_top 0..1, label, score, contrib_*, note) over ``result``."""
    from dashboard.text import format_number

    lang = ctx.lang
    view = assemble.composite_view(result, units, ctx, outlines=outlines, water=water, top_labels=0,
                                   palette=palette)
    codes = frame["code"].astype(str).tolist()
    labels = dict(zip(codes, frame["position"].astype(int).astype(str)))
    shown = view.units.copy()
    shown["label"] = [labels.get(str(c), "") for c in shown["code"]]
    view = replace(view, units=shown,
                   overlays=(Overlay(t("shortlist.pdf_map_note", lang), frozenset(codes), colour=_LIST_COLOUR),),
                   labels_note="")
    n = result.spec.top_n
    rows, bars, notes = [], [], []
    for r in frame.itertuples(index=False):
        p = r.p_top
        rows.append((str(r.position), str(r.name), str(r.department), PIN_MARK if r.pinned else "",
                     format_number(r.rank, lang, 0),
                     r.band or "–",
                     "–" if p is None or np.isnan(p) else t("export.percent", lang,
                                                            value=format_number(100 * p, lang, 0)),
                     r.label or "–", ""))
        bars.append(tuple((d, float(getattr(r, f"contrib_{d}"))) for d in DIMENSION_COLOURS
                          if hasattr(r, f"contrib_{d}") and np.isfinite(getattr(r, f"contrib_{d}"))))
        if str(r.note).strip():
            notes.append(f"{r.position}. {r.name}: {r.note}")
    columns = (*(column_header(c, lang, n) for c in ("position", "name", "department", "pinned", "rank", "band",
                                                      "p_top", "label")), t("why.tip", lang))
    dims = [d for d in DIMENSION_COLOURS if f"contrib_{d}" in frame]
    subtitle = tuple(x for x in (scenario_text, saved_line,
                                 view.subtitle) if x)
    return ShortlistSheet(title=title, subtitle=subtitle, map=view, columns=columns, rows=tuple(rows),
                          bars=tuple(bars), notes_title=t("shortlist.pdf_notes", lang), notes=tuple(notes),
                          bar_legend=legend_text(dims, lang), footer=view.footer, date_line=view.date_line,
                          lang=lang)


def render_shortlist(s: ShortlistSheet) -> bytes:
    """The sheet as one A4 portrait PDF page (bytes). Long lists shrink the table's rows; notes
    that do not fit end with "…"."""
    page = SIZES["a4_portrait"]
    with rendering():
        fig = new_figure(page)
        w, h = fig.get_size_inches()
        m, inner = 0.5, w - 1.0
        y = draw_text_block(fig, m, m - 0.1, inner, [s.title], fs=14.5, colour=INK, weight="bold", gap=1.2)
        y = draw_text_block(fig, m, y + 0.02, inner, list(s.subtitle), fs=7.8, colour=MUTED)
        fig.add_artist(_hline(fig, m, w - m, y + 0.06))
        legend_w, map_top = 1.95, y + 0.1
        map_h = 3.4 if len(s.rows) <= 15 else 2.6
        ax = fig.add_axes([m / w, 1 - (map_top + map_h) / h, (inner - legend_w - 0.1) / w, map_h / h])
        draw_map(ax, s.map, label_fs=6.2, furniture_fs=5.8)
        draw_legend(fig, s.map, w - m - legend_w, map_top + 0.2, legend_w, fs=7.2)
        y = map_top + map_h + 0.15
        foot_h = (sum(len(wrap(x, inner, 6.2, fig=fig)) for x in s.footer) + 1) * 6.2 * 1.32 / 72 + 0.2
        y = _table(fig, s, m, y, inner, room=h - m - foot_h - y - 0.6)
        y = draw_text_block(fig, m, y + 0.06, inner, [s.bar_legend], fs=6.6)
        if s.notes:
            y = draw_text_block(fig, m, y + 0.08, inner, [s.notes_title], fs=9, colour=INK, weight="bold")
            limit = h - m - foot_h
            for note in s.notes:
                lines = wrap(note, inner, 7.2, fig=fig)
                if y + len(lines) * 7.2 * 1.32 / 72 > limit:
                    y = draw_text_block(fig, m, y, inner, ["…"], fs=7.2, colour=INK)
                    break
                y = draw_text_block(fig, m, y, inner, [note], fs=7.2, colour=INK)
        top = h - m - foot_h + 0.05
        fig.add_artist(_hline(fig, m, w - m, top))
        end = draw_text_block(fig, m, top + 0.08, inner, s.footer, fs=6.2)
        fig.text((w - m) / w, 1 - (end + 0.02) / h, s.date_line, ha="right", va="top", fontsize=7, color=INK)
        return save_figure(fig, "pdf")


def _table(fig, s: ShortlistSheet, x_in: float, top_in: float, width_in: float, *, room: float) -> float:
    """The list as drawn text, rows shrunk to fit ``room`` inches; returns the bottom."""
    from .briefing import _fit

    w, h = fig.get_size_inches()
    row_h = min(0.2, max(0.11, room / max(len(s.rows) + 1, 1)))
    fs = 7.6 if row_h >= 0.18 else 6.0
    edges = np.concatenate([[0], np.cumsum(_WIDTHS)]) * width_in + x_in
    y = top_in

    def cell(i, text, yy, **kw):
        fig.text((edges[i] + 0.04) / w, 1 - yy / h, text, ha="left", va="center", **kw)

    # headers on up to two lines (the names the screen and the CSV use, some long)
    heads = [wrap(name, edges[i + 1] - edges[i] - 0.06, fs - 0.6, fig=fig, weight="bold")
             for i, name in enumerate(s.columns)]
    heads = [lines[:1] + ([_fit(fig, " ".join(lines[1:]), edges[i + 1] - edges[i] - 0.06, fs - 0.6)]
                          if len(lines) > 1 else []) for i, lines in enumerate(heads)]
    head_h = row_h * (1 + 0.7 * (max(len(x) for x in heads) - 1))
    for i, lines in enumerate(heads):
        cell(i, "\n".join(_fit(fig, x, edges[i + 1] - edges[i] - 0.06, fs - 0.6) for x in lines), y + head_h / 2,
             fontsize=fs - 0.6, color=MUTED, fontweight="bold", linespacing=1.1)
    y += head_h
    fig.add_artist(_hline(fig, x_in, x_in + width_in, y))
    for r, (row, bar) in enumerate(zip(s.rows, s.bars)):
        if r % 2 == 0:
            fig.patches.append(Rectangle((x_in / w, 1 - (y + row_h) / h), width_in / w, row_h / h,
                                         transform=fig.transFigure, facecolor="#f4f4f4", edgecolor="none",
                                         zorder=-1))
        for i, text in enumerate(row[:-1]):
            cell(i, _fit(fig, text, edges[i + 1] - edges[i] - 0.08, fs), y + row_h / 2, fontsize=fs,
                 color=INK, fontweight="bold" if i == 1 else "normal")
        bx, bw, bh = edges[-2] + 0.04, edges[-1] - edges[-2] - 0.08, row_h * 0.5
        by = y + (row_h - bh) / 2
        fig.patches.append(Rectangle((bx / w, 1 - (by + bh) / h), bw / w, bh / h, transform=fig.transFigure,
                                     facecolor="#eeeeee", edgecolor="none"))
        for dim, value in bar:
            part = bw * min(max(value, 0.0), SCALE) / SCALE
            fig.patches.append(Rectangle((bx / w, 1 - (by + bh) / h), part / w, bh / h,
                                         transform=fig.transFigure, facecolor=DIMENSION_COLOURS[dim],
                                         edgecolor="none"))
            bx += part
        y += row_h
    fig.add_artist(_hline(fig, x_in, x_in + width_in, y))
    return y
