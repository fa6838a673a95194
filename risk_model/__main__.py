"""Command line: ``python -m risk_model score|rates|backtest|audit|validate|regional`` (see README).

The same functions the pages call; the data come from the store (built on first use).
``--country gtm|hnd|slv`` picks the pack; without ``--spec`` the country's ``<country>_default``
spec is used, and without ``--year`` the pack's default year (its latest year with data).
``--level`` defaults to the country's finest level (262 districts; 340 or 298 municipios);
``municipio`` means the 2024 municipios in El Salvador and the municipios elsewhere.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geodata.cliargs import DRAWS_MAX, SEED_MAX, TOP_MAX, WINDOW_MAX, YEAR_MAX, YEAR_MIN, check_known, \
    check_year, whole
from geodata.errors import DataError
from geodata.names import CLI_LEVELS



def _level(data, name: str | None) -> str | None:
    """The model level for a command-line name in this country (None: the finest)."""
    if name is None or name in data.units:
        return name
    return CLI_LEVELS.get(name, name)


def _data(country: str):
    from geodata.country_data import load_tables

    from .pipeline import model_data

    return model_data(load_tables(country))


def _write(df, out: str) -> None:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    df.to_csv(tmp, index=False, float_format="%.6g")
    tmp.replace(path)
    print(f"wrote {len(df)} rows to {path}")


def _write_json(obj, out: str) -> None:
    import json

    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=1, allow_nan=False), encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path}")


def main(argv=None) -> int:
    from geodata.packs import COUNTRIES

    p = argparse.ArgumentParser(prog="python -m risk_model", description="Risk scores, rates and backtests.")
    sub = p.add_subparsers(dest="cmd", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--country", default=COUNTRIES[0], choices=COUNTRIES)
    common.add_argument("--spec", default=None,
                        help="spec TOML file or bundled spec name (default: <country>_default)")
    common.add_argument("--out", required=True, help="CSV file to write")
    s = sub.add_parser("score", parents=[common], help="composite score, class, rank band, reliability")
    year = whole(YEAR_MIN, YEAR_MAX)
    s.add_argument("--year", type=year, default=None, help="model year (default: the pack's default year)")
    s.add_argument("--level", choices=list(CLI_LEVELS), default=None, help="default: the finest level")
    s.add_argument("--draws", type=whole(0, DRAWS_MAX), default=None,
                   help=f"Monte Carlo draws, 0 to {DRAWS_MAX} (default from the spec)")
    s.add_argument("--top", type=whole(1, TOP_MAX), default=None, help="N of P(top N) (default from the spec)")
    s.add_argument("--seed", type=whole(0, SEED_MAX), default=None, help=f"0 to {SEED_MAX}")
    r = sub.add_parser("rates", parents=[common], help="pooled rates with intervals and EB estimates")
    r.add_argument("--indicator", required=True)
    r.add_argument("--year", type=year, default=None)
    r.add_argument("--window", type=whole(1, WINDOW_MAX), default=None, help=f"years pooled, 1 to {WINDOW_MAX}")
    r.add_argument("--level", choices=list(CLI_LEVELS), default=None, help="default: the finest level")
    b = sub.add_parser("backtest", parents=[common], help="score at t against an outcome at t+1 that is not an "
                       "input (Mexico: raw, eb_global and eb_spatial rates over 1 and 3 years against the "
                       "observed rate at t+1)")
    b.add_argument("--outcome", default=None,
                   help="outcome indicator, not an input of the spec (default: every risk indicator outside the spec)")
    b.add_argument("--top", type=whole(1, TOP_MAX), default=None)
    b.add_argument("--level", choices=list(CLI_LEVELS), default=None, help="default: the finest level")
    w = sub.add_parser("rolling", parents=[common], help="last 12 months against the 12 before, per unit "
                       "(countries with a monthly series: Mexico)")
    w.add_argument("--end", default=None, help="last month YYYY-MM (default: the last month of the series)")
    w.add_argument("--level", choices=list(CLI_LEVELS), default=None, help="default: the finest level")
    sub.add_parser("concentration", parents=[common], help="per year: share of events in the top 50 units "
                   "and units with none (countries with a monthly series: Mexico)")
    a = sub.add_parser("audit", parents=[common],
                       help="JSON: correlations, Cronbach's alpha, effective vs nominal weights, rank sensitivity")
    a.add_argument("--year", type=year, default=None)
    a.add_argument("--level", choices=list(CLI_LEVELS), default=None, help="default: the finest level")
    a.add_argument("--samples", type=whole(2, 4096), default=None,
                   help="Saltelli base sample N, a power of 2 from 2 to 4096 (default 64)")
    a.add_argument("--seed", type=whole(0, SEED_MAX), default=0)
    v = sub.add_parser("validate", parents=[common],
                       help="JSON: Spearman, interval and top-20 overlap against a published peer index (gtm, hnd)")
    v.add_argument("--year", type=year, default=None)
    v.add_argument("--level", choices=list(CLI_LEVELS), default=None, help="default: the finest level")
    v.add_argument("--seed", type=whole(0, SEED_MAX), default=0)
    g = sub.add_parser("regional", help="every country's finest units in one table, scores normalised within country")
    g.add_argument("--countries", default=",".join(COUNTRIES), help="comma-separated (default: all)")
    g.add_argument("--pooled", default=None, choices=("homicide_rate",),
                   help="add a pooled regional score of this shared-definition indicator")
    g.add_argument("--draws", type=whole(0, DRAWS_MAX), default=0, help="Monte Carlo draws per country (default 0)")
    g.add_argument("--out", required=True, help="CSV file to write")
    args = p.parse_args(argv)
    try:
        return _run(args)
    except DataError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # e.g. --out in a folder that cannot be written
        print(f"error: {err.strerror or err}: {err.filename or args.out}", file=sys.stderr)
        return 2


def _run(args) -> int:
    from geodata.packs import load_pack

    from .spec import load_spec

    if args.cmd == "regional":
        return _regional(args)
    if args.cmd in ("rolling", "concentration"):
        return _monthly(args)
    spec = load_spec(args.spec or f"{args.country}_default")
    if spec.country != args.country:
        raise DataError("spec.wrong_country", "spec {name} is for {spec_country}, not {country}",
                        name=spec.name, spec_country=spec.country, country=args.country)
    data = _data(args.country)
    check_year(getattr(args, "year", None), data.observations)
    year = getattr(args, "year", None) or load_pack(args.country).default_year
    if args.cmd == "score":
        from .pipeline import run_model
        from .result_tables import score_table

        if args.top is not None:
            spec = spec.with_scenario(top_n=args.top)
        res = run_model(data, spec, year, level=_level(data, args.level), draws=args.draws, seed=args.seed)
        for note in res.notes:
            print("note:", note, file=sys.stderr)
        _write(score_table(res), args.out)
    elif args.cmd == "rates":
        from .result_tables import rates_table

        check_known(args.indicator, data.catalogue, arg="--indicator")
        _write(rates_table(data, args.indicator, year=year, window=args.window or spec.window,
                           level=_level(data, args.level)), args.out)
    elif args.cmd == "audit":
        from .audit import audit_report

        _write_json(audit_report(data, spec, year, level=_level(data, args.level), n=args.samples,
                                 seed=args.seed), args.out)
    elif args.cmd == "validate":
        from .validate import validate_report

        _write_json(validate_report(data, spec, year, level=_level(data, args.level), seed=args.seed), args.out)
    elif load_pack(args.country).backtest:  # a long official series: real outcomes
        from .outcome_backtest import backtest_series

        check_known(args.outcome, data.catalogue, arg="--outcome")
        bt = load_pack(args.country).backtest
        _write(backtest_series(data, args.outcome or bt["indicator"], first=bt.get("first"),
                               last=bt.get("last"), top_n=args.top or bt.get("top_n", 100)), args.out)
    else:
        from .backtest import backtest_table

        check_known(args.outcome, data.catalogue, arg="--outcome")
        _write(backtest_table(data, spec, [args.outcome] if args.outcome else None, top_n=args.top or spec.top_n,
                              level=_level(data, args.level)), args.out)
    return 0


def _monthly(args) -> int:
    """``rolling`` and ``concentration`` over the pack's monthly series."""
    from geodata.country_data import load_monthly

    from .rolling import concentration, rolling_table

    monthly = load_monthly(args.country)
    if monthly is None:
        raise DataError("model.no_monthly", "{country} has no monthly series; only Mexico has one",
                        country=args.country)
    if args.cmd == "concentration":
        annual = monthly.groupby(["code", "year"], as_index=False)["events"].sum()
        _write(concentration(annual), args.out)
        return 0
    data = _data(args.country)
    out = rolling_table(data, monthly, level=_level(data, args.level), end=args.end)
    _write(out, args.out)
    return 0


def _regional(args) -> int:
    from geodata.packs import COUNTRIES, load_pack

    from .pipeline import run_model
    from .regional import regional_scores
    from .spec import load_spec

    results = {}
    countries = [c.strip() for c in args.countries.split(",") if c.strip()]
    for country in countries:
        check_known(country, COUNTRIES, arg="--countries")
    for country in countries:
        res = run_model(_data(country), load_spec(f"{country}_default"), load_pack(country).default_year,
                        draws=args.draws)
        for note in res.notes:
            print(f"note: {country}: {note}", file=sys.stderr)
        results[country] = res
    _write(regional_scores(results, pooled=args.pooled), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
