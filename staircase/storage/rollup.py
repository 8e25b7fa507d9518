"""What an organisation's roll-up reads: each unit's latest snapshot before a moment (with its
practice rows) and each unit's last snapshot in each of a row of periods (its stored score
only). Both in one query per slice of unit ids, on the (unit_id, taken_at) index."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, case, func, literal, select

from staircase.storage.bulk import frame, id_slices, moment
from staircase.storage.schema import snapshot, snapshot_practice


def latest_entries(conn: Connection, unit_ids: Sequence[int], before: datetime) -> pd.DataFrame:
    """Each unit's latest snapshot taken before `before`, one row per practice of it.

    Columns: unit_id, snapshot_id, taken_at, step_reached, maturity, practice_id, step,
    status. Units without a snapshot before then are absent.
    """

    def query(part: list[int]) -> Select[Any]:
        latest = (
            select(snapshot.c.unit_id, func.max(snapshot.c.taken_at).label("taken_at"))
            .where(snapshot.c.unit_id.in_(part), snapshot.c.taken_at < before)
            .group_by(snapshot.c.unit_id)
            .subquery()
        )
        return (
            select(
                snapshot.c.unit_id,
                snapshot.c.id.label("snapshot_id"),
                moment(snapshot.c.taken_at),
                snapshot.c.step_reached,
                snapshot.c.maturity,
                snapshot_practice.c.practice_id,
                snapshot_practice.c.step,
                snapshot_practice.c.status,
            )
            .join(
                latest,
                (latest.c.unit_id == snapshot.c.unit_id)
                & (latest.c.taken_at == snapshot.c.taken_at),
            )
            .join(snapshot_practice, snapshot_practice.c.snapshot_id == snapshot.c.id)
        )

    return frame(conn, query([]), [query(part) for part in id_slices(unit_ids)])


def last_per_period(
    conn: Connection, unit_ids: Sequence[int], ends: Sequence[datetime]
) -> pd.DataFrame:
    """Each unit's last snapshot in each period, by its stored score.

    The periods are given by their (exclusive) ends, ascending: period 0 is everything
    before `ends[0]`, period k everything from `ends[k-1]` up to `ends[k]`. Snapshots from
    `ends[-1]` on are left out. Columns: unit_id, period, taken_at, step_reached, maturity;
    a unit appears only in the periods in which it has a snapshot (carry the last one
    forward to know where it stood at the end of a later period).
    """
    columns = ["unit_id", "period", "taken_at", "step_reached", "maturity"]
    if not ends:
        return pd.DataFrame(columns=columns)
    period = (
        case(
            *((snapshot.c.taken_at < end, k) for k, end in enumerate(ends[:-1])),
            else_=len(ends) - 1,
        )
        if len(ends) > 1
        else literal(0)
    ).label("period")

    def query(part: list[int]) -> Select[Any]:
        ranked = (
            select(
                snapshot.c.unit_id,
                period,
                snapshot.c.taken_at,
                snapshot.c.step_reached,
                snapshot.c.maturity,
                func.row_number()
                .over(
                    partition_by=(snapshot.c.unit_id, period),
                    order_by=snapshot.c.taken_at.desc(),
                )
                .label("rank"),
            )
            .where(snapshot.c.unit_id.in_(part), snapshot.c.taken_at < ends[-1])
            .subquery()
        )
        return select(
            ranked.c.unit_id,
            ranked.c.period,
            moment(ranked.c.taken_at),
            ranked.c.step_reached,
            ranked.c.maturity,
        ).where(ranked.c.rank == 1)

    return frame(conn, query([]), [query(part) for part in id_slices(unit_ids)])
