"""Escaping, number formats, formula neutralisation and the two translation files."""
from __future__ import annotations

import doctest
import json
import math

import pandas as pd
import pytest

import dashboard.i18n as i18n
import dashboard.maps as maps
import dashboard.text as text
from dashboard.i18n import LANGS, messages, placeholders, t, t_error
from dashboard.text import escape, format_number, neutralise_formula
from geodata.catalogue import Indicator
from geodata.errors import DataError

EVIL = "<img src=x onerror=alert(1)>"


def test_escape_neutralises_markup():
    out = escape(EVIL)
    assert "<" not in out and ">" not in out
    assert out == "&lt;img src=x onerror=alert(1)&gt;"
    assert escape('a "b" & \'c\'') == "a &quot;b&quot; &amp; &#x27;c&#x27;"
    assert escape(None) == "" and escape("Cabañas") == "Cabañas"
    assert text.escape_all({"name": EVIL, "n": 3}) == {"name": escape(EVIL), "n": 3}


@pytest.mark.parametrize("x, decimals, es, en", [
    (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
    (1234.5, 1, "1.234,5", "1,234.5"),
    (0.05, 1, "0,1", "0.1"),
    (-2500, 0, "-2.500", "-2,500"),
    (-0.01, 1, "0,0", "0.0"),
    (999.0, 0, "999", "999"),
])
def test_number_formats(x, decimals, es, en):
    assert format_number(x, "es", decimals) == es
    assert format_number(x, "en", decimals) == en


def test_missing_numbers_and_intervals():
    assert format_number(math.nan, "es") == format_number(None, "en") == "–"
    assert text.format_interval(1.25, 3000, "es") == "1,2 – 3.000,0"
    assert text.format_interval(math.nan, 3, "en") == "–"


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "=HYPERLINK(\"x\")"])
def test_formula_cells_are_neutralised(cell):
    assert neutralise_formula(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["San Salvador", "", 5, -3.5, None, "a=b"])
def test_other_cells_pass_unchanged(cell):
    assert neutralise_formula(cell) == cell


def test_translation_files_have_same_keys_and_placeholders():
    es, en = messages("es"), messages("en")
    assert set(es) == set(en), {"only es": set(es) - set(en), "only en": set(en) - set(es)}
    differ = {k: (es[k], en[k]) for k in es if placeholders(es[k]) != placeholders(en[k])}
    assert not differ, differ
    assert all(v.strip() for v in list(es.values()) + list(en.values())), "empty message"


def test_t_fills_placeholders_and_falls_back_to_spanish():
    assert t("map.shown_year", "en", wanted=2024, shown=2023).startswith("No data for 2024")
    assert t("app.title", "xx") == t("app.title", "es") == "Mapa de riesgo municipal"
    assert i18n.normalise_lang("EN-gb") == "en"
    with pytest.raises(KeyError):
        t("no.such.key", "es")


def test_t_error_translates_known_keys_and_keeps_english_otherwise():
    err = DataError("some.unknown_key", "row {row}: bad", row=3)
    assert t_error(err, "es") == "row 3: bad"


def test_scheme_names_are_translated():
    for lang in LANGS:
        for s in maps.SCHEMES:
            assert t(f"scheme.{s}", lang)


def test_doctests_of_text_i18n_and_maps():
    for module in (text, i18n, maps):
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__


def _indicator(**kw):
    base = dict(id="x_events", dataset="d", label_es="Eventos", label_en="Events",
                level="district", kind="count", denominator="population", per=100000,
                unit_es="eventos por 100.000 habitantes", unit_en="events per 100,000 population",
                direction=1, dimension="violence")
    return Indicator(**{**base, **kw})


def _fc(names):
    feats = [{"type": "Feature", "properties": {"code": f"{i:04d}", "name": n, "dept_name": EVIL},
              "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}
             for i, n in enumerate(names)]
    return json.dumps({"type": "FeatureCollection", "features": feats})


def test_choropleth_layer_escapes_every_text_property_and_greys_missing_units():
    obs = pd.DataFrame({"unit": ["0000", "0001", "0002"], "level": "district", "year": 2020,
                        "indicator": "x_events", "value": [1.0, 5.0, 20.0],
                        "denominator": [10000.0, 10000.0, 10000.0], "dataset": "d"})
    values = maps.indicator_values(obs, _indicator(), 2020)
    assert values["value"].tolist() == [10.0, 50.0, 200.0]  # per 100,000
    layer = maps.choropleth_layer(_fc([EVIL, "Ahuachapán", "San Miguel", "Sin datos"]), values,
                                  _indicator(), year=2020, lang="es")
    props = [f["properties"] for f in layer.geojson["features"]]
    for p in props:
        for key in ("name", "dept_name", "value_txt", "interval_txt", "year_txt"):
            assert "<" not in p[key], (key, p[key])
    assert props[0]["name"] == escape(EVIL)
    assert props[1]["value_txt"] == "50,0 eventos por 100.000 habitantes"
    assert props[3]["fill"] == maps.NO_DATA_COLOUR and props[3]["value_txt"] == "Sin datos"
    assert layer.present == 3 and layer.total == 4
    assert layer.legend[-1] == (maps.NO_DATA_COLOUR, "Sin datos")
    html = maps.folium_map(layer, lang="es").get_root().render()
    assert EVIL not in html and "cdn" not in html.lower()
    assert "/app/static/vendor/leaflet/leaflet.js" in html


def test_offline_map_lists_only_local_leaflet():
    m = maps.OfflineMap(base_path="riskmap/")
    assert m.default_js == [("leaflet", "/riskmap/app/static/vendor/leaflet/leaflet.js")]
    assert m.default_css == [("leaflet_css", "/riskmap/app/static/vendor/leaflet/leaflet.css")]


def test_legend_names_a_single_value_class_once():
    obs = pd.DataFrame({"unit": ["0000", "0001", "0002", "0003"], "level": "district",
                        "year": 2020, "indicator": "x_events", "value": [0.0, 0.0, 0.0, 9.0],
                        "denominator": 10000.0, "dataset": "d"})
    values = maps.indicator_values(obs, _indicator(), 2020)
    layer = maps.choropleth_layer(_fc(["a", "b", "c", "d"]), values, _indicator(), year=2020,
                                  lang="en")
    labels = [label for _, label in layer.legend]
    assert labels[0] == "0.0" and labels[-1] == "0.0 – 90.0"
