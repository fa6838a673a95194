"""Build the renderers' plain inputs from the model's tables, in one language.

Inputs are what a page or the command line already has: a ``ModelResult`` (composite layer),
``ModelData`` (indicator layer and trend), unit GeoDataFrames (full geometry, EPSG:4326) and an
``ExportContext`` (language, date, data version, attribution lines, dataset registry).
Everything that reaches a renderer is translated here with ``dashboard.i18n.t`` and formatted
with ``dashboard.text.format_number``.

One module per product: ``map_view`` (the composite and one-indicator maps), ``briefing_view`` (the
one-page briefing and its trend panel), ``table`` (table downloads with their metadata),
``html_view`` (the standalone HTML map); ``context`` holds the ``ExportContext`` and the pieces
they share (class colours and names, legend rows, footers).
"""
from .briefing_view import briefing, briefing_trend, context_trend, national_trend
from .context import LAYER_COMPOSITE, SUPPRESSED_COLOUR, ExportContext, class_colours, class_names, level_text
from .html_view import html_map
from .map_view import composite_view, indicator_values, indicator_view
from .table import indicator_export, score_export, table_export

__all__ = ["ExportContext", "LAYER_COMPOSITE", "SUPPRESSED_COLOUR", "class_colours", "class_names",
           "composite_view", "indicator_values", "indicator_view", "briefing", "national_trend", "context_trend",
           "briefing_trend", "html_map", "score_export", "indicator_export", "table_export", "level_text"]
