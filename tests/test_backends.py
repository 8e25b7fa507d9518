"""What the store promises on every backend, where SQLite and PostgreSQL differ underneath:
writes one at a time across processes, timeouts instead of hangs ("busy, try again"), bad
text refused before the database sees it, values the database itself refuses reported as bad
input, the snapshot uniqueness guard, naive local timestamps."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, inspect, select, text

from staircase import settings
from staircase.__main__ import EXIT_OK, EXIT_REJECTED, main
from staircase.domain.model import (
    BusyError,
    PracticeState,
    SnapshotEntry,
    Status,
    ValidationError,
)
from staircase.domain.records import SnapshotRecord
from staircase.domain.rules import NAME_MAX
from staircase.i18n import t
from staircase.services import Actor, Lartrappan
from staircase.services.checklist import Seen
from staircase.storage import schema as store_module
from staircase.storage import snapshots as snapshot_rows

P1 = "s1-goal-linked"


def every_row(store: Lartrappan) -> dict[str, list[tuple[Any, ...]]]:
    with store.db.engine.connect() as conn:
        return {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
            for t in store_module.metadata.sorted_tables
        }


def when_not_busy(write: Callable[[], object]) -> None:
    """`write`, again while the database is busy: the PostgreSQL write lock is one for the
    whole database, so test runs of other checkouts on it may hold it for a moment."""
    for _ in range(50):
        try:
            write()
            return
        except BusyError:
            time.sleep(0.1)
    write()


def short_busy_timeout(monkeypatch: pytest.MonkeyPatch, seconds: float = 0.2) -> None:
    """Stores opened from now on give up waiting for the write lock after `seconds`."""
    monkeypatch.setenv("STAIRCASE_BUSY_TIMEOUT_S", str(seconds))
    settings.current.cache_clear()  # settings are read once per process


def test_a_writer_waits_for_the_write_lock_and_readers_do_not(
    store: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process's write cannot start while one is under way; it waits for the busy
    timeout, then fails with "busy, try again" (BusyError, never a driver error) rather than
    interleaving with it. Reads go on meanwhile."""
    short_busy_timeout(monkeypatch)
    colleague = Lartrappan(store.url)  # a second replica on the same database
    try:
        with store.db.write() as conn:
            conn.execute(text("UPDATE meta SET value = value"))  # the first writer is under way
            assert not colleague.units.any()  # reading is not held up
            began = time.monotonic()
            with pytest.raises(BusyError) as raised:
                colleague.units.create(Actor(""), "Hemtjänst")
            waited = time.monotonic() - began
        assert [p.key for p in raised.value.problems] == ["store.busy"]
        assert isinstance(raised.value, ValidationError)  # shown like any refused input
        assert 0.15 <= waited < 10, waited  # it did wait, for about the busy timeout
        assert not store.units.any()
        # once the first has committed, it goes through (on the same pooled connections)
        when_not_busy(lambda: colleague.units.create(Actor(""), "Hemtjänst"))
        assert [u.name for u in store.units.tree().units.values()] == ["Hemtjänst"]
    finally:
        colleague.close()


def test_a_store_opens_while_another_holds_the_write_lock(
    store: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a database whose schema is current writes nothing, so it does not wait for
    (or fail on) a long write of another process; only its own writes do."""
    short_busy_timeout(monkeypatch)
    with store.db.write() as conn:
        conn.execute(text("UPDATE meta SET value = value"))
        colleague = Lartrappan(store.url)
        try:
            assert colleague.db.migrations_run == []
            assert not colleague.units.any()
            with pytest.raises(BusyError):
                colleague.units.create(Actor(""), "Hemtjänst")
        finally:
            colleague.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_command_line_says_busy_try_again(
    store: Lartrappan,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
) -> None:
    """An import that finds the database locked by another write for longer than the busy
    timeout is refused with the message (exit 1, no traceback) and writes nothing."""
    unit = store.units.create(Actor(""), "Hemtjänst")
    store.snapshots.save(Actor(""), unit.id, "Kim", "", datetime(2024, 3, 1, 9, 30))
    file = tmp_path / "export.csv"
    assert main(["--db", store.url, "export", str(file)]) == EXIT_OK
    store.units.rename(Actor(""), unit.id, "Hemtjänst Norr")  # the import would create a unit
    capsys.readouterr()
    short_busy_timeout(monkeypatch)
    before = every_row(store)

    with store.db.write() as conn:
        conn.execute(text("UPDATE meta SET value = value"))  # another write is under way
        code = main(["--db", store.url, "--lang", lang, "import", str(file)])

    assert code == EXIT_REJECTED
    err = capsys.readouterr().err
    assert t("store.busy", lang) in err
    assert "Traceback" not in err and "OperationalError" not in err
    assert every_row(store) == before
    # and once the other write is done, the same import goes through
    monkeypatch.delenv("STAIRCASE_BUSY_TIMEOUT_S")
    settings.current.cache_clear()
    assert main(["--db", store.url, "--lang", lang, "import", str(file)]) == EXIT_OK
    assert store.units.tree().find(["Hemtjänst"]) is not None


@pytest.mark.postgresql_only
def test_postgresql_sessions_have_lock_and_statement_timeouts(store: Lartrappan) -> None:
    # a rejected write rolls back on the same pooled connection: the settings must outlive it
    with pytest.raises(ValidationError):
        store.units.create(Actor(""), "")
    with store.db.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar_one() == "30s"
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar_one() == "5min"


@pytest.mark.postgresql_only
def test_postgresql_lock_timeout_is_the_busy_timeout_setting(
    store: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    short_busy_timeout(monkeypatch, 2.5)
    colleague = Lartrappan(store.url)
    try:
        with colleague.db.engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW lock_timeout").scalar_one() == "2500ms"
    finally:
        colleague.close()


@pytest.mark.parametrize(
    ("write", "key"),
    [
        pytest.param(
            lambda s, u: s.checklist.set_status(Actor("B" * 81), u, P1, Status.DONE),
            "person.too_long",
            id="by-too-long",
        ),
        pytest.param(
            lambda s, u: s.checklist.set_note(Actor(""), u, P1, "före\x00efter"),
            "text.control_char",
            id="nul-in-note",
        ),
        pytest.param(
            lambda s, u: s.checklist.set_note(Actor("B\x00"), u, P1, "ok"),
            "person.control_char",
            id="nul-in-name",
        ),
        pytest.param(
            lambda s, u: s.checklist.set_note(Actor("Anna\nBo"), u, P1, "ok"),
            "person.control_char",
            id="line-break-in-name",
        ),
        pytest.param(
            lambda s, u: s.snapshots.save(Actor(""), u, "Kim", "a\x00b", datetime(2024, 1, 1)),
            "text.control_char",
            id="nul-in-comment",
        ),
        pytest.param(
            lambda s, u: s.snapshots.save(Actor(""), u, "K\x00im", "", datetime(2024, 1, 1)),
            "text.control_char",
            id="nul-in-saved-by",
        ),
        pytest.param(
            lambda s, u: s.checklist.set_status(
                Actor(""), u, P1, Status.NOT_APPLICABLE, note="Ej\x1b aktuellt"
            ),
            "text.control_char",
            id="escape-in-justification",
        ),
        pytest.param(
            lambda s, u: s.checklist.replace(
                Actor(""), u, [PracticeState(P1, Status.DONE, "a\x00")]
            ),
            "text.control_char",
            id="nul-in-replaced-note",
        ),
        pytest.param(
            lambda s, u: s.units.create(Actor(""), "Hem\x00tjänst"),
            "unit.name_control_char",
            id="nul-in-unit-name",
        ),
        pytest.param(
            lambda s, u: s.units.rename(Actor(""), u, "Hem\x00tjänst"),
            "unit.name_control_char",
            id="nul-in-new-unit-name",
        ),
        pytest.param(
            lambda s, u: s.practices.add(Actor(""), 1, "Tit\x00el", dimensions=["people"]),
            "text.control_char",
            id="nul-in-title",
        ),
        pytest.param(
            lambda s, u: s.practices.add(
                Actor(""), 1, "Titel", description_sv="\x00", dimensions=["people"]
            ),
            "text.control_char",
            id="nul-in-description",
        ),
    ],
)
def test_a_value_the_database_refuses_is_rejected_as_bad_input(
    store: Lartrappan, write: Any, key: str
) -> None:
    """PostgreSQL enforces column lengths and refuses NUL characters; SQLite takes both. The
    rules refuse such text before either sees it, with a message that says what is wrong, the
    same on both backends; the caller gets a ValidationError (never a driver error) and
    nothing is written."""
    unit = store.units.create(Actor(""), "Hemtjänst")
    before = every_row(store)
    with pytest.raises(ValidationError) as raised:
        write(store, unit.id)
    assert [p.key for p in raised.value.problems] == [key]
    assert every_row(store) == before


def test_too_long_a_name_of_who_acts_says_how_long(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    with pytest.raises(ValidationError) as raised:
        store.checklist.set_status(Actor(f" {'B' * (NAME_MAX + 1)} "), unit.id, P1, Status.DONE)
    [problem] = raised.value.problems
    assert (problem.key, problem.params) == ("person.too_long", {"max": NAME_MAX, "length": 81})
    stored = store.checklist.set_status(Actor(f" {'B' * NAME_MAX} "), unit.id, P1, Status.DONE)
    assert stored.updated_by == "B" * NAME_MAX  # at the limit (spaces aside) it goes through


def test_tabs_and_line_breaks_are_kept_in_notes_and_comments(store: Lartrappan) -> None:
    """The only control characters text may hold: tabs and line breaks, stored as typed."""
    unit = store.units.create(Actor(""), "Hemtjänst")
    note = "Rad ett\r\n\tRad två\nRad tre"
    assert store.checklist.set_note(Actor(""), unit.id, P1, note).note == note
    assert store.checklist.state(unit.id)[P1].note == note
    comment = "Före\tefter\nslut"
    snap = store.snapshots.save(Actor(""), unit.id, "Kim", comment, datetime(2024, 1, 1))
    [stored] = store.snapshots.of_unit(unit.id)
    assert stored.comment == snap.comment == comment
    assert {e.practice_id: e.note for e in store.snapshots.entries(snap.id)}[P1] == note


WRITES: dict[str, Callable[[Lartrappan, Actor, dict[str, Any]], object]] = {
    "units.create": lambda s, a, x: s.units.create(a, "Skola", x["unit"]),
    "units.rename": lambda s, a, x: s.units.rename(a, x["unit"], "Hemtjänst Norr"),
    "units.set_archived": lambda s, a, x: s.units.set_archived(a, x["unit"], True),
    "checklist.set_status": lambda s, a, x: s.checklist.set_status(a, x["unit"], P1, Status.DONE),
    "checklist.set_note": lambda s, a, x: s.checklist.set_note(a, x["unit"], P1, "Ny"),
    "checklist.choose_status": lambda s, a, x: s.checklist.choose_status(
        a, x["unit"], P1, Status.DONE, Seen(None)
    ),
    "checklist.replace": lambda s, a, x: s.checklist.replace(
        a, x["unit"], [PracticeState(P1, Status.DONE)]
    ),
    "snapshots.save": lambda s, a, x: s.snapshots.save(a, x["unit"], "", "", datetime(2024, 2, 1)),
    "snapshots.delete": lambda s, a, x: s.snapshots.delete(a, x["snapshot"]),
    "practices.add": lambda s, a, x: s.practices.add(a, 1, "Ännu en", dimensions=["people"]),
    "practices.archive": lambda s, a, x: s.practices.archive(a, x["practice"]),
    "transfer.import_csv": lambda s, a, x: s.transfer.import_csv(a, x["csv"]),
    "transfer.import_records": lambda s, a, x: s.transfer.import_records(a, [x["record"]]),
}


@pytest.mark.parametrize(
    ("actor", "key"),
    [
        pytest.param(Actor("B" * (NAME_MAX + 1)), "person.too_long", id="too-long"),
        pytest.param(Actor("B\x00"), "person.control_char", id="control-char"),
    ],
)
@pytest.mark.parametrize("write", WRITES)
def test_every_write_checks_who_acts(store: Lartrappan, write: str, actor: Actor, key: str) -> None:
    """The door checks the acting person's name for every write, before the database."""
    unit = store.units.create(Actor(""), "Hemtjänst")
    snap = store.snapshots.save(Actor(""), unit.id, "", "", datetime(2024, 1, 1))
    practice = store.practices.add(Actor(""), 2, "Egen praktik", dimensions=["people"])
    store.units.create(Actor(""), "Annan")
    data = store.transfer.export_csv()
    store.units.rename(Actor(""), unit.id, "Hemtjänst Syd")  # the file would create a unit
    record = SnapshotRecord(  # a new unit: an import of nothing new changes nothing
        ("Ny enhet",),
        datetime(2024, 3, 1),
        "",
        "",
        1,
        tuple(SnapshotEntry(p.id, p.step, Status.DONE, "") for p in store.shipped.practices),
        (2,),
        {},
    )
    context = {
        "unit": unit.id,
        "snapshot": snap.id,
        "practice": practice.id,
        "csv": data,
        "record": record,
    }
    before = every_row(store)
    with pytest.raises(ValidationError) as raised:
        WRITES[write](store, actor, context)
    assert [p.key for p in raised.value.problems] == [key]
    assert every_row(store) == before
    WRITES[write](store, Actor("Anna"), context)  # the same write by a valid name goes through
    assert every_row(store) != before


def test_a_value_the_database_itself_refuses_is_reported_as_bad_input(
    store: Lartrappan, backend: str
) -> None:
    """Past the rules (defence in depth): PostgreSQL refuses text longer than its column or
    holding NUL, SQLite takes both. On PostgreSQL the write becomes a ValidationError
    (store.value_rejected), never a driver error, and is rolled back whole."""
    before = every_row(store)
    for values in ({"key": "k" * 65, "value": "v"}, {"key": "nul", "value": "a\x00b"}):
        if backend == "sqlite":
            with store.db.write() as conn:
                conn.execute(insert(store_module.meta).values(**values))  # stored as given
            continue
        with pytest.raises(ValidationError) as raised, store.db.write() as conn:
            conn.execute(insert(store_module.meta).values(key="first", value="kept?"))
            conn.execute(insert(store_module.meta).values(**values))
        assert [p.key for p in raised.value.problems] == ["store.value_rejected"]
        assert every_row(store) == before
    if backend == "sqlite":
        assert every_row(store) != before


def test_the_database_refuses_a_second_snapshot_at_the_same_moment(
    store: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the store's own check (as if another writer had slipped in between), the unique
    constraint still refuses the duplicate, with the same message as the check."""
    unit = store.units.create(Actor(""), "Hemtjänst")
    moment = datetime(2024, 3, 1, 9, 30)
    store.snapshots.save(Actor(""), unit.id, "Kim", "först", moment)
    monkeypatch.setattr(snapshot_rows, "at", lambda conn, unit_id, moment: None)
    before = every_row(store)
    with pytest.raises(ValidationError) as raised:
        store.snapshots.save(Actor(""), unit.id, "Bo", "sedan", moment)
    assert [p.key for p in raised.value.problems] == ["snapshot.exists"]
    assert every_row(store) == before


def test_timestamps_are_naive_local_time(store: Lartrappan, backend: str) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst")
    moment = datetime(2024, 10, 27, 2, 30)  # the hour that occurs twice in Stockholm
    store.snapshots.save(Actor(""), unit.id, "Kim", "", moment)
    [snap] = store.snapshots.of_unit(unit.id)
    assert snap.taken_at == moment and snap.taken_at.tzinfo is None
    if backend == "postgresql":
        columns = inspect(store.db.engine).get_columns("snapshot")
        column = {c["name"]: c for c in columns}["taken_at"]
        assert column["type"].timezone is False  # timestamp without time zone
