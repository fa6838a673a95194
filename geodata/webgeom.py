"""Light web geometry: simplify a whole coverage of units at once and write compact GeoJSON.

A choropleth of 262 districts does not need the 90,000 vertices of the source file. This
module simplifies the *shared topology* of the units (``shapely.coverage_simplify``): an edge
shared by two neighbours is simplified once, so both keep the same edge and no gap or sliver
appears between them. Coordinates are snapped to a decimal grid *before* simplifying; the
coverage simplifier only drops vertices, never moves them, so its output stays on that grid
and no rounding happens afterwards (rounding after simplifying is what creates
self-intersections).

The GeoJSON carries only ``code``, ``name`` and ``dept_name``: values, classes and colours are
joined by code per render in ``dashboard.map_layer``, so this text is built once and cached.
"""
from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["simplify_coverage", "web_geojson", "WEB_PROPERTIES", "METRES_PER_DEGREE", "MAP_BYTES",
           "TOLERANCE_STEPS_M"]

#: Feature properties written to the web GeoJSON, in this order.
WEB_PROPERTIES = ("code", "name", "dept_name")
#: Length of one degree of latitude (m); within 3% of a degree of longitude at 14 degrees N.
METRES_PER_DEGREE = 111_320.0
#: Geometry budget of the map the dashboard sends (bytes of GeoJSON text): with the tooltip
#: properties the page adds, the 262 districts stay under 300 KB.
MAP_BYTES = 240_000
#: Tolerances tried by ``web_geojson`` (m), finest first; the first that fits ``max_bytes`` wins.
TOLERANCE_STEPS_M = (100, 125, 150, 175, 200, 250, 300, 400, 500, 750, 1000)


def _check_units(units) -> gpd.GeoDataFrame:
    if not isinstance(units, gpd.GeoDataFrame):
        raise TypeError(f"'units' should be a GeoDataFrame, got {type(units).__name__}")
    if units.crs is None:
        raise ValueError("'units' has no CRS; set it, e.g. units.set_crs('EPSG:4326')")
    if not units.crs.equals("EPSG:4326"):
        units = units.to_crs("EPSG:4326")
    return units


def simplify_coverage(units: gpd.GeoDataFrame, *, tolerance_m: float = 200.0,
                      precision: int = 4) -> gpd.GeoDataFrame:
    """Simplify a coverage of polygons together, keeping shared edges identical.

    Parameters
    ----------
    units : GeoDataFrame
        Polygons that tile an area without overlaps (a valid coverage), any CRS; the
        result is in EPSG:4326.
    tolerance_m : float, default 200
        Simplification tolerance in metres (> 0), converted at ``METRES_PER_DEGREE``.
        Visvalingam-Whyatt: a vertex goes when its triangle is smaller than tolerance**2.
    precision : int, default 4
        Decimal places kept in longitude and latitude (4 -> grid of about 11 m).

    Returns
    -------
    GeoDataFrame
        A copy of ``units`` with simplified, valid geometries in EPSG:4326, same rows and
        order; neighbours share identical edges (``shapely.coverage_is_valid`` holds when
        it held for the input).

    Notes
    -----
    Snapping to the grid runs first (every vertex rounded, so a vertex shared by two
    neighbours lands on the same grid point on both sides; a polygon made invalid by the
    rounding is snapped again with ``shapely.set_precision``, with a warning); the coverage
    simplifier then only removes vertices. A polygon that is invalid after all (not
    expected for a valid input coverage) is repaired with ``make_valid`` and a warning.
    """
    units = _check_units(units)
    return _simplify_snapped(units, _snap(units, precision), tolerance_m)


def _snap(units: gpd.GeoDataFrame, precision: int) -> np.ndarray:
    geoms = np.asarray(units.geometry.values, dtype=object)
    if not shapely.coverage_is_valid(geoms):
        warnings.warn("units do not form a valid coverage (overlaps or mismatched shared "
                      "edges); simplified neighbours may show gaps", UserWarning, stacklevel=3)
    # Round every vertex: a vertex shared by two neighbours lands on the same grid point on
    # both sides. (set_precision per polygon can drop a sliver on one side only: a gap.)
    rounded = shapely.transform(geoms, lambda xy: np.round(xy, precision))
    try:
        snapped = shapely.remove_repeated_points(rounded)
    except shapely.errors.GEOSException:  # a tiny ring collapsed below 3 points on the grid
        snapped = np.array([_dedupe(g, precision) for g in rounded], dtype=object)
    bad = ~shapely.is_valid(snapped)
    if bad.any():
        warnings.warn(f"{int(bad.sum())} polygon(s) became invalid on the {precision}-decimal "
                      f"grid and were snapped with set_precision (rows: "
                      f"{np.flatnonzero(bad)[:5].tolist()})", UserWarning, stacklevel=3)
        snapped[bad] = shapely.set_precision(geoms[bad], 10.0 ** -precision)
    return snapped


def _dedupe(geom, precision: int):
    """``remove_repeated_points`` of one rounded polygon; a polygon with a ring collapsed on
    the grid is returned as is (invalid), so the caller snaps it with ``set_precision``."""
    try:
        return shapely.remove_repeated_points(geom)
    except shapely.errors.GEOSException:
        return geom


def _simplify_snapped(units: gpd.GeoDataFrame, snapped: np.ndarray,
                      tolerance_m: float) -> gpd.GeoDataFrame:
    if tolerance_m <= 0:
        raise ValueError(f"tolerance_m must be > 0 metres, got {tolerance_m!r}")
    simple = shapely.coverage_simplify(snapped, tolerance_m / METRES_PER_DEGREE)
    bad = ~shapely.is_valid(simple)
    if bad.any():
        warnings.warn(f"{int(bad.sum())} simplified polygon(s) were invalid and were repaired "
                      f"with make_valid (rows: {np.flatnonzero(bad)[:5].tolist()})", UserWarning,
                      stacklevel=3)
        simple[bad] = shapely.make_valid(simple[bad])
    out = units.copy()
    out.geometry = gpd.GeoSeries(simple, index=units.index, crs="EPSG:4326")
    return out


def _round_coords(coords, ndigits: int):
    if isinstance(coords[0], (list, tuple)):
        return [_round_coords(c, ndigits) for c in coords]
    return [round(float(c), ndigits) for c in coords]


def _feature_collection(units: gpd.GeoDataFrame, precision: int) -> str:
    features = []
    for row, geom in zip(units[list(WEB_PROPERTIES)].itertuples(index=False), units.geometry):
        gj = shapely.geometry.mapping(geom)
        features.append({
            "type": "Feature",
            "properties": {k: ("" if v is None else str(v)) for k, v in zip(WEB_PROPERTIES, row)},
            "geometry": {"type": gj["type"],
                         "coordinates": _round_coords(gj["coordinates"], precision)},
        })
    return json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))


def web_geojson(units: gpd.GeoDataFrame, *, max_bytes: int = 300_000, precision: int = 4,
                tolerances_m=TOLERANCE_STEPS_M) -> str:
    """Compact GeoJSON FeatureCollection of a units frame for the web map.

    Parameters
    ----------
    units : GeoDataFrame
        Units with at least ``code``, ``name``, ``dept_name`` and polygon geometry.
    max_bytes : int, default 300,000
        Size budget of the UTF-8 text (bytes). The finest tolerance of ``tolerances_m``
        whose output fits is used; if none fits, the coarsest one is returned.
    precision : int, default 4
        Decimal places of longitude and latitude (4 -> about 11 m).
    tolerances_m : sequence of float
        Simplification tolerances to try (m), finest first.

    Returns
    -------
    str
        ``{"type":"FeatureCollection","features":[...]}`` without spaces, EPSG:4326,
        properties ``code``, ``name``, ``dept_name`` (strings, not HTML-escaped: escape at
        display time), features in the order of ``units``.
    """
    units = _check_units(units)
    missing = [c for c in WEB_PROPERTIES if c not in units.columns]
    if missing:
        raise ValueError(f"'units' lacks column(s) {missing}; expected {list(WEB_PROPERTIES)}")
    snapped = _snap(units, precision)
    text = ""
    for tol in tolerances_m:
        text = _feature_collection(_simplify_snapped(units, snapped, tol), precision)
        if len(text.encode("utf-8")) <= max_bytes:
            break
    return text
