"""Plain inputs of the renderers: everything already translated, formatted and coloured.

A renderer never looks anything up: a ``MapView`` carries its geometry with one fill colour per
unit, the legend rows as text, and the footer lines (source, data vintage, reliability, model,
date). ``dashboard.exports.assemble`` builds these from the model's tables; a page may build
them from what it already holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd

from dashboard.map_layer import PROGRAMME_COLOUR

__all__ = ["Overlay", "MapView", "TrendPanel", "Briefing", "TableExport"]


@dataclass(frozen=True)
class Overlay:
    """Units to mark on top of the choropleth (programme presence): a ring on each unit, drawn
    as on the screen map (``dashboard.leaflet_map.ProgrammeRings``), with the same ring in the legend."""

    label: str
    codes: frozenset
    colour: str = PROGRAMME_COLOUR


@dataclass(frozen=True)
class MapView:
    """One choropleth ready to print.

    ``units`` has columns ``code, name, fill`` (hex colour) and ``label`` (text written on the
    map, "" for none), any CRS (the renderer projects to UTM 16N). ``legend`` pairs a colour with
    its text, lowest class first; ``legend_note`` names the scheme and the number of classes.
    ``footer`` lines are printed under the map in order (source, vintage, reliability, ...);
    ``warnings`` (data too old, records collapsed: ``dashboard.captions.warnings``) on the map.
    ``breaks``: the classes' upper bounds, the same as the screen map's for the same layer.
    """

    units: gpd.GeoDataFrame
    title: str
    subtitle: str
    legend_title: str
    legend: tuple[tuple[str, str], ...]
    legend_note: str
    footer: tuple[str, ...]
    lang: str
    outlines: gpd.GeoDataFrame | None = None
    water: gpd.GeoDataFrame | None = None
    overlays: tuple[Overlay, ...] = ()
    labels_note: str = ""
    date_line: str = ""
    warnings: tuple[str, ...] = ()
    #: Upper bound of each class, lowest first (the classification the legend was drawn from).
    breaks: tuple[float, ...] = ()


@dataclass(frozen=True)
class TrendPanel:
    """A line chart over years: a national series with its 95% band, plus a few unit series."""

    title: str
    ylabel: str
    years: tuple[int, ...]
    national: tuple[float, ...]
    lower: tuple[float, ...]
    upper: tuple[float, ...]
    national_label: str
    series: tuple[tuple[str, tuple[float, ...]], ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Briefing:
    """A one-page note: title, map, top-N table, trend chart, method and sources."""

    title: str
    subtitle: str
    map: MapView
    table_title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_colours: tuple[str, ...]
    trend: TrendPanel
    method_title: str
    method_text: str
    footer: tuple[str, ...]
    date_line: str
    lang: str


@dataclass(frozen=True)
class TableExport:
    """A table as shown (translated headers, class names) and the metadata that travels with it.

    ``metadata`` rows are (field, value) pairs; ``datasets`` has one row per dataset version used
    (name, version, sha256, ...).
    """

    frame: object  # pandas.DataFrame
    metadata: tuple[tuple[str, str], ...]
    datasets: object = None  # pandas.DataFrame or None
    sheet_name: str = "data"
    metadata_sheet: str = "metadata"
    lang: str = "es"
    extra: dict = field(default_factory=dict)
