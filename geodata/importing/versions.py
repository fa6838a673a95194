"""An import as a new version of a dataset, rollback to another version, and the registry.

One import is one transaction (``Store.transaction``): the active version's observations with the
file's values added or updated, the previous version marked 'superseded' (kept), the history
logged. A file that changes nothing writes nothing. SQL stays in ``geodata.store``.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geodata.catalogue import Indicator
from geodata.importing.indicators import DATASET, ID, indicator_from_options
from geodata.importing.parsing import parse
from geodata.importing.reading import MAX_BYTES
from geodata.matching import Matcher
from geodata.names import IMPORT_LEVELS
from geodata.validation import fail, show


@dataclass(frozen=True, eq=False)
class ImportReport:
    """What an import did (or, for a dry run, would do).

    ``status``: 'imported' (a new version), 'unchanged' (nothing to change; nothing written) or
    'dry_run' (nothing written). ``added``/``changed``/``unchanged`` count the file's values that
    are new, differ from the active version, or equal it; ``kept`` counts stored values the file
    does not mention (left as they are). ``preview`` has one row per value of the file: ``row,
    unit, name, level, year, indicator, value, previous, denominator, change``
    (added | changed | unchanged). ``skipped``: ``row, column, value, reason`` of total rows and
    rows without values. ``version`` is the version created (dry run: that would be created;
    unchanged: the active one). ``notes``: what was read but not used (other sheets, a "Total"
    column of a wide table), in English.
    """

    dataset: str
    version: int
    sha256: str
    rows_read: int
    added: int
    changed: int
    unchanged: int
    status: str
    preview: pd.DataFrame
    indicator: str = ""
    level: str = ""
    kept: int = 0
    skipped: pd.DataFrame = field(default_factory=pd.DataFrame)
    new_indicator: bool = False
    file: str = ""
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        """One English line for the command line and logs."""
        verb = {"imported": f"imported as version {self.version}", "unchanged": "nothing to change",
                "dry_run": f"dry run for version {self.version}, nothing written"}[self.status]
        return (f"{self.file}: {self.dataset} ({self.indicator}, {self.level}): {verb}; {self.rows_read} rows "
                f"read, {self.added} added, {self.changed} changed, {self.unchanged} unchanged, "
                f"{self.kept} other stored values kept, {len(self.skipped)} rows skipped")


def _matcher(country: str, root: Path | None) -> Matcher:
    from geodata import config
    from geodata.boundaries import read_crosswalk
    from geodata.packs import load_pack

    root = root or config.data_root()
    crosswalk = read_crosswalk(root, load_pack(country))
    return Matcher.for_country(crosswalk, country)


def _stored_indicator(store, country: str, ind_id: str):
    defs = store.indicator_definitions(country)
    row = defs[defs["id"] == ind_id]
    if row.empty:
        return None, None
    return row["origin"].iloc[0], Indicator(**json.loads(row["definition"].iloc[0]))


def _plan(current: pd.DataFrame, obs: pd.DataFrame, indicator: str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The preview (file values against the active version) and the new version's rows."""
    new = obs.assign(indicator=indicator)
    key = ["indicator", "level", "unit", "year"]
    old = current.set_index(key)["value"] if len(current) else pd.Series(dtype=float)
    idx = pd.MultiIndex.from_frame(new[key])
    previous = old.reindex(idx).to_numpy(dtype=float) if len(old) else np.full(len(new), np.nan)
    same = previous == new["value"].to_numpy()
    change = np.where(np.isnan(previous), "added", np.where(same, "unchanged", "changed"))
    preview = new.assign(previous=previous, change=change)[
        ["row", "unit", "name", "level", "year", "indicator", "value", "previous", "denominator", "change"]]
    in_file = pd.MultiIndex.from_frame(current[key]).isin(idx) if len(current) else np.zeros(0, bool)
    kept_rows = current[~in_file]
    rows = pd.concat([kept_rows, new[["unit", "level", "year", "indicator", "value", "denominator"]]],
                     ignore_index=True) if len(kept_rows) else new[["unit", "level", "year", "indicator", "value",
                                                                       "denominator"]]
    return preview.reset_index(drop=True), rows.reset_index(drop=True), int(len(kept_rows))


def import_file(store, source: Path | str | bytes, *, country: str = "slv", indicator: str, editor: str,
                year: int | None = None, value_column: str | None = None, dataset: str | None = None,
                dry_run: bool = False, new_indicator: dict | None = None, level: str | None = None,
                filename: str | None = None, root: Path | None = None, max_bytes: int = MAX_BYTES) -> ImportReport:
    """Validate a file of official figures and store it as a new version of a dataset.

    Parameters
    ----------
    store : ``geodata.store.Store`` (built: it must hold the population table).
    source : path of a .csv/.xlsx file, or its bytes with ``filename`` (a Streamlit upload).
    indicator : the indicator id. An existing imported indicator, or a new one defined by
        ``new_indicator`` (see ``indicator_from_options``). Pack indicators cannot be imported into.
    editor : the name recorded in the registry (``roles.cli_editor()`` or the dashboard user).
    year : the year of every value, for files without a year column (2000..2024).
    value_column : the column holding the values when several could.
    dataset : the dataset name (default: the indicator's dataset, or the indicator id).
    level : ``district`` or ``municipio_2024``; default the indicator's level, or detected.
    dry_run : validate and compare, write nothing.

    Returns
    -------
    ImportReport

    Raises
    ------
    DataError : ``import.rejected`` with ``params['problems']`` (every row problem), or one
        ``import.*`` key for a problem with the file or the request; the store is unchanged.
    """
    if not ID.fullmatch(indicator or ""):
        raise fail("import.bad_indicator_id", id=show(indicator))
    editor = show(editor, 100) or "unknown"
    origin, known = _stored_indicator(store, country, indicator)
    if origin == "pack":
        raise fail("import.pack_indicator", id=indicator, dataset=known.dataset)
    if known is None and new_indicator is None:
        raise fail("import.unknown_indicator", id=indicator)
    name = dataset or (known.dataset if known is not None else indicator)
    if not DATASET.fullmatch(name):
        raise fail("import.bad_dataset_name", name=show(name))
    if known is not None and known.dataset != name:
        raise fail("import.indicator_dataset", id=indicator, dataset=known.dataset, given=name)
    wanted_level = level or (new_indicator or {}).get("level") or None
    if wanted_level is not None and wanted_level not in IMPORT_LEVELS:
        raise fail("import.bad_level", level=show(wanted_level), valid=", ".join(IMPORT_LEVELS))
    if name in set(store.datasets(country).query("kind == 'pack'")["name"]):
        raise fail("import.pack_dataset", name=name)
    if known is not None and new_indicator is not None:
        again = indicator_from_options(indicator, new_indicator, dataset=name,
                                       level=new_indicator.get("level") or known.level)
        if again != known:
            raise fail("import.indicator_exists", id=indicator)
    if known is not None:
        if wanted_level is not None and wanted_level != known.level:
            raise fail("import.level_mismatch", detected=wanted_level, matched=0, total=0, id=indicator,
                       level=known.level)
        kind = known.kind
    else:
        kind = indicator_from_options(indicator, new_indicator, dataset=name,
                                      level=wanted_level or "district").kind
    matcher = _matcher(country, root)
    parsed = parse(source, matcher=matcher, population=store.population(country), kind=kind,
                   level=wanted_level, year=year, value_column=value_column, filename=filename,
                   max_bytes=max_bytes, indicator_level=known.level if known is not None else None,
                   indicator_id=indicator)
    ind = known if known is not None else indicator_from_options(indicator, new_indicator, dataset=name,
                                                                 level=parsed.level)
    definition = json.dumps(asdict(ind), ensure_ascii=False)

    def plan(con):
        active = store.active_version(con, country, name)
        current = store.version_rows(con, active[0]) if active is not None else pd.DataFrame(
            columns=["unit", "level", "year", "indicator", "value", "denominator"])
        preview, rows, kept = _plan(current, parsed.observations, indicator)
        counts = preview["change"].value_counts()
        nxt = store.next_version(con, country, name)
        return active, preview, rows, kept, {k: int(counts.get(k, 0)) for k in ("added", "changed", "unchanged")}, nxt

    def report(status, version, preview, kept, n):
        return ImportReport(dataset=name, version=int(version), sha256=parsed.sha256, rows_read=parsed.rows_read,
                            status=status, preview=preview, indicator=indicator, level=parsed.level, kept=kept,
                            skipped=parsed.skipped, new_indicator=known is None, file=parsed.file,
                            notes=parsed.notes, **n)

    if dry_run:
        with store.connect() as con:
            active, preview, _, kept, n, nxt = plan(con)
        return report("dry_run", nxt, preview, kept, n)
    with store.user_transaction("import") as con:  # a backup follows the commit
        origin_now = store.indicator_row(con, country, indicator)
        if known is None and origin_now is not None:
            same = Indicator(**json.loads(origin_now[1])) == ind and origin_now[0] == "import"
            if not same:
                raise fail("import.indicator_exists", id=indicator)
        active, preview, rows, kept, n, nxt = plan(con)
        if n["added"] == 0 and n["changed"] == 0:
            return report("unchanged", active[1], preview, kept, n)
        unmatched = parsed.skipped.assign(file=parsed.file, suggestion="")[
            ["file", "row", "column", "value", "reason", "suggestion"]]
        ds = store.add_dataset(con, country=country, name=name, kind="import", source_file=show(parsed.file, 200),
                               sha256=parsed.sha256, observations=rows, unmatched=unmatched,
                               rows_read=parsed.rows_read, rows_stored=parsed.rows_stored, imported_by=editor,
                               notes=f"indicator {indicator}; {n['added']} added, {n['changed']} changed, "
                                     f"{n['unchanged']} unchanged, {kept} kept", version=nxt)
        store.supersede(con, country, name, keep=ds, by=editor)
        if known is None:
            store.put_indicator(con, country, indicator, "import", definition)
        store.log(con, country, name, nxt, "import", editor, f"{parsed.file} ({parsed.sha256[:12]})")
    return report("imported", nxt, preview, kept, n)


@dataclass(frozen=True, eq=False)
class RollbackReport:
    """A rollback done (or, for a dry run, planned): ``preview`` lists the values that change:
    ``indicator, unit, level, year, value_now, value_after, change`` (added | removed | changed)."""

    dataset: str
    from_version: int | None
    to_version: int
    status: str  # 'rolled_back' | 'unchanged' | 'dry_run'
    preview: pd.DataFrame

    def summary(self) -> str:
        verb = {"rolled_back": "rolled back", "unchanged": "already active", "dry_run": "dry run, would roll back"}
        return (f"{self.dataset}: {verb[self.status]} from version {self.from_version} to version "
                f"{self.to_version}; {len(self.preview)} values change")


def rollback(store, name: str, *, to_version: int, editor: str, country: str = "slv",
             dry_run: bool = False) -> RollbackReport:
    """Make an earlier (or any other) version of an imported dataset the active one.

    The active version becomes 'rolled_back'; nothing is deleted, so a rollback can itself be
    undone by rolling back to the newer version. DataError for unknown names or versions.
    """
    ds = store.datasets(country)
    imports = ds[ds["kind"] == "import"]
    mine = imports[imports["name"] == name]
    if mine.empty:
        raise fail("rollback.unknown_dataset", name=show(name),
                   valid=", ".join(sorted(imports["name"].unique())) or "(none)")
    if to_version not in set(mine["version"]):
        raise fail("rollback.unknown_version", name=name, version=to_version,
                   valid=", ".join(map(str, sorted(mine["version"]))))
    active = mine[mine["status"] == "active"]
    from_version = int(active["version"].iloc[0]) if len(active) else None
    with store.connect() as con:
        after = store.version_rows(con, int(mine.loc[mine["version"] == to_version, "id"].iloc[0]))
        now = store.version_rows(con, int(active["id"].iloc[0])) if len(active) else after.iloc[0:0]
    key = ["indicator", "unit", "level", "year"]
    both = now.merge(after, on=key, how="outer", suffixes=("_now", "_after"))
    diff = both[~(both["value_now"] == both["value_after"])].copy()
    diff["change"] = np.where(diff["value_now"].isna(), "added",
                              np.where(diff["value_after"].isna(), "removed", "changed"))
    preview = diff[key + ["value_now", "value_after", "change"]].sort_values(key).reset_index(drop=True)
    if from_version == to_version:
        return RollbackReport(name, from_version, to_version, "unchanged", preview.iloc[0:0])
    if dry_run:
        return RollbackReport(name, from_version, to_version, "dry_run", preview)
    store.rollback(country, name, to_version, by=show(editor, 100) or "unknown")
    return RollbackReport(name, from_version, to_version, "rolled_back", preview)


def datasets_table(store, country: str = "slv", *, kind: str | None = None) -> pd.DataFrame:
    """The dataset registry for display: ``name, version, kind, status, source_file, sha256 (first 12),
    rows_read, observations, imported_at, imported_by``, newest version first within a name."""
    ds = store.datasets(country)
    if kind is not None:
        ds = ds[ds["kind"] == kind]
    out = ds[["name", "version", "kind", "status", "source_file", "sha256", "rows_read", "observations",
              "imported_at", "imported_by"]].copy()
    out["sha256"] = out["sha256"].str[:12]
    return out.sort_values(["kind", "name", "version"], ascending=[True, True, False]).reset_index(drop=True)
