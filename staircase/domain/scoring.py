"""The scoring rule: points per practice, completion per step, step reached, overall maturity.

done = 1, in_progress = 0.5, not_started = 0; not_applicable is left out of the denominator.
A step is complete when every applicable practice in it is done (a step with no applicable
practices does not block). The step reached is cumulative: the highest k in 0..3 such that
steps 1..k are all complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from staircase.domain.catalogue import Catalogue
from staircase.domain.model import STEPS, PracticeState, Status

POINTS: dict[Status, float] = {
    Status.DONE: 1.0,
    Status.IN_PROGRESS: 0.5,
    Status.NOT_STARTED: 0.0,
}


@dataclass(frozen=True)
class StepScore:
    step: int
    points: float
    applicable: int
    done: int

    @property
    def completion(self) -> float | None:
        """Points / applicable practices; None when nothing in the step applies."""
        return self.points / self.applicable if self.applicable else None

    @property
    def complete(self) -> bool:
        return self.done == self.applicable

    @property
    def level(self) -> Status:
        """Where the step stands on the three-level scale, for its feedback text."""
        if self.complete:
            return Status.DONE
        return Status.IN_PROGRESS if self.points > 0 else Status.NOT_STARTED


@dataclass(frozen=True)
class Score:
    steps: tuple[StepScore, ...]
    """One per step 1, 2, 3."""

    @property
    def step_reached(self) -> int:
        reached = 0
        for step in self.steps:
            if not step.complete:
                break
            reached = step.step
        return reached

    @property
    def points(self) -> float:
        return sum(s.points for s in self.steps)

    @property
    def applicable(self) -> int:
        return sum(s.applicable for s in self.steps)

    @property
    def maturity(self) -> float | None:
        """Points / applicable practices over all steps; None when nothing applies."""
        return self.points / self.applicable if self.applicable else None

    def of(self, step: int) -> StepScore:
        return self.steps[step - 1]

    @property
    def focus_step(self) -> int:
        """The step to work on next: the one above the step reached (3 once at the top)."""
        return min(self.step_reached + 1, STEPS[-1])


def score(entries: Iterable[tuple[int, Status]]) -> Score:
    """Score (step, status) pairs, one per practice."""
    points = dict.fromkeys(STEPS, 0.0)
    applicable = dict.fromkeys(STEPS, 0)
    done = dict.fromkeys(STEPS, 0)
    for step, status in entries:
        status = Status(status)  # plain strings ("done") must count like score_frame counts them
        if status is Status.NOT_APPLICABLE:
            continue
        points[step] += POINTS[status]
        applicable[step] += 1
        done[step] += status is Status.DONE
    return Score(tuple(StepScore(s, points[s], applicable[s], done[s]) for s in STEPS))


def score_frame(entries: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The same rule, vectorised: one row per group of `by` (e.g. one snapshot).

    `entries` has the columns of `by` plus `step` (1-3) and `status` (Status values).
    Returns the `by` columns plus `completion_1..3`, `maturity` (floats, NaN where nothing
    applies) and `step_reached` (int).
    """
    columns = [*by, *(f"completion_{s}" for s in STEPS), "maturity", "step_reached"]
    if entries.empty:
        return pd.DataFrame(columns=columns)
    status = entries["status"].astype(str)
    frame = pd.DataFrame(
        {
            **{c: entries[c] for c in by},
            "step": entries["step"].astype(int),
            "points": status.map({s.value: p for s, p in POINTS.items()}).fillna(0.0),
            "applicable": (status != Status.NOT_APPLICABLE.value).astype(int),
            "done": (status == Status.DONE.value).astype(int),
        }
    )
    per_step = frame.groupby([*by, "step"], sort=False, observed=True)[
        ["points", "applicable", "done"]
    ].sum()
    wide = per_step.unstack("step", fill_value=0)
    out = pd.DataFrame(index=wide.index)
    reached = pd.Series(0, index=wide.index)
    still_climbing = pd.Series(True, index=wide.index)
    for s in STEPS:
        pts = wide["points"].get(s, 0.0)
        app = wide["applicable"].get(s, 0)
        dn = wide["done"].get(s, 0)
        app_series = pd.Series(app, index=wide.index)
        out[f"completion_{s}"] = (pts / app_series.where(app_series > 0)).astype(float)
        still_climbing &= pd.Series(dn, index=wide.index) == app_series
        reached = reached.where(~still_climbing, s)
    total_points = wide["points"].sum(axis=1)
    total_applicable = wide["applicable"].sum(axis=1)
    out["maturity"] = (total_points / total_applicable.where(total_applicable > 0)).astype(float)
    out["step_reached"] = reached.astype(int)
    return out.reset_index()[columns]


def score_working_state(catalogue: Catalogue, states: Mapping[str, PracticeState]) -> Score:
    """Score a unit's working state: every practice of the catalogue, untouched = not started."""
    return score(
        (p.step, states[p.id].status if p.id in states else Status.NOT_STARTED)
        for p in catalogue.practices
    )
