"""Command line: ``python -m dashboard export map|briefing|table`` (see README, "Command line").

The same exports as the download buttons, for scripting and batch briefings: data from the store
(built on first use), model from the country's default spec (``--scenario`` takes a
``Spec.key()`` text, as in the Priorities page's URL), rendered offline.

    python -m dashboard export map --year 2023 [--country slv] [--layer composite|INDICATOR]
        [--level district|municipio|department (default: the finest)] [--format png|svg|pdf|html]
        [--size a4|slide]
        [--lang es|en] --out FILE
    python -m dashboard export briefing --year 2023 [--lang es|en] --out FILE.pdf
    python -m dashboard export table --year 2023 [--level ...] --format csv|xlsx --out FILE
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from geodata.cliargs import YEAR_MAX, YEAR_MIN, check_year, whole
from geodata.errors import DataError
from geodata.names import CLI_LEVELS

COMPOSITE = "composite"


def _parser() -> argparse.ArgumentParser:
    from geodata.packs import COUNTRIES

    from dashboard.i18n import LANGS

    p = argparse.ArgumentParser(prog="python -m dashboard", description="Dashboard exports.")
    top = p.add_subparsers(dest="cmd", required=True)
    export = top.add_parser("export", help="maps, briefings and tables as files").add_subparsers(
        dest="what", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--country", default=COUNTRIES[0], choices=COUNTRIES)
    common.add_argument("--year", type=whole(YEAR_MIN, YEAR_MAX), default=None,
                        help="model year (default: the pack's)")
    common.add_argument("--lang", default="es", choices=LANGS)
    common.add_argument("--level", choices=list(CLI_LEVELS), default=None,
                        help="default: the country's finest units (districts in El Salvador, else municipios)")
    common.add_argument("--scenario", default=None,
                        help="a scenario key (Spec.key() text, as in the page URL); default: the country's spec")
    common.add_argument("--date", default=None, type=_date,
                        help="export date printed on the file, YYYY-MM-DD (default today)")
    common.add_argument("--private", action="store_true",
                        help="show small counts of sensitive indicators (default: hidden, public mode)")
    common.add_argument("--out", required=True, help="file to write")
    m = export.add_parser("map", parents=[common], help="map snapshot: PNG (300 dpi), SVG, PDF or HTML")
    m.add_argument("--layer", default=COMPOSITE, help="'composite' or an indicator id")
    m.add_argument("--format", choices=("png", "svg", "pdf", "html"), default=None,
                   help="default: from the --out suffix")
    m.add_argument("--size", choices=("a4", "slide"), default="a4")
    m.add_argument("--scheme", choices=("quantiles", "natural_breaks", "fixed"), default=None,
                   help="classes (default: the spec's)")
    m.add_argument("--palette", default="ylorrd", help="ylorrd | viridis | cividis")
    m.add_argument("--labels", type=whole(0, 100), default=10, help="label the N highest units (0 to 100; 0: none)")
    m.add_argument("--programme", default="", help="comma-separated unit codes with a programme (overlay)")
    b = export.add_parser("briefing", parents=[common], help="one-page PDF briefing")
    b.add_argument("--palette", default="ylorrd")
    b.add_argument("--programme", default="")
    t = export.add_parser("table", parents=[common], help="the score or indicator table as CSV or XLSX")
    t.add_argument("--layer", default=COMPOSITE, help="'composite' or an indicator id")
    t.add_argument("--format", choices=("csv", "xlsx"), default=None, help="default: from the --out suffix")
    return p


def _date(text: str) -> dt.date:
    """An argparse ``type``: a date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD, not {text!r}") from None


def _format(args, allowed) -> str:
    fmt = args.format or Path(args.out).suffix.lstrip(".").lower()
    if fmt not in allowed:
        raise DataError("export.bad_format", "format {fmt!r}; give --format, one of {valid}",
                        fmt=fmt, valid=", ".join(allowed))
    return fmt


def _write(data: bytes, out: str, started: float) -> None:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    print(f"wrote {path} ({len(data):,} bytes) in {time.perf_counter() - started:.1f} s")


class _Session:
    """The store, tables, model data, spec and export context of one command."""

    def __init__(self, args):
        from geodata.boundaries import read_water
        from geodata.build import ensure_store
        from geodata.config import data_root
        from geodata.packs import load_pack
        from geodata.country_data import load_tables
        from risk_model.pipeline import model_data
        from risk_model.spec import load_spec, parse_key

        from dashboard.exports import ExportContext

        self.args = args
        self.pack = load_pack(args.country)
        self.store = ensure_store(args.country)
        self.tables = load_tables(args.country, store=self.store)
        self.data = model_data(self.tables)
        check_year(args.year, self.data.observations)
        spec = load_spec(f"{args.country}_default")
        self.spec = parse_key(spec, args.scenario) if args.scenario else spec
        self.year = args.year or self.pack.default_year
        if args.level is None:
            self.level = self.pack.finest
        else:  # "municipio" is El Salvador's 2024 municipio, the municipio elsewhere
            self.level = CLI_LEVELS[args.level] if CLI_LEVELS[args.level] in self.data.units else args.level
        if self.level not in self.data.units:
            raise DataError("export.bad_level", "level {level!r} is not available for {country}",
                            level=args.level, country=args.country)
        date = args.date or dt.date.today()
        self.ctx = ExportContext(
            country=args.country, country_name=self.pack.name_en if args.lang == "en" else self.pack.name_es,
            lang=args.lang, date=date, data_version=self.store.version(args.country),
            attributions={s.dataset: s.attribution for s in self.pack.sources},
            datasets=self.store.datasets(args.country), public=not args.private)
        try:
            self.water = read_water(data_root(), self.pack)
        except (DataError, KeyError):
            self.water = None
        finest = self.pack.finest
        self.outlines = self.tables.units.get("department") if self.level != "department" else None
        self.units = self.tables.units[self.level]
        self.finest = finest

    def result(self, *, draws: int | None = None):
        from risk_model.pipeline import run_model

        res = run_model(self.data, self.spec, self.year, level=self.level, draws=draws)
        for note in res.notes:
            print("note:", note, file=sys.stderr)
        return res

    def indicator(self, layer: str):
        if layer not in self.data.catalogue:
            raise DataError("export.unknown_layer", "unknown layer {layer!r}: 'composite' or one of {valid}",
                            layer=layer, valid=", ".join(self.data.catalogue))
        return layer


def _programme(text: str) -> frozenset | None:
    codes = frozenset(c.strip() for c in text.split(",") if c.strip())
    return codes or None


def _map(args, s: _Session) -> bytes:
    from dashboard.exports import assemble
    from dashboard.exports.mapimage import render_map

    fmt = _format(args, ("png", "svg", "pdf", "html"))
    scheme = args.scheme or s.spec.scheme
    programme = _programme(args.programme)
    if args.layer == COMPOSITE:
        spec = s.spec.with_scenario(scheme=scheme)
        s.spec = spec
        res = s.result(draws=0)
        view = assemble.composite_view(res, s.units, s.ctx, outlines=s.outlines, water=s.water,
                                       top_labels=args.labels, programme=programme, palette=args.palette,
                                       data=s.data)
        result = res
    else:
        ind = s.indicator(args.layer)
        view = assemble.indicator_view(s.data, ind, s.units, s.ctx, year=s.year, level=s.level,
                                       window=s.spec.window, scheme=scheme, outlines=s.outlines,
                                       water=s.water, top_labels=args.labels, programme=programme,
                                       palette=args.palette)
        result = None
    if fmt == "html":
        from geodata.build import web_geojson_for

        return assemble.html_map(web_geojson_for(s.store, args.country, s.level), view, s.ctx, result=result,
                                 data=s.data, indicator=None if result is not None else args.layer,
                                 year=s.year, level=s.level, window=s.spec.window, scheme=scheme,
                                 palette=args.palette, programme=programme)
    return render_map(view, fmt, args.size)


def _briefing(args, s: _Session) -> bytes:
    from dashboard.exports import assemble
    from dashboard.exports.briefing import render_briefing

    b = assemble.briefing(s.result(), s.data, s.units, s.ctx, outlines=s.outlines, water=s.water,
                          programme=_programme(args.programme), palette=args.palette)
    return render_briefing(b)


def _table(args, s: _Session) -> bytes:
    from dashboard.exports import assemble
    from dashboard.exports.spreadsheet import render_csv, render_xlsx

    fmt = _format(args, ("csv", "xlsx"))
    if args.layer == COMPOSITE:
        table = assemble.score_export(s.result(), s.ctx)
    else:
        table = assemble.indicator_export(s.data, s.indicator(args.layer), s.ctx, year=s.year,
                                          level=s.level, window=s.spec.window)
    return render_csv(table) if fmt == "csv" else render_xlsx(table)


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    from dashboard.exports.html import MissingLeaflet

    try:
        if args.what in ("map", "table"):  # fail before the data are loaded
            _format(args, ("png", "svg", "pdf", "html") if args.what == "map" else ("csv", "xlsx"))
        session = _Session(args)
        build = {"map": _map, "briefing": _briefing, "table": _table}[args.what]
        _write(build(args, session), args.out, started)
        return 0
    except (DataError, MissingLeaflet, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # e.g. --out in a folder that cannot be written
        print(f"error: {err.strerror or err}: {err.filename or args.out}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
