"""Snapshots: saving a unit's working state as a dated record, reading and deleting them,
and their scores over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy.exc import IntegrityError

from staircase.domain.access import Right
from staircase.domain.model import (
    NotFoundError,
    Problem,
    Snapshot,
    SnapshotEntry,
    Status,
    ValidationError,
)
from staircase.domain.moments import now
from staircase.domain.rules import NAME_MAX, check_note, has_control
from staircase.services.door import LATER, Actor, Door
from staircase.services.practices import Practices
from staircase.storage import snapshots, units, working_state
from staircase.storage.database import Database
from staircase.storage.schema import SNAPSHOTS_REVISION


class Snapshots:
    def __init__(self, db: Database, door: Door, practices: Practices) -> None:
        self.db, self.door, self.practices = db, door, practices

    def save(
        self,
        actor: Actor,
        unit_id: int,
        saved_by: str = "",
        comment: str = "",
        taken_at: datetime | None = None,
    ) -> Snapshot:
        """Record the unit's working state, as it is at this moment, as an immutable snapshot
        (back-dated to `taken_at` when given, never in the future)."""
        moment = (taken_at or now()).replace(microsecond=0)
        problems = []
        if moment > now():
            problems.append(Problem("snapshot.future", {"date": moment.isoformat(" ")}))
        if len(saved_by.strip()) > NAME_MAX:
            problems.append(Problem("snapshot.saved_by_too_long", {"max": NAME_MAX}))
        elif has_control(saved_by):
            problems.append(Problem("text.control_char"))
        problems += check_note(comment, "snapshot.comment_too_long")
        if problems:
            raise ValidationError(problems)
        with self.door.write(
            actor, "snapshot.save", touches=[SNAPSHOTS_REVISION], unit=unit_id
        ) as conn:
            catalogue = self.practices.catalogue_in(conn)
            units.require_active(conn, unit_id)
            if snapshots.at(conn, unit_id, moment) is not None:
                raise ValidationError(Problem("snapshot.exists", {"date": moment.isoformat(" ")}))
            state = working_state.load(conn, unit_id)
            entries = [
                SnapshotEntry(
                    p.id,
                    p.step,
                    state[p.id].status if p.id in state else Status.NOT_STARTED,
                    state[p.id].note if p.id in state else "",
                )
                for p in catalogue.practices
            ]
            snap = Snapshot(
                0, unit_id, moment, saved_by.strip(), comment.strip(), catalogue.version
            )
            try:
                new_id = snapshots.insert_one(conn, snap, entries)
            except IntegrityError as exc:
                # The unique (unit_id, taken_at) constraint: the same answer as the check above
                # (which the write lock makes race-free; this is the database's own guard).
                raise ValidationError(
                    Problem("snapshot.exists", {"date": moment.isoformat(" ")})
                ) from exc
            self.door.audit(conn, after={"snapshot_id": new_id, "taken_at": moment})
        return Snapshot(
            new_id, unit_id, moment, snap.saved_by, snap.comment, snap.catalogue_version
        )

    def delete(self, actor: Actor, snapshot_id: int) -> Snapshot:
        """Delete a snapshot for good (a deliberate, confirmed act); returns what it was."""
        with self.door.write(
            actor, "snapshot.delete", touches=[SNAPSHOTS_REVISION], unit=LATER
        ) as conn:
            self.door.check(
                conn, actor, "snapshot.delete", snapshots.get(conn, snapshot_id).unit_id
            )
            gone = snapshots.remove(conn, snapshot_id)
            self.door.audit(conn, before=gone, unit=gone.unit_id)
            return gone

    def of_unit(self, unit_id: int, *, actor: Actor | None = None) -> list[Snapshot]:
        """A unit's snapshots, newest first."""
        with self.door.read(actor, unit=unit_id) as conn:
            return snapshots.of_unit(conn, unit_id)

    def get(self, snapshot_id: int, *, actor: Actor | None = None) -> Snapshot:
        with self.door.read(actor) as conn:
            found = snapshots.get(conn, snapshot_id)
            self.door.require(conn, actor, Right.READ, [found.unit_id])
            return found

    def entries(self, snapshot_id: int, *, actor: Actor | None = None) -> list[SnapshotEntry]:
        with self.door.read(actor) as conn:
            try:
                unit_id = snapshots.get(conn, snapshot_id).unit_id
            except NotFoundError:
                return []  # as before: a deleted snapshot has no entries
            self.door.require(conn, actor, Right.READ, [unit_id])
            return snapshots.entries(conn, snapshot_id)

    def history(self, unit_ids: Sequence[int], *, actor: Actor | None = None) -> pd.DataFrame:
        """Scores of every snapshot of the units, oldest first.

        Columns: unit_id, snapshot_id, taken_at, completion_1..3, maturity, step_reached.
        """
        with self.door.read(actor, units=unit_ids) as conn:
            return snapshots.history(conn, unit_ids)

    def overview(self, unit_ids: Sequence[int], *, actor: Actor | None = None) -> pd.DataFrame:
        """Latest snapshot score of each unit, by unit id: unit_id, taken_at, completion_1..3,
        maturity, step_reached (units without snapshots are absent)."""
        with self.door.read(actor, units=unit_ids) as conn:
            return snapshots.overview(conn, unit_ids)
