"""Each unit's improvement plan per practice (owner, due date, next action, with a revision
that detects conflicts) and its evidence links."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from staircase.domain.model import Status
from staircase.domain.moments import now
from staircase.domain.plan import Evidence, PlanItem
from staircase.storage.bulk import id_slices
from staircase.storage.schema import evidence, plan_item, practice_state


def load(conn: Connection, unit_id: int) -> tuple[dict[str, PlanItem], list[Evidence]]:
    """The unit's plan items by practice, and its evidence, oldest first."""
    items = conn.execute(select(plan_item).where(plan_item.c.unit_id == unit_id))
    links = conn.execute(
        select(evidence)
        .where(evidence.c.unit_id == unit_id)
        .order_by(evidence.c.added_at, evidence.c.id)
    )
    return {r.practice_id: _item(r) for r in items}, [_evidence(r) for r in links]


def load_one(conn: Connection, unit_id: int, practice_id: str) -> PlanItem:
    row = conn.execute(
        select(plan_item).where(
            plan_item.c.unit_id == unit_id, plan_item.c.practice_id == practice_id
        )
    ).first()
    return PlanItem(practice_id) if row is None else _item(row)


def write(
    conn: Connection,
    unit_id: int,
    current: PlanItem,
    owner: str,
    due: date | None,
    action: str,
    by: str,
) -> PlanItem:
    """Write a practice's plan over `current` (read in the same transaction)."""
    stored = PlanItem(current.practice_id, owner, due, action, now(), by, current.revision + 1)
    values = {
        "owner": owner,
        "due": due,
        "action": action,
        "updated_at": stored.updated_at,
        "updated_by": stored.updated_by,
        "revision": stored.revision,
    }
    key = (plan_item.c.unit_id == unit_id) & (plan_item.c.practice_id == current.practice_id)
    if current.revision:
        conn.execute(update(plan_item).where(key).values(**values))
    else:
        conn.execute(
            insert(plan_item).values(unit_id=unit_id, practice_id=current.practice_id, **values)
        )
    return stored


def add_evidence(
    conn: Connection, unit_id: int, practice_id: str, url: str, description: str, by: str
) -> Evidence:
    added_at = now()
    new_id = conn.execute(
        insert(evidence)
        .values(
            unit_id=unit_id,
            practice_id=practice_id,
            url=url,
            description=description,
            added_at=added_at,
            added_by=by,
        )
        .returning(evidence.c.id)
    ).scalar_one()
    return Evidence(new_id, unit_id, practice_id, url, description, added_at, by)


def get_evidence(conn: Connection, evidence_id: int) -> Evidence | None:
    row = conn.execute(select(evidence).where(evidence.c.id == evidence_id)).first()
    return None if row is None else _evidence(row)


def remove_evidence(conn: Connection, evidence_id: int) -> None:
    conn.execute(delete(evidence).where(evidence.c.id == evidence_id))


def with_actions(
    conn: Connection, unit_ids: Iterable[int], due_before: date | None = None
) -> list[tuple[int, PlanItem, Status | None]]:
    """The plan items of the units that name a next action (due before `due_before` only,
    when given), each with its practice's status (None: never ticked)."""
    ps = practice_state.c
    found: list[tuple[int, PlanItem, Status | None]] = []
    for part in id_slices(unit_ids):
        query = (
            select(plan_item, ps.status)
            .select_from(
                plan_item.outerjoin(
                    practice_state,
                    (ps.unit_id == plan_item.c.unit_id)
                    & (ps.practice_id == plan_item.c.practice_id),
                )
            )
            .where(plan_item.c.unit_id.in_(part), plan_item.c.action != "")
        )
        if due_before is not None:
            query = query.where(plan_item.c.due < due_before)
        for row in conn.execute(query):
            status = None if row.status is None else Status(row.status)
            found.append((row.unit_id, _item(row), status))
    return found


def items_of(conn: Connection, unit_ids: Sequence[int]) -> list[tuple[int, PlanItem]]:
    """Every stored plan item of the units (for an export), unit by unit."""
    found: list[tuple[int, PlanItem]] = []
    for part in id_slices(unit_ids):
        rows = conn.execute(
            select(plan_item)
            .where(plan_item.c.unit_id.in_(part))
            .order_by(plan_item.c.unit_id, plan_item.c.practice_id)
        )
        found += [(r.unit_id, _item(r)) for r in rows]
    return found


def _item(row: Any) -> PlanItem:
    return PlanItem(
        row.practice_id,
        row.owner,
        _day(row.due),
        row.action,
        row.updated_at,
        row.updated_by,
        row.revision,
    )


def _day(value: date | datetime | None) -> date | None:
    """A Date column as a date (some drivers hand back a datetime)."""
    return value.date() if isinstance(value, datetime) else value


def _evidence(row: Any) -> Evidence:
    return Evidence(
        row.id, row.unit_id, row.practice_id, row.url, row.description, row.added_at, row.added_by
    )
