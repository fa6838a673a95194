"""Escaping, number formats, formula neutralisation and the two translation files."""
from __future__ import annotations

import doctest
import math

import pytest

import dashboard.i18n as i18n
import dashboard.leaflet_map as leaflet_map
import dashboard.map_layer as map_layer
import dashboard.text as text
from dashboard.i18n import LANGS, messages, placeholders, t, t_error
from dashboard.text import escape, format_number, neutralise_formula
from geodata.errors import DataError
from geodata.names import SCHEMES

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
        for s in SCHEMES:
            assert t(f"scheme.{s}", lang)


def test_doctests_of_text_i18n_and_maps():
    for module in (text, i18n, map_layer, leaflet_map):
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__


def test_offline_map_lists_only_local_leaflet():
    m = leaflet_map.OfflineMap(base_path="riskmap/")
    assert m.default_js == [("leaflet", "/riskmap/app/static/vendor/leaflet/leaflet.js")]
    assert m.default_css == [("leaflet_css", "/riskmap/app/static/vendor/leaflet/leaflet.css")]
