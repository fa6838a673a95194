"""``python -m dashboard.serve [streamlit run options]``: serve the app with warm caches.

``streamlit run app.py`` answers its health check at once, but its first visitor then waits for
the app's imports (pandas, geopandas, scipy, folium, plotly: 5-10 s on a busy 2-core machine)
and for the country's model data, about 15 s for a first Region, Priorities or Trends view
(``benchmarks/first_view.py``). This launcher does that work first, in this process, then starts
the very same server through Streamlit's command line entry point (``streamlit run app.py``
with the options given here): the caches it filled (``dashboard.warmup.warm``: every country's
default views, the Region table) are the process-wide caches the pages read, and the server
answers its health check only once they are filled, which is what a proxy or ``systemd`` should
wait for before sending visitors. Later data versions are warmed by ``dashboard.warmup.start``
in the background.

``make run`` and the units in ``deploy/`` use it. Options are passed to ``streamlit run``
unchanged (``--server.port 8501 --server.address 127.0.0.1`` ...).

``--workers N`` (N > 1) starts N such servers on free loopback ports, waits until each answers
its health check, and then serves ``--server.address``/``--server.port`` with
``dashboard.balancer`` in front of them: one Python process runs every session's script in turn,
so this is how a machine's other cores serve other sessions. A worker that exits is started again.
"""
from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"
#: Most worker processes ``--workers`` accepts (each holds its own caches, about 1 GB).
MAX_WORKERS = 16
#: Seconds a worker may take to answer its health check after it starts (its warm-up).
WORKER_START_S = 600.0


def _option(argv: list[str], name: str, default: str | None = None) -> tuple[str | None, list[str]]:
    """The value of ``--name value`` or ``--name=value`` in ``argv``, and ``argv`` without it.

    >>> _option(["--workers", "2", "--server.port=8501"], "--workers")
    ('2', ['--server.port=8501'])
    """
    rest, value, i = [], default, 0
    while i < len(argv):
        arg = argv[i]
        if arg == name and i + 1 < len(argv):
            value, i = argv[i + 1], i + 2
            continue
        if arg.startswith(name + "="):
            value = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return value, rest


def free_port() -> int:
    """A loopback TCP port nothing listens on now (for a worker, or a test's server)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_workers() -> int:
    """One worker per core, at most 4 (``--workers auto``, what ``make run`` starts)."""
    return max(1, min(os.cpu_count() or 1, 4))


def _workers(value: str | None) -> int:
    """``--workers``: "auto" (``default_workers``) or a whole number 1..``MAX_WORKERS``."""
    if value == "auto":
        return default_workers()
    try:
        n = int(value) if value is not None else 1
    except ValueError:
        n = 0
    if not 1 <= n <= MAX_WORKERS:
        raise ValueError(f"--workers must be 'auto' or a whole number from 1 to {MAX_WORKERS}, not {value!r}")
    return n


def _port(value: str) -> int:
    """``--server.port``: a whole number 1..65535."""
    if not (value.isdigit() and 1 <= int(value) <= 65535):
        raise ValueError(f"--server.port must be a whole number from 1 to 65535, not {value!r}")
    return int(value)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    log = logging.getLogger("dashboard.serve")
    workers, argv = _option(argv, "--workers")
    try:
        n = _workers(workers)
        if n > 1:
            return _balanced(n, argv, log)
    except ValueError as err:
        print(f"dashboard.serve: {err}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    from dashboard import warmup  # the app's heavy imports come with it
    import dashboard.charts, dashboard.exports.buttons  # noqa: F401,E401 - pages' imports
    import dashboard.leaflet_map, folium.plugins  # noqa: F401,E401 - folium compiles its templates on import
    # not dashboard.mapview: streamlit_folium declares its component when imported, and a
    # component declared before the server exists is unknown to it (the map stays blank)

    try:
        versions = warmup.warm()
        log.info("warm-up done in %.1f s: %s", time.perf_counter() - t0, versions)
    except Exception:  # noqa: BLE001 - the pages compute the same and report errors themselves
        log.exception("warm-up failed; pages compute their data on first view")
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *argv]
    return cli.main()


def _balanced(n: int, argv: list[str], log: logging.Logger) -> int:
    """Start ``n`` workers (this module, one server each) and the balancer; run until SIGINT or
    SIGTERM, then stop the workers (which also get SIGTERM if this process dies first)."""
    import asyncio
    import ctypes
    import signal
    import subprocess
    import urllib.request

    from dashboard.balancer import Balancer

    port, argv = _option(argv, "--server.port", "8501")
    port = _port(port)
    address, argv = _option(argv, "--server.address", "127.0.0.1")

    def orphan_guard() -> None:  # Linux: the worker gets SIGTERM when this process exits
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG

    def start(worker_port: int) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "dashboard.serve", *argv, "--server.port", str(worker_port),
                                 "--server.address", "127.0.0.1"], preexec_fn=orphan_guard)

    def healthy(worker_port: int) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{worker_port}/_stcore/health", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    ports = [free_port() for _ in range(n)]
    procs = [start(p) for p in ports]

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        deadline = time.monotonic() + WORKER_START_S
        while not all(healthy(p) for p in ports):  # the health check answers once all are warm
            if stop.is_set():
                return
            if any(proc.poll() is not None for proc in procs) or time.monotonic() > deadline:
                raise ValueError("a worker exited or did not answer its health check; see its log above")
            await asyncio.sleep(0.5)
        try:
            server = await Balancer([("127.0.0.1", p) for p in ports]).serve(address, port)
        except OSError as err:
            raise ValueError(f"cannot listen on {address}:{port} ({err.strerror}); is another server there?") from None
        log.info("the risk map is at http://%s:%s (%d workers on loopback ports %s, each listed above)",
                 address, port, n, ", ".join(map(str, ports)))
        while not stop.is_set():
            for i, proc in enumerate(procs):
                if proc.poll() is not None:
                    log.warning("worker on port %d exited with %s; starting it again", ports[i], proc.returncode)
                    procs[i] = start(ports[i])
            try:
                await asyncio.wait_for(stop.wait(), 2.0)
            except asyncio.TimeoutError:
                pass
        server.close()

    try:
        asyncio.run(run())
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
