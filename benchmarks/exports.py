"""Export timings through the command line's own code path (session built once, outside timing)."""
from __future__ import annotations

from benchmarks.timing import median_time


def run(data=None, spec=None) -> dict:
    from dashboard.__main__ import _briefing, _map, _parser, _Session

    def session(*argv):
        args = _parser().parse_args(["export", *argv, "--year", "2023", "--date", "2025-01-15"])
        return args, _Session(args)

    png_args, png = session("map", "--format", "png", "--out", "x.png")
    pdf_args, pdf = session("briefing", "--out", "x.pdf")
    t_png = median_time(lambda: _map(png_args, png))
    t_pdf = median_time(lambda: _briefing(pdf_args, pdf))
    return {"png_a4": t_png, "briefing_pdf": t_pdf, "table": [
        {"measure": "PNG map snapshot, A4 at 300 dpi", "figure": f"{t_png['median_s']:.2f} s", "target": "< 3 s"},
        {"measure": "one-page PDF briefing", "figure": f"{t_pdf['median_s']:.2f} s", "target": ""}]}
