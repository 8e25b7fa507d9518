"""Deep links with unknown or malicious query parameters (?unit=, ?lang=) and page paths
fall back safely in a real browser: no exception, the default language, the first unit,
nothing of the value rendered, no script run, and the address replaced by a good link.

A link is `?unit=<the unit's id>&lang=sv|en` (see README, Links). The first test proves
that good parameters are honoured, for a unit of the second organisation, which gives the
others meaning. AppTest variants of these cases are in tests/pages/test_app.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from staircase.services import Actor, Lartrappan
from tests.browser.conftest import serve_app
from tests.browser.test_journeys import TIMEOUT, idle, title

pytest.importorskip("playwright")
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__lartrappan_xss=1</script>"
IMG = "<img src=x onerror=window.__lartrappan_xss=1>"
ARCHIVED = "(the id of an archived unit)"  # replaced by the fixture's id in the test
BAD_LINKS = [  # (unit, lang)
    ("abc", "xx"),
    ("999999", "de"),
    (ARCHIVED, "EN"),
    ("Klass 9B · Skola Syd", "en-GB"),  # a label: the format links had before ids
    ("-1", " en"),
    ("' OR 1=1 --", "ENGLISH"),
    (SCRIPT, IMG),
    ("9" * 3000, "x" * 3000),
]


def heading(page: Page) -> Locator:
    return page.locator('[data-testid="stMain"] h4').first


def visit(page: Page, url: str) -> None:
    page.goto(url)
    idle(page)
    expect(title(page)).to_be_visible(timeout=TIMEOUT)
    idle(page)


def assert_safe(page: Page, value: str) -> None:
    """No exception box, no script run, nothing of the value on the page, Swedish."""
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)
    assert page.evaluate("() => window.__lartrappan_xss") is None
    body = page.locator('[data-testid="stApp"]').inner_text()
    if len(value) > 4:  # (short values, such as 'de' or '1', occur in any text)
        assert value[:40] not in body
    assert page.locator("img[src='x']").count() == 0
    expect(page.locator('[data-testid="stSidebarNav"]')).to_contain_text("Checklista")


@dataclass(frozen=True)
class Server:
    url: str
    first: int  # the first unit a bare address opens: Norrby kommun
    good: int  # Klass 9B, in the second organisation
    good_path: str
    archived: int


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the module, on a database with two organisations."""
    directory = tmp_path_factory.mktemp("links")
    db = f"sqlite:///{directory / 'app.db'}"
    store = Lartrappan(db)
    norrby = store.units.create(Actor(""), "Norrby kommun")
    store.units.create(
        Actor(""), "Klass 7A", store.units.create(Actor(""), "Norrby skola", norrby.id).id
    )
    soderby = store.units.create(Actor(""), "Söderby kommun")
    good = store.units.create(
        Actor(""), "Klass 9B", store.units.create(Actor(""), "Skola Syd", soderby.id).id
    )
    archived = store.units.create(Actor(""), "Gamla skolan", soderby.id)
    store.units.set_archived(Actor(""), archived.id, True)
    path = store.units.tree().label(good.id)
    store.close()
    with serve_app(db, directory) as url:
        yield Server(url, norrby.id, good.id, path, archived.id)


def expect_link(page: Page, unit: int, lang: str) -> None:
    """Wait until the address bar holds exactly this link's parameters."""
    page.wait_for_function(
        """([unit, lang]) => { const q = new URLSearchParams(location.search);
            return q.getAll('unit').join() === unit && q.getAll('lang').join() === lang; }""",
        arg=[str(unit), lang],
        timeout=TIMEOUT,
    )


@pytest.fixture
def page(new_page) -> Page:  # type: ignore[no-untyped-def]
    return new_page()


def test_a_good_deep_link_is_honoured(server: Server, page: Page) -> None:
    """The control: a link with good parameters opens that page, language and unit, even
    of an organisation other than the first."""
    visit(page, f"{server.url}/snapshots?unit={server.good}&lang=en")
    expect(title(page)).to_have_text("History", timeout=TIMEOUT)
    expect(heading(page)).to_have_text(server.good_path, timeout=TIMEOUT)
    organisation = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input')
    expect(organisation.first).to_have_value("Söderby kommun", timeout=TIMEOUT)
    expect_link(page, server.good, "en")


@pytest.mark.parametrize(("unit", "lang"), BAD_LINKS, ids=[u[:12] for u, _ in BAD_LINKS])
def test_bad_parameters_fall_back(server: Server, page: Page, unit: str, lang: str) -> None:
    unit = str(server.archived) if unit == ARCHIVED else unit
    visit(page, f"{server.url}/snapshots?unit={quote(unit, safe='')}&lang={quote(lang, safe='')}")
    assert_safe(page, unit)
    assert_safe(page, lang)
    expect(title(page)).to_have_text("Historik", timeout=TIMEOUT)
    expect(heading(page)).to_have_text("Norrby kommun", timeout=TIMEOUT)  # as a bare address
    expect_link(page, server.first, "sv")  # the bad values are gone from the address too
    left = parse_qs(urlsplit(page.url).query)
    assert left == {"unit": [str(server.first)], "lang": ["sv"]}


def test_an_unknown_page_with_bad_parameters_falls_back(server: Server, page: Page) -> None:
    # Streamlit's own "Page not found" dialog is not asserted: whether it shows depends on
    # the session (the first one after a server start runs in Streamlit's pages/-folder
    # mode) and on timing (the fallback's page switch can close it), which failed stop 19's
    # CI and a whole-suite run in stop 20. What is ours is asserted: the safe fallback.
    visit(page, f"{server.url}/no-such-page?unit={quote(SCRIPT)}&lang={quote(IMG)}")
    assert_safe(page, SCRIPT)
    assert_safe(page, IMG)
    # The first unit, Norrby kommun, has units under it: it opens on its roll-up.
    expect(title(page)).to_have_text("Organisationen", timeout=TIMEOUT)
