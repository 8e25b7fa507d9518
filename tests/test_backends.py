"""What the store promises on every backend, where SQLite and PostgreSQL differ underneath:
writes one at a time across processes, timeouts instead of hangs, values the database refuses
reported as bad input, the snapshot uniqueness guard, naive local timestamps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import OperationalError

from staircase.domain.model import Status, ValidationError
from staircase.services import Actor, Lartrappan
from staircase.storage import schema as store_module

P1 = "s1-goal-linked"


def every_row(store: Lartrappan) -> dict[str, list[tuple[Any, ...]]]:
    with store.db.engine.connect() as conn:
        return {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
            for t in store_module.metadata.sorted_tables
        }


def test_a_writer_waits_for_the_write_lock_and_readers_do_not(
    store: Lartrappan, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process's write cannot start while one is under way; it fails after the lock
    timeout rather than interleaving with it. Reads go on meanwhile."""
    if backend == "sqlite":
        # pysqlite's busy timeout is given at connect; shorten it for the second session
        original = store_module.create_engine

        def short_busy_timeout(url: str, **kw: Any) -> Any:
            kw["connect_args"] = {**kw.get("connect_args", {}), "timeout": 0.2}
            return original(url, **kw)

        monkeypatch.setattr(store_module, "create_engine", short_busy_timeout)
    else:
        monkeypatch.setattr(store_module, "PG_LOCK_TIMEOUT", "200ms")
    colleague = Lartrappan(store.url)  # a second replica on the same database
    try:
        with store.db.write() as conn:
            conn.execute(text("UPDATE meta SET value = value"))  # the first writer is under way
            assert not colleague.units.any()  # reading is not held up
            with pytest.raises(OperationalError):
                colleague.units.create(Actor(""), "Hemtjänst")
        assert not store.units.any()
        colleague.units.create(
            Actor(""), "Hemtjänst"
        )  # once the first has committed, it goes through
        assert [u.name for u in store.units.tree().units.values()] == ["Hemtjänst"]
    finally:
        colleague.close()


@pytest.mark.postgresql_only
def test_postgresql_sessions_have_lock_and_statement_timeouts(store: Lartrappan) -> None:
    # a rejected write rolls back on the same pooled connection: the settings must outlive it
    with pytest.raises(ValidationError):
        store.units.create(Actor(""), "")
    with store.db.engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW lock_timeout").scalar_one() == "30s"
        assert conn.exec_driver_sql("SHOW statement_timeout").scalar_one() == "5min"


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(
            lambda s, u: s.checklist.set_status(Actor("B" * 81), u, P1, Status.DONE),
            id="by-too-long",
        ),
        pytest.param(
            lambda s, u: s.checklist.set_note(Actor(""), u, P1, "före\x00efter"), id="nul-in-note"
        ),
        pytest.param(
            lambda s, u: s.checklist.set_note(Actor("B\x00"), u, P1, "ok"), id="nul-in-name"
        ),
        pytest.param(
            lambda s, u: s.snapshots.save(Actor(""), u, "Kim", "a\x00b", datetime(2024, 1, 1)),
            id="nul-in-comment",
        ),
        pytest.param(
            lambda s, u: s.practices.add(
                Actor(""), 1, "Titel", description_sv="\x00", dimensions=["people"]
            ),
            id="nul-in-description",
        ),
    ],
)
def test_a_value_the_database_refuses_is_rejected_as_bad_input(
    store: Lartrappan, backend: str, write: Any
) -> None:
    """PostgreSQL enforces column lengths and refuses NUL characters; SQLite takes both. Either
    way the caller gets a ValidationError (never a driver error) and nothing is written."""
    unit = store.units.create(Actor(""), "Hemtjänst")
    before = every_row(store)
    if backend == "sqlite":
        write(store, unit.id)  # stored as given
        assert every_row(store) != before
        return
    with pytest.raises(ValidationError) as raised:
        write(store, unit.id)
    assert [p.key for p in raised.value.problems] == ["store.value_rejected"]
    assert every_row(store) == before


def test_the_database_refuses_a_second_snapshot_at_the_same_moment(
    store: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the store's own check (as if another writer had slipped in between), the unique
    constraint still refuses the duplicate, with the same message as the check."""
    unit = store.units.create(Actor(""), "Hemtjänst")
    moment = datetime(2024, 3, 1, 9, 30)
    store.snapshots.save(Actor(""), unit.id, "Kim", "först", moment)
    monkeypatch.setattr(
        Lartrappan, "_snapshot_at", staticmethod(lambda conn, unit_id, moment: None)
    )
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
        column = {c["name"]: c for c in inspect(store.engine).get_columns("snapshot")}["taken_at"]
        assert column["type"].timezone is False  # timestamp without time zone
