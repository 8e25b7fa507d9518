"""Snapshots: saving one, reading them, their scores over time, bulk paths for import/export."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Select, delete, func, insert, select

from staircase.domain.model import NotFoundError, Problem, Snapshot, SnapshotEntry, Status
from staircase.domain.moments import now
from staircase.domain.records import SnapshotRecord
from staircase.domain.scoring import score, score_frame
from staircase.storage.bulk import INSERT_BATCH, frame, id_slices, insert_rows, moment, slices
from staircase.storage.schema import snapshot, snapshot_practice, unit

EXPORT_BATCH_ROWS = 10_000
"""Rows per batch that `export_batches` streams (memory stays flat at any size)."""
_PRACTICE_ROW = ("snapshot_id", "practice_id", "step", "status", "note")
_SNAPSHOT_ROW = (
    "unit_id",
    "taken_at",
    "saved_by",
    "comment",
    "catalogue_version",
    "created_at",
    "step_reached",
    "maturity",
)


@dataclass(frozen=True)
class ExportBatch:
    """A batch of export rows and the snapshots they belong to (see `export_batches`)."""

    snapshots: Mapping[int, Any]
    """Snapshot id → (id, unit_id, taken_at, saved_by, comment, catalogue_version)."""
    rows: Sequence[Any]
    """(snapshot_id, step, practice_id, status, note), in file order."""


def at(conn: Connection, unit_id: int, taken_at: datetime) -> int | None:
    """The id of the unit's snapshot of that moment, if there is one."""
    return conn.execute(
        select(snapshot.c.id).where(snapshot.c.unit_id == unit_id, snapshot.c.taken_at == taken_at)
    ).scalar_one_or_none()


def insert_one(conn: Connection, snap: Snapshot, entries: Sequence[SnapshotEntry]) -> int:
    scored = score((e.step, e.status) for e in entries)
    new_id: int = conn.execute(
        insert(snapshot)
        .values(
            unit_id=snap.unit_id,
            taken_at=snap.taken_at,
            saved_by=snap.saved_by,
            comment=snap.comment,
            catalogue_version=snap.catalogue_version,
            created_at=now(),
            step_reached=scored.step_reached,
            maturity=scored.maturity,
        )
        .returning(snapshot.c.id)
    ).scalar_one()
    conn.execute(
        insert(snapshot_practice),
        [
            {
                "snapshot_id": new_id,
                "practice_id": e.practice_id,
                "step": e.step,
                "status": e.status.value,
                "note": e.note,
            }
            for e in entries
        ],
    )
    return new_id


def of_unit(conn: Connection, unit_id: int) -> list[Snapshot]:
    """A unit's snapshots, newest first."""
    rows = conn.execute(
        select(snapshot).where(snapshot.c.unit_id == unit_id).order_by(snapshot.c.taken_at.desc())
    )
    return [_snapshot(r) for r in rows]


def get(conn: Connection, snapshot_id: int) -> Snapshot:
    row = conn.execute(select(snapshot).where(snapshot.c.id == snapshot_id)).first()
    if row is None:
        raise NotFoundError(Problem("snapshot.unknown"))
    return _snapshot(row)


def entries(conn: Connection, snapshot_id: int) -> list[SnapshotEntry]:
    rows = conn.execute(
        select(snapshot_practice)
        .where(snapshot_practice.c.snapshot_id == snapshot_id)
        .order_by(snapshot_practice.c.step, snapshot_practice.c.practice_id)
    )
    return [SnapshotEntry(r.practice_id, r.step, Status(r.status), r.note) for r in rows]


def remove(conn: Connection, snapshot_id: int) -> Snapshot:
    """Delete a snapshot (its practice rows go with it); returns what was deleted."""
    gone = get(conn, snapshot_id)
    conn.execute(delete(snapshot).where(snapshot.c.id == snapshot_id))
    return gone


def _snapshot(row: Any) -> Snapshot:
    return Snapshot(
        row.id, row.unit_id, row.taken_at, row.saved_by, row.comment, row.catalogue_version
    )


def latest_entries(
    conn: Connection, unit_ids: Sequence[int], before: datetime | None = None
) -> pd.DataFrame:
    """Each unit's latest snapshot (taken before `before`, when given), one row per practice
    of it, by unit id.

    Columns: unit_id, snapshot_id, taken_at, step_reached, maturity, practice_id, step,
    status. Units without a snapshot before then are absent.
    """

    def query(part: list[int]) -> Select[Any]:
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
            .select_from(unit)
            .join(snapshot, snapshot.c.id == latest_of_unit(before))
            .join(snapshot_practice, snapshot_practice.c.snapshot_id == snapshot.c.id)
            .where(unit.c.id.in_(part))
            .order_by(unit.c.id)  # as SQLite walks the IN list anyway; any database alike
        )

    return frame(conn, query([]), [query(part) for part in id_slices(unit_ids)])


def overview(conn: Connection, unit_ids: Sequence[int]) -> pd.DataFrame:
    """Latest snapshot score of each unit, by unit id: unit_id, taken_at, completion_1..3,
    maturity, step_reached (units without snapshots are absent).

    The latest snapshot of each unit is one descending seek on the index on
    (unit_id, taken_at) that the one-snapshot-per-moment constraint makes
    (`latest_of_unit`); the rows of that snapshot come from the primary key of
    snapshot_practice.
    """

    entries = latest_entries(conn, unit_ids)[
        ["unit_id", "snapshot_id", "taken_at", "step", "status"]
    ]
    return score_frame(entries, by=["unit_id", "snapshot_id", "taken_at"])


def latest_of_unit(before: Any = None) -> Any:
    """The id of the latest snapshot of the outer query's `unit` row (taken before `before`,
    a value or a column of the outer query, when given): a correlated subquery that costs
    one descending seek on the (unit_id, taken_at) index, where a GROUP BY max(taken_at)
    reads every snapshot of the unit."""
    seek = snapshot.alias("seek")
    query = select(seek.c.id).where(seek.c.unit_id == unit.c.id)
    if before is not None:
        query = query.where(seek.c.taken_at < before)
    return query.order_by(seek.c.taken_at.desc()).limit(1).correlate_except(seek).scalar_subquery()


def export_batches(
    conn: Connection, unit_ids: Sequence[int] | None = None, batch_rows: int = EXPORT_BATCH_ROWS
) -> Iterator[ExportBatch]:
    """Every snapshot × practice of the units (all units when None), in file order, in
    batches of at most `batch_rows` rows streamed from one query (never all in memory).

    The rows of one snapshot are consecutive (a snapshot may straddle two batches); each
    batch carries the snapshots its rows belong to, read once per snapshot rather than
    repeated on each of its practice rows.
    """
    rows = (
        select(
            snapshot_practice.c.snapshot_id,
            snapshot_practice.c.step,
            snapshot_practice.c.practice_id,
            snapshot_practice.c.status,
            snapshot_practice.c.note,
        )
        .join(snapshot, snapshot_practice.c.snapshot_id == snapshot.c.id)
        .order_by(
            snapshot.c.unit_id,
            snapshot.c.taken_at,
            snapshot_practice.c.step,
            snapshot_practice.c.practice_id,
        )
    )
    heads = select(
        snapshot.c.id,
        snapshot.c.unit_id,
        moment(snapshot.c.taken_at),
        snapshot.c.saved_by,
        snapshot.c.comment,
        snapshot.c.catalogue_version,
    )
    # The file is ordered by unit first, so slices of the sorted ids, one query each,
    # keep the order and stay under every database's limit of bound parameters.
    queries = (
        [rows]
        if unit_ids is None
        else [rows.where(snapshot.c.unit_id.in_(part)) for part in id_slices(unit_ids)]
    )
    for query in queries:
        result = conn.execution_options(yield_per=batch_rows).execute(query)
        for part in result.partitions(batch_rows):
            ids = list(dict.fromkeys(map(itemgetter(0), part)))
            found = {
                h.id: h
                for some in id_slices(ids)
                for h in conn.execute(heads.where(snapshot.c.id.in_(some)))
            }
            yield ExportBatch(found, part)


def export_count(conn: Connection, unit_ids: Sequence[int] | None = None) -> int:
    """How many rows `export_batches` gives for the units (all when None), by COUNT."""
    if unit_ids is None:
        return int(conn.execute(select(func.count()).select_from(snapshot_practice)).scalar_one())
    rows = select(func.count()).select_from(
        snapshot_practice.join(snapshot, snapshot_practice.c.snapshot_id == snapshot.c.id)
    )
    return sum(
        int(conn.execute(rows.where(snapshot.c.unit_id.in_(part))).scalar_one())
        for part in id_slices(unit_ids)
    )


def units_with_snapshots(conn: Connection, unit_ids: Sequence[int] | None = None) -> list[int]:
    """The units (of `unit_ids`, or all) that have a snapshot, in id order: those an export
    has rows of."""
    ids = select(snapshot.c.unit_id).distinct().order_by(snapshot.c.unit_id)
    if unit_ids is None:
        return list(conn.execute(ids).scalars())
    return [
        u
        for part in id_slices(unit_ids)
        for u in conn.execute(ids.where(snapshot.c.unit_id.in_(part))).scalars()
    ]


def history(conn: Connection, unit_ids: Sequence[int]) -> pd.DataFrame:
    """Scores of every snapshot of the units, oldest first.

    Columns: unit_id, snapshot_id, taken_at, completion_1..3, maturity, step_reached.
    """
    query = select(
        snapshot.c.unit_id,
        snapshot.c.id.label("snapshot_id"),
        moment(snapshot.c.taken_at),
        snapshot_practice.c.step,
        snapshot_practice.c.status,
    ).join(snapshot_practice, snapshot_practice.c.snapshot_id == snapshot.c.id)
    entries = frame(
        conn, query, [query.where(snapshot.c.unit_id.in_(part)) for part in id_slices(unit_ids)]
    )
    scored = score_frame(entries, by=["unit_id", "snapshot_id", "taken_at"])
    if scored.empty:
        return scored
    scored["taken_at"] = pd.to_datetime(scored["taken_at"])
    return scored.sort_values(["taken_at", "unit_id"], ignore_index=True)


def insert_many(conn: Connection, new: Sequence[tuple[int, SnapshotRecord]]) -> None:
    """Insert snapshots (unit id, record) with their practice rows, in bulk."""
    if not new:
        return
    created_at = now()
    for part in slices(new, INSERT_BATCH):
        heads = []
        for unit_id, r in part:
            scored = score((e.step, e.status) for e in r.entries)
            heads.append(
                (
                    unit_id,
                    r.taken_at,
                    r.saved_by,
                    r.comment,
                    r.catalogue_version,
                    created_at,
                    scored.step_reached,
                    scored.maturity,
                )
            )
        insert_rows(conn, snapshot, _SNAPSHOT_ROW, heads)
    ids = stored_moments(conn, {unit_id for unit_id, _ in new})
    rows: list[tuple[Any, ...]] = []
    for unit_id, r in new:
        sid = ids[(unit_id, r.taken_at)]
        rows.extend((sid, e.practice_id, e.step, e.status.value, e.note) for e in r.entries)
        if len(rows) >= INSERT_BATCH:
            insert_rows(conn, snapshot_practice, _PRACTICE_ROW, rows)
            rows = []
    insert_rows(conn, snapshot_practice, _PRACTICE_ROW, rows)


def stored_moments(conn: Connection, unit_ids: Iterable[int]) -> dict[tuple[int, datetime], int]:
    """(unit id, taken_at) → snapshot id, for every snapshot of the units."""
    found: dict[tuple[int, datetime], int] = {}
    query = select(snapshot.c.id, snapshot.c.unit_id, moment(snapshot.c.taken_at))
    for part in id_slices(unit_ids):
        for r in conn.execute(query.where(snapshot.c.unit_id.in_(part))):
            found[(r.unit_id, r.taken_at)] = r.id
    return found


def stored_contents(conn: Connection, snapshot_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """Snapshot id → its content, as `_content` gives a record's."""
    heads: dict[int, tuple[str, str, int]] = {}
    entries: dict[int, set[tuple[str, int, str, str]]] = {}
    sp = snapshot_practice.c
    for part in id_slices(snapshot_ids):
        for h in conn.execute(
            select(
                snapshot.c.id, snapshot.c.saved_by, snapshot.c.comment, snapshot.c.catalogue_version
            ).where(snapshot.c.id.in_(part))
        ):
            heads[h.id] = (h.saved_by, h.comment, h.catalogue_version)
            entries[h.id] = set()
        for e in conn.execute(
            select(sp.snapshot_id, sp.practice_id, sp.step, sp.status, sp.note).where(
                sp.snapshot_id.in_(part)
            )
        ):
            entries[e.snapshot_id].add((e.practice_id, e.step, e.status, e.note))
    return {sid: (*head, entries[sid]) for sid, head in heads.items()}


HEAD_BATCH = 20_000
"""Snapshot heads per batch when a report streams them."""


def heads_between(
    conn: Connection, unit_ids: Sequence[int], start: datetime, end: datetime
) -> Iterator[list[tuple[Any, ...]]]:
    """The units' snapshots taken in [start, end), one row each (unit_id, taken_at,
    saved_by, step_reached, maturity, comment), by unit then time, in batches of
    HEAD_BATCH streamed from one query per slice of units."""
    columns = (
        snapshot.c.unit_id,
        snapshot.c.taken_at,
        snapshot.c.saved_by,
        snapshot.c.step_reached,
        snapshot.c.maturity,
        snapshot.c.comment,
    )
    for part in id_slices(unit_ids):
        query = (
            select(*columns)
            .where(
                snapshot.c.unit_id.in_(part),
                snapshot.c.taken_at >= start,
                snapshot.c.taken_at < end,
            )
            .order_by(snapshot.c.unit_id, snapshot.c.taken_at)
        )
        result = conn.execution_options(yield_per=HEAD_BATCH).execute(query)
        for rows in result.partitions(HEAD_BATCH):
            yield [tuple(r) for r in rows]


def count_between(conn: Connection, unit_ids: Sequence[int], start: datetime, end: datetime) -> int:
    total = 0
    for part in id_slices(unit_ids):
        total += conn.execute(
            select(func.count()).where(
                snapshot.c.unit_id.in_(part),
                snapshot.c.taken_at >= start,
                snapshot.c.taken_at < end,
            )
        ).scalar_one()
    return int(total)
