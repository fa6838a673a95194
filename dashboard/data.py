"""Every cached data function of the dashboard, and nothing else: the data boundary of the pages.

A cached function depends only on its arguments. ``version`` is the store's key of the active
datasets (``Store.version``): an import or a rollback changes it, and with it every cache key.
The caches are ``dashboard.shared.memo`` (process-wide, out of reach of Streamlit's
``clear_cache`` message, which any viewer can send): ``cache_data`` returns a fresh copy on each
call, so callers may mutate what they get; ``cache_resource`` one shared object, never mutated.
"""
from __future__ import annotations

import dataclasses
import functools

import geopandas as gpd
import pandas as pd

from dashboard import map_layer, shortlist
from dashboard.shared import memo
from geodata.boundaries import read_units
from geodata.build import ensure_store, web_geojson_for
from geodata.config import data_root, store_location
from geodata.packs import load_pack
from geodata.store import Store
from geodata.country_data import catalogue_from_store

__all__ = ["store", "built", "version", "pack", "observations", "catalogue", "units", "web_geojson",
           "map_years", "mappable_indicators", "finest_unit_names", "search_example", "attribution", "country_name",
           "level_name", "level_names",
           "base_spec", "model_data", "dimension_stage", "model_result", "indicator_layer", "matcher", "regional",
           "regional_geojson",
           "trend_series", "trend_flags", "monthly", "rolling", "concentration", "diagnostics", "unmatched",
           "cache_data", "cache_resource"]

#: The two kinds of cache, named after Streamlit's (see the module docstring).
cache_data = functools.partial(memo, copy=True)
cache_resource = functools.partial(memo, copy=False)


def store(country: str) -> Store:
    """The country's store at ``RISKMAP_STORE`` (built on first use; checked, see
    ``geodata.store.Store``). It keeps a location (a file's path or a PostgreSQL URL), not a
    connection; the location keys the cache, so a changed ``RISKMAP_STORE`` opens the new store."""
    return _store(country, str(store_location()))


def built(countries) -> tuple:
    """Those of ``countries`` whose packs are in the store already (read, never built: a
    background warm-up must not build a country's store while visitors wait on it)."""
    from geodata.store import open_store

    current = open_store()
    return tuple(c for c in countries if current.meta(f"pack:{c}"))


@cache_resource()
def _store(country: str, location: str) -> Store:
    return ensure_store(country)


def version(country: str) -> str:
    """Key of the active data. A SQLite store is read again only when its file changed (every
    commit rewrites it: one ``stat`` per script run instead of a connection); a PostgreSQL store
    on every call, since another server may have changed it."""
    current = store(country)
    path = getattr(current, "path", None)
    if path is None:
        return current.version(country)
    stat = path.stat()
    return _file_version(country, str(path), stat.st_mtime_ns, stat.st_size)


@cache_data(max_entries=64)
def _file_version(country: str, path: str, mtime_ns: int, size: int) -> str:
    """``Store.version`` of the SQLite file at ``path`` in the state (``mtime_ns``, ``size``) named."""
    return store(country).version(country)


@cache_resource()
def pack(country: str):
    """The country pack (a frozen dataclass; shared, never mutated)."""
    return load_pack(country)


@cache_data()
def observations(country: str, version: str) -> pd.DataFrame:
    return store(country).observations(country)


@cache_data()
def catalogue(country: str, version: str) -> dict:
    """Indicator id -> ``geodata.catalogue.Indicator`` (frozen), pack and imported ones."""
    return catalogue_from_store(store(country), country)


@cache_data()
def units(country: str, level: str) -> gpd.GeoDataFrame:
    return read_units(data_root(), pack(country), level)


@cache_data()
def web_geojson(country: str, level: str) -> str:
    """Simplified GeoJSON text of a level (computed once per boundary file, kept in the store)."""
    return web_geojson_for(store(country), country, level)


@cache_data()
def map_years(country: str, version: str, indicator: str | None = None) -> list[int]:
    """Years with observations (of one indicator, or of any) on the country's units finer than
    departments (El Salvador's districts and 2024 municipios; the municipios elsewhere), ascending."""
    obs = observations(country, version)
    obs = obs[obs["level"].isin([lvl for lvl in pack(country).levels if lvl != "department"])]
    if indicator is not None:
        obs = obs[obs["indicator"] == indicator]
    return sorted(int(y) for y in obs["year"].unique())


@cache_data()
def mappable_indicators(country: str, version: str) -> list[str]:
    """``dashboard.map_layer.mappable_indicators`` of the country's data (a scan of every
    observation, ~15 ms: done once per data version, not on every Map page run)."""
    md = model_data(country, version)
    return map_layer.mappable_indicators(md.catalogue, md.observations)


@cache_data()
def finest_unit_names(country: str, version: str) -> dict[str, str]:
    """Code -> "name (department)" of the country's finest units (El Salvador's districts,
    elsewhere municipios): the options of the programme pickers on Map and Priorities."""
    md = model_data(country, version)
    finest = md.units[md.finest]
    return dict(zip(finest["code"], finest["name"] + " (" + finest["dept_name"] + ")"))


@cache_data()
def search_example(country: str, version: str, level: str) -> str:
    """``dashboard.shortlist.search_example`` of the country's units at ``level``: the Map
    page's search box example (a unit of the country shown, most populous; once per version)."""
    md = model_data(country, version)
    return shortlist.search_example(md.units[level], md.population, level)


@cache_resource()
def base_spec(country: str):
    """The country's default ``risk_model.Spec`` (``<country>_default``; frozen, shared)."""
    from risk_model.spec import load_spec

    return load_spec(f"{country}_default")


@cache_resource(max_entries=4)
def model_data(country: str, version: str):
    """``risk_model.ModelData`` of a country (units of every level, neighbours, observations).

    Shared by every session and process-wide (``cache_resource``): never mutate it. ``version`` keys the cache.
    """
    from geodata.country_data import load_tables
    from risk_model.pipeline import model_data as build

    return build(load_tables(country, store=store(country)))


@cache_resource(max_entries=8)  # ~20 MB each at 262 units x 1,000 draws
def dimension_stage(country: str, version: str, draws_key: str, year: int, level: str):
    """``risk_model.pipeline.dimension_stage``: the dimension-level Monte Carlo draws of the
    country's spec with ``draws_key`` (``Spec.draws_key()``: window, smoothing, draws, seed) for
    ``year`` at ``level``, per data version. A weight, aggregation, class or N change reuses
    them and only re-aggregates. Shared by every session and process-wide (``cache_resource``): never mutate it."""
    from risk_model.pipeline import dimension_stage as build
    from risk_model.spec import parse_key

    spec = parse_key(base_spec(country), draws_key)
    return build(model_data(country, version), spec, int(year), level=level)


@cache_resource(max_entries=32)  # small: the stage's draws are shared
def _finished(country: str, version: str, spec_key: str, year: int, level: str, draws: int | None):
    """The :func:`model_result` of these arguments, computed once and shared (never mutated)."""
    from risk_model.pipeline import finish
    from risk_model.spec import parse_key

    spec = parse_key(base_spec(country), spec_key).with_scenario(draws=draws)
    stage = dimension_stage(country, version, spec.draws_key(), int(year), level)
    return finish(stage, spec, model_data(country, version))


def model_result(country: str, version: str, spec_key: str, year: int, level: str,
                 draws: int | None = None):
    """``risk_model.ModelResult`` of the scenario ``spec_key`` (``Spec.key()`` text over the
    country's default spec, draws and seed included) for ``year`` at ``level``: the cached
    :func:`dimension_stage` re-aggregated (``risk_model.pipeline.finish``), so every page,
    export and the command line show the same bands for the same key. ``draws`` overrides the
    key's draws (0 = none, for a score without band). The re-aggregation is cached too (for
    Mexico's 2,469 municipios x 1,000 draws it takes 0.3-1 s, on every page's first view);
    each call gets its own copy of ``table`` (callers may change it; the other fields are
    shared, read only). Raises ``geodata.errors.DataError`` (e.g. every weight 0)."""
    result = _finished(country, version, spec_key, int(year), level, draws)
    return dataclasses.replace(result, table=result.table.copy())


@cache_data(max_entries=128)
def indicator_layer(country: str, version: str, indicator: str, year: int, level: str, window: int,
                    scheme: str = "quantiles"):
    """``risk_model.indicator_layer`` of one indicator at ``level`` (public mode), classed by
    ``scheme``: what the Map page shows and hands to its exports (shared, read only)."""
    from risk_model.indicator_layer import indicator_layer as build

    return build(model_data(country, version), indicator, year=int(year), window=int(window), level=level,
                 scheme=scheme, public=True)


def indicator_frame(country: str, version: str, indicator: str, year: int, level: str,
                    window: int, scheme: str = "quantiles"):
    """``dashboard.map_layer.indicator_frame`` of one indicator at ``level`` (public mode): the
    frame and info of :func:`indicator_layer` (each call gets its own frame)."""
    return map_layer.layer_frame(indicator_layer(country, version, indicator, year, level, window, scheme))


@cache_data(max_entries=128)
def hotspots(country: str, version: str, level: str, layer: str, year: int, spec_key: str,
             window: int) -> pd.DataFrame:
    """Local Moran and Gi* codes (``risk_model.result_tables.hotspot_table``, 999 permutations, seed 0)
    of the map's layer: the composite of ``spec_key`` or an indicator's smoothed value."""
    from risk_model.result_tables import hotspot_table

    if layer == map_layer.COMPOSITE:
        values = model_result(country, version, spec_key, year, level, 0).table["score"]
    else:
        values = indicator_frame(country, version, layer, year, level, window)[0]["value"]
    return hotspot_table(model_data(country, version), values.to_numpy(float), level=level, seed=0)


@cache_data()
def programme_default(country: str) -> tuple[list[str], list[str]]:
    """Codes of the finest units where the programme works (``dashboard.priorities.PROGRAMMES``:
    El Salvador's eight municipalities, as districts), resolved by name through the matcher;
    and the names that did not resolve. Empty for a country without a known programme."""
    from dashboard.priorities import PROGRAMMES, programme_codes

    if country not in PROGRAMMES:
        return [], []
    return programme_codes(matcher(country), PROGRAMMES[country])


@cache_resource()
def matcher(country: str):
    """The country's name and code matcher (``geodata.matching.Matcher``; shared, read only)."""
    from geodata.build import pack_matcher

    return pack_matcher(data_root(), pack(country))


def country_name(country: str, lang: str) -> str:
    """The country's name from its pack, in ``lang``."""
    p = pack(country)
    return p.name_en if lang == "en" else p.name_es


def level_name(country: str, level: str, lang: str, kind: str = "data") -> str:
    """The level's name with the country's unit count ("14 departamentos", "340 municipios");
    ``kind`` is the message section: "sidebar", "map" or "data"."""
    from dashboard.i18n import t

    from dashboard.text import format_number

    n = pack(country).boundaries.get("expected_units", {}).get(level, "")
    n = format_number(n, lang, 0) if n != "" else n  # "2.469 municipios" / "2,469 municipios"
    return t(f"{kind}.level_{pack(country).units.get('level_keys', {}).get(level, level)}", lang, n=n)


def level_names(country: str, lang: str) -> dict[str, str]:
    """Level -> ``level_name`` (kind "data") for every level of the country's pack, and "country"."""
    return {lvl: level_name(country, lvl, lang) for lvl in (*pack(country).levels, "country")}


def attribution(country: str, dataset: str) -> str:
    """The pack's attribution line of a dataset ("" for a dataset the pack does not list)."""
    try:
        return pack(country).source(dataset).attribution
    except KeyError:
        return ""


# -- the regional view (dashboard.region over risk_model.regional) ----------------------------
@cache_data(max_entries=8)
def regional(countries: tuple, versions: tuple, mode: str) -> pd.DataFrame:
    """``risk_model.regional.regional_scores`` of each country's default spec at its pack's
    default year and finest level (the spec's draws, as on every page), pooled on
    the homicide rate when ``mode`` asks for it (countries without one: NaN, listed in
    ``attrs["pooled_missing"]``). ``versions`` (one per country) keys the cache."""
    from risk_model.regional import regional_scores

    results = {c: model_result(c, v, base_spec(c).key(), pack(c).default_year, pack(c).finest)
               for c, v in zip(countries, versions)}
    return regional_scores(results, pooled=None if mode == "within_country" else mode, strict=False)


@cache_data()
def regional_geojson(countries: tuple, lang: str) -> str:
    """``dashboard.region.combine_geojson`` of the countries' finest web GeoJSON (cached in
    each store, as for one country)."""
    from dashboard.region import combine_geojson

    return combine_geojson({c: web_geojson(c, pack(c).finest) for c in countries},
                           {c: country_name(c, lang) for c in countries})


# -- Trends, Profile and Data pages (trend_series, data_report over risk_model) -----------
@cache_data(max_entries=128)
def trend_series(country: str, version: str, indicator: str, level: str) -> pd.DataFrame:
    """``dashboard.trend_series.yearly_series`` of one indicator at ``level`` (national rows included)."""
    from dashboard.trend_series import yearly_series

    return yearly_series(model_data(country, version), indicator, level=level)


@cache_data(max_entries=64)
def trend_flags(country: str, version: str, indicator: str, level: str, last: int = 5) -> pd.DataFrame:
    """``risk_model.result_tables.trend_table``: change per year and rising/falling/stable/insufficient."""
    from risk_model.result_tables import trend_table

    return trend_table(model_data(country, version), indicator, level=level, last=last)


@cache_resource()
def monthly(country: str) -> pd.DataFrame | None:
    """``geodata.country_data.load_monthly``: the pack's monthly event series (``code, year,
    month, events``; Mexico's 651,024 municipio-months, about 2 s to read), None for a country
    without one. Shared by every session and process-wide (``cache_resource``): never mutate it."""
    from geodata.country_data import load_monthly

    return load_monthly(country)


@cache_data(max_entries=8)
def rolling(country: str, version: str, level: str) -> pd.DataFrame | None:
    """``risk_model.rolling.rolling_table`` at ``level``: each unit's rate over the series' last
    12 months against the 12 before, with its flag; None for a country without a monthly series."""
    from risk_model.rolling import rolling_table

    series = monthly(country)
    return None if series is None else rolling_table(model_data(country, version), series, level=level)


@cache_data()
def concentration(country: str) -> pd.DataFrame | None:
    """``risk_model.rolling.concentration`` of the monthly series summed by year (share of the
    events in the 50 units with most, units with none); None without a monthly series."""
    from risk_model.rolling import concentration as table

    series = monthly(country)
    if series is None:
        return None
    return table(series.groupby(["code", "year"], as_index=False)["events"].sum())


@cache_data(max_entries=16)
def diagnostics(country: str, version: str, indicators: tuple, year: int, window: int):
    """``dashboard.data_report.diagnostics`` and its collinear pairs at ``year``."""
    from dashboard.data_report import collinear_pairs
    from dashboard.data_report import diagnostics as table

    diag, values = table(model_data(country, version), list(indicators), year=year, window=window)
    return diag, collinear_pairs(values)


@cache_data()
def unmatched(country: str, version: str) -> pd.DataFrame:
    """Source rows of the active datasets that could not be placed (``Store.unmatched``)."""
    return store(country).unmatched(country)


@cache_data(max_entries=32)
def audit_structure(country: str, version: str, spec_key: str, year: int, level: str) -> dict:
    """``risk_model.audit.structure`` of the scenario (no Monte Carlo needed: it reads the
    nominal scores)."""
    from risk_model.audit import structure

    return structure(model_result(country, version, spec_key, year, level, 0))


@cache_data(max_entries=8)
def audit_report(country: str, version: str, spec_key: str, year: int, level: str) -> dict:
    """``risk_model.audit.audit_report`` (structure, Sobol indices, rank ranges): about 20 s."""
    from risk_model.audit import audit_report as report
    from risk_model.spec import parse_key

    return report(model_data(country, version), parse_key(base_spec(country), spec_key), int(year), level=level)


@cache_data(max_entries=8)
def validation(country: str, version: str, spec_key: str, year: int, level: str) -> dict | None:
    """``risk_model.validate.validate_report`` of the scenario, or None without a published peer."""
    from geodata.reference import PEERS
    from risk_model.spec import parse_key
    from risk_model.validate import validate_report

    if country not in PEERS:
        return None
    return validate_report(model_data(country, version), parse_key(base_spec(country), spec_key), int(year),
                           level=level)


@cache_data(max_entries=8)
def backtest(country: str, version: str, spec_key: str, level: str) -> pd.DataFrame:
    """``risk_model.backtest.backtest_table`` of the scenario over its default outcomes."""
    from risk_model.backtest import backtest_table
    from risk_model.spec import parse_key

    spec = parse_key(base_spec(country), spec_key)
    return backtest_table(model_data(country, version), spec, top_n=spec.top_n, level=level)
