"""The benchmark table as Markdown (RESULTS.md), with targets beside the figures."""
from __future__ import annotations

import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _ms(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"


def markdown(r: dict) -> str:
    lines = [f"# Benchmark results", "", f"Date: {r['date']}  ", f"Machine: {r['machine']}  ",
             "Figures are medians of at least 5 runs after a warm-up (a row names more). Regenerate with `make bench`.", "",
             "| measure | figure | target |", "|---|---|---|"]
    s = r["scoring"]
    lines.append(f"| score 262 districts, no Monte Carlo | {_ms(s['no_monte_carlo']['median_s'])} | < 50 ms |")
    lines.append(f"| score 262 districts, 1,000 draws | {_ms(s['draws_1000']['median_s'])} | < 1 s |")
    if "reaggregate_1000" in s:
        lines.append(f"| weight change: re-aggregate cached draws, 262 districts x 1,000 draws "
                     f"(`risk_model.engine.reaggregate`) | {s['reaggregate_1000']['median_s'] * 1000:.1f} ms "
                     f"(CPU {s['reaggregate_1000']['cpu_median_s'] * 1000:.1f} ms) | <= 10 ms |")
    for row in r["scaling"]["rows"]:
        growth = f", x{row['growth_per_tenfold']:.1f} per tenfold" if "growth_per_tenfold" in row else ""
        lines.append(f"| SYNTHETIC {row['units']:,} units x 10 indicators | {_ms(row['median_s'])}, "
                     f"peak {row['peak_mb']:.0f} MB{growth} | < 10 s, < 2 GB at 100,000; about linear |")
    for section in ("map", "mexico", "first_paint", "first_view", "interaction", "repaint", "exports", "load"):
        for row in r.get(section, {}).get("table", []):
            lines.append(f"| {row['measure']} | {row['figure']} | {row.get('target', '')} |")
    return "\n".join(lines) + "\n"


def write_part(name: str, part: dict) -> None:
    """Put one benchmark's result under ``name`` in benchmarks/results.json (the other parts kept)
    and regenerate RESULTS.md; each file is written to a temporary name and renamed into place."""
    results = json.loads((HERE / "results.json").read_text(encoding="utf-8"))
    results[name] = part
    for file, text in (("results.json", json.dumps(results, indent=1)), ("RESULTS.md", markdown(results))):
        tmp = HERE / f".{file}.tmp"
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, HERE / file)
