"""Who may do what, checked in the service layer: every public read and write called
directly as each role, on a unit in the role's scope and on one outside it.

The table `PERMISSIONS` has one line per public service method: the right it needs, where
(on the unit it is called for, on the whole database, or anywhere at all) and a call.
`test_every_public_service_method_has_a_permission` fails when a method is missing, so a
new read or write is one line here.
"""

from __future__ import annotations

import inspect
import io
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import pytest
from sqlalchemy import func, select

from staircase.csv.format import CsvVariant
from staircase.domain.access import (
    ACTIONS,
    RIGHTS,
    Access,
    Grant,
    PermissionDenied,
    Right,
    Role,
    visible_tree,
)
from staircase.domain.assessment import AreaAnswer
from staircase.domain.model import PracticeState, Status, Unit, ValidationError
from staircase.domain.moments import now
from staircase.domain.units import UnitTree
from staircase.services import Lartrappan
from staircase.services.assessments import Assessments
from staircase.services.audit import AuditTrail
from staircase.services.checklist import Checklist, Seen
from staircase.services.door import SYSTEM, Actor
from staircase.services.handbook import Handbooks
from staircase.services.people import People
from staircase.services.plans import Plans
from staircase.services.practices import Practices
from staircase.services.progress import Progress
from staircase.services.reports import Reports
from staircase.services.rollup import Rollup
from staircase.services.snapshots import Snapshots
from staircase.services.steering import Rounds, Targets
from staircase.services.transfer import Transfer
from staircase.services.units import Units
from staircase.storage.schema import metadata

P1 = "s1-goal-linked"
A1 = "a1-learning-organisation"
HQ = "learning-at-every-level"
SERVICES = (
    Units, Practices, Checklist, Snapshots, Transfer, Rollup, Progress, People, AuditTrail,
    Targets, Rounds, Reports, Plans, Assessments, Handbooks,
)  # fmt: skip
ROLES = ("admin", "manager", "editor", "viewer", "none")
ADMIN = Actor("Admin", "admin@norrby.se", Access((Grant(Role.ADMIN),)))
"""Sets up and looks on in login mode (where SYSTEM, the command line's actor, is refused)."""


@dataclass(frozen=True)
class Ids:
    home: int
    """The unit the scoped roles are granted on ("Vård och omsorg")."""
    target: int
    """The unit a call is made for: in scope ("Hemtjänst", under home) or not ("Skola")."""
    snapshot: int
    """A snapshot of the target."""
    custom: str
    """An own practice (to archive)."""
    round: int
    """An open round on the target."""
    evidence: int
    """An evidence link on the target's plan (of P1)."""
    assessment: int
    """A current-state assessment of the target."""
    ambassador: int
    """An ambassador in the target's handbook."""


Call = Callable[[Lartrappan, Ids, Actor], object]
Where = Literal["unit", "database", "anywhere"]


@dataclass(frozen=True)
class Permission:
    right: Right
    where: Where
    """unit: the right on the unit called for; database: on the whole database (a grant
    without a unit); anywhere: the right on some unit (the catalogue)."""
    call: Call


def _tree(c: Lartrappan) -> UnitTree:
    return c.units.tree(actor=ADMIN)


def _csv_of(c: Lartrappan, ids: Ids) -> bytes:
    return c.transfer.export_csv([ids.target], actor=ADMIN)


def _export(c: Lartrappan, ids: Ids, a: Actor) -> int:
    with c.transfer.export([ids.target], actor=a) as export:
        return sum(len(b.rows) for b in export.batches)


R, X, E, M, A = Right.READ, Right.EXPORT, Right.EDIT, Right.MANAGE, Right.ADMIN
PERMISSIONS: dict[str, Permission] = {
    "Units.any": Permission(R, "anywhere", lambda c, i, a: c.units.any(actor=a)),
    "Units.create": Permission(A, "unit", lambda c, i, a: c.units.create(a, "Ny", i.target)),
    "Units.rename": Permission(A, "unit", lambda c, i, a: c.units.rename(a, i.target, "Nytt")),
    "Units.set_archived": Permission(
        A, "unit", lambda c, i, a: c.units.set_archived(a, i.target, True)
    ),
    "Practices.catalogue": Permission(
        R, "anywhere", lambda c, i, a: c.practices.catalogue(actor=a)
    ),
    "Practices.add": Permission(
        A, "database", lambda c, i, a: c.practices.add(a, 1, "Eget", dimensions=["people"])
    ),
    "Practices.archive": Permission(
        A, "database", lambda c, i, a: c.practices.archive(a, i.custom)
    ),
    "Checklist.state": Permission(R, "unit", lambda c, i, a: c.checklist.state(i.target, actor=a)),
    "Checklist.of_unit": Permission(
        R, "unit", lambda c, i, a: c.checklist.of_unit(i.target, actor=a)
    ),
    "Checklist.score": Permission(R, "unit", lambda c, i, a: c.checklist.score(i.target, actor=a)),
    "Checklist.set_status": Permission(
        E, "unit", lambda c, i, a: c.checklist.set_status(a, i.target, P1, Status.DONE)
    ),
    "Checklist.set_note": Permission(
        E, "unit", lambda c, i, a: c.checklist.set_note(a, i.target, P1, "Anteckning")
    ),
    "Checklist.choose_status": Permission(
        E,
        "unit",
        lambda c, i, a: c.checklist.choose_status(a, i.target, P1, Status.DONE, Seen(None)),
    ),
    "Checklist.replace": Permission(
        E,
        "unit",
        lambda c, i, a: c.checklist.replace(a, i.target, [PracticeState(P1, Status.DONE)]),
    ),
    "Snapshots.save": Permission(E, "unit", lambda c, i, a: c.snapshots.save(a, i.target)),
    "Snapshots.delete": Permission(E, "unit", lambda c, i, a: c.snapshots.delete(a, i.snapshot)),
    "Snapshots.of_unit": Permission(
        R, "unit", lambda c, i, a: c.snapshots.of_unit(i.target, actor=a)
    ),
    "Snapshots.get": Permission(R, "unit", lambda c, i, a: c.snapshots.get(i.snapshot, actor=a)),
    "Snapshots.entries": Permission(
        R, "unit", lambda c, i, a: c.snapshots.entries(i.snapshot, actor=a)
    ),
    "Snapshots.history": Permission(
        R, "unit", lambda c, i, a: c.snapshots.history([i.target], actor=a)
    ),
    "Snapshots.overview": Permission(
        R, "unit", lambda c, i, a: c.snapshots.overview([i.target], actor=a)
    ),
    "Transfer.export": Permission(X, "unit", lambda c, i, a: _export(c, i, a)),
    "Transfer.write_csv": Permission(
        X, "unit", lambda c, i, a: c.transfer.write_csv(io.BytesIO(), [i.target], actor=a)
    ),
    "Transfer.export_csv": Permission(
        X, "unit", lambda c, i, a: c.transfer.export_csv([i.target], actor=a)
    ),
    "Transfer.export_rows": Permission(
        X, "unit", lambda c, i, a: list(c.transfer.export_rows([i.target], actor=a))
    ),
    "Transfer.import_csv": Permission(
        E, "unit", lambda c, i, a: c.transfer.import_csv(a, _csv_of(c, i))
    ),
    "Transfer.import_records": Permission(
        E,
        "unit",
        lambda c, i, a: c.transfer.import_records(a, [r for r in _records(c, i)]),
    ),
    "Rollup.of_unit": Permission(
        R, "unit", lambda c, i, a: c.rollup.of_unit(_tree(c), i.target, actor=a)
    ),
    "Rollup.over_time": Permission(
        R, "unit", lambda c, i, a: c.rollup.over_time(_tree(c), i.target, actor=a)
    ),
    "Rollup.movers": Permission(
        R, "unit", lambda c, i, a: c.rollup.movers(_tree(c), i.target, actor=a)
    ),
    "Progress.of_unit": Permission(
        R, "unit", lambda c, i, a: c.progress.of_unit(i.target, actor=a)
    ),
    "Progress.overview": Permission(
        R, "unit", lambda c, i, a: c.progress.overview(_tree(c), i.target, actor=a)
    ),
    "Progress.compared_by_default": Permission(
        R,
        "unit",
        lambda c, i, a: c.progress.compared_by_default(
            _tree(c), c.progress.of_unit(i.target, actor=ADMIN), actor=a
        ),
    ),
    "Progress.comparison": Permission(
        R,
        "unit",
        lambda c, i, a: c.progress.comparison(
            c.progress.of_unit(i.home, actor=ADMIN), [i.home, i.target], actor=a
        ),
    ),
    "Rollup.scores": Permission(
        R, "unit", lambda c, i, a: c.rollup.scores(_tree(c), i.target, actor=a)
    ),
    "Rollup.expected": Permission(
        R, "unit", lambda c, i, a: c.rollup.expected(_tree(c), i.target, actor=a)
    ),
    "Targets.set": Permission(
        M, "unit", lambda c, i, a: c.targets.set(a, i.target, 3, now().date() + timedelta(days=9))
    ),
    "Targets.clear": Permission(M, "unit", lambda c, i, a: c.targets.clear(a, i.target)),
    "Targets.of_unit": Permission(
        R, "unit", lambda c, i, a: c.targets.of_unit(_tree(c), i.target, actor=a)
    ),
    "Targets.history": Permission(
        R, "unit", lambda c, i, a: c.targets.history(_tree(c), i.target, actor=a)
    ),
    "Targets.progress": Permission(
        R, "unit", lambda c, i, a: c.targets.progress(_tree(c), i.target, actor=a)
    ),
    "Rounds.open": Permission(
        M,
        "unit",
        lambda c, i, a: c.rounds.open(
            a, i.target, "Höst", now().date(), now().date() + timedelta(days=9)
        ),
    ),
    "Rounds.close": Permission(M, "unit", lambda c, i, a: c.rounds.close(a, _tree(c), i.round)),
    "Rounds.get": Permission(R, "unit", lambda c, i, a: c.rounds.get(i.round, actor=a)),
    "Rounds.of_unit": Permission(
        R, "unit", lambda c, i, a: c.rounds.of_unit(_tree(c), i.target, actor=a)
    ),
    "Rounds.open_for": Permission(
        R, "unit", lambda c, i, a: c.rounds.open_for(_tree(c), i.target, actor=a)
    ),
    "Rounds.status": Permission(
        R, "unit", lambda c, i, a: c.rounds.status(_tree(c), i.round, actor=a)
    ),
    "Reports.build": Permission(
        X, "unit", lambda c, i, a: c.reports.build(_tree(c), i.target, actor=a)
    ),
    "Plans.of_unit": Permission(R, "unit", lambda c, i, a: c.plans.of_unit(i.target, actor=a)),
    "Plans.open_actions": Permission(
        R, "unit", lambda c, i, a: c.plans.open_actions(i.target, actor=a)
    ),
    "Plans.overdue": Permission(R, "unit", lambda c, i, a: c.plans.overdue(i.target, actor=a)),
    "Plans.export_csv": Permission(
        X, "unit", lambda c, i, a: c.plans.export_csv([i.target], actor=a)
    ),
    "Plans.write_csv": Permission(
        X, "unit", lambda c, i, a: c.plans.write_csv(io.BytesIO(), [i.target], actor=a)
    ),
    "Plans.set_owner": Permission(
        E, "unit", lambda c, i, a: c.plans.set_owner(a, i.target, P1, "Karin Ek")
    ),
    "Plans.set_due": Permission(
        E, "unit", lambda c, i, a: c.plans.set_due(a, i.target, P1, date(2027, 3, 31))
    ),
    "Plans.set_action": Permission(
        E, "unit", lambda c, i, a: c.plans.set_action(a, i.target, P1, "Boka en APT")
    ),
    "Plans.add_evidence": Permission(
        E,
        "unit",
        lambda c, i, a: c.plans.add_evidence(a, i.target, P1, "https://x.se/p", "Protokoll"),
    ),
    "Plans.remove_evidence": Permission(
        E, "unit", lambda c, i, a: c.plans.remove_evidence(a, i.evidence)
    ),
    "Plans.import_csv": Permission(
        E,
        "unit",
        lambda c, i, a: c.plans.import_csv(
            a, c.plans.export_csv([i.target], actor=ADMIN).replace(b"Karin", b"Olle")
        ),
    ),
    "Assessments.save": Permission(
        E,
        "unit",
        lambda c, i, a: c.assessments.save(a, i.target, {A1: AreaAnswer("done")}, {}, {}),
    ),
    "Assessments.delete": Permission(
        E, "unit", lambda c, i, a: c.assessments.delete(a, i.assessment)
    ),
    "Assessments.import_csv": Permission(
        E,
        "unit",
        lambda c, i, a: c.assessments.import_csv(a, _assessments_of(c, i)),
    ),
    "Assessments.of_unit": Permission(
        R, "unit", lambda c, i, a: c.assessments.of_unit(i.target, actor=a)
    ),
    "Assessments.get": Permission(
        R, "unit", lambda c, i, a: c.assessments.get(i.assessment, actor=a)
    ),
    "Assessments.latest": Permission(
        R, "unit", lambda c, i, a: c.assessments.latest([i.target], actor=a)
    ),
    "Assessments.history": Permission(
        R, "unit", lambda c, i, a: c.assessments.history([i.target], actor=a)
    ),
    "Assessments.distribution": Permission(
        R, "unit", lambda c, i, a: c.assessments.distribution(_tree(c), i.target, actor=a)
    ),
    "Assessments.export_csv": Permission(
        X, "unit", lambda c, i, a: c.assessments.export_csv([i.target], actor=a)
    ),
    "Assessments.write_csv": Permission(
        X, "unit", lambda c, i, a: c.assessments.write_csv(io.BytesIO(), [i.target], actor=a)
    ),
    "Handbooks.of_unit": Permission(
        R, "unit", lambda c, i, a: c.handbook.of_unit(i.target, actor=a)
    ),
    "Handbooks.document": Permission(
        R, "unit", lambda c, i, a: c.handbook.document(_tree(c), i.target, actor=a)
    ),
    "Handbooks.set_vision": Permission(
        E, "unit", lambda c, i, a: c.handbook.set_vision(a, i.target, "Vi lär varje dag")
    ),
    "Handbooks.set_answer": Permission(
        E, "unit", lambda c, i, a: c.handbook.set_answer(a, i.target, HQ, "Varje månad")
    ),
    "Handbooks.add_ambassador": Permission(
        E, "unit", lambda c, i, a: c.handbook.add_ambassador(a, i.target, "Olle Berg", "APT")
    ),
    "Handbooks.edit_ambassador": Permission(
        E, "unit", lambda c, i, a: c.handbook.edit_ambassador(a, i.ambassador, "Karin Ek", "Ny")
    ),
    "Handbooks.remove_ambassador": Permission(
        E, "unit", lambda c, i, a: c.handbook.remove_ambassador(a, i.ambassador)
    ),
    "Handbooks.check": Permission(
        E, "unit", lambda c, i, a: c.handbook.check(a, i.target, "safe-climate", True)
    ),
    "Transfer.write_zip": Permission(
        X,
        "unit",
        lambda c, i, a: c.transfer.write_zip(io.BytesIO(), "a.csv", [i.target], actor=a),
    ),
    "Transfer.download": Permission(
        X,
        "unit",
        lambda c, i, a: c.transfer.download(
            [i.target], CsvVariant.PLAIN, "sv", zipped=True, member="a.csv", actor=a
        ),
    ),
    "Transfer.prepare_download": Permission(
        X,
        "unit",
        lambda c, i, a: c.transfer.prepare_download(
            [i.target], CsvVariant.PLAIN, "sv", zipped=False, member="a.csv", actor=a
        ).close(),
    ),
    "Transfer.export_size": Permission(
        X, "unit", lambda c, i, a: c.transfer.export_size([i.target], actor=a)
    ),
    "People.grants": Permission(A, "database", lambda c, i, a: c.people.grants(actor=a)),
    "People.grant": Permission(
        A, "database", lambda c, i, a: c.people.grant(a, "ny@norrby.se", "viewer", i.target)
    ),
    "People.revoke": Permission(
        A, "database", lambda c, i, a: c.people.revoke(a, "gammal@norrby.se", "viewer", i.target)
    ),
    "People.extract": Permission(
        A, "database", lambda c, i, a: c.people.extract(a, "gammal@norrby.se")
    ),
    "People.erase": Permission(
        A, "database", lambda c, i, a: c.people.erase(a, "gammal@norrby.se")
    ),
    "AuditTrail.records": Permission(A, "database", lambda c, i, a: c.audit.records(a)),
    "AuditTrail.export_csv": Permission(A, "database", lambda c, i, a: c.audit.export_csv(a)),
    "AuditTrail.prune": Permission(A, "database", lambda c, i, a: c.audit.prune(a, 30)),
}
NOT_IN_THE_TABLE = {
    "Units.tree": "returns only the scope: test_the_tree_holds_only_the_scope",
    "Units.tree_in": "takes the caller's connection: only services call it, after their check",
    "Practices.catalogue_in": "takes the caller's connection (as tree_in)",
    "Practices.active_ids": "takes the caller's connection (as tree_in)",
    "Practices.known_ids": "takes the caller's connection (as tree_in)",
    "Transfer.export_filename": "reads nothing: names a file after a tree the caller holds",
    "Plans.export_filename": "reads nothing: names a file after a label the caller holds",
    "People.sign_in": "the person's own login: test_sign_in_binds_the_grant_at_the_first_login",
}


def _assessments_of(c: Lartrappan, ids: Ids) -> bytes:
    """The target's assessments as a file, with one more (a day earlier) to import."""
    data = c.assessments.export_csv([ids.target], actor=ADMIN).decode("utf-8")
    head, *rows = data.splitlines(keepends=True)
    return (
        head + "".join(rows) + "".join(r.replace("2024-01-02", "2024-01-01") for r in rows)
    ).encode()


def _records(c: Lartrappan, ids: Ids) -> list[Any]:
    from staircase.csv import reader

    catalogue = c.practices.catalogue(include_archived=True, actor=ADMIN)
    return list(reader.parse_csv(_csv_of(c, ids), catalogue, catalogue.practice_ids))


def _public(cls: type) -> set[str]:
    return {
        f"{cls.__name__}.{name}"
        for name, _ in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
    }


def test_every_public_service_method_has_a_permission() -> None:
    """A new public read or write needs its line in PERMISSIONS (or a reason why not)."""
    core = Lartrappan("sqlite://")
    on_core = {
        type(v)
        for v in vars(core).values()
        if type(v).__module__.startswith("staircase.services.")
        and not type(v).__module__.endswith(".door")
    }
    core.close()
    assert on_core <= set(SERVICES), "a service on the core is missing from SERVICES"
    found = set().union(*(_public(cls) for cls in SERVICES))
    assert found - PERMISSIONS.keys() - NOT_IN_THE_TABLE.keys() == set()
    assert (PERMISSIONS.keys() | NOT_IN_THE_TABLE.keys()) - found == set(), "stale names"


# ---------------------------------------------------------------------------- the world


@dataclass(frozen=True)
class World:
    file: Path
    home: int
    inside: int
    outside: int
    snapshots: dict[int, int]
    custom: str
    rounds: dict[int, int]
    evidence: dict[int, int]
    assessments: dict[int, int]
    ambassadors: dict[int, int]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    """Norrby kommun > Vård och omsorg > Hemtjänst, and Norrby kommun > Skola; a snapshot
    of each of the two, an own practice, a viewer grant for gammal@ on both."""
    file = tmp_path_factory.mktemp("access") / "world.db"
    core = Lartrappan(f"sqlite:///{file}")
    try:
        root = core.units.create(SYSTEM, "Norrby kommun")
        home = core.units.create(SYSTEM, "Vård och omsorg", root.id)
        inside = core.units.create(SYSTEM, "Hemtjänst", home.id)
        outside = core.units.create(SYSTEM, "Skola", root.id)
        snaps, rounds, links, assessed, ambassadors = {}, {}, {}, {}, {}
        for unit in (inside, outside):
            core.targets.set(SYSTEM, unit.id, 2, now().date() + timedelta(days=30))
            rounds[unit.id] = core.rounds.open(
                SYSTEM, unit.id, "Vår", now().date(), now().date() + timedelta(days=30)
            ).id
            core.checklist.set_status(SYSTEM, unit.id, P1, Status.IN_PROGRESS)
            snaps[unit.id] = core.snapshots.save(SYSTEM, unit.id, taken_at=datetime(2024, 1, 1)).id
            core.people.grant(SYSTEM, "gammal@norrby.se", "viewer", unit.id)
            core.plans.set_owner(SYSTEM, unit.id, P1, "Karin Ek")
            links[unit.id] = core.plans.add_evidence(
                SYSTEM, unit.id, P1, "https://intra.norrby.se/apt", "APT-protokoll"
            ).id
            assessed[unit.id] = core.assessments.save(
                SYSTEM,
                unit.id,
                {A1: AreaAnswer("in_progress")},
                {},
                {},
                taken_at=datetime(2024, 1, 2),
            ).id
            ambassadors[unit.id] = core.handbook.add_ambassador(
                SYSTEM, unit.id, "Karin Ek", "APT-reflektion"
            ).id
        custom = core.practices.add(SYSTEM, 2, "Vårt eget", dimensions=["people"]).id
    finally:
        core.close()
    return World(
        file, home.id, inside.id, outside.id, snaps, custom, rounds, links, assessed, ambassadors
    )


@pytest.fixture
def core(world: World, tmp_path: Path) -> Iterator[Lartrappan]:
    copy = tmp_path / "copy.db"
    shutil.copy(world.file, copy)
    core = Lartrappan(f"sqlite:///{copy}", login=True)
    yield core
    core.close()


def actor_of(role: str, world: World) -> Actor:
    if role == "none":
        return Actor("Utan Roll", "utan@norrby.se", Access(()))
    unit = None if role == "admin" else world.home
    return Actor(f"Anna {role}", f"{role}@norrby.se", Access((Grant(Role(role), unit),)))


def expected(role: str, in_scope: bool, permission: Permission) -> bool:
    if role == "none" or permission.right not in RIGHTS[Role(role)]:
        return False
    if permission.where == "anywhere" or role == "admin":
        return True
    return permission.where == "unit" and in_scope


def row_counts(core: Lartrappan) -> dict[str, int]:
    with core.db.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
        }


@pytest.mark.parametrize("in_scope", [True, False], ids=["in-scope", "out-of-scope"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", sorted(PERMISSIONS))
def test_the_permission_table(
    core: Lartrappan, world: World, method: str, role: str, in_scope: bool
) -> None:
    permission = PERMISSIONS[method]
    target = world.inside if in_scope else world.outside
    ids = Ids(
        world.home,
        target,
        world.snapshots[target],
        world.custom,
        world.rounds[target],
        world.evidence[target],
        world.assessments[target],
        world.ambassadors[target],
    )
    actor = actor_of(role, world)
    before = row_counts(core)
    if expected(role, in_scope, permission):
        permission.call(core, ids, actor)  # no PermissionDenied
    else:
        with pytest.raises(PermissionDenied):
            permission.call(core, ids, actor)
        assert row_counts(core) == before, "a refused call changed something"


# ---------------------------------------------------------------------------- the rules


def test_every_action_needs_a_right_and_an_unknown_action_is_refused(
    core: Lartrappan, world: World
) -> None:
    assert all(isinstance(r, Right) for r in ACTIONS.values())
    with pytest.raises(LookupError, match="declares no right"), core.door.write(ADMIN, "x.new"):
        pass


def test_login_mode_refuses_a_read_or_write_without_a_signed_in_actor(
    core: Lartrappan, world: World
) -> None:
    with pytest.raises(PermissionDenied):
        core.checklist.state(world.inside)  # no actor
    with pytest.raises(PermissionDenied):
        core.checklist.set_status(Actor("Typed name"), world.inside, P1, Status.DONE)
    admin = actor_of("admin", world)
    assert core.checklist.state(world.inside, actor=admin)[P1].status is Status.IN_PROGRESS


def test_the_embedded_mode_reads_without_an_actor(world: World, tmp_path: Path) -> None:
    copy = tmp_path / "embedded.db"
    shutil.copy(world.file, copy)
    embedded = Lartrappan(f"sqlite:///{copy}")
    try:
        assert embedded.checklist.state(world.outside)[P1].status is Status.IN_PROGRESS
        embedded.checklist.set_status(Actor("Typed name"), world.outside, P1, Status.DONE)
    finally:
        embedded.close()


def test_the_tree_holds_only_the_scope(core: Lartrappan, world: World) -> None:
    editor = actor_of("editor", world)
    tree = core.units.tree(actor=editor)
    assert set(tree.units) == {world.home, world.inside}
    assert tree.label(world.inside) == "Vård och omsorg > Hemtjänst"  # nothing above shows
    assert [u.id for u in tree.roots()] == [world.home]
    assert core.units.tree(actor=actor_of("none", world)).units == {}
    assert len(core.units.tree(actor=actor_of("admin", world)).units) == 4


def test_a_grant_covers_the_unit_and_everything_under_it() -> None:
    tree = UnitTree(
        {
            1: Unit(1, "Kommun", None),
            2: Unit(2, "Vård", 1),
            3: Unit(3, "Hemtjänst", 2),
            4: Unit(4, "Skola", 1),
        }
    )
    access = Access((Grant(Role.EDITOR, 2),))
    assert [access.may(Right.EDIT, u, tree) for u in (1, 2, 3, 4)] == [False, True, True, False]
    assert access.may(Right.EDIT, None, tree) is False
    assert access.may(Right.EXPORT, 3, tree) is False
    assert access.scope(Right.READ, tree) == {2, 3}
    assert Access((Grant(Role.ADMIN),)).scope(Right.READ, tree) is None
    assert set(visible_tree(tree, {3}).units) == {3}
    assert visible_tree(tree, {3}).units[3].parent_id is None


def test_an_export_without_units_holds_only_the_scope(core: Lartrappan, world: World) -> None:
    manager = actor_of("manager", world)
    rows = list(core.transfer.export_rows(actor=manager))
    assert rows and {r["unit_path"] for r in rows} == {
        "Norrby kommun > Vård och omsorg > Hemtjänst"
    }
    assert len(list(core.transfer.export_rows(actor=actor_of("admin", world)))) == 2 * len(rows)
    with pytest.raises(PermissionDenied):  # an editor may not export at all
        core.transfer.export_csv(actor=actor_of("editor", world))


def test_an_import_touching_a_unit_outside_the_scope_is_refused_whole(
    core: Lartrappan, world: World
) -> None:
    editor = actor_of("editor", world)
    both = core.transfer.export_csv([world.inside, world.outside], actor=ADMIN)
    inside = core.transfer.export_csv([world.inside], actor=ADMIN)
    core.snapshots.delete(ADMIN, world.snapshots[world.inside])
    before = row_counts(core)
    with pytest.raises(PermissionDenied) as refused:
        core.transfer.import_csv(editor, both)
    assert refused.value.problems[0].params["unit"] == "Norrby kommun > Skola"
    assert row_counts(core) == before
    assert core.transfer.import_csv(editor, inside).snapshots_created == 1  # the scope only


def test_an_import_creating_a_unit_needs_an_admin(core: Lartrappan, world: World) -> None:
    editor = actor_of("editor", world)
    data = core.transfer.export_csv([world.inside], actor=ADMIN).replace(
        b"> Hemtj\xc3\xa4nst", b"> Nyenheten"
    )
    with pytest.raises(PermissionDenied):
        core.transfer.import_csv(editor, data)
    assert core.transfer.import_csv(actor_of("admin", world), data).units_created == 1


def test_a_refused_write_says_what_and_where(core: Lartrappan, world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        core.checklist.set_status(actor_of("viewer", world), world.inside, P1, Status.DONE)
    problem = refused.value.problems[0]
    assert problem.key == "access.denied_unit"
    assert problem.params["unit"] == "Norrby kommun > Vård och omsorg > Hemtjänst"


def test_plan_and_assessment_exports_without_units_hold_only_the_scope(
    core: Lartrappan, world: World
) -> None:
    manager, admin = actor_of("manager", world), actor_of("admin", world)
    plan = core.plans.export_csv(actor=manager).decode("utf-8")
    assert "Hemtjänst" in plan and "Skola" not in plan
    assert "Skola" in core.plans.export_csv(actor=admin).decode("utf-8")
    assessed = core.assessments.export_csv(actor=manager).decode("utf-8")
    assert "Hemtjänst" in assessed and "Skola" not in assessed
    assert "Skola" in core.assessments.export_csv(actor=admin).decode("utf-8")
    size, everything = (
        core.transfer.export_size(actor=manager),
        core.transfer.export_size(actor=admin),
    )
    assert 0 < size.rows < everything.rows
    for export in (core.plans.export_csv, core.assessments.export_csv):
        with pytest.raises(PermissionDenied):  # an editor may not export at all
            export(actor=actor_of("editor", world))


def test_a_plan_import_touching_a_unit_outside_the_scope_is_refused_whole(
    core: Lartrappan, world: World
) -> None:
    editor = actor_of("editor", world)
    both = core.plans.export_csv([world.inside, world.outside], actor=ADMIN)
    inside = core.plans.export_csv([world.inside], actor=ADMIN)
    before = row_counts(core)
    with pytest.raises(PermissionDenied) as refused:
        core.plans.import_csv(editor, both.replace(b"Karin Ek", b"Olle Ek"))
    assert refused.value.problems[0].params["unit"] == "Norrby kommun > Skola"
    assert row_counts(core) == before
    assert core.plans.import_csv(editor, inside.replace(b"Karin Ek", b"Olle Ek")).changed == 1
    assert core.plans.of_unit(world.inside, actor=editor).of(P1).item.owner == "Olle Ek"
    assert core.audit.records(ADMIN)[0].action == "plan.import"


def test_an_assessment_import_outside_the_scope_or_creating_a_unit_is_refused(
    core: Lartrappan, world: World
) -> None:
    editor = actor_of("editor", world)
    both = core.assessments.export_csv([world.inside, world.outside], actor=ADMIN)
    earlier = both.replace(b"2024-01-02", b"2024-01-01")
    before = row_counts(core)
    with pytest.raises(PermissionDenied) as refused:
        core.assessments.import_csv(editor, earlier)
    assert refused.value.problems[0].params["unit"] == "Norrby kommun > Skola"
    new_unit = earlier.replace("> Hemtjänst".encode(), b"> Nyenheten")
    with pytest.raises(PermissionDenied):
        core.assessments.import_csv(editor, new_unit)
    assert row_counts(core) == before
    inside = core.assessments.export_csv([world.inside], actor=ADMIN)
    done = core.assessments.import_csv(editor, inside.replace(b"2024-01-02", b"2024-01-01"))
    assert done.assessments_created == 1
    record = core.audit.records(ADMIN)[0]
    assert (record.action, record.unit_id) == ("assessment.import", world.inside)


def test_open_actions_show_paths_as_the_actor_sees_the_tree(core: Lartrappan, world: World) -> None:
    core.plans.set_action(ADMIN, world.inside, P1, "Boka en APT")
    core.plans.set_due(ADMIN, world.inside, P1, date(2024, 3, 1))
    editor = actor_of("editor", world)
    [mine] = core.plans.open_actions(world.inside, actor=editor)
    assert mine.unit_path == "Vård och omsorg > Hemtjänst"  # nothing above the scope
    [late] = core.plans.overdue(world.home, actor=editor)
    assert late.overdue and late.unit_id == world.inside
    with pytest.raises(PermissionDenied):
        core.plans.overdue(world.outside, actor=editor)


def test_every_action_has_words_for_the_audit_page() -> None:
    from staircase.i18n import action_label

    for lang in ("sv", "en"):
        unnamed = [a for a in ACTIONS if action_label(a, lang) == a]
        assert not unnamed, f"no audit.action.* text in {lang} for {unnamed}"
    assert action_label("state.note", "sv") == "Anteckning ändrad i checklistan"
    assert action_label("some.future_action", "en") == "some.future_action"
