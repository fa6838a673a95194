"""Resolve source names and codes to unit codes, through the crosswalk and an alias table.

Every lookup returns a code or a reason; callers put the reason in the unmatched report,
so nothing is dropped silently. The alias table (``aliases_<country>.csv``) holds the
spelling variants; there are no special cases in code.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

__all__ = ["normalise", "place_name", "Matcher", "Match"]

ALIAS_DIR = Path(__file__).resolve().parent

#: Source rows that are not units: survey non-response, totals, blank labels.
_NOT_A_UNIT = re.compile(r"^(\[?no leer\]?\s*)?(no responde|no sabe|total( general| pais)?|nan|)$")


#: Spanish particles written in lower case inside a place name, and the articles that follow them.
_PARTICLES = {"De": "de", "Del": "del", "Y": "y"}
_ARTICLES = {"La": "la", "Las": "las", "Los": "los", "El": "el"}


def place_name(name: str) -> str:
    """A place name as Spanish writes it, mending a source that capitalised every word.

    Particles (de, del, y) inside the name are lower case, and so is an article directly after
    a particle this function lowered ("San Marcos De La Sierra" -> "San Marcos de la Sierra").
    A name written with care is kept: "Palestina de Los Altos" and "Puerto El Triunfo" stay.

    >>> place_name("San Francisco De Yojoa")
    'San Francisco de Yojoa'
    >>> place_name("San Francisco De La Paz")
    'San Francisco de la Paz'
    >>> place_name("Palestina de Los Altos"), place_name("Puerto El Triunfo")
    ('Palestina de Los Altos', 'Puerto El Triunfo')
    >>> place_name("De Ocampo")
    'De Ocampo'
    """
    words = str(name).split(" ")
    lowered = False
    for i in range(1, len(words)):
        if words[i] in _PARTICLES:
            words[i], lowered = _PARTICLES[words[i]], True
        elif lowered and words[i] in _ARTICLES:
            words[i] = _ARTICLES[words[i]]
        else:
            lowered = False
    return " ".join(words)


def normalise(text) -> str:
    """Lower-case, strip accents, punctuation and repeated spaces.

    >>> normalise("  Ciudad  DELGADO ")
    'ciudad delgado'
    >>> normalise("Cabañas")
    'cabanas'
    >>> normalise("[NO LEER] No responde")
    'no leer no responde'
    """
    if text is None or (isinstance(text, float) and text != text):
        return ""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


@dataclass(frozen=True)
class Match:
    """A lookup result: ``code`` when resolved, else ``reason`` (and maybe a ``suggestion``)."""

    code: str | None
    reason: str = ""
    suggestion: str = ""


class Matcher:
    """Names and codes of one country's districts, 2024 municipios and departments.

    Parameters
    ----------
    crosswalk : DataFrame
        The district crosswalk (codes as strings), with every name variant column.
    aliases : DataFrame
        Columns ``level, dept_code, alias, code``.
    """

    #: Letters before the digits of a unit code (``GT`` for Guatemala's pcodes ``GTddmm``).
    code_prefix: str = ""
    #: Digits of a finest-unit code after the prefix (4; Mexico's CVEGEO has 5).
    code_digits: int = 4

    def __init__(self, crosswalk: pd.DataFrame, aliases: pd.DataFrame):
        self.dept_by_name: dict[str, str] = {}
        self.names: dict[str, dict[tuple[str, str], set[str]]] = {"district": {}, "municipio_2024": {}}
        self.labels: dict[str, dict[str, str]] = {"district": {}, "municipio_2024": {}, "department": {}}
        for r in crosswalk.itertuples(index=False):
            d = r.dept_code
            self.dept_by_name[normalise(r.dept_name)] = d
            self.labels["department"][d] = r.dept_name
            self.labels["district"][r.digestyc_code] = r.name
            self.labels["municipio_2024"][r.mun2024_mh_code] = r.mun2024_name
            for col in ("name", "name_hdx", "name_decree_2024", "name_digestyc_list"):
                self._add("district", d, getattr(r, col), r.digestyc_code)
            self._add("municipio_2024", d, r.mun2024_name, r.mun2024_mh_code)
        for r in aliases.itertuples(index=False):
            self._add(r.level, r.dept_code, r.alias, r.code)

    def _add(self, level: str, dept: str, name, code: str) -> None:
        key = normalise(name)
        if key:
            self.names[level].setdefault((dept, key), set()).add(code)
            self.names[level].setdefault(("", key), set()).add(code)

    @classmethod
    def for_country(cls, crosswalk: pd.DataFrame, country: str = "slv") -> "Matcher":
        aliases = pd.read_csv(ALIAS_DIR / f"aliases_{country}.csv", dtype=str)
        return cls(crosswalk, aliases)

    @classmethod
    def from_units(cls, units: pd.DataFrame, level: str, aliases: pd.DataFrame | None = None, *,
                   code_prefix: str = "", code_digits: int = 4) -> "Matcher":
        """A matcher over one level of units and their departments, for packs without a crosswalk.

        ``units`` has ``code, name, dept_code, dept_name``; ``aliases`` the columns of the alias
        table. Codes look like ``code_prefix`` + ``code_digits`` digits (``GT0101``; ``0801`` in
        Honduras; ``02002`` in Mexico).

        >>> import pandas as pd
        >>> u = pd.DataFrame({"code": ["GT0101", "GT0102"], "name": ["Guatemala", "Santa Catarina Pinula"],
        ...                   "dept_code": ["01", "01"], "dept_name": ["Guatemala", "Guatemala"]})
        >>> m = Matcher.from_units(u, "municipio", code_prefix="GT")
        >>> m.code(102, level="municipio").code, m.code("GT0101", level="municipio").code
        ('GT0102', 'GT0101')
        >>> m.resolve("SANTA CATARINA PINULA", "Guatemala", level="municipio").code
        'GT0102'
        """
        self = cls.__new__(cls)
        self.code_prefix = code_prefix
        self.code_digits = int(code_digits)
        self.dept_by_name = {}
        self.names = {level: {}}
        self.labels = {level: {}, "department": {}}
        for r in units.itertuples(index=False):
            self.dept_by_name[normalise(r.dept_name)] = r.dept_code
            self.labels["department"][r.dept_code] = r.dept_name
            self.labels[level][r.code] = r.name
            self._add(level, r.dept_code, r.name, r.code)
        for r in (aliases if aliases is not None else pd.DataFrame()).itertuples(index=False):
            if r.level == level:
                self._add(r.level, r.dept_code, r.alias, r.code)
        return self

    def department(self, name) -> str | None:
        """DIGESTYC department code of a department name (any accents/case), or None."""
        key = normalise(name)
        key = re.sub(r"^\d+ ", "", key)  # "01-AHUACHAPÁN" -> "ahuachapan"
        return self.dept_by_name.get(key)

    def label(self, level: str, code: str) -> str:
        return self.labels[level].get(code, code)

    def resolve(self, name, department=None, *, level: str = "district") -> Match:
        """Resolve a unit name, optionally within a department, to its code.

        >>> import pandas as pd
        >>> cw = pd.DataFrame({"digestyc_code": ["0511", "0607"], "dept_code": ["05", "06"],
        ...     "dept_name": ["La Libertad", "San Salvador"], "name": ["Santa Tecla", "Ilopango"],
        ...     "name_hdx": ["Nueva San Salvador", "Ilopango"], "name_decree_2024": ["Santa Tecla", "Ilopango"],
        ...     "name_digestyc_list": ["Santa Tecla", "Ilopango"], "mun2024_name": ["La Libertad Sur", "San Salvador Este"],
        ...     "mun2024_mh_code": ["0524", "0624"]})
        >>> m = Matcher(cw, pd.DataFrame(columns=["level", "dept_code", "alias", "code"]))
        >>> m.resolve("NUEVA SAN SALVADOR").code, m.resolve("Ilopango, San Salvador").code
        ('0511', '0607')
        >>> m.resolve("Ilopngo").suggestion
        'Ilopango (0607)'
        """
        key = normalise(name)
        if _NOT_A_UNIT.match(key):
            return Match(None, "not_a_unit")
        dept = ""
        if department is not None and normalise(department):
            dept = self.department(department) or ""
            if not dept:
                return Match(None, "unknown_department")
        table = self.names[level]
        codes = table.get((dept, key))
        if not codes and "," in str(name):  # "Ilopango, San Salvador"
            head, _, tail = str(name).rpartition(",")
            dept2 = self.department(tail)
            if dept2:
                codes = table.get((dept2, normalise(head)))
        if codes and len(codes) == 1:
            return Match(next(iter(codes)))
        if codes:
            return Match(None, "ambiguous", ", ".join(f"{self.label(level, c)} ({c})" for c in sorted(codes)))
        return Match(None, "unknown_name", self.suggest(key, dept, level=level))

    def suggest(self, key: str, dept: str = "", *, level: str = "district") -> str:
        """The closest known name as 'Name (code)', or '' when nothing is close."""
        pool = {k[1]: c for k, c in self.names[level].items() if k[0] == dept and len(c) == 1}
        best = difflib.get_close_matches(key, list(pool), n=1, cutoff=0.75)
        if not best:
            return ""
        code = next(iter(pool[best[0]]))
        return f"{self.label(level, code)} ({code})"

    def code(self, raw, *, level: str = "district") -> Match:
        """Resolve a numeric or string code (``101`` -> ``0101``) that exists at ``level``.

        With a ``code_prefix`` (``GT``), ``GT0101``, ``0101`` and ``101`` all give ``GT0101``."""
        s = re.sub(r"\.0$", "", str(raw).strip())
        prefix = self.code_prefix if level != "department" else ""
        if prefix and s.upper().startswith(prefix):
            s = s[len(prefix):]
        if not s.isdigit():
            return Match(None, "bad_code")
        s = prefix + s.zfill(self.code_digits if level != "department" else 2)
        return Match(s) if s in self.labels[level] else Match(None, "unknown_code")
