"""Model v2: goalposts, missing stays missing, coarse-unit draws, one Monte Carlo engine, and
synthetic checks (null, planted, constant) on the real El Salvador exposures."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from risk_model import engine
from risk_model.audit import effective_weights
from risk_model.estimates import estimate_indicator
from risk_model.normalise import Goalposts, goalpost_scale, pooled_goalposts
from risk_model.pipeline import dimension_stage, finish, rerun, run_model, signal_table
from risk_model.spec import IndicatorSpec, Spec, load_spec, parse_key

SPEC = load_spec()


def test_goalposts_by_hand():
    # linear 0..50: 10 -> 2, 60 capped -> 10; log 0..99: 9 -> 10 log(10) / log(100) = 5
    assert_allclose(goalpost_scale([10, 60, np.nan], Goalposts(0, 50)), [2, 10, np.nan])
    assert_allclose(goalpost_scale([9, 0], Goalposts(0, 99, log=True)), [5, 0])
    # lower values worse: 10 (50 - x) / 50
    assert_allclose(goalpost_scale([10], Goalposts(0, 50, direction=-1)), [8])


def test_pooled_rule_by_hand():
    # minimum 0; 95th percentile of 0..20 (21 values, linear) = 19
    g = pooled_goalposts(np.arange(21.0), log=True)
    assert (g.lower, g.upper, g.log, g.source) == (0.0, 19.0, True, "pooled")


def test_same_value_same_score_in_every_year(model_data):
    # a scored value gives the same score whatever the year: the transform is fixed
    a, b = (run_model(model_data, SPEC, y, draws=0).steps for y in (2018, 2023))
    ind = "acled_fatalities"
    gp = next(p.goalposts for p in run_model(model_data, SPEC, 2023, draws=0).stage.plans if p.id == ind)
    for steps in (a, b):
        assert_allclose(steps["normalised"][ind], goalpost_scale(steps["smoothed"][ind], gp))


def test_near_constant_indicator_gives_near_constant_scores(model_data):
    res = run_model(model_data, SPEC, 2023, draws=0)
    sig = signal_table(res).set_index("indicator")
    # ACLED extortion: smoothed values within a few thousandths per 100,000 -> scores within 0.1
    plan = next(p for p in res.stage.plans if p.id == "acled_extortion_events")
    scores = goalpost_scale(res.stage.estimates[plan.id].smoothed, plan.goalposts)
    assert np.ptp(scores) < 0.1
    # and its signal is below the threshold, so it is left out and a note says so
    assert not sig.loc["acled_extortion_events", "scored"] and sig.loc["acled_extortion_events", "snr"] < SPEC.snr_min
    assert any(n.startswith("acled_extortion_events: signal-to-noise") for n in res.notes)
    assert "acled_extortion_events" not in res.steps["normalised"]


def test_a_unit_without_a_dimension_has_it_left_out_and_weights_renormalised(model_data):
    # arithmetic composite of violence and extortion; districts without a LAPOP survey have no
    # extortion: their composite is their violence score alone, and reliability is lower
    spec = dataclasses.replace(SPEC, snr_min=0.0, excluded=("acled_extortion_events",),
                               ).with_scenario(weights={"displacement": 0}, aggregation="arithmetic")
    res = run_model(model_data, spec, 2023, draws=0)
    t = res.table
    missing = t["extortion"].isna()
    assert missing.any() and (~missing).any()
    assert_allclose(t.loc[missing, "score"], t.loc[missing, "violence"])
    assert_allclose(t.loc[~missing, "score"], (t.loc[~missing, "violence"] + t.loc[~missing, "extortion"]) / 2)
    assert (t.loc[missing, "dimensions_missing"] == "extortion").all()
    assert t.loc[missing, "reliability"].mean() < t.loc[~missing, "reliability"].mean()


def test_coarse_values_are_drawn_once_per_coarse_unit(model_data):
    est = estimate_indicator(model_data, "census2024_emigrants_insecurity", year=2023, level="district")
    d = engine.smooth(est, "eb_global", draws=50, rng=np.random.default_rng(1))
    mun = model_data.units["district"]["mun2024_code"].to_numpy()
    for m in np.unique(mun)[:10]:
        cols = d[:, mun == m]
        assert (cols == cols[:, :1]).all()           # one draw shared by the municipio's districts
    assert np.ptp(d[:, 0]) > 0                        # and it does vary between draws


def test_zero_perturbation_draws_reproduce_the_nominal_scores_exactly(model_data):
    stage = dimension_stage(model_data, SPEC, 2023)
    scored = [p for p in stage.plans if p.scored]
    scores = {}
    for p in scored:  # the Monte Carlo path: smooth -> treat -> scale, three identical draws
        values = np.repeat(engine.smooth(stage.estimates[p.id], SPEC.smoothing, draws=0), 3, axis=0)
        scores[p.id] = engine.scale(engine.treat(values, p.goalposts), p.goalposts)
    dims = engine.aggregate_dimensions(scores, scored, stage.dims.dimensions)
    same = engine.DimensionDraws(stage.dims.dimensions, stage.dims.nominal, dims, 0)
    w = np.array([SPEC.weight(d) if d in SPEC.dimensions else 0.0 for d in stage.dims.dimensions])
    out = engine.reaggregate(same, w, SPEC.aggregation, concentration=None)
    nominal = run_model(model_data, SPEC, 2023, draws=0).table["score"].to_numpy()
    for row in out.draw_scores:
        assert_array_equal(row, nominal)
    assert_array_equal(out.uncertainty.rank_p05, out.rank)
    assert_array_equal(out.uncertainty.rank_p95, out.rank)


@pytest.mark.parametrize("year, level", [(2018, "district"), (2018, "municipio_2024"), (2018, "department"),
                                         (2023, "district"), (2023, "municipio_2024"), (2023, "department")])
def test_shown_rank_lies_in_its_band_slv(model_data, year, level):
    t = run_model(model_data, SPEC, year, level=level).table
    assert ((t["rank_p05"] <= t["rank"]) & (t["rank"] <= t["rank_p95"])).all()


@pytest.mark.parametrize("country", ["gtm", "hnd"])
def test_shown_rank_lies_in_its_band_gtm_hnd(country_model_data, country):
    from geodata.packs import load_pack

    t = run_model(country_model_data[country], load_spec(f"{country}_default"), load_pack(country).default_year).table
    assert ((t["rank_p05"] <= t["rank"]) & (t["rank"] <= t["rank_p95"])).all()
    assert t["score"].notna().all()


def test_honduras_absent_municipios_score_zero_homicides_flagged(country_model_data):
    data = country_model_data["hnd"]
    est = estimate_indicator(data, "hnd_homicides", year=2023, fill="zero")
    absent = np.isnan(est.numerator)
    assert absent.sum() == 33
    assert (est.smoothed[absent] == 0).all() and est.imputed[absent].all() and not est.imputed[~absent].any()


def test_reaggregation_equals_a_full_run_and_rerun_reuses_the_draws(model_data):
    base = run_model(model_data, SPEC, 2023, draws=200)
    spec = SPEC.with_scenario(weights={"violence": 3}, aggregation="geometric", draws=200)
    again = rerun(base, model_data, spec)
    assert again.stage is base.stage                                 # only re-aggregated
    pd.testing.assert_frame_equal(again.table, run_model(model_data, spec, 2023).table)


def test_scenario_key_has_draws_seed_and_smoothing():
    s = SPEC.with_scenario(draws=300, seed=7, smoothing="eb_spatial")
    assert ";draws=300;seed=7;smooth=eb_spatial;" in s.key()
    back = parse_key(SPEC, s.key())
    assert (back.draws, back.seed, back.smoothing) == (300, 7, "eb_spatial") and back.key() == s.key()


def test_old_format_spec_keeps_loading(tmp_path):
    text = (SPEC_OLD := '''name = "old"\ncountry = "slv"\n[[indicator]]\nid = "acled_fatalities"\n'''
            '''dimension = "violence"\nlog = true\nwinsorise = false\nbounds = [0, 80]\n''')
    path = tmp_path / "old.toml"
    path.write_text(text, encoding="utf-8")
    spec = load_spec(path)
    assert spec.indicators[0].goalposts == (0.0, 80.0) and SPEC_OLD


# -- synthetic checks (seeded): Poisson counts on the real district exposures ---------------
RATE = 30.0  # per 100,000 person-years


def _synthetic(model_data, rate_ratio: np.ndarray, seed: int):
    """ModelData whose only indicator ``synthetic_rate`` has Poisson counts at RATE * rate_ratio
    on the real ACLED person-years of 2021-2023, and a one-indicator spec over it."""
    obs = model_data.observations
    exp = obs[(obs["indicator"] == "acled_fatalities") & obs["year"].between(2021, 2023)].copy()
    pos = model_data.lookup_many("position", "district", exp["unit"].to_numpy(), -1)
    rng = np.random.default_rng(seed)
    exp["value"] = rng.poisson(RATE / 1e5 * exp["denominator"].to_numpy() * rate_ratio[pos]).astype(float)
    exp["indicator"] = "synthetic_rate"
    cat = dict(model_data.catalogue)
    cat["synthetic_rate"] = dataclasses.replace(cat["acled_fatalities"], id="synthetic_rate")
    data = dataclasses.replace(model_data, observations=pd.concat([obs, exp], ignore_index=True), catalogue=cat)
    spec = Spec(name="synthetic", country="slv", snr_min=0.0, draws=1000, seed=seed,
                indicators=(IndicatorSpec("synthetic_rate", "violence", goalposts=(0.0, 200.0), log=True),),
                dimension_weights=(("violence", 1.0),), enabled=("violence",))
    return data, spec


def test_null_equal_rates_put_no_unit_in_the_top_10_with_probability_half(model_data):
    n = len(model_data.units["district"])
    data, spec = _synthetic(model_data, np.ones(n), seed=11)
    t = run_model(data, spec, 2023).table
    assert t["p_top"].max() < 0.5


def test_planted_high_rate_units_are_found(model_data):
    units = model_data.units["district"]
    big = np.flatnonzero(units["pop_2007"].to_numpy() >= 20_000)
    planted = np.random.default_rng(5).choice(big, 10, replace=False)
    ratio = np.ones(len(units))
    ratio[planted] = 4.0
    data, spec = _synthetic(model_data, ratio, seed=5)
    t = run_model(data, spec, 2023).table
    found = t.iloc[planted]
    assert ((found["rank"] <= 10) & (found["p_top"] >= 0.7)).sum() >= 8
    assert ((t["rank_p05"] <= t["rank"]) & (t["rank"] <= t["rank_p95"])).all()


def test_a_constant_indicator_changes_no_rank(model_data):
    obs = model_data.observations
    const = pd.DataFrame({"unit": model_data.units["district"]["code"], "level": "district", "year": 2023,
                          "indicator": "synthetic_constant", "value": 5.0, "denominator": np.nan,
                          "dataset": "synthetic"})
    cat = dict(model_data.catalogue)
    cat["synthetic_constant"] = dataclasses.replace(cat["census2007_illiteracy"], id="synthetic_constant",
                                                    dimension="violence")
    data = dataclasses.replace(model_data, observations=pd.concat([obs, const], ignore_index=True), catalogue=cat)
    spec = dataclasses.replace(SPEC, indicators=SPEC.indicators + (IndicatorSpec("synthetic_constant", "violence"),))
    with_const = run_model(data, spec, 2023, draws=100).table
    without = run_model(model_data, SPEC, 2023, draws=100).table
    assert_array_equal(with_const["rank"], without["rank"])


def _effective(result):
    on = [d for d in result.spec.dimensions if result.table[d].notna().any()]
    ew = effective_weights(result.table[on].to_numpy(), result.table["score"].to_numpy())
    nominal = np.array([result.spec.weight(d) for d in on])
    return ew, nominal / nominal.sum()


@pytest.mark.parametrize("year", [2018, 2023])
def test_default_effective_weights_are_within_010_of_nominal_slv(model_data, year):
    ew, nominal = _effective(run_model(model_data, SPEC, year, draws=0))
    assert np.abs(ew - nominal).max() <= 0.10


@pytest.mark.parametrize("country", ["gtm", "hnd"])
def test_default_effective_weights_are_within_010_of_nominal_gtm_hnd(country_model_data, country):
    from geodata.packs import load_pack

    res = run_model(country_model_data[country], load_spec(f"{country}_default"), load_pack(country).default_year,
                    draws=0)
    ew, nominal = _effective(res)
    assert np.abs(ew - nominal).max() <= 0.10
