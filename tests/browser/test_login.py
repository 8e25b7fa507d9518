"""Login mode in a real browser: an OpenID Connect provider on localhost (oidc-provider-mock,
started in this process), a Streamlit server whose secrets.toml points at it, and Chromium
going through the real login redirect.

Journeys: an editor ticks in their own unit and cannot reach another; a viewer reads
without being able to change; someone without a role sees only "ask your administrator";
logging out ends the session; an admin grants a role and reads the audit trail. axe-core
scans the views only login mode has (the login page, "ask your administrator", users and
roles, the audit trail).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from staircase.domain.model import Status
from staircase.services import Lartrappan
from staircase.services.door import SYSTEM
from tests.browser.conftest import _free_port, serve_app
from tests.browser.test_accessibility import Scanner

pytest.importorskip("playwright")
oidc = pytest.importorskip("oidc_provider_mock")
if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed", allow_module_level=True)

from playwright.sync_api import Page, expect  # noqa: E402  (after the skip when it is missing)

pytestmark = pytest.mark.browser

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
TIMEOUT = 20_000
P1 = "s1-goal-linked"
USERS = {
    "eva": ("eva@norrby.se", "Eva Redigerare"),  # editor of Hemtjänst Norr
    "vera": ("vera@norrby.se", "Vera Läsare"),  # viewer of Norrby kommun
    "nils": ("nils@norrby.se", "Nils Utan Roll"),  # no role
    "mona": ("mona@norrby.se", "Mona Chef"),  # manager of Vård och omsorg
    "ada": ("ada@norrby.se", "Ada Admin"),  # admin
}


@dataclass(frozen=True)
class World:
    url: str
    db_url: str
    home: int
    """Hemtjänst Norr: Eva edits it."""
    other: int
    """Skola: outside Eva's scope."""
    care: int
    """Vård och omsorg: Mona manages it."""


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    users = [
        oidc.User(sub=sub, claims={"email": email, "name": name})
        for sub, (email, name) in USERS.items()
    ]
    with oidc.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def world(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("login")
    db_url = f"sqlite:///{folder / 'app.db'}"
    core = Lartrappan(db_url)
    try:
        root = core.units.create(SYSTEM, "Norrby kommun")
        care = core.units.create(SYSTEM, "Vård och omsorg", root.id)
        home = core.units.create(SYSTEM, "Hemtjänst Norr", care.id)
        other = core.units.create(SYSTEM, "Skola", root.id)
        core.people.grant(SYSTEM, "eva@norrby.se", "editor", home.id)
        core.people.grant(SYSTEM, "vera@norrby.se", "viewer", root.id)
        core.people.grant(SYSTEM, "mona@norrby.se", "manager", care.id)
        core.people.grant(SYSTEM, "ada@norrby.se", "admin")
    finally:
        core.close()
    port = _free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-secret-that-is-long-enough"\n'
        'client_id = "lartrappan"\n'
        'client_secret = "any"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with serve_app(db_url, folder, port=port, args=("--secrets.files", str(secrets))) as url:
        yield World(url, db_url, home.id, other.id, care.id)


def idle(page: Page) -> None:
    page.wait_for_selector(IDLE, timeout=TIMEOUT)


def log_in(page: Page, world: World, sub: str) -> None:
    """Open the app, press "Logga in", pick the user at the provider, come back."""
    page.goto(world.url)
    idle(page)
    expect(page.get_by_role("heading", name="Logga in i Lärtrappan")).to_be_visible()
    # No page list before the login, not even for the first visitor after a server start
    # (whose first run Streamlit makes in its pages/-folder mode, listing the file names).
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(re.compile(r"localhost:\d+/oauth2/authorize"), timeout=TIMEOUT)
    page.locator(f'button[name="sub"][value="{sub}"]').click()
    page.wait_for_url(re.compile(r"127\.0\.0\.1"), timeout=TIMEOUT)
    idle(page)


def sidebar(page: Page):  # type: ignore[no-untyped-def]
    return page.locator('[data-testid="stSidebar"]')


def test_an_editor_ticks_in_their_unit_and_cannot_reach_another(world: World, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    log_in(page, world, "eva")
    expect(page.locator('[data-testid="stMain"] h1').first).to_have_text("Checklista")
    expect(sidebar(page)).to_contain_text("Inloggad som Eva Redigerare (redigerare)")
    expect(sidebar(page)).to_contain_text("Inloggat läge")
    expect(sidebar(page).get_by_label("Ditt namn")).to_have_count(0)  # the name is the login's
    row = page.locator(f".st-key-chk_row_{world.home}_{P1}")
    option = row.get_by_role("radio", name=re.compile("Vi får det att hända"))
    option.click()
    expect(option).to_have_attribute("aria-checked", "true", timeout=TIMEOUT)
    idle(page)
    expect(row).to_contain_text("Eva Redigerare", timeout=TIMEOUT)

    core = Lartrappan(world.db_url)
    try:
        stored = core.checklist.state(world.home)[P1]
        assert (stored.status, stored.updated_by) == (Status.DONE, "Eva Redigerare")
        record = core.audit.records(person="eva@norrby.se")[0]
        assert (record.action, record.unit_id) == ("state.status", world.home)
    finally:
        core.close()

    # nothing else is in the picker or the navigation, and a hand-made link reaches nothing
    expect(sidebar(page)).not_to_contain_text("Skola")
    expect(sidebar(page)).not_to_contain_text("Enheter och arbetssätt")
    page.goto(f"{world.url}/checklist?unit={world.other}")
    idle(page)
    expect(page.locator('[data-testid="stMain"]')).not_to_contain_text("Skola")
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("Hemtjänst Norr")

    # an editor may import but not export: the data page offers the import only
    page.goto(f"{world.url}/data?unit={world.home}")
    idle(page)
    expect(page.get_by_role("heading", name="Importera ögonblicksbilder")).to_be_visible()
    expect(page.get_by_role("button", name="Ladda ned")).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_a_viewer_reads_but_cannot_change(world: World, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    log_in(page, world, "vera")
    page.goto(f"{world.url}/checklist?unit={world.home}")
    idle(page)
    row = page.locator(f".st-key-chk_row_{world.home}_{P1}")
    expect(row).to_be_visible(timeout=TIMEOUT)
    for option in row.get_by_role("radio").all():
        expect(option).to_be_disabled()
    expect(row.get_by_role("textbox")).to_be_disabled()
    expect(page.get_by_role("button", name="Spara ögonblicksbild")).to_have_count(0)
    expect(sidebar(page)).not_to_contain_text("Import och export")
    # Nuläge: the areas can be read, the assessment not saved
    page.goto(f"{world.url}/assessment?unit={world.home}")
    idle(page)
    expect(page.locator('[data-testid="stMain"] h1').first).to_be_visible()
    expect(page.get_by_role("button", name="Spara nulägesbedömningen")).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def test_a_manager_sets_a_target_and_a_viewer_cannot(world: World, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    log_in(page, world, "mona")
    page.goto(f"{world.url}/targets?unit={world.care}")
    idle(page)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Vård och omsorg")).to_be_visible(timeout=TIMEOUT)
    main.get_by_role("button", name="Spara målet").click()
    expect(main.get_by_text("Målet är sparat: steg 2")).to_be_visible(timeout=TIMEOUT)
    core = Lartrappan(world.db_url)
    try:
        record = core.audit.records(person="mona@norrby.se")[0]
        assert (record.action, record.unit_id) == ("target.set", world.care)
    finally:
        core.close()

    viewer = new_page()
    log_in(viewer, world, "vera")
    viewer.goto(f"{world.url}/targets?unit={world.care}")
    idle(viewer)
    shown = viewer.locator('[data-testid="stMain"]')
    expect(shown.locator("strong").filter(has_text="Steg 2 senast")).to_be_visible(timeout=TIMEOUT)
    expect(shown.get_by_role("button", name="Spara målet")).to_have_count(0)


def test_someone_without_a_role_sees_only_the_ask_page(world: World, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    log_in(page, world, "nils")
    expect(page.get_by_role("heading", name="Be din administratör om behörighet")).to_be_visible()
    expect(page.locator('[data-testid="stMain"]')).to_contain_text("nils@norrby.se")
    expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
    scanner = Scanner()
    scanner.scan(page, "ask your administrator")
    assert not scanner.found, scanner.report()
    page.goto(f"{world.url}/checklist?unit={world.home}")
    idle(page)
    expect(page.get_by_role("heading", name="Be din administratör om behörighet")).to_be_visible()
    expect(page.locator('[data-testid="stMain"]')).not_to_contain_text("Hemtjänst")


def test_logging_out_ends_the_session(world: World, new_page) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    log_in(page, world, "eva")
    expect(sidebar(page)).to_contain_text("Eva Redigerare")
    sidebar(page).get_by_role("button", name="Logga ut").click()
    # Streamlit ends the session at the provider too (RP-initiated logout), which asks first
    page.wait_for_url(re.compile(r"localhost:\d+/oauth2/end_session"), timeout=TIMEOUT)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(r"127\.0\.0\.1"), timeout=TIMEOUT)
    idle(page)
    expect(page.get_by_role("heading", name="Logga in i Lärtrappan")).to_be_visible(timeout=TIMEOUT)
    scanner = Scanner()
    scanner.scan(page, "log in")
    assert not scanner.found, scanner.report()
    page.reload()
    idle(page)
    expect(page.get_by_role("heading", name="Logga in i Lärtrappan")).to_be_visible()
    expect(page.locator('[data-testid="stMain"]')).not_to_contain_text("Hemtjänst")


def test_an_admin_grants_a_role_and_reads_the_audit_trail(
    world: World, new_page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    page = new_page()
    log_in(page, world, "ada")
    nav = page.locator('[data-testid="stSidebarNav"]')
    # All of an admin's 13 pages are listed: none behind Streamlit's "View n more".
    expect(nav.get_by_role("button", name=re.compile(r"View \d+ more"))).to_have_count(0)
    expect(nav.locator("a").filter(has_text="Granskningslogg")).to_be_visible()
    nav.locator("a").filter(has_text="Användare och roller").click()
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", name="Användare och roller")).to_be_visible(timeout=TIMEOUT)
    scanner = Scanner()
    scanner.scan(page, "users and roles")
    main.get_by_label("E-post").fill("ny.admin@norrby.se")
    main.locator(".st-key-users_role").get_by_role("combobox").click()  # viewer by default
    page.get_by_role("option", name="administratör").click()
    main.get_by_role("button", name="Ge rollen").click()
    expect(main.get_by_text("ny.admin@norrby.se har fått rollen.")).to_be_visible(timeout=TIMEOUT)
    # Cleared in the browser too (removing the value from session state alone left it there).
    expect(main.get_by_label("E-post")).to_have_value("")

    nav.locator("a").filter(has_text="Granskningslogg").click()
    expect(main.get_by_role("heading", name="Granskningslogg")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    expect(main.get_by_text(re.compile(r"\d+ poster visas"))).to_be_visible(timeout=TIMEOUT)
    scanner.scan(page, "audit trail")
    assert not scanner.found, scanner.report()
    with page.expect_download(timeout=TIMEOUT) as info:
        main.get_by_role("button", name="Ladda ner som CSV").click()
    target = tmp_path / "audit.csv"
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("at,actor,email,action")
    assert "user.grant" in text and "ny.admin@norrby.se" in text and "Ada Admin" in text
