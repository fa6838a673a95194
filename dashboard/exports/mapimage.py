"""Print-quality map snapshots (PNG at 300 dpi, SVG, PDF) drawn with matplotlib, offline.

``render_map(view, fmt, size)`` is the whole export: title and subtitle, the choropleth with
department outlines, lakes, overlays and labelled units, a scale bar and a north arrow, the
legend with the scheme, and the footer (source, data vintage, reliability, model, date).
The drawing pieces (``draw_map``, ``draw_legend``, ``draw_footer``) are reused by the briefing.
"""
from __future__ import annotations

import math
import textwrap

import geopandas as gpd
import numpy as np
from matplotlib import patheffects
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Polygon as MplPolygon
from matplotlib.patches import Ellipse, Rectangle
from matplotlib.transforms import Bbox

from .style import INK, MUTED, RULE, SIZES, WARN, PageSize, new_figure, rendering, save_figure
from .views import MapView

__all__ = ["PRINT_CRS", "render_map", "draw_map", "draw_legend", "draw_text_block", "wrap",
           "project"]

#: UTM zone 16N: metres, so the scale bar is true across El Salvador (about 88-91 W).
PRINT_CRS = "EPSG:32616"
#: Simplification tolerance in metres: well under one printed pixel (~110 m at 300 dpi here).
SIMPLIFY_M = 20.0
_HALO = [patheffects.withStroke(linewidth=2.4, foreground="white")]
_EDGE, _OUTLINE = "#8c8c8c", "#2b2b2b"


def wrap(text: str, width_in: float, fontsize: float, *, fig=None, weight: str = "normal") -> list[str]:
    """Lines of ``text`` that fit ``width_in`` inches at ``fontsize`` points.

    With ``fig`` the words are measured with the figure's renderer (exact); without it the
    width is estimated from DejaVu Sans' average glyph width.
    """
    if fig is None:
        chars = max(12, int(width_in * 72 / (0.56 * fontsize)))
        return textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False) or [""]
    renderer = fig.canvas.get_renderer()
    prop = FontProperties(family="DejaVu Sans", size=fontsize, weight=weight)
    limit = width_in * fig.dpi

    sizes: dict[str, float] = {}

    def width(s: str) -> float:  # each distinct word is measured once
        if s not in sizes:
            sizes[s] = renderer.get_text_width_height_descent(s, prop, ismath=False)[0]
        return sizes[s]

    space = width("a b") - width("ab")
    lines, current, used = [], "", 0.0
    for word in text.split():
        extra = width(word) + (space if current else 0.0)
        if current and used + extra > limit:
            lines.append(current)
            current, used = word, width(word)
        else:
            current, used = (f"{current} {word}" if current else word), used + extra
    lines.append(current)
    return lines


def project(gdf: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    """``gdf`` in ``PRINT_CRS`` with sub-pixel simplification (None passes through)."""
    if gdf is None or gdf.empty:
        return None
    out = gdf.to_crs(PRINT_CRS) if gdf.crs is not None else gdf.copy()
    out["geometry"] = out.geometry.simplify(SIMPLIFY_M, preserve_topology=True)
    return out


def _country_outline(units: gpd.GeoDataFrame) -> gpd.GeoSeries:
    """Outer edge of all units: union of the unsimplified shapes, outer rings only (the union
    of simplified shapes would show slivers along internal borders as broken lines)."""
    import shapely

    g = units.to_crs(PRINT_CRS) if units.crs is not None else units
    geoms = shapely.make_valid(g.geometry.values)
    # a valid coverage (no overlaps; the boundary files are) unions ten times faster edge-wise
    union = shapely.coverage_union_all(geoms) if shapely.coverage_is_valid(geoms) else shapely.union_all(geoms)
    parts = getattr(union, "geoms", [union])
    rings = [shapely.LineString(p.exterior.coords) for p in parts if p.geom_type == "Polygon"]
    return gpd.GeoSeries(rings, crs=PRINT_CRS).simplify(SIMPLIFY_M)


def _nice_length(span_m: float) -> float:
    """A round scale-bar length (metres) near a fifth of ``span_m``."""
    target = span_m / 5
    steps = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]
    return 1000.0 * min(steps, key=lambda s: abs(s * 1000 - target))


def _scale_bar(ax, xmin, ymin, xmax, ymax, fs: float) -> None:
    """A two-segment black/white bar with 0, L/2, L km under it, lower left of the map."""
    length = _nice_length(xmax - xmin)
    h = (ymax - ymin) * 0.012
    x0, y0 = xmin + (xmax - xmin) * 0.03, ymin + (ymax - ymin) * 0.05
    for i, colour in enumerate(("#1a1a1a", "white", "#1a1a1a", "white")):
        ax.add_patch(Rectangle((x0 + i * length / 4, y0), length / 4, h, facecolor=colour,
                               edgecolor="#1a1a1a", linewidth=0.6, zorder=20))
    for frac in (0, 0.5, 1):
        km = length * frac / 1000
        ax.text(x0 + frac * length, y0 - h * 0.9, f"{km:g}", ha="center", va="top", fontsize=fs,
                color=INK, zorder=20)
    ax.text(x0 + length + (xmax - xmin) * 0.008, y0 + h / 2, "km", ha="left", va="center",
            fontsize=fs, color=INK, zorder=20)


def _north_arrow(ax, xmin, ymin, xmax, ymax, fs: float) -> None:
    """A simple north arrow in the upper left corner (over Guatemala, no data there)."""
    w, h = (xmax - xmin) * 0.012, (ymax - ymin) * 0.07
    cx, top = xmin + (xmax - xmin) * 0.03, ymax - (ymax - ymin) * 0.06
    ax.add_patch(MplPolygon([(cx - w, top - h), (cx, top), (cx, top - h * 0.72)], closed=True,
                            facecolor="#1a1a1a", edgecolor="#1a1a1a", linewidth=0.6, zorder=20))
    ax.add_patch(MplPolygon([(cx + w, top - h), (cx, top), (cx, top - h * 0.72)], closed=True,
                            facecolor="white", edgecolor="#1a1a1a", linewidth=0.6, zorder=20))
    ax.text(cx, top + (ymax - ymin) * 0.012, "N", ha="center", va="bottom", fontsize=fs + 1,
            fontweight="bold", color=INK, zorder=20)


def _overlaps(box: Bbox, others: list[Bbox]) -> bool:
    return any(box.overlaps(o) for o in others)


def _place_labels(ax, units: gpd.GeoDataFrame, fs: float) -> None:
    """Write ``units.label`` beside each unit without overlaps (greedy, rank order).

    Each label tries positions around its unit at growing distances; the first position whose
    box overlaps no earlier label, no labelled point and stays inside the map wins. A dot marks
    the unit and a thin leader joins it to a label set apart from it.
    """
    labelled = units[units["label"].astype(str) != ""]
    if labelled.empty:
        return
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    points = labelled.geometry.representative_point()
    xy = ax.transData.transform(np.column_stack([points.x, points.y]))
    frame = ax.get_window_extent(renderer)
    px = fig.dpi / 72.0
    dot = 3.2 * px
    taken = [Bbox.from_extents(x - dot, y - dot, x + dot, y + dot) for x, y in xy]
    angles = (0, 180, 45, 315, 135, 225, 90, 270, 20, 160, 340, 200, 65, 115, 245, 295)
    to_data = ax.transData.inverted()

    def note(text, tx, ty, ha, va):
        """A label at display point (tx, ty), anchored in data coordinates: the position must
        not depend on the dpi, which is 72 when the figure is saved as PDF or SVG."""
        return ax.annotate(text, xy=tuple(to_data.transform((tx, ty))), xycoords="data", ha=ha, va=va,
                           fontsize=fs, color=INK, zorder=31, path_effects=_HALO,
                           annotation_clip=False)

    for (x, y), text in zip(xy, labelled["label"].astype(str)):
        placed = None
        for radius in (7, 13, 20, 28, 38, 50, 64, 80, 100):
            for ang in angles:
                dx, dy = math.cos(math.radians(ang)), math.sin(math.radians(ang))
                ha = "left" if dx > 0.3 else "right" if dx < -0.3 else "center"
                va = "bottom" if dy > 0.3 else "top" if dy < -0.3 else "center"
                tx, ty = x + dx * radius * px, y + dy * radius * px
                art = note(text, tx, ty, ha, va)
                box = art.get_window_extent(renderer).expanded(1.06, 1.12)
                inside = (box.x0 >= frame.x0 and box.x1 <= frame.x1 and box.y0 >= frame.y0
                          and box.y1 <= frame.y1)
                if inside and not _overlaps(box, taken):
                    placed = (art, box, radius)
                    break
                art.remove()
            if placed:
                break
        if placed is None:  # crowded: keep a label beside the unit rather than drop a top unit
            art = note(text, x + 8 * px, y, "left", "center")
            placed = (art, art.get_window_extent(renderer), 8)
        art, box, radius = placed
        taken.append(box)
        if radius > 9:
            ex = min(max(x, box.x0), box.x1)
            ey = min(max(y, box.y0), box.y1)
            ax.annotate("", xy=tuple(to_data.transform((x, y))), xycoords="data",
                        xytext=tuple(to_data.transform((ex, ey))), textcoords="data",
                        arrowprops={"arrowstyle": "-", "color": "#333333", "linewidth": 0.5,
                                    "shrinkA": 0, "shrinkB": 2.5}, zorder=30)
    ax.scatter(points.x, points.y, s=(2.2 * 2) ** 2, facecolor=INK, edgecolor="white",
               linewidth=0.6, zorder=32)


def draw_map(ax, view: MapView, *, label_fs: float = 7.0, furniture_fs: float = 7.0) -> None:
    """The choropleth of ``view`` on ``ax`` (projected, equal aspect, no axes)."""
    units = project(view.units)
    ax.set_axis_off()
    ax.set_aspect("equal")
    xmin, ymin, xmax, ymax = units.total_bounds
    pad_x, pad_y = (xmax - xmin) * 0.02, (ymax - ymin) * 0.04
    xmin, xmax, ymin, ymax = xmin - pad_x, xmax + pad_x, ymin - pad_y * 1.6, ymax + pad_y
    ax.set_xlim(xmin, xmax)
    ax.set_ylim(ymin, ymax)
    units.plot(ax=ax, color=units["fill"].tolist(), edgecolor=_EDGE, linewidth=0.18, zorder=2)
    for ov in view.overlays:  # rings, as on the screen map
        sel = units[units["code"].isin(ov.codes)]
        if not sel.empty:
            pts = sel.geometry.representative_point()
            ax.scatter(pts.x, pts.y, s=46, facecolors="none", edgecolors=ov.colour, linewidths=1.6,
                       zorder=8)
    water = project(view.water)
    if water is not None:
        water.plot(ax=ax, color="#c6dbef", edgecolor="#6b9ac4", linewidth=0.3, zorder=5)
    outlines = project(view.outlines)
    if outlines is not None:
        outlines.boundary.plot(ax=ax, color=_OUTLINE, linewidth=0.75, zorder=6)
    _country_outline(view.units).plot(ax=ax, color=_OUTLINE, linewidth=1.0, zorder=7)
    _scale_bar(ax, xmin, ymin, xmax, ymax, furniture_fs)
    _north_arrow(ax, xmin, ymin, xmax, ymax, furniture_fs)
    ax.figure.canvas.draw()  # fix the layout before measuring label boxes
    _place_labels(ax, units, label_fs)


def draw_text_block(fig, x_in: float, top_in: float, width_in: float, lines, *, fs: float,
                    colour: str = MUTED, gap: float = 1.32, weight: str = "normal") -> float:
    """Wrapped lines from ``top_in`` inches below the top edge down; returns the new top."""
    w, h = fig.get_size_inches()
    y = top_in
    for line in lines:
        for part in wrap(line, width_in, fs, fig=fig, weight=weight):
            fig.text(x_in / w, 1 - y / h, part, ha="left", va="top", fontsize=fs, color=colour,
                     fontweight=weight)
            y += fs * gap / 72
    return y


def draw_legend(fig, view: MapView, x_in: float, top_in: float, width_in: float, *,
                fs: float = 8.5) -> float:
    """Legend title, one swatch per class (colour and range), scheme, overlays and label note."""
    w, h = fig.get_size_inches()
    y = draw_text_block(fig, x_in, top_in, width_in, [view.legend_title], fs=fs + 0.5,
                        colour=INK, weight="bold") + 0.05
    sw, sh = 0.30, 0.19
    rows = [(c, lab, None) for c, lab in view.legend]
    rows += [("none", ov.label, ov.colour) for ov in view.overlays]
    for colour, label, ring in rows:
        if ring:  # the programme ring, as drawn on the map
            fig.patches.append(Ellipse(((x_in + sw / 2) / w, 1 - (y + sh / 2) / h), sh * 0.9 / w,
                                       sh * 0.9 / h, transform=fig.transFigure, facecolor="none",
                                       edgecolor=ring, linewidth=1.6))
        else:
            fig.patches.append(Rectangle(((x_in) / w, 1 - (y + sh) / h), sw / w, sh / h,
                                         transform=fig.transFigure, facecolor=colour,
                                         edgecolor="#6f6f6f", linewidth=0.6))
        lines = wrap(label, width_in - sw - 0.12, fs, fig=fig)
        for i, part in enumerate(lines):
            fig.text((x_in + sw + 0.1) / w, 1 - (y + sh / 2 + i * fs * 1.3 / 72) / h, part,
                     ha="left", va="center", fontsize=fs, color=INK)
        y += max(sh + 0.07, len(lines) * fs * 1.3 / 72 + 0.07)
    y += 0.04
    notes = [n for n in (view.legend_note, view.labels_note) if n]
    return draw_text_block(fig, x_in, y, width_in, notes, fs=fs - 1, colour=MUTED)


def render_map(view: MapView, fmt: str = "png", size: str | PageSize = "a4") -> bytes:
    """The map snapshot as PNG (300 dpi), SVG or PDF bytes, on an A4-landscape or slide page.

    The same ``view`` gives the same bytes: no timestamps, fixed fonts, no network.
    """
    page = SIZES[size] if isinstance(size, str) else size
    with rendering():
        fig = new_figure(page)
        w, h = fig.get_size_inches()
        slide = w / h > 1.6
        m = 0.38
        title_fs, sub_fs = (22, 12) if slide else (19, 11)
        y = draw_text_block(fig, m, m, w - 2 * m, [view.title], fs=title_fs, colour=INK,
                            weight="bold", gap=1.22)
        y = draw_text_block(fig, m, y + 0.03, w - 2 * m, [view.subtitle], fs=sub_fs, colour=MUTED)
        if view.warnings:
            y = draw_text_block(fig, m, y + 0.05, w - 2 * m, list(view.warnings), fs=sub_fs - 1.5,
                                colour=WARN, weight="bold")
        header = y + 0.12
        fig.add_artist(_hline(fig, m, w - m, header - 0.06))
        foot_fs = 7.8 if slide else 7.3
        panel_w = 3.0 if slide else 2.6
        foot_lines = sum(len(wrap(line, w - 2 * m, foot_fs, fig=fig)) for line in view.footer) + 1
        footer = foot_lines * foot_fs * 1.32 / 72 + 0.14
        map_top, map_bottom = header, h - m - footer
        ax = fig.add_axes([m / w, (m + footer) / h,
                           (w - 2 * m - panel_w - 0.2) / w, (map_bottom - map_top) / h])
        ax.set_anchor("C")
        draw_map(ax, view, label_fs=8.0 if slide else 7.2, furniture_fs=8 if slide else 7.5)
        draw_legend(fig, view, w - m - panel_w, header + 0.15, panel_w, fs=9.5 if slide else 8.8)
        fig.add_artist(_hline(fig, m, w - m, map_bottom + 0.04))
        end = draw_text_block(fig, m, map_bottom + 0.12, w - 2 * m, view.footer, fs=foot_fs)
        if view.date_line:
            fig.text((w - m) / w, 1 - end / h, view.date_line, ha="right", va="top",
                     fontsize=foot_fs, color=INK)
        return save_figure(fig, fmt)


def _hline(fig, x0_in: float, x1_in: float, y_in: float):
    from matplotlib.lines import Line2D

    w, h = fig.get_size_inches()
    return Line2D([x0_in / w, x1_in / w], [1 - y_in / h] * 2, transform=fig.transFigure,
                  color=RULE, linewidth=0.6)
