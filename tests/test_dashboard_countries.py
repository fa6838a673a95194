"""The country selector (El Salvador, Guatemala, Honduras) and the regional view, through
streamlit AppTest over a store built from the real files of all three packs."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import leaflet_map, map_layer, region, shortlist
from geodata.build import web_geojson_for
from geodata.config import PROJECT_ROOT
from geodata.packs import load_pack

APP = str(PROJECT_ROOT / "app.py")
TIMEOUT = 300


@pytest.fixture()
def app(region_store, monkeypatch):
    monkeypatch.setenv("RISKMAP_STORE", str(region_store.path))
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _texts(at) -> str:
    return "\n".join(str(e.value) for kind in (at.title, at.caption, at.info, at.warning, at.markdown)
                     for e in kind)


# -- the country selector --------------------------------------------------------------------

def on_page(app, country: str, page: str, *, lang: str | None = None):
    """``app`` opened for ``country`` (and ``lang``), then switched to ``pages/<page>.py``
    (the map is the first page); fails on any exception."""
    app.query_params["country"] = country
    if lang:
        app.query_params["lang"] = lang
    at = app.run()
    if page != "map":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at

def test_selector_offers_three_countries_with_their_own_levels(app):
    app.query_params["lang"] = "en"
    at = app.run()
    assert not at.exception, at.exception
    country = at.sidebar.selectbox(key="country")
    assert country.options == ["El Salvador", "Guatemala", "Honduras", "Mexico"]
    country.set_value("gtm").run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="level").options == ["340 municipios", "22 departments"]
    assert at.sidebar.selectbox(key="year").value == 2022  # the Guatemala pack's default year
    assert "Guatemala" in _texts(at) and at.query_params["country"] in ("gtm", ["gtm"])
    at.sidebar.selectbox(key="level").set_value("department").run()
    assert not at.exception, at.exception
    assert "22 departments" in _texts(at)


def unit_names(md) -> set[str]:
    """Every unit name of a country's ``ModelData`` (all levels), folded as the search compares."""
    return {shortlist.fold(n) for units in md.units.values() for n in units["name"]}


def search_example_shown(at, lang: str, key: str = "map_find") -> str:
    """The example in a search box's placeholder ("… p. ej. X" / "… e.g. X"): the Map page's
    (``map_find``) or the shortlist editor's (``sl_search``)."""
    text = at.text_input(key=key).placeholder
    prefix = {"es": "p. ej. ", "en": "e.g. "}[lang]
    assert prefix in text, text
    return text.split(prefix, 1)[1]


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("country", ["slv", "gtm", "hnd"])
def test_search_example_names_a_unit_of_the_country_shown(app, model_data, country_model_data,
                                                         mex_model_data, country, lang):
    """The placeholder's example is a unit of the country at the level shown, and at the
    default level the name of no unit of another country (El Salvador's example was shown
    for every country)."""
    mds = {"slv": model_data, **country_model_data, "mex": mex_model_data}
    at = on_page(app, country, "map", lang=lang)
    level = at.sidebar.selectbox(key="level").value
    example = search_example_shown(at, lang)
    assert example in {shortlist.fold(n) for n in mds[country].units[level]["name"]}, (level, example)
    assert not [c for c, md in mds.items() if c != country and example in unit_names(md)], example
    at.sidebar.selectbox(key="level").set_value("department").run()
    assert not at.exception, at.exception
    example = search_example_shown(at, lang)
    assert example in {shortlist.fold(n) for n in mds[country].units["department"]["name"]}, example


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("country", ["gtm", "hnd"])
def test_shortlist_search_example_names_a_unit_of_the_country_shown(app, model_data, country_model_data,
                                                                   mex_model_data, country, lang):
    """The shortlist editor's search box gives an example of the country shown too (it named
    El Salvador's Jiquilisco, Unión and Tacachico for every country)."""
    mds = {"slv": model_data, **country_model_data, "mex": mex_model_data}
    at = on_page(app, country, "priorities", lang=lang)
    level = at.sidebar.selectbox(key="level").value
    example = search_example_shown(at, lang, key="sl_search")
    assert example in {shortlist.fold(n) for n in mds[country].units[level]["name"]}, (level, example)
    assert not [c for c, md in mds.items() if c != country and example in unit_names(md)], example


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("country", ["slv", "hnd"])
def test_sidebar_country_line_claims_no_dimension(app, country, lang):
    """The sidebar's line under the scenario names the country but no dimension: El Salvador's
    districts score no extortion, and the map's title names the dimensions a score has."""
    from dashboard import data
    from dashboard.i18n import t
    from geodata.names import DIMENSIONS

    at = on_page(app, country, "map", lang=lang)
    name = data.country_name(country, lang)
    lines = [str(c.value) for c in at.sidebar.caption if name in str(c.value)]
    assert lines == [t("app.caption", lang, country=name)]
    words = {t(f"{group}.dim_{d}", lang).lower() for d in DIMENSIONS for group in ("export", "priorities")}
    assert not [w for w in words if w in lines[0].lower()], lines[0]


def test_honduras_from_the_url_says_its_geometry_is_coarse(app):
    app.query_params["country"] = "hnd"
    at = app.run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="country").value == "hnd"
    assert at.sidebar.selectbox(key="level").options == ["298 municipios", "18 departamentos"]
    assert "Geometría aproximada" in _texts(at)


def test_switching_country_resets_the_scenario_to_that_country(app):
    at = app.run()
    at.switch_page("pages/priorities.py").run()
    at.slider(key="w_extortion").set_value(4.0)
    at.button[0].click().run()
    assert at.session_state["w_extortion"] == 4.0
    at.sidebar.selectbox(key="country").set_value("gtm").run()
    assert not at.exception, at.exception
    # Guatemala has no extortion indicator: the slider is off and at 0, and a help says why
    extortion = at.slider(key="w_extortion")
    assert extortion.disabled and extortion.value == 0.0
    assert "Guatemala" in extortion.help
    view = at.dataframe[0].value
    assert len(view) == 340 and view["code"].str.startswith("GT").all()
    assert view["selected"].sum() == 10
    assert at.session_state["programme_units"] == []  # El Salvador's programme stays there


def test_trends_say_single_year_data_has_no_trend(app):
    at = on_page(app, "hnd", "trends", lang="en")
    box = at.selectbox(key="trends_indicator")
    assert len(box.options) == 3  # homicides 2014; the EMR 2023 violence and threats shares
    for i in range(len(box.options)):
        at.selectbox(key="trends_indicator").select_index(i).run()
        assert not at.exception, at.exception
        assert any("single year of data" in x.value for x in at.info), [x.value for x in at.info]
        assert len(at.get("plotly_chart")) == 1  # only the national UNODC context, no flat line


@pytest.mark.parametrize("country", ["gtm", "hnd"])
@pytest.mark.parametrize("page", ["map", "profile", "compare", "data"])
def test_every_page_runs_for_guatemala_and_honduras(app, country, page):
    at = on_page(app, country, page)
    assert not at.error, [e.value for e in at.error]


# -- the regional view -----------------------------------------------------------------------
def test_region_page_says_scores_are_within_each_country(app):
    app.query_params["lang"] = "en"
    at = app.run()
    at.switch_page("pages/region.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Northern Triangle: regional view"
    assert any("normalised within each country" in i.value for i in at.info)
    assert "Units with a value: 900 of 900." in _texts(at)
    tops = [d.value for d in at.dataframe]
    assert len(tops) == 3 and all(len(t) == 10 for t in tops)


def test_region_pooled_scale_only_where_homicide_rates_exist(app):
    app.query_params["lang"] = "en"
    at = app.run()
    at.switch_page("pages/region.py").run()
    at.radio(key="region_mode").set_value("homicide_rate").run()
    assert not at.exception, at.exception
    warning = at.warning[0].value
    assert "No such data in: El Salvador, Guatemala" in warning
    assert "Units with a value: 298 of 900." in _texts(at)
    assert "Honduras 2014" in _texts(at)  # the homicide data's year, not the scoring year
    tops = [d.value for d in at.dataframe]
    assert len(tops) == 1 and len(tops[0]) == 10  # Honduras only; the others say "no values"


def test_region_click_opens_the_profile_in_that_country(app):
    at = app.run()
    assert at.sidebar.selectbox(key="country").value == "slv"
    at.session_state["_pending_profile"] = ("hnd", "0501", "municipio")  # what a map click leaves
    at.switch_page("pages/profile.py").run()
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="country").value == "hnd"
    assert at.selectbox(key="profile_unit").value == "0501"
    assert "San Pedro Sula" in at.subheader[0].value


def test_regional_map_geojson_stays_under_one_megabyte(region_store):
    texts = {c: web_geojson_for(region_store, c, load_pack(c).finest) for c in ("slv", "gtm", "hnd")}
    combined = region.combine_geojson(texts, {"slv": "El Salvador", "gtm": "Guatemala", "hnd": "Honduras"})
    fc = json.loads(combined)
    codes = [f["properties"]["code"] for f in fc["features"]]
    assert len(codes) == 262 + 340 + 298 == len(set(codes))
    assert {"SLV-0101", "HND-0101"} <= set(codes)  # same INE-style code, two countries
    frame = pd.DataFrame({"code": codes, "value": np.linspace(0, 10, len(codes)), "class_code": "",
                          "rank": 1.0, "rank_p05": np.nan, "rank_p95": np.nan, "p_top": np.nan,
                          "reliability": 8.0})
    layer = map_layer.risk_layer(combined, frame, lang="en", scheme="fixed", palette="ylorrd", unit="score",
                            years_txt="", composite=True)
    sent = leaflet_map.geojson_bytes(leaflet_map.risk_map(layer, legend_position="topright"))
    assert 400_000 < sent <= 1_000_000, sent


# -- dashboard.region, on a small fixture frame ------------------------------------------------
FIXTURE_REGIONAL = pd.DataFrame({
    "country": ["slv", "slv", "slv", "hnd"], "code": ["01", "02", "03", "01"],
    "name": ["A", "B", "C", "D"], "department": ["X", "X", "Y", "Z"],
    "score": [2.0, 9.5, 9.5, 4.0], "rank": [3.0, 1.0, 2.0, 1.0], "reliability": [6.0, 7.0, 3.0, 9.0],
    "homicide_rate_score_pooled": [np.nan, np.nan, np.nan, 7.25]})


def test_top_by_country_orders_by_value_then_code():
    top = region.top_by_country(FIXTURE_REGIONAL, "slv", 2, "within_country", "en")
    assert top.values.tolist() == [[1, "B", "X", "9.50", "7.0"], [2, "C", "Y", "9.50", "3.0"]]
    assert region.top_by_country(FIXTURE_REGIONAL, "slv", 5, "homicide_rate", "en").empty
    assert region.top_by_country(FIXTURE_REGIONAL, "hnd", 5, "homicide_rate", "es").values.tolist() == \
        [[1, "D", "Z", "7,25", "9,0"]]


def test_map_frame_prefixes_codes_and_maps_the_mode():
    frame = region.map_frame(FIXTURE_REGIONAL, "homicide_rate")
    assert frame["code"].tolist() == ["SLV-01", "SLV-02", "SLV-03", "HND-01"]
    assert np.isnan(frame["value"][:3]).all() and frame["value"].iloc[3] == 7.25
    with pytest.raises(ValueError, match="unknown regional mode 'pooled'"):
        region.map_frame(FIXTURE_REGIONAL, "pooled")


def test_export_frame_leads_with_the_regional_code():
    out = region.export_frame(FIXTURE_REGIONAL)
    assert out.columns[0] == "regional_code" and out["country"].tolist() == ["SLV"] * 3 + ["HND"]


def test_briefing_trend_falls_back_to_the_national_homicide_rate(region_store, data_root):
    """Honduras's municipal data are single-year: the briefing draws UNODC's national series."""
    import datetime as dt

    from dashboard.exports.assemble import ExportContext, briefing_trend
    from geodata.country_data import load_tables
    from risk_model.pipeline import model_data, run_model
    from risk_model.spec import load_spec

    md = model_data(load_tables("hnd", store=region_store, root=data_root))
    result = run_model(md, load_spec("hnd_default"), 2023, level="municipio", draws=0)
    ctx = ExportContext(country="hnd", country_name="Honduras", lang="en", date=dt.date(2026, 1, 1),
                        data_version="v")
    panel = briefing_trend(md, result, ctx)
    assert panel.years[0] == 1990 and panel.years[-1] == 2018 and len(panel.years) == len(panel.national)
    assert panel.series == () and panel.lower == panel.national
    assert "single year" in panel.note and "1990–2018" in panel.note
    assert 0 < min(panel.national) and max(panel.national) < 120  # per 100,000; Honduras peaked near 85
