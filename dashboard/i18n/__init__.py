"""Translations: ``t(key, lang, **params)`` over ``es.toml`` and ``en.toml`` (Spanish first).

Keys are dotted and grouped by page (``map.title``, ``legend.no_data``); values use named
``str.format`` placeholders. Both files must hold the same keys with the same placeholders
(``tests/test_dashboard_text.py`` checks it).
"""
from __future__ import annotations

import string
import tomllib
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

__all__ = ["LANGS", "DEFAULT_LANG", "t", "tc", "t_error", "messages", "placeholders", "normalise_lang"]

LANGS = ("es", "en")
DEFAULT_LANG = "es"
_DIR = Path(__file__).resolve().parent


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = str(value)
    return out


@lru_cache(maxsize=None)
def messages(lang: str) -> MappingProxyType:
    """All messages of a language as a read-only ``{dotted.key: text}`` mapping."""
    lang = normalise_lang(lang)
    raw = tomllib.loads((_DIR / f"{lang}.toml").read_text(encoding="utf-8"))
    return MappingProxyType(_flatten(raw))


def normalise_lang(lang) -> str:
    """``lang`` when it is one of ``LANGS`` (case-insensitive), else ``DEFAULT_LANG``."""
    lang = str(lang or "").strip().lower()[:2]
    return lang if lang in LANGS else DEFAULT_LANG


def placeholders(text: str) -> set[str]:
    """Named placeholders of a message: ``placeholders("{n} of {total}") == {"n", "total"}``."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def t(key: str, lang: str, **params) -> str:
    """The message ``key`` in ``lang`` with ``params`` filled in.

    Raises KeyError for an unknown key (a bug: every key must exist in both languages).

    Examples
    --------
    >>> t("app.title", "en")
    'Municipal risk map'
    >>> t("map.shown_year", "es", wanted=2023, shown=2021)
    'Sin datos para 2023: se muestra 2021, el año anterior más cercano con datos.'
    """
    text = messages(normalise_lang(lang))[key]
    return text.format(**params) if params else text


def tc(key: str, lang: str, country: str, /, **params) -> str:
    """``t`` with a country's own wording when its section has the key (``[mex]`` holds
    ``"map.composite"`` for Mexico, whose score is lethal violence only), else the common one.

    >>> tc("map.composite", "en", "mex") != tc("map.composite", "en", "slv") == t("map.composite", "en")
    True
    """
    own = f"{country}.{key}"
    return t(own if own in messages(normalise_lang(lang)) else key, lang, **params)


def t_error(err, lang: str) -> str:
    """A ``geodata.errors.DataError`` in ``lang``; its English text when the key is not translated."""
    key = getattr(err, "key", None)
    table = messages(normalise_lang(lang))
    if key in table:
        try:
            return table[key].format(**getattr(err, "params", {}))
        except (KeyError, IndexError, ValueError):
            pass
    return str(err)
