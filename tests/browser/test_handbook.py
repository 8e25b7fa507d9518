"""Vår handbok in a real Chromium: a lead types the vision and an answer, reloads and sees
them, and downloads the handbook as a Word file; the page has no WCAG 2.0/2.1 A or AA
violation (axe-core) on the way. (Conflicts, refusals, viewers: tests/pages.)"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest

from tests.browser.test_accessibility import Scanner
from tests.browser.test_journeys import TIMEOUT, idle, open_app, rerun
from tests.browser.test_plan import one_unit  # Hemtjänst Norr, unit 1

pytest.importorskip("playwright")
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VISION = "Hos oss lär vi av varandra varje dag."
ANSWER = "Vi tar upp lärandet i ledningsgruppen varje månad."


def test_a_lead_writes_the_handbook_reloads_and_downloads_it_as_word(
    start_app, new_page, tmp_path: Path
):
    url = start_app(one_unit)
    page = new_page(height=1400)
    open_app(page, f"{url}/handbook?unit=1")
    scanner = Scanner()
    scanner.scan(page, "handbook")
    assert not scanner.found, scanner.report()

    vision = page.locator(".st-key-hb_1_vision textarea")
    vision.fill(VISION)
    rerun(page, vision.blur)
    answer = page.locator(".st-key-hb_1_learning-at-every-level textarea")
    answer.fill(ANSWER)
    rerun(page, answer.blur)
    expect(page.get_by_text(re.compile(r"^Sparad ")).first).to_be_visible(timeout=TIMEOUT)

    page.reload()  # what the server stored
    idle(page)
    expect(page.locator(".st-key-hb_1_vision textarea")).to_have_value(VISION, timeout=TIMEOUT)
    expect(page.locator(".st-key-hb_1_learning-at-every-level textarea")).to_have_value(ANSWER)

    main = page.locator('[data-testid="stMain"]')
    main.get_by_text("Word", exact=True).click()  # in a form: no run until it is sent
    rerun(page, main.get_by_role("button", name="Sammanställ handboken").click)
    button = page.get_by_role("button", name=re.compile("Ladda ned lartrappan-handbok-hemtjanst"))
    expect(button).to_be_visible(timeout=60_000)
    idle(page)
    with page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    assert info.value.suggested_filename.endswith(".docx")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    document = docx.Document(str(saved))
    cells = {c.text for table in document.tables for row in table.rows for c in row.cells}
    assert VISION in [p.text for p in document.paragraphs]
    assert ANSWER in cells
