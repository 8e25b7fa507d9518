"""The roll-up rule: an organisation seen through its units.

A unit with units under it is seen through every unit of its subtree, itself included,
leaving out archived units (and everything under them): the organisation as it is today.
The units *expected to assess themselves* are those without units under them and those with
units under them that have a snapshot of their own (a förvaltning that only gathers its
units is not missing a follow-up).

- **Where a unit stands at a moment** is its latest snapshot taken before that moment: its
  step reached and maturity (the scoring rule of `scoring`). A unit with no snapshot by
  then is *not yet assessed*: counted apart, never as step 0.
- **Now** is the end of the chosen day (default today).
- **Over time**: at the end of each month, quarter or tertial (January–April, May–August,
  September–December), every unit where it stood then; the last period ends now.
- **Practices**: each practice's share of units per status, over the units whose latest
  snapshot records the practice; the weakest first (the lowest mean of done = 1,
  on the way = ½, not started = 0 over the units where it applies).
- **Movers**: maturity now against maturity at the start of the period (the latest
  snapshot before it); units without a snapshot before the start are new, not movers.
- **Follow-up**: units whose latest snapshot is older than N months before now, or that
  have none.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

import pandas as pd

from staircase.domain.catalogue import Catalogue
from staircase.domain.model import STEPS, Status
from staircase.domain.scoring import POINTS
from staircase.domain.units import UnitTree

MOVERS_MONTHS = 12
STALE_MONTHS = 6
OVER_TIME_MONTHS = 24

PeriodKind = Literal["month", "quarter", "tertial"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("month", "quarter", "tertial")
PERIOD_MONTHS: dict[PeriodKind, int] = {"month": 1, "quarter": 3, "tertial": 4}
LEVELS = (0, *STEPS)
"""The steps a unit can stand on: 0 (the starting point) to 3."""
STATUS_ORDER = (Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE)


def day_end(day: date) -> datetime:
    """The (exclusive) end of a day: midnight after it."""
    return datetime.combine(day + timedelta(days=1), time())


def months_before(moment: datetime, months: int) -> datetime:
    """The same moment `months` calendar months earlier (clamped to the month's last day)."""
    month0 = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month0, 12)
    first_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (first_next - timedelta(days=1)).day
    return moment.replace(year=year, month=month + 1, day=min(moment.day, last_day))


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    """Its first day."""
    end: datetime
    """Its (exclusive) end: the start of the next period, or now for the current one."""

    @property
    def number(self) -> int:
        """Its number in the year: the month (1–12), quarter (1–4) or tertial (1–3)."""
        return (self.start.month - 1) // PERIOD_MONTHS[self.kind] + 1


def period_start(day: date, kind: PeriodKind) -> date:
    size = PERIOD_MONTHS[kind]
    return date(day.year, (day.month - 1) // size * size + 1, 1)


def periods(kind: PeriodKind, at: date, months: int) -> list[Period]:
    """The periods of `kind` that cover the `months` months up to `at` (at least one), the
    last being the one `at` falls in, which ends now (the end of `at`)."""
    size = PERIOD_MONTHS[kind]
    count = max(1, math.ceil(months / size))
    starts = [period_start(at, kind)]
    for _ in range(count - 1):
        starts.append(months_before(datetime.combine(starts[-1], time()), size).date())
    starts.reverse()
    ends = [datetime.combine(s, time()) for s in starts[1:]] + [day_end(at)]
    return [Period(kind, s, e) for s, e in zip(starts, ends, strict=True)]


@dataclass(frozen=True)
class Distribution:
    """How many units stand on each step, and their maturity."""

    units_in_scope: int
    steps: dict[int, int]
    """Step 0–3 → units standing on it (units with a snapshot)."""
    maturity_mean: float | None
    """Over the units with a snapshot where something applies; None when there are none."""
    maturity_median: float | None

    @property
    def assessed(self) -> int:
        """Units with a snapshot."""
        return sum(self.steps.values())

    @property
    def not_assessed(self) -> int:
        return self.units_in_scope - self.assessed


def distribution(scores: pd.DataFrame, units_in_scope: int) -> Distribution:
    """`scores`: one row per assessed unit with `step_reached` and `maturity`."""
    counts = scores["step_reached"].astype(int).value_counts() if len(scores) else pd.Series()
    maturity = scores["maturity"].dropna().astype(float) if len(scores) else pd.Series()
    return Distribution(
        units_in_scope,
        {s: int(counts.get(s, 0)) for s in LEVELS},
        float(maturity.mean()) if len(maturity) else None,
        float(maturity.median()) if len(maturity) else None,
    )


def unit_scores(entries: pd.DataFrame) -> pd.DataFrame:
    """One row per unit of `latest_entries`' rows: unit_id, snapshot_id, taken_at,
    step_reached, maturity."""
    columns = ["unit_id", "snapshot_id", "taken_at", "step_reached", "maturity"]
    if entries.empty:
        return pd.DataFrame(columns=columns)
    return entries.drop_duplicates("unit_id")[columns].reset_index(drop=True)


@dataclass(frozen=True)
class OverTime:
    periods: list[Period]
    table: pd.DataFrame
    """One row per period: step_0..step_3 (units on each step at its end), not_assessed,
    maturity_mean, maturity_median."""


def over_time(states: pd.DataFrame, leaves: int, spans: Sequence[Period]) -> OverTime:
    """Where the units stood at the end of each period, from `states_at`'s rows (one per
    unit and period in which it had a snapshot by the period's end; `is_leaf` marks the
    units without units under them).

    `leaves`: how many units have no units under them; they are expected to assess
    themselves from the start, while a unit with units under it counts from its first own
    snapshot on (so every period agrees with the roll-up at its end)."""
    rows = []
    by_period = dict(tuple(states.groupby("period"))) if len(states) else {}
    for k in range(len(spans)):
        part = by_period.get(k)
        if part is None:
            part = pd.DataFrame(columns=["step_reached", "maturity", "is_leaf"])
        counts = part["step_reached"].astype(int).value_counts()
        maturity = part["maturity"].dropna().astype(float)
        rows.append(
            {
                **{f"step_{s}": int(counts.get(s, 0)) for s in LEVELS},
                "not_assessed": leaves - int(part["is_leaf"].astype(bool).sum()),
                "maturity_mean": float(maturity.mean()) if len(maturity) else math.nan,
                "maturity_median": float(maturity.median()) if len(maturity) else math.nan,
            }
        )
    return OverTime(list(spans), pd.DataFrame(rows))


def practice_shares(entries: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    """Per practice: step, units (with the practice in their latest snapshot), the share of
    them per status (done, in_progress, not_started, not_applicable; 0–1) and `score` (the
    mean points where it applies; NaN when it applies nowhere). Weakest first; ties in
    `order` (the catalogue's)."""
    statuses = [s.value for s in STATUS_ORDER]
    columns = ["practice_id", "step", "units", *statuses, "score"]
    if entries.empty:
        return pd.DataFrame(columns=columns)
    counts = entries.groupby(["practice_id", "status"], observed=True).size().unstack(fill_value=0)
    counts = counts.reindex(columns=statuses, fill_value=0)
    units = counts.sum(axis=1)
    out = counts.div(units, axis=0)
    out["units"] = units
    applicable = units - counts[Status.NOT_APPLICABLE.value]
    points = sum(counts[s.value] * p for s, p in POINTS.items())
    out["score"] = (points / applicable.where(applicable > 0)).astype(float)
    out["step"] = entries.groupby("practice_id", observed=True)["step"].max()
    rank = {pid: i for i, pid in enumerate(order)}
    out["_order"] = [rank.get(str(pid), len(rank)) for pid in out.index]
    out = out.reset_index().sort_values(
        ["score", Status.DONE.value, "step", "_order"], na_position="last", kind="stable"
    )
    return out[columns].reset_index(drop=True)


def movers(now: pd.DataFrame, then: pd.DataFrame) -> pd.DataFrame:
    """Units assessed both now and at the start, with a maturity both times: unit_id,
    step_then, step_now, maturity_then, maturity_now, change (maturity now − then).
    Climbed most first."""
    columns = ["unit_id", "step_then", "step_now", "maturity_then", "maturity_now", "change"]
    if now.empty or then.empty:
        return pd.DataFrame(columns=columns)
    both = now[["unit_id", "step_reached", "maturity"]].merge(
        then[["unit_id", "step_reached", "maturity"]], on="unit_id", suffixes=("_now", "_then")
    )
    both = both.rename(
        columns={
            "step_reached_now": "step_now",
            "step_reached_then": "step_then",
        }
    )
    both["change"] = both["maturity_now"].astype(float) - both["maturity_then"].astype(float)
    # Where nothing applies (then or now) there is no maturity to compare: left out.
    both = both[both["change"].notna()].copy()
    both["step_change"] = both["step_now"].astype(int) - both["step_then"].astype(int)
    both = both.sort_values(["change", "step_change", "unit_id"], ascending=[False, False, True])
    return both[columns].reset_index(drop=True)


def stale(
    unit_ids: Sequence[int], scores: pd.DataFrame, now: datetime, months: int
) -> pd.DataFrame:
    """Units without a snapshot in the `months` months before `now`: unit_id, last
    (the latest snapshot's moment; NaT for never). Never first, then the oldest."""
    cutoff = months_before(now, months)
    last = dict(zip(scores["unit_id"], scores["taken_at"], strict=True)) if len(scores) else {}
    rows = [
        (u, last.get(u))
        for u in unit_ids
        if last.get(u) is None or pd.Timestamp(last[u]) < pd.Timestamp(cutoff)
    ]
    out = pd.DataFrame(rows, columns=["unit_id", "last"])
    out["last"] = pd.to_datetime(out["last"])
    return out.sort_values("last", na_position="first", kind="stable").reset_index(drop=True)


HeatmapSort = Literal["name", "maturity", "step"]
HEATMAP_SORTS: tuple[HeatmapSort, ...] = ("name", "maturity", "step")


def heatmap_units(
    entries: pd.DataFrame, unit_ids: Sequence[int], practice_ids: Sequence[str]
) -> pd.DataFrame:
    """One row per unit (in the order given; unassessed units too): unit_id, step_reached,
    maturity, then one column per practice id with the status of its latest snapshot
    ("" where it has none)."""
    rows = pd.DataFrame({"unit_id": list(unit_ids)})
    scores = unit_scores(entries)
    rows = rows.merge(scores[["unit_id", "step_reached", "maturity"]], on="unit_id", how="left")
    if len(entries):
        wide = entries.pivot(index="unit_id", columns="practice_id", values="status")
        wide = wide.reindex(columns=list(practice_ids)).astype(object)
        rows = rows.merge(wide, left_on="unit_id", right_index=True, how="left")
    for pid in practice_ids:
        if pid not in rows:
            rows[pid] = ""
    rows[list(practice_ids)] = rows[list(practice_ids)].fillna("").astype(str)
    return rows[["unit_id", "step_reached", "maturity", *practice_ids]]


def heatmap_groups(
    entries: pd.DataFrame, groups: Mapping[int, Sequence[int]], practice_ids: Sequence[str]
) -> pd.DataFrame:
    """One row per group (a unit and the units under it), in the order given: unit_id (the
    group's), units (in it), assessed, step_reached (the mean step of its assessed units),
    maturity (their mean), then per practice id its mean points over the group's units
    where it applies (0–1; NaN where it applies to none)."""
    member = {u: g for g, units in groups.items() for u in units}
    columns = ["unit_id", "units", "assessed", "step_reached", "maturity", *practice_ids]
    base = pd.DataFrame({"unit_id": list(groups), "units": [len(v) for v in groups.values()]})
    if entries.empty:
        for c in columns[2:]:
            base[c] = math.nan
        base["assessed"] = 0
        return base[columns]
    scored = entries.assign(group=entries["unit_id"].map(member)).dropna(subset=["group"])
    scored["group"] = scored["group"].astype(int)
    per_unit = scored.drop_duplicates("unit_id")
    summary = per_unit.groupby("group").agg(
        assessed=("unit_id", "size"),
        step_reached=("step_reached", "mean"),
        maturity=("maturity", "mean"),
    )
    status = scored["status"].astype(str)
    scored["points"] = status.map({s.value: p for s, p in POINTS.items()})  # N/A: NaN
    cells = scored.pivot_table(
        index="group", columns="practice_id", values="points", aggfunc="mean", observed=True
    ).reindex(columns=list(practice_ids))
    out = base.merge(summary, left_on="unit_id", right_index=True, how="left")
    out = out.merge(cells, left_on="unit_id", right_index=True, how="left")
    out["assessed"] = out["assessed"].fillna(0).astype(int)
    return out[columns]


def sort_heatmap(
    rows: pd.DataFrame, by: HeatmapSort, names: dict[int, str], descending: bool = False
) -> pd.DataFrame:
    """Rows by name, maturity or step (then maturity); unassessed rows last either way."""
    keyed = rows.assign(_name=rows["unit_id"].map(lambda u: names[u].casefold()))
    if by == "name":
        return keyed.sort_values("_name", ascending=not descending).drop(columns="_name")
    keys = ["maturity"] if by == "maturity" else ["step_reached", "maturity"]
    return (
        keyed.sort_values(
            [*keys, "_name"],
            ascending=[not descending] * len(keys) + [True],
            na_position="last",
            kind="stable",
        )
        .drop(columns="_name")
        .reset_index(drop=True)
    )


@dataclass(frozen=True)
class OrganisationNow:
    """Where a unit's organisation stands at the end of a day."""

    unit_id: int
    at: date
    unit_ids: tuple[int, ...]
    """The units seen: the unit and every unit under it, archived ones left out."""
    expected: tuple[int, ...]
    """Those expected to assess themselves: the ones without units under them, and the
    ones with units under them that have a snapshot of their own."""
    catalogue: Catalogue
    entries: pd.DataFrame
    """The latest snapshot of each assessed unit, one row per practice: unit_id,
    snapshot_id, taken_at, step_reached, maturity, practice_id, step, status."""
    scores: pd.DataFrame
    """One row per assessed unit: unit_id, snapshot_id, taken_at, step_reached, maturity."""
    distribution: Distribution
    practices: pd.DataFrame
    """`practice_shares`: weakest first."""

    @property
    def practice_ids(self) -> list[str]:
        """Every practice in the snapshots, in catalogue order (others after, by id)."""
        seen = set(self.entries["practice_id"].astype(str)) if len(self.entries) else set()
        known = [p.id for p in self.catalogue.practices if p.id in seen]
        return known + sorted(seen - set(known))

    def stale(self, months: int = STALE_MONTHS) -> pd.DataFrame:
        """Units without a snapshot in the last `months` months (see `stale`)."""
        return stale(self.expected, self.scores, day_end(self.at), months)

    def heatmap(
        self,
        tree: UnitTree,
        group: int | None = None,
        sort: HeatmapSort = "name",
        descending: bool = False,
    ) -> pd.DataFrame:
        """The units × practices heatmap: the groups under the unit (each child with its
        subtree; the unit itself when it has snapshots of its own), or, for `group` (or
        when no unit under it has units of its own), one row per unit."""
        if group is None and any(tree.children(u.id) for u in self.children(tree)):
            groups = self.groups(tree)
            rows = heatmap_groups(self.entries, groups, self.practice_ids)
        else:
            expected = set(self.expected)
            units = self.unit_ids if group is None else self.group_units(tree, group)
            rows = heatmap_units(
                self.entries, [u for u in units if u in expected], self.practice_ids
            )
        names = {u: tree.units[u].name for u in rows["unit_id"]}
        return sort_heatmap(rows, sort, names, descending)

    def children(self, tree: UnitTree) -> list[Any]:
        return [u for u in tree.children(self.unit_id) if not u.archived]

    def groups(self, tree: UnitTree) -> dict[int, list[int]]:
        """Group id → its units: the unit itself (when assessed), then each child's subtree."""
        assessed = set(self.scores["unit_id"]) if len(self.scores) else set()
        expected = set(self.expected)
        groups: dict[int, list[int]] = {}
        if self.unit_id in assessed:
            groups[self.unit_id] = [self.unit_id]
        for child in self.children(tree):
            groups[child.id] = [u.id for u in tree.ordered(under=child.id) if u.id in expected]
        return groups

    def group_units(self, tree: UnitTree, group: int) -> tuple[int, ...]:
        if group == self.unit_id:
            return (group,)
        return tuple(u.id for u in tree.ordered(under=group))


@dataclass(frozen=True)
class Movers:
    months: int
    since: datetime
    table: pd.DataFrame
    """`movers`: climbed most first."""
    new: int
    """Assessed now but not before the start."""

    @property
    def climbed(self) -> pd.DataFrame:
        return self.table[self.table["change"] > 0]

    @property
    def still_or_back(self) -> pd.DataFrame:
        """Stood still or fell back: fell back most first."""
        rest = self.table[~(self.table["change"] > 0)]
        return rest.iloc[::-1].reset_index(drop=True)
