"""Static exports: print-quality maps, a one-page briefing, standalone HTML and tables.

Renderers take plain inputs (``views``) and return bytes; ``assemble`` builds those inputs from
the model's tables; ``buttons`` (the only Streamlit module here) offers them on the pages; the
command line is ``python -m dashboard export ...``.
"""
from .assemble import ExportContext, briefing, composite_view, indicator_view, score_export, indicator_export
from .mapimage import render_map
from .style import DPI, MAP_FORMATS, SIZES
from .views import Briefing, MapView, Overlay, TableExport, TrendPanel

__all__ = ["ExportContext", "briefing", "composite_view", "indicator_view", "score_export",
           "indicator_export", "render_map", "DPI", "MAP_FORMATS", "SIZES", "Briefing", "MapView",
           "Overlay", "TableExport", "TrendPanel"]
