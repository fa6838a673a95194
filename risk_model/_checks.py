"""Validation shared by the risk_model modules: coerce at the door, name the fix.

Every failure raises :class:`geodata.errors.DataError` with a ``model.*`` key, so a page can
translate it. Positions in messages are 0-based indices into the input arrays.
"""
from __future__ import annotations

import numpy as np

from geodata.errors import DataError


def positions(mask: np.ndarray, limit: int = 5) -> str:
    idx = np.flatnonzero(mask)
    shown = ", ".join(str(i) for i in idx[:limit])
    return shown + (f" ... ({idx.size} in all)" if idx.size > limit else "")


def as_array(x, name: str, *, ndim: int = 1) -> np.ndarray:
    """``x`` as a float array with ``ndim`` dimensions, or a DataError naming ``name``."""
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise DataError("model.not_numeric", "{name} must be numeric", name=name) from None
    if arr.ndim != ndim:
        raise DataError("model.wrong_shape", "{name} must have {ndim} dimension(s), got shape {shape}",
                        name=name, ndim=ndim, shape=arr.shape)
    return arr


def non_negative(arr: np.ndarray, name: str) -> np.ndarray:
    """Reject negative or infinite values (NaN passes: it means missing)."""
    bad = (arr < 0) | np.isinf(arr)
    if bad.any():
        raise DataError("model.negative", "{name} must be finite and >= 0; bad at positions {positions}",
                        name=name, positions=positions(bad))
    return arr


def in_range(arr: np.ndarray, name: str, low: float, high: float) -> np.ndarray:
    """Reject values outside ``[low, high]`` (NaN passes)."""
    bad = (arr < low) | (arr > high)
    if bad.any():
        raise DataError("model.out_of_range",
                        "{name} must lie in {low}..{high}; bad at positions {positions}", name=name, low=low, high=high, positions=positions(bad))
    return arr


def same_length(**arrays: np.ndarray) -> int:
    """The common length of the named arrays, or a DataError listing each length."""
    lengths = {name: len(a) for name, a in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise DataError("model.length_mismatch", "inputs must have the same length, got {lengths}",
                        lengths=lengths)
    return next(iter(lengths.values()))


def probability(value: float, name: str) -> float:
    """A level or alpha strictly between 0 and 1."""
    if not 0 < value < 1:
        raise DataError("model.bad_probability", "{name} must be strictly between 0 and 1, got {value}",
                        name=name, value=value)
    return float(value)


def positive(value: float, name: str) -> float:
    """A strictly positive finite number (``per``, concentration, ...)."""
    if not (np.isfinite(value) and value > 0):
        raise DataError("model.not_positive", "{name} must be a positive number, got {value}",
                        name=name, value=value)
    return float(value)


def choice(value: str, name: str, options) -> str:
    """``value`` if it is one of ``options``, else a DataError listing them."""
    if value not in options:
        raise DataError("model.unknown_option", "unknown {name} {value!r}; use one of {options}",
                        name=name, value=value, options=sorted(options))
    return value
