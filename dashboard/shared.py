"""Process-wide caches of the dashboard's shared data, which no browser message can clear.

Streamlit's own caches (``st.cache_data``, ``st.cache_resource``) are emptied for every user
when any websocket client sends the ``clear_cache`` message, which needs no rights: sent every
half second it made every visitor's next view 40 times slower (issue 16). The expensive shared
data (model data, model results, maps) therefore live here instead. They are keyed by the
store's data version, so an import or a rollback still shows at once; ``clear_all`` is for
tests and the operator.

``memo(copy=True)`` behaves like ``st.cache_data`` (each caller gets its own copy, made by
pickling); ``memo(copy=False)`` like ``st.cache_resource`` (one shared object, never mutate it).
``max_entries`` bounds an LRU; each miss is logged (``riskmap.cache``, INFO) with its arguments,
a digest of its key and its duration, so a key computed twice shows in the operator's log.

Examples
--------
>>> calls = []
>>> @memo(copy=False)
... def square(x):
...     calls.append(x)
...     return x * x
>>> square(3), square(3), calls
(9, 9, [3])
"""
from __future__ import annotations

import functools
import hashlib
import logging
import pickle
import threading
import time
from collections import OrderedDict

import pandas as pd

__all__ = ["memo", "clear_all"]

_LOG = logging.getLogger("riskmap.cache")
_ALL: list = []


def _part(value):
    """A hashable stand-in for one argument (tables by content, like ``st.cache_data``)."""
    if isinstance(value, (str, int, float, bool, type(None), bytes)):
        return value
    if isinstance(value, (tuple, list)):
        return (type(value).__name__, tuple(_part(v) for v in value))
    if isinstance(value, frozenset):
        return ("frozenset", tuple(sorted(map(repr, value))))
    if isinstance(value, dict):
        return ("dict", tuple((k, _part(v)) for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))))
    if isinstance(value, (pd.DataFrame, pd.Series)):
        try:
            digest = hashlib.sha256(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        except TypeError:  # unhashable cells (lists, dicts): by their pickled bytes
            digest = hashlib.sha256(pickle.dumps(value))
        framed = isinstance(value, pd.DataFrame)
        digest.update(repr(list(value.columns) if framed else value.name).encode())
        digest.update(repr(list(map(str, value.dtypes)) if framed else str(value.dtype)).encode())
        digest.update(pickle.dumps(value.attrs))
        return ("frame", digest.hexdigest())
    return ("pickle", hashlib.sha256(pickle.dumps(value)).hexdigest())


def _brief(args, kwargs) -> str:
    """Short, readable arguments for the log: scalars as typed (texts cut), others by type."""
    def one(v):
        if isinstance(v, (int, float, bool, type(None))):
            return repr(v)
        if isinstance(v, str):
            return repr(v if len(v) <= 40 else v[:37] + "...")
        return type(v).__name__
    return ", ".join([one(a) for a in args] + [f"{k}={one(v)}" for k, v in kwargs.items()])


class _Memo:
    def __init__(self, fn, copy: bool, max_entries: int | None):
        self.fn, self.copy, self.max_entries = fn, copy, max_entries
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()
        self.pending: dict = {}
        functools.update_wrapper(self, fn)

    def __call__(self, *args, **kwargs):
        key = (_part(args), _part(kwargs))
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self._out(self.entries[key])
            gate = self.pending.setdefault(key, threading.Lock())
        with gate:  # one computation per key; others wait for it
            with self.lock:
                if key in self.entries:
                    return self._out(self.entries[key])
            started = time.perf_counter()
            try:
                value = self.fn(*args, **kwargs)
            finally:
                with self.lock:
                    self.pending.pop(key, None)
            stored = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL) if self.copy else value
            with self.lock:
                self.entries[key] = stored
                while self.max_entries and len(self.entries) > self.max_entries:
                    self.entries.popitem(last=False)
            _LOG.info("computed %s(%s) key %s in %.2f s", self.fn.__name__, _brief(args, kwargs),
                      hashlib.sha256(repr((self.fn.__qualname__, key)).encode()).hexdigest()[:12], time.perf_counter() - started)
            return self._out(stored)

    def _out(self, stored):
        return pickle.loads(stored) if self.copy else stored

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


def memo(*, copy: bool = True, max_entries: int | None = None):
    """Decorator: cache the function's results for the life of the server process."""
    def wrap(fn):
        cached = _Memo(fn, copy, max_entries)
        _ALL.append(cached)
        return cached
    return wrap


def clear_all() -> None:
    """Empty every cache made by ``memo`` (tests; never reachable from a browser)."""
    for cached in _ALL:
        cached.clear()
