"""The one-page PDF briefing: title, map with legend, top-N table, trend chart, method, sources.

One A4 portrait page drawn as a single matplotlib figure, so the PDF has exactly one page and
its text (TrueType, ``pdf.fonttype`` 42) can be searched and extracted.
"""
from __future__ import annotations

import numpy as np
from matplotlib.patches import Rectangle

from .mapimage import draw_legend, draw_map, draw_text_block, _hline
from .style import INK, MUTED, SIZES, WARN, new_figure, rendering, save_figure
from .views import Briefing, TrendPanel

__all__ = ["render_briefing"]

#: Relative widths of the table's columns: rank, name, department, score, class, band, P(top N).
_COL_WIDTHS = (0.07, 0.25, 0.19, 0.11, 0.13, 0.14, 0.11)
_RIGHT_ALIGNED = {0, 3, 5, 6}
_SERIES_COLOURS = ("#1b9e77", "#7570b3", "#d95f02", "#e7298a")  # Dark2: apart from the map palette


def _table(fig, b: Briefing, x_in: float, top_in: float, width_in: float, *, fs: float = 8.2) -> float:
    """The top-N table as drawn text; returns the bottom in inches from the top."""
    w, h = fig.get_size_inches()
    y = draw_text_block(fig, x_in, top_in, width_in, [b.table_title], fs=10.5, colour=INK,
                        weight="bold") + 0.04
    row_h = 0.205
    edges = np.concatenate([[0], np.cumsum(_COL_WIDTHS)]) * width_in + x_in

    def cell(i: int, text: str, yy: float, **kw):
        pad = 0.05
        if i in _RIGHT_ALIGNED:
            fig.text((edges[i + 1] - pad) / w, 1 - yy / h, text, ha="right", va="center", **kw)
        else:
            fig.text((edges[i] + pad) / w, 1 - yy / h, text, ha="left", va="center", **kw)

    for i, name in enumerate(b.columns):
        cell(i, name, y + row_h / 2, fontsize=fs - 0.6, color=MUTED, fontweight="bold")
    y += row_h
    fig.add_artist(_hline(fig, x_in, x_in + width_in, y))
    for r, (row, colour) in enumerate(zip(b.rows, b.row_colours)):
        if r % 2 == 0:
            fig.patches.append(Rectangle((x_in / w, 1 - (y + row_h) / h), width_in / w, row_h / h,
                                         transform=fig.transFigure, facecolor="#f4f4f4",
                                         edgecolor="none", zorder=-1))
        for i, text in enumerate(row):
            if i == 4:  # class: a swatch of the map colour before the name
                fig.patches.append(Rectangle(((edges[i] + 0.05) / w, 1 - (y + row_h / 2 + 0.055) / h),
                                             0.13 / w, 0.11 / h, transform=fig.transFigure,
                                             facecolor=colour, edgecolor="#6f6f6f", linewidth=0.4))
                fig.text((edges[i] + 0.23) / w, 1 - (y + row_h / 2) / h, text, ha="left",
                         va="center", fontsize=fs, color=INK)
                continue
            cell(i, _fit(fig, text, edges[i + 1] - edges[i] - 0.1, fs), y + row_h / 2, fontsize=fs,
                 color=INK, fontweight="bold" if i == 1 else "normal")
        y += row_h
    fig.add_artist(_hline(fig, x_in, x_in + width_in, y))
    return y


def _fit(fig, text: str, width_in: float, fs: float) -> str:
    """``text`` shortened with an ellipsis until it fits ``width_in`` inches."""
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    prop = FontProperties(family="DejaVu Sans", size=fs, weight="bold")
    limit = width_in * fig.dpi
    out = text
    while len(out) > 3 and renderer.get_text_width_height_descent(out, prop, ismath=False)[0] > limit:
        out = out[:-2].rstrip() + "…"
    return out


def _trend(ax, tp: TrendPanel, lang: str) -> None:
    years = np.array(tp.years)
    ax.fill_between(years, tp.lower, tp.upper, color="#bdbdbd", alpha=0.55, linewidth=0, zorder=1)
    ax.plot(years, tp.national, color="#252525", linewidth=1.8, marker="o", markersize=3.2,
            label=tp.national_label, zorder=3)
    for (label, values), colour in zip(tp.series, _SERIES_COLOURS):
        ax.plot(years, values, color=colour, linewidth=1.1, marker="o", markersize=2.4, label=label,
                zorder=2)
    ticks = years if len(years) <= 12 else years[(years - years[0]) % 5 == 0]  # long national series
    ax.set_xticks(ticks)
    ax.set_xticklabels([str(y) for y in ticks])
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(_number_formatter(lang))
    ax.set_ylabel(tp.ylabel, fontsize=7.2, color=MUTED)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.5)
    ax.set_axisbelow(True)
    ax.legend(loc="upper right", fontsize=6.8, frameon=False, handlelength=1.6, borderaxespad=0.1)


def _number_formatter(lang: str):
    from matplotlib.ticker import FuncFormatter

    from dashboard.text import format_number

    return FuncFormatter(lambda v, _pos: format_number(v, lang, 0 if float(v).is_integer() else 1))


def render_briefing(b: Briefing) -> bytes:
    """The briefing as one A4 portrait PDF page (bytes, no timestamps)."""
    page = SIZES["a4_portrait"]
    with rendering():
        fig = new_figure(page)
        w, h = fig.get_size_inches()
        m = 0.5
        inner = w - 2 * m
        y = draw_text_block(fig, m, m - 0.1, inner, [b.title], fs=14.5, colour=INK, weight="bold",
                            gap=1.2)
        y = draw_text_block(fig, m, y + 0.02, inner, [b.subtitle], fs=8.0, colour=MUTED)
        if b.map.warnings:
            y = draw_text_block(fig, m, y + 0.04, inner, list(b.map.warnings), fs=7.4, colour=WARN,
                                weight="bold")
        fig.add_artist(_hline(fig, m, w - m, y + 0.06))
        # map (left) and legend (right)
        legend_w = 1.95
        map_top, map_h = y + 0.1, 3.3
        ax = fig.add_axes([m / w, 1 - (map_top + map_h) / h, (inner - legend_w - 0.1) / w, map_h / h])
        draw_map(ax, b.map, label_fs=5.6, furniture_fs=5.8)
        draw_legend(fig, b.map, w - m - legend_w, map_top + 0.2, legend_w, fs=7.2)
        y = map_top + map_h + 0.12
        # top-N table
        y = _table(fig, b, m, y, inner) + 0.22
        # trend (left) and method (right)
        trend_w, trend_h = 4.3, 1.95
        y = draw_text_block(fig, m, y, trend_w, [b.trend.title], fs=9.5, colour=INK, weight="bold")
        tax = fig.add_axes([(m + 0.42) / w, 1 - (y + 0.08 + trend_h) / h, (trend_w - 0.42) / w,
                            trend_h / h])
        _trend(tax, b.trend, b.lang)
        note_top = y + 0.08 + trend_h + 0.28
        note_end = draw_text_block(fig, m, note_top, trend_w, [b.trend.note], fs=6.6)
        mx = m + trend_w + 0.3
        mend = draw_text_block(fig, mx, y - 9.5 * 1.32 / 72, w - m - mx, [b.method_title], fs=9.5,
                               colour=INK, weight="bold")
        mend = draw_text_block(fig, mx, mend + 0.04, w - m - mx, [b.method_text], fs=7.3, colour=INK,
                               gap=1.36)
        y = max(note_end, mend) + 0.12
        fig.add_artist(_hline(fig, m, w - m, y))
        end = draw_text_block(fig, m, y + 0.08, inner, b.footer, fs=6.4)
        fig.text((w - m) / w, 1 - (end + 0.02) / h, b.date_line, ha="right", va="top", fontsize=7,
                 color=INK)
        return save_figure(fig, "pdf")
