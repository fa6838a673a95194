"""Reading official files as institutions produce them, and a fuzz of the parser (only DataError)."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geodata.boundaries import read_crosswalk
from geodata.errors import DataError
from geodata.importing import MAX_BYTES, find_layout, parse, read_table
from geodata.matching import Matcher
from geodata.validation import parse_number, problems_frame

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module")
def matcher(data_root, pack):
    return Matcher.for_country(read_crosswalk(data_root, pack), "slv")


@pytest.fixture(scope="module")
def population(built_store):
    return built_store.population("slv")


def _parse(name, matcher, population, kind="count", **kw):
    return parse(FIXTURES / name, matcher=matcher, population=population, kind=kind, **kw)


def test_cp1252_semicolon_decimal_comma_title_rows_and_total(matcher, population):
    raw = read_table(FIXTURES / "fixture_hogares_cp1252_punto_y_coma_titulos_total.csv")
    assert (raw.encoding, raw.delimiter, raw.decimal, raw.header_row) == ("cp1252", ";", ",", 4)
    assert raw.header == ("Municipio", "Departamento", "Año", "Porcentaje de hogares")
    p = _parse("fixture_hogares_cp1252_punto_y_coma_titulos_total.csv", matcher, population, kind="share")
    got = dict(zip(p.observations["unit"], p.observations["value"]))
    # SAN MIGUEL 12,5; Ilopango 3,25; CIUDAD DELGADO 7; CONCEPCIÓN DE ATACO 0,75; Santa Tecla 1,5
    assert got == {"1217": 12.5, "0607": 3.25, "0619": 7.0, "0104": 0.75, "0511": 1.5}
    assert p.level == "district" and set(p.observations["year"]) == {2022}
    assert p.skipped[["row", "value", "reason"]].values.tolist() == [
        [11, "TOTAL GENERAL", "not_a_unit"], [12, "Fuente: ficticia", "missing_value"]]
    assert p.rows_read == p.rows_stored + len(p.skipped) == 7


def test_utf8_bom_long_with_codes_and_total(matcher, population):
    raw = read_table(FIXTURES / "fixture_homicidios_utf8_bom_largo.csv")
    assert (raw.encoding, raw.delimiter, raw.header[0]) == ("utf-8-sig", ",", "Código")
    p = _parse("fixture_homicidios_utf8_bom_largo.csv", matcher, population)
    obs = p.observations
    assert sorted(zip(obs["unit"], obs["year"], obs["value"])) == [
        ("0101", 2021, 9.0), ("0101", 2022, 7.0), ("0607", 2021, 21.0), ("0607", 2022, 12.0), ("1217", 2021, 30.0)]
    assert obs["denominator"].notna().all()  # population of the unit and year (persons)
    assert p.skipped["reason"].tolist() == ["not_a_unit"]


def test_xlsx_wide_numeric_codes_formulas_as_values(matcher, population):
    raw = read_table(FIXTURES / "fixture_homicidios_ancho_codigos_numericos.xlsx")
    assert raw.header_row == 3 and raw.header[:5] == ("Código", "Distrito", "2021", "2022", "2023")
    layout = find_layout(raw)
    assert layout.wide and [y for _, y in layout.values] == [2021, 2022, 2023]
    assert [raw.header[j] for j in layout.ignored] == ["Total"]
    p = _parse("fixture_homicidios_ancho_codigos_numericos.xlsx", matcher, population)
    obs = p.observations.set_index(["unit", "year"])["value"]
    assert len(obs) == 15 and obs[("0101", 2021)] == 9   # code stored as the number 101
    assert obs[("0607", 2022)] == 12                      # the cell holds =10+2: its cached value is read
    assert obs[("0511", 2023)] == 3 and obs[("1217", 2021)] == 30
    assert p.skipped["value"].tolist() == ["TOTAL"]


def test_xlsx_wide_one_year_chosen(matcher, population):
    p = _parse("fixture_homicidios_ancho_codigos_numericos.xlsx", matcher, population, year=2022)
    assert set(p.observations["year"]) == {2022} and len(p.observations) == 5


def test_names_with_department_attached_and_old_names(matcher, population):
    raw = read_table(FIXTURES / "fixture_nombres_con_departamento_y_antiguos.csv")
    assert (raw.encoding, raw.delimiter) == ("cp1252", "\t")  # latin-1 text is also valid cp1252
    p = _parse("fixture_nombres_con_departamento_y_antiguos.csv", matcher, population, year=2023)
    got = dict(zip(p.observations["unit"], p.observations["value"]))
    assert got == {"0607": 8, "0511": 3, "0515": 5, "0619": 6, "0608": 4, "0905": 1, "0101": 4}
    assert set(p.observations["year"]) == {2023}


def test_municipio_2024_level_is_detected(matcher, population):
    p = _parse("fixture_desplazados_municipios_2024_44.csv", matcher, population)
    assert p.level == "municipio_2024" and len(p.observations) == 44
    assert p.observations["unit"].is_unique and set(p.observations["year"]) == {2024}
    assert (p.observations["denominator"] > 0).all()


def test_level_can_be_chosen_and_is_then_not_guessed(matcher, population):
    with pytest.raises(DataError) as err:
        _parse("fixture_desplazados_municipios_2024_44.csv", matcher, population, level="district")
    assert len(err.value.params["problems"]) == 44


def test_value_column_chooses_among_several(matcher, population):
    p = _parse("fixture_bad_columnas_ambiguas.csv", matcher, population, value_column="lesionados")
    assert p.observations["value"].tolist() == [25.0]


@pytest.mark.parametrize("text, decimal, expected", [
    ("12,5", ",", 12.5), ("1.234,5", ",", 1234.5), ("1.234", ",", 1234.0), ("1,234", ".", 1234.0),
    ("12.5", ".", 12.5), (" 7 ", ",", 7.0), ("3 %", ",", 3.0), ("-3", ".", -3.0), ("1e5", ".", None),
    ("inf", ".", None), ("", ".", None), ("12,5", ".", None), (True, ".", None), (4, ",", 4.0)])
def test_parse_number(text, decimal, expected):
    assert parse_number(text, decimal) == expected


def test_problems_frame_for_the_data_page(matcher, population):
    with pytest.raises(DataError) as err:
        _parse("fixture_bad_varios_problemas.csv", matcher, population)
    frame = problems_frame(err.value)
    assert frame.columns.tolist() == ["row", "column", "value", "key", "message"]
    assert frame["row"].tolist() == [2, 3, 4, 5]
    assert frame["key"].tolist() == ["import.unknown_unit", "import.year_range", "import.negative",
                                     "import.ambiguous_unit"]


def test_hostile_cell_text_is_cleaned_in_messages(matcher, population):
    data = ("Municipio,Año,Homicidios\n\"<img src=x onerror=alert(1)>\x1b[2J\",2022,3\n").encode()
    with pytest.raises(DataError) as err:
        parse(data, filename="x.csv", matcher=matcher, population=population, kind="count")
    (prob,) = err.value.params["problems"]
    assert "\x1b" not in prob.message and prob.value == "<img src=x onerror=alert(1)>?[2J"


def test_size_limit_before_reading(tmp_path):
    big = tmp_path / "grande.csv"
    with open(big, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: nothing is read
    with pytest.raises(DataError, match=r"^grande.csv: the file has 10485761 bytes, above the limit of "
                                        r"10485760 bytes$"):
        read_table(big)


# -- fuzz -----------------------------------------------------------------------------------------
TOKENS = ["Municipio", "Departamento", "Código", "Año", "Homicidios", "Total", "TOTAL GENERAL", "Ilopango",
          "Ilopango, San Salvador", "san salvador", "Nueva San Salvador", "El Rosario", "101", "0607", "2021",
          "2023", "1999", "12,5", "1.234", "-3", "1e9", "abc", "", " ", ";", ",", "\t", '"', "\n", "\r\n",
          "ñ", "Ó", "\x00", "=1+1", "<b>", "2021.0", "2022", "Porcentaje", "Tasa"]


def _check_only_data_error(fn):
    try:
        fn()
    except DataError:
        pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), ext=st.sampled_from(["csv", "xlsx", "CSV"]))
def test_fuzz_read_table_random_bytes(data, ext):
    _check_only_data_error(lambda: read_table(data, filename=f"f.{ext}"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts=st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=6)), max_size=80),
       kind=st.sampled_from(["count", "share", "rate", "index"]),
       year=st.sampled_from([None, 2022, 1990]), level=st.sampled_from([None, "district", "municipio_2024"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_fuzz_parse_structured_text(matcher, population, parts, kind, year, level, encoding):
    text = "".join(parts)
    data = text.encode(encoding, errors="replace")
    _check_only_data_error(lambda: parse(data, filename="f.csv", matcher=matcher, population=population,
                                         kind=kind, year=year, level=level))


XLSX = (FIXTURES / "fixture_homicidios_ancho_codigos_numericos.xlsx").read_bytes()


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(st.integers(0, len(XLSX) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_fuzz_damaged_xlsx(edits):
    data = bytearray(XLSX)
    for pos, byte in edits:
        data[pos] = byte
    _check_only_data_error(lambda: read_table(bytes(data), filename="f.xlsx"))
