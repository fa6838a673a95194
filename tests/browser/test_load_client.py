"""The load benchmark's websocket client against the real app: every session finishes its run."""
from __future__ import annotations

from benchmarks.load import measure


def test_sessions_with_distinct_weights_finish_without_errors(app_url):
    summary = measure(app_url, 3, distinct=True, first=123, timeout=300)
    assert summary["errors"] == 0, summary.get("first_errors")
    assert summary["sessions"] == 3
    assert 0 < summary["p50_s"] <= summary["p95_s"] <= summary["max_s"]

