"""The one door: every public write goes through it, with its actor; nothing else writes."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Connection

from staircase.domain.assessment import AreaAnswer
from staircase.domain.model import PracticeState, Status
from staircase.domain.moments import now
from staircase.domain.records import SnapshotRecord
from staircase.services import Lartrappan
from staircase.services.checklist import Checklist, Seen
from staircase.services.demo import load_demo
from staircase.services.door import Actor, Door, Write
from staircase.services.practices import Practices
from staircase.services.rollup import Rollup
from staircase.services.snapshots import Snapshots
from staircase.services.transfer import Transfer
from staircase.services.units import Units

ANNA = Actor("Anna Lind")
SERVICES = "staircase.services."
P1 = "s1-goal-linked"


class RecordingDoor(Door):
    """A door that remembers every write it let through (a test double for the audit)."""

    writes: list[Write]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.writes = []

    def record(self, conn: Connection, write: Write) -> None:
        super().record(conn, write)
        self.writes.append(write)


@pytest.fixture
def core(db_url: Callable[[str], str]) -> Iterator[Lartrappan]:
    core = Lartrappan(db_url("door"), door=RecordingDoor)
    yield core
    core.close()


def _writes(core: Lartrappan) -> list[Write]:
    assert isinstance(core.door, RecordingDoor)
    return core.door.writes


def _csv(core: Lartrappan) -> bytes:
    return core.transfer.export_csv()


# Every public method that changes data, the action the door must record, and a call.
WRITES: dict[str, tuple[str, Callable[[Lartrappan, dict[str, int]], object]]] = {
    "Units.create": ("unit.create", lambda c, ids: c.units.create(ANNA, "Ny enhet")),
    "Units.rename": ("unit.rename", lambda c, ids: c.units.rename(ANNA, ids["unit"], "Nytt namn")),
    "Units.set_archived": (
        "unit.archive",
        lambda c, ids: c.units.set_archived(ANNA, ids["other"], True),
    ),
    "Practices.add": (
        "practice.add",
        lambda c, ids: c.practices.add(ANNA, 1, "Eget arbetssätt", dimensions=["people"]),
    ),
    "Practices.archive": (
        "practice.archive",
        lambda c, ids: c.practices.archive(
            ANNA, c.practices.add(ANNA, 2, "X", dimensions=["people"]).id
        ),
    ),
    "Checklist.set_status": (
        "state.status",
        lambda c, ids: c.checklist.set_status(ANNA, ids["unit"], P1, Status.DONE),
    ),
    "Checklist.set_note": (
        "state.note",
        lambda c, ids: c.checklist.set_note(ANNA, ids["unit"], P1, "En anteckning"),
    ),
    "Checklist.choose_status": (
        "state.status",
        lambda c, ids: c.checklist.choose_status(
            ANNA, ids["unit"], P1, Status.IN_PROGRESS, Seen(None)
        ),
    ),
    "Checklist.replace": (
        "state.replace",
        lambda c, ids: c.checklist.replace(ANNA, ids["unit"], [PracticeState(P1, Status.DONE)]),
    ),
    "Snapshots.save": ("snapshot.save", lambda c, ids: c.snapshots.save(ANNA, ids["unit"])),
    "Snapshots.delete": (
        "snapshot.delete",
        lambda c, ids: c.snapshots.delete(ANNA, c.snapshots.save(ANNA, ids["unit"]).id),
    ),
    "Transfer.import_records": (
        "snapshot.import",
        lambda c, ids: c.transfer.import_records(
            ANNA,
            [SnapshotRecord(("Importerad",), datetime(2024, 1, 1), "", "", 1, (), (2,), {})],
        ),
    ),
    "Transfer.import_csv": (
        "snapshot.import",
        lambda c, ids: c.transfer.import_csv(ANNA, _csv(c)),
    ),
    "People.grant": ("user.grant", lambda c, ids: c.people.grant(ANNA, "eva@x.se", "admin")),
    "People.revoke": (
        "user.revoke",
        lambda c, ids: (
            c.people.grant(ANNA, "eva@x.se", "viewer", ids["unit"]),
            c.people.revoke(ANNA, "eva@x.se", "viewer", ids["unit"]),
        ),
    ),
    "People.erase": ("person.erase", lambda c, ids: c.people.erase(ANNA, "x@x.se", ["Anna Lind"])),
    "AuditTrail.prune": ("audit.prune", lambda c, ids: c.audit.prune(ANNA, 30)),
    "Targets.set": (
        "target.set",
        lambda c, ids: c.targets.set(ANNA, ids["unit"], 2, now().date() + timedelta(days=30)),
    ),
    "Targets.clear": (
        "target.clear",
        lambda c, ids: c.targets.clear(
            ANNA, c.targets.set(ANNA, ids["unit"], 1, now().date()).unit_id
        ),
    ),
    "Rounds.open": (
        "round.open",
        lambda c, ids: c.rounds.open(ANNA, ids["unit"], "Vår", now().date(), now().date()),
    ),
    "Assessments.save": (
        "assessment.save",
        lambda c, ids: c.assessments.save(
            ANNA, ids["unit"], {"a1-learning-organisation": AreaAnswer("done")}, {}, {}
        ),
    ),
    "Assessments.delete": (
        "assessment.delete",
        lambda c, ids: c.assessments.delete(
            ANNA, c.assessments.save(ANNA, ids["unit"], {}, {"a2-trust": 3}, {}).id
        ),
    ),
    "Assessments.import_csv": (
        "assessment.import",
        lambda c, ids: c.assessments.import_csv(
            ANNA, b"unit_path,taken_at,kind,item_id,value\nNy,2024-01-01,trait,a2-trust,2\n"
        ),
    ),
    "Rounds.close": (
        "round.close",
        lambda c, ids: c.rounds.close(
            ANNA,
            c.units.tree(),
            c.rounds.open(ANNA, ids["unit"], "Vår", now().date(), now().date()).id,
        ),
    ),
    "Plans.set_owner": (
        "plan.owner",
        lambda c, ids: c.plans.set_owner(ANNA, ids["unit"], P1, "Karin Ek"),
    ),
    "Plans.set_due": (
        "plan.due",
        lambda c, ids: c.plans.set_due(ANNA, ids["unit"], P1, date(2027, 3, 31)),
    ),
    "Plans.set_action": (
        "plan.action",
        lambda c, ids: c.plans.set_action(ANNA, ids["unit"], P1, "Boka en APT"),
    ),
    "Plans.add_evidence": (
        "plan.evidence_add",
        lambda c, ids: c.plans.add_evidence(ANNA, ids["unit"], P1, "https://x.se", "Protokoll"),
    ),
    "Plans.remove_evidence": (
        "plan.evidence_remove",
        lambda c, ids: c.plans.remove_evidence(
            ANNA, c.plans.add_evidence(ANNA, ids["unit"], P1, "https://x.se", "Protokoll").id
        ),
    ),
    "Plans.import_csv": (
        "plan.import",
        lambda c, ids: c.plans.import_csv(
            ANNA, f"unit_path,practice_id,owner\nHemtjänst Norr,{P1},Karin Ek\n".encode()
        ),
    ),
    "Handbooks.set_vision": (
        "handbook.vision",
        lambda c, ids: c.handbook.set_vision(ANNA, ids["unit"], "Vi lär varje dag"),
    ),
    "Handbooks.set_answer": (
        "handbook.answer",
        lambda c, ids: c.handbook.set_answer(ANNA, ids["unit"], "first-small-step", "En APT"),
    ),
    "Handbooks.add_ambassador": (
        "handbook.ambassador_add",
        lambda c, ids: c.handbook.add_ambassador(ANNA, ids["unit"], "Karin Ek", "APT"),
    ),
    "Handbooks.edit_ambassador": (
        "handbook.ambassador_edit",
        lambda c, ids: c.handbook.edit_ambassador(
            ANNA, c.handbook.add_ambassador(ANNA, ids["unit"], "Karin").id, "Karin Ek", "APT"
        ),
    ),
    "Handbooks.remove_ambassador": (
        "handbook.ambassador_remove",
        lambda c, ids: c.handbook.remove_ambassador(
            ANNA, c.handbook.add_ambassador(ANNA, ids["unit"], "Karin").id
        ),
    ),
    "Handbooks.check": (
        "handbook.check",
        lambda c, ids: c.handbook.check(ANNA, ids["unit"], "follow-up-learning", True),
    ),
}
SIGN_IN = {"People.sign_in"}
"""Writes only at a person's first login (binding them): tested in tests/test_access.py."""
READS = {
    "Units.tree", "Units.tree_in", "Units.any",
    "Practices.catalogue", "Practices.catalogue_in", "Practices.active_ids", "Practices.known_ids",
    "Checklist.state", "Checklist.score", "Checklist.of_unit",
    "Snapshots.of_unit", "Snapshots.get", "Snapshots.entries", "Snapshots.history",
    "Snapshots.overview",
    "Transfer.export", "Transfer.write_csv", "Transfer.export_csv", "Transfer.export_filename",
    "Transfer.export_rows", "Transfer.write_zip", "Transfer.download", "Transfer.export_size",
    "Transfer.prepare_download",
    "Rollup.of_unit", "Rollup.over_time", "Rollup.movers", "Rollup.expected",
    "Rollup.scores",
    "Progress.of_unit", "Progress.overview", "Progress.comparison",
    "Progress.compared_by_default",
    "Targets.of_unit", "Targets.history", "Targets.progress", "Reports.build",
    "Rounds.get", "Rounds.of_unit", "Rounds.open_for", "Rounds.status",
    "People.grants", "People.extract", "AuditTrail.records", "AuditTrail.export_csv",
    "Plans.of_unit", "Plans.open_actions", "Plans.overdue", "Plans.export_csv",
    "Plans.write_csv", "Plans.export_filename",
    "Assessments.of_unit", "Assessments.get", "Assessments.latest", "Assessments.history",
    "Assessments.distribution", "Assessments.write_csv", "Assessments.export_csv",
    "Handbooks.of_unit", "Handbooks.document",
}  # fmt: skip


def test_every_public_service_method_is_classified_as_a_read_or_a_write() -> None:
    """A new public method must be added to WRITES (and so tested below) or to READS."""
    core = Lartrappan("sqlite://")
    services = {
        type(v)
        for v in vars(core).values()
        if type(v).__module__.startswith(SERVICES) and not isinstance(v, Door)
    }
    core.close()
    assert {Units, Practices, Checklist, Snapshots, Transfer, Rollup} <= services
    found = {
        f"{cls.__name__}.{name}"
        for cls in services
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }
    assert found - WRITES.keys() - READS - SIGN_IN == set()
    assert (WRITES.keys() | READS | SIGN_IN) - found == set(), "stale names in the lists"


@pytest.mark.parametrize("method", sorted(WRITES))
def test_every_write_passes_the_door_with_its_actor(core: Lartrappan, method: str) -> None:
    unit = core.units.create(ANNA, "Hemtjänst Norr")
    other = core.units.create(ANNA, "Skola")
    core.checklist.set_status(ANNA, unit.id, P1, Status.IN_PROGRESS)
    core.snapshots.save(ANNA, unit.id, taken_at=datetime(2024, 1, 1, 9, 0))
    before = len(_writes(core))
    action, call = WRITES[method]
    call(core, {"unit": unit.id, "other": other.id})
    made = _writes(core)[before:]
    assert made, f"{method} wrote without passing the door"
    assert (made[-1].action, made[-1].actor) == (action, ANNA)
    assert all(w.actor == ANNA for w in made)


def test_a_refused_write_leaves_no_record(core: Lartrappan) -> None:
    with pytest.raises(ValueError):
        core.units.create(ANNA, "   ")
    assert _writes(core) == []


def test_the_door_refuses_an_actor_it_cannot_record(core: Lartrappan) -> None:
    """The acting name is checked on every write, not only where a form asks for it."""
    for bad in (Actor("x" * 81), Actor("Anna\x00")):
        with pytest.raises(ValueError) as err:
            core.units.create(bad, "Hemtjänst")
        assert err.value.problems[0].key in ("person.too_long", "person.control_char")  # type: ignore[attr-defined]
    assert not core.units.any()


def test_the_demo_writes_through_the_door(core: Lartrappan) -> None:
    load_demo(core)
    actions = {w.action for w in _writes(core)}
    assert {"snapshot.import", "state.replace"} <= actions
