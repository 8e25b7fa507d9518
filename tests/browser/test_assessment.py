"""Nuläge in a real Chromium: no WCAG 2.0/2.1 A or AA violation (axe-core) on the page, with
every area open, a level chosen and its feedback shown, a refused save, and the history's
picture; and a level chosen with the keyboard alone."""

from __future__ import annotations

from datetime import datetime

import pytest

from staircase.domain.assessment import AreaAnswer
from staircase.i18n import t
from staircase.services import Actor, Lartrappan
from tests.browser.test_accessibility import Scanner, open_expanders, visit
from tests.browser.test_journeys import TIMEOUT, idle, rerun, title

pytest.importorskip("playwright")
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_assessment_page_has_no_wcag_violations(start_app, new_page, lang):
    units: dict[str, int] = {}

    def prepare(db_url: str) -> None:
        store = Lartrappan(db_url)
        try:
            unit = store.units.create(Actor(""), "Hemtjänst Norr")
            store.assessments.save(
                Actor(""),
                unit.id,
                {"a1-learning-organisation": AreaAnswer("in_progress", "Visionen finns")},
                {"a2-trust": 2},
                {},
                "Karin",
                "Första",
                datetime(2025, 3, 1, 9),
            )
            units["unit"] = unit.id
        finally:
            store.close()

    url = start_app(prepare)
    page = new_page()
    scanner = Scanner()
    visit(page, f"{url}/assessment?unit={units['unit']}&lang={lang}")
    expect(title(page)).to_have_text(t("assessment.title", lang))
    scanner.scan(page, "assessment")
    open_expanders(page)
    scanner.scan(page, "assessment, every area open")

    # A level chosen with the keyboard: focus the first area's first level, press space.
    first = page.get_by_role("radio", name=t("status.not_started", lang)).first
    first.focus()
    rerun(page, lambda: page.keyboard.press("Space"))
    expect(page.get_by_text(t("assessment.feedback_title", lang)).first).to_be_visible(
        timeout=TIMEOUT
    )
    scanner.scan(page, "assessment, a level chosen, feedback shown")

    # A new session (the walk empty): saving nothing is refused, with an alert.
    visit(page, f"{url}/assessment?unit={units['unit']}&lang={lang}")
    save = page.get_by_role("button", name=t("assessment.save", lang), exact=True)
    rerun(page, save.click)
    expect(page.get_by_role("alert").first).to_be_visible(timeout=TIMEOUT)
    scanner.scan(page, "assessment, save refused")
    idle(page)
    assert not scanner.found, "\n" + scanner.report()
