"""Build the store from a country pack, and check that what it holds is consistent.

``build`` is idempotent: it fingerprints the manifest, the catalogue, every source file, the
alias table and the adapters' code, and does nothing when the fingerprint is unchanged.
Only the pack's own datasets are replaced; imported datasets are never touched.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from geodata import config
from geodata.adapters import get_adapter
from geodata.adapters.base import REASONS
from geodata.adapters.census2024 import population_2024
from geodata.boundaries import boundary_file, read_crosswalk, read_units
from geodata.catalogue import load_catalogue
from geodata.errors import DataError
from geodata.matching import ALIAS_DIR, Matcher
from geodata.packs import load_pack
from geodata.population import census_projection_table, population_table, read_population, single_year_table
from geodata.store import SCHEMA_VERSION, Store, open_store

__all__ = ["build", "ensure_store", "check", "file_sha256", "report_path", "web_geojson_for",
           "pack_matcher", "pack_population", "has_webgeom"]

_CODE_DIR = Path(__file__).resolve().parent


def has_webgeom() -> bool:
    """Whether the web geometry module is present (build and check skip web GeoJSON without it)."""
    return (_CODE_DIR / "webgeom.py").exists()


def pack_matcher(root: Path, pack) -> Matcher:
    """The name and code matcher of a pack: El Salvador through its crosswalk, others from units."""
    if "crosswalk" in pack.boundaries:
        return Matcher.for_country(read_crosswalk(root, pack), pack.country)
    aliases = pd.read_csv(ALIAS_DIR / f"aliases_{pack.country}.csv", dtype=str)
    return Matcher.from_units(read_units(root, pack, pack.finest), pack.finest, aliases,
                              code_prefix=pack.units.get("code_prefix", ""),
                              code_digits=int(pack.units.get("code_digits", 4)))


def pack_population(root: Path, pack) -> pd.DataFrame:
    """The long population table of a pack (``geodata.population``)."""
    if "population_2024" in pack.boundaries:  # El Salvador: 2007 census, 2024 census, modelled years
        return population_table(pd.read_csv(root / pack.boundaries["population"], dtype={"digestyc_code": str}),
                                read_crosswalk(root, pack), population_2024(root / pack.boundaries["population_2024"]))
    u = pack.units
    if "population_projection" in pack.boundaries:  # Mexico: censuses, then CONAPO's projection
        census = pd.read_csv(root / pack.boundaries["population"], dtype={"cvegeo": str}, encoding="utf-8")
        conapo = pd.read_csv(root / pack.boundaries["population_projection"], dtype={"cve_mun": str},
                             encoding="utf-8")
        return census_projection_table(census, conapo, read_units(root, pack, pack.finest))
    pop = read_population(root / pack.boundaries["population"], u["population_reader"])
    return single_year_table(pop, read_units(root, pack, pack.finest), level=pack.finest,
                             year=int(u["population_year"]), source=u["population_reader"])


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fingerprint(pack, root: Path) -> str:
    h = hashlib.sha256((pack.fingerprint + SCHEMA_VERSION).encode())
    files = [root / s.file for s in pack.sources]
    files += [root / v for k, v in pack.boundaries.items() if isinstance(v, str) and k != "water"]
    for path in files:
        if not path.exists():
            raise DataError("data.missing_file", "data file not found: {path} (set RISKMAP_DATA_ROOT)",
                            path=str(path))
        h.update(file_sha256(path).encode())
    code = sorted(_CODE_DIR.glob("adapters/*.py")) + [_CODE_DIR / "population.py", _CODE_DIR / "matching.py",
                                                      ALIAS_DIR / f"aliases_{pack.country}.csv"]
    for path in code:
        h.update(path.read_bytes())
    return h.hexdigest()


def report_path(store: Store, country: str) -> Path:
    """The unmatched-rows report written beside the store: one explained line per row."""
    return store.report_dir / f"unmatched_{country}.csv"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)  # data/ of a fresh clone on a PostgreSQL store
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)
    os.replace(tmp, path)


def _denominators(obs: pd.DataFrame, catalogue, pop: pd.DataFrame) -> pd.DataFrame:
    """Fill the population of the unit and year as denominator of population-based counts.

    For an indicator with ``partial_years`` the adapter's denominator is the fraction of the
    year a row covers (0..1]; the population is multiplied by it (person-years)."""
    needs = obs["indicator"].map(lambda i: catalogue[i].denominator == "population"
                                 and catalogue[i].kind == "count")
    partial = obs["indicator"].map(lambda i: bool(catalogue[i].options.get("partial_years")))
    key = pop.set_index(["unit", "level", "year"])["population"]
    idx = pd.MultiIndex.from_frame(obs.loc[needs, ["unit", "level", "year"]])
    fraction = np.where(partial[needs], obs.loc[needs, "denominator"].fillna(1.0), 1.0)
    obs.loc[needs, "denominator"] = key.reindex(idx).to_numpy() * fraction
    return obs


def _validate(obs: pd.DataFrame, catalogue, dataset: str, *, counts_without_population: bool = False) -> None:
    bad = ~np.isfinite(obs["value"])
    kinds = obs["indicator"].map(lambda i: catalogue[i].kind)
    bad |= (kinds == "count") & (obs["value"] < 0)
    bad |= (kinds == "share") & ~obs["value"].between(0, 100)
    if not counts_without_population:
        bad |= (kinds == "count") & obs["denominator"].isna() & (obs["level"] != "country")
    if bad.any():
        r = obs[bad].iloc[0]
        raise DataError("build.bad_value", "{dataset}: {n} invalid values, first {indicator} {unit} {year} = {value}",
                        dataset=dataset, n=int(bad.sum()), indicator=r.indicator, unit=r.unit,
                        year=int(r.year), value=r.value)


def _read_sources(pack, root: Path, say):
    """Read and validate every source file of the pack: ``(catalogue, population, loads)`` with
    ``loads`` a list of ``(source, path, AdapterResult, observations)``. A file problem raises
    DataError naming the file (and row, column and value where a cell is wrong)."""
    catalogue = load_catalogue(pack)
    matcher = pack_matcher(root, pack)
    pop = pack_population(root, pack)
    loads = []
    for src in pack.sources:
        path = root / src.file
        say(f"reading {src.file}")
        inds = [i for i in catalogue.values() if i.dataset == src.dataset]
        res = get_adapter(src.adapter)(path, inds, matcher)
        obs = _denominators(res.observations, catalogue, pop)
        _validate(obs, catalogue, src.dataset,
                  counts_without_population=bool(pack.units.get("counts_without_population")))
        loads.append((src, path, res, obs))
    return catalogue, pop, loads


def build(country: str = "slv", *, store: Store | None = None, root: Path | None = None,
          force: bool = False, progress=None) -> dict:
    """Build or rebuild a country's pack data in the store; return a summary per file.

    Does nothing (``{"changed": False}``) when the fingerprint is unchanged, unless ``force``.
    """
    store = store or open_store()
    root = root or config.data_root()
    say = progress or (lambda msg: None)
    pack = load_pack(country)
    fp = _fingerprint(pack, root)
    if not force and store.meta(f"pack:{country}") == fp:
        return {"changed": False, "fingerprint": fp}
    catalogue, pop, loads = _read_sources(pack, root, say)
    files = {src.file: {"rows_read": res.rows_read, "rows_stored": res.rows_stored,
                        "rows_unmatched": len(res.unmatched), "observations": len(obs)}
             for src, _, res, obs in loads}
    with store.transaction() as con:
        store.delete_pack(con, country)
        con.execute("DELETE FROM web_geometry WHERE country = ?", (country,))  # derived: rebuilt below
        for src, path, res, obs in loads:
            store.add_dataset(con, country=country, name=src.dataset, kind="pack", source_file=src.file,
                              sha256=file_sha256(path), observations=obs, unmatched=res.unmatched,
                              rows_read=res.rows_read, rows_stored=res.rows_stored,
                              imported_by="pack", notes="; ".join(res.notes), version=0)
        store.put_population(con, country, pop)
        unplaced = {i: t for _, _, res, _ in loads for i, t in res.unplaced.items()}
        store.set_meta(con, f"unplaced:{country}", json.dumps(unplaced))
        for ind in catalogue.values():
            store.put_indicator(con, country, ind.id, "pack", json.dumps(asdict(ind), ensure_ascii=False))
        store.set_meta(con, f"pack:{country}", fp)
    _write_report(store, country)
    if has_webgeom():
        say("simplifying web geometry")
        for level in pack.levels:
            web_geojson_for(store, country, level, root=root)
    return {"changed": True, "fingerprint": fp, "files": files}


def _write_report(store: Store, country: str) -> None:
    un = store.unmatched(country)
    un["explanation"] = un["reason"].map(REASONS).fillna("")
    _write_atomic(report_path(store, country), un.to_csv(index=False))


def web_geojson_for(store: Store, country: str, level: str, *, root: Path | None = None) -> str:
    """The simplified GeoJSON of a level (at most ``webgeom.MAP_BYTES``, or the pack's
    ``[units] web_map_bytes`` with its ``web_precision`` and ``web_tolerances_m``), computed once
    per boundary file and cached in the store."""
    from geodata.webgeom import MAP_BYTES, TOLERANCE_STEPS_M, web_geojson

    root = root or config.data_root()
    pack = load_pack(country)
    u = pack.units
    opts = {"max_bytes": int(u.get("web_map_bytes", MAP_BYTES)), "precision": int(u.get("web_precision", 4)),
            "tolerances_m": tuple(u.get("web_tolerances_m", TOLERANCE_STEPS_M))}
    fp = file_sha256(root / boundary_file(pack, level)) + ":" + file_sha256(_CODE_DIR / "webgeom.py") \
        + f":{opts}"
    if level not in pack.boundaries:  # derived by dissolving: the dissolve code is part of it
        fp += ":" + file_sha256(_CODE_DIR / "boundaries.py")
    text = store.web_geojson(country, level, fp)
    if text is None:
        text = web_geojson(read_units(root, pack, level), **opts)
        store.put_web_geojson(country, level, fp, text)
    return text


def ensure_store(country: str = "slv", *, path: Path | None = None) -> Store:
    """The store at ``RISKMAP_STORE`` (or ``path``), checked (``Store`` raises ``store.damaged``),
    built from the pack if needed, and backed up at most once a day (``geodata.backups.daily``)."""
    from geodata import backups

    store = open_store(path)
    build(country, store=store)
    backups.daily(store)
    return store


def check(country: str = "slv", *, store: Store | None = None, root: Path | None = None) -> dict:
    """Facts about the stored data; ``problems`` lists every inconsistency (empty when fine).

    ``units`` counts the finest level (262 districts; 340 or 298 municipios), ``departments``
    the departments; ``municipios_2024`` is None for packs without the 2024 reform.
    ``web_geojson_bytes`` is None when the web geometry module is absent.
    """
    import shapely

    root = root or config.data_root()
    store = store or ensure_store(country)
    pack = load_pack(country)
    finest = pack.finest
    problems = []
    if store.meta(f"pack:{country}") != _fingerprint(pack, root):  # the files changed since the build
        try:
            _read_sources(pack, root, lambda msg: None)
            problems.append("the shared files changed since the store was built: run `python -m geodata build`")
        except DataError as err:
            problems.append(str(err))
    units = {lvl: read_units(root, pack, lvl) for lvl in pack.levels}
    obs = store.observations(country)
    ds = store.datasets(country)
    ds = ds[ds["status"] == "active"]
    webgeom = has_webgeom()
    web = web_geojson_for(store, country, finest, root=root) if webgeom else None
    invalid = sum(int((~shapely.is_valid(u.geometry.values)).sum()) for u in units.values())
    if webgeom:
        invalid += sum(int((~shapely.is_valid(read_geoms(web_geojson_for(store, country, lvl, root=root)))).sum())
                       for lvl in pack.levels)
    years = {i: sorted(int(y) for y in g["year"].unique()) for i, g in obs.groupby("indicator", sort=False)}
    expected = pack.boundaries.get("expected_units", {})
    for lvl, n in expected.items():
        if len(units[lvl]) != n:
            problems.append(f"{lvl}: {len(units[lvl])} units, expected {n}")
    if not units[finest]["code"].is_unique:
        problems.append(f"{finest}: duplicate unit codes")
    if "crosswalk" in pack.boundaries:
        crosswalk = read_crosswalk(root, pack)
        if crosswalk["digestyc_code"].duplicated().any() or crosswalk["mun2024_mh_code"].isna().any():
            problems.append("crosswalk: a district is not in exactly one 2024 municipio")
    population: dict = {}
    if "pop_2007" in units[finest]:
        national = int(units[finest]["pop_2007"].sum())
        if national != pack.boundaries.get("national_population_2007", national):
            problems.append(f"2007 population sums to {national}")
    else:
        pop = store.population(country, finest)
        year = int(pack.units["population_year"])
        pop = pop[pop["year"] == year]
        missing = sorted(set(units[finest]["code"]) - set(pop["unit"]))
        population = {"year": year, "source": pack.units["population_reader"],
                      "total": int(pop["population"].sum()), "units_with_population": len(pop),
                      "units_missing_population": missing}
        published = pack.boundaries.get("national_population")
        if published is not None and population["total"] != published:
            problems.append(f"{year} population sums to {population['total']}, expected {published}")
    for r in ds.itertuples():
        if r.rows_stored + r.rows_unmatched != r.rows_read:
            problems.append(f"{r.source_file}: stored {r.rows_stored} + unmatched {r.rows_unmatched} != read {r.rows_read}")
    if invalid:
        problems.append(f"{invalid} invalid geometries")
    budget = web_budget(pack)
    if web is not None and len(web.encode()) > budget:
        problems.append(f"{finest} web GeoJSON is {len(web.encode())} bytes (> {budget})")
    sums = national_sums(store, country, obs)
    for ind, published in pack.national_totals.items():
        for year, total in published.items():
            got = sums.get(ind, {}).get(year, {}).get("total")
            if got is None or round(got) != total:
                problems.append(f"{ind} {year}: national sum {got}, published {total}")
    facts = {
        "country": country,
        "levels": list(pack.levels),
        "units": len(units[finest]),
        "departments": len(units["department"]),
        "municipios_2024": len(units["municipio_2024"]) if "municipio_2024" in units else None,
        "indicators": list(years),
        "years": years,
        "invalid_geometries": invalid,
        "unmatched_rows": int(ds["rows_unmatched"].sum()),
        "unmatched_report": str(report_path(store, country)),
        "web_geojson_bytes": len(web.encode()) if web is not None else None,
        "coarse_geometry": pack.coarse_geometry,
    }
    if pack.national_totals:
        facts["national_sums"] = {i: {str(y): v for y, v in t.items()} for i, t in sums.items()}
    if "pop_2007" in units[finest]:
        facts["population_2007"] = national
    else:
        facts["population"] = population
    if pack.coarse_geometry:
        facts["geometry_note"] = pack.geometry_note("en")
    facts.update({
        "files": {r.source_file: {"rows_read": r.rows_read, "rows_stored": r.rows_stored,
                                  "rows_unmatched": r.rows_unmatched, "observations": r.observations}
                  for r in ds.itertuples()},
        "store": store.location,
        "version": store.version(country),
        "problems": problems,
    })
    return facts


def national_sums(store: Store, country: str, obs: pd.DataFrame | None = None) -> dict:
    """Count indicators' national sums by year: ``{id: {year: {"stored", "unplaced", "total"}}}``.

    ``stored`` sums the stored observations of the finest level; ``unplaced`` the amounts of
    source rows no unit could take (a municipio 'No especificado'); ``total`` both, which is
    what a publisher's national figure counts."""
    obs = store.observations(country) if obs is None else obs
    unplaced = json.loads(store.meta(f"unplaced:{country}") or "{}")
    out: dict = {}
    for (ind, year), v in obs[obs["level"] != "country"].groupby(["indicator", "year"])["value"].sum().items():
        if ind in unplaced or ind in load_pack(country).national_totals:
            extra = float(unplaced.get(ind, {}).get(str(year), 0.0))
            out.setdefault(ind, {})[int(year)] = {"stored": float(v), "unplaced": extra, "total": float(v) + extra}
    return out


def web_budget(pack) -> int:
    """Bytes the finest level's web GeoJSON may take: ``[units] web_limit_bytes`` (Mexico's 2,469
    municipios), else 300,000."""
    return int(pack.units.get("web_limit_bytes", 300_000))


def read_geoms(text: str):
    """Geometries of a GeoJSON FeatureCollection text, as a shapely array."""
    import shapely

    feats = json.loads(text)["features"]
    return np.array([shapely.geometry.shape(f["geometry"]) for f in feats])
