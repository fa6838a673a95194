"""Mexico's default model on the real store: one official dimension, one row per municipio."""
from __future__ import annotations

import numpy as np
import pytest

from risk_model.pipeline import run_model
from risk_model.spec import load_spec


@pytest.fixture(scope="module")
def result(mex_model_data):
    return run_model(mex_model_data, load_spec("mex_default"), 2021, draws=200, seed=1)


def test_one_row_per_municipio_one_dimension(result):
    tb = result.table
    assert len(tb) == 2469 and tb["code"].is_unique
    assert result.spec.dimensions == ("violence",)
    assert [c for c in ("violence", "extortion", "displacement", "vulnerability") if c in tb] == ["violence"]
    # the score is the scaled smoothed rate: same order as the EB rate
    est = result.estimates["mex_homicides"]
    ok = np.isfinite(tb["score"].to_numpy())
    order_score = np.argsort(-tb["score"].to_numpy()[ok], kind="stable")
    order_rate = np.argsort(-est.smoothed[ok], kind="stable")
    assert (tb["score"].to_numpy()[ok][order_rate] == tb["score"].to_numpy()[ok][order_score]).all()


def test_municipios_without_population_are_missing_not_safe(result):
    # created after 2020 with no census or projection before 2020: no rate, no score
    tb = result.table.set_index("code")
    assert np.isnan(tb.loc["07125", "score"]) and np.isnan(tb.loc["17036", "score"])


def test_sesnsp_is_not_scored_by_default():
    spec = load_spec("mex_default")
    assert [i.id for i in spec.active_indicators()] == ["mex_homicides"]


def test_no_municipio_is_capped_so_the_ranking_keeps_its_order(result):
    """One dimension: the score is the ranking. Below the upper goalpost no two municipios with
    different smoothed rates share a score, so the top of the list is not a tie broken by code
    (the pooled 95th-percentile goalpost capped 122 of them at 10)."""
    tb = result.table
    est = result.estimates["mex_homicides"]
    upper = next(i for i in result.spec.indicators if i.id == "mex_homicides").goalposts[1]
    assert est.smoothed[np.isfinite(est.smoothed)].max() < upper
    score = tb["score"].to_numpy()
    assert (score[np.isfinite(score)] < 10).all()
    top = tb.nsmallest(result.spec.top_n, "rank")
    assert top["rank"].is_unique  # the top 50 are 50 distinct places
