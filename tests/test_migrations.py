"""Databases made by older versions of the app, opened by today's: migrated to the current
schema in one opening, with everything they held still there and new writes working; a step
that fails leaves the database as it was.

The fixtures in tests/data/schemas were written by each version's own code, on SQLite and on
PostgreSQL (README.md there says how); expected.json is what they hold. Every test here runs
once per backend, on a fresh copy of the fixture (SQLite: a file rebuilt from the exact SQL
dump of the old file; PostgreSQL: the dump loaded into a new schema).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import make_url

from staircase.domain.model import ConflictError, Status
from staircase.domain.scoring import score
from staircase.services import Actor, Lartrappan
from staircase.storage import migrations
from staircase.storage.migrations import MIGRATIONS, SCHEMA_VERSION, Migration
from staircase.storage.schema import COUNTERS

SCHEMAS = Path(__file__).resolve().parent / "data" / "schemas"
EXPECTED: dict[str, Any] = json.loads((SCHEMAS / "expected.json").read_text(encoding="utf-8"))
CONTENT = (
    "unit_count",
    "units",
    "snapshot_count",
    "snapshots_per_unit",
    "snapshots",
    "practice_state",
    "custom_practices",
)
"""The keys of expected.json that hold the content (the others say where it came from)."""
VERSIONS = sorted({f["schema_version"] for f in EXPECTED["fixtures"].values()})
HEMTJANST = ("Åby kommun", "Vård- och omsorgsförvaltningen", "Hemtjänst Öst")
P1 = "s1-goal-linked"


def fixture_file(version: int, backend: str) -> Path:
    return (
        SCHEMAS / f"v{version}.{backend}.sql"
        if backend == "postgresql"
        else SCHEMAS / f"v{version}.sqlite.sql"
    )


@pytest.fixture
def old_database(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[int], str]]:
    """A factory: old_database(N) is the URL of a fresh copy of the version-N fixture."""
    loaded: list[str] = []

    def make(version: int) -> str:
        source = fixture_file(version, backend)
        if backend == "sqlite":
            copy = tmp_path / f"v{version}-{len(list(tmp_path.iterdir()))}.db"
            conn = sqlite3.connect(copy)  # the old code's file, rebuilt from its exact dump
            try:
                conn.executescript(source.read_text(encoding="utf-8"))
            finally:
                conn.close()
            return f"sqlite:///{copy}"
        schemas = request.getfixturevalue("pg_schemas")
        loaded.append(schemas.load(source.read_text(encoding="utf-8")))
        return str(schemas.url_of(loaded[-1]))

    yield make
    if loaded:
        schemas = request.getfixturevalue("pg_schemas")
        for schema in loaded:
            schemas.give_back(schema)


def raw(url: str, query: str) -> list[tuple[Any, ...]]:
    """Rows read with a plain engine, past the app (and before it opened the database)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(query))]
    finally:
        engine.dispose()


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def content(core: Lartrappan) -> dict[str, Any]:
    """What the app shows of the database, in the shape of expected.json (made there by
    make_fixtures.py from the tables; here read through the services)."""
    tree = core.units.tree()
    snapshots: dict[str, list[dict[str, Any]]] = {}
    states = []
    for unit_id in tree.units:
        label = tree.label(unit_id)
        for snap in sorted(core.snapshots.of_unit(unit_id), key=lambda s: s.taken_at):
            entries = core.snapshots.entries(snap.id)
            snapshots.setdefault(label, []).append(
                {
                    "taken_at": iso(snap.taken_at),
                    "saved_by": snap.saved_by,
                    "comment": snap.comment,
                    "catalogue_version": snap.catalogue_version,
                    "entries": sorted(
                        ([e.practice_id, e.step, e.status.value, e.note] for e in entries),
                        key=lambda e: (e[1], e[0]),
                    ),
                }
            )
        states += [
            {
                "unit": label,
                "practice_id": s.practice_id,
                "status": s.status.value,
                "note": s.note,
                "updated_by": s.updated_by,
            }
            for s in core.checklist.state(unit_id).values()
        ]
    active = {p.id for p in core.practices.catalogue().practices if p.custom}
    custom = [
        {
            "id": p.id,
            "step": p.step,
            "dimensions": ",".join(d.value for d in p.dimensions),
            "title_sv": p.title.sv,
            "title_en": p.title.en,
            "description_sv": p.description.sv,
            "description_en": p.description.en,
            "archived": p.id not in active,
        }
        for p in core.practices.catalogue(include_archived=True).practices
        if p.custom
    ]
    return {
        "unit_count": len(tree.units),
        "units": sorted(
            (
                {
                    "path": tree.label(u.id),
                    "name": u.name,
                    "parent": None if u.parent_id is None else tree.label(u.parent_id),
                    "archived": u.archived,
                }
                for u in tree.units.values()
            ),
            key=lambda u: u["path"],
        ),
        "snapshot_count": sum(len(s) for s in snapshots.values()),
        "snapshots_per_unit": {
            p: {"count": len(s), "taken_at": [x["taken_at"] for x in s]}
            for p, s in sorted(snapshots.items())
        },
        "snapshots": dict(sorted(snapshots.items())),
        "practice_state": sorted(states, key=lambda s: (s["unit"], s["practice_id"])),
        "custom_practices": sorted(custom, key=lambda c: c["id"]),
    }


def meta(core: Lartrappan) -> dict[str, str]:
    with core.db.engine.connect() as conn:
        return {k: v for k, v in conn.execute(text("SELECT key, value FROM meta"))}


def state_of(url: str) -> Any:
    """Everything in the database, to tell whether anything changed: every table's columns,
    keys, indexes and constraints, and every row (SQLite: its complete SQL dump)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        conn = sqlite3.connect(parsed.database or "")
        try:
            return list(conn.iterdump())
        finally:
            conn.close()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            shape = tables(conn)
            rows = {t: sorted(map(repr, conn.execute(text(f"SELECT * FROM {t}")))) for t in shape}
            return shape, rows
    finally:
        engine.dispose()


def tables(conn: Connection) -> dict[str, Any]:
    """Each table's columns (name, type, null, default), keys, indexes and named checks."""
    found = inspect(conn)

    def default(value: str | None) -> str | None:  # '0', 0 and '0'::integer are all 0
        return None if value is None else re.sub(r"::\w+$", "", value).strip("'")

    return {
        t: {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], default(c["default"]))
                for c in found.get_columns(t)
            ],
            "primary key": found.get_pk_constraint(t)["constrained_columns"],
            "foreign keys": sorted(
                (
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    fk["options"].get("ondelete"),
                )
                for fk in found.get_foreign_keys(t)
            ),
            "indexes": sorted((i["name"], tuple(i["column_names"])) for i in found.get_indexes(t)),
            "unique": sorted(
                (u["name"], tuple(u["column_names"])) for u in found.get_unique_constraints(t)
            ),
            # by name: pg_dump spells a CHECK's expression its own way, meaning the same
            "checks": sorted(str(c["name"]) for c in found.get_check_constraints(t)),
        }
        for t in sorted(found.get_table_names())
    }


# ---------------------------------------------------------------------------- the list


def test_the_migrations_are_ordered_and_named() -> None:
    versions = [m.version for m in MIGRATIONS]
    assert versions == list(range(2, 2 + len(MIGRATIONS)))  # version 1 is the first release
    assert versions[-1] == SCHEMA_VERSION
    names = [m.name for m in MIGRATIONS]
    assert all(name.strip() for name in names)
    assert len(set(names)) == len(names)


def test_every_older_version_has_fixtures_on_both_backends() -> None:
    """A database of any version an older app wrote can be tested here: when a new schema
    version ships, its fixtures follow (tests/data/schemas/README.md)."""
    assert VERSIONS[0] == 1
    assert set(range(1, SCHEMA_VERSION)) <= set(VERSIONS)
    assert max(VERSIONS) <= SCHEMA_VERSION
    for version in VERSIONS:
        for backend in ("sqlite", "postgresql"):
            name = fixture_file(version, backend).name
            assert fixture_file(version, backend).is_file(), name
            assert EXPECTED["fixtures"][name]["schema_version"] == version


# ---------------------------------------------------------------------------- migrating


@pytest.mark.parametrize("version", VERSIONS)
def test_an_old_database_is_migrated_in_one_opening_and_keeps_everything(
    old_database: Callable[[int], str], version: int
) -> None:
    url = old_database(version)
    meta_before = dict(raw(url, "SELECT key, value FROM meta"))
    assert meta_before["schema_version"] == str(version)
    revisions_before = (
        dict(
            ((unit, practice), revision)
            for unit, practice, revision in raw(
                url, "SELECT unit_id, practice_id, revision FROM practice_state"
            )
        )
        if version >= 2
        else None
    )

    core = Lartrappan(url)
    try:
        assert core.db.migrations_run == [m.name for m in MIGRATIONS if m.version > version]
        # the version moved on; cache counters the old version kept stay, missing ones start
        assert meta(core) == {
            **{counter: "0" for counter in COUNTERS},
            **meta_before,
            "schema_version": str(SCHEMA_VERSION),
        }
        assert content(core) == {key: EXPECTED[key] for key in CONTENT}

        tree = core.units.tree()
        revisions = {
            (unit_id, s.practice_id): s.revision
            for unit_id in tree.units
            for s in core.checklist.state(unit_id).values()
        }
        assert len(revisions) == len(EXPECTED["practice_state"])
        if revisions_before is None:  # v1 had no revisions: every stored row was written once
            assert set(revisions.values()) == {1}
        else:
            assert revisions == revisions_before
            assert max(revisions.values()) > 1  # the fixture has rows written more than once
    finally:
        core.close()

    again = Lartrappan(url)
    try:
        assert again.db.migrations_run == []
        assert content(again) == {key: EXPECTED[key] for key in CONTENT}
    finally:
        again.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_migrated_database_has_the_shape_of_a_new_one(
    old_database: Callable[[int], str], db_url: Callable[[str], str], version: int
) -> None:
    migrated, new = old_database(version), db_url("new")
    Lartrappan(migrated).close()
    Lartrappan(new).close()
    found = {}
    for name, url in (("migrated", migrated), ("new", new)):
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                found[name] = tables(conn)
        finally:
            engine.dispose()
    assert found["migrated"] == found["new"]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_migrated_database_has_every_snapshot_scored(
    old_database: Callable[[int], str], version: int
) -> None:
    """Version 3 stores each snapshot's score; the step fills it in for the stored ones."""
    url = old_database(version)
    Lartrappan(url).close()
    stored = {
        r[0]: (r[1], r[2]) for r in raw(url, "SELECT id, step_reached, maturity FROM snapshot")
    }
    entries: dict[int, list[tuple[int, Status]]] = {}
    for sid, step, status in raw(url, "SELECT snapshot_id, step, status FROM snapshot_practice"):
        entries.setdefault(sid, []).append((step, Status(status)))
    assert len(stored) == EXPECTED["snapshot_count"] > 0
    for sid, (reached, maturity) in stored.items():
        expected = score(entries[sid])
        assert reached == expected.step_reached
        assert maturity == pytest.approx(expected.maturity)
    assert {m for _, m in stored.values()} != {None}


@pytest.mark.parametrize("version", VERSIONS)
def test_a_migrated_database_takes_new_writes(
    old_database: Callable[[int], str], version: int
) -> None:
    url = old_database(version)
    core = Lartrappan(url)
    try:
        tree = core.units.tree()
        hemtjanst = tree.find(list(HEMTJANST))
        assert hemtjanst is not None
        old_snapshots = [s.id for u in tree.units for s in core.snapshots.of_unit(u)]
        actor = Actor("Migrerad Test")

        # a new unit gets an id of its own (PostgreSQL: the sequences are past the rows)
        new = core.units.create(actor, "Hemtjänst Väst", tree.units[hemtjanst].parent_id)
        assert new.id not in tree.units and new.id > max(tree.units)

        # a tick on the new unit, and on a row the old version wrote, on top of what was seen
        assert core.checklist.set_status(actor, new.id, P1, Status.DONE, based_on=0).revision == 1
        seen = core.checklist.state(hemtjanst)[P1]
        ticked = core.checklist.set_status(
            actor, hemtjanst, P1, Status.DONE, based_on=seen.revision
        )
        assert (ticked.revision, ticked.updated_by) == (seen.revision + 1, "Migrerad Test")
        with pytest.raises(ConflictError):  # a stale revision is still caught
            core.checklist.set_note(actor, hemtjanst, P1, "Sent", based_on=seen.revision)

        # a snapshot: a fresh id, every practice of today's catalogue, the tick in it
        snap = core.snapshots.save(actor, new.id, "Migrerad Test", "Efter migreringen")
        assert snap.id not in old_snapshots and snap.id > max(old_snapshots)
        entries = {e.practice_id: e for e in core.snapshots.entries(snap.id)}
        assert set(entries) == {p.id for p in core.practices.catalogue().practices}
        assert entries[P1].status is Status.DONE

        # an own practice next to the old ones
        own = core.practices.add(actor, 1, "Ny praktik efter migreringen", dimensions=["people"])
        assert own.id == "custom-ny-praktik-efter-migreringen"
        assert len([p for p in core.practices.catalogue().practices if p.custom]) == 2

        # the leader's handbook (schema 6): an answer with its revision, the vision, an
        # ambassador and a tick, on a unit the old version wrote
        answer = core.handbook.set_answer(actor, hemtjanst, "first-small-step", "APT", based_on=0)
        assert answer.revision == 1
        core.handbook.set_vision(actor, hemtjanst, "Vi lär varje dag")
        core.handbook.add_ambassador(actor, hemtjanst, "Karin Ek", "APT")
        core.handbook.check(actor, hemtjanst, "safe-climate", True)
    finally:
        core.close()

    again = Lartrappan(url)
    try:
        assert again.db.migrations_run == []
        assert again.snapshots.get(snap.id).comment == "Efter migreringen"
        assert again.checklist.state(new.id)[P1].status is Status.DONE
        assert len(again.units.tree().units) == EXPECTED["unit_count"] + 1
        handbook = again.handbook.of_unit(hemtjanst)
        assert (handbook.vision.text, handbook.answer("first-small-step").text) == (
            "Vi lär varje dag",
            "APT",
        )
        assert [a.name for a in handbook.ambassadors] == ["Karin Ek"]
        assert handbook.tick("safe-climate").done
    finally:
        again.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_a_failing_step_leaves_the_database_as_it_was(
    old_database: Callable[[int], str], version: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All steps run in the one transaction that opens the database: when one fails, after
    changing tables, every earlier step's change goes too, the version is not moved, and the
    database opens fine with the real steps afterwards."""
    url = old_database(version)
    before = state_of(url)

    def half_way(conn: Connection) -> None:
        conn.exec_driver_sql("ALTER TABLE unit ADD COLUMN doomed INTEGER")
        conn.exec_driver_sql("UPDATE unit SET name = 'gone'")
        conn.exec_driver_sql("DELETE FROM snapshot_practice")
        conn.exec_driver_sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
        raise RuntimeError("the step failed half-way")

    failing = Migration(SCHEMA_VERSION + 1, "a step that fails half-way", half_way)
    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, failing))
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)

    with pytest.raises(RuntimeError, match="half-way"):
        Lartrappan(url)

    assert state_of(url) == before
    monkeypatch.undo()
    core = Lartrappan(url)
    try:
        assert core.db.migrations_run == [m.name for m in MIGRATIONS if m.version > version]
        assert content(core) == {key: EXPECTED[key] for key in CONTENT}
    finally:
        core.close()


@pytest.mark.parametrize("version", [v for v in VERSIONS if v >= 5])
def test_the_audit_trail_an_old_version_wrote_is_kept(
    old_database: Callable[[int], str], version: int
) -> None:
    """Version 5's door recorded every write of the fixture: migrating keeps each record."""
    url = old_database(version)
    query = "SELECT at, actor, action, unit_id, before, after FROM audit ORDER BY id"
    before = raw(url, query)
    assert before, "the fixture has audit records"
    Lartrappan(url).close()
    assert raw(url, query) == before
