"""Composite titles name the dimensions the score actually has (after the signal filter)."""
from __future__ import annotations

import pytest

from dashboard import captions
from risk_model.pipeline import run_model, signal_table
from risk_model.spec import load_spec

SPEC = load_spec()


@pytest.mark.parametrize("level", ["district", "department"])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_composite_title_names_only_scored_dimensions(model_data, level, lang):
    result = run_model(model_data, SPEC, 2023, level=level, draws=0)
    signal = signal_table(result)
    weighted = {d for d in SPEC.dimensions if SPEC.weight(d) > 0}
    scored = set(signal.loc[signal["scored"], "dimension"]) & weighted
    dropped = weighted - scored
    said = captions.composite_texts(result, model_data, lang)
    assert said["dimensions"] == captions.dimensions_text(scored, lang)
    for d in dropped:  # a dimension whose every indicator was left out is not named
        assert captions.dimensions_text([d], lang) not in said["dimensions"]


def test_a_dimension_without_scored_indicator_is_dropped_from_the_title(model_data):
    """Planted: a signal threshold just above every violence indicator's signal-to-noise leaves
    violence out of the score, so the title no longer names it."""
    import dataclasses

    base = signal_table(run_model(model_data, SPEC, 2023, draws=0))
    above = float(base.loc[base["dimension"] == "violence", "snr"].max()) * 1.01
    if not (base["snr"] > above).any():
        pytest.skip("no indicator stronger than violence's: the planted threshold would empty the model")
    result = run_model(model_data, dataclasses.replace(SPEC, snr_min=above), 2023, draws=0)
    signal = signal_table(result)
    kept = set(signal.loc[signal["scored"], "dimension"])
    assert "violence" not in kept and kept
    said = captions.composite_texts(result, model_data, "en")["dimensions"]
    assert said == captions.dimensions_text(kept, "en") and "violence" not in said
