"""What a programme manager does, in offline headless Chromium, in both languages: pin the
eight IOM IRM units by typing their names, save the list, reopen it from its link, export the
one-page PDF; the programme view lists their ranks. Screenshots of each step go to
``$RISKMAP_SHOTS`` when set (else the test's temporary folder)."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from dashboard.shortlist import PHONE_EDITOR_COLUMNS
from tests.browser.harness import error_boxes, offline_browser

#: Typed as a user would (no accents, any case) -> the name the list must show.
IOM = (("jiquilisco", "Jiquilisco"), ("tacachico", "San Pablo Tacachico"),
       ("nueva concepcion", "Nueva Concepción"), ("la union", "La Unión"), ("san salvador", "San Salvador"),
       ("santa ana", "Santa Ana"), ("QUEZALTEPEQUE", "Quezaltepeque"), ("ilopango", "Ilopango"))
TEXT = {
    "es": {"title": "Lista corta", "search": "Añadir un territorio: escriba parte de su nombre",
           "add": "Añadir y fijar", "added": "Añadido y fijado", "name": "Nombre de la lista",
           "author": "Autor (opcional)", "save": "Guardar la lista", "saved": "Guardada",
           "opened": "Abierta la lista guardada del enlace", "pdf": "Descargar PDF de una página",
           "programme": "Vista de programa", "summary": "de 8 están claramente"},
    "en": {"title": "Shortlist", "search": "Add an area: type part of its name", "add": "Add and pin",
           "added": "Added and pinned", "name": "List name", "author": "Author (optional)",
           "save": "Save the list", "saved": "Saved", "opened": "Opened the saved list from the link",
           "pdf": "Download one-page PDF", "programme": "Programme view",
           "summary": "of 8 are clearly"},
}


def _shots(tmp_path) -> Path:
    out = Path(os.environ.get("RISKMAP_SHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _settle(page) -> None:
    """Wait until Streamlit's run finished (its status widget gone) and stale elements left
    (``data-stale``: an element of the previous run not yet redrawn by this one)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                           " && !document.querySelector('[data-stale=\"true\"]')", timeout=120_000)
    page.wait_for_timeout(500)


def _scroll_to(page, text: str) -> None:
    page.get_by_text(text, exact=False).first.scroll_into_view_if_needed()
    page.wait_for_timeout(400)


def _save_list(page, tx: dict, name: str, author: str) -> str:
    """Type the list's author and name, press Save; the link shown to reopen it."""
    for label, value in ((tx["author"], author), (tx["name"], name)):
        page.get_by_label(label).fill(value)
        page.get_by_label(label).press("Enter")
        _settle(page)
        assert page.get_by_label(label).count() == 1 and page.get_by_label(label).input_value() == value
    page.get_by_role("button", name=tx["save"]).click()
    code = page.locator('[data-testid="stCode"]').first
    code.wait_for(timeout=60_000)
    link = code.inner_text().strip()
    assert "shortlist=" in link
    _settle(page)
    return link


@pytest.mark.parametrize("lang, width, height", [("es", 1400, 1000), ("en", 1400, 1000), ("es", 390, 844),
                                                 ("en", 390, 844)], ids=["es", "en", "es-phone", "en-phone"])
def test_pin_iom_units_save_reopen_by_link_and_export_pdf(app_url, tmp_path, lang, width, height):
    tx = TEXT[lang]
    shots = _shots(tmp_path)
    tag = f"{lang}_{width}"
    with offline_browser(width, height) as (page, blocked):
        page.goto(f"{app_url}/priorities?lang={lang}")
        page.get_by_role("heading", name=tx["title"]).first.wait_for(timeout=180_000)
        search = page.get_by_label(tx["search"])
        for typed, name in IOM:
            search.fill(typed)
            search.press("Enter")
            _settle(page)
            page.get_by_role("button", name=tx["add"]).wait_for(timeout=60_000)
            page.get_by_role("button", name=tx["add"]).click()
            # "added and pinned", or "already in the list (now pinned)" for a unit of the top N
            page.locator('[data-testid="stAlert"]').filter(has_text=f"{name} (").first.wait_for(timeout=60_000)
        _settle(page)
        page.get_by_role("heading", name=tx["title"]).first.scroll_into_view_if_needed()
        page.wait_for_timeout(400)
        page.screenshot(path=str(shots / f"shortlist_{tag}_1_pinned.png"))
        link = _save_list(page, tx, "IRM OIM 2023", "Programa <b>")
        assert link.startswith(app_url)
        _scroll_to(page, tx["saved"])
        page.screenshot(path=str(shots / f"shortlist_{tag}_2_saved.png"))
        assert not error_boxes(page), error_boxes(page)

    with offline_browser(width, height) as (page, blocked):  # a new visitor opens the link
        page.goto(link)
        page.get_by_text(tx["opened"]).first.wait_for(timeout=180_000)
        page.get_by_text("IRM OIM 2023").first.wait_for(timeout=30_000)
        _settle(page)
        _scroll_to(page, tx["opened"])
        page.screenshot(path=str(shots / f"shortlist_{tag}_3_reopened.png"))
        page.get_by_text(tx["summary"]).first.wait_for(timeout=30_000)  # the eight IOM units' ranks
        _settle(page)
        page.get_by_text(tx["summary"]).first.evaluate("e => e.scrollIntoView({block: 'start'})")  # the table below
        page.wait_for_timeout(500)
        page.screenshot(path=str(shots / f"shortlist_{tag}_4_programme.png"))
        with page.expect_download(timeout=180_000) as info:
            page.get_by_role("button", name=tx["pdf"]).click()
        pdf = Path(info.value.path()).read_bytes()
        (shots / f"shortlist_{tag}.pdf").write_bytes(pdf)
        assert not error_boxes(page), error_boxes(page)
        assert blocked == [], blocked
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "IRM OIM 2023" in text and "Programa <b>" in text
    for _, name in IOM:
        assert name in text, name
    assert text.count("✓") >= len(IOM)  # the pinned column


#: The phone editor's grid; glide's accessible table names each cell ``glide-cell-<column>-<row>``.
PHONE_GRID = '.st-key-sl_editor_phone [data-testid="stDataFrame"]'
PINNED, NAME, NOTE = (PHONE_EDITOR_COLUMNS.index(c) for c in ("pinned", "name", "note"))
#: Streamlit's data grid: header and rows 35 CSS px tall.
ROW = 35


def _cell(page, column: int, row: int) -> str:
    return page.locator(f'{PHONE_GRID} [data-testid="glide-cell-{column}-{row}"]').text_content()


def _phone_editor_in_view(page) -> dict:
    """Scroll the phone editor into view, wait for its cells; the sideways extent (CSS px) of its
    grid's scroller (``scroll``, ``client``) and of the page, and whether the wide copy shows."""
    page.locator(PHONE_GRID).scroll_into_view_if_needed()
    page.locator(f'{PHONE_GRID} [data-testid="glide-cell-{NAME}-1"]').wait_for(state="attached", timeout=60_000)
    return page.evaluate("""grid => {
        const scroller = document.querySelector(grid + ' .dvn-scroller');
        const wide = document.querySelector('.st-key-sl_editor_wide');
        const doc = document.documentElement;
        return {scroll: scroller.scrollWidth, client: scroller.clientWidth,
                page_scroll: doc.scrollWidth, page_client: doc.clientWidth,
                wide_shown: !!wide && wide.offsetParent !== null};
    }""", PHONE_GRID)


def _edit_cell(page, column: int, row: int, keys, value: str) -> None:
    """Select a phone-editor cell by keyboard (a click on the row's first cell, then right arrows,
    each awaited), press ``keys(page)``, wait until the grid shows ``value`` there and the run the
    edit started has drawn a new editor (its key, ``sl_editor_phone_<level>_<generation>``,
    changes with each applied edit). Up to three tries: a grid drawn a moment ago may drop keys."""
    cell = page.locator(f'{PHONE_GRID} [data-testid="glide-cell-{column}-{row}"]')
    key = """() => [...document.querySelector('.st-key-sl_editor_phone [data-testid="stElementContainer"]')
                   .classList].find(c => c.startsWith('st-key-sl_editor_phone_'))"""
    before, failure = page.evaluate(key), None
    for _ in range(3):
        if cell.text_content() != value:
            try:
                box = page.locator(PHONE_GRID).bounding_box()
                page.mouse.click(box["x"] + 8, box["y"] + (row + 1.5) * ROW)  # below the header
                for step in range(column + 1):
                    if step:
                        page.keyboard.press("ArrowRight")
                    at = page.locator(f'{PHONE_GRID} [data-testid="glide-cell-{step}-{row}"]')
                    expect(at).to_have_attribute("aria-selected", "true", timeout=5_000)
                keys(page)
                expect(cell).to_have_text(value, timeout=5_000)
            except AssertionError as err:
                failure = err
                continue
        page.wait_for_function(f"b => ({key})() !== b", arg=before, timeout=60_000)
        _settle(page)
        _phone_editor_in_view(page)
        return
    raise AssertionError(f"cell {column}, {row} of the phone editor: not {value!r} after three tries") from failure


def _type_note(text: str):
    """Keys that open the selected cell's text editor, replace its text with ``text`` and commit."""
    def keys(page) -> None:
        page.keyboard.press("Enter")  # the cell's editor, holding what the cell holds
        box = page.locator("textarea.gdg-input")
        expect(box).to_be_focused(timeout=10_000)
        box.fill(text)
        expect(box).to_have_value(text)
        box.press("Enter")
    return keys


def _fits(extent: dict) -> bool:
    return (extent["scroll"] <= extent["client"] + 1 and extent["page_scroll"] <= extent["page_client"] + 1
            and not extent["wide_shown"])


@pytest.mark.parametrize("lang", ["es", "en"])
def test_phone_editor_fits_390_px_and_a_pin_and_note_made_there_come_back_by_link(app_url, tmp_path, lang):
    """At 390x844 the editor has no sideways scroll (its grid nor the page); the second row pinned
    with its checkbox and annotated in the phone editor is saved and reopened, pinned, with its note."""
    tx = TEXT[lang]
    shots = _shots(tmp_path)
    note = {"es": "visita en marzo", "en": "visit in March"}[lang]
    with offline_browser(390, 844) as (page, blocked):
        page.goto(f"{app_url}/priorities?lang={lang}")
        page.get_by_role("heading", name=tx["title"]).first.wait_for(timeout=180_000)
        _settle(page)
        extent = _phone_editor_in_view(page)
        assert _fits(extent), extent
        name = _cell(page, NAME, 1)
        assert name and _cell(page, PINNED, 1) == "false"
        _edit_cell(page, PINNED, 1, lambda p: p.keyboard.press("Space"), "true")  # the second row
        _edit_cell(page, NOTE, 1, _type_note(note), note)
        assert (_cell(page, NAME, 1), _cell(page, PINNED, 1), _cell(page, NOTE, 1)) == (name, "true", note)
        page.screenshot(path=str(shots / f"shortlist_phone_editor_{lang}_1_edited.png"))
        link = _save_list(page, tx, "Lista 390", "Ana")
        assert not error_boxes(page), error_boxes(page)

    with offline_browser(390, 844) as (page, blocked):
        page.goto(link)
        page.get_by_text(tx["opened"]).first.wait_for(timeout=180_000)
        _settle(page)
        extent = _phone_editor_in_view(page)
        assert _fits(extent), extent
        assert (_cell(page, NAME, 1), _cell(page, PINNED, 1), _cell(page, NOTE, 1)) == (name, "true", note)
        page.screenshot(path=str(shots / f"shortlist_phone_editor_{lang}_2_reopened.png"))
        assert not error_boxes(page), error_boxes(page)
        assert blocked == [], blocked
