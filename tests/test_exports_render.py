"""Map snapshots, the one-page briefing and the standalone HTML map, on the real data."""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from dashboard.exports import assemble
from dashboard.exports.briefing import render_briefing
from dashboard.exports.html import LEAFLET_FILES
from dashboard.exports.mapimage import render_map
from dashboard.i18n import t
from risk_model.spec import load_spec

DATE = dt.date(2025, 1, 15)
YEAR = 2023
EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def setup(built_store, data_root):
    from geodata.boundaries import read_water
    from geodata.packs import load_pack
    from geodata.country_data import load_tables
    from risk_model.pipeline import model_data, run_model
    from risk_model.spec import load_spec

    pack = load_pack("slv")
    tables = load_tables("slv", store=built_store, root=data_root)
    data = model_data(tables)
    result = run_model(data, load_spec("slv_default"), YEAR, draws=200)
    return {"pack": pack, "tables": tables, "data": data, "result": result, "store": built_store,
            "water": read_water(data_root, pack)}


def context(setup, lang: str) -> assemble.ExportContext:
    pack = setup["pack"]
    return assemble.ExportContext(
        country="slv", country_name=pack.name_es if lang == "es" else pack.name_en, lang=lang, date=DATE,
        data_version=setup["store"].version("slv"),
        attributions={s.dataset: s.attribution for s in pack.sources}, datasets=setup["store"].datasets("slv"))


@pytest.fixture(scope="module")
def view_es(setup):
    u = setup["tables"].units
    return assemble.composite_view(setup["result"], u["district"], context(setup, "es"),
                                   outlines=u["department"], water=setup["water"],
                                   programme=frozenset({"0614", "1114"}))


@pytest.fixture(scope="module")
def png_a4(view_es):
    return render_map(view_es, "png", "a4")


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def test_png_is_a4_landscape_at_300_dpi_and_not_blank(png_a4):
    img = Image.open(io.BytesIO(png_a4))
    assert img.size == (3507, 2481)  # 11.69 x 8.27 in at 300 dpi
    assert tuple(round(d) for d in img.info["dpi"]) == (300, 300)
    px = _pixels(png_a4)
    non_white = (px < 245).any(axis=2).mean()
    assert 0.15 < non_white < 0.9, non_white
    colours = {tuple(c) for c in px[::7, ::7].reshape(-1, 3)}
    assert len(colours) > 50
    for hex_colour in ("#bd0026", "#ffffb2"):  # the highest and lowest classes are on the map
        rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
        assert (np.abs(px.astype(int) - rgb).sum(axis=2) == 0).sum() > 5000, hex_colour


@pytest.mark.parametrize("size", ["a4", "slide"])
def test_print_labels_never_cover_one_another(view_es, size):
    """The export's top-10 labels (most of them around Usulután, neighbours) are placed greedily
    in rank order: no two labels' boxes intersect, and each stays inside the map frame."""
    from dashboard.exports.mapimage import draw_map
    from dashboard.exports.style import SIZES, new_figure, rendering

    wanted = set(view_es.units["label"][view_es.units["label"] != ""])
    with rendering():
        fig = new_figure(SIZES[size])
        ax = fig.add_axes([0.03, 0.15, 0.7, 0.7])
        draw_map(ax, view_es)
        renderer = fig.canvas.get_renderer()
        boxes = {a.get_text(): a.get_window_extent(renderer) for a in ax.texts if a.get_text() in wanted}
        frame = ax.get_window_extent(renderer)
    assert set(boxes) == wanted and len(wanted) == 10
    names = sorted(boxes)
    covering = [(a, b) for i, a in enumerate(names) for b in names[i + 1:] if boxes[a].overlaps(boxes[b])]
    assert not covering, covering
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1
               for b in boxes.values())


def test_same_inputs_give_a_pixel_identical_png(view_es, png_a4):
    again = render_map(view_es, "png", "a4")
    assert again == png_a4
    assert np.array_equal(_pixels(again), _pixels(png_a4))


def test_slide_png_is_16_9_at_300_dpi(setup):
    u = setup["tables"].units
    view = assemble.composite_view(setup["result"], u["district"], context(setup, "en"), top_labels=5)
    with pytest.raises(ValueError, match="units of 'district'"):
        assemble.composite_view(setup["result"], u["department"], context(setup, "en"))
    img = Image.open(io.BytesIO(render_map(view, "png", "slide")))
    assert img.size == (4000, 2250)


def test_svg_parses_and_pdf_holds_the_texts(view_es):
    svg = render_map(view_es, "svg", "a4")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert root.get("width") == "841.68pt" or root.get("width").startswith("841.")
    pdf = render_map(view_es, "pdf", "a4")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for needle in ("El Salvador: riesgo de violencia", "2023", "Muy alto", "Cuantiles",
                   "Armed Conflict Location", "Exportado el 2025-01-15", "km"):
        assert needle in text, needle


def test_view_carries_context(view_es, setup):
    from dashboard.captions import dimensions_text
    from risk_model.pipeline import signal_table

    signal = signal_table(setup["result"])  # the dimensions left after the signal filter, no others
    assert view_es.title == f"El Salvador: riesgo de {dimensions_text(signal.loc[signal['scored'], 'dimension'], 'es')}, 2023"
    agg = {"geometric": "geométrica", "arithmetic": "aritmética"}[load_spec("slv_default").aggregation]
    assert "distrito (262)" in view_es.subtitle and agg in view_es.subtitle
    labels = [lab for _, lab in view_es.legend]
    assert labels[0].startswith("Muy bajo: ") and labels[4].startswith("Muy alto: ")
    assert "," in labels[0]  # Spanish decimal comma
    assert any(lab == "Presencia de programas" for lab in [o.label for o in view_es.overlays])
    footer = " ".join(view_es.footer)
    assert "ACLED" in footer and "2021–2023" in footer  # sources of the scored indicators only
    assert setup["result"].spec.key() in footer
    assert (view_es.units["label"] != "").sum() == 10
    top = setup["result"].table.sort_values(["rank", "code"]).iloc[0]
    assert view_es.units.loc[view_es.units["code"] == top["code"], "label"].item() == f"1. {top['name']}"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_briefing_is_one_page_with_title_year_source_and_legend(setup, lang):
    u = setup["tables"].units
    b = assemble.briefing(setup["result"], setup["data"], u["district"], context(setup, lang),
                          outlines=u["department"], water=setup["water"])
    assert len(b.rows) == 10 and b.rows[0][0] == "1"
    pdf = render_briefing(b)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait
    text = re.sub(r"\s+", " ", reader.pages[0].extract_text())
    from dashboard.captions import dimensions_text
    from risk_model.pipeline import signal_table

    signal = signal_table(setup["result"])  # the dimensions left after the signal filter, no others
    title = t("export.briefing_title", lang, country="El Salvador", year=YEAR,
              dimensions=dimensions_text(signal.loc[signal["scored"], "dimension"], lang))
    assert title in text
    for key in ("class_very_low", "class_very_high", "method_title", "col_band"):
        assert t(f"export.{key}", lang) in text, key
    assert "Armed Conflict Location & Event Data Project" in text
    assert ("Fuente:" if lang == "es" else "Source:") in text
    top = setup["result"].table.sort_values(["rank", "code"]).iloc[0]["name"]
    assert "2025-01-15" in text and top in text
    if lang == "en":
        assert "Muy alto" not in text and "Very high" in text


def test_indicator_view_hides_small_counts_of_a_sensitive_indicator(setup):
    data = setup["data"]
    cat = dict(data.catalogue)
    cat["acled_fatalities"] = dataclasses.replace(cat["acled_fatalities"], sensitive=True)
    sensitive = dataclasses.replace(data, catalogue=cat)
    values = assemble.indicator_values(sensitive, "acled_fatalities", year=YEAR, window=3, level="district")
    small = values["count"] == "<5"
    assert small.any()
    assert values.loc[small, ["raw_rate", "eb_rate", "ci_low"]].isna().all().all()
    assert not any(isinstance(c, float) and 0 < c < 5 for c in values["count"])
    view = assemble.indicator_view(sensitive, "acled_fatalities", setup["tables"].units["district"],
                                   context(setup, "es"), year=YEAR, level="district", values=values)
    assert view.legend[-1][1].startswith("Oculto")
    assert any("sensible" in line for line in view.footer)
    private = assemble.indicator_values(sensitive, "acled_fatalities", year=YEAR, window=3, level="district",
                                        public=False)
    assert not (private["count"] == "<5").any()


def test_html_map_is_standalone_offline_and_escaped(setup):
    from geodata.build import web_geojson_for

    if not (LEAFLET_FILES / "leaflet.js").exists():
        pytest.fail("static/vendor/leaflet missing: run `make` (the test target installs it)")
    u = setup["tables"].units
    result = setup["result"]
    table = result.table.copy()
    table.loc[table["code"] == "0614", "name"] = EVIL
    evil = dataclasses.replace(result, table=table)
    ctx = context(setup, "en")
    view = assemble.composite_view(evil, u["district"], ctx)
    view = dataclasses.replace(view, title=EVIL + " title")
    html = assemble.html_map(web_geojson_for(setup["store"], "slv", "district"), view, ctx, result=evil,
                             year=YEAR, level="district").decode("utf-8")
    tags = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html)
    assert not [tag for tag in tags if re.search(r"(src|href)\s*=", tag)], tags
    assert not re.search(r"(src|href)=[\"']?https?://", html.split("riskmap-foot")[0][:2000])
    assert "L.map(" in html and "leaflet" in html.lower() and "https://unpkg" not in html
    assert EVIL not in html and "&lt;img src=x onerror=alert(1)&gt; title" in html
    assert '<html lang="en">' in html


def test_tied_ranks_get_no_more_labels_than_asked_and_the_note_says_so():
    """Planted ties: five units share rank 1 (as Mexico's municipios at the top score do); three
    labels are asked for: three labels, taken by code, and the note counts the tied units."""
    import pandas as pd

    from dashboard.exports.assemble.context import rank_labels, rank_labels_note

    units = pd.DataFrame({"code": ["e", "d", "c", "b", "a", "f"], "name": list("EDCBAF")})
    order = pd.Series([1, 1, 1, 1, 1, 6], index=units.index)
    labels = rank_labels(units, order, 3)
    assert list(labels[labels != ""]) == ["1. C", "1. B", "1. A"]  # codes a, b, c
    assert rank_labels_note(order, 3, "en").endswith("5 units share these places (tied scores): "
                                                     "3 of them are labelled, by code.")
    distinct = pd.Series([1, 2, 3, 4, 5, 6], index=units.index)
    assert (rank_labels(units, distinct, 3) != "").sum() == 3
    assert rank_labels_note(distinct, 3, "es") == "Rótulos: los 3 territorios de mayor valor, por puesto."
    assert rank_labels_note(distinct, 0, "es") == ""
