"""Command line: ``python -m geodata build|check|import|datasets|rollback|migrate|backup|restore|
export-user-data|import-user-data|editors`` (README, "Command line").

Problems go to stderr, one sentence each, never a traceback; a rejected file or request exits
with status 2 and leaves the store unchanged; a damaged store names the restore command.
``import`` and ``rollback`` run as the server's operator (see ``geodata.roles``: the command line
does not ask for the editor token).
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path

from geodata import config
from geodata.build import build, check
from geodata.errors import DataError
from geodata.packs import COUNTRIES
from geodata.names import DIMENSIONS, IMPORT_LEVELS
from geodata.store import Store, open_store
from geodata.store_pg import is_pg_url, no_file_backups, redacted


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m geodata", description="Data, store and checks of the risk map.")
    sub = p.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="build or rebuild the store from the country pack")
    b.add_argument("--country", default="slv", choices=COUNTRIES)
    b.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    b.add_argument("--quiet", action="store_true")
    c = sub.add_parser("check", help="report units, indicators, years, geometry and unmatched rows")
    c.add_argument("--country", default="slv", choices=COUNTRIES)
    c.add_argument("--json", action="store_true", help="print JSON")
    i = sub.add_parser("import", help="import a CSV/XLSX file of official figures as a new dataset version")
    i.add_argument("file")
    i.add_argument("--indicator", required=True, help="indicator id (existing import, or new with the options below)")
    i.add_argument("--country", default="slv", choices=COUNTRIES)
    i.add_argument("--year", type=int, default=None, help="year of every value, for files without a year column")
    i.add_argument("--value-column", default=None, help="the column holding the values, when several could")
    i.add_argument("--dataset", default=None, help="dataset name (default: the indicator's dataset, or its id)")
    i.add_argument("--dry-run", action="store_true", help="validate and compare; write nothing")
    i.add_argument("--level", choices=IMPORT_LEVELS, default=None, help="unit level (default: detected)")
    g = i.add_argument_group("new indicator")
    g.add_argument("--label-es")
    g.add_argument("--label-en")
    g.add_argument("--kind", choices=("count", "share", "rate", "index"))
    g.add_argument("--dimension", choices=DIMENSIONS)
    g.add_argument("--unit", help="unit text, e.g. 'homicidios' or '%%'")
    g.add_argument("--direction", type=int, choices=(1, -1), default=None, help="1: higher is worse (default)")
    g.add_argument("--sensitive", action="store_true", help="suppress small counts in public mode")
    d = sub.add_parser("datasets", help="list datasets and their versions")
    d.add_argument("--country", default="slv", choices=COUNTRIES)
    d.add_argument("--imports", action="store_true", help="imported datasets only")
    r = sub.add_parser("rollback", help="make an earlier version of an imported dataset the active one")
    r.add_argument("name")
    r.add_argument("--to", type=int, required=True, dest="to_version", metavar="VERSION")
    r.add_argument("--country", default="slv", choices=COUNTRIES)
    r.add_argument("--dry-run", action="store_true")
    k = sub.add_parser("backup", help="copy the store now (default: into the backup folder, newest 10 kept)")
    k.add_argument("--out", default=None, help="write the copy to this file instead")
    k = sub.add_parser("restore", help="put a backup in place of the store (stop the server first)")
    w = k.add_mutually_exclusive_group(required=True)
    w.add_argument("file", nargs="?", default=None, help="a backup file")
    w.add_argument("--latest", action="store_true", help="the newest backup in the backup folder")
    k = sub.add_parser("export-user-data", help="imported datasets, shortlists and the audit log as one JSON file")
    k.add_argument("--out", required=True)
    k = sub.add_parser("import-user-data", help="merge a file written by export-user-data into the store")
    k.add_argument("file")
    e = sub.add_parser("editors", help="named editor tokens for the dashboard").add_subparsers(dest="action",
                                                                                              required=True)
    e.add_parser("list", help="names, when added, when revoked")
    e.add_parser("add", help="add an editor and print their token once").add_argument("name")
    e.add_parser("revoke", help="revoke an editor's token").add_argument("name")
    m = sub.add_parser("migrate", help="copy a SQLite store into an empty PostgreSQL store")
    m.add_argument("--from", dest="source", required=True, metavar="SQLITE_FILE")
    m.add_argument("--to", dest="target", required=True, metavar="postgresql://USER@HOST/DB")
    args = p.parse_args(argv)
    try:
        return _run(args)
    except DataError as err:
        _say_problems(err)
        return 2
    except sqlite3.Error as err:  # a store error sqlite_admin.disk_error does not know
        print(f"error: the store {config.store_path()} could not be used ({err})", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return 2


def _run(args) -> int:
    if args.cmd == "migrate":
        return _migrate(args)
    if args.cmd in ("import", "datasets", "rollback"):
        return _versions(args)
    if args.cmd in ("backup", "restore", "export-user-data", "import-user-data", "editors"):
        return _admin(args)
    from geodata import backups

    store = open_store()
    if args.cmd == "build":
        say = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
        out = build(args.country, store=store, force=args.force, progress=say)
        backups.daily(store)
        if not args.quiet:
            print("store unchanged" if not out["changed"] else f"built {store.location}")
            for f, n in out.get("files", {}).items():
                print(f"  {f}: read {n['rows_read']}, stored {n['rows_stored']}, "
                      f"unmatched {n['rows_unmatched']}, observations {n['observations']}")
        return 0
    backups.daily(store)
    facts = check(args.country, store=store)
    if args.json:
        print(json.dumps(facts, ensure_ascii=False, indent=1))
    else:
        for k in ("country", "units", "departments", "municipios_2024", "invalid_geometries",
                  "unmatched_rows", "unmatched_report", "web_geojson_bytes"):
            if facts.get(k) is not None:  # municipios_2024: El Salvador only
                print(f"{k}: {facts[k]}")
        print("indicators:", ", ".join(facts["indicators"]))
        for prob in facts["problems"]:
            print("PROBLEM:", prob)
    return 1 if facts["problems"] else 0


def _admin(args) -> int:
    """backup, restore, export-user-data, import-user-data and editors."""
    from geodata import backups, roles
    from geodata.userdata import export_user_data, import_user_data

    if args.cmd == "restore":
        if is_pg_url(config.store_location()):  # pg_restore's job: say so
            raise no_file_backups(redacted(config.store_location()))
        path = config.store_path()
        used, moved = backups.restore(Store, path, None if args.latest else Path(args.file))
        print(f"restored {path} from {used}" + (f"; the replaced file is kept as {moved}" if moved else ""))
        store = Store(path)
        store.record(roles.cli_editor(), "restore", target=used.name)
        return 0
    store = open_store()
    if args.cmd == "backup":
        print(f"wrote {backups.make_backup(store, 'manual', out=Path(args.out) if args.out else None)}")
    elif args.cmd == "export-user-data":
        counts = export_user_data(store, Path(args.out))
        print(f"wrote {args.out}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    elif args.cmd == "import-user-data":
        added = import_user_data(store, Path(args.file), by=roles.cli_editor())
        print(f"added from {args.file}: " + ", ".join(f"{k} {v}" for k, v in added.items()))
    elif args.action == "add":
        token = roles.add_editor(store, args.name, by=roles.cli_editor())
        print(f"editor {args.name} added; their token (shown once, give it to them privately):\n{token}")
    elif args.action == "revoke":
        roles.revoke_editor(store, args.name, by=roles.cli_editor())
        print(f"editor {args.name} revoked")
    else:
        table = roles.list_editors(store)
        print(table.to_string(index=False) if len(table) else "no named editors (the operator token may be set)")
    return 0


def _migrate(args) -> int:
    from geodata.migrate import migrate

    try:
        counts = migrate(args.source, args.target)
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print("migrated: " + ", ".join(f"{t} {n}" for t, n in counts.items()))
    return 0


def _say_problems(err: DataError) -> None:
    problems = err.params.get("problems") or ()
    for prob in problems:
        print(prob.message, file=sys.stderr)
    if not problems or err.key == "import.rejected":
        print(f"error: {err}", file=sys.stderr)


def _versions(args) -> int:
    from geodata.build import ensure_store
    from geodata.importing import SKIP_REASONS, datasets_table, import_file, rollback
    from geodata.roles import cli_editor

    if args.cmd == "datasets":
        table = datasets_table(open_store(), args.country, kind="import" if args.imports else None)
        print(table.to_string(index=False) if len(table) else "no datasets")
        return 0
    if args.cmd == "rollback":
        rep = rollback(open_store(), args.name, to_version=args.to_version, editor=cli_editor(),
                       country=args.country, dry_run=args.dry_run)
        print(rep.summary())
        return 0
    options = {"label_es": args.label_es, "label_en": args.label_en, "kind": args.kind,
               "dimension": args.dimension, "unit": args.unit, "sensitive": args.sensitive}
    if args.direction is not None:
        options["direction"] = args.direction
    defining = any(options[k] for k in ("label_es", "label_en", "kind", "dimension", "unit"))
    store = open_store()
    if store.meta(f"pack:{args.country}") is None:  # never built: build it once; never rebuild here
        store = ensure_store(args.country)
    rep = import_file(store, args.file, country=args.country, indicator=args.indicator, editor=cli_editor(),
                      year=args.year, value_column=args.value_column, dataset=args.dataset,
                      dry_run=args.dry_run, new_indicator=options if defining else None, level=args.level)
    for s in rep.skipped.itertuples():
        print(f"note: row {s.row}: '{s.value}' skipped ({SKIP_REASONS.get(s.reason, s.reason)})", file=sys.stderr)
    for note in rep.notes:
        print(f"note: {note}", file=sys.stderr)
    print(rep.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
