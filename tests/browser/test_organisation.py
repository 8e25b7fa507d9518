"""Management's journey in Chromium: load the demo, choose the municipality, see the
distribution and the heatmap, open a förvaltning, open one of its units from the heatmap.

The heatmap is Streamlit's data grid (a canvas): a row is chosen by clicking its row
marker, at the row's place in the grid, as a person does.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.test_journeys import TIMEOUT, idle, load_demo, metric, rerun, title

pytestmark = pytest.mark.browser

ROW_HEIGHT = 35
"""Streamlit's data grid: the header and every row are this many pixels high."""


def pick_unit(page: Page, label: str) -> None:
    """Choose a unit in the sidebar's unit picker by the start of its label."""
    picker = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="Enhet")
    picker.click()
    option = page.get_by_role("option").filter(has_text=re.compile("^" + re.escape(label)))
    rerun(page, option.first.click)


def heatmap(page: Page) -> Locator:
    return (
        page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
        .filter(has_text="1.1")
        .first
    )


def choose_row(page: Page, grid: Locator, index: int) -> None:
    """Click the row marker of data row `index` (0 = the first row under the header)."""
    expect(grid).to_be_visible(timeout=TIMEOUT)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + ROW_HEIGHT * (index + 1) + ROW_HEIGHT / 2)


def grid_text(grid: Locator) -> str:
    """The grid's cells as its accessible table (glide data grid keeps one in the DOM)."""
    return grid.locator("table").inner_text() if grid.locator("table").count() else ""


def test_management_opens_the_municipality_a_forvaltning_and_one_of_its_units(start_app, new_page):
    page = new_page(height=1400)
    load_demo(page, start_app())
    pick_unit(page, "Norrby kommun")
    # A unit with units under it opens on its roll-up, also from the checklist.
    expect(title(page)).to_have_text("Organisationen", timeout=TIMEOUT)
    idle(page)
    assert re.search(r"[?&]unit=1(&|$)", page.url), page.url
    expect(metric(page, "Steg 0")).to_have_text(re.compile(r"^\d+$"))
    steps = [int(metric(page, f"Steg {s}").inner_text()) for s in range(4)]
    assert sum(steps) == 8  # the eight assessed units of Norrby kommun in the demo
    # The distribution over time: a picture with its words as alt text (no Plotly first).
    picture = page.locator('[data-testid="stImage"] img').first
    expect(picture).to_have_attribute("alt", re.compile("^Enheter per steg"), timeout=TIMEOUT)

    # The heatmap first shows the förvaltningar, rolled up; choosing one opens its units.
    grid = heatmap(page)
    expect(grid).to_contain_text("Barn- och utbildningsförvaltningen", timeout=TIMEOUT)
    rerun(page, lambda: choose_row(page, grid, 0))  # by name: Barn- och utbildning… first
    show = page.locator('[data-testid="stMain"]').get_by_role("combobox", name="Visa")
    expect(show).to_have_value("Barn- och utbildningsförvaltningen", timeout=TIMEOUT)
    grid = heatmap(page)
    expect(grid).to_contain_text("Björkskolan", timeout=TIMEOUT)
    expect(grid).to_contain_text("✓", timeout=TIMEOUT)  # a symbol beside every colour

    # A unit's row opens that unit's own page, in the same session.
    rerun(page, lambda: choose_row(page, grid, 0))
    expect(title(page)).to_have_text("Checklista", timeout=TIMEOUT)
    idle(page)
    heading = page.locator('[data-testid="stMain"] h4').first
    expect(heading).to_have_text(
        "Norrby kommun > Barn- och utbildningsförvaltningen > Björkskolan", timeout=TIMEOUT
    )
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("combobox", name="Enhet")).to_have_value(re.compile(r"^Björkskolan"))
    assert re.search(r"[?&]unit=\d+", page.url) and "unit=1&" not in page.url, page.url


def test_a_mover_link_opens_the_unit_and_the_address_follows(start_app, new_page):
    page = new_page(height=1400)
    load_demo(page, start_app())
    pick_unit(page, "Norrby kommun")
    expect(title(page)).to_have_text("Organisationen", timeout=TIMEOUT)
    # The first mover's link (its label: "<unit>: steg 1 → 3, …").
    link = page.locator('[data-testid="stPageLink-NavLink"]').filter(has_text="→").first
    expect(link).to_be_visible(timeout=TIMEOUT)
    name = link.inner_text().split(":")[0]
    rerun(page, link.click)
    expect(title(page)).to_have_text("Checklista", timeout=TIMEOUT)
    expect(page.locator('[data-testid="stMain"] h4').first).to_contain_text(name)
    # The address is rewritten by the run the click caused: wait for it, not for a moment.
    expect(page).to_have_url(re.compile(r"[?&]unit=(?!1(&|$))\d+"), timeout=TIMEOUT)
    unit_in_address = re.search(r"[?&]unit=(\d+)", page.url)
    assert unit_in_address is not None and unit_in_address.group(1) != "1", page.url
    # The address is a link to what is shown: opened afresh, it shows the same unit.
    page.goto(page.url)
    idle(page)
    expect(page.locator('[data-testid="stMain"] h4').first).to_contain_text(name, timeout=TIMEOUT)


def test_every_page_keeps_its_own_address_whichever_unit_is_chosen(start_app, new_page):
    """/ opens the unit's own page; /organisation and /checklist open those pages for any
    unit (no "Page not found"), so a copied address always opens what it showed."""
    from tests.browser.test_fresh_server import demo_data

    url = start_app(demo_data)
    page = new_page()
    for path, unit, shows in (
        ("/", 1, "Organisationen"),
        ("/checklist", 1, "Checklista"),  # the municipality's own checklist
        ("/organisation", 1, "Organisationen"),
        ("/organisation", 3, "Organisationen"),  # a unit without units under it: a pointer
    ):
        page.goto(f"{url}{path}?unit={unit}&lang=sv")
        idle(page)
        expect(title(page)).to_have_text(shows, timeout=TIMEOUT)
        expect(page.get_by_role("dialog")).to_have_count(0)
        assert re.search(rf"[?&]unit={unit}(&|$)", page.url), page.url
    page.goto(f"{url}/?unit=3&lang=sv")  # a unit without units under it: its checklist
    idle(page)
    expect(title(page)).to_have_text("Checklista", timeout=TIMEOUT)
    assert "/checklist?" in page.url, page.url
