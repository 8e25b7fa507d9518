"""The improvement plan of a practice: who owns its next action, by when, what it is, and
the evidence (links) gathered on the way; and which actions are open or overdue.

The plan is working material, not part of the assessment: a snapshot records status and
note only, and the plan keeps its own who and when per practice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from staircase.domain.model import Problem, Status, Text, ValidationError
from staircase.domain.moments import format_moment

CLOSED = frozenset({Status.DONE, Status.NOT_APPLICABLE})
"""A practice ticked off, or marked not applicable, has no open action: its plan is done."""


@dataclass(frozen=True)
class PlanItem:
    """The plan of one practice for one unit; every field may be empty."""

    practice_id: str
    owner: str = ""
    due: date | None = None
    action: str = ""
    """The next action: what is to be done."""
    updated_at: datetime | None = None
    updated_by: str = ""
    revision: int = 0
    """How many times this plan has been written: 0 = never."""

    @property
    def is_empty(self) -> bool:
        return not (self.owner or self.due or self.action)


@dataclass(frozen=True)
class Evidence:
    """A link showing what has been done: opened on click only, never rendered as markup."""

    id: int
    unit_id: int
    practice_id: str
    url: str
    description: str
    added_at: datetime
    added_by: str = ""


@dataclass(frozen=True)
class PracticePlan:
    """A practice's plan item and its evidence, oldest first."""

    item: PlanItem
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class UnitPlan:
    """The plans of a unit's practices, read in one transaction."""

    plans: dict[str, PracticePlan] = field(default_factory=dict)
    """Practices with neither a plan nor evidence are absent."""

    def of(self, practice_id: str) -> PracticePlan:
        return self.plans.get(practice_id) or PracticePlan(PlanItem(practice_id))


@dataclass(frozen=True)
class OpenAction:
    """A next action not done yet: its practice is neither done nor not applicable."""

    unit_id: int
    unit_path: str
    unit_name: str
    practice_id: str
    practice_title: Text
    owner: str
    due: date | None
    action: str
    overdue: bool
    """Due before the day asked about (due that day is not overdue yet)."""


def is_open(item: PlanItem, status: Status | None) -> bool:
    """An action is open when it has been written down and its practice is not closed."""
    return bool(item.action.strip()) and (status or Status.NOT_STARTED) not in CLOSED


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and due < today


def by_due(action: OpenAction) -> tuple[bool, date, str, str]:
    """Earliest due date first; actions without one last; then by unit and practice."""
    return (action.due is None, action.due or date.max, action.unit_path, action.practice_id)


class PlanConflictError(ValidationError):
    """Someone else changed the practice's plan after the writer loaded it; nothing was written.

    `current` is what is stored now (who changed it, when, to what)."""

    def __init__(self, current: PlanItem) -> None:
        super().__init__(
            Problem(
                "plan.conflict",
                {"who": current.updated_by or "–", "when": format_moment(current.updated_at)},
            )
        )
        self.current = current
