"""Domain types shared by every module: statuses, dimensions, units, snapshots, problems."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from staircase.domain.moments import format_moment

Lang = Literal["sv", "en"]
LANGS: tuple[Lang, ...] = ("sv", "en")
DEFAULT_LANG: Lang = "sv"

STEPS = (1, 2, 3)
"""The three steps of the staircase; step 0 is the starting point and has no practices."""


class Status(StrEnum):
    """Where a unit stands on one practice: the three-level scale plus 'not applicable'."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_APPLICABLE = "not_applicable"


class Dimension(StrEnum):
    """What a practice develops: every step involves processes, people and systems."""

    PROCESSES = "processes"
    PEOPLE = "people"
    SYSTEMS = "systems"


@dataclass(frozen=True)
class Text:
    """A user-facing text in Swedish and English."""

    sv: str
    en: str

    def __call__(self, lang: Lang) -> str:
        return self.en if lang == "en" else self.sv


@dataclass(frozen=True)
class Unit:
    """What is assessed: an organisation or a part of one, in a tree."""

    id: int
    name: str
    parent_id: int | None
    archived: bool = False


@dataclass(frozen=True)
class PracticeState:
    """The working state of one practice for one unit."""

    practice_id: str
    status: Status = Status.NOT_STARTED
    note: str = ""
    updated_at: datetime | None = None
    updated_by: str = ""
    revision: int = 0
    """How many times this practice of this unit has been written: 0 = never."""


@dataclass(frozen=True)
class Snapshot:
    """An immutable, dated record of a unit's working state."""

    id: int
    unit_id: int
    taken_at: datetime
    saved_by: str
    comment: str
    catalogue_version: int


@dataclass(frozen=True)
class Problem:
    """One thing wrong with some input, as an i18n key and its parameters.

    `row` is the 1-based line number in a file (the header is line 1), `column` a column name.
    """

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    row: int | None = None
    column: str | None = None


class ValidationError(ValueError):
    """Input was rejected; nothing was written. Carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem) -> None:
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("; ".join(p.key for p in self.problems))


class NotFoundError(ValidationError):
    """A unit, snapshot or practice that does not exist (or no longer does): nothing written."""


class ConflictError(ValidationError):
    """Someone else changed the practice after the writer loaded it; nothing was written.

    `current` is what is stored now (who changed it, when, to what)."""

    def __init__(self, current: PracticeState) -> None:
        super().__init__(
            Problem(
                "state.conflict",
                {"who": current.updated_by or "–", "when": format_moment(current.updated_at)},
            )
        )
        self.current = current


class BusyError(ValidationError):
    """The database stayed locked by another write for longer than the busy timeout."""

    def __init__(self) -> None:
        super().__init__(Problem("store.busy"))


@dataclass(frozen=True)
class SnapshotEntry:
    """One practice as recorded in a snapshot (the step is kept: a snapshot is self-contained)."""

    practice_id: str
    step: int
    status: Status
    note: str = ""
