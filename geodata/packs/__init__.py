"""Country packs: small TOML manifests naming the shared files that make a country's store."""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from geodata.errors import DataError
from geodata.names import DEFAULT_LEVELS

__all__ = ["Pack", "Source", "load_pack", "COUNTRIES"]

PACK_DIR = Path(__file__).resolve().parent
#: Country packs, ISO 3166 alpha-3 lower case; the first is the default everywhere.
COUNTRIES = ("slv", "gtm", "hnd", "mex")
#: Unit levels of a pack that does not declare ``levels`` (El Salvador), finest first.


@dataclass(frozen=True)
class Source:
    """One shared file and the adapter that reads it."""

    dataset: str
    file: str
    adapter: str
    source: str
    licence: str
    attribution: str
    obtain: str
    options: dict = field(default_factory=dict)
    #: Spanish texts of ``source``, ``licence`` and ``obtain`` (the Data page in Spanish).
    source_es: str = ""
    licence_es: str = ""
    obtain_es: str = ""

    def text(self, name: str, lang: str) -> str:
        """``source``, ``licence`` or ``obtain`` in ``lang`` ("es" reads ``<name>_es``)."""
        return getattr(self, f"{name}_es") if lang == "es" else getattr(self, name)


@dataclass(frozen=True)
class Pack:
    """A country's manifest: boundary files, population, sources and catalogue file."""

    country: str
    name_es: str
    name_en: str
    boundaries: dict
    sources: tuple[Source, ...]
    catalogue_file: Path
    default_year: int
    fingerprint: str  # sha256 of the manifest and catalogue text
    #: Unit levels, finest first (``levels = [...]`` in the manifest; El Salvador's by default).
    #: Every level after the first is either read from its own boundary file or, without one,
    #: derived by dissolving the finest units on ``dept_code`` (the ``department`` level).
    levels: tuple[str, ...] = DEFAULT_LEVELS
    #: How the finest level's file is read (``[units]``): ``code`` column, ``code_prefix``,
    #: ``population_reader`` and ``population_year``, ``coarse_geometry`` and its notes.
    units: dict = field(default_factory=dict)
    #: Published national sums the build must reproduce (``[national_totals]``): indicator id ->
    #: {year (int): total count}; empty for packs without such figures.
    national_totals: dict = field(default_factory=dict)
    #: The backtest on real outcomes (``[backtest]``: ``indicator``, ``first``, ``last``,
    #: ``top_n``), for packs with a long official series (Mexico); empty elsewhere.
    backtest: dict = field(default_factory=dict)

    @property
    def finest(self) -> str:
        """The finest unit level (``district`` for El Salvador, ``municipio`` for GTM and HND)."""
        return self.levels[0]

    @property
    def coarse_geometry(self) -> bool:
        """True when the boundaries are only good for a national choropleth (Honduras)."""
        return bool(self.units.get("coarse_geometry", False))

    def geometry_note(self, lang: str) -> str:
        """The pack's sentence on coarse geometry in ``lang`` ("es" or "en"; "" when fine)."""
        if not self.coarse_geometry:
            return ""
        return self.units.get(f"geometry_note_{lang}") or self.units.get("geometry_note_en", "coarse geometry")

    def source(self, dataset: str) -> Source:
        for s in self.sources:
            if s.dataset == dataset:
                return s
        raise KeyError(dataset)


def load_pack(country: str = "slv") -> Pack:
    """Read ``geodata/packs/<country>.toml``; raise DataError for an unknown country."""
    path = PACK_DIR / f"{country}.toml"
    if country not in COUNTRIES or not path.exists():
        raise DataError("pack.unknown_country", "unknown country {country!r}; one of {valid}",
                        country=country, valid=", ".join(COUNTRIES))
    text = path.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    cat = PACK_DIR / raw["catalogue"]
    digest = hashlib.sha256((text + cat.read_text(encoding="utf-8")).encode()).hexdigest()
    known = {"dataset", "file", "adapter", "source", "licence", "attribution", "obtain",
             "source_es", "licence_es", "obtain_es"}
    sources = tuple(
        Source(**{k: v for k, v in s.items() if k in known},
               options={k: v for k, v in s.items() if k not in known})
        for s in raw["sources"]
    )
    return Pack(country=raw["country"], name_es=raw["name_es"], name_en=raw["name_en"],
                boundaries=raw["boundaries"], sources=sources, catalogue_file=cat,
                default_year=int(raw["default_year"]), fingerprint=digest,
                levels=tuple(raw.get("levels", DEFAULT_LEVELS)), units=dict(raw.get("units", {})),
                national_totals={i: {int(y): int(n) for y, n in t.items()}
                                 for i, t in raw.get("national_totals", {}).items()},
                backtest=dict(raw.get("backtest", {})))
