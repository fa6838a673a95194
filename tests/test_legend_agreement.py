"""The screen map and the printed map of one layer have the same classes: same breaks, and each
unit in the same class colour, for every scheme x layer kind x level (real El Salvador store).

The wrong map this guards against: ``acled_events`` on the fixed scheme had breaks 20..100 on
screen and the composite's 2..10 in the PNG, which put most districts in "very high".
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from dashboard import map_layer
from dashboard.exports import assemble
from dashboard.exports.style import NO_DATA_COLOUR
from geodata.names import SCHEMES

YEAR = 2023
LEVELS = ("district", "municipio_2024", "department")
#: One indicator per kind: a count (rate per 100,000), a survey share, a published census value.
INDICATORS = ("acled_events", "lapop_extortion_victim", "census2007_illiteracy")


@pytest.fixture(scope="module")
def setup(built_store, data_root, model_data):
    from geodata.boundaries import read_units
    from geodata.packs import load_pack
    from geodata.webgeom import MAP_BYTES, web_geojson

    pack = load_pack("slv")
    units = {lvl: read_units(data_root, pack, lvl) for lvl in LEVELS}
    ctx = assemble.ExportContext(country="slv", country_name="El Salvador", lang="en", date=dt.date(2025, 1, 15),
                                 data_version="test")
    return {"units": units, "geojson": {lvl: web_geojson(units[lvl], max_bytes=MAP_BYTES) for lvl in LEVELS},
            "ctx": ctx, "data": model_data}


def _agree(screen, view):
    assert view.breaks == pytest.approx(screen.bins)
    shown = {str(c): f for c, f in zip(view.units["code"], view.units["fill"])}
    classed = {c: s["fillColor"] for c, s in screen.styles.items() if s["fillColor"] != NO_DATA_COLOUR}
    assert classed, "no unit classed on screen"
    assert {c: shown[c] for c in classed} == classed


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("indicator", INDICATORS)
def test_indicator_screen_legend_equals_export_legend(setup, indicator, scheme, level):
    data, ctx = setup["data"], setup["ctx"]
    frame, info = map_layer.indicator_frame(data, indicator, year=YEAR, window=3, level=level, scheme=scheme)
    screen = map_layer.risk_layer(setup["geojson"][level], frame, lang="en", scheme=scheme, palette="ylorrd",
                                  unit="u", years_txt="y", composite=False)
    view = assemble.indicator_view(data, indicator, setup["units"][level], ctx, year=YEAR, level=level,
                                   window=3, scheme=scheme)
    _agree(screen, view)
    if scheme == "fixed":  # the fixed breaks of an indicator span its values (not the score's 2..10)
        assert screen.bins[-1] >= np.nanmax(frame["value"]) and screen.bins[0] > 0


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("scheme", SCHEMES)
def test_composite_screen_legend_equals_export_legend(setup, scheme, level):
    from risk_model.pipeline import run_model
    from risk_model.spec import load_spec

    spec = load_spec("slv_default").with_scenario(scheme=scheme)
    result = run_model(setup["data"], spec, YEAR, level=level, draws=0)
    screen = map_layer.risk_layer(setup["geojson"][level], map_layer.composite_frame(result), lang="en",
                                  scheme=scheme, palette="ylorrd", unit="score", years_txt="y", composite=True)
    view = assemble.composite_view(result, setup["units"][level], setup["ctx"])
    _agree(screen, view)
