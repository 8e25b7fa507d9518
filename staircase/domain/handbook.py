"""The leader's own handbook of a unit ("Vår handbok"): its vision for learning, its answers
to the reflection questions (the steps' and the handbook's own), its ambassadors and the
handbook's summary points ticked off.

Answers and the vision are saved as they are typed, each with a revision: a write based on
an older revision than the stored one is refused (HandbookConflictError), as a practice's
note or plan is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from staircase.domain.model import Problem, ValidationError
from staircase.domain.moments import format_moment

VISION = "vision"
"""What the vision's conflict and audit name it (it is one text per unit, no question)."""


@dataclass(frozen=True)
class Answer:
    """A unit's answer to one question (`question_id` VISION: its vision); empty when never
    written."""

    question_id: str
    text: str = ""
    saved_at: datetime | None = None
    saved_by: str = ""
    revision: int = 0
    """How many times it has been written: 0 = never."""


@dataclass(frozen=True)
class Ambassador:
    """Someone who helps the leader drive learning at the workplace: a name and a role."""

    id: int
    unit_id: int
    name: str
    role: str
    saved_at: datetime
    saved_by: str = ""


@dataclass(frozen=True)
class Tick:
    """A summary point of the handbook, ticked off (or not) by whom and when."""

    point_id: str
    done: bool = False
    saved_at: datetime | None = None
    saved_by: str = ""


@dataclass(frozen=True)
class UnitHandbook:
    """Everything a unit's handbook holds, read as one moment."""

    vision: Answer = Answer(VISION)
    answers: dict[str, Answer] = field(default_factory=dict)
    """Questions never answered are absent."""
    ambassadors: tuple[Ambassador, ...] = ()
    """In the order they were added."""
    ticks: dict[str, Tick] = field(default_factory=dict)

    def answer(self, question_id: str) -> Answer:
        return self.answers.get(question_id) or Answer(question_id)

    def tick(self, point_id: str) -> Tick:
        return self.ticks.get(point_id) or Tick(point_id)


class HandbookConflictError(ValidationError):
    """Someone else saved the answer (or the vision) after the writer loaded it; nothing was
    written. `current` is what is stored now (who, when, what)."""

    def __init__(self, current: Answer) -> None:
        key = "handbook.conflict_vision" if current.question_id == VISION else "handbook.conflict"
        super().__init__(
            Problem(key, {"who": current.saved_by or "–", "when": format_moment(current.saved_at)})
        )
        self.current = current
