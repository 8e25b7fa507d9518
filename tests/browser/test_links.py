"""Links by id: `?unit=<id>&lang=sv|en` opens that unit (and its organisation) and language
in a fresh browser, and the address bar keeps being such a link while the user moves
around, so a link copied from it opens the same view for a colleague."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from staircase.services import Actor, Lartrappan
from staircase.services.demo import load_demo
from tests.browser.test_bad_links import expect_link, heading
from tests.browser.test_journeys import TIMEOUT, idle, rerun, title

pytest.importorskip("playwright")
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser


@dataclass
class Units:
    """Ids of the demo municipality (Norrby kommun) and of a second organisation."""

    norrby: int = 0
    soderby: int = 0
    school: int = 0  # Söderby kommun > Skola Syd
    care: int = 0  # Söderby kommun > Hemtjänst Syd


def two_organisations(units: Units) -> Callable[[str], None]:
    """Prepares a database: the demo data and a second organisation; fills in `units`."""

    def prepare(db_url: str) -> None:
        store = Lartrappan(db_url)
        try:
            load_demo(store)
            units.norrby = store.units.tree().roots()[0].id
            soderby = store.units.create(Actor(""), "Söderby kommun")
            units.soderby = soderby.id
            units.school = store.units.create(Actor(""), "Skola Syd", soderby.id).id
            units.care = store.units.create(Actor(""), "Hemtjänst Syd", soderby.id).id
        finally:
            store.close()

    return prepare


def picker(page: Page, index: int) -> Locator:
    """The sidebar's selectboxes: 0 the organisation, 1 the unit (with two organisations)."""
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(index)


def pick(page: Page, index: int, label: str) -> None:
    """Choose `label` in a sidebar selectbox and wait for the run it causes."""
    idle(page)
    picker(page, index).get_by_role("combobox").click()
    option = page.get_by_role("option", name=label, exact=True)
    rerun(page, option.click)
    expect(picker(page, index).locator("input")).to_have_value(label, timeout=TIMEOUT)


def expect_view(page: Page, page_title: str, path: str, organisation: str, language: str) -> None:
    expect(title(page)).to_have_text(page_title, timeout=TIMEOUT)
    expect(heading(page)).to_have_text(path, timeout=TIMEOUT)
    expect(picker(page, 0).locator("input")).to_have_value(organisation, timeout=TIMEOUT)
    expect(
        page.locator('[data-testid="stSidebar"]').get_by_role("radio", name=language)
    ).to_have_attribute("aria-checked", "true", timeout=TIMEOUT)


def test_a_link_opens_a_unit_of_the_second_organisation_and_the_address_follows(
    start_app, new_page
):
    units = Units()
    url = start_app(two_organisations(units))

    # A colleague's link, opened in a fresh browser on the first load.
    page = new_page()
    page.goto(f"{url}/?unit={units.school}&lang=en")
    idle(page)
    expect_view(page, "Checklist", "Söderby kommun > Skola Syd", "Söderby kommun", "English")
    expect(picker(page, 1).locator("input")).to_have_value(
        "Skola Syd · Söderby kommun", timeout=TIMEOUT
    )
    expect_link(page, units.school, "en")

    # Another unit, another page: the address follows; another language too.
    pick(page, 1, "Hemtjänst Syd · Söderby kommun")
    expect(heading(page)).to_have_text("Söderby kommun > Hemtjänst Syd", timeout=TIMEOUT)
    expect_link(page, units.care, "en")
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Progress").first.click()
    expect(title(page)).to_have_text("Progress", timeout=TIMEOUT)
    idle(page)
    expect_link(page, units.care, "en")
    assert page.url.split("?")[0].endswith("/progress")
    copied = page.url

    # The copied address opens the same view for someone else.
    colleague = new_page()
    colleague.goto(copied)
    idle(colleague)
    care = "Söderby kommun > Hemtjänst Syd"
    expect_view(colleague, "Progress", care, "Söderby kommun", "English")
    expect_link(colleague, units.care, "en")

    # Choosing another organisation, or the language, is in the address as well.
    pick(page, 0, "Norrby kommun")
    expect(heading(page)).to_have_text("Norrby kommun", timeout=TIMEOUT)
    expect_link(page, units.norrby, "en")
    swedish = page.locator('[data-testid="stSidebar"]').get_by_role("radio", name="Svenska")
    rerun(page, swedish.click)
    expect(title(page)).to_have_text("Utveckling", timeout=TIMEOUT)
    expect_link(page, units.norrby, "sv")


def test_a_link_to_another_page_opens_it_for_the_unit(start_app, new_page):
    units = Units()
    url = start_app(two_organisations(units))
    page = new_page()
    page.goto(f"{url}/progress?unit={units.care}")
    idle(page)
    expect_view(page, "Utveckling", "Söderby kommun > Hemtjänst Syd", "Söderby kommun", "Svenska")
    expect_link(page, units.care, "sv")
