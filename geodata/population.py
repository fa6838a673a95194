"""Population by unit and year (persons), with where each figure comes from.

- 2007: the exact 2007 census (``census2007``), national total 5,744,113.
- 2024: the 2024 census total of each 2024 municipio (5,922,921 over the 44), exact at that
  level; for districts it is shared out in proportion to their GPW v4.11 2020 estimate
  (``census2024_shared``, modelled).
- 2008-2023: linear between the two censuses, district by district (``intercensal``, modelled).
  GPW alone is not used here: scaled to the 2007 census it gives 6.7 million in 2020, far above
  both censuses, because it does not see the emigration of those years.
- 2000-2006: GPW v4.11 (every 5 years), linearly interpolated and scaled per district so that
  2007 equals the census (``gpw_anchored``, modelled).
Municipio and department figures are sums of their districts, except 2024, which is the census.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["population_table", "YEARS"]

YEARS = range(2000, 2025)
GPW_YEARS = (2000, 2005, 2010, 2015, 2020)


def population_table(pop: pd.DataFrame, crosswalk: pd.DataFrame, census2024: pd.Series) -> pd.DataFrame:
    """Long table ``unit, level, year, population, source, modelled`` for every level.

    Parameters
    ----------
    pop : DataFrame
        ``slv_population_262.csv`` (``digestyc_code``, ``pop_2007``, ``gpw_est_<year>``).
    crosswalk : DataFrame
        District -> ``mun2024_mh_code`` -> ``dept_code``.
    census2024 : Series
        2024 census population by 2024 municipio code.
    """
    pop = pop.set_index("digestyc_code")
    gpw = pop[[f"gpw_est_{y}" for y in GPW_YEARS]].astype(float).to_numpy()
    interp = np.vstack([np.interp(list(range(2000, 2021)), GPW_YEARS, row) for row in gpw])
    census07 = pop["pop_2007"].astype(float).to_numpy()
    anchored = interp * (census07 / interp[:, 7])[:, None]  # column 7 is 2007
    cw = crosswalk.set_index("digestyc_code").loc[pop.index]
    mun = cw["mun2024_mh_code"].to_numpy()
    gpw2020 = interp[:, 20]
    share = gpw2020 / pd.Series(gpw2020).groupby(mun).transform("sum").to_numpy()
    p2024 = census2024.reindex(mun).to_numpy(dtype=float) * share
    rows = []
    for j, year in enumerate(YEARS):
        if year == 2007:
            vals, src = census07, "census2007"
        elif year < 2007:
            vals, src = anchored[:, j], "gpw_anchored"
        elif year < 2024:
            vals, src = census07 + (p2024 - census07) * (year - 2007) / 17, "intercensal"
        else:
            vals, src = p2024, "census2024_shared"
        rows.append(pd.DataFrame({"unit": pop.index, "level": "district", "year": year,
                                  "population": vals, "source": src, "modelled": year != 2007}))
    district = pd.concat(rows, ignore_index=True)
    out = [district]
    for level, key in (("municipio_2024", "mun2024_mh_code"), ("department", "dept_code")):
        parent = district["unit"].map(cw[key])
        agg = district.groupby([parent, "year"], as_index=False).agg(
            population=("population", "sum"), source=("source", "first"), modelled=("modelled", "first"))
        agg = agg.rename(columns={agg.columns[0]: "unit"})
        agg["level"] = level
        if level == "municipio_2024":
            exact = agg["year"] == 2024
            agg.loc[exact, "population"] = census2024.reindex(agg.loc[exact, "unit"]).to_numpy(dtype=float)
            agg.loc[exact, ["source", "modelled"]] = ["census2024", False]
        else:
            mun_dept = cw.drop_duplicates("mun2024_mh_code").set_index("mun2024_mh_code")["dept_code"]
            by_dept = census2024.groupby(mun_dept.reindex(census2024.index)).sum()
            exact = agg["year"] == 2024
            agg.loc[exact, "population"] = by_dept.reindex(agg.loc[exact, "unit"]).to_numpy(dtype=float)
            agg.loc[exact, ["source", "modelled"]] = ["census2024", False]
        out.append(agg)
    table = pd.concat(out, ignore_index=True)[["unit", "level", "year", "population", "source", "modelled"]]
    table["population"] = table["population"].round(0)
    table["modelled"] = table["modelled"].astype(bool)
    return table
