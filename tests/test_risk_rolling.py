"""Rolling 12-month change flags and concentration: hand-computed, planted, null and guard cases."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from risk_model.rolling import concentration, rolling_change


def _monthly(events_by_code: dict, start=(2020, 1)) -> pd.DataFrame:
    rows = []
    for code, events in events_by_code.items():
        y, m = start
        for e in events:
            rows.append({"code": code, "year": y, "month": m, "events": e})
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return pd.DataFrame(rows)


def _pop(codes, value=120_000, years=(2020, 2021)):
    return pd.Series(value, index=pd.MultiIndex.from_product([codes, years]), dtype=float)


def test_hand_computed_rates_change_and_exact_test():
    # 2020: 1 event a month (12); 2021: 3 a month (36); 120,000 people -> 120,000 person-years a year
    df = _monthly({"A": [1] * 12 + [3] * 12})
    r = rolling_change(df, _pop(["A"]), end_year=2021, end_month=12).iloc[0]
    assert (r.events_last, r.events_prev) == (36, 12)
    assert r.rate_last == pytest.approx(30.0) and r.rate_prev == pytest.approx(10.0)  # per 100,000
    assert r["pct_change"] == pytest.approx(200.0)
    assert r.p_value == pytest.approx(stats.binomtest(36, 48, 0.5).pvalue)
    assert r.flag == "rising"


def test_low_count_guard_and_missing_months():
    df = _monthly({"small": [0] * 12 + [0] * 9 + [1, 1, 1], "gap": [5] * 23})  # 'gap' lacks a month
    r = rolling_change(df, _pop(["small", "gap"]), end_year=2021, end_month=12).set_index("code")
    assert r.loc["small", "flag"] == "insufficient" and np.isnan(r.loc["small", "pct_change"])
    assert r.loc["gap", "flag"] == "insufficient" and np.isnan(r.loc["gap", "rate_last"])


def test_null_case_flags_few_changes():
    rng = np.random.default_rng(7)
    codes = [f"U{i:03d}" for i in range(300)]
    df = _monthly({c: rng.poisson(4, 24) for c in codes})  # the same rate in both years
    r = rolling_change(df, _pop(codes), end_year=2021, end_month=12)
    assert (r["flag"] == "insufficient").sum() == 0
    assert (r["flag"].isin(["rising", "falling"])).mean() < 0.10  # about alpha = 5%


def test_window_can_end_mid_year():
    df = _monthly({"A": [2] * 6 + [1] * 12 + [4] * 6}, start=(2020, 1))  # Jan 2020 .. Dec 2021
    r = rolling_change(df, _pop(["A"]), end_year=2021, end_month=6).iloc[0]
    # last 12: Jul 2020 .. Jun 2021 = 6 x 1 + 6 x 1 = 12; previous 12 would need Jul 2019: missing
    assert r.events_last == 12 and r.flag == "insufficient"


def test_concentration_hand_computed():
    annual = pd.DataFrame({"code": list("abcd"), "year": 2020, "events": [10, 5, 0, 5]})
    c = concentration(annual, top=2).iloc[0]
    assert c.top_share == pytest.approx(75.0) and c.zero_units == 1 and c.units == 4


def test_mexico_monthly_series(data_root):
    from geodata.country_data import load_monthly

    m = load_monthly("mex", root=data_root)
    assert set(m.columns) == {"code", "year", "month", "events"}
    annual = m.groupby(["code", "year"], as_index=False)["events"].sum()
    c = concentration(annual).set_index("year")
    assert c.loc[2018, "events"] == 34_404  # the provenance's national figure
    assert 0 < c.loc[2018, "top_share"] < 100 and c.loc[2018, "zero_units"] > 0
    assert load_monthly("slv", root=data_root) is None


def _model_data():
    """A SYNTHETIC ModelData stand-in: municipios A and B in state S, 60,000 people each."""
    from types import SimpleNamespace

    units = {"municipio": pd.DataFrame({"code": ["A", "B"], "name": ["Ana", "Bea"], "dept_code": ["S", "S"]}),
             "department": pd.DataFrame({"code": ["S"], "name": ["Sur"]})}
    pop = pd.DataFrame([{"level": lvl, "unit": u, "year": y, "population": p}
                        for lvl, u, p in (("municipio", "A", 60_000), ("municipio", "B", 60_000),
                                          ("department", "S", 120_000)) for y in (2020, 2021)])
    return SimpleNamespace(finest="municipio", units=units, population=pop)


def test_rolling_table_sums_months_into_states_and_ends_at_the_last_month():
    from geodata.errors import DataError
    from risk_model.rolling import rolling_table

    df = _monthly({"A": [1] * 12 + [2] * 12, "B": [0] * 12 + [1] * 12})
    muni = rolling_table(_model_data(), df).set_index("code")
    assert list(muni["name"]) == ["Ana", "Bea"] and set(muni["end_month"]) == {"2021-12"}
    assert muni.loc["A", "rate_last"] == pytest.approx(24 / 60_000 * 100_000)
    state = rolling_table(_model_data(), df, level="department").iloc[0]
    # the state's events are A's and B's together: 12 + 0 before, 24 + 12 in the last 12 months
    assert (state["name"], state.events_prev, state.events_last) == ("Sur", 12, 36)
    assert state.rate_last == pytest.approx(30.0) and state.flag == "rising"
    assert rolling_table(_model_data(), df, end="2021-06").iloc[0].end_month == "2021-06"
    with pytest.raises(DataError, match="not a month"):
        rolling_table(_model_data(), df, end="June")
