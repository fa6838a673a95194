"""dashboard.serve's own options: --workers and the port it balances on are checked before any
server starts, each refusal one sentence naming the option, exit status 2."""
from __future__ import annotations

import pytest

from dashboard import serve


@pytest.mark.parametrize("argv, option", [(["--workers", "0"], "--workers"), (["--workers=abc"], "--workers"),
                                          (["--workers", str(serve.MAX_WORKERS + 1)], "--workers"),
                                          (["--workers", "2", "--server.port", "70000"], "--server.port"),
                                          (["--workers", "2", "--server.port=-1"], "--server.port")])
def test_bad_options_are_one_sentence_and_exit_2(capsys, argv, option):
    assert serve.main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"dashboard.serve: {option} must be") and "\n" not in err and "Traceback" not in err


def test_auto_is_one_worker_per_core_at_most_four(monkeypatch):
    for cores, expected in ((1, 1), (2, 2), (8, 4), (None, 1)):
        monkeypatch.setattr(serve.os, "cpu_count", lambda c=cores: c)
        assert serve._workers("auto") == expected
    assert serve._workers(None) == 1 and serve._workers("3") == 3
