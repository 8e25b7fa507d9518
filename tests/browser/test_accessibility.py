"""Accessibility in a real Chromium: the document's language follows the app's, and axe-core
(bundled with axe-playwright-python, no network) finds no WCAG 2.0/2.1 A or AA violation on
any page, in Swedish and English, with the demo loaded.

A violation inside Streamlit's own widgets that the app cannot fix from outside is excluded
in EXCLUSIONS below, rule by rule and element by element, each with its upstream cause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from staircase.i18n import t
from staircase.services import Lartrappan
from staircase.services.demo import load_demo as load_demo_data
from tests.browser.test_fresh_server import demo_data
from tests.browser.test_journeys import TIMEOUT, go_to, idle, rerun, title

pytest.importorskip("playwright")
from playwright.sync_api import Page, expect

axe_playwright = pytest.importorskip("axe_playwright_python.base")

AXE_SCRIPT = axe_playwright.AXE_SCRIPT  # axe-core's own file, shipped in the wheel: no network

pytestmark = pytest.mark.browser


def document_lang(page: Page) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def expect_document_lang(page: Page, lang: str) -> None:
    page.wait_for_function(
        "lang => document.documentElement.lang === lang", arg=lang, timeout=TIMEOUT
    )


def test_the_document_language_follows_the_app(start_app, new_page):
    url = start_app(demo_data)

    # A Swedish link (the default) and an English one, each on a first load.
    swedish = new_page()
    swedish.goto(url)
    idle(swedish)
    expect_document_lang(swedish, "sv")

    english = new_page()
    english.goto(f"{url}/?lang=en")
    idle(english)
    expect(title(english)).to_be_visible(timeout=TIMEOUT)
    expect_document_lang(english, "en")

    # A switch in the sidebar, both ways, and a page change keeps it.
    sidebar = swedish.locator('[data-testid="stSidebar"]')
    rerun(swedish, sidebar.get_by_role("radio", name="English").click)
    expect_document_lang(swedish, "en")
    go_to(swedish, "Progress")
    assert document_lang(swedish) == "en"
    rerun(swedish, sidebar.get_by_role("radio", name="Svenska").click)
    expect_document_lang(swedish, "sv")
    expect(title(swedish)).to_have_text("Utveckling", timeout=TIMEOUT)
    assert document_lang(swedish) == "sv"


# ---------------------------------------------------------------- axe-core on every page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


@dataclass(frozen=True)
class Exclusion:
    """One axe rule, not checked on the elements inside `inside` (a CSS selector)."""

    rule: str
    inside: str
    why: str


# Every rule the scan leaves out, each on exactly the element that Streamlit draws and the
# app cannot change. Nothing else is excluded: a new violation anywhere fails the test.
EXCLUSIONS = [
    Exclusion(
        "list",
        '[data-testid="stSidebarNavItems"]',
        "Streamlit's sidebar navigation (st.navigation with sections) draws each section "
        "as a <div> (its header and its items) directly inside the <ul>, so the list holds "
        "divs, not <li> (streamlit/frontend SidebarNav; no option changes the markup).",
    ),
    Exclusion(
        "listitem",
        '[data-testid="stSidebarNavItems"]',
        "The same: the page links' <li> sit inside those section <div>s, not inside the "
        "<ul> itself, so axe finds no list parent.",
    ),
]

_SCAN = """async ([options, exclusions]) => {
    const results = await axe.run(document, options);
    const excluded = (rule, node) => {
        if (node.target.length !== 1) return false;
        const element = document.querySelector(node.target[0]);
        return element !== null &&
            exclusions.some(([r, inside]) => r === rule && element.closest(inside) !== null);
    };
    return results.violations.map(v => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.filter(n => !excluded(v.id, n)).map(
            n => ({target: n.target.join(" "), html: n.html.slice(0, 160)})),
    })).filter(v => v.nodes.length > 0);
}"""


class Scanner:
    """Runs axe-core (the copy bundled with axe-playwright-python) on each state of a page
    and gathers the violations left after EXCLUSIONS, by view."""

    def __init__(self) -> None:
        self.found: dict[str, list[dict]] = {}

    def scan(self, page: Page, view: str) -> None:
        idle(page)
        expect(page.get_by_role("dialog")).to_have_count(0)  # e.g. "Page not found"
        page.evaluate(AXE_SCRIPT)
        exclusions = [[e.rule, e.inside] for e in EXCLUSIONS]
        violations = page.evaluate(_SCAN, [AXE_OPTIONS, exclusions])
        if violations:
            self.found[view] = violations

    def report(self) -> str:
        """Rule by rule, the views and the count of elements; then each element."""
        rules: dict[str, list[str]] = {}
        for view, violations in self.found.items():
            for v in violations:
                rules.setdefault(v["id"], []).append(f"{view} ×{len(v['nodes'])}")
        lines = [f"{rule}: {', '.join(views)}" for rule, views in rules.items()]
        for view, violations in self.found.items():
            for v in violations:
                lines.append(f"{view}: {v['id']} ({len(v['nodes'])}) {v['help']}")
                lines += [f"    {n['target']}  {n['html']}" for n in v["nodes"][:5]]
        return "\n".join(lines)


def open_expanders(page: Page) -> None:
    """Open every closed expander of the main area, one at a time."""
    closed = page.locator('[data-testid="stMain"] [data-testid="stExpander"] details:not([open])')
    while closed.count():
        closed.first.locator("summary").click()
        idle(page)


def visit(page: Page, url: str) -> None:
    page.goto(url)
    idle(page)
    expect(title(page)).to_be_visible(timeout=TIMEOUT)
    idle(page)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_welcome_page_has_no_wcag_violations(start_app, new_page, lang):
    url = start_app()
    page = new_page()
    scanner = Scanner()
    visit(page, f"{url}/?lang={lang}")
    expect(title(page)).to_have_text(t("welcome.title", lang))
    scanner.scan(page, "welcome")
    assert not scanner.found, "\n" + scanner.report()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_has_no_wcag_violations(start_app, new_page, tmp_path, lang):
    units: dict[str, int] = {}

    def prepare(db_url: str) -> None:
        store = Lartrappan(db_url)
        try:
            load_demo_data(store)
            tree = store.units.tree()
            units["norrby"] = tree.roots()[0].id
            units["leaf"] = tree.first_leaf() or 0
        finally:
            store.close()

    url = start_app(prepare)
    page = new_page()
    scanner = Scanner()

    # Organisationen, for Norrby kommun (its home page), with its expanders open.
    visit(page, f"{url}/?unit={units['norrby']}&lang={lang}")
    expect(title(page)).to_have_text(t("org.title", lang))
    scanner.scan(page, "organisation")
    open_expanders(page)
    scanner.scan(page, "organisation, expanders open")

    # Checklista, for a unit without units under it (its home page).
    visit(page, f"{url}/?unit={units['leaf']}&lang={lang}")
    expect(title(page)).to_have_text(t("checklist.title", lang))
    scanner.scan(page, "checklist")
    open_expanders(page)
    scanner.scan(page, "checklist, expanders open")
    # Not applicable without a justification in the note: the practice's row shows an error.
    row = page.locator('[class*="st-key-chk_row_"]').filter(
        has=page.locator("textarea:text-is('')")
    )
    not_applicable = row.first.get_by_role("radio", name=t("status.not_applicable", lang))
    rerun(page, not_applicable.click)
    # Streamlit gives st.error (and st.warning) role="alert": read out when shown.
    expect(row.first.get_by_role("alert")).to_be_visible(timeout=TIMEOUT)
    scanner.scan(page, "checklist, not applicable refused")

    visit(page, f"{url}/progress?unit={units['leaf']}&lang={lang}")
    expect(title(page)).to_have_text(t("nav.progress", lang))
    scanner.scan(page, "progress")
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for i in range(1, tabs.count()):  # the comparison and the overview run when opened
        rerun(page, tabs.nth(i).click)
        scanner.scan(page, f"progress, tab {i + 1}")

    visit(page, f"{url}/snapshots?unit={units['leaf']}&lang={lang}")
    expect(title(page)).to_have_text(t("nav.snapshots", lang))
    scanner.scan(page, "snapshots")
    open_expanders(page)
    delete = page.get_by_role("button", name=t("snapshots.delete", lang), exact=True)
    rerun(page, delete.click)  # without the confirmation tick: a warning
    expect(page.get_by_text(t("snapshots.delete_needs_confirm", lang))).to_be_visible()
    scanner.scan(page, "snapshots, expander open, warning shown")

    visit(page, f"{url}/units?unit={units['leaf']}&lang={lang}")
    expect(title(page)).to_have_text(t("nav.units", lang))
    scanner.scan(page, "units")
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for i in range(1, tabs.count()):
        tabs.nth(i).click()
        idle(page)
        scanner.scan(page, f"units, tab {i + 1}")

    visit(page, f"{url}/data?unit={units['leaf']}&lang={lang}")
    expect(title(page)).to_have_text(t("nav.data", lang))
    scanner.scan(page, "data")
    broken = tmp_path / "broken.csv"
    broken.write_text("unit_path,taken_at,practice_id,status\nX,2024-13-10,s1,klar\n")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(broken)
    button = page.get_by_role("button", name=t("data.import", lang), exact=True)
    expect(button).to_be_visible(timeout=TIMEOUT)
    rerun(page, button.click)
    expect(page.get_by_role("alert").first).to_be_visible(timeout=TIMEOUT)
    scanner.scan(page, "data, import refused")

    # The accessibility statement, linked in the navigation.
    go_to(page, t("nav.accessibility", lang))
    expect(title(page)).to_have_text(t("a11y.title", lang))
    assert page.url.split("?")[0].endswith("/accessibility")
    scanner.scan(page, "accessibility statement")

    assert not scanner.found, "\n" + scanner.report()


# ---------------------------------------------------------------- keyboard only

_FOCUSED_OPTION = """row => {
    const e = document.activeElement;
    return e && e.getAttribute("role") === "radio" && e.closest("." + row) !== null
        ? e.innerText.trim() : null;
}"""


def test_a_practice_is_ticked_with_the_keyboard_only(start_app, new_page):
    units: dict[str, int] = {}

    def prepare(db_url: str) -> None:
        store = Lartrappan(db_url)
        try:
            load_demo_data(store)
            units["leaf"] = store.units.tree().first_leaf() or 0
        finally:
            store.close()

    url = start_app(prepare)
    page = new_page()
    visit(page, f"{url}/?unit={units['leaf']}")
    expect(title(page)).to_have_text("Checklista")
    # A practice that has not started, so both later statuses are a change.
    not_started = page.locator('[class*="st-key-chk_row_"]').filter(
        has=page.locator('[role="radio"][aria-checked="true"]', has_text="I startblocken")
    )
    row_class = str(
        not_started.first.evaluate(
            "e => [...e.classList].find(c => c.startsWith('st-key-chk_row_'))"
        )
    )
    row = page.locator(f".{row_class}")

    # Tab (only) from the top of the page into that practice's statuses.
    for _ in range(120):
        if page.evaluate(_FOCUSED_OPTION, row_class) is not None:
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail(f"Tab never reached the statuses of {row_class}")

    def move_to(label: str) -> None:
        for _ in range(4):  # the arrows move within the radio group, as in any radio group
            if (page.evaluate(_FOCUSED_OPTION, row_class) or "").endswith(label):
                return
            page.keyboard.press("ArrowRight")
        pytest.fail(f"the arrows never reached {label}")

    on_the_way = row.get_by_role("radio", name="På väg")
    move_to("På väg")
    assert on_the_way.get_attribute("aria-checked") == "false"  # moving focus chose nothing
    rerun(page, lambda: page.keyboard.press("Space"))
    expect(on_the_way).to_have_attribute("aria-checked", "true")
    # Saved, and said so to a screen reader through the page's status region.
    live = page.locator('#lartrappan-live[role="status"]')
    expect(live).to_have_text(re.compile(r"^Sparat: .+ – På väg$"), timeout=TIMEOUT)

    done = row.get_by_role("radio", name="Vi får det att hända")
    move_to("Vi får det att hända")
    assert done.get_attribute("aria-checked") == "false"
    rerun(page, lambda: page.keyboard.press("Enter"))
    expect(done).to_have_attribute("aria-checked", "true")
    expect(live).to_have_text(re.compile(r"^Sparat: .+ – Vi får det att hända$"))

    # Saved: a fresh load shows it.
    visit(page, f"{url}/?unit={units['leaf']}")
    expect(
        page.locator(f".{row_class}").get_by_role("radio", name="Vi får det att hända")
    ).to_have_attribute("aria-checked", "true")
