"""dashboard.balancer: connections reach one worker per browser (cookie), in turn without one,
skip a worker that is down, and pass bytes both ways unchanged (a websocket-like exchange)."""
from __future__ import annotations

import asyncio
import re

from dashboard.balancer import COOKIE, MAX_HEAD, UNAVAILABLE, Balancer


async def _backend(name: str):
    """A worker stand-in: answers each request with its name and the request head it got; after
    a request ``GET /echo`` it echoes raw bytes (as a websocket after its upgrade)."""
    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                body = name.encode() + b"|" + head
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
                await writer.drain()
                if head.startswith(b"GET /echo"):
                    while chunk := await reader.read(1024):
                        writer.write(chunk)
                        await writer.drain()
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def _request(port: int, cookie: str | None = None, path: str = "/", keep=None):
    """One GET through the balancer: ``(status head, body)``; ``keep`` a list that receives the
    open connection instead of closing it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    extra = f"Cookie: other=1; {COOKIE}={cookie}\r\n" if cookie is not None else ""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n{extra}\r\n".encode())
    head = (await reader.readuntil(b"\r\n\r\n")).decode()
    length = int(re.search(r"Content-Length: (\d+)", head).group(1))
    body = (await reader.readexactly(length)).decode()
    if keep is not None:
        keep.append((reader, writer))
    else:
        writer.close()
    return head, body


def _route(head: str) -> str | None:
    found = re.search(COOKIE + r"=(\d+); Path=/; HttpOnly; SameSite=Lax", head)
    return found.group(1) if found else None


async def _with_balancer(test, down: int | None = None):
    backends = [await _backend(name) for name in ("w0", "w1", "w2")]
    ports = [p for _, p in backends]
    if down is not None:
        backends[down][0].close()
        await backends[down][0].wait_closed()
    front = await Balancer([("127.0.0.1", p) for p in ports]).serve("127.0.0.1", 0)
    try:
        return await test(front.sockets[0].getsockname()[1])
    finally:
        front.close()
        for server, _ in backends:
            server.close()


def test_new_visitors_go_round_and_keep_their_worker():
    async def test(port):
        firsts = [await _request(port) for _ in range(3)]
        names = [body.split("|")[0] for _, body in firsts]
        assert sorted(names) == ["w0", "w1", "w2"]  # in turn
        for (head, body), name in zip(firsts, names):
            assert _route(head) == name[1:]  # the cookie names the worker that answered
            assert COOKIE not in body  # the worker sees the request as the client sent it
        for name in names:  # with the cookie: always that worker, and no new cookie
            for _ in range(3):
                head, body = await _request(port, cookie=name[1:])
                assert body.startswith(name + "|") and _route(head) is None
                assert f"{COOKIE}={name[1:]}" in body  # the cookie reaches the worker unchanged
    asyncio.run(_with_balancer(test))


def test_a_worker_that_is_down_is_skipped_and_a_bad_cookie_reassigned():
    async def test(port):
        names = [(await _request(port))[1].split("|")[0] for _ in range(4)]
        assert "w1" not in names and set(names) == {"w0", "w2"}
        head, body = await _request(port, cookie="1")  # its worker is down: another, a new cookie
        assert body[:2] in ("w0", "w2") and _route(head) == body[1]
        head, body = await _request(port, cookie="9")  # no such worker
        assert _route(head) == body[1]
    asyncio.run(_with_balancer(test, down=1))


def test_bytes_pass_both_ways_after_the_first_response():
    async def test(port):
        kept = []
        head, body = await _request(port, cookie="2", path="/echo", keep=kept)
        assert body.startswith("w2|GET /echo")
        reader, writer = kept[0]
        payload = bytes(range(256)) * 600  # 150 KB, binary, as a websocket frame stream
        writer.write(payload)
        await writer.drain()
        got = await reader.readexactly(len(payload))
        writer.close()
        assert got == payload
    asyncio.run(_with_balancer(test))


def test_all_workers_down_is_503_and_an_oversized_head_is_closed():
    async def test(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nX: " + b"a" * (MAX_HEAD + 10) + b"\r\n\r\n")
        await writer.drain()
        assert await reader.read() == b""  # closed without an answer
        writer.close()

    async def all_down(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = await reader.read()
        writer.close()
        return answer

    asyncio.run(_with_balancer(test))

    async def none_up():
        front = await Balancer([("127.0.0.1", 1)]).serve("127.0.0.1", 0)  # port 1: refused
        try:
            return await all_down(front.sockets[0].getsockname()[1])
        finally:
            front.close()
    answer = asyncio.run(none_up())
    assert answer.startswith(b"HTTP/1.1 503 ") and answer.endswith(UNAVAILABLE)
    assert "reiniciando" in UNAVAILABLE.decode() and "restarting" in UNAVAILABLE.decode()
