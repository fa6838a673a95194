"""Priorities: the selection rule, the shortlist store, exports and the page (AppTest)."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import priorities
from geodata.config import PROJECT_ROOT
from geodata.errors import DataError

APP = str(PROJECT_ROOT / "app.py")
TIMEOUT = 240


def _table():
    return pd.DataFrame({"code": list("abcdef"), "name": list("ABCDEF"),
                         "department": ["X", "X", "X", "Y", "Y", "Z"],
                         "score": [9, 8, 7, 6, 5, float("nan")], "rank": [1, 2, 3, 4, 5, float("nan")]})


def test_select_top_constraints():
    t = _table()
    assert priorities.select_top(t, 2).query("selected")["code"].tolist() == ["a", "b"]
    assert priorities.select_top(t, 3, per_department=1).query("selected")["code"].tolist() == ["a", "d"]
    sel = priorities.select_top(t, 3, exclude=["a", "d"], per_department=2)
    assert sel.query("selected")["code"].tolist() == ["b", "c", "e"]
    assert "a" not in sel["code"].tolist() and "f" not in sel["code"].tolist()  # excluded, no score
    everything = priorities.select_top(t, 99)
    assert everything["selected"].sum() == 5 and everything["position"].max() == 5
    with pytest.raises(ValueError):
        priorities.select_top(t, 0)


def test_programme_resolves_eight_districts_by_name(model_data):
    from geodata.build import pack_matcher
    from geodata.config import data_root
    from geodata.packs import load_pack

    codes, missing = priorities.programme_codes(pack_matcher(data_root(), load_pack("slv")))
    assert missing == [] and len(codes) == 8
    names = dict(zip(model_data.units["district"]["code"], model_data.units["district"]["name"]))
    assert {names[c] for c in codes} >= {"Jiquilisco", "Ilopango", "San Salvador", "Santa Ana"}
    depts = priorities.codes_at_level(codes, model_data.units["district"], "department")
    assert len(depts) == 6


def test_shortlists_are_never_overwritten(tmp_path):
    from geodata.store import Store

    store = Store(tmp_path / "s.sqlite")
    items = pd.DataFrame({"code": ["0614"], "name": ["San Salvador"], "note": ["=1+1 ñ"]})
    first = store.save_shortlist("slv", "Lista", items, scenario="k1", level="district", year=2023)
    second = store.save_shortlist("slv", "Lista", items.assign(note="otra"), scenario="k2",
                                  level="district", year=2023)
    listed = store.list_shortlists("slv")
    assert first != second and listed["name"].tolist() == ["Lista", "Lista"] and listed["n"].tolist() == [1, 1]
    meta, back = store.load_shortlist(first)
    assert meta["scenario"] == "k1" and back["note"].tolist() == ["=1+1 ñ"]
    with pytest.raises(KeyError):
        store.load_shortlist(999)
    for empty in (items.iloc[:0], items.assign(code=[None]), pd.DataFrame({"code": ["0614", " "], "note": ["", ""]})):
        with pytest.raises(DataError, match="code"):  # an empty row (the old editor's "+") is never saved
            store.save_shortlist("slv", "Vacía", empty, scenario="k1", level="district", year=2023)
    assert len(store.list_shortlists("slv")) == 2


def test_exports_neutralise_formulas():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"name": ["=HYPERLINK(\"x\")", "Ilopango"], "score": [7.5, 6.0],
                          "note": ["@SUM(A1)", "ok"]})
    cols = {"name": "Territorio", "score": "Puntaje", "note": "Nota"}
    csv = priorities.export_bytes(frame, "csv", columns=cols, footer="-scenario", lang="es").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "'@SUM" in csv and "'-scenario" in csv
    assert csv.splitlines()[0] == "Territorio;Puntaje;Nota" and ";7,5;" in csv  # Spanish format
    wb = load_workbook(io.BytesIO(priorities.export_bytes(frame, "xlsx", columns=cols, footer="k", lang="es")))
    values = [c.value for row in wb.active.iter_rows() for c in row]
    assert "'=HYPERLINK(\"x\")" in values and 7.5 in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


@pytest.fixture()
def app(built_store, monkeypatch):
    monkeypatch.setenv("RISKMAP_STORE", str(built_store.path))
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _priorities(at):
    at.run()
    at.switch_page("pages/priorities.py").run()
    assert not at.exception, at.exception
    return at


def _submit(at, **weights):
    for key, value in weights.items():
        at.slider(key=key).set_value(value)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def _param(at, key) -> str:
    value = at.query_params[key]
    return value[0] if isinstance(value, list) else value


def _ranked(at) -> pd.DataFrame:
    return at.dataframe[0].value


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("level", ["district", "municipio_2024", "department"])
def test_priorities_languages_and_levels(app, lang, level):
    app.query_params["lang"] = lang
    app.query_params["level"] = level
    at = _priorities(app)
    assert at.title[0].value == ("Prioridades" if lang == "es" else "Priorities")
    view = _ranked(at)
    assert view["selected"].sum() == 10 and view["rank"].is_monotonic_increasing
    assert at.data_editor  # the shortlist
    at.radio(key="aggregation").set_value("arithmetic")
    at.button[0].click().run()
    assert not at.exception, at.exception


def test_priorities_extreme_weights_and_n(app):
    at = _priorities(app)
    _submit(at, w_violence=5.0, w_extortion=0.0, w_displacement=0.0, w_vulnerability=0.0)
    assert not at.warning and _ranked(at)["selected"].sum() == 10
    assert _param(at, "scenario").endswith("w=violence:5")
    _submit(at, w_violence=0.0)
    assert at.warning and "0" in at.warning[0].value and not at.dataframe
    _submit(at, w_violence=1.0)
    at.number_input(key="top_n").set_value(1)
    at.button[0].click().run()
    assert _ranked(at)["selected"].sum() == 1
    at.sidebar.selectbox(key="level").set_value("department").run()
    at.number_input(key="top_n").set_value(500)
    at.button[0].click().run()
    assert not at.exception
    assert _ranked(at)["selected"].sum() == 14 and "500" in at.info[0].value


def test_priorities_constraints(app):
    at = _priorities(app)
    at.toggle(key="pri_exclude").set_value(True).run()
    at.number_input(key="pri_per_department").set_value(2).run()
    assert not at.exception, at.exception
    view = _ranked(at)
    chosen = view[view["selected"]]
    assert len(chosen) == 10 and chosen["department"].value_counts().max() <= 2
    assert not set(view["code"]) & set(at.session_state["programme_units"])


def test_url_round_trip_reproduces_the_ranked_table(app, built_store, monkeypatch):
    at = _priorities(app)
    at.sidebar.selectbox(key="lang").set_value("en").run()
    at.sidebar.selectbox(key="level").set_value("municipio_2024").run()
    at.radio(key="aggregation").set_value("arithmetic")
    at.number_input(key="top_n").set_value(7)
    _submit(at, w_violence=3.0, w_extortion=0.5, w_displacement=2.0, w_vulnerability=1.0)
    params = {k: _param(at, k) for k in ("scenario", "lang", "year", "level")}
    assert params["lang"] == "en" and params["level"] == "municipio_2024"
    assert "agg=arithmetic" in params["scenario"] and "top=7" in params["scenario"]
    table = _ranked(at)

    fresh = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        fresh.query_params[key] = value
    fresh = _priorities(fresh)
    assert fresh.title[0].value == "Priorities"
    pd.testing.assert_frame_equal(_ranked(fresh).reset_index(drop=True), table.reset_index(drop=True))
