"""Targets and assessment rounds: their rows, and the snapshots a round looks at."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, insert, select, update

from staircase.domain.model import NotFoundError, Problem, ValidationError
from staircase.domain.steering import ANSWER_COLUMNS, Round, Target
from staircase.storage.bulk import frame, id_slices
from staircase.storage.schema import assessment_round, round_answer, snapshot, target, unit
from staircase.storage.snapshots import latest_of_unit

# ------------------------------------------------------------------------------ targets


def add_target(
    conn: Connection, unit_id: int, step: int | None, due: date | None, at: datetime, by: str
) -> Target:
    new_id = conn.execute(
        insert(target).values(unit_id=unit_id, step=step, due=due, set_at=at, set_by=by)
    ).inserted_primary_key
    assert new_id is not None
    return Target(int(new_id[0]), unit_id, step, due, at, by)


def targets_of(conn: Connection, unit_ids: Sequence[int] | None = None) -> list[Target]:
    """Every setting on the units (all units when None), oldest first."""
    query = select(target).order_by(target.c.set_at, target.c.id)
    if unit_ids is None:
        rows = list(conn.execute(query))
    else:
        rows = []
        for part in id_slices(unit_ids):
            rows += list(conn.execute(query.where(target.c.unit_id.in_(part))))
        rows.sort(key=lambda r: (r.set_at, r.id))
    return [_target(r) for r in rows]


def _target(r: Any) -> Target:
    return Target(r.id, r.unit_id, r.step, r.due, r.set_at, r.set_by)


# ------------------------------------------------------------------------------- rounds


def add_round(
    conn: Connection, unit_id: int, name: str, starts: date, due: date, at: datetime, by: str
) -> Round:
    new_id = conn.execute(
        insert(assessment_round).values(
            unit_id=unit_id, name=name, starts=starts, due=due, opened_at=at, opened_by=by
        )
    ).inserted_primary_key
    assert new_id is not None
    return Round(int(new_id[0]), unit_id, name, starts, due, at, by)


def rounds_of(conn: Connection, unit_ids: Sequence[int] | None = None) -> list[Round]:
    """The rounds opened on the units (all when None), latest start first."""
    query = select(assessment_round)
    if unit_ids is None:
        rows = list(conn.execute(query))
    else:
        rows = []
        for part in id_slices(unit_ids):
            rows += list(conn.execute(query.where(assessment_round.c.unit_id.in_(part))))
    found = [_round(r) for r in rows]
    return sorted(found, key=lambda r: (r.starts, r.opened_at, r.id), reverse=True)


def get_round(conn: Connection, round_id: int) -> Round:
    row = conn.execute(select(assessment_round).where(assessment_round.c.id == round_id)).first()
    if row is None:
        raise NotFoundError(Problem("round.unknown", {"id": round_id}))
    return _round(row)


def close_round(
    conn: Connection,
    rnd: Round,
    expected: Sequence[int],
    chosen: pd.DataFrame,
    latest_any: pd.DataFrame,
    at: datetime,
    by: str,
) -> None:
    """Freeze the round: its units and their answers (`chosen`: `ANSWER_COLUMNS`)."""
    done = conn.execute(
        update(assessment_round)
        .where(assessment_round.c.id == rnd.id, assessment_round.c.closed_at.is_(None))
        .values(closed_at=at, closed_by=by)
    )
    if done.rowcount != 1:
        raise ValidationError(Problem("round.closed", {"name": rnd.name}))
    by_unit = {int(r.unit_id): r for r in chosen.itertuples(index=False)}
    last = {int(r.unit_id): str(r.saved_by) for r in latest_any.itertuples(index=False)}
    rows = []
    for u in expected:
        a = by_unit.get(u)
        rows.append(
            {
                "round_id": rnd.id,
                "unit_id": u,
                "snapshot_id": None if a is None else int(a.snapshot_id),
                "taken_at": None if a is None else pd.Timestamp(a.taken_at).to_pydatetime(),
                "step_reached": None if a is None else int(a.step_reached),
                "maturity": None if a is None or pd.isna(a.maturity) else float(a.maturity),
                "saved_by": str(a.saved_by) if a is not None else last.get(u, ""),
            }
        )
    if rows:
        conn.execute(insert(round_answer), rows)


def frozen(conn: Connection, round_id: int) -> tuple[list[int], pd.DataFrame, pd.DataFrame]:
    """A closed round's units, its answers (`ANSWER_COLUMNS`) and, for the units without
    one, who last saved a snapshot (unit_id, saved_by, taken_at)."""
    rows = list(
        conn.execute(
            select(round_answer)
            .where(round_answer.c.round_id == round_id)
            .order_by(round_answer.c.unit_id)
        )
    )
    expected = [int(r.unit_id) for r in rows]
    answered = pd.DataFrame(
        [
            (r.unit_id, r.snapshot_id, r.taken_at, r.step_reached, r.maturity, r.saved_by)
            for r in rows
            if r.snapshot_id is not None
        ],
        columns=ANSWER_COLUMNS,
    )
    missing = pd.DataFrame(
        [(r.unit_id, r.saved_by, None) for r in rows if r.snapshot_id is None],
        columns=["unit_id", "saved_by", "taken_at"],
    )
    return expected, answered, missing


def _round(r: Any) -> Round:
    return Round(
        r.id,
        r.unit_id,
        r.name,
        r.starts,
        r.due,
        r.opened_at,
        r.opened_by,
        r.closed_at,
        r.closed_by,
    )


# ---------------------------------------------------------------------------- snapshots


def snapshots_between(
    conn: Connection, unit_ids: Sequence[int], start: datetime, end: datetime
) -> pd.DataFrame:
    """The units' snapshots taken in [start, end): `ANSWER_COLUMNS` (one index range scan
    per unit on (unit_id, taken_at))."""
    columns = [
        snapshot.c.unit_id,
        snapshot.c.id.label("snapshot_id"),
        snapshot.c.taken_at,
        snapshot.c.step_reached,
        snapshot.c.maturity,
        snapshot.c.saved_by,
    ]

    def query(part: list[int]) -> Any:
        return select(*columns).where(
            snapshot.c.unit_id.in_(part), snapshot.c.taken_at >= start, snapshot.c.taken_at < end
        )

    return frame(conn, query([]), [query(part) for part in id_slices(unit_ids)])


def latest_saved_by(conn: Connection, unit_ids: Sequence[int]) -> pd.DataFrame:
    """Who saved each unit's latest snapshot, and when it was taken: unit_id, saved_by,
    taken_at (units without a snapshot are absent)."""

    def query(part: list[int]) -> Any:
        return (
            select(snapshot.c.unit_id, snapshot.c.saved_by, snapshot.c.taken_at)
            .select_from(unit)
            .join(snapshot, snapshot.c.id == latest_of_unit())
            .where(unit.c.id.in_(part))
        )

    return frame(conn, query([]), [query(part) for part in id_slices(unit_ids)])
