"""The first sessions of a freshly started server, opened at once on several pages.

With a folder named `pages/` beside app.py, Streamlit runs each session's first run in its
old folder-based multipage mode until some run has reached st.navigation (see
`staircase.ui.context.leave_legacy_pages_mode`, which now reruns such a run at once).
Before that, the router's sidebar widgets got other ids in that first run than in
every later one, so the first name typed into *Ditt namn* and confirmed was dropped by the
run it caused; and a page opened while another session was leaving that mode ran on its
own, without the router (no sidebar, the file names as navigation).
"""

from __future__ import annotations

import pytest

from staircase.services import Lartrappan
from staircase.services.demo import load_demo
from tests.browser.test_journeys import IDLE, TIMEOUT, rerun, title

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PATHS = ["/checklist", "/", "/progress", "/snapshots"]
"""The first is the checklist (of Norrby kommun, the first unit, whose own page "/" is its
roll-up): the test ticks a practice there."""
FIRST_LOADS = 60_000  # the bound for four pages loading at once on a busy 2-core machine


def demo_data(db_url: str) -> None:
    store = Lartrappan(db_url)
    try:
        load_demo(store)
    finally:
        store.close()


def expect_router(page: Page) -> None:
    """The page ran through the router: its navigation, the language and the name field."""
    nav = page.locator('[data-testid="stSidebarNav"]')
    expect(nav).to_contain_text("Checklista", timeout=FIRST_LOADS)
    expect(page.get_by_label("Ditt namn")).to_be_visible(timeout=FIRST_LOADS)
    expect(title(page)).to_be_visible(timeout=FIRST_LOADS)
    page.wait_for_selector(IDLE, timeout=FIRST_LOADS)


def test_names_typed_right_after_the_server_started_stick(start_app, new_page):
    url = start_app(demo_data)  # no browser has opened it yet
    pages = [new_page() for _ in PATHS]
    for page, path in zip(pages, PATHS, strict=True):  # all at once: each returns on commit
        page.goto(url + path, wait_until="commit")
    for page in pages:
        expect_router(page)

    for number, page in enumerate(pages, start=1):
        name = page.get_by_label("Ditt namn")
        name.fill(f"Person {number}")
        name.press("Enter")
        # Then a run everyone can see finish: English. (The name's own run is not waited
        # for: had it been dropped, every later run shows the field empty just the same.)
        page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="English").click()
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav).to_contain_text("Progress", timeout=TIMEOUT)
        page.wait_for_selector(IDLE, timeout=TIMEOUT)
        expect(page.get_by_label("Your name")).to_have_value(f"Person {number}")

    # The name is the one saved with a change.
    checklist = pages[0]
    row = checklist.locator('[class*="st-key-chk_row_"]').first
    option = row.locator('[role="radio"][aria-checked="false"]').first
    rerun(checklist, option.click)
    expect(row).to_contain_text("by Person 1", timeout=TIMEOUT)
