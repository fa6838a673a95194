"""Small-count suppression for sensitive indicators (for example displacement) in public mode.

A count ``0 < n < threshold`` of a sensitive indicator is shown as ``"<5"`` (threshold 5) in
tooltips, tables and exports alike, so that one or two displaced families cannot be singled out.
Zero and counts at or above the threshold are shown as they are; missing stays missing. Values
derived from a suppressed count (its rate, its interval) are hidden with ``mask_derived``.

Examples
--------
>>> suppress([0, 1, 4, 5, 12, float("nan")])
[0.0, '<5', '<5', 5.0, 12.0, nan]
>>> suppress([3, 7], public=False)
[3.0, 7.0]
>>> mask_derived([12.5, 80.0], counts=[2, 9])
[None, 80.0]
"""
from __future__ import annotations

import math
from collections.abc import Iterable

__all__ = ["DEFAULT_THRESHOLD", "suppress", "suppressed_label", "mask_derived", "is_small"]

DEFAULT_THRESHOLD = 5


def suppressed_label(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The text shown instead of a small count: ``"<5"`` for threshold 5."""
    return f"<{int(threshold)}"


def is_small(count, threshold: int = DEFAULT_THRESHOLD) -> bool:
    """True when ``count`` is a number with ``0 < count < threshold``."""
    try:
        x = float(count)
    except (TypeError, ValueError):
        return False
    return not math.isnan(x) and 0 < x < threshold


def suppress(values: Iterable, threshold: int = DEFAULT_THRESHOLD, *, public: bool = True) -> list:
    """Counts as floats, with ``"<threshold"`` in place of small ones when ``public``.

    Parameters
    ----------
    values : iterable of numbers (events, persons); None and NaN stay missing (NaN).
    threshold : counts ``0 < n < threshold`` are hidden (default 5).
    public : False (editor view) returns the counts unchanged, as floats.
    """
    label = suppressed_label(threshold)
    out: list = []
    for v in values:
        x = float("nan") if v is None else float(v)
        out.append(label if public and is_small(x, threshold) else x)
    return out


def mask_derived(values: Iterable, counts: Iterable, threshold: int = DEFAULT_THRESHOLD, *,
                 public: bool = True) -> list:
    """Values derived from counts (rates, intervals) with None where the count is small."""
    return [None if public and is_small(c, threshold) else v for v, c in zip(values, counts, strict=True)]
