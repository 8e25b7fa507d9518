"""Roles granted by email, bound to the identity at the first login; the audit trail; the
register extract and the erasure of a person (GDPR)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from staircase.domain.access import Access, Grant, PermissionDenied, Role
from staircase.domain.model import Status, ValidationError
from staircase.domain.moments import now
from staircase.services import Identity, Lartrappan
from staircase.services.door import SYSTEM, Actor
from staircase.storage import audit as audit_log

P1 = "s1-goal-linked"
ISSUER = "https://login.example.org"


def problem_key(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return exc.value.problems[0].key


@pytest.fixture
def org(store: Lartrappan) -> tuple[int, int]:
    root = store.units.create(SYSTEM, "Norrby kommun")
    unit = store.units.create(SYSTEM, "Hemtjänst", root.id)
    return root.id, unit.id


# ---------------------------------------------------------------------------- roles


def test_grant_list_and_revoke(store: Lartrappan, org: tuple[int, int]) -> None:
    _root, unit = org
    store.people.grant(SYSTEM, " Eva.Berg@Norrby.se ", "editor", unit)
    store.people.grant(SYSTEM, "eva.berg@norrby.se", "editor", unit)  # again: nothing new
    store.people.grant(SYSTEM, "boss@norrby.se", "admin")
    grants = [(g.email, g.role, g.unit_id) for g in store.people.grants()]
    assert grants == [
        ("boss@norrby.se", Role.ADMIN, None),
        ("eva.berg@norrby.se", Role.EDITOR, unit),
    ]
    store.people.revoke(SYSTEM, "EVA.BERG@norrby.se", "editor", unit)
    assert [g.email for g in store.people.grants()] == ["boss@norrby.se"]


@pytest.mark.parametrize(
    ("email", "role", "on_unit", "key"),
    [
        ("not-an-email", "viewer", True, "user.bad_email"),
        ("", "viewer", True, "user.bad_email"),
        ("a@b.se", "owner", True, "user.bad_role"),
        ("a@b.se", "admin", True, "user.admin_unit"),
        ("a@b.se", "editor", False, "user.unit_needed"),
    ],
)
def test_a_bad_grant_is_refused_and_changes_nothing(
    store: Lartrappan, org: tuple[int, int], email: str, role: str, on_unit: bool, key: str
) -> None:
    before = len(store.audit.records())
    with pytest.raises(ValidationError) as refused:
        store.people.grant(SYSTEM, email, role, org[1] if on_unit else None)
    assert problem_key(refused) == key
    assert store.people.grants() == []
    assert len(store.audit.records()) == before


def test_revoking_what_is_not_granted_is_refused(store: Lartrappan, org: tuple[int, int]) -> None:
    with pytest.raises(ValidationError) as refused:
        store.people.revoke(SYSTEM, "nobody@norrby.se", "viewer", org[1])
    assert problem_key(refused) == "user.no_such_grant"


def test_a_grant_on_an_unknown_unit_is_refused(store: Lartrappan) -> None:
    with pytest.raises(ValidationError):
        store.people.grant(SYSTEM, "a@b.se", "viewer", 999)
    assert store.people.grants() == []


# ---------------------------------------------------------------------------- signing in


def test_sign_in_binds_the_grant_at_the_first_login(
    store: Lartrappan, org: tuple[int, int]
) -> None:
    store.people.grant(SYSTEM, "eva@norrby.se", "editor", org[1])
    first = store.people.sign_in(Identity(ISSUER, "sub-1", "Eva@Norrby.se", "Eva Berg"))
    assert first == Actor("Eva Berg", "eva@norrby.se", Access((Grant(Role.EDITOR, org[1]),)))
    assert [r.action for r in store.audit.records(person="eva@")][:1] == ["user.bind"]
    # a later change of email at the provider keeps the roles: the identity finds her
    moved = store.people.sign_in(Identity(ISSUER, "sub-1", "eva.berg@ny.se", "Eva Berg"))
    assert moved.access == first.access
    # someone else signing in with her old email does not take them over
    other = store.people.sign_in(Identity(ISSUER, "sub-2", "eva@norrby.se", "Någon"))
    assert other.access == Access(())


def test_someone_without_a_role_may_do_nothing(store: Lartrappan, org: tuple[int, int]) -> None:
    nobody = store.people.sign_in(Identity(ISSUER, "sub-9", "x@norrby.se", "X"))
    assert nobody.access == Access(())
    assert store.units.tree(actor=nobody).units == {}
    with pytest.raises(PermissionDenied):
        store.checklist.state(org[1], actor=nobody)


# ---------------------------------------------------------------------------- audit trail


def test_every_write_leaves_one_record_with_before_and_after(
    store: Lartrappan, org: tuple[int, int]
) -> None:
    _root, unit = org
    eva = Actor("Eva Berg", "eva@norrby.se")
    store.checklist.set_status(eva, unit, P1, Status.IN_PROGRESS)
    store.checklist.set_status(eva, unit, P1, Status.DONE)
    store.units.rename(SYSTEM, unit, "Hemtjänst Norr")
    records = store.audit.records()
    assert [r.action for r in records[:3]] == ["unit.rename", "state.status", "state.status"]
    tick = records[1]
    assert (tick.actor, tick.email, tick.unit_id) == ("Eva Berg", "eva@norrby.se", unit)
    assert json.loads(tick.before or "")["status"] == "in_progress"
    assert json.loads(tick.after or "")["status"] == "done"
    assert json.loads(records[0].before or "") == {"name": "Hemtjänst"}
    # a refused write leaves nothing
    with pytest.raises(ValidationError):
        store.checklist.set_status(eva, unit, P1, Status.NOT_APPLICABLE)  # no justification
    assert len(store.audit.records()) == len(records)


def test_records_are_filtered_by_unit_person_and_period(
    store: Lartrappan, org: tuple[int, int]
) -> None:
    root, unit = org
    store.checklist.set_status(Actor("Eva Berg", "eva@norrby.se"), unit, P1, Status.DONE)
    store.units.rename(Actor("Bo"), root, "Norrby")
    assert [r.action for r in store.audit.records(unit_id=unit)] == ["state.status", "unit.create"]
    assert len(store.audit.records(unit_id=root)) == 4  # and what is under it: 2 creates
    assert [r.actor for r in store.audit.records(person="EVA")] == ["Eva Berg"]
    today = datetime.now().date()
    assert store.audit.records(since=today + timedelta(days=2)) == []
    assert store.audit.records(until=today - timedelta(days=2)) == []


def test_the_csv_export_is_inert_and_excel_ready(store: Lartrappan, org: tuple[int, int]) -> None:
    store.checklist.set_note(Actor("=HYPERLINK(1)"), org[1], P1, "=cmd")
    data = store.audit.export_csv()
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "at,actor,email,action,unit_id,unit,before,after"
    assert "'=HYPERLINK(1)" in text
    assert "Norrby kommun > Hemtjänst" in text


def test_prune_removes_only_older_records_and_is_itself_recorded(
    store: Lartrappan, org: tuple[int, int]
) -> None:
    with store.db.write() as conn:
        audit_log.append(
            conn,
            at=datetime(2020, 1, 1),
            actor="Gammal",
            email="",
            action="state.status",
            unit_id=org[1],
            before=None,
            after=None,
        )
    kept = len(store.audit.records())
    assert store.audit.prune(SYSTEM, None) == 0  # the default: keep everything
    assert store.audit.prune(SYSTEM, 365) == 1
    records = store.audit.records()
    assert len(records) == kept  # one gone, the pruning recorded
    assert records[0].action == "audit.prune"
    with pytest.raises(ValidationError):
        store.audit.prune(SYSTEM, 0)


# ---------------------------------------------------------------------------- GDPR


def test_extract_holds_everything_stored_about_a_person(
    store: Lartrappan, org: tuple[int, int]
) -> None:
    store.people.grant(SYSTEM, "eva@norrby.se", "editor", org[1])
    eva = store.people.sign_in(Identity(ISSUER, "sub-1", "eva@norrby.se", "Eva Berg"))
    store.checklist.set_status(eva, org[1], P1, Status.DONE)
    store.snapshots.save(eva, org[1], saved_by="Eva Berg")
    extract = store.people.extract(None, "eva@norrby.se", ["Eva B."])
    assert extract["person"]["name"] == "Eva Berg"
    assert extract["person"]["subject"] == "sub-1"
    assert [g["role"] for g in extract["roles"]] == ["editor"]
    assert len(extract["authored"]["practice_state"]) == 1
    assert len(extract["authored"]["snapshot"]) == 1
    assert {r["action"] for r in extract["audit"]} >= {"user.bind", "state.status"}
    json.dumps(extract)  # plain data, ready to hand over


def test_erase_pseudonymises_everywhere_and_keeps_the_history(
    store: Lartrappan, org: tuple[int, int]
) -> None:
    store.people.grant(SYSTEM, "eva@norrby.se", "editor", org[1])
    eva = store.people.sign_in(Identity(ISSUER, "sub-1", "eva@norrby.se", "Eva Berg"))
    store.checklist.set_status(eva, org[1], P1, Status.DONE)
    snap = store.snapshots.save(eva, org[1], saved_by="Eva Berg")
    store.checklist.set_note(Actor("Eva B."), org[1], "s1-measure-effect", "Skrivet i rummet")
    pseudonym = store.people.erase(SYSTEM, "eva@norrby.se", ["Eva B."])
    assert pseudonym == "Tidigare användare 1"
    state = store.checklist.state(org[1])
    assert state[P1].updated_by == pseudonym and state[P1].status is Status.DONE
    assert state["s1-measure-effect"].updated_by == pseudonym
    assert store.snapshots.get(snap.id).saved_by == pseudonym
    assert len(store.snapshots.entries(snap.id)) > 0  # the history is intact
    text = store.audit.export_csv().decode("utf-8-sig")
    assert "Eva" not in text and "eva@" not in text
    assert store.audit.records()[0].action == "person.erase"
    assert store.people.grants() == []
    # she no longer signs in as anyone with rights
    assert store.people.sign_in(Identity(ISSUER, "sub-1", "eva@norrby.se", "Eva")).access == Access(
        ()
    )
    # the next erased person gets the next number; an unknown one is refused
    store.checklist.set_note(Actor("Bo"), org[1], P1, "x")
    assert store.people.erase(SYSTEM, "bo@norrby.se", ["Bo"]) == "Tidigare användare 2"
    with pytest.raises(ValidationError) as refused:
        store.people.erase(SYSTEM, "ingen@norrby.se")
    assert problem_key(refused) == "person.unknown"


def test_erase_and_extract_reach_the_plan_steering_and_nulage(
    store: Lartrappan, org: tuple[int, int]
) -> None:
    """Every column that names a person: the plan's owner and author, an evidence link's,
    an assessment's, a target's and a round's, the handbook's authors and an ambassador's
    name, as well as the checklist's and snapshots'."""

    from staircase.domain.assessment import AreaAnswer

    store.people.grant(SYSTEM, "eva@norrby.se", "manager", org[1])
    store.people.grant(SYSTEM, "eva@norrby.se", "editor", org[1])
    eva = store.people.sign_in(Identity(ISSUER, "sub-1", "eva@norrby.se", "Eva Berg"))
    store.plans.set_owner(Actor("Bo"), org[1], P1, "Eva Berg")
    store.plans.set_action(eva, org[1], "s1-measure-effect", "Boka en APT")
    link = store.plans.add_evidence(eva, org[1], P1, "https://intra.norrby.se/a", "Protokoll")
    store.assessments.save(
        eva, org[1], {"a1-learning-organisation": AreaAnswer("done")}, {}, {}, "Eva Berg"
    )
    store.targets.set(eva, org[1], 2, now().date() + timedelta(days=30))
    store.rounds.open(eva, org[1], "Vår", now().date(), now().date() + timedelta(days=9))
    store.handbook.set_vision(eva, org[1], "Vi lär varje dag")
    store.handbook.set_answer(eva, org[1], "first-small-step", "En APT")
    store.handbook.check(eva, org[1], "safe-climate", True)
    store.handbook.add_ambassador(Actor("Bo"), org[1], "Eva Berg", "APT")
    extract = store.people.extract(None, "eva@norrby.se")
    authored = extract["authored"]
    assert {t: len(authored[t]) for t in authored} == {
        "practice_state": 0,
        "snapshot": 0,
        "target": 1,
        "assessment_round": 1,
        "round_answer": 0,
        "plan_item": 2,  # the owner of one, the author of the other
        "evidence": 1,
        "assessment": 1,
        "handbook_answer": 1,
        "handbook_vision": 1,
        "handbook_ambassador": 1,  # named as an ambassador (by Bo)
        "handbook_check": 1,
    }
    pseudonym = store.people.erase(SYSTEM, "eva@norrby.se")
    plan = store.plans.of_unit(org[1])
    assert plan.of(P1).item.owner == pseudonym
    assert plan.of("s1-measure-effect").item.updated_by == pseudonym
    assert [e.added_by for e in plan.of(P1).evidence] == [pseudonym]
    assert store.assessments.of_unit(org[1])[0].saved_by == pseudonym
    handbook = store.handbook.of_unit(org[1])
    assert handbook.vision.saved_by == handbook.ambassadors[0].name == pseudonym
    assert not any(
        rows
        for rows in store.people.extract(None, "eva@norrby.se", ["Eva Berg"])["authored"].values()
    )
    assert link.id == plan.of(P1).evidence[0].id  # the link itself stays
