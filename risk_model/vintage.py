"""How old and how whole an indicator's data are at a map year: the flags behind the warning
printed on a map (screen and exports) when its data are stale or their national total collapsed.

Two rules, both read from the data (no indicator or country is named here):

* **stale**: the newest year with data at or before the map year is more than ``MAX_AGE`` (2)
  years older than the map year (Honduras's 2014 homicides on a 2023 map);
* **collapsed**: a count indicator's national total in that newest year is under
  ``COLLAPSE_SHARE`` (a quarter) of the median of its totals in the ``MIN_HISTORY`` (3) or more
  earlier years, and that median is at least ``MIN_REFERENCE`` (20) events: a fall in what is
  recorded that the map would otherwise show as a fall in risk (ACLED's deaths in El Salvador
  since 2023).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DataFlag", "data_flags", "MAX_AGE", "COLLAPSE_SHARE"]

MAX_AGE = 2
COLLAPSE_SHARE = 0.25
MIN_HISTORY = 3
MIN_REFERENCE = 20.0


@dataclass(frozen=True)
class DataFlag:
    """One indicator's flag at a map year.

    ``kind`` is ``"stale"`` or ``"collapsed"``; ``newest`` the newest data year at or before
    ``year``; for ``collapsed``, ``total`` is the national total in ``newest`` and ``reference``
    the median total of the years ``first``..``newest - 1`` (events, persons: the indicator's
    count unit).
    """

    indicator: str
    kind: str
    year: int
    newest: int
    total: float = float("nan")
    reference: float = float("nan")
    first: int = 0


def data_flags(data, indicators, year: int) -> list[DataFlag]:
    """Flags of ``indicators`` (ids of ``data.catalogue``) at map ``year``, in the given order.

    ``data`` is a ``risk_model.estimates.ModelData`` (its cached ``yearly_totals`` are read). An
    indicator with no data at or before ``year`` gets no flag (the map says it has no data instead).

    >>> import pandas as pd
    >>> from types import SimpleNamespace as NS
    >>> obs = pd.DataFrame({"indicator": "x", "year": [2018, 2019, 2020, 2021, 2021],
    ...                     "value": [100.0, 90.0, 110.0, 10.0, 5.0]})
    >>> data = NS(catalogue={"x": NS(kind="count")},
    ...           yearly_totals=lambda i: obs[obs["indicator"] == i].groupby("year")["value"].sum())
    >>> [(f.kind, f.newest, f.total, f.reference) for f in data_flags(data, ["x"], 2021)]
    [('collapsed', 2021, 15.0, 100.0)]
    >>> [(f.kind, f.newest) for f in data_flags(data, ["x"], 2024)]
    [('stale', 2021), ('collapsed', 2021)]
    >>> data_flags(data, ["x"], 2020)
    []
    """
    out: list[DataFlag] = []
    for ind in indicators:
        totals = data.yearly_totals(ind)
        totals = totals[totals.index <= year]
        if totals.empty:
            continue
        newest = int(totals.index.max())
        if year - newest > MAX_AGE:
            out.append(DataFlag(ind, "stale", int(year), newest))
        earlier = totals[totals.index < newest]
        if data.catalogue[ind].kind != "count" or len(earlier) < MIN_HISTORY:
            continue
        reference = float(np.median(earlier.to_numpy(float)))
        total = float(totals[newest])
        if reference >= MIN_REFERENCE and total < COLLAPSE_SHARE * reference:
            out.append(DataFlag(ind, "collapsed", int(year), newest, total, reference,
                                int(earlier.index.min())))
    return out

