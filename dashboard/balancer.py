"""A sticky balancer in front of several app server processes on one machine.

One Streamlit server runs every session's script in one Python process, so on a machine with
several cores it uses about one: 50 sessions with their own weights queue behind one lock
(``benchmarks/load.py``). ``python -m dashboard.serve --workers N`` starts N servers on free
loopback ports and this balancer on the address and port asked for; it passes each connection
through unchanged (HTTP and Streamlit's websocket alike) to one of them.

A Streamlit session lives in one process (its websocket, its uploaded files, its download
links), so every request of one browser must reach the same worker. As in ``deploy/nginx-riskmap.conf``
a cookie does it: a request without a valid ``riskmap_route`` cookie is given the next worker
in turn, and the first response on its connection sets the cookie to that worker's number. A
worker that refuses connections is skipped (its sessions start again on another). For several
machines use the nginx deployment in ``deploy/``: this is for one machine's cores.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import re

__all__ = ["COOKIE", "Balancer"]

#: The routing cookie's name (the same as the nginx deployment's).
COOKIE = "riskmap_route"
#: A request's head (request line and headers) may be at most this long, in bytes.
MAX_HEAD = 64 * 1024
#: Seconds a client may take to send a request's head.
HEAD_TIMEOUT_S = 30.0
_CHUNK = 64 * 1024
#: What a browser shows when no worker answers (all restarting): plain text, both languages.
UNAVAILABLE = ("El mapa de riesgo se está reiniciando; vuelva a cargar la página en unos segundos.\n"
               "The risk map is restarting; reload the page in a few seconds.\n").encode()
_ROUTE = re.compile(rb"^cookie:.*?(?:^|[;:\s])" + COOKIE.encode() + rb"=(\d{1,3})(?:;|\s|$)", re.I | re.M)
_LOG = logging.getLogger("dashboard.balancer")


def route_of(head: bytes, workers: int) -> int | None:
    """The worker number in a request head's ``riskmap_route`` cookie, None if absent or not
    below ``workers``.

    >>> route_of(b"GET / HTTP/1.1\\r\\nCookie: a=b; riskmap_route=1\\r\\n\\r\\n", 2)
    1
    >>> route_of(b"GET / HTTP/1.1\\r\\nCookie: riskmap_route=7\\r\\n\\r\\n", 2) is None
    True
    """
    found = _ROUTE.search(head)
    if found is None:
        return None
    number = int(found.group(1))
    return number if number < workers else None


def with_cookie(head: bytes, number: int) -> bytes:
    """A response head with a ``Set-Cookie`` line for worker ``number`` after its status line.

    >>> with_cookie(b"HTTP/1.1 200 OK\\r\\nA: b\\r\\n\\r\\n", 1)
    b'HTTP/1.1 200 OK\\r\\nSet-Cookie: riskmap_route=1; Path=/; HttpOnly; SameSite=Lax\\r\\nA: b\\r\\n\\r\\n'
    """
    status, _, rest = head.partition(b"\r\n")
    line = f"Set-Cookie: {COOKIE}={number}; Path=/; HttpOnly; SameSite=Lax".encode()
    return status + b"\r\n" + line + b"\r\n" + rest


class Balancer:
    """Pass connections to ``backends`` (``(host, port)`` pairs), sticky by cookie."""

    def __init__(self, backends: list[tuple[str, int]]):
        if not backends:
            raise ValueError("backends: give at least one (host, port) pair")
        self.backends = list(backends)
        self._turn = itertools.cycle(range(len(self.backends)))

    async def serve(self, host: str, port: int) -> asyncio.Server:
        """Listen on ``host:port``; the returned server runs until closed."""
        return await asyncio.start_server(self._client, host, port, limit=MAX_HEAD)

    async def _connect(self, wanted: int | None):
        """``(number, reader, writer)`` of the wanted worker, else of the next ones that accept."""
        order = [wanted] if wanted is not None else []
        first = next(self._turn)
        order += [(first + i) % len(self.backends) for i in range(len(self.backends))]
        for number in dict.fromkeys(order):
            host, port = self.backends[number]
            try:
                reader, writer = await asyncio.open_connection(host, port)
            except OSError as err:
                _LOG.warning("worker %d at %s:%d refused a connection: %s", number, host, port, err)
                continue
            return number, reader, writer
        return None

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), HEAD_TIMEOUT_S)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError,
                ConnectionError):
            writer.close()
            return
        wanted = route_of(head, len(self.backends))
        found = await self._connect(wanted)
        if found is None:
            writer.write(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                         b"Retry-After: 5\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(UNAVAILABLE)
                         + UNAVAILABLE)
            await _close(writer)
            return
        number, up_reader, up_writer = found
        up_writer.write(head)
        set_cookie = number if wanted != number else None
        await asyncio.gather(_pipe(reader, up_writer),
                             _pipe(up_reader, writer, set_cookie=set_cookie))


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *,
                set_cookie: int | None = None) -> None:
    """Copy ``reader`` to ``writer`` until either side closes; with ``set_cookie``, the first
    response head gets the routing cookie."""
    try:
        if set_cookie is not None:
            writer.write(with_cookie(await reader.readuntil(b"\r\n\r\n"), set_cookie))
        while chunk := await reader.read(_CHUNK):
            writer.write(chunk)
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        pass
    finally:
        await _close(writer)


async def _close(writer: asyncio.StreamWriter) -> None:
    try:
        writer.close()
        await writer.wait_closed()
    except (ConnectionError, OSError):
        pass
