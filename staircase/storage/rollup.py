"""What an organisation's roll-up reads: each unit's latest snapshot before a moment (with its
practice rows), and where each unit stood at the end of each of a row of periods (its
stored score only).

Both find a unit's latest snapshot before a moment by one descending seek on the
(unit_id, taken_at) index per unit (a correlated subquery with LIMIT 1), so the work grows
with the units and the periods asked for, not with the history: a GROUP BY max(taken_at)
or a window over the snapshots reads every snapshot of every unit, sixty times as many
rows after five years of monthly follow-ups."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, DateTime, Integer, Select, literal, select, true, union_all

from staircase.storage.bulk import frame, id_slices
from staircase.storage.schema import snapshot, unit
from staircase.storage.snapshots import latest_entries, latest_of_unit

__all__ = ["assessed_before", "latest_entries", "states_at"]


def assessed_before(conn: Connection, unit_ids: Sequence[int], end: datetime) -> set[int]:
    """Those of the units with a snapshot taken before `end` (one index seek each)."""
    found: set[int] = set()
    for part in id_slices(unit_ids):
        query = select(unit.c.id).where(
            unit.c.id.in_(part), latest_of_unit(literal(end, DateTime)).is_not(None)
        )
        found.update(conn.execute(query).scalars())
    return found


def states_at(conn: Connection, unit_ids: Sequence[int], ends: Sequence[datetime]) -> pd.DataFrame:
    """Where each unit stood at each of the moments `ends` (its latest snapshot before it).

    Columns: unit_id, period (the index of the moment in `ends`), step_reached, maturity.
    A unit without a snapshot before a moment is absent for it.
    """
    columns = ["unit_id", "period", "step_reached", "maturity"]
    if not ends:
        return pd.DataFrame(columns=columns)
    # A table of the moments, as a union of one-row selects (SQLite has no column names for
    # a VALUES list).
    rows = [
        select(literal(k, Integer).label("period"), literal(end, DateTime).label("end_at"))
        for k, end in enumerate(ends)
    ]
    moments = (union_all(*rows) if len(rows) > 1 else rows[0]).subquery("ends")

    def query(part: list[int]) -> Select[Any]:
        return (
            select(
                snapshot.c.unit_id, moments.c.period, snapshot.c.step_reached, snapshot.c.maturity
            )
            .select_from(unit)
            .join(moments, true())
            .join(snapshot, snapshot.c.id == latest_of_unit(moments.c.end_at))
            .where(unit.c.id.in_(part))
        )

    return frame(conn, query([]), [query(part) for part in id_slices(unit_ids)])
