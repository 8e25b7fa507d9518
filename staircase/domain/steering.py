"""Steering the climb: targets (where a unit should stand by when) and assessment rounds
(every unit under a unit follows up by a date). The rules, pure; storage and services
read and write what they decide.

Targets
-------
A target is a step (1–3) and a date, set on a unit. It holds for the unit and every unit
under it, unless a unit nearer has one of its own: setting a target on a förvaltning sets
it for all its units at once, and a unit's own target overrides it. Targets are never
changed in place: each setting is a new record (who, when), so the history stays; clearing
a unit's own target is a record without a step, after which the inherited one holds again.

A unit with a target is, at the end of a day:
- *reached* when the step of its latest snapshot is at least the target step (whenever
  that happens, before or after the date);
- *behind* when not reached and the target date has passed (the target date itself still
  counts as in time);
- *on track* otherwise: not reached yet, with time left.
A unit without a snapshot stands on step 0. The gap is the target step minus the step
reached (0 when reached).

Rounds
------
A round asks every unit under a unit (those expected to assess themselves, as in the
roll-up) for a snapshot between its start and due dates, both days included. The unit's
answer is its latest snapshot *dated* in that window: what counts is the day the
assessment is about, not when it was typed in, so a snapshot back-dated into the window
counts and one back-dated to before the start does not, even when saved after the round
opened. Closing a round freezes its list: the units asked and their answers are stored,
and later snapshots, units or archivings change nothing in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import pandas as pd

from staircase.domain.model import STEPS, Problem
from staircase.domain.rules import TITLE_MAX, has_control
from staircase.domain.units import UnitTree

LEVELS = (0, *STEPS)


class TargetState(StrEnum):
    REACHED = "reached"
    ON_TRACK = "on_track"
    BEHIND = "behind"


STATE_ORDER = (TargetState.BEHIND, TargetState.ON_TRACK, TargetState.REACHED)


@dataclass(frozen=True)
class Target:
    """One setting of a target on a unit (step None: the unit's own target cleared)."""

    id: int
    unit_id: int
    step: int | None
    due: date | None
    set_at: datetime
    set_by: str


def check_target(step: int, due: date, today: date) -> list[Problem]:
    """A target step is 1–3 and its date is not in the past."""
    problems = []
    if step not in STEPS:
        problems.append(Problem("target.bad_step", {"step": step}))
    if due < today:
        problems.append(Problem("target.date_past", {"due": due.isoformat()}))
    return problems


def current_targets(settings: Iterable[Target]) -> dict[int, Target]:
    """Unit id → its latest setting (a cleared one included: it hides nothing above)."""
    latest: dict[int, Target] = {}
    for s in sorted(settings, key=lambda s: (s.set_at, s.id)):
        latest[s.unit_id] = s
    return latest


def effective_target(tree: UnitTree, unit_id: int, current: Mapping[int, Target]) -> Target | None:
    """The target that holds for a unit: its own, else the nearest unit above's."""
    at: int | None = unit_id
    while at is not None:
        own = current.get(at)
        if own is not None and own.step is not None:
            return own
        at = tree.units[at].parent_id
    return None


def target_state(step_reached: int, target: Target, today: date) -> TargetState:
    assert target.step is not None and target.due is not None
    if step_reached >= target.step:
        return TargetState.REACHED
    return TargetState.BEHIND if today > target.due else TargetState.ON_TRACK


TARGET_COLUMNS = [
    "unit_id",
    "target_step",
    "target_due",
    "target_set_on",
    "step_reached",
    "state",
    "gap",
    "days_left",
]


def target_progress(
    tree: UnitTree,
    unit_ids: Sequence[int],
    current: Mapping[int, Target],
    scores: pd.DataFrame,
    today: date,
) -> pd.DataFrame:
    """Per unit of `unit_ids` with a target: the target (and the unit it was set on), the
    step reached (0 without a snapshot), its state, the gap in steps and the days left
    (negative when passed). `scores`: one row per assessed unit (`unit_id`, `step_reached`)."""
    reached = (
        dict(zip(scores["unit_id"].astype(int), scores["step_reached"].astype(int), strict=True))
        if len(scores)
        else {}
    )
    rows = []
    for u in unit_ids:
        target = effective_target(tree, u, current)
        if target is None:
            continue
        assert target.step is not None and target.due is not None
        step = reached.get(u, 0)
        rows.append(
            {
                "unit_id": u,
                "target_step": target.step,
                "target_due": target.due,
                "target_set_on": target.unit_id,
                "step_reached": step,
                "state": target_state(step, target, today).value,
                "gap": max(target.step - step, 0),
                "days_left": (target.due - today).days,
            }
        )
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


@dataclass(frozen=True)
class TargetSummary:
    """How the units with a target stand: counts per state and those behind."""

    units_in_scope: int
    table: pd.DataFrame
    """`target_progress`, behind first (largest gap, earliest date), then on track, then
    reached."""

    def count(self, state: TargetState) -> int:
        return int((self.table["state"] == state.value).sum()) if len(self.table) else 0

    @property
    def without_target(self) -> int:
        return self.units_in_scope - len(self.table)

    @property
    def behind(self) -> pd.DataFrame:
        return self.table[self.table["state"] == TargetState.BEHIND.value]


def summarise_targets(table: pd.DataFrame, units_in_scope: int) -> TargetSummary:
    if len(table):
        order = {s.value: k for k, s in enumerate(STATE_ORDER)}
        table = (
            table.assign(_order=table["state"].map(order))
            .sort_values(["_order", "gap", "target_due"], ascending=[True, False, True])
            .drop(columns="_order")
            .reset_index(drop=True)
        )
    return TargetSummary(units_in_scope, table)


# ------------------------------------------------------------------------------- rounds


@dataclass(frozen=True)
class Round:
    id: int
    unit_id: int
    name: str
    starts: date
    due: date
    opened_at: datetime
    opened_by: str
    closed_at: datetime | None = None
    closed_by: str = ""

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def covers(self, day: date) -> bool:
        return self.starts <= day <= self.due


def check_round(name: str, starts: date, due: date, today: date) -> list[Problem]:
    """A round has a name, and a window that ends on or after its start and not in the past."""
    problems = []
    cleaned = name.strip()
    if not cleaned:
        problems.append(Problem("round.name_empty"))
    elif len(cleaned) > TITLE_MAX:
        problems.append(Problem("round.name_too_long", {"max": TITLE_MAX}))
    elif has_control(cleaned):
        problems.append(Problem("text.control_char"))
    if due < starts:
        problems.append(
            Problem(
                "round.due_before_start", {"starts": starts.isoformat(), "due": due.isoformat()}
            )
        )
    elif due < today:
        problems.append(Problem("round.due_past", {"due": due.isoformat()}))
    return problems


ANSWER_COLUMNS = ["unit_id", "snapshot_id", "taken_at", "step_reached", "maturity", "saved_by"]


def answers(in_window: pd.DataFrame, expected: Sequence[int]) -> pd.DataFrame:
    """Each expected unit's answer: its latest snapshot of `in_window` (the snapshots dated
    in the round's window, `ANSWER_COLUMNS`); units without one are absent."""
    if in_window.empty:
        return pd.DataFrame(columns=ANSWER_COLUMNS)
    rows = in_window[in_window["unit_id"].isin(list(expected))]
    return (
        rows.sort_values(["unit_id", "taken_at"])
        .drop_duplicates("unit_id", keep="last")[ANSWER_COLUMNS]
        .reset_index(drop=True)
    )


def burn_up(first_answer_days: Iterable[date], starts: date, until: date) -> pd.DataFrame:
    """Units answered by the end of each day of the window up to `until`: day, answered.

    `first_answer_days`: per unit, the day of its first snapshot in the window (a unit
    counts from the day it first answered)."""
    days = sorted(first_answer_days)
    rows = []
    k = 0
    day = starts
    while day <= until:
        while k < len(days) and days[k] <= day:
            k += 1
        rows.append({"day": day, "answered": k})
        day += timedelta(days=1)
    return pd.DataFrame(rows, columns=["day", "answered"])


@dataclass(frozen=True)
class RoundStatus:
    """Where a round stands (open: now; closed: as frozen)."""

    round: Round
    expected: tuple[int, ...]
    """The units asked."""
    answers: pd.DataFrame
    """One row per unit that answered: `ANSWER_COLUMNS`."""
    missing: pd.DataFrame
    """One row per unit that has not: unit_id, last_saved_by (who saved its latest snapshot
    at all, where known), last_taken_at."""
    burn_up: pd.DataFrame
    """`burn_up` over the window, up to today (or the due date)."""
    previous: RoundStatus | None = None
    """The unit's round before this one (by start date), if any."""

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def share(self) -> float | None:
        return self.answered / len(self.expected) if self.expected else None

    @property
    def steps(self) -> dict[int, int]:
        """Step 0–3 → how many answers stand on it."""
        counts = (
            self.answers["step_reached"].astype(int).value_counts()
            if len(self.answers)
            else pd.Series(dtype=int)
        )
        return {s: int(counts.get(s, 0)) for s in LEVELS}


def round_status(
    rnd: Round,
    expected: Sequence[int],
    in_window: pd.DataFrame,
    latest_any: pd.DataFrame,
    today: date,
    previous: RoundStatus | None = None,
) -> RoundStatus:
    """The status of a round from the snapshots dated in its window (`in_window`) and each
    unit's latest snapshot at all (`latest_any`: unit_id, saved_by, taken_at; for the
    missing units' names)."""
    chosen = answers(in_window, expected)
    answered = set(chosen["unit_id"].astype(int)) if len(chosen) else set()
    missing_ids = [u for u in expected if u not in answered]
    last = (
        latest_any.set_index("unit_id")
        if len(latest_any)
        else pd.DataFrame(columns=["saved_by", "taken_at"])
    )
    missing = pd.DataFrame(
        [
            {
                "unit_id": u,
                "last_saved_by": str(last.at[u, "saved_by"]) if u in last.index else "",
                "last_taken_at": last.at[u, "taken_at"] if u in last.index else None,
            }
            for u in missing_ids
        ],
        columns=["unit_id", "last_saved_by", "last_taken_at"],
    )
    if len(in_window):
        firsts = (
            in_window[in_window["unit_id"].isin(list(answered))]
            .groupby("unit_id")["taken_at"]
            .min()
        )
        first_days = [pd.Timestamp(t).date() for t in firsts]
    else:
        first_days = []
    until = min(rnd.due, max(today, rnd.starts))
    if rnd.closed_at is not None:
        until = min(rnd.due, max(rnd.closed_at.date(), rnd.starts))
    return RoundStatus(
        rnd,
        tuple(expected),
        chosen,
        missing,
        burn_up(first_days, rnd.starts, until),
        previous,
    )


def previous_round(rnd: Round, rounds: Iterable[Round]) -> Round | None:
    """The latest round of the same unit that started before `rnd` (ties: opened before)."""
    earlier = [
        r
        for r in rounds
        if r.unit_id == rnd.unit_id
        and r.id != rnd.id
        and (r.starts, r.opened_at, r.id) < (rnd.starts, rnd.opened_at, rnd.id)
    ]
    return max(earlier, key=lambda r: (r.starts, r.opened_at, r.id), default=None)
