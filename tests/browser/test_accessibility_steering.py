"""axe-core on the pages steering and reports added (issue #12, #13), in Swedish and English:
the targets page with a target set and its history open, the rounds page with an open round
(its burn-up, the missing units, the result, the close form) and a refused round, the
checklist with the lead's target and round banner, and a report made on the roll-up."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from staircase.domain.moments import now
from staircase.i18n import t
from staircase.services import Actor, Lartrappan
from staircase.services.demo import load_demo as load_demo_data
from tests.browser.test_accessibility import Scanner, open_expanders, visit
from tests.browser.test_journeys import TIMEOUT, rerun, title

pytest.importorskip("playwright")
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_steering_and_report_views_have_no_wcag_violations(start_app, new_page, lang):
    units: dict[str, int] = {}

    def prepare(db_url: str) -> None:
        store = Lartrappan(db_url)
        try:
            load_demo_data(store)
            tree = store.units.tree()
            forv = next(u.id for u in tree.units.values() if u.name.startswith("Vård- och"))
            units["forv"] = forv
            units["leaf"] = tree.children(forv)[0].id
            today = now().date()
            boss = Actor("Chef Ek")
            store.targets.set(boss, forv, 3, today + timedelta(days=90))
            store.rounds.open(boss, forv, "Vår 2027", today - timedelta(days=200), today)
        finally:
            store.close()

    url = start_app(prepare)
    page = new_page()
    scanner = Scanner()

    visit(page, f"{url}/targets?unit={units['forv']}&lang={lang}")
    expect(title(page)).to_have_text(t("target.page_title", lang))
    open_expanders(page)
    scanner.scan(page, "targets, expanders open")

    visit(page, f"{url}/rounds?unit={units['forv']}&lang={lang}")
    expect(title(page)).to_have_text(t("round.page_title", lang))
    open_expanders(page)
    scanner.scan(page, "rounds, expanders open")
    main = page.locator('[data-testid="stMain"]')
    rerun(page, main.get_by_role("button", name=t("round.open", lang)).click)  # no name
    expect(main.get_by_role("alert").first).to_be_visible(timeout=TIMEOUT)
    scanner.scan(page, "rounds, a round refused")

    visit(page, f"{url}/checklist?unit={units['leaf']}&lang={lang}")
    expect(title(page)).to_have_text(t("checklist.title", lang))
    scanner.scan(page, "checklist with target and round")

    visit(page, f"{url}/organisation?unit={units['forv']}&lang={lang}")
    expect(title(page)).to_have_text(t("org.title", lang))
    rerun(page, main.get_by_role("button", name=t("report.ui.make", lang)).click)
    made = re.compile(
        "^" + re.escape(t("report.ui.download", lang, name="lartrappan-", size="").split(" (")[0])
    )
    expect(main.get_by_role("button", name=made)).to_be_visible(timeout=60_000)
    scanner.scan(page, "organisation, report made")

    assert not scanner.found, "\n" + scanner.report()
