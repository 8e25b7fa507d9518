"""The pages only login mode has, under AppTest with a seeded signed-in user: users and
roles (grant, refuse, revoke exactly the grant chosen) and the audit trail (filters)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from staircase.domain.access import Role
from staircase.services import Actor, Lartrappan
from tests.pages.conftest import APP

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-secret-for-tests",
    "client_id": "lartrappan",
    "client_secret": "x",
    "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
}
SYSTEM = Actor("")
ADA = ("ada", "ada@norrby.se", "Ada Admin")
EVA = ("eva", "eva@norrby.se", "Eva Redigerare")


@pytest.fixture
def world(store: Lartrappan) -> dict[str, int]:
    root = store.units.create(SYSTEM, "Norrby kommun").id
    home = store.units.create(SYSTEM, "Hemtjänst Norr", root).id
    school = store.units.create(SYSTEM, "Björkskolan", root).id
    store.people.grant(SYSTEM, ADA[1], Role.ADMIN)
    store.people.grant(SYSTEM, EVA[1], Role.EDITOR, home)
    return {"root": root, "home": home, "school": school}


@pytest.fixture
def signed_in(store: Lartrappan) -> Callable[..., AppTest]:
    """The app in login mode, signed in as `who` (sub, email, name), on `page`."""

    def open_as(who: tuple[str, str, str], page: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        at.secrets["auth"] = AUTH
        sub, email, name = who
        at.user = {"is_logged_in": True, "iss": "https://idp.test", "sub": sub,
                   "email": email, "name": name}  # fmt: skip
        at.run()
        at.switch_page(page)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_as


def grants_of(store: Lartrappan) -> set[tuple[str, str, int | None]]:
    return {(g.email, g.role.value, g.unit_id) for g in store.people.grants()}


def test_an_admin_grants_a_role_on_a_unit(store, world, signed_in) -> None:
    at = signed_in(ADA, "pages/users.py")
    assert at.selectbox(key="users_role").value == Role.VIEWER  # the least right first
    at.text_input(key="users_email").set_value("  Nils@Norrby.se ")
    at.selectbox(key="users_unit").set_value(world["school"])
    at.button(key="FormSubmitter:users_grant_form-Ge rollen").click().run()
    assert not at.exception
    assert ("nils@norrby.se", "viewer", world["school"]) in grants_of(store)
    assert "nils@norrby.se har fått rollen." in [s.value for s in at.success]
    assert at.text_input(key="users_email").value == ""  # the next grant starts empty
    frame = at.dataframe[0].value
    names = dict(zip(frame["E-post"], frame["Namn"], strict=False))
    assert names["nils@norrby.se"] == "(har inte loggat in än)"
    record = store.audit.records(None, person="Ada")[0]
    assert record.action == "user.grant" and record.email == ADA[1]


def test_a_malformed_email_is_refused_and_nothing_is_granted(store, world, signed_in) -> None:
    before = grants_of(store)
    at = signed_in(ADA, "pages/users.py")
    at.text_input(key="users_email").set_value("inte en adress")
    at.button(key="FormSubmitter:users_grant_form-Ge rollen").click().run()
    assert at.error and "inte en adress" in at.error[0].value
    assert grants_of(store) == before


def test_revoke_takes_away_the_grant_chosen_even_when_the_list_moved(
    store, world, signed_in
) -> None:
    store.people.grant(SYSTEM, "bo@norrby.se", Role.MANAGER, world["root"])
    at = signed_in(ADA, "pages/users.py")
    which = at.selectbox(key="users_revoke_which")
    which.set_value((EVA[1], "editor", world["home"])).run()
    # Another admin revokes a grant listed before Eva's in the meantime.
    store.people.revoke(SYSTEM, "bo@norrby.se", Role.MANAGER, world["root"])
    at.button(key="users_revoke").click().run()
    assert not at.exception
    assert (EVA[1], "editor", world["home"]) not in grants_of(store)
    assert (ADA[1], "admin", None) in grants_of(store)


def test_revoke_with_the_chosen_grant_gone_revokes_nothing(store, world, signed_in) -> None:
    store.people.grant(SYSTEM, "bo@norrby.se", Role.MANAGER, world["root"])
    at = signed_in(ADA, "pages/users.py")
    which = at.selectbox(key="users_revoke_which")
    which.set_value(("bo@norrby.se", "manager", world["root"])).run()
    store.people.revoke(SYSTEM, "bo@norrby.se", Role.MANAGER, world["root"])  # someone else
    before = grants_of(store)
    at.button(key="users_revoke").click().run()
    assert grants_of(store) == before  # not the list's first, nothing
    assert at.warning and "Välj först" in at.warning[0].value


def test_an_editor_has_neither_admin_page_in_the_navigation(store, world, signed_in) -> None:
    for page in ("pages/users.py", "pages/audit.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            signed_in(EVA, page)
    # Reached by hand all the same, the services refuse (tests/test_access.py has every case).


def test_the_audit_trail_filters_by_unit_and_person(store, world, signed_in) -> None:
    store.checklist.set_note(Actor("Eva Redigerare"), world["home"], "s1-goal-linked", "APT")
    store.checklist.set_note(Actor("Sara"), world["school"], "s1-goal-linked", "Läslyftet")
    at = signed_in(ADA, "pages/audit.py")
    assert "Granskningslogg" in [t.value for t in at.title]
    frame = at.dataframe[0].value
    who = dict(zip(frame["Vad"], frame["Vem"], strict=False))
    assert who["Enhet skapad"] == "(inget namn angivet)"  # made without a name
    where = dict(zip(frame["Vad"], frame["Enhet"], strict=False))
    assert where["Roll given"] == "Hela databasen"  # a change with no unit is everyone's
    assert where["Enhet skapad"] and where["Enhet skapad"] != "Hela databasen"
    assert not [m for m in at.markdown if "Records shown" in m.value]  # no stray docstring
    at.selectbox(key="audit_unit").set_value(world["home"]).run()
    frame = at.dataframe[0].value
    notes = frame[frame["Vad"] == "Anteckning ändrad i checklistan"]
    assert list(notes["Vem"]) == ["Eva Redigerare"]  # the school's note is outside
    at.selectbox(key="audit_unit").set_value(None)
    at.text_input(key="audit_person").set_value("sara").run()
    frame = at.dataframe[0].value
    assert set(frame["Vem"]) == {"Sara"}
    at.text_input(key="audit_person").set_value("ingen sådan").run()
    assert [i.value for i in at.info] == ["Inga poster matchar urvalet."]
