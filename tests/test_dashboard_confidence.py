"""Confidence in words: one rule, hand-made probabilities, both languages."""
import numpy as np
import pytest

from dashboard.confidence import (confidence_label, confidence_level, confidence_labels, summary_counts,
                                  summary_sentence)


@pytest.mark.parametrize("p, level", [(1.0, "clear"), (0.9, "clear"), (0.8999, "likely"), (0.5, "likely"),
                                      (0.4999, "possible"), (0.1, "possible"), (0.0999, "unlikely"),
                                      (0.0, "unlikely"), (float("nan"), ""), (None, "")])
def test_levels_at_the_bounds(p, level):
    assert confidence_level(p) == level


def test_out_of_range_probability_is_refused():
    with pytest.raises(ValueError, match="0..1"):
        confidence_level(1.2)


def test_words_in_both_languages():
    assert confidence_label(0.95, 10, "en") == "clearly in the top 10"
    assert confidence_label(0.95, 10, "es") == "claramente entre los 10 primeros"
    assert confidence_label(0.3, 5, "en") == "possibly in the top 5"
    assert confidence_labels([0.6, 0.01, np.nan], 3, "es") == [
        "probablemente entre los 3 primeros", "poco probable entre los 3 primeros", ""]


def test_summary_counts_hand_made():
    # ranks 1..8, N = 4: two clear in the top 4, two not; below rank 4, three have P >= 0.1
    rank = [1, 2, 3, 4, 5, 6, 7, 8]
    p = [0.99, 0.91, 0.7, 0.45, 0.5, 0.2, 0.1, 0.09]
    assert summary_counts(rank, p, 4) == {"top": 4, "clear": 2, "others": 2, "challengers": 3}
    assert summary_sentence(rank, p, 4, "en") == (
        "Of the 4 highest-ranked, 2 are clearly in the top 4; the other 2 could be replaced by any of 3 others.")
    assert summary_sentence(rank, p, 4, "es").startswith("De los 4 primeros del orden, 2 están claramente")


def test_summary_all_clear_and_no_probability():
    assert summary_sentence([1, 2, 3], [0.95, 0.92, 0.1], 2, "en") == \
        "All 2 highest-ranked areas are clearly in the top 2."
    assert summary_sentence([1, 2], [np.nan, np.nan], 1, "en") == ""


def test_summary_without_challengers():
    text = summary_sentence([1, 2, 3], [0.95, 0.8, 0.05], 2, "en")
    assert "the other 1 are less certain" in text
