"""Page sizes, fonts and the one place where figures become bytes, identically every time.

Every export goes through ``save_figure``: it holds a lock while it applies ``RC`` (fixed font,
``svg.hashsalt``, TrueType fonts in PDF so the text can be searched and extracted) and strips
the timestamps matplotlib would otherwise write (PNG ``Software``, PDF ``CreationDate``, SVG
``Date``). Figures are made with ``matplotlib.figure.Figure`` (never ``pyplot``), so rendering
works in Streamlit's download threads and needs no display.
"""
from __future__ import annotations

import io
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dashboard.map_layer import NO_DATA_COLOUR, PALETTE

__all__ = ["DPI", "PageSize", "SIZES", "MAP_FORMATS", "RC", "PALETTE", "NO_DATA_COLOUR", "INK",
           "MUTED", "RULE", "new_figure", "rendering", "save_figure"]

#: Print resolution of PNG exports, dots per inch.
DPI = 300
#: Text colours: body text, secondary text, thin rules.
INK, MUTED, RULE = "#1a1a1a", "#555555", "#bdbdbd"
#: Warnings printed on a map (data too old, records collapsed): dark red, 8:1 on white.
WARN = "#8b1a1a"
#: Formats of a map snapshot.
MAP_FORMATS = ("png", "svg", "pdf", "html")


@dataclass(frozen=True)
class PageSize:
    """A page in pixels at ``DPI`` (so PNG sizes are exact) and, derived, in inches."""

    name: str
    width_px: int
    height_px: int

    @property
    def inches(self) -> tuple[float, float]:
        # + 0.001 px: 3507 / 300 * 300 may round to 3506.9999 and lose a pixel when truncated
        return ((self.width_px + 1e-3) / DPI, (self.height_px + 1e-3) / DPI)


#: A4 landscape (297 x 210 mm, 11.69 x 8.27 in) and a 16:9 slide (13.333 x 7.5 in).
SIZES = {
    "a4": PageSize("a4", 3507, 2481),
    "slide": PageSize("slide", 4000, 2250),
    "a4_portrait": PageSize("a4_portrait", 2481, 3507),
}

#: Fixed rcParams of every export (DejaVu Sans ships with matplotlib: same glyphs everywhere).
RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "text.color": INK,
    "axes.edgecolor": RULE,
    "axes.labelcolor": INK,
    "axes.linewidth": 0.6,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "svg.hashsalt": "riskmap-export",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "pdf.compression": 6,
    "path.simplify": True,
    "text.parse_math": False,  # a "$" in a unit or a name is text, never mathtext
    "hatch.linewidth": 0.8,
    "savefig.facecolor": "white",
    "figure.facecolor": "white",
}

_METADATA = {"png": {"Software": None},
             "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
             "svg": {"Date": None, "Creator": None}}
_LOCK = threading.RLock()


@contextmanager
def rendering():
    """Hold the export lock with ``RC`` applied (rcParams are global: one render at a time)."""
    with _LOCK, matplotlib.rc_context(RC):
        yield


def new_figure(size: PageSize) -> Figure:
    """A blank white figure of ``size`` (call inside ``rendering()``)."""
    fig = Figure(figsize=size.inches, dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def save_figure(fig: Figure, fmt: str) -> bytes:
    """``fig`` as PNG (at ``DPI``), SVG or PDF bytes, without timestamps (call inside ``rendering()``)."""
    if fmt not in _METADATA:
        raise ValueError(f"format {fmt!r}; one of {sorted(_METADATA)}")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
    return buf.getvalue()
