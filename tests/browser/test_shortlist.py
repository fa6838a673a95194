"""What a programme manager does, in offline headless Chromium, in both languages: pin the
eight IOM IRM units by typing their names, save the list, reopen it from its link, export the
one-page PDF; the programme view lists their ranks. Screenshots of each step go to
``$RISKMAP_SHOTS`` when set (else the test's temporary folder)."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

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
        for label, value in ((tx["author"], "Programa <b>"), (tx["name"], "IRM OIM 2023")):
            page.get_by_label(label).fill(value)
            page.get_by_label(label).press("Enter")
            _settle(page)
            assert page.get_by_label(label).count() == 1 and page.get_by_label(label).input_value() == value
        page.get_by_role("button", name=tx["save"]).click()
        code = page.locator('[data-testid="stCode"]').first
        code.wait_for(timeout=60_000)
        link = code.inner_text().strip()
        assert "shortlist=" in link and link.startswith(app_url)
        _settle(page)
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
