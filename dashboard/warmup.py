"""Warm-up: fill the shared caches every country's pages need at their defaults, once per data
version, in a background thread that never blocks a visitor.

Without it the first visitor of a country's Priorities or Trends page, or of the Region page,
waits for the country's ``ModelData`` (about 1.7 s each for El Salvador and Guatemala) and its
default model results, on top of the page itself. ``start`` is called by ``app.py`` on every
run; the first call in a server process starts one daemon thread, later calls with the same
data version return at once. A new data version of the session's country (an import, a
rollback, another server writing to the same store) starts a new warm-up at the next run. The thread calls the very cached
functions of ``dashboard.data`` the pages call, with the pages' own default arguments, so what
it computes is what they look up. A failure in the thread is logged and ignored: the pages then
compute (and report) the same thing themselves.
"""
from __future__ import annotations

import logging
import threading

from dashboard import data, region, state, trend_series
from dashboard.i18n import LANGS

__all__ = ["start", "warm"]

_LOG = logging.getLogger(__name__)
#: Country -> the data version whose default views ``warm`` has computed in this process (so
#: the first visitor after ``dashboard.serve``'s warm-up starts no second, redundant warm-up
#: that would compete with its own page for the two cores).
_WARMED: dict[str, str] = {}


def warm(first: str | None = None, countries=state.COUNTRIES) -> dict[str, str]:
    """Compute each country's default views (model data, the default scenario's results at the
    default year and finest level with the Map/Priorities draws and with none, the first Trends
    indicator's series and flags, the rolling 12 months of a monthly series, the web GeoJSON),
    ``first`` country first, then the Region page's table. Returns country -> the data version
    it warmed."""
    versions = {}
    for country in sorted(countries, key=lambda c: c != first):
        version = versions[country] = data.version(country)
        pack = data.pack(country)
        md = data.model_data(country, version)
        data.catalogue(country, version)
        data.map_years(country, version)
        data.mappable_indicators(country, version)
        data.finest_unit_names(country, version)
        key = data.base_spec(country).key()
        for draws in (None, 0):  # the spec's draws (every page) and none (hotspots)
            data.model_result(country, version, key, pack.default_year, pack.finest, draws)
        for level in pack.levels:
            data.web_geojson(country, level)
        indicators = trend_series.trend_indicators(md)
        if indicators:
            first = "acled_fatalities" if "acled_fatalities" in indicators else indicators[0]
            level = trend_series.effective_level(md, first, pack.finest)
            data.trend_series(country, version, first, level)
            data.trend_flags(country, version, first, level)
        data.rolling(country, version, pack.finest)  # Trends' last 12 months (None: no monthly series)
        data.concentration(country)
        _WARMED[country] = version
    regional = tuple(c for c in state.REGION_COUNTRIES if c in versions)  # the Region page's countries
    data.regional(regional, tuple(versions[c] for c in regional), region.MODES[0])
    for lang in LANGS:
        data.regional_geojson(regional, lang)
    return versions


@data.cache_resource(max_entries=8)  # not st.cache_resource: a viewer's clear-cache must not restart it
def _thread(country: str, version: str) -> threading.Thread:
    """One warm-up thread per data version of the session's country (the arguments key the
    cache; the thread reads every country's version itself, so a visitor never waits for it)."""

    def run():
        try:  # only countries already built: building one here would hold the store's write lock
            warm(first=country, countries=data.built(state.COUNTRIES))
        except Exception:  # noqa: BLE001 - the pages compute the same and report errors themselves
            _LOG.exception("warm-up failed; pages compute their data on first view")

    thread = threading.Thread(target=run, name="riskmap-warmup", daemon=True)
    thread.start()
    return thread


def start(country: str, version: str) -> None:
    """Start the warm-up for the data ``version`` of ``country`` (what ``app.py`` has just read
    for the session), unless it has already been started or done for it in this server process."""
    if _WARMED.get(country) != version:
        _thread(country, version)
