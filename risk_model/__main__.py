"""Command line: ``python -m risk_model score|rates|backtest`` (see README, "Command line").

The same functions the pages call; the data come from the store (built on first use).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geodata.errors import DataError

LEVEL_NAMES = {"district": "district", "municipio": "municipio_2024", "department": "department"}


def _data(country: str):
    from geodata.tables import load_tables

    from .pipeline import model_data

    return model_data(load_tables(country))


def _write(df, out: str) -> None:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    df.to_csv(tmp, index=False, float_format="%.6g")
    tmp.replace(path)
    print(f"wrote {len(df)} rows to {path}")


def main(argv=None) -> int:
    from .spec import load_spec

    p = argparse.ArgumentParser(prog="python -m risk_model", description="Risk scores, rates and backtests.")
    sub = p.add_subparsers(dest="cmd", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--country", default="slv")
    common.add_argument("--spec", default="slv_default", help="spec TOML file or bundled spec name")
    common.add_argument("--out", required=True, help="CSV file to write")
    s = sub.add_parser("score", parents=[common], help="composite score, class, rank band, reliability")
    s.add_argument("--year", type=int, default=None, help="model year (default: the pack's default year)")
    s.add_argument("--level", choices=list(LEVEL_NAMES), default="district")
    s.add_argument("--draws", type=int, default=None, help="Monte Carlo draws (default from the spec)")
    s.add_argument("--top", type=int, default=None, help="N of P(top N) (default from the spec)")
    s.add_argument("--seed", type=int, default=None)
    r = sub.add_parser("rates", parents=[common], help="pooled rates with intervals and EB estimates")
    r.add_argument("--indicator", required=True)
    r.add_argument("--year", type=int, default=None)
    r.add_argument("--window", type=int, default=None)
    r.add_argument("--level", choices=list(LEVEL_NAMES), default="district")
    b = sub.add_parser("backtest", parents=[common], help="score at t against the outcome at t+1")
    b.add_argument("--outcome", default=None, help="outcome indicator (default: every indicator of the spec)")
    b.add_argument("--top", type=int, default=None)
    args = p.parse_args(argv)
    try:
        from geodata.packs import load_pack

        spec = load_spec(args.spec)
        year = getattr(args, "year", None) or load_pack(args.country).default_year
        data = _data(args.country)
        if args.cmd == "score":
            from .pipeline import run_model
            from .tables import score_table

            if args.top:
                spec = spec.with_scenario(top_n=args.top)
            res = run_model(data, spec, year, level=LEVEL_NAMES[args.level], draws=args.draws, seed=args.seed)
            for note in res.notes:
                print("note:", note, file=sys.stderr)
            _write(score_table(res), args.out)
        elif args.cmd == "rates":
            from .tables import rates_table

            _write(rates_table(data, args.indicator, year=year, window=args.window or spec.window,
                               level=LEVEL_NAMES[args.level]), args.out)
        else:
            from .tables import backtest_table

            outcomes = [args.outcome] if args.outcome else [i.id for i in spec.active_indicators()]
            _write(backtest_table(data, spec, outcomes, top_n=args.top or spec.top_n), args.out)
        return 0
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
