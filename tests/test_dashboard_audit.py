"""Data page's audit and validation sections and the Priorities warning (AppTest on the real
Honduras and Guatemala packs, the fastest to rerun), plus the figure helpers."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import audit
from geodata.config import PROJECT_ROOT
from tests.test_dashboard_countries import on_page
from tests.test_dashboard_trends import page

APP = str(PROJECT_ROOT / "app.py")
STRUCTURE = {"dimensions": ["violence", "displacement"], "weighted_dimensions": ["violence", "displacement"],
             "nominal_weights": {"violence": 0.5, "displacement": 0.5},
             "effective_weights": {"violence": 0.2, "displacement": 0.8}, "over_tolerance": ["violence", "displacement"],
             "cronbach_alpha": {"violence": 0.8, "displacement": None}, "pc1_share": {"violence": 0.9, "displacement": None}}


@pytest.fixture()
def app(region_store, monkeypatch):
    monkeypatch.setenv("RISKMAP_STORE", str(region_store.path))
    return AppTest.from_file(APP, default_timeout=300)


@pytest.mark.parametrize("lang, word", [("es", "peso efectivo 0,20"), ("en", "effective weight 0.20")])
def test_weight_warning_names_both_weights_in_the_language(lang, word):
    lines = audit.weight_warnings(STRUCTURE, lang)
    assert len(lines) == 2 and word in lines[0] and ("0,50" if lang == "es" else "0.50") in lines[0]
    assert audit.weight_warnings({**STRUCTURE, "over_tolerance": []}, lang) == []


def test_figures_carry_every_dimension():
    weights = audit.weights_figure(STRUCTURE, lang="en")
    assert [list(tr.y) for tr in weights.data] == [[0.5, 0.5], [0.2, 0.8]]
    sens = audit.sensitivity_figure({"smoothing": {"first": 0.6, "total": 0.7, "first_conf": 0.1, "total_conf": 0.1},
                                     "weight:violence": {"first": -0.01, "total": 0.02}}, lang="es")
    assert list(sens.data[0].x) == [0.6, 0.0]  # a negative estimate is drawn at 0
    assert "Violencia" in sens.data[0].y[1]
    ranks = audit.rank_range_figure({"a": {"name": "<b>A</b>", "rank": 2, "p05": 1, "p95": 9},
                                     "b": {"name": "B", "rank": 1, "p05": 1, "p95": 3}}, lang="en")
    assert list(ranks.data[1].y) == ["B", "&lt;b&gt;A&lt;/b&gt;"]  # by rank, names escaped


@pytest.mark.parametrize("lang", ["es", "en"])
def test_data_page_audit_and_validation_sections(region_store, monkeypatch, lang):
    at = page(region_store, monkeypatch, "data", lang=lang, params={"country": "hnd"})
    assert not at.exception, at.exception
    before = len(at.get("plotly_chart"))
    assert before >= 2  # weights, dimension correlations (Honduras: one indicator per dimension, no alpha)
    at.button(key="audit_run").click().run()
    assert not at.exception, at.exception
    assert len(at.get("plotly_chart")) == before + 2  # Sobol indices and rank ranges
    at.button(key="validate_run").click().run()
    assert not at.exception, at.exception
    peer = [d.value for d in at.dataframe if "Spearman" in d.value.columns]
    assert len(peer) == 1 and len(peer[0]) == 3  # violence, displacement (no reference), composite
    assert any(("IUDPAS" in str(c.value)) for c in at.caption)


def test_priorities_no_drift_warning_for_a_balanced_default(app):
    at = on_page(app, "hnd", "priorities", lang="en")
    # Honduras's default now meets |effective - nominal| <= 0.10 (issue 13): no warning
    assert not any("effective weight" in w.value for w in at.warning)
