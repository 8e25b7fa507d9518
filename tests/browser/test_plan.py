"""The improvement plan in a real Chromium: a lead opens a practice's plan, fills it in field
by field (the plan stays open across the saves), adds a link that opens only from its button,
and sees the unit's open actions; the practice's own note and status, above the plan, are
left as they were. (Due dates and overdue marks: tests/pages.)"""

from __future__ import annotations

import pytest

from staircase.domain.model import Status
from staircase.services import Actor, Lartrappan
from tests.browser.test_journeys import TIMEOUT, idle, open_app, rerun

pytest.importorskip("playwright")
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

P1 = "s1-goal-linked"
URL = "https://intranet.norrby.se/apt/2027-03"
NOTE = "Målen finns i verksamhetsplanen"


def one_unit(db_url: str) -> None:
    core = Lartrappan(db_url)
    try:
        unit = core.units.create(Actor(""), "Hemtjänst Norr").id
        core.checklist.set_status(Actor(""), unit, P1, Status.IN_PROGRESS, note=NOTE)
    finally:
        core.close()


def test_a_lead_fills_in_a_practices_plan_and_sees_its_open_action(start_app, new_page):
    url = start_app(one_unit)
    page = new_page()
    open_app(page, f"{url}/checklist?unit=1")
    plan = page.locator(f".st-key-plan_box_1_{P1}").locator('[data-testid="stExpander"]')
    plan.get_by_text("Förbättringsplan").click()  # its fields are drawn only now
    owner = plan.get_by_label("Ägare")
    # The whole plan drawn (its last element) before typing: a value typed into a field
    # that is still being mounted can be dropped by the browser side.
    expect(plan.get_by_role("button", name="Lägg till länken")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    # Typed as a person types (about a second): until stop 20 the Enter after it, in about
    # half of the runs, also sent the row above as empty (the browser had lost the row's
    # values soon after the plan opened; a value filled in at once was sent before that):
    # the run failed on the missing status and the note was erased. The same as AppTest:
    # tests/pages/test_widget_defaults.py.
    owner.press_sequentially("Karin Ek", delay=150)
    rerun(page, lambda: owner.press("Enter"))
    expect(plan.get_by_text("Planen ändrad")).to_be_visible(timeout=TIMEOUT)
    action = plan.get_by_label("Nästa åtgärd")
    expect(action).to_be_visible()  # the plan is still open after the save
    action.fill("Boka en APT om kompetensplanen")
    rerun(page, action.blur)

    open_actions = page.locator('[data-testid="stTable"]').last
    expect(open_actions).to_contain_text("Boka en APT om kompetensplanen", timeout=TIMEOUT)
    expect(open_actions).to_contain_text("Karin Ek")

    plan.get_by_label("Länk (https://…)").fill(URL)
    plan.get_by_label("Vad länken visar").fill("Protokoll från APT")
    rerun(page, plan.get_by_role("button", name="Lägg till länken").click)
    link = plan.get_by_role("link", name="Öppna länken")
    expect(link).to_have_attribute("href", URL, timeout=TIMEOUT)
    expect(plan.get_by_text("Protokoll från APT")).to_be_visible()
    idle(page)

    page.reload()  # what the server stored
    idle(page)
    row = page.locator(f".st-key-chk_row_1_{P1}")
    expect(row.get_by_role("textbox")).to_have_value(NOTE, timeout=TIMEOUT)
    expect(row.get_by_role("radio", name="◐ På väg")).to_be_checked()
    expect(page.locator('[data-testid="stTable"]').last).to_contain_text("Karin Ek")
    expect(page.locator(f".st-key-plan_box_1_{P1}")).to_contain_text(
        "Förbättringsplan: Karin Ek", timeout=TIMEOUT
    )
