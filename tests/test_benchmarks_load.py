"""The load benchmark's own arithmetic: nearest-rank percentiles and distinct scenarios."""
from __future__ import annotations

import pytest

from benchmarks.load import SCENARIOS, main, percentile, scenario_key
from risk_model.spec import load_spec, parse_key


def test_percentile_nearest_rank_hand_computed():
    values = [5.0, 1.0, 4.0, 2.0, 3.0, 10.0, 7.0, 6.0, 9.0, 8.0]
    assert percentile(values, 50) == 5.0  # rank ceil(0.5 * 10) = 5
    assert percentile(values, 95) == 10.0  # rank ceil(9.5) = 10
    assert percentile(values, 90) == 9.0
    assert percentile([2.5], 95) == 2.5


def test_scenarios_distinct_and_within_the_sliders_range():
    base = load_spec("slv_default")
    keys = [scenario_key(i) for i in range(0, SCENARIOS, 97)] + [scenario_key(SCENARIOS - 1)]
    assert len(set(keys)) == len(keys)
    for key in keys:
        spec = parse_key(base, key)
        assert all(0.5 <= spec.weight(d) <= 5.0 for d in spec.enabled)
    assert scenario_key(None) == base.key()


@pytest.mark.parametrize("argv", [["--sessions", "0"], ["--sessions", "401"], ["--url", "ftp://x"],
                                  ["--timeout", "0"], ["--write"]])
def test_bad_arguments_are_named(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert argv[0] in capsys.readouterr().err
