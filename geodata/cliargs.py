"""Argument checks shared by the three command lines (``geodata``, ``risk_model``, ``dashboard``).

A bad argument ends the command with exit status 2 and one sentence naming the argument, never
a traceback: ``whole`` is an argparse ``type`` (argparse prints its sentence and exits 2);
``check_year`` and ``check_known`` need the data and raise ``DataError`` (the commands print it
and exit 2).

Examples
--------
>>> seed = whole(0, SEED_MAX)
>>> seed("7")
7
>>> seed("-1")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: must be a whole number from 0 to 4294967295, not '-1'
"""
from __future__ import annotations

import argparse

import pandas as pd

from geodata.errors import DataError

__all__ = ["whole", "SEED_MAX", "DRAWS_MAX", "WINDOW_MAX", "TOP_MAX", "YEAR_MIN", "YEAR_MAX",
           "check_year", "check_known"]

#: Monte Carlo seeds are unsigned 32-bit; more than 100,000 draws would not fit in memory at
#: 900 units; a window longer than 20 years is older than any series; N of P(top N) up to
#: 10,000 units; years outside 1900-2100 are typing mistakes before the data are even read.
SEED_MAX, DRAWS_MAX, WINDOW_MAX, TOP_MAX = 2**32 - 1, 100_000, 20, 10_000
YEAR_MIN, YEAR_MAX = 1900, 2100


def whole(lo: int, hi: int):
    """An argparse ``type``: a whole number from ``lo`` to ``hi`` (inclusive)."""
    def parse(text: str) -> int:
        try:
            value = int(str(text).strip())
        except ValueError:
            value = None
        if value is None or not lo <= value <= hi:
            raise argparse.ArgumentTypeError(f"must be a whole number from {lo} to {hi}, not {text!r}")
        return value

    parse.__name__ = "whole number"
    return parse


def check_year(year: int | None, observations: pd.DataFrame, *, arg: str = "--year") -> None:
    """DataError ``args.year_range`` when ``year`` lies outside the years the data cover
    (the first to the last year of ``observations``); None passes (the default year)."""
    if year is None or observations.empty:
        return
    years = observations["year"].astype(int)
    first, last = int(years.min()), int(years.max())
    if not first <= int(year) <= last:
        raise DataError("args.year_range", "{arg} {year}: the data cover {first} to {last}; give a year "
                        "in that range", arg=arg, year=int(year), first=first, last=last)


def check_known(value: str | None, valid, *, arg: str) -> None:
    """DataError ``args.unknown`` when ``value`` is given and not one of ``valid``."""
    valid = list(valid)
    if value is not None and value not in valid:
        raise DataError("args.unknown", "{arg} {value!r} is not known; one of {valid}", arg=arg, value=value,
                        valid=", ".join(sorted(valid)))
