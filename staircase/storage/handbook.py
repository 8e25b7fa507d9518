"""Each unit's handbook: its vision, its answers to the reflection questions (each with a
revision that detects conflicts), its ambassadors and its ticked summary points."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from staircase.domain.handbook import VISION, Ambassador, Answer, Tick, UnitHandbook
from staircase.domain.moments import now
from staircase.storage.schema import (
    handbook_ambassador,
    handbook_answer,
    handbook_check,
    handbook_vision,
)


def load(conn: Connection, unit_id: int) -> UnitHandbook:
    """Everything the unit's handbook holds."""
    answers = conn.execute(select(handbook_answer).where(handbook_answer.c.unit_id == unit_id))
    ticks = conn.execute(select(handbook_check).where(handbook_check.c.unit_id == unit_id))
    return UnitHandbook(
        vision(conn, unit_id),
        {r.question_id: _answer(r, r.question_id) for r in answers},
        ambassadors(conn, unit_id),
        {r.point_id: _tick(r) for r in ticks},
    )


def answer(conn: Connection, unit_id: int, question_id: str) -> Answer:
    row = conn.execute(
        select(handbook_answer).where(
            handbook_answer.c.unit_id == unit_id, handbook_answer.c.question_id == question_id
        )
    ).first()
    return Answer(question_id) if row is None else _answer(row, question_id)


def vision(conn: Connection, unit_id: int) -> Answer:
    row = conn.execute(select(handbook_vision).where(handbook_vision.c.unit_id == unit_id)).first()
    return Answer(VISION) if row is None else _answer(row, VISION)


def write_answer(conn: Connection, unit_id: int, current: Answer, text: str, by: str) -> Answer:
    """Write an answer (or, for `current.question_id` VISION, the vision) over `current`,
    read in the same transaction."""
    stored = Answer(current.question_id, text, now(), by, current.revision + 1)
    values = {
        "text": text,
        "saved_at": stored.saved_at,
        "saved_by": by,
        "revision": stored.revision,
    }
    table: Table = handbook_vision if current.question_id == VISION else handbook_answer
    keys: dict[str, Any] = {"unit_id": unit_id}
    if current.question_id != VISION:
        keys["question_id"] = current.question_id
    if current.revision:
        where = [table.c[k] == v for k, v in keys.items()]
        conn.execute(update(table).where(*where).values(**values))
    else:
        conn.execute(insert(table).values(**keys, **values))
    return stored


def ambassadors(conn: Connection, unit_id: int) -> tuple[Ambassador, ...]:
    rows = conn.execute(
        select(handbook_ambassador)
        .where(handbook_ambassador.c.unit_id == unit_id)
        .order_by(handbook_ambassador.c.id)
    )
    return tuple(_ambassador(r) for r in rows)


def get_ambassador(conn: Connection, ambassador_id: int) -> Ambassador | None:
    row = conn.execute(
        select(handbook_ambassador).where(handbook_ambassador.c.id == ambassador_id)
    ).first()
    return None if row is None else _ambassador(row)


def add_ambassador(conn: Connection, unit_id: int, name: str, role: str, by: str) -> Ambassador:
    at = now()
    new_id = conn.execute(
        insert(handbook_ambassador)
        .values(unit_id=unit_id, name=name, role=role, saved_by=by, saved_at=at)
        .returning(handbook_ambassador.c.id)
    ).scalar_one()
    return Ambassador(new_id, unit_id, name, role, at, by)


def edit_ambassador(
    conn: Connection, current: Ambassador, name: str, role: str, by: str
) -> Ambassador:
    at = now()
    conn.execute(
        update(handbook_ambassador)
        .where(handbook_ambassador.c.id == current.id)
        .values(name=name, role=role, saved_by=by, saved_at=at)
    )
    return Ambassador(current.id, current.unit_id, name, role, at, by)


def remove_ambassador(conn: Connection, ambassador_id: int) -> None:
    conn.execute(delete(handbook_ambassador).where(handbook_ambassador.c.id == ambassador_id))


def tick(conn: Connection, unit_id: int, point_id: str) -> Tick | None:
    row = conn.execute(
        select(handbook_check).where(
            handbook_check.c.unit_id == unit_id, handbook_check.c.point_id == point_id
        )
    ).first()
    return None if row is None else _tick(row)


def set_tick(
    conn: Connection, unit_id: int, point_id: str, done: bool, by: str, exists: bool
) -> Tick:
    """Tick the point (or untick it); `exists`: a row for it is stored already."""
    stored = Tick(point_id, done, now(), by)
    values = {"done": done, "saved_by": by, "saved_at": stored.saved_at}
    if exists:
        conn.execute(
            update(handbook_check)
            .where(handbook_check.c.unit_id == unit_id, handbook_check.c.point_id == point_id)
            .values(**values)
        )
    else:
        conn.execute(insert(handbook_check).values(unit_id=unit_id, point_id=point_id, **values))
    return stored


def _answer(row: Any, question_id: str) -> Answer:
    return Answer(question_id, row.text, row.saved_at, row.saved_by, row.revision)


def _ambassador(row: Any) -> Ambassador:
    return Ambassador(row.id, row.unit_id, row.name, row.role, row.saved_at, row.saved_by)


def _tick(row: Any) -> Tick:
    return Tick(row.point_id, bool(row.done), row.saved_at, row.saved_by)
