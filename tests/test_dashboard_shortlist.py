"""The shortlist editor: search, pins, order, notes, no empty rows; saved lists with author and
scenario in words, reopened by link; CSV/XLSX/PDF exports; the programme view (AppTest)."""
from __future__ import annotations

import datetime as dt
import io
import shutil

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import shortlist
from geodata.config import PROJECT_ROOT
from geodata.usertext import NOTE_MAX

APP = str(PROJECT_ROOT / "app.py")
TIMEOUT = 240
#: Synthetic ranking (named fixture, not real data).
FIXTURE_TABLE = pd.DataFrame({
    "code": list("abcdef"), "name": ["Ána", "Bé", "Cé", "Dé", "É", "Efe"], "department": list("XXYYZZ"),
    "score": [9.0, 8.0, 7.0, 6.0, 5.0, 4.0], "rank": [1.0, 2, 3, 4, 5, 6],
    "rank_p05": [1.0, 1, 2, 3, 4, 5], "rank_p95": [2.0, 3, 5, 6, 6, 6],
    "p_top": [0.97, 0.8, 0.4, 0.2, 0.05, 0.0]})
FIXTURE_PARTS = pd.DataFrame({"code": list("abcdef"), "contrib_violence": [4.5, 4, 3, 3, 2, 2],
                              "contrib_vulnerability": [4.5, 4, 4, 3, 3, 2]})


def test_search_is_accent_and_case_insensitive():
    labels = {"1": "La Unión (La Unión)", "2": "Nueva Concepción (Chalatenango)", "3": "Concepción Batres"}
    assert shortlist.search_units(labels, "UNION") == ["1"]
    assert shortlist.search_units(labels, "concepcion") == ["3", "2"]  # name start before word start
    assert shortlist.search_units(labels, "  ") == [] and shortlist.search_units(labels, "zzz") == []


def test_search_example_is_the_most_populous_unit_in_the_latest_year():
    """Planted: unit 2 is the largest in 2010 but not in 2020 (the latest year); unit 1 is the
    largest in 2020 but shares its department's name, so it is passed over below the department
    level; unit 4 ties with unit 3 and loses on code. Null case: no population, first by code."""
    units = pd.DataFrame({"code": ["4", "1", "2", "3"], "name": ["Cuatro", "Norte", "Ciudad Sur", "Estación"],
                          "dept_name": ["Sur", "Norte", "Sur", "Sur"]})
    pop = pd.DataFrame({"unit": ["1", "2", "3", "4", "2", "9"], "level": "municipio",
                        "year": [2020, 2020, 2020, 2020, 2010, 2020],
                        "population": [900.0, 500.0, 800.0, 800.0, 5000.0, 10.0]})
    assert shortlist.search_example(units, pop, "municipio") == "estacion"  # folded, as typed
    assert shortlist.search_example(units, pop.assign(level="department"), "department") == "norte"
    assert shortlist.search_example(units, pop.iloc[:0], "municipio") == "ciudad sur"  # first code not a dept name
    assert shortlist.search_example(units, pop.assign(level="district"), "municipio") == "ciudad sur"


def test_pinned_units_stay_whatever_the_ranking():
    items = shortlist.compose([], ["a", "b", "c"])
    items, new = shortlist.add(items, "f")
    assert new and [i["code"] for i in items] == ["a", "b", "c", "f"]
    # the weights change: the top 3 is now d, e, a; pinned f stays, unpinned b and c go
    after = shortlist.compose(items, ["d", "e", "a"])
    assert [i["code"] for i in after] == ["a", "f", "d", "e"]
    assert [i["pinned"] for i in after] == [False, True, False, False]


def test_removed_units_do_not_come_back_and_adding_pins_an_existing_one():
    items = shortlist.compose([], ["a", "b"])
    items, removed = shortlist.apply_edits(items, {0: {"remove": True}, 1: {"note": " x "}})
    assert removed == ["a"] and items == [{"code": "b", "pinned": False, "note": "x"}]
    assert [i["code"] for i in shortlist.compose(items, ["a", "b", "c"], removed)] == ["b", "c"]
    again, new = shortlist.add(items, "b")
    assert not new and again[0]["pinned"]


def test_reorder_moves_a_row_to_the_position_typed():
    items = [{"code": c, "pinned": False, "note": ""} for c in "abcd"]
    moved, _ = shortlist.apply_edits(items, {3: {"position": 1}})
    assert [i["code"] for i in moved] == ["d", "a", "b", "c"]
    moved, _ = shortlist.apply_edits(items, {0: {"position": 4}})
    assert [i["code"] for i in moved] == ["b", "c", "d", "a"]


def test_no_empty_or_none_row_survives():
    dirty = [{"code": None, "pinned": True, "note": "x"}, {"code": float("nan"), "note": ""},
             {"code": "", "note": "y"}, {"code": "zz"}, {"code": "a", "note": None}, {"code": "a", "note": "dup"},
             {"code": "b", "note": "n" * 900}]
    out = shortlist.clean(dirty, ["a", "b"])
    assert [i["code"] for i in out] == ["a", "b"]
    assert out[0]["note"] == "" and len(out[1]["note"]) == NOTE_MAX
    saved = pd.DataFrame({"code": ["a", None, " "], "note": ["ok", "x", "y"]})
    assert [i["code"] for i in shortlist.items_from_saved(saved)] == ["a"]


def test_frames_carry_bands_words_and_contributions():
    items = [{"code": "c", "pinned": True, "note": "=1+1"}, {"code": "a", "pinned": False, "note": ""}]
    ed = shortlist.editor_frame(items, FIXTURE_TABLE, FIXTURE_PARTS, "en")
    assert ed["name"].tolist() == ["Cé", "Ána"] and ed["band"].tolist() == ["2–5", "1–2"]
    assert ed["label"].tolist() == ["possibly", "clearly"]  # the level's word; the header names N
    assert ed["why"].str.startswith("data:image/svg+xml;base64,").all()
    out = shortlist.export_frame(items, FIXTURE_TABLE, FIXTURE_PARTS, "es")
    assert out["p_top"].tolist() == [0.4, 0.97] and out["label"][1] == "claramente"
    assert np.allclose(out[["contrib_violence", "contrib_vulnerability"]].sum(axis=1), out["score"])
    kept = shortlist.items_frame(items, FIXTURE_TABLE)
    assert kept["position"].tolist() == [1, 2] and kept["pinned"].tolist() == [True, False]
    assert shortlist.items_from_saved(kept) == items


# -- the page -------------------------------------------------------------------------------------
@pytest.fixture()
def own_store(built_store, tmp_path):
    """A copy of the built store: the lists saved here must not reach the other tests' store."""
    from geodata.store import Store

    shutil.copy(built_store.path, tmp_path / "riskmap.sqlite")
    return Store(tmp_path / "riskmap.sqlite")


@pytest.fixture
def app(own_store, monkeypatch):
    monkeypatch.setenv("RISKMAP_STORE", str(own_store.path))
    return AppTest.from_file(APP, default_timeout=TIMEOUT)


def _priorities(at, **params):
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/priorities.py").run()
    assert not at.exception, at.exception
    return at


def _iom_codes():
    from geodata.build import pack_matcher
    from geodata.config import data_root
    from geodata.packs import load_pack
    from dashboard.priorities import programme_codes

    codes, missing = programme_codes(pack_matcher(data_root(), load_pack("slv")))
    assert not missing
    return codes


def _frame_with(at, *columns) -> pd.DataFrame:
    """The last table shown whose columns include ``columns``."""
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert found, [list(d.value.columns) for d in at.dataframe]
    return found[-1]


SEARCHES = ("jiquilisco", "tacachico", "nueva concepcion", "la union", "san salvador", "santa ana",
            "QUEZALTEPEQUE", "ilopango")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_pin_the_eight_iom_units_save_reopen_by_link(app, own_store, lang):
    iom = _iom_codes()
    at = _priorities(app, lang=lang)
    for text, code in zip(SEARCHES, iom):  # typed without accents, in any case
        at.text_input(key="sl_search").input(text).run()
        match = at.selectbox(key="sl_match")
        assert all(shortlist.fold(text) in shortlist.fold(o) for o in match.options)
        match.set_value(code).run()
        assert at.selectbox(key="sl_match").value == code
        at.button(key="sl_add").click().run()
        assert not at.exception, at.exception
    items = at.session_state["sl_items"]["district"]
    pinned = [i["code"] for i in items if i["pinned"]]
    assert set(iom) <= set(pinned) and all(i["code"] for i in items)
    wide, phone = (d.value for d in at.data_editor)  # a copy per screen width: same rows, same order
    assert list(phone.columns) == list(shortlist.PHONE_EDITOR_COLUMNS) and len(wide.columns) > len(phone.columns)
    assert phone[["name", "pinned"]].equals(wide[["name", "pinned"]]) and len(phone) == len(items)
    # new weights: the eight stay, in the list and in the editor
    at.slider(key="w_violence").set_value(0.0)
    at.button[0].click().run()
    items = at.session_state["sl_items"]["district"]
    assert set(iom) <= {i["code"] for i in items}
    at.text_input(key="sl_name").input("IRM <b>OIM</b>").run()
    at.text_input(key="sl_author").input("Ana").run()
    at.button(key="sl_save").click().run()
    assert not at.exception, at.exception
    listed = own_store.list_shortlists("slv")
    row = listed.iloc[0]
    assert row["name"] == "IRM <b>OIM</b>" and row["author"] == "Ana"
    saved_id = str(int(row["id"]))
    assert at.query_params["shortlist"] in (saved_id, [saved_id])
    link = at.code[0].value
    assert f"shortlist={saved_id}" in link and "scenario=" in link
    saved_table = _frame_with(at, "author")
    assert "slv_default;" not in " ".join(saved_table.astype(str).to_numpy().ravel())  # words, not the key
    assert saved_table.iloc[0]["author"] == "Ana"

    from urllib.parse import parse_qs, urlparse

    params = {k: v[0] for k, v in parse_qs(urlparse(link).query).items()}
    fresh = _priorities(AppTest.from_file(APP, default_timeout=TIMEOUT), **params)
    reopened = fresh.session_state["sl_items"]["district"]
    assert [i["code"] for i in reopened] == [i["code"] for i in items]
    assert set(iom) <= {i["code"] for i in reopened if i["pinned"]}
    assert fresh.slider(key="w_violence").value == 0.0  # the list's own scenario came back
    programme = _frame_with(fresh, "label", "why", "band")
    assert len(programme) == 8 and programme["band"].str.contains("–").all()
    assert programme["label"].str.len().gt(0).all()


def test_shortlist_pdf_is_one_page_with_notes_and_bars(built_store, data_root):
    from pypdf import PdfReader

    from dashboard.exports import assemble
    from dashboard.exports.shortlist import render_shortlist, shortlist_sheet
    from geodata.packs import load_pack
    from geodata.country_data import load_tables
    from risk_model.contributions import contribution_table
    from risk_model.pipeline import model_data, run_model
    from risk_model.spec import load_spec

    tables = load_tables("slv", store=built_store, root=data_root)
    result = run_model(model_data(tables), load_spec("slv_default"), 2023, draws=100)
    iom = _iom_codes()
    items = [{"code": c, "pinned": True, "note": f"nota {i} <script>"} for i, c in enumerate(iom)]
    frame = shortlist.export_frame(items, result.table, contribution_table(result), "es")
    pack = load_pack("slv")
    ctx = assemble.ExportContext(country="slv", country_name=pack.name_es, lang="es", date=dt.date(2025, 1, 15),
                                 data_version="v", attributions={s.dataset: s.attribution for s in pack.sources})
    pdf = render_shortlist(shortlist_sheet(result, tables.units["district"], ctx, frame, title="Lista: IRM",
                                           scenario_text="violencia 1", saved_line="Guardada 2025-01-15 · Ana",
                                           outlines=tables.units["department"]))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Lista: IRM" in text and "nota 3 <script>" in text and "Jiquilisco" in text
    assert "violencia 1" in text and "Guardada 2025-01-15" in text
    assert text.count("✓") == len(iom)  # every unit pinned
