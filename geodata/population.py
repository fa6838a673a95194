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

Guatemala and Honduras have one population year each (``single_year_table``):

- Guatemala: 2018 census (INE) by municipio, from UNHCR's MVI population table
  (``gtm_mvi_2018``; 340 municipios, national 14,901,286).
- Honduras: the 2014 population carried by the IUDPAS homicide file (``hnd_iudpas_2014``;
  265 municipios, 8,529,767). The 33 municipios absent from that file have no population in
  any shared file: they are left out of the table (``missing``), not guessed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["population_table", "YEARS", "POPULATION_READERS", "read_population", "single_year_table"]

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


def _gtm_mvi_2018(path) -> pd.Series:
    """``gtm_unhcr_mvi_population_table.xlsx``: ``Cód_mun`` (INE code) and ``Pop_Total``."""
    df = pd.read_excel(path, sheet_name=0)
    codes = "GT" + df["Cód_mun"].astype(int).astype(str).str.zfill(4)
    return pd.Series(df["Pop_Total"].astype("int64").to_numpy(), index=codes.to_numpy())


def _hnd_iudpas_2014(path) -> pd.Series:
    """``hnd_iudpas_municipal_homicides_2014.csv``: ``geoId`` (INE code) and ``pop_total``."""
    df = pd.read_csv(path, dtype={"geoId": str}, encoding="utf-8")
    return pd.Series(df["pop_total"].astype("int64").to_numpy(), index=df["geoId"].str.zfill(4).to_numpy())


#: ``[units] population_reader`` of a pack -> function(path) -> population by finest unit code.
POPULATION_READERS = {"gtm_mvi_2018": _gtm_mvi_2018, "hnd_iudpas_2014": _hnd_iudpas_2014}


def read_population(path, reader: str) -> pd.Series:
    """Population (persons) by finest unit code, read by the named reader."""
    return POPULATION_READERS[reader](path)


def single_year_table(pop: pd.Series, units: pd.DataFrame, *, level: str, year: int,
                      source: str) -> pd.DataFrame:
    """Long table (columns of ``population_table``) for one census-like year.

    Finest units present in ``pop`` get their figure; departments get the sum of their units.
    A department with a unit missing from ``pop`` is marked ``source = "<source>_incomplete"``
    (its figure is the sum of the units that have one). Codes of ``pop`` that are not units
    are ignored (the build's row accounting reports them).
    """
    pop = pop[pop.index.isin(units["code"])]
    fine = pd.DataFrame({"unit": pop.index, "level": level, "year": year,
                         "population": pop.to_numpy(dtype=float), "source": source, "modelled": False})
    dept_of = units.set_index("code")["dept_code"]
    missing = set(units["code"]) - set(pop.index)
    short = {dept_of[c] for c in missing}
    dept = pop.groupby(dept_of.reindex(pop.index).to_numpy()).sum()
    depts = pd.DataFrame({"unit": dept.index, "level": "department", "year": year,
                          "population": dept.to_numpy(dtype=float),
                          "source": [f"{source}_incomplete" if d in short else source for d in dept.index],
                          "modelled": False})
    table = pd.concat([fine, depts], ignore_index=True)
    table["modelled"] = table["modelled"].astype(bool)
    return table[["unit", "level", "year", "population", "source", "modelled"]]
