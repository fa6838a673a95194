"""dashboard.state: which ``?scenario=`` texts a link may carry (the rest open the default)."""
from __future__ import annotations

import pytest

from dashboard import state
from geodata.errors import DataError
from risk_model.spec import load_spec, parse_key

BASE = load_spec("slv_default")


def test_a_key_the_app_wrote_is_read_back():
    spec = BASE.with_scenario(weights={"violence": 3}, top_n=7, enabled=("violence",))
    assert state.url_scenario(BASE, spec.key()) == spec


@pytest.mark.parametrize("text", [
    "garbage",                                        # no fields
    "slv_default;agg=bogus;w=violence:x",             # a weight that is no number
    "slv_default;agg=median;scheme=quantiles;win=3;top=10;w=violence:1",  # unknown aggregation
    "gtm_default;agg=geometric;scheme=quantiles;win=3;top=10;w=violence:1",  # another country's
    "slv_default;agg=geometric;scheme=quantiles;win=3;top=10;w=violence:9",  # above WEIGHT_MAX
    "slv_default;agg=geometric;scheme=quantiles;win=3;top=10;w=violence:-1",  # negative
])
def test_malformed_texts_are_refused(text):
    assert state.url_scenario(BASE, text) is None


def test_parse_key_names_the_text_it_cannot_read():
    with pytest.raises(DataError, match="cannot read scenario 'slv_default;w=violence:x'"):
        parse_key(BASE, "slv_default;w=violence:x")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_methodology_shows_each_country_its_own_sections(lang):
    from dashboard.text import methodology_text

    slv, gtm, every = (methodology_text(lang, c) for c in ("slv", "gtm", None))
    heading = "## 14. " + ("El modelo por defecto para El Salvador" if lang == "es" else "The default El Salvador model")
    assert heading in slv and heading in every and heading not in gtm
    assert "## 15. Guatemala, Honduras" in gtm and "## 15. Guatemala, Honduras" in slv
    assert "<!--" not in slv + gtm
