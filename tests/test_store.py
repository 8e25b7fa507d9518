"""The store: schema, units, working state, custom practices, snapshots, import."""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from staircase.domain.catalogue import PRACTICE_ID, load_catalogue
from staircase.domain.model import (
    ConflictError,
    Dimension,
    PracticeState,
    Problem,
    SnapshotEntry,
    Status,
    ValidationError,
)
from staircase.domain.moments import now
from staircase.domain.records import SnapshotRecord
from staircase.domain.rules import NAME_MAX, NOTE_MAX
from staircase.domain.scoring import score, score_working_state
from staircase.domain.units import UnitTree
from staircase.services import Actor, Lartrappan
from staircase.storage import schema as store_module
from staircase.storage.migrations import SCHEMA_VERSION, SchemaTooNewError

SHIPPED = load_catalogue()
P1, P2 = "s1-goal-linked", "s1-anytime-anywhere"
D, P, N, X = Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE


def rejected(action: Callable[[], Any], key: str) -> list[Problem]:
    """Run `action`, expect a ValidationError whose first problem has `key`; return them all."""
    with pytest.raises(ValidationError) as err:
        action()
    assert err.value.problems, "a ValidationError must carry its problems"
    assert err.value.problems[0].key == key, [p.key for p in err.value.problems]
    return err.value.problems


def row_counts(store: Lartrappan) -> dict[str, int]:
    with store.db.engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in store_module.metadata.sorted_tables
        }


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def every_row(store: Lartrappan) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal before and after means nothing was written."""
    with store.db.engine.connect() as conn:
        return {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
            for t in store_module.metadata.sorted_tables
        }


# ---------------------------------------------------------------- schema


def test_schema_creation_is_idempotent(db_url: Callable[[str], str]) -> None:
    url = db_url("twice")
    first = Lartrappan(url)
    unit = first.units.create(Actor(""), "Norrby kommun")
    first.close()
    second = Lartrappan(url)
    try:
        assert second.units.tree().units[unit.id].name == "Norrby kommun"
        with second.db.engine.connect() as conn:
            rows = conn.execute(text("SELECT key, value FROM meta")).all()
        assert dict(tuple(r) for r in rows) == {
            "schema_version": str(SCHEMA_VERSION),
            "revision.units": "1",  # one unit created
            "revision.practices": "0",
            "revision.snapshots": "0",
        }
        tables = set(store_module.metadata.tables)
        assert tables <= set(inspect(second.db.engine).get_table_names())
    finally:
        second.close()


@pytest.mark.sqlite_only
def test_a_newer_schema_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "newer.db"
    old = Lartrappan(f"sqlite:///{db}")
    old.units.create(Actor(""), "Norrby kommun")
    old.close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION + 1,))
    conn.execute("DROP TABLE custom_practice")  # a newer app may have reshaped tables
    conn.commit()
    conn.close()
    before = dump(db)

    with pytest.raises(SchemaTooNewError):
        Lartrappan(f"sqlite:///{db}")

    assert dump(db) == before  # no table recreated, version not overwritten


def test_the_cached_tree_and_catalogue_follow_every_write_even_from_another_process(
    store: Lartrappan,
) -> None:
    colleague = Lartrappan(store.url)  # another replica of the app on the same database
    try:
        root = store.units.create(Actor(""), "Norrby kommun")
        assert colleague.units.tree() is colleague.units.tree()  # reused while nothing changes
        tree = colleague.units.tree()
        store.units.create(Actor(""), "Skola", root.id)
        assert {u.name for u in colleague.units.tree().units.values()} == {"Norrby kommun", "Skola"}
        store.units.rename(Actor(""), root.id, "Norrby")
        assert colleague.units.tree().units[root.id].name == "Norrby"
        store.units.set_archived(Actor(""), root.id, True)
        assert colleague.units.tree().units[root.id].archived
        assert colleague.units.tree() is not tree

        shipped = len(colleague.practices.catalogue().practices)
        own = store.practices.add(Actor(""), 2, "Kollegial handledning", dimensions=["people"])
        assert own.id in colleague.practices.catalogue().practice_ids
        store.practices.archive(Actor(""), own.id)
        assert len(colleague.practices.catalogue().practices) == shipped
        assert own.id in colleague.practices.catalogue(include_archived=True).practice_ids

        record = SnapshotRecord(
            unit_path=("Söderby kommun", "Ny enhet"),
            taken_at=datetime(2025, 3, 1, 12, 0),
            saved_by="",
            comment="",
            catalogue_version=1,
            entries=(
                *(SnapshotEntry(p.id, p.step, Status.NOT_STARTED, "") for p in SHIPPED.practices),
                SnapshotEntry("custom-importerad", 1, Status.DONE, ""),
            ),
            rows=(2,),
            new_practice_titles={"custom-importerad": "Importerad"},
        )
        store.transfer.import_records(Actor(""), [record])
        assert colleague.units.tree().find(["Söderby kommun", "Ny enhet"]) is not None
        assert "custom-importerad" in colleague.practices.catalogue().practice_ids
    finally:
        colleague.close()


def test_a_version_1_database_is_migrated_in_place(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    conn = sqlite3.connect(db)
    conn.executescript(
        """
        CREATE TABLE meta (key VARCHAR(64) PRIMARY KEY, value VARCHAR(255) NOT NULL);
        INSERT INTO meta VALUES ('schema_version', '1');
        CREATE TABLE unit (id INTEGER PRIMARY KEY, name VARCHAR(80) NOT NULL,
            parent_id INTEGER REFERENCES unit(id), archived_at DATETIME,
            created_at DATETIME NOT NULL);
        INSERT INTO unit VALUES (1, 'Hemtjänst', NULL, NULL, '2025-01-01 08:00:00');
        CREATE TABLE practice_state (unit_id INTEGER NOT NULL REFERENCES unit(id),
            practice_id VARCHAR(64) NOT NULL, status VARCHAR(20) NOT NULL,
            note TEXT NOT NULL, updated_at DATETIME NOT NULL, updated_by VARCHAR(80) NOT NULL,
            PRIMARY KEY (unit_id, practice_id));
        INSERT INTO practice_state
            VALUES (1, 's1-goal-linked', 'done', 'Klart', '2025-02-01 09:00:00', 'Anna');
        """
    )
    conn.commit()
    conn.close()

    migrated = Lartrappan(f"sqlite:///{db}")
    try:
        state = migrated.checklist.state(1)[P1]
        assert (state.status, state.note, state.updated_by) == (D, "Klart", "Anna")
        assert state.revision == 1
        assert migrated.checklist.set_status(Actor(""), 1, P1, P, based_on=1).revision == 2
        assert migrated.checklist.set_status(Actor(""), 1, P2, D).revision == 1
        with migrated.db.engine.connect() as c:
            version = c.execute(
                text("SELECT value FROM meta WHERE key = 'schema_version'")
            ).scalar_one()
        assert version == str(SCHEMA_VERSION)
    finally:
        migrated.close()


def test_foreign_keys_are_enforced(store: Lartrappan) -> None:
    parent = store.units.create(Actor(""), "Norrby kommun")
    child = store.units.create(Actor(""), "Vård och omsorg", parent.id)
    store.checklist.set_status(Actor(""), child.id, P1, D)
    if store.db.engine.dialect.name == "sqlite":  # off by default there; PostgreSQL always checks
        with store.db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
    with pytest.raises(IntegrityError), store.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM unit WHERE id = :id"), {"id": parent.id})
    assert set(store.units.tree().units) == {parent.id, child.id}
    # ... while a leaf's own rows cascade with it
    with store.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM unit WHERE id = :id"), {"id": child.id})
    assert row_counts(store)["practice_state"] == 0
    with pytest.raises(IntegrityError), store.db.engine.begin() as conn:
        conn.execute(
            text("INSERT INTO unit (name, parent_id, created_at) VALUES ('x', 999, '2024-01-01')")
        )


def test_has_units(store: Lartrappan) -> None:
    assert not store.units.any()
    store.units.create(Actor(""), "Norrby kommun")
    assert store.units.any()


# ---------------------------------------------------------------- units


def test_create_unit_with_parent(store: Lartrappan) -> None:
    root = store.units.create(Actor(""), "  Norrby kommun  ")
    child = store.units.create(Actor(""), "Vård och omsorg", root.id)
    assert root.name == "Norrby kommun"
    assert root.parent_id is None
    assert child.parent_id == root.id
    assert not child.archived
    tree = store.units.tree()
    assert tree.units[child.id] == child
    assert tree.units[root.id] == root
    assert tree.path(child.id) == ("Norrby kommun", "Vård och omsorg")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("", "unit.name_empty"),
        ("   \t ", "unit.name_empty"),
        ("x" * (NAME_MAX + 1), "unit.name_too_long"),
        ("Vård > Hemtjänst", "unit.name_has_separator"),
        (">", "unit.name_has_separator"),
        ("Hem\ntjänst", "unit.name_control_char"),
        ("Hem\x00tjänst", "unit.name_control_char"),
        ("Hem\x1btjänst", "unit.name_control_char"),
    ],
)
def test_create_unit_rejects_bad_names(store: Lartrappan, name: str, key: str) -> None:
    rejected(lambda: store.units.create(Actor(""), name), key)
    assert not store.units.any()


def test_name_too_long_says_how_long(store: Lartrappan) -> None:
    problems = rejected(lambda: store.units.create(Actor(""), "å" * 81), "unit.name_too_long")
    assert problems[0].params == {"max": NAME_MAX, "length": 81}
    assert store.units.create(Actor(""), "å" * NAME_MAX).name == "å" * NAME_MAX


def test_create_unit_under_an_unknown_parent(store: Lartrappan) -> None:
    rejected(lambda: store.units.create(Actor(""), "Hemtjänst", 999), "unit.parent_unknown")


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Hemtjänst", "hemtjänst"),
        ("Vård", "VÅRD"),
        ("Åre", "åre"),
        ("Älvdalen", " älvdalen "),
        ("Vård", "Va\u030ard"),  # å as a + combining ring (NFD) is the same name
    ],
)
def test_sibling_names_clash_case_insensitively(store: Lartrappan, first: str, second: str) -> None:
    root = store.units.create(Actor(""), "Norrby kommun")
    store.units.create(Actor(""), first, root.id)
    problems = rejected(lambda: store.units.create(Actor(""), second, root.id), "unit.name_taken")
    assert problems[0].params == {"name": second.strip()}
    store.units.create(Actor(""), first)  # a root with that name is not a sibling
    rejected(
        lambda: store.units.create(Actor(""), second), "unit.name_taken"
    )  # ... but roots clash too


def test_same_name_under_another_parent_is_fine(store: Lartrappan) -> None:
    a = store.units.create(Actor(""), "Norrby kommun")
    b = store.units.create(Actor(""), "Söderby kommun")
    one = store.units.create(Actor(""), "Hemtjänst", a.id)
    two = store.units.create(Actor(""), "Hemtjänst", b.id)
    assert one.id != two.id
    tree = store.units.tree()
    assert tree.label(one.id) == "Norrby kommun > Hemtjänst"
    assert tree.label(two.id) == "Söderby kommun > Hemtjänst"


def test_rename_unit(store: Lartrappan) -> None:
    root = store.units.create(Actor(""), "Norrby kommun")
    unit = store.units.create(Actor(""), "Hemtjänst", root.id)
    store.units.rename(Actor(""), unit.id, "  Hemtjänst Norr ")
    assert store.units.tree().units[unit.id].name == "Hemtjänst Norr"
    store.units.rename(
        Actor(""), unit.id, "HEMTJÄNST NORR"
    )  # its own name in other case is no clash
    assert store.units.tree().units[unit.id].name == "HEMTJÄNST NORR"


def test_rename_clash_and_bad_names(store: Lartrappan) -> None:
    root = store.units.create(Actor(""), "Norrby kommun")
    store.units.create(Actor(""), "Hemtjänst Syd", root.id)
    unit = store.units.create(Actor(""), "Hemtjänst Norr", root.id)
    rejected(lambda: store.units.rename(Actor(""), unit.id, "hemtjänst syd"), "unit.name_taken")
    rejected(lambda: store.units.rename(Actor(""), unit.id, " "), "unit.name_empty")
    rejected(lambda: store.units.rename(Actor(""), unit.id, "a > b"), "unit.name_has_separator")
    rejected(lambda: store.units.rename(Actor(""), 999, "Ny"), "unit.unknown")
    assert store.units.tree().units[unit.id].name == "Hemtjänst Norr"


def test_archive_cascades_to_the_subtree_and_hides_it(store: Lartrappan) -> None:
    root = store.units.create(Actor(""), "Norrby kommun")
    care = store.units.create(Actor(""), "Vård och omsorg", root.id)
    north = store.units.create(Actor(""), "Hemtjänst Norr", care.id)
    school = store.units.create(Actor(""), "Skola", root.id)
    store.units.set_archived(Actor(""), care.id, True)
    tree = store.units.tree()
    assert tree.units[care.id].archived
    assert tree.units[north.id].archived
    assert not tree.units[root.id].archived
    assert not tree.units[school.id].archived
    assert [u.id for u in tree.ordered()] == [root.id, school.id]
    assert [u.id for u in tree.ordered(include_archived=True)] == [
        root.id,
        school.id,
        care.id,
        north.id,
    ]


def test_restore_is_refused_while_the_parent_is_archived(store: Lartrappan) -> None:
    root = store.units.create(Actor(""), "Norrby kommun")
    care = store.units.create(Actor(""), "Vård och omsorg", root.id)
    north = store.units.create(Actor(""), "Hemtjänst Norr", care.id)
    store.units.set_archived(Actor(""), root.id, True)
    rejected(lambda: store.units.set_archived(Actor(""), north.id, False), "unit.parent_archived")
    assert store.units.tree().units[north.id].archived
    rejected(lambda: store.units.create(Actor(""), "Ny", care.id), "unit.parent_archived")
    store.units.set_archived(Actor(""), root.id, False)
    tree = store.units.tree()
    assert not any(u.archived for u in tree.units.values())
    assert [u.id for u in tree.ordered()] == [root.id, care.id, north.id]
    rejected(lambda: store.units.set_archived(Actor(""), 999, True), "unit.unknown")


def test_writes_to_an_archived_unit_are_refused(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    store.checklist.set_note(Actor(""), unit.id, P1, "Före arkiveringen")
    store.units.set_archived(Actor(""), unit.id, True)
    rejected(lambda: store.checklist.set_status(Actor(""), unit.id, P1, D), "unit.archived")
    rejected(lambda: store.checklist.set_note(Actor(""), unit.id, P1, "Efter"), "unit.archived")
    rejected(
        lambda: store.checklist.replace(Actor(""), unit.id, [PracticeState(P1, D)]), "unit.archived"
    )
    rejected(lambda: store.snapshots.save(Actor(""), unit.id), "unit.archived")
    assert store.checklist.state(unit.id)[P1].note == "Före arkiveringen"
    assert store.checklist.state(unit.id)[P1].status is N
    assert store.snapshots.of_unit(unit.id) == []


def test_unit_tree_path_label_subtree_find() -> None:
    from staircase.domain.model import Unit

    tree = UnitTree(
        {
            1: Unit(1, "Norrby kommun", None),
            2: Unit(2, "Vård och omsorg", 1),
            3: Unit(3, "Hemtjänst Norr", 2),
            4: Unit(4, "Äldreboende", 2),
            5: Unit(5, "Barn och utbildning", 1),
            6: Unit(6, "Söderby kommun", None),
            7: Unit(7, "Arkiv", 6, archived=True),
        }
    )
    assert tree.path(3) == ("Norrby kommun", "Vård och omsorg", "Hemtjänst Norr")
    assert tree.path(1) == ("Norrby kommun",)
    assert tree.label(4) == "Norrby kommun > Vård och omsorg > Äldreboende"
    # depth first, children by name
    assert tree.subtree(1) == [1, 5, 2, 3, 4]
    assert tree.subtree(3) == [3]
    assert tree.subtree(6) == [6, 7]
    assert [u.id for u in tree.children(None)] == [1, 6]
    assert [u.id for u in tree.ordered()] == [1, 5, 2, 3, 4, 6]
    assert [u.id for u in tree.ordered(include_archived=True)] == [1, 5, 2, 3, 4, 6, 7]
    assert [u.id for u in tree.ordered(under=2)] == [2, 3, 4]
    assert [u.id for u in tree.ordered(under=6)] == [6]
    assert [u.id for u in tree.ordered(include_archived=True, under=6)] == [6, 7]
    assert [u.id for u in tree.ordered(under=7)] == []  # archived
    assert tree.root_of(3) == 1 and tree.root_of(7) == 6 and tree.root_of(1) == 1
    assert [u.id for u in tree.roots()] == [1, 6]
    assert tree.overview_scope(3) == 2  # a unit among its siblings
    assert tree.overview_scope(2) == 2  # an administration: itself and what is under it
    assert tree.overview_scope(5) == 1  # a root's unit without units under it
    assert tree.overview_scope(1) == 1
    assert tree.short_labels([3, 1]) == {3: "Hemtjänst Norr · Vård och omsorg", 1: "Norrby kommun"}
    assert tree.find(["Norrby kommun", "Vård och omsorg", "Hemtjänst Norr"]) == 3
    assert tree.find(["norrby KOMMUN", " vård och omsorg "]) == 2
    assert tree.find(["Söderby kommun", "Arkiv"]) == 7
    assert tree.find(["Norrby kommun", "Hemtjänst Norr"]) is None  # not a direct child
    assert tree.find(["Okänd"]) is None
    with pytest.raises(KeyError):
        tree.path(99)


# ---------------------------------------------------------------- working state


def test_set_status_and_set_note_persist_per_practice(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    other = store.units.create(Actor(""), "Skola")
    assert store.checklist.state(unit.id) == {}
    store.checklist.set_status(Actor("Anna"), unit.id, P1, D)
    store.checklist.set_note(Actor("Bo"), unit.id, P1, "  Klart i maj  ")
    state = store.checklist.state(unit.id)
    assert set(state) == {P1}
    assert state[P1].status is D
    assert state[P1].note == "Klart i maj"
    assert state[P1].updated_by == "Bo"
    assert state[P1].updated_at is not None
    store.checklist.set_status(Actor(""), unit.id, P1, P)  # changing the status keeps the note
    assert store.checklist.state(unit.id)[P1].note == "Klart i maj"
    assert store.checklist.state(unit.id)[P1].status is P
    assert store.checklist.state(other.id) == {}


def test_two_practices_edited_in_turn_do_not_overwrite_each_other(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    colleague = Lartrappan(store.url)  # another session on the same database
    try:
        store.checklist.set_status(Actor(""), unit.id, P1, D)
        colleague.checklist.set_status(Actor(""), unit.id, P2, P)
        store.checklist.set_note(Actor(""), unit.id, P1, "Anteckning ett")
        colleague.checklist.set_note(Actor(""), unit.id, P2, "Anteckning två")
    finally:
        colleague.close()
    state = store.checklist.state(unit.id)
    assert (state[P1].status, state[P1].note) == (D, "Anteckning ett")
    assert (state[P2].status, state[P2].note) == (P, "Anteckning två")


def test_every_write_bumps_the_revision_and_returns_what_is_stored(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    first = store.checklist.set_status(Actor("Anna"), unit.id, P1, P)
    assert (first.status, first.updated_by, first.revision) == (P, "Anna", 1)
    second = store.checklist.set_note(Actor("Bo"), unit.id, P1, "Påbörjat")
    assert (second.status, second.note, second.revision) == (P, "Påbörjat", 2)
    assert store.checklist.state(unit.id)[P1] == second
    assert (
        store.checklist.set_status(Actor(""), unit.id, P2, D).revision == 1
    )  # counted per practice


def test_a_write_based_on_a_stale_revision_is_refused_and_says_who(store: Lartrappan) -> None:
    """Two leads load the page; Bo ticks first; Anna's later click must not overwrite it."""
    unit = store.units.create(Actor(""), "Hemtjänst")
    seen_by_anna = seen_by_bo = store.checklist.set_status(Actor("Anna"), unit.id, P1, P).revision
    bo = store.checklist.set_status(Actor("Bo"), unit.id, P1, D, based_on=seen_by_bo)

    with pytest.raises(ConflictError) as conflict:
        store.checklist.set_status(Actor("Anna"), unit.id, P1, N, based_on=seen_by_anna)
    assert conflict.value.current == bo
    problem = conflict.value.problems[0]
    assert problem.key == "state.conflict"
    assert problem.params["who"] == "Bo"
    assert problem.params["when"] == bo.updated_at.strftime("%Y-%m-%d %H:%M")  # type: ignore[union-attr]
    with pytest.raises(ConflictError):
        store.checklist.set_note(Actor("Anna"), unit.id, P1, "Annas text", based_on=seen_by_anna)
    assert store.checklist.state(unit.id)[P1] == bo  # nothing overwritten

    # Having seen Bo's change, Anna may overwrite it deliberately.
    anna = store.checklist.set_status(Actor("Anna"), unit.id, P1, N, based_on=bo.revision)
    assert (anna.status, anna.revision) == (N, bo.revision + 1)
    # A practice nobody has touched is at revision 0.
    with pytest.raises(ConflictError):
        store.checklist.set_status(Actor(""), unit.id, P2, D, based_on=1)
    assert store.checklist.set_status(Actor(""), unit.id, P2, D, based_on=0).revision == 1


def test_not_applicable_needs_a_note(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    rejected(lambda: store.checklist.set_status(Actor(""), unit.id, P1, X), "state.na_needs_note")
    assert store.checklist.state(unit.id) == {}
    store.checklist.set_note(Actor(""), unit.id, P1, "   ")
    rejected(lambda: store.checklist.set_status(Actor(""), unit.id, P1, X), "state.na_needs_note")
    store.checklist.set_note(Actor(""), unit.id, P1, "Vi har ingen lärplattform")
    store.checklist.set_status(Actor(""), unit.id, P1, X)
    assert store.checklist.state(unit.id)[P1].status is X
    rejected(lambda: store.checklist.set_note(Actor(""), unit.id, P1, ""), "state.na_needs_note")
    rejected(
        lambda: store.checklist.set_note(Actor(""), unit.id, P1, "  \n "), "state.na_needs_note"
    )
    assert store.checklist.state(unit.id)[P1].note == "Vi har ingen lärplattform"
    store.checklist.set_note(Actor(""), unit.id, P1, "Annan motivering")
    assert store.checklist.state(unit.id)[P1].note == "Annan motivering"


def test_set_status_with_a_note_is_one_write(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    store.checklist.set_status(Actor(""), unit.id, P1, X, note="  Vi saknar lärplattform ")
    state = store.checklist.state(unit.id)[P1]
    assert (state.status, state.note) == (X, "Vi saknar lärplattform")
    rejected(
        lambda: store.checklist.set_status(Actor(""), unit.id, P2, X, note="  "),
        "state.na_needs_note",
    )
    rejected(
        lambda: store.checklist.set_status(Actor(""), unit.id, P2, D, note="x" * (NOTE_MAX + 1)),
        "state.note_too_long",
    )
    assert P2 not in store.checklist.state(unit.id)
    rejected(
        lambda: store.checklist.set_status(Actor(""), unit.id, P1, X, note=""),
        "state.na_needs_note",
    )
    assert store.checklist.state(unit.id)[P1].note == "Vi saknar lärplattform"
    store.checklist.set_status(Actor(""), unit.id, P1, D, note="")  # leaving N/A may clear the note
    state = store.checklist.state(unit.id)[P1]
    assert (state.status, state.note) == (D, "")


def test_unknown_practice_unit_and_long_note_are_refused(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    problems = rejected(
        lambda: store.checklist.set_status(Actor(""), unit.id, "s9-nope", D), "practice.unknown"
    )
    assert problems[0].params == {"practice_id": "s9-nope"}
    rejected(
        lambda: store.checklist.set_note(Actor(""), unit.id, "s9-nope", "x"), "practice.unknown"
    )
    rejected(lambda: store.checklist.set_status(Actor(""), 999, P1, D), "unit.unknown")
    problems = rejected(
        lambda: store.checklist.set_note(Actor(""), unit.id, P1, "x" * (NOTE_MAX + 1)),
        "state.note_too_long",
    )
    assert problems[0].params == {"max": NOTE_MAX}
    assert store.checklist.state(unit.id) == {}
    store.checklist.set_note(Actor(""), unit.id, P1, "x" * NOTE_MAX)
    assert len(store.checklist.state(unit.id)[P1].note) == NOTE_MAX


def test_current_score_uses_the_working_state(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    for p in SHIPPED.practices_of(1):
        store.checklist.set_status(Actor(""), unit.id, p.id, D)
    store.checklist.set_status(Actor(""), unit.id, "s2-performance", P)
    result = store.checklist.score(unit.id)
    assert result.step_reached == 1
    assert result.of(1).completion == 1.0
    assert result.of(2).completion == pytest.approx(0.5 / 4)
    assert result.maturity == pytest.approx(4.5 / 10)
    assert score_working_state(store.practices.catalogue(), store.checklist.state(unit.id)) == (
        result
    )


# ---------------------------------------------------------------- custom practices


def test_add_custom_practice(store: Lartrappan) -> None:
    practice = store.practices.add(
        Actor(""), 1, "  Vår egen praktik ", dimensions=[Dimension.PEOPLE, "systems"]
    )
    assert practice.id == "custom-var-egen-praktik"
    assert practice.custom
    assert practice.step == 1
    assert practice.dimensions == (Dimension.PEOPLE, Dimension.SYSTEMS)
    assert practice.title.sv == "Vår egen praktik"
    assert practice.title.en == "Vår egen praktik"  # English falls back to Swedish
    twin = store.practices.add(Actor(""), 2, "Vår egen praktik", "Our own", dimensions=["people"])
    assert twin.id != practice.id
    assert twin.id.startswith("custom-")
    assert twin.title.en == "Our own"
    cat = store.practices.catalogue()
    assert cat.practice_ids == (
        *SHIPPED.practice_ids[:4],
        practice.id,
        *SHIPPED.practice_ids[4:8],
        twin.id,
        *SHIPPED.practice_ids[8:],
    )
    odd = store.practices.add(Actor(""), 3, "日本語", dimensions=["processes"])
    assert odd.id == "custom-practice"  # nothing ASCII to slug: a generic, still valid id
    for pid in (practice.id, twin.id, odd.id):
        assert PRACTICE_ID.match(pid), pid


def test_a_custom_practice_can_be_ticked_and_blocks_its_step(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    for p in SHIPPED.practices_of(1):
        store.checklist.set_status(Actor(""), unit.id, p.id, D)
    assert store.checklist.score(unit.id).step_reached == 1
    own = store.practices.add(Actor(""), 1, "Egen", dimensions=["people"])
    assert store.checklist.score(unit.id).step_reached == 0
    assert store.checklist.score(unit.id).of(1).applicable == 5
    store.checklist.set_status(Actor(""), unit.id, own.id, D)
    assert store.checklist.state(unit.id)[own.id].status is D
    assert store.checklist.score(unit.id).step_reached == 1


@pytest.mark.parametrize(
    ("kwargs", "keys"),
    [
        ({"step": 1, "title_sv": "  ", "dimensions": ["people"]}, ["practice.title_empty"]),
        ({"step": 4, "title_sv": "Egen", "dimensions": ["people"]}, ["practice.bad_step"]),
        ({"step": 0, "title_sv": "Egen", "dimensions": ["people"]}, ["practice.bad_step"]),
        ({"step": 1, "title_sv": "Egen", "dimensions": []}, ["practice.no_dimension"]),
        ({"step": 1, "title_sv": "Egen", "dimensions": ["culture"]}, ["practice.bad_dimension"]),
        ({"step": 1, "title_sv": "x" * 201, "dimensions": ["people"]}, ["practice.title_too_long"]),
        (
            {"step": 1, "title_sv": "Egen", "title_en": "y" * 201, "dimensions": ["people"]},
            ["practice.title_too_long"],
        ),
        (
            {"step": 9, "title_sv": "", "dimensions": []},
            ["practice.bad_step", "practice.title_empty", "practice.no_dimension"],
        ),
    ],
)
def test_custom_practice_validation(
    store: Lartrappan, kwargs: dict[str, Any], keys: list[str]
) -> None:
    with pytest.raises(ValidationError) as err:
        store.practices.add(Actor(""), **kwargs)
    assert [p.key for p in err.value.problems] == keys
    assert row_counts(store)["custom_practice"] == 0


def test_archived_custom_practice_is_hidden_but_kept(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    own = store.practices.add(Actor(""), 2, "Egen", dimensions=["processes"])
    store.checklist.set_status(Actor(""), unit.id, own.id, D)
    store.practices.archive(Actor(""), own.id)
    assert own.id not in store.practices.catalogue().practice_ids
    assert store.practices.catalogue().practice_ids == SHIPPED.practice_ids
    assert store.practices.catalogue(include_archived=True).practice(own.id).title.sv == "Egen"
    rejected(lambda: store.checklist.set_status(Actor(""), unit.id, own.id, P), "practice.unknown")
    snap = store.snapshots.save(Actor(""), unit.id, taken_at=datetime(2024, 1, 1))
    assert own.id not in {e.practice_id for e in store.snapshots.entries(snap.id)}
    rejected(lambda: store.practices.archive(Actor(""), "custom-nope"), "practice.unknown")
    rejected(lambda: store.practices.archive(Actor(""), P1), "practice.unknown")


# ---------------------------------------------------------------- snapshots


def test_save_snapshot_records_every_practice_of_the_active_catalogue(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    own = store.practices.add(Actor(""), 3, "Egen", dimensions=["people"])
    store.checklist.set_status(Actor(""), unit.id, P1, D)
    store.checklist.set_note(Actor(""), unit.id, P2, "Motivering")
    store.checklist.set_status(Actor(""), unit.id, P2, X)
    store.checklist.set_status(Actor(""), unit.id, own.id, P)
    before = now()
    snap = store.snapshots.save(Actor(""), unit.id, saved_by=" Anna ", comment=" APT mars ")
    after = now()
    assert before <= snap.taken_at <= after
    assert snap.unit_id == unit.id
    assert (snap.saved_by, snap.comment) == ("Anna", "APT mars")
    assert snap.catalogue_version == SHIPPED.version
    assert snap.id > 0
    assert store.snapshots.get(snap.id) == snap
    entries = {e.practice_id: e for e in store.snapshots.entries(snap.id)}
    assert set(entries) == {*SHIPPED.practice_ids, own.id}
    assert entries[P1] == SnapshotEntry(P1, 1, D, "")
    assert entries[P2] == SnapshotEntry(P2, 1, X, "Motivering")
    assert entries[own.id] == SnapshotEntry(own.id, 3, P, "")
    assert entries["s3-sharing-culture"] == SnapshotEntry("s3-sharing-culture", 3, N, "")
    for p in SHIPPED.practices:
        assert entries[p.id].step == p.step


def test_snapshot_back_dating_future_and_duplicates(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    back = store.snapshots.save(
        Actor(""), unit.id, taken_at=datetime(2023, 5, 1, 9, 30, 15, 123456)
    )
    assert back.taken_at == datetime(2023, 5, 1, 9, 30, 15)
    assert store.snapshots.get(back.id).taken_at == datetime(2023, 5, 1, 9, 30, 15)
    problems = rejected(
        lambda: store.snapshots.save(Actor(""), unit.id, taken_at=now() + timedelta(days=1)),
        "snapshot.future",
    )
    assert "date" in problems[0].params
    rejected(
        lambda: store.snapshots.save(
            Actor(""), unit.id, taken_at=datetime(2023, 5, 1, 9, 30, 15, 999)
        ),
        "snapshot.exists",
    )
    assert [s.id for s in store.snapshots.of_unit(unit.id)] == [back.id]
    other = store.units.create(Actor(""), "Skola")
    store.snapshots.save(
        Actor(""), other.id, taken_at=datetime(2023, 5, 1, 9, 30, 15)
    )  # other unit: fine
    rejected(lambda: store.snapshots.save(Actor(""), 999), "unit.unknown")
    rejected(
        lambda: store.snapshots.save(Actor(""), unit.id, saved_by="x" * 81),
        "snapshot.saved_by_too_long",
    )
    rejected(
        lambda: store.snapshots.save(Actor(""), unit.id, comment="x" * (NOTE_MAX + 1)),
        "snapshot.comment_too_long",
    )
    assert len(store.snapshots.of_unit(unit.id)) == 1


def test_snapshots_are_newest_first(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    middle = store.snapshots.save(Actor(""), unit.id, taken_at=datetime(2023, 6, 1))
    oldest = store.snapshots.save(Actor(""), unit.id, taken_at=datetime(2022, 1, 1))
    newest = store.snapshots.save(Actor(""), unit.id, taken_at=datetime(2024, 2, 29, 12))
    assert [s.id for s in store.snapshots.of_unit(unit.id)] == [newest.id, middle.id, oldest.id]
    assert store.snapshots.of_unit(store.units.create(Actor(""), "Skola").id) == []


def test_a_snapshot_is_immutable_when_the_working_state_changes(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    store.checklist.set_status(Actor(""), unit.id, P1, P)
    store.checklist.set_note(Actor(""), unit.id, P1, "Första")
    snap = store.snapshots.save(Actor(""), unit.id, taken_at=datetime(2024, 1, 1))
    recorded = store.snapshots.entries(snap.id)
    store.checklist.set_status(Actor(""), unit.id, P1, D)
    store.checklist.set_note(Actor(""), unit.id, P1, "Ändrad")
    store.checklist.set_status(Actor(""), unit.id, P2, D)
    store.practices.add(Actor(""), 1, "Senare", dimensions=["people"])
    assert store.snapshots.entries(snap.id) == recorded
    entries = {e.practice_id: e for e in recorded}
    assert (entries[P1].status, entries[P1].note) == (P, "Första")
    assert entries[P2].status is N
    assert len(recorded) == len(SHIPPED.practices)


def test_delete_snapshot_cascades_its_entries(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    keep = store.snapshots.save(Actor(""), unit.id, taken_at=datetime(2023, 1, 1))
    gone = store.snapshots.save(Actor(""), unit.id, taken_at=datetime(2024, 1, 1))
    assert row_counts(store)["snapshot_practice"] == 2 * len(SHIPPED.practices)
    store.snapshots.delete(Actor(""), gone.id)
    assert [s.id for s in store.snapshots.of_unit(unit.id)] == [keep.id]
    assert store.snapshots.entries(gone.id) == []
    assert row_counts(store)["snapshot_practice"] == len(SHIPPED.practices)
    assert len(store.snapshots.entries(keep.id)) == len(SHIPPED.practices)
    rejected(lambda: store.snapshots.get(gone.id), "snapshot.unknown")
    rejected(lambda: store.snapshots.delete(Actor(""), gone.id), "snapshot.unknown")


def _prepare_history(store: Lartrappan) -> tuple[int, int]:
    a = store.units.create(Actor(""), "Hemtjänst")
    b = store.units.create(Actor(""), "Skola")
    store.checklist.set_status(Actor(""), a.id, P1, P)
    store.snapshots.save(Actor(""), a.id, taken_at=datetime(2023, 1, 1))
    for p in SHIPPED.practices_of(1):
        store.checklist.set_status(Actor(""), a.id, p.id, D)
    for p in SHIPPED.practices_of(2):
        store.checklist.set_note(Actor(""), a.id, p.id, "Ingen sådan verksamhet")
        store.checklist.set_status(Actor(""), a.id, p.id, X)
    store.snapshots.save(Actor(""), a.id, taken_at=datetime(2024, 1, 1))
    store.checklist.set_status(Actor(""), b.id, "s3-sharing-culture", D)
    store.snapshots.save(Actor(""), b.id, taken_at=datetime(2023, 6, 1))
    return a.id, b.id


def test_history_matches_score(store: Lartrappan) -> None:
    a, b = _prepare_history(store)
    hist = store.snapshots.history([a, b])
    assert list(hist.columns) == [
        "unit_id",
        "snapshot_id",
        "taken_at",
        "completion_1",
        "completion_2",
        "completion_3",
        "maturity",
        "step_reached",
    ]
    assert list(hist["taken_at"]) == [
        datetime(2023, 1, 1),
        datetime(2023, 6, 1),
        datetime(2024, 1, 1),
    ]
    assert list(hist["unit_id"]) == [a, b, a]
    for row in hist.itertuples(index=False):
        expected = score((e.step, e.status) for e in store.snapshots.entries(row.snapshot_id))
        for s in (1, 2, 3):
            got, want = getattr(row, f"completion_{s}"), expected.of(s).completion
            assert math.isnan(got) if want is None else got == pytest.approx(want)
        assert row.maturity == pytest.approx(expected.maturity)
        assert row.step_reached == expected.step_reached
    latest = hist.iloc[2]
    assert latest["step_reached"] == 2  # step 1 done, step 2 all not applicable
    assert math.isnan(latest["completion_2"])
    assert hist.iloc[0]["completion_1"] == pytest.approx(0.5 / 4)
    assert list(store.snapshots.history([b])["unit_id"]) == [b]
    assert store.snapshots.history([]).empty
    assert store.snapshots.history([999]).empty


def test_unit_overview_gives_the_latest_snapshot_per_unit(store: Lartrappan) -> None:
    a, b = _prepare_history(store)
    c = store.units.create(Actor(""), "Utan ögonblicksbild").id
    overview = store.snapshots.overview([a, b, c]).set_index("unit_id")
    assert set(overview.index) == {a, b}
    latest_a = store.snapshots.of_unit(a)[0]
    assert overview.loc[a, "snapshot_id"] == latest_a.id
    assert overview.loc[a, "step_reached"] == 2
    assert overview.loc[a, "maturity"] == pytest.approx(4 / 6)
    assert overview.loc[b, "completion_3"] == 0.5
    assert overview.loc[b, "step_reached"] == 0
    assert set(store.snapshots.overview([b])["unit_id"]) == {b}


# ---------------------------------------------------------------- import


def record(
    path: tuple[str, ...],
    taken_at: datetime,
    statuses: dict[str, Status] | None = None,
    *,
    extra: tuple[SnapshotEntry, ...] = (),
    titles: dict[str, str] | None = None,
    row: int = 2,
    comment: str = "",
) -> SnapshotRecord:
    statuses = statuses or {}
    entries = (
        tuple(
            SnapshotEntry(
                p.id,
                p.step,
                statuses.get(p.id, N),
                "Motivering" if statuses.get(p.id) is X else "",
            )
            for p in SHIPPED.practices
        )
        + extra
    )
    return SnapshotRecord(
        unit_path=path,
        taken_at=taken_at,
        saved_by="Import",
        comment=comment,
        catalogue_version=1,
        entries=entries,
        rows=tuple(range(row, row + len(entries))),
        new_practice_titles=titles or {},
    )


NORR = ("Norrby kommun", "Vård och omsorg", "Hemtjänst Norr")


def test_import_creates_units_along_paths(store: Lartrappan) -> None:
    root = store.units.create(Actor(""), "Norrby kommun")
    result = store.transfer.import_records(
        Actor(""),
        [
            record(NORR, datetime(2023, 1, 1), {P1: D}),
            record(NORR, datetime(2023, 6, 1), {P1: D, P2: X}),
            record(("norrby kommun", "Vård och omsorg", "Hemtjänst Syd"), datetime(2023, 1, 1)),
        ],
    )
    assert (result.units_created, result.snapshots_created, result.snapshots_skipped) == (3, 3, 0)
    assert result.practices_created == 0
    tree = store.units.tree()
    north = tree.find(NORR)
    assert north is not None
    assert tree.path(north)[0] == "Norrby kommun"
    assert tree.find(("Norrby kommun",)) == root.id
    assert len(tree.units) == 4
    snaps = store.snapshots.of_unit(north)
    assert [s.taken_at for s in snaps] == [datetime(2023, 6, 1), datetime(2023, 1, 1)]
    entries = {e.practice_id: e for e in store.snapshots.entries(snaps[0].id)}
    assert entries[P2] == SnapshotEntry(P2, 1, X, "Motivering")
    assert snaps[0].saved_by == "Import"


def test_reimporting_the_same_file_is_skipped(store: Lartrappan) -> None:
    file = [record(NORR, datetime(2023, 1, 1), {P1: D}), record(NORR, datetime(2023, 6, 1))]
    store.transfer.import_records(Actor(""), file)
    counts = row_counts(store)
    again = store.transfer.import_records(Actor(""), file)
    assert (again.units_created, again.snapshots_created, again.snapshots_skipped) == (0, 0, 2)
    # nothing changed but the audit trail, which records that the file was imported again
    assert row_counts(store) == {**counts, "audit": counts["audit"] + 1}


def test_a_conflicting_import_is_rejected_and_writes_nothing(store: Lartrappan) -> None:
    store.transfer.import_records(Actor(""), [record(NORR, datetime(2023, 1, 1), {P1: D})])
    unit_id = store.units.tree().find(NORR)
    assert unit_id is not None
    store.checklist.set_status(Actor(""), unit_id, P2, P)
    counts = row_counts(store)
    before = every_row(store)
    new_practice = SnapshotEntry("custom-fran-fil", 2, D, "")
    file = [
        record(("Söderby kommun", "Skola"), datetime(2023, 2, 1), extra=(new_practice,)),
        record(NORR, datetime(2023, 6, 1), row=20),
        record(NORR, datetime(2023, 1, 1), {P1: P}, row=40),  # differs from the stored one
    ]
    problems = rejected(lambda: store.transfer.import_records(Actor(""), file), "import.conflict")
    assert len(problems) == 1
    assert problems[0].row == 40
    assert problems[0].params["unit"] == "Norrby kommun > Vård och omsorg > Hemtjänst Norr"
    assert "2023-01-01" in problems[0].params["date"]
    assert row_counts(store) == counts
    assert every_row(store) == before
    assert "custom-fran-fil" not in store.practices.catalogue(include_archived=True).practice_ids


def test_a_different_comment_is_a_conflict_too(store: Lartrappan) -> None:
    store.transfer.import_records(Actor(""), [record(NORR, datetime(2023, 1, 1), comment="Första")])
    rejected(
        lambda: store.transfer.import_records(
            Actor(""), [record(NORR, datetime(2023, 1, 1), comment="Andra")]
        ),
        "import.conflict",
    )


def test_import_creates_unknown_custom_practices(store: Lartrappan) -> None:
    result = store.transfer.import_records(
        Actor(""),
        [
            record(
                NORR,
                datetime(2023, 1, 1),
                extra=(
                    SnapshotEntry("custom-fran-fil", 2, D, ""),
                    SnapshotEntry("custom-utan-rubrik", 3, P, ""),
                ),
                titles={"custom-fran-fil": "Från filen"},
            ),
            record(NORR, datetime(2023, 2, 1), extra=(SnapshotEntry("custom-fran-fil", 2, P, ""),)),
        ],
    )
    assert result.practices_created == 2
    cat = store.practices.catalogue()
    assert cat.practice("custom-fran-fil").title.sv == "Från filen"
    assert cat.practice("custom-fran-fil").step == 2
    assert cat.practice("custom-fran-fil").custom
    assert cat.practice("custom-utan-rubrik").title.sv == "custom-utan-rubrik"
    assert cat.practice_ids[-1] == "custom-utan-rubrik"
    unit_id = store.units.tree().find(NORR)
    assert unit_id is not None
    store.checklist.set_status(
        Actor(""), unit_id, "custom-fran-fil", D
    )  # usable like any custom practice


def test_import_of_a_bad_unit_name_writes_nothing(store: Lartrappan) -> None:
    counts = row_counts(store)
    rejected(
        lambda: store.transfer.import_records(
            Actor(""), [record(("Norrby kommun", "Rad\nbrytning"), datetime(2023, 1, 1))]
        ),
        "unit.name_control_char",
    )
    assert row_counts(store) == counts


# ---------------------------------------------------------------- replace_working_state


def test_replace_working_state(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    store.checklist.set_status(Actor(""), unit.id, "s3-sharing-culture", P)
    store.checklist.replace(
        Actor("Demo"),
        unit.id,
        [
            PracticeState(P1, D, "  Klart  "),
            PracticeState(P2, X, "Ej relevant hos oss"),
            PracticeState("s2-performance", P),
        ],
    )
    state = store.checklist.state(unit.id)
    assert (state[P1].status, state[P1].note, state[P1].updated_by) == (D, "Klart", "Demo")
    assert (state[P2].status, state[P2].note) == (X, "Ej relevant hos oss")
    assert state["s2-performance"].status is P
    assert state["s3-sharing-culture"].status is P  # not in the list: untouched
    store.checklist.replace(Actor(""), unit.id, [PracticeState(P1, N)])
    assert store.checklist.state(unit.id)[P1].status is N
    assert store.checklist.state(unit.id)[P1].note == ""


@pytest.mark.parametrize(
    ("states", "key"),
    [
        ([PracticeState(P1, D), PracticeState(P2, X, " ")], "state.na_needs_note"),
        ([PracticeState(P1, D), PracticeState("s9-nope", D)], "practice.unknown"),
        ([PracticeState(P1, D), PracticeState(P2, D, "x" * (NOTE_MAX + 1))], "state.note_too_long"),
    ],
)
def test_replace_working_state_is_all_or_nothing(
    store: Lartrappan, states: list[PracticeState], key: str
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    store.checklist.set_status(Actor(""), unit.id, P1, P)
    before = store.checklist.state(unit.id)
    rejected(lambda: store.checklist.replace(Actor(""), unit.id, states), key)
    assert store.checklist.state(unit.id) == before
    rejected(
        lambda: store.checklist.replace(Actor(""), 999, [PracticeState(P1, D)]), "unit.unknown"
    )


def test_an_import_the_database_refuses_late_leaves_nothing_behind(store: Lartrappan) -> None:
    """All or nothing holds past the store's own checks: here the database itself refuses the
    last snapshot's rows (one practice twice) after the new units, every snapshot head and the
    earlier rows were written (PostgreSQL: by COPY, in the import's transaction)."""
    store.transfer.import_records(Actor(""), [record(NORR, datetime(2022, 1, 1), {P1: D})])
    before = every_row(store)
    file = [
        record(("Söderby kommun", "Skola"), datetime(2023, 1, 1)),
        record(NORR, datetime(2023, 2, 1), {P1: P}),
        record(NORR, datetime(2023, 3, 1), extra=(SnapshotEntry(P1, 1, D, "igen"),)),
    ]
    with pytest.raises(IntegrityError):
        store.transfer.import_records(Actor(""), file)
    assert every_row(store) == before
    assert (
        store.transfer.import_records(Actor(""), file[:2]).snapshots_created == 2
    )  # nothing half-written


@pytest.mark.postgresql_only
def test_an_import_on_postgresql_writes_its_snapshots_by_copy(store: Lartrappan) -> None:
    """On PostgreSQL the snapshot heads and rows of an import go in by COPY (a statement per
    table, however many rows), not by INSERT statements, which SQLAlchemy would see."""
    statements: list[str] = []

    def capture(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(store.db.engine, "before_cursor_execute", capture)
    try:
        result = store.transfer.import_records(
            Actor(""), [record(NORR, datetime(2023, 1, 1) + timedelta(days=i)) for i in range(30)]
        )
    finally:
        event.remove(store.db.engine, "before_cursor_execute", capture)
    assert result.snapshots_created == 30
    assert row_counts(store)["snapshot_practice"] == 30 * len(SHIPPED.practices)
    assert not [s for s in statements if s.lstrip().upper().startswith("INSERT INTO SNAPSHOT")]
