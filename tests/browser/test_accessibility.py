"""Accessibility in a real Chromium: the document's language follows the app's, and axe-core
(bundled with axe-playwright-python, no network) finds no WCAG 2.0/2.1 A or AA violation on
any page, in Swedish and English, with the demo loaded.

A violation inside Streamlit's own widgets that the app cannot fix from outside is excluded
in EXCLUSIONS below, rule by rule and element by element, each with its upstream cause.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest

from staircase.domain.model import PracticeState, Status
from staircase.domain.moments import now
from staircase.i18n import t
from staircase.services import Actor, Lartrappan
from staircase.services.demo import load_demo as load_demo_data
from tests.browser.test_fresh_server import demo_data
from tests.browser.test_journeys import TIMEOUT, go_to, idle, rerun, title

pytest.importorskip("playwright")
from playwright.sync_api import Locator, Page, expect

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
    # The hint about the language choice is in the other language, and says so (3.1.2).
    other = "en" if lang == "sv" else "sv"
    expect(page.locator(f'[data-testid="stMain"] [lang="{other}"]')).to_have_text(
        t("welcome.language_hint", lang)
    )
    scanner.scan(page, "welcome")
    assert not scanner.found, "\n" + scanner.report()


def steering(store: Lartrappan, unit_id: int) -> None:
    """A target for the unit (and all under it) and an open round: what the Mål and
    Uppföljningsomgångar pages show."""
    today = now().date()
    store.targets.set(Actor("Ledning"), unit_id, 2, today + timedelta(days=365))
    store.rounds.open(
        Actor("Ledning"),
        unit_id,
        "Höstens uppföljning",
        today - timedelta(days=60),
        today + timedelta(days=30),
    )


def row_key(row: Locator) -> str:
    """The class that names a practice's row: st-key-chk_row_<unit>_<practice>."""
    return str(row.evaluate("e => [...e.classList].find(c => c.startsWith('st-key-chk_row_'))"))


def colleague_changes(db_url: str, unit_id: int, row: Locator) -> tuple[PracticeState, Status]:
    """A colleague changes the practice of `row` in the database, behind the page's back.
    Returns the practice as the page shows it and the colleague's status."""
    practice_id = row_key(row).removeprefix(f"st-key-chk_row_{unit_id}_")
    store = Lartrappan(db_url)
    try:
        states = store.checklist.of_unit(unit_id).states
        shown = states.get(practice_id, PracticeState(practice_id))
        theirs = Status.IN_PROGRESS if shown.status is Status.DONE else Status.DONE
        store.checklist.set_status(Actor("Karin Kollega"), unit_id, practice_id, theirs)
    finally:
        store.close()
    return shown, theirs


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_has_no_wcag_violations(start_app, new_page, tmp_path, lang):
    units: dict[str, int] = {}
    databases: list[str] = []

    def prepare(db_url: str) -> None:
        databases.append(db_url)
        store = Lartrappan(db_url)
        try:
            load_demo_data(store)
            tree = store.units.tree()
            units["norrby"] = tree.roots()[0].id
            units["leaf"] = tree.first_leaf() or 0
            steering(store, units["norrby"])
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
    # A colleague changes a practice after the page showed it; a click on it is refused.
    free = page.locator('[class*="st-key-chk_row_"]').filter(has_not=page.get_by_role("alert"))
    conflict_row = page.locator(f".{row_key(free.first)}")  # kept when it shows its warning
    shown, theirs = colleague_changes(databases[0], units["leaf"], conflict_row)
    mine = next(
        s
        for s in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE)
        if s not in (shown.status, theirs)
    )
    rerun(page, conflict_row.get_by_role("radio", name=t(f"status.{mine.value}", lang)).click)
    # Shown as a warning (role="alert") with theirs chosen, and read out through the page's
    # status region.
    expect(conflict_row.get_by_role("alert")).to_contain_text("Karin Kollega", timeout=TIMEOUT)
    expect(
        conflict_row.get_by_role("radio", name=t(f"status.{theirs.value}", lang))
    ).to_have_attribute("aria-checked", "true")
    practice = conflict_row.locator("p strong").first.inner_text()
    expect(page.locator('#lartrappan-live[role="status"]')).to_contain_text(
        t("checklist.conflict_announced", lang, practice=practice), timeout=TIMEOUT
    )
    scanner.scan(page, "checklist, a colleague's change (conflict)")

    visit(page, f"{url}/progress?unit={units['leaf']}&lang={lang}")
    expect(title(page)).to_have_text(t("nav.progress", lang))
    scanner.scan(page, "progress")
    open_expanders(page)  # the charts' figures
    scanner.scan(page, "progress, expanders open")
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    for i in range(1, tabs.count()):  # the comparison and the overview run when opened
        rerun(page, tabs.nth(i).click)
        open_expanders(page)
        scanner.scan(page, f"progress, tab {i + 1}, expanders open")

    visit(page, f"{url}/snapshots?unit={units['leaf']}&lang={lang}")
    expect(title(page)).to_have_text(t("nav.snapshots", lang))
    scanner.scan(page, "snapshots")
    open_expanders(page)
    delete = page.get_by_role("button", name=t("snapshots.delete", lang), exact=True)
    rerun(page, delete.click)  # without the confirmation tick: a warning
    expect(page.get_by_text(t("snapshots.delete_needs_confirm", lang))).to_be_visible()
    scanner.scan(page, "snapshots, expander open, warning shown")

    # Mål and Uppföljningsomgångar (issue #12), for Norrby kommun: its target, the units'
    # targets, and an open round with its burn-up and figures.
    for path, name in (("targets", "target.page_title"), ("rounds", "round.page_title")):
        visit(page, f"{url}/{path}?unit={units['norrby']}&lang={lang}")
        expect(title(page)).to_have_text(t(name, lang))
        scanner.scan(page, path)
        open_expanders(page)
        scanner.scan(page, f"{path}, expanders open")

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


# ---------------------------------------------------------------- 200 % zoom

ZOOMED = (640, 800)
"""A 1280 px wide window at 200 % zoom: WCAG 1.4.4 (text to 200 %) and 1.4.10 (reflow)."""

# The page's own width against the window's, and any element of the main area that reaches
# past the window's edges. Inside a data grid or a table, content may scroll sideways in its
# own frame (1.4.10 allows it for data tables); the frame itself must fit. A progress bar's
# fill slides in from the left inside its track, which clips it.
_REFLOW = """() => {
    const root = document.documentElement, width = root.clientWidth;
    const scrolls = '[data-testid="stDataFrame"], [data-testid="stTable"], ' +
        '[data-testid="stProgressBarTrack"]';
    const past = [...document.querySelectorAll('[data-testid="stMain"] *')].filter(e => {
        if (e.parentElement?.closest(scrolls)) return false;
        const r = e.getBoundingClientRect();
        return r.width > 0 && (r.right > width + 1 || r.left < -1);
    });
    return {
        page: Math.max(root.scrollWidth, document.body.scrollWidth),
        width,
        past: past.slice(0, 5).map(e => e.tagName + " " + (e.dataset.testid || "") + " " +
            (e.innerText || "").slice(0, 30) + " " + Math.round(e.getBoundingClientRect().right)),
    };
}"""


def expect_reflow(page: Page, view: str) -> None:
    """No sideways scrolling of the page and nothing cut off at its right edge; the title
    still there."""
    idle(page)
    expect(title(page)).to_be_visible()
    reflow = page.evaluate(_REFLOW)
    assert reflow["page"] <= reflow["width"] + 1, f"{view}: the page scrolls sideways: {reflow}"
    assert not reflow["past"], f"{view}: content past the window's edge: {reflow['past']}"


def expect_within(page: Page, locator: Locator, what: str) -> None:
    """Every element of `locator` is on the page and within the window's width."""
    expect(locator.first).to_be_visible(timeout=TIMEOUT)  # count() does not wait
    count = locator.count()
    width = page.evaluate("document.documentElement.clientWidth")
    for i in range(count):
        box = locator.nth(i).bounding_box()
        assert box is not None, f"{what} {i} is not shown"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, f"{what} {i}: {box}"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_reflows_at_200_percent_zoom(start_app, new_page, lang):
    units: dict[str, int] = {}

    def prepare(db_url: str) -> None:
        store = Lartrappan(db_url)
        try:
            load_demo_data(store)
            tree = store.units.tree()
            units["norrby"] = tree.roots()[0].id
            units["leaf"] = tree.first_leaf() or 0
            steering(store, units["norrby"])
        finally:
            store.close()

    page = new_page(*ZOOMED)
    visit(page, f"{start_app()}/?lang={lang}")  # an empty database: the onboarding
    expect(title(page)).to_have_text(t("welcome.title", lang))
    expect_reflow(page, "welcome")
    expect_within(page, page.locator('[data-testid="stMain"] button'), "button")

    url = start_app(prepare)
    visit(page, f"{url}/?unit={units['norrby']}&lang={lang}")
    expect(title(page)).to_have_text(t("org.title", lang))
    open_expanders(page)
    expect_reflow(page, "organisation")
    expect_within(page, page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]'), "grid")

    visit(page, f"{url}/?unit={units['leaf']}&lang={lang}")
    expect(title(page)).to_have_text(t("checklist.title", lang))
    rows = page.locator('[class*="st-key-chk_row_"]')
    expect(rows.first.get_by_role("radio").first).to_be_visible(timeout=TIMEOUT)
    open_expanders(page)
    expect_reflow(page, "checklist")
    # Every practice's four statuses and its note, and the snapshot form's button.
    expect_within(page, rows.get_by_role("radio"), "status")
    assert rows.get_by_role("radio").count() == 4 * rows.count()
    expect_within(page, rows.locator("textarea"), "note")
    save = page.get_by_role("button", name=t("snapshot.save", lang), exact=True)
    expect_within(page, save, "save-snapshot button")

    visit(page, f"{url}/progress?unit={units['leaf']}&lang={lang}")
    expect(title(page)).to_have_text(t("nav.progress", lang))
    expect_within(page, page.locator('[data-testid="stMain"] img'), "picture")
    tabs = page.locator('[data-testid="stMain"] [role="tab"]')
    expect_within(page, tabs, "tab")
    open_expanders(page)
    expect_reflow(page, "progress")
    for i in range(1, tabs.count()):
        rerun(page, tabs.nth(i).click)
        page.locator(".js-plotly-plot").first.wait_for(timeout=TIMEOUT)
        open_expanders(page)
        expect_reflow(page, f"progress, tab {i + 1}")

    for path, name in (("targets", "target.page_title"), ("rounds", "round.page_title")):
        visit(page, f"{url}/{path}?unit={units['norrby']}&lang={lang}")
        expect(title(page)).to_have_text(t(name, lang))
        open_expanders(page)
        expect_reflow(page, path)

    for path, name in (
        ("snapshots", "nav.snapshots"),
        ("units", "nav.units"),
        ("data", "nav.data"),
        ("accessibility", "a11y.title"),
    ):
        visit(page, f"{url}/{path}?unit={units['leaf']}&lang={lang}")
        expect(title(page)).to_have_text(t(name, lang))
        open_expanders(page)
        expect_reflow(page, path)

    # The sidebar opens over the page, with the language and the unit picker in reach.
    page.get_by_test_id("stExpandSidebarButton").click()
    sidebar = page.locator('[data-testid="stSidebar"]')
    page.wait_for_function(  # it slides in from the left
        """() => document.querySelector('[data-testid="stSidebar"] [role="radio"]')
            ?.getBoundingClientRect().left >= 0""",
        timeout=TIMEOUT,
    )
    expect_within(page, sidebar.get_by_role("radio"), "language")
    expect_within(page, sidebar.get_by_role("combobox"), "unit picker")


# ---------------------------------------------------------------- keyboard only

_FOCUSED_OPTION = """row => {
    const e = document.activeElement;
    return e && e.getAttribute("role") === "radio" && e.closest("." + row) !== null
        ? e.innerText.trim() : null;
}"""
_FOCUSED_IN = "selector => document.activeElement?.matches(selector) ?? false"

# The focus ring of the focused element: an outline on it or on the frame around it (a
# text field's), at least 2 px, and the colour behind it (the element's own for a ring
# drawn inside it, else the nearest painted ancestor's; white if none).
_FOCUS_RING = r"""() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const what = e.tagName + " " +
        (e.getAttribute("aria-label") || e.innerText || "").trim().slice(0, 40);
    for (let n = e, depth = 0; n && depth < 3; n = n.parentElement, depth++) {
        const s = getComputedStyle(n);
        if (s.outlineStyle === "none" || parseFloat(s.outlineWidth) < 2) continue;
        let background = "rgb(255, 255, 255)";
        const inside = parseFloat(s.outlineOffset) < 0;
        for (let b = inside ? n : n.parentElement; b; b = b.parentElement) {
            const c = getComputedStyle(b).backgroundColor;
            if (c !== "transparent" && !/rgba\(.*, 0\)$/.test(c)) { background = c; break; }
        }
        return {what, colour: s.outlineColor, width: parseFloat(s.outlineWidth), background};
    }
    return {what, colour: null};
}"""


def _rgb(css: str, under: tuple[float, float, float] = (255, 255, 255)) -> tuple[float, ...]:
    """An rgb()/rgba() colour, a translucent one laid over `under`."""
    parts = [float(v) for v in re.findall(r"[\d.]+", css)]
    alpha = parts[3] if len(parts) > 3 else 1.0
    return tuple(c * alpha + u * (1 - alpha) for c, u in zip(parts[:3], under, strict=True))


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """WCAG's contrast ratio of two sRGB colours (0–255)."""

    def luminance(rgb: tuple[float, ...]) -> float:
        lin = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in (v / 255 for v in rgb)
        ]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def expect_visible_focus(page: Page) -> None:
    """What has focus shows it: a ring of at least 2 px with 3:1 against what is around it
    (WCAG 2.4.7 and 1.4.11)."""
    ring = page.evaluate(_FOCUS_RING)
    if ring is None:  # the document itself (Tab wrapped around): nothing focused
        return
    assert ring["colour"], f"no visible focus on {ring['what']}"
    background = _rgb(ring["background"])
    ratio = contrast(_rgb(ring["colour"], background), background)
    assert ring["width"] >= 2 and ratio >= 3, f"focus ring of {ring['what']}: {ring}, {ratio:.1f}:1"


def tab_to(page: Page, arrived: Callable[[], bool], what: str, limit: int = 150) -> None:
    """Press Tab (only) until `arrived()`, checking the focus is visible at every stop."""
    for _ in range(limit):
        if arrived():
            expect_visible_focus(page)
            return
        page.keyboard.press("Tab")
        expect_visible_focus(page)
    pytest.fail(f"Tab never reached {what}")


def test_a_practice_is_ticked_noted_and_a_snapshot_saved_with_the_keyboard_only(
    start_app, new_page
):
    """Tab, Shift+Tab, the arrows, Space, Enter and typed text: no mouse, no click()."""
    units: dict[str, int] = {}
    databases: list[str] = []

    def prepare(db_url: str) -> None:
        databases.append(db_url)
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
    # A practice that has not started and has no note, so every change is one.
    not_started = (
        page.locator('[class*="st-key-chk_row_"]')
        .filter(has=page.locator('[role="radio"][aria-checked="true"]', has_text="I startblocken"))
        .filter(has=page.locator("textarea:text-is('')"))
    )
    expect(not_started.first).to_be_visible(timeout=TIMEOUT)
    row_class = str(
        not_started.first.evaluate(
            "e => [...e.classList].find(c => c.startsWith('st-key-chk_row_'))"
        )
    )
    row = page.locator(f".{row_class}")
    practice = row.locator("p strong").first.inner_text()
    live = page.locator('#lartrappan-live[role="status"]')

    # Tab from the top of the page into that practice's note, write one; Tab on saves it
    # (a text area saves when it is left) and lands on the practice's statuses.
    tab_to(
        page,
        lambda: page.evaluate(_FOCUSED_IN, f".{row_class} textarea"),
        f"the note of {row_class}",
    )
    note = "Vi provar på nästa APT."
    page.keyboard.type(note)
    rerun(page, lambda: page.keyboard.press("Tab"))
    expect(live).to_have_text(f"Anteckningen sparad: {practice}", timeout=TIMEOUT)
    assert page.evaluate(_FOCUSED_OPTION, row_class) is not None, "Tab left the practice"
    expect_visible_focus(page)
    # Shift+Tab goes back to the note, which kept what was written.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(_FOCUSED_IN, f".{row_class} textarea")
    expect_visible_focus(page)
    expect(row.locator("textarea")).to_have_value(note)
    page.keyboard.press("Tab")

    def move_to(label: str) -> None:
        for _ in range(4):  # the arrows move within the radio group, as in any radio group
            if (page.evaluate(_FOCUSED_OPTION, row_class) or "").endswith(label):
                expect_visible_focus(page)
                return
            page.keyboard.press("ArrowRight")
        pytest.fail(f"the arrows never reached {label}")

    on_the_way = row.get_by_role("radio", name="På väg")
    move_to("På väg")
    assert on_the_way.get_attribute("aria-checked") == "false"  # moving focus chose nothing
    rerun(page, lambda: page.keyboard.press("Space"))
    expect(on_the_way).to_have_attribute("aria-checked", "true")
    # Saved, and said so to a screen reader through the page's status region.
    expect(live).to_have_text(f"Sparat: {practice} – På väg", timeout=TIMEOUT)

    done = row.get_by_role("radio", name="Vi får det att hända")
    move_to("Vi får det att hända")
    assert done.get_attribute("aria-checked") == "false"
    rerun(page, lambda: page.keyboard.press("Enter"))
    expect(done).to_have_attribute("aria-checked", "true")
    expect(live).to_have_text(f"Sparat: {practice} – Vi får det att hända")
    expect_visible_focus(page)

    # On to the snapshot form at the bottom: a comment, then Enter on its button.
    tab_to(page, lambda: page.evaluate(_FOCUSED_IN, ".st-key-chk_comment textarea"), "comment")
    comment = "Bedömd på APT i november."
    page.keyboard.type(comment)
    save = page.get_by_role("button", name="Spara ögonblicksbild")
    on_save = '[data-testid="stFormSubmitButton"] button'
    tab_to(page, lambda: page.evaluate(_FOCUSED_IN, on_save), "the save button", limit=3)
    rerun(page, lambda: page.keyboard.press("Enter"))
    saved = page.get_by_role("status").filter(has_text="Ögonblicksbilden från")
    expect(saved).to_contain_text("är sparad", timeout=TIMEOUT)
    expect(save).to_be_visible()

    # Saved: the snapshot with its comment and the practice's note and status in it, and a
    # fresh load shows them.
    store = Lartrappan(databases[0])
    try:
        snapshot = store.snapshots.of_unit(units["leaf"])[0]  # the newest
        assert snapshot.comment == comment
        practice_id = row_class.removeprefix(f"st-key-chk_row_{units['leaf']}_")
        entry = next(
            e for e in store.snapshots.entries(snapshot.id) if e.practice_id == practice_id
        )
        assert (entry.status, entry.note) == (Status.DONE, note)
    finally:
        store.close()
    visit(page, f"{url}/?unit={units['leaf']}")
    row = page.locator(f".{row_class}")
    expect(row.get_by_role("radio", name="Vi får det att hända")).to_have_attribute(
        "aria-checked", "true"
    )
    expect(row.locator("textarea")).to_have_value(note)
