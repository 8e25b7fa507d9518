"""Each unit's current status and note per practice, with the revision that detects conflicts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from staircase.domain.model import PracticeState, Status
from staircase.domain.moments import now
from staircase.storage.schema import practice_state


def load(conn: Connection, unit_id: int) -> dict[str, PracticeState]:
    """Each practice's current state for a unit; practices never touched are absent."""
    rows = conn.execute(select(practice_state).where(practice_state.c.unit_id == unit_id))
    return {r.practice_id: _state(r) for r in rows}


def load_one(conn: Connection, unit_id: int, practice_id: str) -> PracticeState:
    row = conn.execute(
        select(practice_state).where(
            practice_state.c.unit_id == unit_id, practice_state.c.practice_id == practice_id
        )
    ).first()
    return PracticeState(practice_id) if row is None else _state(row)


def write(
    conn: Connection, unit_id: int, current: PracticeState, status: Status, note: str, by: str
) -> PracticeState:
    """Write a practice's state over `current` (read in the same transaction)."""
    stored = PracticeState(current.practice_id, status, note, now(), by, current.revision + 1)
    values = {
        "status": status.value,
        "note": note,
        "updated_at": stored.updated_at,
        "updated_by": stored.updated_by,
        "revision": stored.revision,
    }
    key = (practice_state.c.unit_id == unit_id) & (
        practice_state.c.practice_id == current.practice_id
    )
    if current.revision:
        conn.execute(update(practice_state).where(key).values(**values))
    else:
        conn.execute(
            insert(practice_state).values(
                unit_id=unit_id, practice_id=current.practice_id, **values
            )
        )
    return stored


def _state(row: Any) -> PracticeState:
    return PracticeState(
        row.practice_id, Status(row.status), row.note, row.updated_at, row.updated_by, row.revision
    )
