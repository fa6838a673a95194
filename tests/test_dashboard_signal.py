"""The Data page's signal-to-noise table, in both languages, from the model's own record."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.signal import left_out_sentence, signal_display
from risk_model.pipeline import run_model, signal_table
from risk_model.spec import load_spec


@pytest.fixture(scope="module")
def signal(model_data):
    return signal_table(run_model(model_data, load_spec(), 2023, draws=0))


@pytest.mark.parametrize("lang, yes, no", [("es", "sí", "no: bajo el umbral"), ("en", "yes", "no: below the threshold")])
def test_table_says_which_indicators_are_scored(model_data, signal, lang, yes, no):
    shown = signal_display(signal, model_data.catalogue, lang)
    assert len(shown) == len(signal)
    col = shown.columns[2]
    assert (shown[col] == yes).sum() == signal["scored"].sum()
    assert (shown[col] == no).sum() == (~signal["scored"]).sum()
    # census values have no sampling error: infinite signal, shown as such
    inf = signal["snr"] == float("inf")
    assert (shown.loc[inf.to_numpy(), shown.columns[1]] == "∞").all()


def test_left_out_sentence_names_them_or_says_none():
    cat = {"a": type("I", (), {"label": lambda self, lang: "Alfa"})()}
    some = pd.DataFrame({"indicator": ["a"], "scored": [False]})
    none = pd.DataFrame({"indicator": ["a"], "scored": [True]})
    assert "Alfa" in left_out_sentence(some, cat, "en")
    assert "Alfa" not in left_out_sentence(none, cat, "es")
