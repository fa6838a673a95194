"""How sure a place in the top N is, in words: ONE rule for the table, the map tooltip, the
Profile and every export.

The rule reads a unit's Monte Carlo probability ``p`` of being in the top N (0..1):

=============  ============================  ==========================
level          probability                   words (en)
=============  ============================  ==========================
``clear``      p >= 0.9                      "clearly in the top N"
``likely``     0.5 <= p < 0.9                "likely in the top N"
``possible``   0.1 <= p < 0.5                "possibly in the top N"
``unlikely``   p < 0.1                       "unlikely to be in the top N"
=============  ============================  ==========================

Tables (the Priorities table, the shortlist, the programme view and their downloads) give the
level's one word (``confidence_word``: "clearly", "likely", "possibly", "unlikely") under a
header naming N (``priorities.column_header("label", ...)``), so a phone shows it without
sideways scrolling; the map tooltip and the Profile give the whole phrase.

A missing probability (no Monte Carlo draws) has no words (""). ``summary_sentence`` is the one
sentence above the Priorities table: how many of the N highest-ranked units are clearly in the
top N, and how many units ranked below N could take the others' places (``possible`` or
``likely``: at least a 10% chance).
"""
from __future__ import annotations

import numpy as np

from dashboard.i18n import t

__all__ = ["LEVELS", "THRESHOLDS", "confidence_level", "confidence_label", "confidence_labels", "confidence_words",
           "summary_counts", "summary_sentence"]

LEVELS = ("clear", "likely", "possible", "unlikely")
#: Lower bounds of ``clear``, ``likely`` and ``possible`` (probabilities 0..1).
THRESHOLDS = (0.9, 0.5, 0.1)


def confidence_level(p) -> str:
    """The level of a probability 0..1 ("" when missing); ValueError outside 0..1.

    >>> [confidence_level(p) for p in (1.0, 0.9, 0.89, 0.5, 0.1, 0.099, 0.0)]
    ['clear', 'clear', 'likely', 'likely', 'possible', 'unlikely', 'unlikely']
    """
    if p is None:
        return ""
    p = float(p)
    if np.isnan(p):
        return ""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"a probability of being in the top N must be within 0..1, got {p}")
    for level, bound in zip(LEVELS, THRESHOLDS):
        if p >= bound:
            return level
    return LEVELS[-1]


def confidence_label(p, n: int, lang: str) -> str:
    """The words of ``confidence_level(p)`` for the top ``n`` in ``lang`` ("" when missing)."""
    level = confidence_level(p)
    return t(f"confidence.{level}", lang, n=int(n)) if level else ""


def confidence_labels(ps, n: int, lang: str) -> list[str]:
    """``confidence_label`` of each probability."""
    return [confidence_label(p, n, lang) for p in np.asarray(ps, dtype=float)]


def confidence_words(ps, lang: str) -> list[str]:
    """The one word of each probability's level, for table cells ("" when missing)."""
    return [t(f"confidence.word_{level}", lang) if level else ""
            for level in (confidence_level(p) for p in np.asarray(ps, dtype=float))]


def summary_counts(rank, p_top, n: int) -> dict | None:
    """The figures of the sentence above the table, from ranks (1 = highest) and P(top n).

    Returns ``{"top": units ranked 1..n, "clear": of those, P >= 0.9, "others": top - clear,
    "challengers": units ranked below n with P >= 0.1}``, or None when no probability is known.

    >>> summary_counts([1, 2, 3, 4, 5], [0.95, 0.92, 0.6, 0.3, 0.05], 3)
    {'top': 3, 'clear': 2, 'others': 1, 'challengers': 1}
    """
    rank = np.asarray(rank, dtype=float)
    p = np.asarray(p_top, dtype=float)
    known = ~np.isnan(p) & ~np.isnan(rank)
    if not known.any():
        return None
    top = known & (rank <= n)
    clear = int((top & (p >= THRESHOLDS[0])).sum())
    challengers = int((known & (rank > n) & (p >= THRESHOLDS[2])).sum())
    return {"top": int(top.sum()), "clear": clear, "others": int(top.sum()) - clear,
            "challengers": challengers}


def summary_sentence(rank, p_top, n: int, lang: str) -> str:
    """E.g. "Of the 10 highest-ranked, 3 are clearly in the top 10; the other 7 could be
    replaced by any of 25 others." ("" when no probability is known)."""
    c = summary_counts(rank, p_top, n)
    if c is None or c["top"] == 0:
        return ""
    if c["others"] == 0:
        return t("confidence.summary_all", lang, top=c["top"], n=n)
    key = "confidence.summary" if c["challengers"] else "confidence.summary_none_below"
    return t(key, lang, top=c["top"], clear=c["clear"], others=c["others"], n=n,
             challengers=c["challengers"])
