"""The checklist: each practice's status and note per unit, saved one at a time, with the
conflict protocol that keeps two people from silently overwriting each other.

The protocol: every write names the revision of the practice the writer last saw
(`based_on`). When someone else wrote in between, nothing is written and ConflictError
carries what is stored now (who, when, what); the writer's screen shows it, and a second
write, now based on the colleague's revision, overwrites it deliberately. A status click
sends the note along only as the justification of 'not applicable' (typed just before);
any other note goes through `set_note` (or its explicit "save my note anyway").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection

from staircase.domain.catalogue import Catalogue
from staircase.domain.model import (
    ConflictError,
    PracticeState,
    Problem,
    Status,
    ValidationError,
)
from staircase.domain.rules import check_justified, check_note
from staircase.domain.scoring import Score, score_working_state
from staircase.services.door import Actor, Door
from staircase.services.practices import Practices
from staircase.storage import units, working_state
from staircase.storage.database import Database


@dataclass(frozen=True)
class Seen:
    """What a person's screen showed of one practice when they acted."""

    revision: int | None
    """The revision shown; None writes whatever is stored (scripts, the CLI)."""
    note_shown: str = ""
    """The note as it was loaded."""
    note_typed: str | None = None
    """The note as it is in the field now (None: not known)."""

    @property
    def note_edited(self) -> bool:
        return self.note_typed is not None and self.note_typed != self.note_shown


@dataclass(frozen=True)
class UnitChecklist:
    """What the checklist shows of a unit, read in one transaction."""

    catalogue: Catalogue
    states: dict[str, PracticeState]
    """Practices never touched are absent (they are not started)."""
    score: Score


class Checklist:
    def __init__(self, db: Database, door: Door, practices: Practices) -> None:
        self.db, self.door, self.practices = db, door, practices

    def state(self, unit_id: int, *, actor: Actor | None = None) -> dict[str, PracticeState]:
        """Each practice's current state for a unit; practices never touched are absent."""
        with self.door.read(actor, unit=unit_id) as conn:
            return working_state.load(conn, unit_id)

    def of_unit(self, unit_id: int, *, actor: Actor | None = None) -> UnitChecklist:
        """The active catalogue, the unit's working state and its score, as one moment."""
        with self.door.read(actor, unit=unit_id) as conn:
            catalogue = self.practices.catalogue_in(conn)
            states = working_state.load(conn, unit_id)
        return UnitChecklist(catalogue, states, score_working_state(catalogue, states))

    def score(self, unit_id: int, *, actor: Actor | None = None) -> Score:
        """The unit's working state scored against the active catalogue."""
        return score_working_state(
            self.practices.catalogue(actor=actor), self.state(unit_id, actor=actor)
        )

    def choose_status(
        self, actor: Actor, unit_id: int, practice_id: str, status: Status, seen: Seen
    ) -> PracticeState:
        """A person picked a status on the checklist. The note they typed goes along only as
        the justification of 'not applicable'."""
        status = Status(status)
        justification = (
            seen.note_typed if status is Status.NOT_APPLICABLE and seen.note_edited else None
        )
        return self.set_status(
            actor, unit_id, practice_id, status, note=justification, based_on=seen.revision
        )

    def set_status(
        self,
        actor: Actor,
        unit_id: int,
        practice_id: str,
        status: Status,
        note: str | None = None,
        based_on: int | None = None,
    ) -> PracticeState:
        """Set one practice's status (and its note, when given, in the same transaction).

        'Not applicable' needs a justification in the note. With `based_on` (the revision
        the writer saw), a practice changed by someone else since is not overwritten:
        ConflictError says who changed it and when. Returns what is stored.
        """
        status = Status(status)
        if note is not None and (problems := check_note(note)):
            raise ValidationError(problems)
        with self.door.write(actor, "state.status", unit=unit_id) as conn:
            current = self._current(conn, unit_id, practice_id, based_on)
            new_note = current.note if note is None else note.strip()
            if problems := check_justified(status, new_note):
                raise ValidationError(problems)
            stored = working_state.write(conn, unit_id, current, status, new_note, actor.label)
            self.door.audit(conn, before=_audited(current), after=_audited(stored))
            return stored

    def set_note(
        self,
        actor: Actor,
        unit_id: int,
        practice_id: str,
        note: str,
        based_on: int | None = None,
    ) -> PracticeState:
        """Set one practice's note; `based_on` as for set_status."""
        note = note.strip()
        if problems := check_note(note):
            raise ValidationError(problems)
        with self.door.write(actor, "state.note", unit=unit_id) as conn:
            current = self._current(conn, unit_id, practice_id, based_on)
            if problems := check_justified(current.status, note):
                raise ValidationError(problems)
            stored = working_state.write(conn, unit_id, current, current.status, note, actor.label)
            self.door.audit(conn, before=_audited(current), after=_audited(stored))
            return stored

    def replace(self, actor: Actor, unit_id: int, states: Iterable[PracticeState]) -> None:
        """Set many practices of a unit at once (demo data, restoring from a snapshot)."""
        states = list(states)
        problems: list[Problem] = []
        for s in states:
            problems += check_justified(s.status, s.note) + check_note(s.note)
        if problems:
            raise ValidationError(problems[:1])
        with self.door.write(actor, "state.replace", unit=unit_id) as conn:
            before, after = [], []
            for s in states:
                current = self._current(conn, unit_id, s.practice_id, None)
                stored = working_state.write(
                    conn, unit_id, current, s.status, s.note.strip(), actor.label
                )
                before.append(_audited(current))
                after.append(_audited(stored))
            self.door.audit(conn, before=before, after=after)

    def _current(
        self, conn: Connection, unit_id: int, practice_id: str, based_on: int | None
    ) -> PracticeState:
        """What is stored for the practice, in the writing transaction; refuses an unknown or
        archived unit, an unknown or retired practice, and a write based on an old revision."""
        units.require_active(conn, unit_id)
        if practice_id not in self.practices.active_ids(conn):
            raise ValidationError(Problem("practice.unknown", {"practice_id": practice_id}))
        current = working_state.load_one(conn, unit_id, practice_id)
        if based_on is not None and current.revision != based_on:
            raise ConflictError(current)
        return current


def _audited(state: PracticeState) -> dict[str, object]:
    """What an audit record keeps of a practice's state (who and when are the record's own)."""
    return {
        "practice_id": state.practice_id,
        "status": state.status,
        "note": state.note,
        "revision": state.revision,
    }
