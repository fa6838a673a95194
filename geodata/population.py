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

Mexico (``census_projection_table``), 2000-2025 by municipio (CVEGEO), every figure with its source:

- ``conapo2023``: CONAPO's municipal projections (2023 edition), used from 2015 on wherever
  they exist (2,457 of the 2,469 municipios; modelled: a projection).
- ``census``: INEGI censuses and counts (2000, 2005, 2010, 2015 Encuesta Intercensal, 2020)
  where CONAPO does not apply (exact).
- ``census_interpolated``: linear between the two censuses around the year (modelled).
- ``census2020_carried``: after 2020, for the 12 municipios without a projection (created
  2016-2020), the 2020 census held constant (modelled). Their parents' projections still
  include them, so those parents are somewhat overstated from 2015 on.
A municipio-year before the municipio's first census has no figure (left out, not guessed).
States are the sums of their municipios (``municipio_sum``; modelled when any part is).

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

__all__ = ["population_table", "YEARS", "POPULATION_READERS", "read_population", "single_year_table",
           "census_projection_table", "MEX_YEARS"]

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


#: Years of Mexico's population table (INEGI deaths 2000-2021, SESNSP 2024-2025).
MEX_YEARS = range(2000, 2026)


def census_projection_table(census: pd.DataFrame, conapo: pd.DataFrame, units: pd.DataFrame, *,
                            years=MEX_YEARS, projection_from: int = 2015) -> pd.DataFrame:
    """Long table (columns of ``population_table``) from censuses and a projection (Mexico).

    Parameters
    ----------
    census : DataFrame
        ``cvegeo, year, pop``: census and count years (persons).
    conapo : DataFrame
        ``cve_mun`` (CVEGEO), ``date_year``, ``total``: the projection (persons).
    units : DataFrame
        ``code, dept_code`` of the finest units; codes of the inputs outside it are ignored.
    projection_from : int
        First year where the projection is preferred to the censuses.
    """
    codes = units["code"].to_numpy()
    wide = census.pivot_table(index="cvegeo", columns="year", values="pop", aggfunc="sum").reindex(codes)
    proj = conapo.pivot_table(index="cve_mun", columns="date_year", values="total", aggfunc="sum").reindex(codes)
    cyears = np.array(sorted(wide.columns), dtype=int)
    cvals = wide.to_numpy(dtype=float)
    rows = []
    for year in years:
        value = np.full(len(codes), np.nan)
        source = np.full(len(codes), "", dtype=object)
        if year in cyears:
            exact = cvals[:, list(cyears).index(year)]
            value, source = exact.copy(), np.where(np.isnan(exact), "", "census").astype(object)
        before, after = cyears[cyears < year], cyears[cyears > year]
        if len(before) and len(after):
            b, a = before[-1], after[0]
            vb, va = cvals[:, list(cyears).index(b)], cvals[:, list(cyears).index(a)]
            interp = vb + (va - vb) * (year - b) / (a - b)
            fill = np.isnan(value) & ~np.isnan(interp)
            value[fill], source[fill] = interp[fill], "census_interpolated"
        if not len(after) and len(before):  # after the last census: hold it, flagged
            last = cvals[:, list(cyears).index(before[-1])]
            fill = np.isnan(value) & ~np.isnan(last)
            value[fill], source[fill] = last[fill], f"census{before[-1]}_carried"
        if year >= projection_from and year in proj.columns:
            p = proj[year].to_numpy(dtype=float)
            take = ~np.isnan(p)
            value[take], source[take] = p[take], "conapo2023"
        ok = ~np.isnan(value)
        rows.append(pd.DataFrame({"unit": codes[ok], "level": "municipio", "year": year,
                                  "population": value[ok], "source": source[ok],
                                  "modelled": source[ok] != "census"}))
    fine = pd.concat(rows, ignore_index=True)
    dept = fine.assign(dept=fine["unit"].map(units.set_index("code")["dept_code"])).groupby(
        ["dept", "year"], as_index=False).agg(population=("population", "sum"), modelled=("modelled", "any"))
    dept = dept.rename(columns={"dept": "unit"}).assign(level="department", source="municipio_sum")
    table = pd.concat([fine, dept], ignore_index=True)[["unit", "level", "year", "population", "source", "modelled"]]
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
