"""Load benchmark: N concurrent Streamlit sessions over the websocket protocol, no browser.

``python -m benchmarks load --sessions N [--distinct-weights] [--url URL] [--page PAGE] [--json]``

Each session opens ``/_stcore/stream`` (the browser's own websocket, Streamlit 1.67), sends the
``rerun_script`` BackMsg a browser sends on load, with its own scenario in the query string
(``?scenario=<Spec.key()>``), and waits for the ``script_finished`` ForwardMsg that ends a
successful run (a run ended early by ``st.rerun`` is followed by the next one). Its time is from
opening the websocket to that message, in seconds. An error is a session that failed to
connect, ended with a non-success status, showed a Python exception element, or did not finish
within ``--timeout`` seconds. All sessions start together; the figures are p50, p95 and max of
their times (nearest-rank percentiles) and the error count.

Without ``--url`` the benchmark builds a store in a temporary folder, starts the app as ``make
run`` does (``python -m dashboard.serve --workers auto``: one server per core behind
``dashboard.balancer``) on a free loopback port, runs ``WARM_UP`` warm-up sessions at once (one
reaches each worker: its caches of the default view, as after its first visitors), measures and
stops the server. With ``--url`` it only
connects (loopback or any host you name; nothing else is contacted).

Scenarios: without ``--distinct-weights`` every session asks for the country's default spec
(one shared model result); with it each session gets its own dimension weights (scenario number
``k``: violence ``0.5 + 0.1 * (k % 40)``, extortion ``0.5 + 0.1 * (k // 40 % 40)``, displacement
``0.5 + 0.1 * (k // 1600)``, all within 0.5..5), so each session's run scores its own scenario.
Each series starts at a random ``k`` (``--first-scenario`` fixes it), so a repeated run against
the same server meets no scenario the server has cached from the previous one.

``--series`` runs N = 1, 10 and 50 with distinct weights (after the warm-up) and ``--write`` puts
them in benchmarks/results.json and RESULTS.md (what ``make bench`` does with the rest).
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import random
import time
from urllib.parse import quote, urlparse

DEFAULT_TIMEOUT_S = 120.0
#: Warm-up sessions before a measurement: new visitors go to the workers in turn, so this
#: many reach every worker ``make run`` starts (at most 4, ``dashboard.serve.default_workers``).
WARM_UP = 4
#: Hard cap on sessions: the benchmark is for one machine's loopback server, not a flood.
MAX_SESSIONS = 400


#: Number of distinct scenarios ``scenario_key`` makes (weights 0.5..5 in steps of 0.1).
SCENARIOS = 40 * 40 * 46


def scenario_key(index: int | None, country: str = "slv") -> str:
    """``Spec.key()`` text of scenario ``index`` (0 <= index < SCENARIOS; None: the country's
    default spec)."""
    from risk_model.spec import load_spec

    spec = load_spec(f"{country}_default")
    if index is None:
        return spec.key()
    weights = {"violence": 0.5 + 0.1 * (index % 40), "extortion": 0.5 + 0.1 * (index // 40 % 40),
               "displacement": 0.5 + 0.1 * (index // 1600)}
    weights = {d: round(w, 1) for d, w in weights.items() if d in spec.enabled}
    return spec.with_scenario(weights=weights).key()


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


async def one_session(ws_url: str, query: str, page: str, timeout: float, collect: list | None = None) -> dict:
    """Open one session, run the page once; ``{"seconds": float|None, "error": str|None}``.
    ``collect``: a list that receives every ForwardMsg's bytes (for tests that read the page)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                          open_timeout=timeout) as ws:
                msg = BackMsg()
                msg.rerun_script.query_string = query
                msg.rerun_script.page_name = page
                await ws.send(msg.SerializeToString())
                exception = None
                async for raw in ws:
                    if collect is not None:
                        collect.append(raw)
                    fwd = ForwardMsg()
                    fwd.ParseFromString(raw)
                    kind = fwd.WhichOneof("type")
                    if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element" \
                            and fwd.delta.new_element.WhichOneof("type") == "exception":
                        exception = fwd.delta.new_element.exception.message or "exception"
                    elif kind == "script_finished":
                        status = fwd.script_finished
                        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            continue
                        seconds = time.perf_counter() - t0
                        if exception:
                            return {"seconds": seconds, "error": f"exception: {exception}"}
                        if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                            return {"seconds": seconds, "error": f"script_finished status {status}"}
                        return {"seconds": seconds, "error": None}
                return {"seconds": None, "error": "connection closed before the run finished"}
    except TimeoutError:
        return {"seconds": None, "error": f"no finished run within {timeout:.0f} s"}
    except (OSError, websockets.exceptions.WebSocketException) as err:
        return {"seconds": None, "error": f"{type(err).__name__}: {err}"}


async def _run_all(url: str, sessions: int, first: int | None, page: str, country: str,
                   timeout: float) -> list[dict]:
    parsed = urlparse(url)
    scheme = "wss" if parsed.scheme == "https" else "ws"
    ws_url = f"{scheme}://{parsed.netloc}{parsed.path.rstrip('/')}/_stcore/stream"
    queries = [f"lang=es&country={country}&scenario="
               + quote(scenario_key(None if first is None else (first + i) % SCENARIOS, country), safe="")
               for i in range(sessions)]
    return await asyncio.gather(*(one_session(ws_url, q, page, timeout) for q in queries))


def measure(url: str, sessions: int, *, distinct: bool = False, page: str = "",
            country: str = "slv", timeout: float = DEFAULT_TIMEOUT_S, first: int | None = None) -> dict:
    """Run ``sessions`` concurrent sessions against ``url``; the summary dict (times in s).
    With ``distinct`` the sessions get scenarios ``first``, ``first + 1``, ... (random start
    when ``first`` is None)."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"--sessions must be between 1 and {MAX_SESSIONS}, not {sessions}")
    if distinct and first is None:
        first = random.randrange(SCENARIOS)
    t0 = time.perf_counter()
    results = asyncio.run(_run_all(url, sessions, first if distinct else None, page, country, timeout))
    wall = time.perf_counter() - t0
    times = [r["seconds"] for r in results if r["error"] is None]
    errors = [r["error"] for r in results if r["error"] is not None]
    summary = {"sessions": sessions, "distinct_weights": distinct, "page": page or "map",
               "errors": len(errors), "wall_s": round(wall, 3)}
    if times:
        summary.update(p50_s=round(percentile(times, 50), 3), p95_s=round(percentile(times, 95), 3),
                       max_s=round(max(times), 3))
    else:
        summary.update(p50_s=None, p95_s=None, max_s=None)
    if errors:
        summary["first_errors"] = sorted(set(errors))[:5]
    return summary


@contextlib.contextmanager
def local_server(timeout: float = 600.0):
    """Build a store in a temporary folder and serve ``app.py`` on loopback; yield the URL."""
    from benchmarks.stores import temp_store
    from tests.browser.harness import serve_app

    from dashboard.serve import default_workers

    with temp_store("riskmap-load-") as store:  # as `make run` serves: warm, one worker per core
        with serve_app(store=store, timeout=timeout, warm=True, workers=default_workers()) as url:
            yield url


def run_series(counts=(1, 10, 50), *, distinct: bool = True, url: str | None = None) -> list[dict]:
    """``measure`` for each session count against one server (a local one unless ``url``),
    after the warm-up sessions; the ratio of each p95 to the N = 1 p95 is added."""
    with (contextlib.nullcontext(url) if url else local_server()) as base:
        measure(base, WARM_UP)  # warm-up: the default view on every worker, as after its first visitors
        rows = [measure(base, n, distinct=distinct) for n in counts]
    one = rows[0]["p95_s"] if rows and rows[0]["sessions"] == 1 else None
    for row in rows:
        if one and row["p95_s"] is not None:
            row["p95_ratio_to_1"] = round(row["p95_s"] / one, 2)
    return rows


def table(rows: list[dict]) -> list[dict]:
    """RESULTS.md rows (``benchmarks.report``) of ``run_series``'s rows."""
    out = []
    for row in rows:
        ratio = f", x{row['p95_ratio_to_1']:.1f} of N = 1" if "p95_ratio_to_1" in row else ""
        kind = "distinct weights" if row["distinct_weights"] else "same view"
        target = "p95 <= 3 s, 0 errors" if row["sessions"] == 50 and row["distinct_weights"] else ""
        figure = (f"p50 {row['p50_s']:.2f} s, p95 {row['p95_s']:.2f} s, max {row['max_s']:.2f} s"
                  f"{ratio}, {row['errors']} errors") if row["p95_s"] is not None else \
            f"{row['errors']} errors, no finished run"
        out.append({"measure": f"load: {row['sessions']} concurrent sessions, {kind} (websocket, no browser)",
                    "figure": figure, "target": target})
    return out


def run(data=None, spec=None) -> dict:
    """``make bench``'s part: N = 1, 10, 50 with distinct weights on a local server."""
    rows = run_series()
    return {"rows": rows, "table": table(rows)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks load", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=10, help="concurrent sessions (1..%d)" % MAX_SESSIONS)
    parser.add_argument("--distinct-weights", action="store_true", help="each session its own weights")
    parser.add_argument("--url", help="an already running app (default: start one on loopback)")
    parser.add_argument("--page", default="", help="page url path (default: the Map page)")
    parser.add_argument("--country", default="slv", choices=("slv", "gtm", "hnd", "mex"))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds per session")
    parser.add_argument("--first-scenario", type=int, help=f"first scenario number (0..{SCENARIOS - 1})")
    parser.add_argument("--series", action="store_true", help="N = 1, 10, 50 with distinct weights")
    parser.add_argument("--write", action="store_true", help="with --series: update results.json and RESULTS.md")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    args = parser.parse_args(argv)
    if not 1 <= args.sessions <= MAX_SESSIONS:
        parser.error(f"--sessions must be between 1 and {MAX_SESSIONS}, not {args.sessions}")
    if not 1 <= args.timeout <= 3600:
        parser.error(f"--timeout must be between 1 and 3600 seconds, not {args.timeout:g}")
    if args.url and urlparse(args.url).scheme not in ("http", "https"):
        parser.error(f"--url must start with http:// or https://, not {args.url!r}")
    if args.first_scenario is not None and not 0 <= args.first_scenario < SCENARIOS:
        parser.error(f"--first-scenario must be between 0 and {SCENARIOS - 1}, not {args.first_scenario}")
    if args.write and not args.series:
        parser.error("--write goes with --series")
    if args.series:
        rows = run_series(url=args.url)
        print(json.dumps(rows) if args.json else "\n".join(f"{r['measure']}: {r['figure']}" for r in table(rows)))
        if args.write:
            from benchmarks.report import write_part

            write_part("load", {"rows": rows, "table": table(rows)})
        return 1 if any(r["errors"] for r in rows) else 0
    with (contextlib.nullcontext(args.url) if args.url else local_server()) as base:
        if not args.url:
            measure(base, WARM_UP, page=args.page, country=args.country, timeout=args.timeout)  # warm-up
        summary = measure(base, args.sessions, distinct=args.distinct_weights, page=args.page,
                          country=args.country, timeout=args.timeout, first=args.first_scenario)
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"{summary['sessions']} sessions ({'distinct weights' if summary['distinct_weights'] else 'same view'}),"
              f" page {summary['page']}: p50 {summary['p50_s']} s, p95 {summary['p95_s']} s,"
              f" max {summary['max_s']} s, {summary['errors']} errors")
        for err in summary.get("first_errors", []):
            print(f"  error: {err}")
    return 1 if summary["errors"] else 0
