"""Name and code matching against the real crosswalk and alias table."""
from __future__ import annotations

import pytest

from geodata.boundaries import read_crosswalk
from geodata.matching import Matcher


@pytest.fixture(scope="module")
def matcher(data_root, pack):
    return Matcher.for_country(read_crosswalk(data_root, pack), "slv")


@pytest.mark.parametrize("name, dept, code", [
    ("Ilopango", "San Salvador", "0607"),
    ("ILOPANGO", "SAN SALVADOR", "0607"),          # case
    ("ilopango", None, "0607"),                     # unique without department
    ("Ilopango, San Salvador", None, "0607"),       # department attached
    ("Cabañas", None, None),                        # a department, not a district
    ("Sensuntepeque", "Cabanas", "0906"),           # accents missing in the department
    ("Concepción de Ataco", "Ahuachapán", "0104"),  # accents
    ("concepcion de ataco", "ahuachapan", "0104"),
    ("Nueva San Salvador", "La Libertad", "0511"),  # old name of Santa Tecla
    ("Santa Tecla", "La Libertad", "0511"),
    ("Ciudad Delgado", "San Salvador", "0619"),     # both spellings of Delgado
    ("delgado", "san salvador", "0619"),
    ("oscicala", "Morazan", "1315"),                # LAPOP 2021 typo
    ("San Juan Opico", "La Libertad", "0515"),
    ("Opico", None, "0515"),
])
def test_resolves_variants(matcher, name, dept, code):
    assert matcher.resolve(name, dept).code == code


def test_non_units_are_reported_not_guessed(matcher):
    for name in ["[NO LEER] No responde", "Total", "TOTAL GENERAL", "", None]:
        m = matcher.resolve(name, "San Salvador")
        assert m.code is None and m.reason == "not_a_unit"


def test_ambiguous_name_lists_candidates(matcher):
    # "San Rafael" is a district of Chalatenango (0431) and HDX's short name of San Rafael Oriente (1218)
    m = matcher.resolve("San Rafael")
    assert m.code is None and m.reason == "ambiguous"
    assert m.suggestion == "San Rafael (0431), San Rafael Oriente (1218)"
    assert matcher.resolve("San Rafael", "Chalatenango").code == "0431"


def test_unknown_name_suggests_the_closest(matcher):
    m = matcher.resolve("Ilopanggo", "San Salvador")
    assert (m.code, m.reason, m.suggestion) == (None, "unknown_name", "Ilopango (0607)")


def test_codes_stored_as_numbers(matcher):
    assert matcher.code(101).code == "0101"
    assert matcher.code("614.0").code == "0614"
    assert matcher.code(9999).reason == "unknown_code"
    assert matcher.code("abc").reason == "bad_code"
    assert matcher.code(114, level="municipio_2024").code == "0114"


def test_municipio_2024_names(matcher):
    assert matcher.resolve("San Salvador Centro", level="municipio_2024").code == "0623"
    assert matcher.resolve("cabanas este", level="municipio_2024").code == "0911"
