"""What a hostile visitor can try, against a running server: Streamlit's clear-cache websocket
message, and a shortlist named with markdown and HTML.

- The clear-cache message (``BackMsg.clear_cache``, which Streamlit accepts from any client)
  is sent over a plain websocket. A control app with ``st.cache_data`` shows that the message
  does empty Streamlit's caches; the risk map computes nothing again after a flood of it (the
  operator's log lists every cache computation), so the next view costs what it cost before.
- A shortlist named ``![i](http://127.0.0.1:9/t.png) <b>x</b>`` is shown as those characters,
  creates no image or bold element, and makes the browser request nothing from port 9.
"""
from __future__ import annotations

import re
import shutil
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from geodata.store import Store
from tests.browser.conftest import require_browser
from tests.browser.harness import LEAFLET_JS, error_boxes, offline_browser, serve_app, wait_for_map

HOSTILE = "![i](http://127.0.0.1:9/t.png) <b>x</b>"


def send_clear_cache(url: str, times: int = 1, every: float = 0.5) -> None:
    """Connect to the server's websocket as a bare client and send ``clear_cache`` ``times`` times."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from websockets.sync.client import connect

    msg = BackMsg()
    msg.clear_cache = True
    with connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                 origin=url) as ws:
        for i in range(times):
            ws.send(msg.SerializeToString())
            if i < times - 1:
                time.sleep(every)
        time.sleep(0.5)  # let the server handle the last one


def timed_view(page, url: str) -> float:
    """Seconds from navigation to the 262 districts drawn."""
    started = time.perf_counter()
    page.goto(url)
    wait_for_map(page, expected=262)
    return time.perf_counter() - started


def test_clear_cache_message_does_reach_streamlits_caches(tmp_path):
    """Control: the message the next test floods with does clear ``st.cache_data``."""
    require_browser()
    log = tmp_path / "probe.log"
    with serve_app(script="tests/browser/fixture_cache_probe.py", log_path=log) as url:
        with offline_browser() as (page, _):
            for _ in range(2):
                page.goto(url)
                page.get_by_text("probe 1").wait_for(timeout=60_000)
            assert log.read_text().count("PROBE computed") == 1
            send_clear_cache(url)
            page.goto(url)
            page.get_by_text("probe 1").wait_for(timeout=60_000)
            assert log.read_text().count("PROBE computed") == 2


def computed_keys(log: Path) -> list[str]:
    """Cache keys in the order the server computed them (``dashboard.shared`` logs each miss)."""
    return re.findall(r"riskmap\.cache: computed .* key ([0-9a-f]{12}) in", log.read_text())


def test_viewer_clear_cache_flood_leaves_the_next_view_unchanged(built_store, tmp_path, capsys):
    require_browser()
    assert LEAFLET_JS.exists()
    store = tmp_path / "riskmap.sqlite"
    shutil.copy(built_store.path, store)
    log = tmp_path / "server.log"
    with serve_app(store=store, log_path=log) as url:
        with offline_browser() as (page, blocked):
            view = f"{url}/?lang=en"
            cold = timed_view(page, view)
            warm = timed_view(page, view)
            before = set(computed_keys(log))
            flood = threading.Thread(target=send_clear_cache, args=(url, 12, 0.5))
            flood.start()
            time.sleep(1.0)
            flooded = timed_view(page, view)
            flood.join()
            after_flood = timed_view(page, view)
            assert not error_boxes(page), error_boxes(page)
            assert blocked == []
        keys = computed_keys(log)
    assert before, "the operator's log lists cache computations"
    again = [k for k in keys[len(before):] if k in before]  # the background warm-up may add new keys
    assert again == [], f"computed twice after the flood: {again}"
    assert len(keys) == len(set(keys))
    with capsys.disabled():
        print(f"\nnext view (s): cold {cold:.2f}, warm {warm:.2f}, during a clear-cache flood {flooded:.2f}, "
              f"after it {after_flood:.2f}")


@pytest.fixture
def hostile_store(built_store, tmp_path):
    path = tmp_path / "riskmap.sqlite"
    shutil.copy(built_store.path, path)
    items = pd.DataFrame({"code": ["0101"], "name": ["Ahuachapán"], "note": ["<img src=http://127.0.0.1:9/n.png>"]})
    Store(path).save_shortlist("slv", HOSTILE, items, scenario="w=1", level="district", year=2023)
    return path


def test_shortlist_name_with_markdown_and_html_is_shown_literally(hostile_store):
    require_browser()
    with serve_app(store=hostile_store) as url:
        with offline_browser() as (page, blocked):
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(f"{url}/priorities?lang=en")
            page.get_by_role("heading", name="Saved lists").first.wait_for(timeout=120_000)
            page.locator('[data-testid^="stBaseButton"]').filter(has_text=re.compile(r"^Open$")).click(
                timeout=60_000)
            alert = page.locator('[data-testid="stAlert"]').filter(has_text="Opened")
            alert.first.wait_for(timeout=60_000)
            shown = alert.first.inner_text()
            assert HOSTILE in shown, shown
            assert alert.first.locator("img, b, a").count() == 0, alert.first.inner_html()
            page.wait_for_timeout(1000)
            assert page.locator('img[src*="127.0.0.1:9"]').count() == 0
            assert not [r for r in requests if ":9/" in r], requests
            assert not error_boxes(page), error_boxes(page)
            assert blocked == []
