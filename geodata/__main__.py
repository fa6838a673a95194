"""Command line: ``python -m geodata build|check`` (see README, "Command line")."""
from __future__ import annotations

import argparse
import json
import sys

from geodata import config
from geodata.build import build, check
from geodata.errors import DataError
from geodata.packs import COUNTRIES
from geodata.store import Store


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
    args = p.parse_args(argv)
    store = Store(config.store_path())
    try:
        if args.cmd == "build":
            say = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
            out = build(args.country, store=store, force=args.force, progress=say)
            if not args.quiet:
                print("store unchanged" if not out["changed"] else f"built {store.path}")
                for f, n in out.get("files", {}).items():
                    print(f"  {f}: read {n['rows_read']}, stored {n['rows_stored']}, "
                          f"unmatched {n['rows_unmatched']}, observations {n['observations']}")
            return 0
        facts = check(args.country, store=store)
        if args.json:
            print(json.dumps(facts, ensure_ascii=False, indent=1))
        else:
            for k in ("country", "units", "departments", "municipios_2024", "invalid_geometries",
                      "unmatched_rows", "unmatched_report", "web_geojson_bytes"):
                print(f"{k}: {facts[k]}")
            print("indicators:", ", ".join(facts["indicators"]))
            for prob in facts["problems"]:
                print("PROBLEM:", prob)
        return 1 if facts["problems"] else 0
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
