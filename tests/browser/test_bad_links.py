"""Deep links with unknown or malicious query parameters (?unit=, ?lang=) and page paths
fall back safely in a real browser: no exception, the default language, the first unit,
nothing of the value rendered and no script run.

AppTest cannot check this: it does not seed widgets bound to query parameters (a
`?lang=English` there leaves the app in Swedish), so a fallback test would pass for nothing.
Here the first test proves that good parameters are honoured, which gives the others
meaning. Streamlit writes the options' labels into the URL, not their values:
`?lang=English&unit=Klass 7A · Norrby skola`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest

from staircase.services import Actor, Lartrappan
from tests.browser.conftest import ROOT, _free_port, _wait_healthy
from tests.browser.test_journeys import TIMEOUT, idle, title

pytest.importorskip("playwright")
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

SCRIPT = "<script>window.__lartrappan_xss=1</script>"
IMG = "<img src=x onerror=window.__lartrappan_xss=1>"
BAD_LINKS = [  # (unit, lang)
    ("1", "en"),  # an id and a code: the URL holds labels, not these
    ("999999", "de"),
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


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    """One server for the module, on a database with a small tree; its URL, a good query
    string (English, the class) and the class's path."""
    directory = tmp_path_factory.mktemp("links")
    db = f"sqlite:///{directory / 'app.db'}"
    store = Lartrappan(db)
    school = store.units.create(
        Actor(""), "Norrby skola", store.units.create(Actor(""), "Norrby kommun").id
    )
    leaf = store.units.create(Actor(""), "Klass 7A", school.id)
    tree = store.units.tree()
    query = urlencode({"lang": "English", "unit": tree.short_label(leaf.id)})
    path = tree.label(leaf.id)
    store.close()
    port = _free_port()
    with (directory / "streamlit.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
            cwd=ROOT,
            env=dict(os.environ, STAIRCASE_DB_URL=db),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_healthy(url, proc)
            yield url, query, path
        finally:
            proc.terminate()
            proc.wait(timeout=10)


@pytest.fixture
def page(new_page) -> Page:  # type: ignore[no-untyped-def]
    return new_page()


def test_a_good_deep_link_is_honoured(server: tuple[str, str, str], page: Page) -> None:
    """The control: a link with good parameters opens that page, language and unit."""
    url, query, path = server
    visit(page, f"{url}/snapshots?{query}")
    expect(title(page)).to_have_text("History", timeout=TIMEOUT)
    expect(heading(page)).to_have_text(path)


@pytest.mark.parametrize(("unit", "lang"), BAD_LINKS, ids=[u[:12] for u, _ in BAD_LINKS])
def test_bad_parameters_fall_back(
    server: tuple[str, str, str], page: Page, unit: str, lang: str
) -> None:
    url, _, _ = server
    visit(page, f"{url}/snapshots?unit={quote(unit, safe='')}&lang={quote(lang, safe='')}")
    assert_safe(page, unit)
    assert_safe(page, lang)
    expect(title(page)).to_have_text("Historik", timeout=TIMEOUT)
    expect(heading(page)).to_have_text("Norrby kommun")  # the first unit, as on a first visit
    left = parse_qs(urlsplit(page.url).query)
    assert unit not in left.get("unit", []) and lang not in left.get("lang", [])


def test_an_unknown_page_with_bad_parameters_falls_back(
    server: tuple[str, str, str], page: Page
) -> None:
    url, _, _ = server
    visit(page, f"{url}/no-such-page?unit={quote(SCRIPT)}&lang={quote(IMG)}")
    expect(page.get_by_role("dialog")).to_contain_text("Page not found")  # Streamlit's own
    assert_safe(page, SCRIPT)
    assert_safe(page, IMG)
    expect(title(page)).to_have_text("Checklista", timeout=TIMEOUT)
