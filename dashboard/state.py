"""Per-user state behind one module: widget keys, the URL, and the context pages read.

Shared widgets live in ``app.py``'s sidebar with the keys below, so they keep their value
across pages; pages read them through ``context()``. Nothing here is module-level mutable state.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.i18n import DEFAULT_LANG, normalise_lang
from geodata.names import DIMENSIONS, UNIT_LEVELS, weight_key

__all__ = ["ensure_entrypoint", "mark_routed", "bind_to_country", "COUNTRIES", "REGION_COUNTRIES", "LANG", "COUNTRY", "YEAR", "VERSION", "set_version",
           "default_year", "follow_country", "open_country_profile", "Context", "init_from_url", "context", "lang",
           "write_url", "base_url_path", "LEVEL", "LEVELS", "WEIGHT_KEYS", "AGGREGATION", "SCHEME",
           "TOP_N", "SCENARIO_KEYS", "WEIGHT_MAX", "init_scenario", "scenario_spec",
           "scenario_weights", "default_level", "open_profile", "PROGRAMME", "open_view"]

#: Countries offered in the sidebar (packs ``geodata.packs.COUNTRIES`` may hold more; add a
#: country here once its store builds and its pages have been checked).
COUNTRIES = ("slv", "gtm", "hnd", "mex")
#: Countries of the Region page: the Northern Triangle. Mexico (2,469 municipios, ten times the
#: other three together) is left out there so the page's first view stays fast; it has its own
#: country map, and its scores are on a within-country scale anyway.
REGION_COUNTRIES = ("slv", "gtm", "hnd")
LANG, COUNTRY, YEAR, VERSION = "lang", "country", "year", "_data_version"
_URL_READ = "_url_read"
_ROUTED = "_routed"
_PENDING_PROFILE = "_pending_profile"
_PENDING_VIEW = "_pending_view"
#: Geography levels of the shared ``level`` widget, finest first: El Salvador's district,
#: municipio_2024 and department; Guatemala's and Honduras's municipio and department. The
#: sidebar offers the country pack's own levels (``default_level``).
LEVEL = "level"
LEVELS = UNIT_LEVELS
#: The scenario (see ``scenario_spec``): one 0..WEIGHT_MAX slider per dimension, aggregation,
#: classification scheme and N of P(top N). Kept across pages by ``init_scenario``.
WEIGHT_KEYS = {d: weight_key(d) for d in DIMENSIONS}
AGGREGATION, SCHEME, TOP_N = "aggregation", "scheme", "top_n"
SCENARIO_KEYS = (*WEIGHT_KEYS.values(), AGGREGATION, SCHEME, TOP_N)
WEIGHT_MAX = 5.0
#: District codes where the programme is present (Map overlay, Priorities "covered" constraint).
PROGRAMME = "programme_units"
_URL_SCENARIO = "_url_scenario"


@dataclass(frozen=True)
class Context:
    """What every page needs from the shared sidebar."""

    lang: str
    country: str
    year: int | None
    version: str
    level: str = LEVELS[0]


def mark_routed() -> None:
    """Called by ``dashboard.frame.run`` just before it runs the page ``st.navigation`` chose."""
    st.session_state[_ROUTED] = True


def ensure_entrypoint() -> None:
    """Make sure this page runs inside the app's frame (its sidebar and ``st.navigation``).

    Until some run of the server process has called ``st.navigation``, Streamlit serves the
    ``pages/`` folder itself (its documented automatic multipage mode): the first visitor who
    opens ``/map`` directly gets ``pages/map.py`` alone, without the sidebar. Each page calls
    this first: when the frame did not route this run, the frame runs now (sidebar, then
    ``st.navigation``, which runs this same page inside it, and from then on the server uses
    the app's navigation), and the outer run stops. Only public Streamlit calls; no rerun, so
    a first visit keeps its query parameters and clicks. A no-op in every normal run.
    """
    if st.session_state.pop(_ROUTED, False):
        return
    from dashboard import frame

    frame.run()
    st.stop()


def init_from_url() -> None:
    """Read ``?lang=en`` (and ``?country=``) once per session, before the widgets are made."""
    for key in (LANG, COUNTRY):  # keep the sidebar's values even in a run that sends no widget state
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    if pending := st.session_state.get(_PENDING_PROFILE):  # see open_country_profile
        st.session_state[COUNTRY], st.session_state[LEVEL] = pending[0], pending[2]
    if pending := st.session_state.pop(_PENDING_VIEW, None):  # see open_view
        st.session_state[LEVEL], st.session_state[_URL_SCENARIO] = pending[0], pending[1]
        if pending[2] is not None:
            st.session_state[YEAR] = int(pending[2])
    if st.session_state.get(_URL_READ):
        return
    st.session_state[_URL_READ] = True
    params = st.query_params
    if "lang" in params:
        st.session_state[LANG] = normalise_lang(params.get("lang"))
    if params.get("country") in COUNTRIES:
        st.session_state[COUNTRY] = params.get("country")
    if params.get("level") in LEVELS:  # checked against the country's levels by default_level
        st.session_state[LEVEL] = params.get("level")
    if str(params.get("year", "")).isdigit():
        st.session_state[YEAR] = int(params.get("year"))
    if params.get("scenario"):
        st.session_state[_URL_SCENARIO] = params.get("scenario")


#: Session keys of the scenario and of the unit choices made from outside a page, dropped when
#: the country changes; pages add their own keys with ``bind_to_country``.
_COUNTRY_KEYS = (*SCENARIO_KEYS, PROGRAMME, "profile_unit", "profile_level")
_COUNTRY_SEEN = "_country_seen"
_BOUND = "_country_bound"


def bind_to_country(*keys: str) -> None:
    """Declare session keys of the calling page that hold one country's units or settings:
    ``follow_country`` drops them when the country changes (each page names its own keys)."""
    bound = st.session_state.setdefault(_BOUND, set())
    bound.update(keys)


def follow_country(country: str) -> None:
    """Forget the previous country's scenario and unit choices when the country changes.

    Weights, programme units, the profiled unit and compared units are codes and settings of
    one country; kept across a switch they would name units that do not exist, or weigh a
    dimension the new country cannot score. A no-op on the first run and while the country stays.
    """
    seen = st.session_state.get(_COUNTRY_SEEN)
    if seen is not None and seen != country:
        for key in (*_COUNTRY_KEYS, *st.session_state.get(_BOUND, ())):
            st.session_state.pop(key, None)
    st.session_state[_COUNTRY_SEEN] = country
    if pending := st.session_state.pop(_PENDING_PROFILE, None):
        st.session_state["profile_unit"], st.session_state["profile_level"] = pending[1], pending[2]


def open_country_profile(country: str, code: str, level: str) -> None:
    """Open the Profile page on a unit of ``country`` (a click on the regional map).

    The country is a sidebar widget, which a page cannot change once it is drawn; so the request
    waits in the session, ``init_from_url`` sets the country and level before the sidebar of the
    next run, and ``follow_country`` sets the unit after forgetting the old country's choices.
    """
    st.session_state[_PENDING_PROFILE] = (country, code, level)
    st.switch_page("pages/profile.py")


def open_view(level: str, scenario: str, year: int | None = None) -> None:
    """Show the page again at ``level`` with the scenario ``scenario`` (a ``Spec.key()``) and
    ``year`` (a saved shortlist's own): like a ``?level=&scenario=&year=`` link, the request
    waits in the session and ``init_from_url`` applies it before the sidebar of the rerun."""
    st.session_state[_PENDING_VIEW] = (level, scenario, year)
    st.rerun()


def default_level(levels) -> None:
    """Give the shared level widget a valid value (the finest level unless one is chosen)."""
    if st.session_state.get(LEVEL) not in levels:
        st.session_state[LEVEL] = levels[0]
    st.session_state[LEVEL] = st.session_state[LEVEL]


def url_scenario(base, text: str):
    """The scenario a ``?scenario=`` text names over ``base``, or None when the text is not one
    this app writes (``Spec.key()`` of ``base`` with other weights, aggregation, scheme, window or
    N; weights 0..WEIGHT_MAX): a hand-edited or truncated link then opens ``base``."""
    from geodata.errors import DataError
    from risk_model.spec import parse_key

    try:
        spec = parse_key(base, text)
    except DataError:
        return None
    weights_ok = all(0.0 <= spec.weight(d) <= WEIGHT_MAX for d in spec.enabled)
    return spec if weights_ok and spec.key() == text else None


def init_scenario(base) -> bool:
    """Fill the scenario keys from ``base`` (a ``risk_model.Spec``) or from ``?scenario=`` once,
    and keep them across pages; True when a ``?scenario=`` was malformed (``base`` is used).

    The sliders live on the Priorities page; Streamlit drops a widget's value when its page is
    left, unless the key is re-assigned in every run (multipage-apps/widgets.md, "interrupt the
    widget clean-up"), which this does.
    """
    pending = st.session_state.pop(_URL_SCENARIO, None)
    spec = url_scenario(base, pending) if pending else base
    rejected = spec is None
    spec = spec or base
    missing = any(k not in st.session_state for k in SCENARIO_KEYS)
    if pending or missing:
        for dim, key in WEIGHT_KEYS.items():
            if pending or key not in st.session_state:
                weight = spec.weight(dim) if dim in spec.enabled else 0.0
                st.session_state[key] = float(min(max(weight, 0.0), WEIGHT_MAX))
        for key, value in ((AGGREGATION, spec.aggregation), (SCHEME, spec.scheme),
                           (TOP_N, int(spec.top_n))):
            if pending or key not in st.session_state:
                st.session_state[key] = value
    for key in (*SCENARIO_KEYS, PROGRAMME):  # keep page widgets' values when their page is left
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    return rejected


def scenario_weights() -> dict[str, float]:
    """Dimension -> weight (0..WEIGHT_MAX) of the session's scenario."""
    return {d: float(st.session_state.get(k, 0.0)) for d, k in WEIGHT_KEYS.items()}


def scenario_spec(ctx: "Context"):
    """The country's default spec with the session's scenario applied (a frozen ``Spec``).

    A dimension with weight 0 is left out of the score (not enabled); with every weight 0 the
    spec has no dimension and ``run_model`` raises ``model.no_weight``.
    """
    from dashboard import data

    base = data.base_spec(ctx.country)
    weights = scenario_weights()
    return base.with_scenario(
        weights=weights, aggregation=st.session_state.get(AGGREGATION) or None,
        scheme=st.session_state.get(SCHEME) or None,
        top_n=int(st.session_state.get(TOP_N) or base.top_n),
        enabled=tuple(d for d, w in weights.items() if w > 0))


def open_profile(code: str, level: str) -> None:
    """Open the Profile page on one unit (when that page exists)."""
    from pathlib import Path

    st.session_state["profile_unit"] = code
    st.session_state["profile_level"] = level
    if (Path(__file__).resolve().parents[1] / "pages" / "profile.py").exists():
        st.switch_page("pages/profile.py")


def lang() -> str:
    """The session's language code (``DEFAULT_LANG`` until chosen)."""
    return normalise_lang(st.session_state.get(LANG, DEFAULT_LANG))


def set_version(version: str) -> None:
    """Called by ``app.py`` each run with the store's data version, before the page runs."""
    st.session_state[VERSION] = version


def default_year(years, preferred: int) -> None:
    """Give the shared year widget a valid value: keep the user's, else ``preferred`` when
    available, else the latest of ``years``."""
    current = st.session_state.get(YEAR)
    if years and current not in years:
        st.session_state[YEAR] = preferred if preferred in years else years[-1]
    elif current is not None:
        # re-assigned each run: the value then survives a run in which the widget's own state
        # is not sent (AppTest with st.navigation sends none for the sidebar select_slider)
        st.session_state[YEAR] = current


def context() -> Context:
    year = st.session_state.get(YEAR)
    level = st.session_state.get(LEVEL)
    return Context(lang=lang(), country=st.session_state.get(COUNTRY, COUNTRIES[0]),
                   year=int(year) if year is not None else None,
                   version=st.session_state.get(VERSION, ""),
                   level=level if level in LEVELS else LEVELS[0])


def write_url(**params) -> None:
    """Keep the language, year, level and scenario (``?scenario=<Spec.key()>``), and page
    parameters, in the URL so a copied link reproduces the view."""
    ctx = context()
    wanted = {"lang": lang(), "country": ctx.country}
    if ctx.year is not None:
        wanted["year"] = str(ctx.year)
    if LEVEL in st.session_state:
        wanted["level"] = ctx.level
    if all(k in st.session_state for k in SCENARIO_KEYS) and ctx.version:
        wanted["scenario"] = scenario_spec(ctx).key()
    wanted.update({k: str(v) for k, v in params.items()})
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def base_url_path() -> str:
    """``server.baseUrlPath`` ('' at the root): static files live under it."""
    return str(st.get_option("server.baseUrlPath") or "").strip("/")

