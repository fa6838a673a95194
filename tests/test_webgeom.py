"""Web geometry on the real El Salvador boundaries: small, valid, and without gaps or overlaps."""
from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geodata import webgeom
from geodata.boundaries import read_units
from geodata.config import data_root
from geodata.packs import load_pack

LEVELS = {"district": 262, "municipio_2024": 44, "department": 14}
METRIC = "EPSG:32616"  # UTM 16N covers El Salvador


@pytest.fixture(scope="module", params=list(LEVELS))
def level_pair(request):
    """(level, original units, GeoDataFrame parsed back from the web GeoJSON text)."""
    units = read_units(data_root(), load_pack("slv"), request.param)
    text = webgeom.web_geojson(units)
    web = gpd.GeoDataFrame.from_features(json.loads(text)["features"], crs="EPSG:4326")
    return request.param, units, web, text


def _pairs(geoms, predicate):
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate=predicate)
    keep = left < right
    return set(zip(left[keep].tolist(), right[keep].tolist()))


def test_size_within_budget(level_pair):
    level, units, web, text = level_pair
    assert len(web) == LEVELS[level]
    assert len(text.encode("utf-8")) <= 300_000


def test_properties_and_order(level_pair):
    level, units, web, text = level_pair
    feats = json.loads(text)["features"]
    assert all(list(f["properties"]) == ["code", "name", "dept_name"] for f in feats)
    assert [f["properties"]["code"] for f in feats] == units["code"].tolist()


def test_all_geometries_valid_and_coverage_valid(level_pair):
    _, _, web, _ = level_pair
    geoms = web.geometry.values
    assert shapely.is_valid(geoms).all(), shapely.is_valid_reason(geoms[~shapely.is_valid(geoms)])
    assert not shapely.is_empty(geoms).any()
    assert shapely.coverage_is_valid(geoms)


def test_coordinates_on_grid(level_pair):
    _, _, web, _ = level_pair
    xy = shapely.get_coordinates(web.geometry.values) * 1e4
    assert np.abs(xy - np.round(xy)).max() < 1e-6


def test_neighbours_still_touch(level_pair):
    _, units, web, _ = level_pair
    before = _pairs(units.geometry.values, "intersects")
    after = _pairs(web.geometry.values, "intersects")
    lost = before - after
    assert not lost, f"{len(lost)} neighbour pairs no longer touch, e.g. {sorted(lost)[:5]}"


def test_no_overlaps(level_pair):
    _, _, web, _ = level_pair
    metric = web.to_crs(METRIC).geometry.values
    pairs = np.array(sorted(_pairs(web.geometry.values, "intersects")))
    overlap = shapely.area(shapely.intersection(metric[pairs[:, 0]], metric[pairs[:, 1]])).sum()
    assert overlap < 1.0  # square metres, summed over every neighbour pair


def test_union_area_and_no_gaps(level_pair):
    _, units, web, _ = level_pair
    orig = shapely.coverage_union_all(units.to_crs(METRIC).geometry.values)
    simp = shapely.coverage_union_all(web.to_crs(METRIC).geometry.values)
    assert abs(simp.area / orig.area - 1) < 0.005

    def holes(g):
        return sum(len(p.interiors) for p in getattr(g, "geoms", [g]))

    assert holes(simp) <= holes(orig)  # no slivers opened between neighbours


def test_simplify_coverage_keeps_rows_and_validates_arguments():
    units = read_units(data_root(), load_pack("slv"), "department")
    out = webgeom.simplify_coverage(units, tolerance_m=500)
    assert out["code"].tolist() == units["code"].tolist()
    assert shapely.get_num_coordinates(out.geometry.values).sum() < \
        shapely.get_num_coordinates(units.geometry.values).sum() / 5
    with pytest.raises(ValueError, match="tolerance_m must be > 0"):
        webgeom.simplify_coverage(units, tolerance_m=0)
    with pytest.raises(TypeError, match="should be a GeoDataFrame"):
        webgeom.web_geojson(units.drop(columns="geometry"))
    with pytest.raises(ValueError, match="lacks column"):
        webgeom.web_geojson(units.drop(columns=["dept_name"]))
