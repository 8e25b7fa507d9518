"""The organisation's roll-up (staircase/domain/rollup.py, its queries and its cached service):
the rule on small hand-built databases, then the whole of it checked against an independent
computation from a plain CSV export of the demo data."""

from __future__ import annotations

import csv
import io
import json
import math
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
import pytest

from staircase.__main__ import EXIT_OK, main
from staircase.domain import rollup as rule
from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import STEPS, PracticeState, Status
from staircase.domain.rollup import OrganisationNow
from staircase.services import Actor, Lartrappan
from staircase.services.demo import load_demo

ACTOR = Actor("x")
CATALOGUE = load_catalogue()
PRACTICE_IDS = [p.id for p in CATALOGUE.practices]
STEP_OF = {p.id: p.step for p in CATALOGUE.practices}
MATURITY_OF_STEP = {0: 0.0, 1: 0.4, 2: 0.8, 3: 1.0}
"""With the shipped catalogue (4 + 4 + 2 practices): steps 1..k done, the rest not started."""
D, P, N, X = Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE


@pytest.fixture(autouse=True)
def _no_default_database(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command run without --db must never touch the real data/staircase.db."""
    monkeypatch.setenv("STAIRCASE_DB_URL", f"sqlite:///{tmp_path}/default.db")


# ---------------------------------------------------------------------------- helpers


def test_catalogue_is_what_these_tests_assume() -> None:
    counts = {s: sum(1 for p in CATALOGUE.practices if p.step == s) for s in STEPS}
    assert counts == {1: 4, 2: 4, 3: 2}


def unit(core: Lartrappan, name: str, parent: int | None = None) -> int:
    return core.units.create(ACTOR, name, parent).id


def assess(
    core: Lartrappan,
    unit_id: int,
    when: datetime,
    step: int = 0,
    statuses: Mapping[str, Status] | None = None,
) -> int:
    """Set the unit's working state (steps 1..`step` done, the rest not started, then
    `statuses` on top) and save it as a snapshot taken `when`; returns the snapshot id."""
    wanted = {pid: D if STEP_OF[pid] <= step else N for pid in PRACTICE_IDS}
    wanted.update(statuses or {})
    core.checklist.replace(
        ACTOR,
        unit_id,
        [
            PracticeState(pid, status, note="Gäller inte oss" if status is X else "")
            for pid, status in wanted.items()
        ],
    )
    return core.snapshots.save(ACTOR, unit_id, "x", "", taken_at=when).id


def steps_of(now: OrganisationNow) -> dict[int, int]:
    return dict(now.distribution.steps)


def score_of(now: OrganisationNow, unit_id: int) -> tuple[int, float | None]:
    row = now.scores[now.scores["unit_id"] == unit_id].iloc[0]
    maturity = None if pd.isna(row["maturity"]) else float(row["maturity"])
    return int(row["step_reached"]), maturity


# ---------------------------------------------------------------------------- who is counted


def test_archived_units_and_everything_under_them_are_left_out(store: Lartrappan) -> None:
    root = unit(store, "Kommun")
    kept = unit(store, "Kvar", root)
    gone = unit(store, "Nedlagd", root)
    gone_child = unit(store, "Nedlagd enhet", gone)
    assess(store, kept, datetime(2024, 1, 10, 12), step=1)
    assess(store, gone, datetime(2024, 1, 10, 12), step=3)
    assess(store, gone_child, datetime(2024, 1, 10, 12), step=3)
    before = store.rollup.of_unit(store.units.tree(), root, date(2024, 2, 1))
    assert before.distribution.assessed == 3

    store.units.set_archived(ACTOR, gone, True)
    tree = store.units.tree()
    now = store.rollup.of_unit(tree, root, date(2024, 2, 1))
    assert now.unit_ids == (root, kept)
    assert now.expected == (kept,)
    assert steps_of(now) == {0: 0, 1: 1, 2: 0, 3: 0}
    assert now.distribution.units_in_scope == 1
    assert now.distribution.maturity_mean == pytest.approx(0.4)
    assert set(now.entries["unit_id"]) == {kept}
    # practice shares only over the unit left: step 3 is not started anywhere
    shares = now.practices.set_index("practice_id")
    assert shares.loc["s3-sharing-culture", "not_started"] == 1.0
    assert shares.loc["s3-sharing-culture", "units"] == 1
    assert now.stale(1200).empty
    assert gone not in set(now.heatmap(tree)["unit_id"])
    over = store.rollup.over_time(tree, root, "month", 3, date(2024, 2, 1))
    assert over.table["step_3"].tolist() == [0, 0, 0]
    assert over.table["step_1"].tolist() == [0, 1, 1]


def test_a_parent_counts_only_with_snapshots_of_its_own(store: Lartrappan) -> None:
    root = unit(store, "Kommun")
    admin = unit(store, "Förvaltning", root)
    first = unit(store, "Enhet A", admin)
    second = unit(store, "Enhet B", admin)
    assess(store, first, datetime(2024, 3, 1, 12), step=2)
    tree = store.units.tree()

    now = store.rollup.of_unit(tree, root, date(2024, 4, 1))
    assert set(now.expected) == {first, second}
    assert now.distribution.units_in_scope == 2
    assert now.distribution.assessed == 1
    assert now.distribution.not_assessed == 1
    assert now.stale(6)["unit_id"].tolist() == [second]  # not the förvaltning, not the root

    assess(store, admin, datetime(2024, 3, 2, 12), step=1)
    now = store.rollup.of_unit(tree, root, date(2024, 4, 1))
    assert set(now.expected) == {admin, first, second}
    assert steps_of(now) == {0: 0, 1: 1, 2: 1, 3: 0}
    assert now.distribution.maturity_mean == pytest.approx((0.4 + 0.8) / 2)
    # before its own snapshot the förvaltning is again only a gathering of its units
    earlier = store.rollup.of_unit(tree, root, date(2024, 3, 1))
    assert set(earlier.expected) == {first, second}
    # an organisation of a single unit counts itself
    alone = unit(store, "Ensam organisation")
    tree = store.units.tree()
    assert store.rollup.of_unit(tree, alone, date(2024, 4, 1)).expected == (alone,)
    # a leaf seen on its own is its own scope
    assert store.rollup.of_unit(tree, first, date(2024, 4, 1)).expected == (first,)


def test_a_unit_without_a_snapshot_by_then_is_not_assessed_not_step_zero(
    store: Lartrappan,
) -> None:
    root = unit(store, "Kommun")
    low = unit(store, "Låg", root)
    late = unit(store, "Sen", root)
    assess(store, low, datetime(2024, 3, 1, 23, 59, 59), step=0)
    assess(store, late, datetime(2024, 3, 2, 0, 0, 0), step=2)
    tree = store.units.tree()

    at_first = store.rollup.of_unit(tree, root, date(2024, 3, 1))  # its end is 2 March 00:00
    assert steps_of(at_first) == {0: 1, 1: 0, 2: 0, 3: 0}
    assert at_first.distribution.assessed == 1
    assert at_first.distribution.not_assessed == 1
    assert at_first.distribution.maturity_mean == 0.0
    assert set(at_first.scores["unit_id"]) == {low}
    stale = at_first.stale(6)
    assert stale["unit_id"].tolist() == [late] and pd.isna(stale["last"].iloc[0])

    nothing = store.rollup.of_unit(tree, root, date(2024, 2, 29))
    assert steps_of(nothing) == {0: 0, 1: 0, 2: 0, 3: 0}
    assert nothing.distribution.not_assessed == 2
    assert nothing.distribution.maturity_mean is None
    assert nothing.distribution.maturity_median is None
    assert nothing.practices.empty

    both = store.rollup.of_unit(tree, root, date(2024, 3, 2))
    assert steps_of(both) == {0: 1, 1: 0, 2: 1, 3: 0}
    assert both.distribution.maturity_median == pytest.approx(0.4)


def test_the_latest_snapshot_before_the_moment_is_where_a_unit_stands(store: Lartrappan) -> None:
    root = unit(store, "Kommun")
    climber = unit(store, "Klättrare", root)
    assess(store, climber, datetime(2023, 1, 10, 9), step=1)
    assess(store, climber, datetime(2023, 6, 10, 9), step=3)
    assess(store, climber, datetime(2023, 9, 10, 9), step=2)  # fell back
    tree = store.units.tree()
    for day, step in [
        (date(2023, 1, 9), None),
        (date(2023, 1, 10), 1),
        (date(2023, 6, 9), 1),
        (date(2023, 6, 10), 3),
        (date(2023, 9, 10), 2),
        (date(2024, 1, 1), 2),
    ]:
        now = store.rollup.of_unit(tree, root, day)
        if step is None:
            assert now.scores.empty, day
        else:
            assert score_of(now, climber) == (step, MATURITY_OF_STEP[step]), day


def test_a_unit_where_nothing_applies_stands_on_step_3_without_a_maturity(
    store: Lartrappan,
) -> None:
    """The scoring rule: a step with no applicable practice does not block."""
    root = unit(store, "Kommun")
    empty = unit(store, "Inget gäller", root)
    half = unit(store, "Halvvägs", root)
    assess(store, empty, datetime(2024, 1, 1, 12), statuses=dict.fromkeys(PRACTICE_IDS, X))
    assess(store, half, datetime(2024, 1, 1, 12), statuses=dict.fromkeys(PRACTICE_IDS, P))
    now = store.rollup.of_unit(store.units.tree(), root, date(2024, 2, 1))
    assert score_of(now, empty) == (3, None)
    assert steps_of(now) == {0: 1, 1: 0, 2: 0, 3: 1}
    assert now.distribution.maturity_mean == pytest.approx(0.5)  # over `half` only
    assert now.distribution.maturity_median == pytest.approx(0.5)
    assert now.practices["score"].tolist() == [0.5] * len(PRACTICE_IDS)
    assert now.practices["not_applicable"].tolist() == [0.5] * len(PRACTICE_IDS)


# ---------------------------------------------------------------------------- over time


def test_periods_month_quarter_tertial() -> None:
    tertials = rule.periods("tertial", date(2024, 5, 15), 12)
    assert [p.start for p in tertials] == [date(2023, 9, 1), date(2024, 1, 1), date(2024, 5, 1)]
    assert [p.end for p in tertials] == [
        datetime(2024, 1, 1),
        datetime(2024, 5, 1),
        datetime(2024, 5, 16),  # the last ends now: the end of the day
    ]
    assert [p.number for p in tertials] == [3, 1, 2]
    quarters = rule.periods("quarter", date(2024, 12, 31), 24)
    assert len(quarters) == 8
    assert quarters[0].start == date(2023, 1, 1)
    assert quarters[-1].end == datetime(2025, 1, 1)
    assert [p.number for p in quarters] == [1, 2, 3, 4, 1, 2, 3, 4]
    months = rule.periods("month", date(2024, 3, 31), 3)
    assert [p.start for p in months] == [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    assert [p.end for p in months][:2] == [datetime(2024, 2, 1), datetime(2024, 3, 1)]
    # at least one period, however few months
    assert len(rule.periods("tertial", date(2024, 8, 31), 1)) == 1
    assert rule.periods("tertial", date(2024, 8, 31), 1)[0].start == date(2024, 5, 1)


@pytest.fixture
def history(store: Lartrappan) -> tuple[Lartrappan, dict[str, int]]:
    """Four units with follow-ups around the period boundaries of 2023."""
    root = unit(store, "Kommun")
    ids = {name: unit(store, name, root) for name in ("A", "B", "C", "D", "E")}
    assess(store, ids["A"], datetime(2023, 1, 15, 12), step=1)
    assess(store, ids["A"], datetime(2023, 6, 10, 12), step=2)
    assess(store, ids["B"], datetime(2023, 5, 1, 0, 0, 0), step=3)  # the first moment of T2
    assess(store, ids["C"], datetime(2023, 4, 30, 23, 59, 59), step=0)  # the last of T1
    assess(store, ids["C"], datetime(2023, 8, 31, 12), step=1)  # the last day of T2
    assess(store, ids["D"], datetime(2022, 11, 1, 12), step=2)  # before the window
    assess(store, ids["E"], datetime(2023, 12, 20, 12), step=3)  # after `at` below
    return store, {"root": root, **ids}


def column(table: pd.DataFrame, name: str) -> list[int]:
    return [int(v) for v in table[name]]


def test_over_time_by_tertial_carries_each_unit_forward(
    history: tuple[Lartrappan, dict[str, int]],
) -> None:
    store, ids = history
    tree = store.units.tree()
    over = store.rollup.over_time(tree, ids["root"], "tertial", 12, date(2023, 12, 15))
    assert [p.start for p in over.periods] == [
        date(2023, 1, 1),
        date(2023, 5, 1),
        date(2023, 9, 1),
    ]
    t = over.table
    # T1 (Jan–Apr): A on 1, C on 0, D on 2 carried from 2022; B not until 1 May
    # T2 (May–Aug): A on 2, B on 3, C on 1 (31 Aug), D on 2
    # T3 (Sep–15 Dec): the same; E's snapshot of 20 December is after `at`
    assert column(t, "step_0") == [1, 0, 0]
    assert column(t, "step_1") == [1, 1, 1]
    assert column(t, "step_2") == [1, 2, 2]
    assert column(t, "step_3") == [0, 1, 1]
    assert column(t, "not_assessed") == [2, 1, 1]
    assert t["maturity_mean"].tolist() == pytest.approx([0.4, 0.75, 0.75])
    # the last period agrees with where the organisation stands now
    now = store.rollup.of_unit(tree, ids["root"], date(2023, 12, 15))
    assert [now.distribution.steps[s] for s in rule.LEVELS] == [
        int(t.iloc[-1][f"step_{s}"]) for s in rule.LEVELS
    ]
    assert now.distribution.not_assessed == int(t.iloc[-1]["not_assessed"])


def test_over_time_by_quarter_and_month(history: tuple[Lartrappan, dict[str, int]]) -> None:
    store, ids = history
    tree = store.units.tree()
    quarters = store.rollup.over_time(tree, ids["root"], "quarter", 12, date(2023, 12, 31))
    # Q1: A 1, D 2 | Q2: A 2, B 3, C 0 (30 April), D 2 | Q3: C climbs to 1 | Q4: E on 3
    t = quarters.table
    assert column(t, "step_0") == [0, 1, 0, 0]
    assert column(t, "step_1") == [1, 0, 1, 1]
    assert column(t, "step_2") == [1, 2, 2, 2]
    assert column(t, "step_3") == [0, 1, 1, 2]
    assert column(t, "not_assessed") == [3, 1, 1, 0]

    months = store.rollup.over_time(tree, ids["root"], "month", 12, date(2023, 12, 31))
    assert len(months.periods) == 12
    t = months.table
    #                          J  F  M  A  M  J  J  A  S  O  N  D
    assert column(t, "step_0") == [0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    assert column(t, "step_1") == [1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 1]
    assert column(t, "step_2") == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]
    assert column(t, "step_3") == [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 2]
    assert column(t, "not_assessed") == [3, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1, 0]


def test_over_time_agrees_with_the_roll_up_at_the_end_of_each_period(
    store: Lartrappan,
) -> None:
    """A förvaltning that starts assessing itself in March only gathers its units before:
    January and February must not count it as a unit not yet assessed, as the roll-up on
    those days does not."""
    root = unit(store, "Kommun")
    admin = unit(store, "Förvaltning", root)
    leaf = unit(store, "Enhet", admin)
    assess(store, leaf, datetime(2024, 1, 10, 12), step=1)
    assess(store, admin, datetime(2024, 3, 10, 12), step=2)
    tree = store.units.tree()
    over = store.rollup.over_time(tree, root, "month", 3, date(2024, 3, 31))
    for period, row in zip(over.periods, over.table.itertuples(index=False), strict=True):
        last_day = (period.end - timedelta(days=1)).date()
        now = store.rollup.of_unit(tree, root, last_day)
        assert row.not_assessed == now.distribution.not_assessed, last_day
        assert [getattr(row, f"step_{k}") for k in rule.LEVELS] == list(
            now.distribution.steps.values()
        ), last_day


def test_over_time_without_any_snapshot(store: Lartrappan) -> None:
    root = unit(store, "Kommun")
    unit(store, "A", root)
    over = store.rollup.over_time(store.units.tree(), root, "quarter", 6, date(2024, 6, 30))
    assert column(over.table, "not_assessed") == [1, 1]
    assert column(over.table, "step_0") == [0, 0]
    assert over.table["maturity_mean"].isna().all()


# ---------------------------------------------------------------------------- movers


def test_movers_climbed_still_or_back_and_new(store: Lartrappan) -> None:
    root = unit(store, "Kommun")
    up = unit(store, "Upp", root)
    a_bit = unit(store, "Lite upp", root)
    down = unit(store, "Ner", root)
    still = unit(store, "Stilla", root)
    new = unit(store, "Ny", root)
    unit(store, "Aldrig", root)
    # at = 30 June 2024, 12 months: the start is 1 July 2023 00:00
    assess(store, up, datetime(2023, 3, 1, 12), step=0)
    assess(store, up, datetime(2024, 3, 1, 12), step=2)
    assess(store, a_bit, datetime(2023, 6, 30, 23, 59, 59), step=1)
    assess(store, a_bit, datetime(2024, 2, 1, 12), step=1, statuses={"s2-performance": P})
    assess(store, down, datetime(2023, 1, 1, 12), step=2)
    assess(store, down, datetime(2024, 1, 1, 12), step=1)
    assess(store, still, datetime(2023, 5, 1, 12), step=1)
    assess(store, new, datetime(2023, 7, 1, 0, 0, 0), step=3)  # not before the start
    tree = store.units.tree()

    movers = store.rollup.movers(tree, root, 12, date(2024, 6, 30))
    assert movers.since == datetime(2023, 7, 1)
    assert movers.new == 1
    assert movers.climbed["unit_id"].tolist() == [up, a_bit]
    assert movers.climbed["change"].tolist() == pytest.approx([0.8, 0.05])
    assert movers.still_or_back["unit_id"].tolist() == [down, still]  # fell back most first
    assert movers.still_or_back["change"].tolist() == pytest.approx([-0.4, 0.0])
    row = movers.table.set_index("unit_id").loc[down]
    assert (int(row["step_then"]), int(row["step_now"])) == (2, 1)
    assert new not in set(movers.table["unit_id"])

    # a shorter period: `up` and `down` moved before its start, only `a_bit` still did
    short = store.rollup.movers(tree, root, 3, date(2024, 6, 30))
    assert short.since == datetime(2024, 4, 1)
    assert short.climbed.empty
    assert short.new == 0
    assert sorted(short.still_or_back["unit_id"]) == sorted([up, a_bit, down, still, new])


def test_fell_back_most_comes_first_even_beside_a_unit_where_nothing_applies(
    store: Lartrappan,
) -> None:
    """A unit with nothing applicable has no maturity then or now: no change to rank. It
    must not come before the unit that fell back most ("fell back most first")."""
    root = unit(store, "Kommun")
    down = unit(store, "Ner", root)
    empty = unit(store, "Inget gäller", root)
    everything_na = dict.fromkeys(PRACTICE_IDS, X)
    assess(store, down, datetime(2023, 1, 1, 12), step=3)
    assess(store, down, datetime(2024, 1, 1, 12), step=0)
    assess(store, empty, datetime(2023, 1, 1, 12), statuses=everything_na)
    assess(store, empty, datetime(2024, 1, 1, 12), statuses=everything_na)
    movers = store.rollup.movers(store.units.tree(), root, 12, date(2024, 6, 30))
    assert movers.climbed.empty
    assert movers.still_or_back["unit_id"].tolist()[0] == down


# ---------------------------------------------------------------------------- follow-up


def test_stale_is_older_than_n_months_before_the_end_of_the_day(store: Lartrappan) -> None:
    root = unit(store, "Kommun")
    on_the_edge = unit(store, "Precis", root)
    just_over = unit(store, "Strax över", root)
    old = unit(store, "Gammal", root)
    never = unit(store, "Aldrig", root)
    recent = unit(store, "Färsk", root)
    # at = 15 May 2024: now is 16 May 00:00; 6 months before is 16 November 2023 00:00
    assess(store, on_the_edge, datetime(2023, 11, 16, 0, 0, 0))
    assess(store, just_over, datetime(2023, 11, 15, 23, 59, 59))
    assess(store, old, datetime(2023, 1, 1, 12))
    assess(store, recent, datetime(2024, 5, 15, 23, 0))
    now = store.rollup.of_unit(store.units.tree(), root, date(2024, 5, 15))

    stale = now.stale(6)
    assert stale["unit_id"].tolist() == [never, old, just_over]  # never first, then oldest
    assert pd.isna(stale["last"].iloc[0])
    assert stale["last"].iloc[1] == pd.Timestamp(datetime(2023, 1, 1, 12))
    assert now.stale(7)["unit_id"].tolist() == [never, old]
    assert now.stale(1)["unit_id"].tolist() == [never, old, just_over, on_the_edge]
    assert now.stale(12)["unit_id"].tolist() == [never, old]
    assert now.stale(17)["unit_id"].tolist() == [never]
    assert now.stale()["unit_id"].tolist() == now.stale(rule.STALE_MONTHS)["unit_id"].tolist()


def test_months_before_clamps_to_the_last_day_of_the_month() -> None:
    assert rule.months_before(datetime(2024, 3, 31, 10), 1) == datetime(2024, 2, 29, 10)
    assert rule.months_before(datetime(2023, 3, 31), 1) == datetime(2023, 2, 28)
    assert rule.months_before(datetime(2024, 1, 15), 1) == datetime(2023, 12, 15)
    assert rule.months_before(datetime(2024, 5, 16), 6) == datetime(2023, 11, 16)
    assert rule.months_before(datetime(2024, 5, 16), 24) == datetime(2022, 5, 16)
    assert rule.months_before(datetime(2024, 12, 1), 0) == datetime(2024, 12, 1)
    assert rule.day_end(date(2024, 12, 31)) == datetime(2025, 1, 1)


# ---------------------------------------------------------------------------- practices


def test_practice_shares_weakest_first(store: Lartrappan) -> None:
    root = unit(store, "Kommun")
    first = unit(store, "Ett", root)
    second = unit(store, "Två", root)
    # an older snapshot does not count: only each unit's latest
    assess(store, first, datetime(2023, 1, 1, 12), step=3)
    ones: dict[str, Status] = {
        "s1-goal-linked": D,
        "s1-anytime-anywhere": D,
        "s1-measure-effect": P,
        "s1-local-ownership": D,
        "s2-performance": X,
        "s2-learning-in-roles": X,
    }
    twos: dict[str, Status] = {
        "s1-goal-linked": D,
        "s1-anytime-anywhere": P,
        "s1-measure-effect": P,
        "s1-local-ownership": N,
        "s2-performance": N,
        "s2-learning-in-roles": X,
    }
    assess(store, first, datetime(2024, 1, 1, 12), statuses=ones)
    assess(store, second, datetime(2024, 1, 2, 12), statuses=twos)
    now = store.rollup.of_unit(store.units.tree(), root, date(2024, 2, 1))
    shares = now.practices
    assert shares["practice_id"].astype(str).tolist() == [
        # score 0, nothing done: by step, then the catalogue's order
        "s2-performance",
        "s2-just-in-time",
        "s2-informal-learning",
        "s3-sharing-environments",
        "s3-sharing-culture",
        "s1-measure-effect",  # 0.5, nothing done
        "s1-local-ownership",  # 0.5, half done
        "s1-anytime-anywhere",  # 0.75
        "s1-goal-linked",  # 1
        "s2-learning-in-roles",  # applies nowhere: last
    ]
    by_id = shares.set_index(shares["practice_id"].astype(str))
    assert by_id.loc["s2-performance", ["not_applicable", "not_started"]].tolist() == [0.5, 0.5]
    assert by_id.loc["s2-performance", "score"] == 0.0
    assert math.isnan(by_id.loc["s2-learning-in-roles", "score"])
    assert by_id.loc["s1-local-ownership", ["done", "not_started"]].tolist() == [0.5, 0.5]
    assert by_id.loc["s1-anytime-anywhere", "score"] == 0.75
    assert (by_id["units"] == 2).all()
    statuses = ["done", "in_progress", "not_started", "not_applicable"]
    assert by_id[statuses].sum(axis=1).tolist() == pytest.approx([1.0] * len(PRACTICE_IDS))
    assert by_id.loc["s3-sharing-culture", "step"] == 3


def test_a_practice_is_shared_over_the_units_whose_latest_snapshot_records_it(
    store: Lartrappan,
) -> None:
    """An own practice added after one unit's follow-up: that unit's latest snapshot does not
    record it, so the practice's shares are over the other unit alone. Retired later, it
    stays in the roll-up (the snapshots keep it) with its title."""
    root = unit(store, "Kommun")
    before = unit(store, "Före", root)
    after = unit(store, "Efter", root)
    assess(store, before, datetime(2024, 1, 1, 12), step=1)
    own = store.practices.add(ACTOR, 2, "Egen praktik", "Own practice", dimensions=["people"])
    assess(store, after, datetime(2024, 1, 2, 12), step=1, statuses={own.id: D})
    store.practices.archive(ACTOR, own.id)
    tree = store.units.tree()
    now = store.rollup.of_unit(tree, root, date(2024, 2, 1))
    shares = now.practices.set_index(now.practices["practice_id"].astype(str))
    assert int(shares.loc[own.id, "units"]) == 1
    assert shares.loc[own.id, "done"] == 1.0
    assert int(shares.loc["s1-goal-linked", "units"]) == 2
    # catalogue order: an own practice after the shipped ones of its step
    assert now.practice_ids == [*PRACTICE_IDS[:8], own.id, *PRACTICE_IDS[8:]]
    cells = now.heatmap(tree).set_index("unit_id")
    assert cells.loc[before, own.id] == ""
    assert cells.loc[after, own.id] == "done"
    assert own.id in {p.id for p in now.catalogue.practices}


# ---------------------------------------------------------------------------- heatmap


@pytest.fixture
def organisation(store: Lartrappan) -> tuple[Lartrappan, dict[str, int]]:
    """Kommun > {Alfa > {a1, a2}, Beta > {b1}, Gamma (archived) > {g1}}; a1 on step 2,
    a2 on step 0 (one practice on the way), b1 never assessed, g1 on step 3."""
    ids: dict[str, int] = {}
    ids["root"] = unit(store, "Kommun")
    ids["Alfa"] = unit(store, "Alfa", ids["root"])
    ids["Beta"] = unit(store, "Beta", ids["root"])
    ids["Gamma"] = unit(store, "Gamma", ids["root"])
    ids["a1"] = unit(store, "a1", ids["Alfa"])
    ids["a2"] = unit(store, "a2", ids["Alfa"])
    ids["b1"] = unit(store, "b1", ids["Beta"])
    ids["g1"] = unit(store, "g1", ids["Gamma"])
    assess(store, ids["a1"], datetime(2024, 1, 1, 12), step=2, statuses={"s3-sharing-culture": X})
    assess(store, ids["a2"], datetime(2024, 1, 1, 12), statuses={"s1-goal-linked": P})
    assess(store, ids["g1"], datetime(2024, 1, 1, 12), step=3)
    store.units.set_archived(ACTOR, ids["Gamma"], True)
    return store, ids


def test_heatmap_groups_under_an_organisation(
    organisation: tuple[Lartrappan, dict[str, int]],
) -> None:
    store, ids = organisation
    tree = store.units.tree()
    now = store.rollup.of_unit(tree, ids["root"], date(2024, 2, 1))
    rows = now.heatmap(tree)
    assert rows["unit_id"].tolist() == [ids["Alfa"], ids["Beta"]]  # by name; Gamma archived
    alfa = rows.set_index("unit_id").loc[ids["Alfa"]]
    assert int(alfa["assessed"]) == 2
    assert alfa["step_reached"] == pytest.approx(1.0)  # (2 + 0) / 2
    assert alfa["maturity"] == pytest.approx((8 / 9 + 0.5 / 10) / 2)
    assert alfa["s1-goal-linked"] == pytest.approx(0.75)  # done and on the way
    assert alfa["s3-sharing-culture"] == 0.0  # not applicable in a1, not started in a2
    beta = rows.set_index("unit_id").loc[ids["Beta"]]
    assert int(beta["assessed"]) == 0
    assert pd.isna(beta["maturity"]) and pd.isna(beta["s1-goal-linked"])
    # a group's own unit row opens into its units
    inside = now.heatmap(tree, group=ids["Alfa"])
    assert inside["unit_id"].tolist() == [ids["a1"], ids["a2"]]
    a1 = inside.set_index("unit_id").loc[ids["a1"]]
    assert a1["s3-sharing-culture"] == "not_applicable"
    assert a1["s2-performance"] == "done"
    assert int(a1["step_reached"]) == 2
    unassessed = now.heatmap(tree, group=ids["Beta"])
    assert unassessed["unit_id"].tolist() == [ids["b1"]]
    assert unassessed.iloc[0]["s1-goal-linked"] == ""
    assert pd.isna(unassessed.iloc[0]["maturity"])


def test_heatmap_group_counts_only_units_expected_to_assess_themselves(
    organisation: tuple[Lartrappan, dict[str, int]],
) -> None:
    """A förvaltning that only gathers its units is not missing a follow-up: the group
    'Alfa' has two units to assess (a1, a2), both assessed: 2 of 2, not 2 of 3."""
    store, ids = organisation
    tree = store.units.tree()
    now = store.rollup.of_unit(tree, ids["root"], date(2024, 2, 1))
    rows = now.heatmap(tree).set_index("unit_id")
    assert int(rows.loc[ids["Alfa"], "units"]) == 2
    assert int(rows.loc[ids["Beta"], "units"]) == 1
    assert sum(int(n) for n in rows["units"]) == now.distribution.units_in_scope


def test_heatmap_with_the_parent_assessed_and_one_row_per_unit_below_a_förvaltning(
    organisation: tuple[Lartrappan, dict[str, int]],
) -> None:
    store, ids = organisation
    assess(store, ids["root"], datetime(2024, 1, 5, 12), step=1)
    tree = store.units.tree()
    now = store.rollup.of_unit(tree, ids["root"], date(2024, 2, 1))
    rows = now.heatmap(tree)
    # the organisation itself is a group of its own, as it has a snapshot
    assert set(rows["unit_id"]) == {ids["root"], ids["Alfa"], ids["Beta"]}
    assert now.heatmap(tree, group=ids["root"])["unit_id"].tolist() == [ids["root"]]
    # a förvaltning whose units have none under them: one row per unit
    alfa = store.rollup.of_unit(tree, ids["Alfa"], date(2024, 2, 1))
    assert alfa.heatmap(tree)["unit_id"].tolist() == [ids["a1"], ids["a2"]]


def test_heatmap_sorts(organisation: tuple[Lartrappan, dict[str, int]]) -> None:
    store, ids = organisation
    a3 = unit(store, "A3", ids["Alfa"])  # name sorts without regard to case
    assess(store, a3, datetime(2024, 1, 1, 12), step=2)  # a1's step, a higher maturity
    unit(store, "a0", ids["Alfa"])  # never assessed
    tree = store.units.tree()
    now = store.rollup.of_unit(tree, ids["Alfa"], date(2024, 2, 1))
    a0 = tree.find(("Kommun", "Alfa", "a0"))

    def order(sort: rule.HeatmapSort, descending: bool = False) -> list[int]:
        return [int(u) for u in now.heatmap(tree, sort=sort, descending=descending)["unit_id"]]

    assert order("name") == [a0, ids["a1"], ids["a2"], a3]
    assert order("name", True) == [a3, ids["a2"], ids["a1"], a0]
    # a1: step 2, 8/9; a2: step 0, 0.05; a3: step 2, 0.8; unassessed last either way
    assert order("maturity") == [ids["a2"], a3, ids["a1"], a0]
    assert order("maturity", True) == [ids["a1"], a3, ids["a2"], a0]
    assert order("step") == [ids["a2"], a3, ids["a1"], a0]
    assert order("step", True) == [ids["a1"], a3, ids["a2"], a0]


# ---------------------------------------------------------------------------- the cache


def test_the_roll_up_is_cached_until_a_snapshot_units_or_practices_change(
    store: Lartrappan,
) -> None:
    root = unit(store, "Kommun")
    leaf = unit(store, "Enhet", root)
    other = unit(store, "Annan", root)
    first = assess(store, leaf, datetime(2024, 1, 1, 12), step=1)
    tree = store.units.tree()

    before = store.rollup.of_unit(tree, root)
    assert store.rollup.of_unit(tree, root) is before
    over = store.rollup.over_time(tree, root, "quarter", 12)
    assert store.rollup.over_time(tree, root, "quarter", 12) is over
    movers = store.rollup.movers(tree, root)
    assert store.rollup.movers(tree, root) is movers
    # the working state is not part of the roll-up: no counter, no new read
    store.checklist.set_status(ACTOR, leaf, "s3-sharing-culture", D)
    assert store.rollup.of_unit(tree, root) is before

    # saved
    second = assess(store, leaf, datetime(2024, 2, 1, 12), step=2)
    after_save = store.rollup.of_unit(tree, root)
    assert after_save is not before
    assert steps_of(after_save)[2] == 1 and steps_of(before)[1] == 1
    assert store.rollup.over_time(tree, root, "quarter", 12) is not over
    assert store.rollup.movers(tree, root) is not movers

    # deleted
    store.snapshots.delete(ACTOR, second)
    after_delete = store.rollup.of_unit(tree, root)
    assert after_delete is not after_save
    assert steps_of(after_delete) == {0: 0, 1: 1, 2: 0, 3: 0}

    # imported: the unit's snapshot again, two months later and with everything done
    data = store.transfer.export_csv([leaf]).decode("utf-8")
    moved = data.replace("2024-01-01T12:00:00", "2024-03-01T12:00:00").replace(
        ",not_started,", ",done,"
    )
    result = store.transfer.import_csv(ACTOR, moved.encode("utf-8"))
    assert result.snapshots_created == 1
    after_import = store.rollup.of_unit(tree, root)
    assert after_import is not after_delete
    assert steps_of(after_import) == {0: 0, 1: 0, 2: 0, 3: 1}
    # the same file again changes nothing: the cache stays
    again = store.transfer.import_csv(ACTOR, moved.encode("utf-8"))
    assert again.snapshots_created == 0
    assert store.rollup.of_unit(tree, root) is after_import

    # an own practice added: a new catalogue, read afresh
    store.practices.add(ACTOR, 1, "Egen praktik", dimensions=["people"])
    after_practice = store.rollup.of_unit(tree, root)
    assert after_practice is not after_import
    # a unit created or archived: a new tree, read afresh
    store.units.set_archived(ACTOR, other, True)
    tree = store.units.tree()
    after_archive = store.rollup.of_unit(tree, root)
    assert after_archive.expected == (leaf,)
    assert store.snapshots.get(first).unit_id == leaf


# ---------------------------------------------------------------------------- the demo, checked
# independently: a plain CSV export, the csv module and a scoring rule of our own

DEMO_DAY = date(2024, 5, 15)
MUNICIPALITY = "Norrby kommun"
CARE = "Norrby kommun > Vård- och omsorgsförvaltningen"
SCHOOL = "Norrby kommun > Barn- och utbildningsförvaltningen"
REGION = "Region Norrland Syd"
OWN_POINTS = {"done": 1.0, "in_progress": 0.5, "not_started": 0.0}
OWN_STATUSES = ("done", "in_progress", "not_started", "not_applicable")
SEP = " > "


def own_score(entries: Iterable[tuple[int, str]]) -> tuple[int, float | None]:
    """(step reached, maturity) of one snapshot's (step, status) pairs."""
    applicable = [(step, status) for step, status in entries if status != "not_applicable"]
    maturity = (
        sum(OWN_POINTS[status] for _, status in applicable) / len(applicable)
        if applicable
        else None
    )
    reached = 0
    for k in (1, 2, 3):
        if any(status != "done" for step, status in applicable if step == k):
            break
        reached = k
    return reached, maturity


def own_months_before(moment: datetime, months: int) -> datetime:
    year, month = moment.year, moment.month - months
    while month < 1:
        year, month = year - 1, month + 12
    for day in range(moment.day, 0, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Export:
    """The plain CSV export, read with the csv module: snapshots by unit path."""

    def __init__(self, data: bytes) -> None:
        text = data.decode("utf-8")
        assert not text.startswith("\ufeff") and "\r\n" not in text  # plain: no BOM, LF
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert rows, "an empty export"
        snapshots: dict[tuple[str, str], list[tuple[int, str, str]]] = defaultdict(list)
        for row in rows:
            path = row["unit_path"]
            if path[:1] == "'" and path[1:2] in ("=", "+", "-", "@", "\t", "\r", "'"):
                path = path[1:]
            snapshots[(path, row["taken_at"])].append(
                (int(row["step"]), row["practice_id"], row["status"])
            )
        self.snapshots: dict[str, list[tuple[datetime, list[tuple[int, str, str]]]]] = defaultdict(
            list
        )
        for (path, taken_at), entries in snapshots.items():
            self.snapshots[path].append((datetime.fromisoformat(taken_at), entries))
        for found in self.snapshots.values():
            found.sort(key=lambda s: s[0])

    def paths_under(self, top: str) -> list[str]:
        return [p for p in self.snapshots if p == top or p.startswith(top + SEP)]

    def latest(self, path: str, before: datetime) -> list[tuple[int, str, str]] | None:
        found = [entries for taken_at, entries in self.snapshots[path] if taken_at < before]
        return found[-1] if found else None

    def latest_moment(self, path: str, before: datetime) -> datetime | None:
        found = [taken_at for taken_at, _ in self.snapshots[path] if taken_at < before]
        return found[-1] if found else None

    def expected(self, top: str, before: datetime) -> list[str]:
        """The units under `top` that should assess themselves: those with no unit under
        them, and those with units under them that have a snapshot of their own by then.
        (Read from the export, this sees only units with at least one snapshot: true of
        every unit of the demo without units under it.)"""
        paths = self.paths_under(top)
        out = []
        for path in paths:
            is_parent = any(other.startswith(path + SEP) for other in paths)
            if not is_parent or self.latest(path, before) is not None:
                out.append(path)
        return out

    def summary(self, top: str, at: date, stale_months: int) -> dict[str, Any]:
        """What `summary --format json` should say, computed from the export alone."""
        end = datetime.combine(at + timedelta(days=1), time())
        expected = self.expected(top, end)
        scores: dict[str, tuple[int, float | None]] = {}
        practices: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OWN_STATUSES, 0))
        for path in expected:
            entries = self.latest(path, end)
            if entries is None:
                continue
            scores[path] = own_score((step, status) for step, _, status in entries)
            for _, practice_id, status in entries:
                practices[practice_id][status] += 1
        maturities = [m for _, m in scores.values() if m is not None]
        cutoff = own_months_before(end, stale_months)
        stale = []
        for path in expected:
            last = self.latest_moment(path, end)
            if last is None or last < cutoff:
                stale.append(path)
        return {
            "units": len(scores),
            "units_expected": len(expected),
            "units_not_assessed": len(expected) - len(scores),
            "steps": {str(k): sum(1 for s, _ in scores.values() if s == k) for k in range(4)},
            "maturity_mean": statistics.fmean(maturities) if maturities else None,
            "maturity_median": statistics.median(maturities) if maturities else None,
            "practices": {
                pid: {
                    "units": sum(counts.values()),
                    **{s: counts[s] / sum(counts.values()) for s in OWN_STATUSES},
                    "score": _own_practice_score(counts),
                }
                for pid, counts in practices.items()
            },
            "stale": sorted(stale),
            "scores": scores,
        }


def _own_practice_score(counts: Mapping[str, int]) -> float | None:
    applicable = sum(counts[s] for s in OWN_POINTS)
    if not applicable:
        return None
    return sum(counts[s] * p for s, p in OWN_POINTS.items()) / applicable


def approx_or_none(value: float | None) -> Any:
    return None if value is None else pytest.approx(value)


@pytest.fixture
def demo(make_store: Any, db_url: Any) -> tuple[str, Lartrappan]:
    store = make_store("demo")
    load_demo(store, today=DEMO_DAY)
    return db_url("demo"), store


def summary_json(url: str, unit_path: str, at: date, capsys: pytest.CaptureFixture[str]) -> Any:
    capsys.readouterr()
    args = ["summary", "--unit", unit_path, "--at", at.isoformat(), "--format", "json"]
    code = main(["--db", url, *args])
    out = capsys.readouterr()
    assert code == EXIT_OK, out.err
    return json.loads(out.out)


@pytest.mark.parametrize(
    ("top", "at"),
    [
        (MUNICIPALITY, DEMO_DAY),
        (CARE, DEMO_DAY),
        # an earlier day: Individ- och familjeomsorgen not yet assessed (its first
        # follow-up is 5 April 2023); Björkskolan's snapshot at 13:00 that day counts
        (MUNICIPALITY, date(2023, 3, 10)),
        # the day of the first follow-ups: some that afternoon, some not yet
        (SCHOOL, date(2022, 5, 26)),
        (REGION, date(2023, 1, 20)),
    ],
)
def test_summary_agrees_with_a_roll_up_computed_from_the_csv_export(
    demo: tuple[str, Lartrappan],
    tmp_path: Any,
    capsys: pytest.CaptureFixture[str],
    top: str,
    at: date,
) -> None:
    url, _ = demo
    target = tmp_path / "all.csv"
    assert main(["--db", url, "export", str(target)]) == EXIT_OK  # everything, plain CSV
    export = Export(target.read_bytes())
    own = export.summary(top, at, stale_months=6)
    got = summary_json(url, top, at, capsys)

    assert got["unit"]["path"] == top and got["at"] == at.isoformat()
    for key in ("units", "units_expected", "units_not_assessed", "steps"):
        assert got[key] == own[key], key
    assert got["maturity_mean"] == approx_or_none(own["maturity_mean"])
    assert got["maturity_median"] == approx_or_none(own["maturity_median"])
    assert {p["id"] for p in got["practices"]} == set(own["practices"])
    for p in got["practices"]:
        mine = own["practices"][p["id"]]
        assert p["units"] == mine["units"], p["id"]
        for status in OWN_STATUSES:
            assert p[status] == pytest.approx(mine[status]), (p["id"], status)
        assert p["score"] == approx_or_none(mine["score"]), p["id"]
    scores = [p["score"] for p in got["practices"]]
    known = [s for s in scores if s is not None]
    assert known == sorted(known), "weakest first"
    assert scores[: len(known)] == known, "a practice that applies nowhere goes last"
    assert sorted(u["path"] for u in got["stale"]["units"]) == own["stale"]
    # the demo exercises what is checked: somebody on each side of each comparison
    assert got["units"] > 0


def test_demo_has_units_not_yet_assessed_on_an_earlier_day(demo: tuple[str, Lartrappan]) -> None:
    """The earlier days above are chosen to have unassessed units (else they test less)."""
    _, store = demo
    tree = store.units.tree()
    municipality = tree.find((MUNICIPALITY,))
    assert municipality is not None
    earlier = store.rollup.of_unit(tree, municipality, date(2023, 3, 10))
    assert earlier.distribution.not_assessed == 1
    school = tree.find(tuple(SCHOOL.split(SEP)))
    assert school is not None
    first_day = store.rollup.of_unit(tree, school, date(2022, 5, 26))
    assert 0 < first_day.distribution.assessed < first_day.distribution.units_in_scope


def test_the_unit_pages_and_the_roll_up_agree_on_every_unit(
    demo: tuple[str, Lartrappan],
) -> None:
    """Each leaf's last row on its own progress page is what the roll-up counts it as, and
    what the exported snapshot scores to by our own rule."""
    _, store = demo
    tree = store.units.tree()
    export = Export(store.transfer.export_csv())
    for organisation in tree.roots():
        now = store.rollup.of_unit(tree, organisation.id)
        leaves = [u.id for u in tree.ordered(under=organisation.id) if not tree.children(u.id)]
        assert set(now.scores["unit_id"]) == set(leaves)
        for leaf in leaves:
            history = store.progress.of_unit(leaf).history
            last = history.iloc[-1]
            page = (int(last["step_reached"]), float(last["maturity"]))
            assert score_of(now, leaf) == pytest.approx(page), tree.label(leaf)
            entries = export.snapshots[tree.label(leaf)][-1][1]
            assert own_score((s, st) for s, _, st in entries) == pytest.approx(page)


def test_over_time_and_movers_agree_with_the_csv_export(demo: tuple[str, Lartrappan]) -> None:
    _, store = demo
    tree = store.units.tree()
    export = Export(store.transfer.export_csv())
    municipality = tree.find((MUNICIPALITY,))
    assert municipality is not None
    for kind in rule.PERIOD_KINDS:
        over = store.rollup.over_time(tree, municipality, kind, 24, DEMO_DAY)
        assert len(over.periods) == 24 // rule.PERIOD_MONTHS[kind]
        for period, row in zip(over.periods, over.table.itertuples(index=False), strict=True):
            expected = export.expected(MUNICIPALITY, period.end)
            scores = [
                own_score((s, st) for s, _, st in entries)
                for path in expected
                if (entries := export.latest(path, period.end)) is not None
            ]
            got = [getattr(row, f"step_{k}") for k in range(4)]
            assert got == [sum(1 for s, _ in scores if s == k) for k in range(4)], period
            assert row.not_assessed == len(expected) - len(scores), period
            maturities = [m for _, m in scores if m is not None]
            if maturities:
                assert row.maturity_mean == pytest.approx(statistics.fmean(maturities))
            else:
                assert math.isnan(row.maturity_mean)
        last = over.table.iloc[-1]
        now = store.rollup.of_unit(tree, municipality, DEMO_DAY)
        assert [int(last[f"step_{k}"]) for k in range(4)] == list(now.distribution.steps.values())

    end = datetime.combine(DEMO_DAY + timedelta(days=1), time())
    news = []
    # 14 months back, Individ- och familjeomsorgen (first follow-up April 2023) is new
    for months in (12, 14):
        movers = store.rollup.movers(tree, municipality, months, DEMO_DAY)
        since = own_months_before(end, months)
        assert movers.since == since
        changes: dict[str, float] = {}
        new = 0
        for path in export.expected(MUNICIPALITY, end):
            now_entries, then_entries = export.latest(path, end), export.latest(path, since)
            if now_entries is None:
                continue
            if then_entries is None:
                new += 1
                continue
            now_m = own_score((s, st) for s, _, st in now_entries)[1]
            then_m = own_score((s, st) for s, _, st in then_entries)[1]
            assert now_m is not None and then_m is not None
            changes[path] = now_m - then_m
        assert movers.new == new, months
        news.append(new)
        moved = {tree.label(int(r.unit_id)): float(r.change) for r in movers.table.itertuples()}
        assert moved == pytest.approx(changes), months
        climbed = [tree.label(int(u)) for u in movers.climbed["unit_id"]]
        assert set(climbed) == {p for p, change in changes.items() if change > 0}
        assert [changes[p] for p in climbed] == sorted((changes[p] for p in climbed), reverse=True)
        assert climbed and len(climbed) + len(movers.still_or_back) == len(changes)
    assert news == [0, 1]


def test_expected_without_reading_snapshots_agrees_with_the_roll_up(demo: Any) -> None:
    """`Rollup.expected` (what a round asks) is the roll-up's `expected`, found cheaply,
    also for a förvaltning that assesses itself."""
    _, store = demo
    tree = store.units.tree()
    forv = next(u.id for u in tree.units.values() if u.name == "Socialförvaltningen")
    store.snapshots.save(ACTOR, forv, "x", "", taken_at=datetime.combine(DEMO_DAY, time(9)))
    for u in tree.ordered():
        assert store.rollup.expected(tree, u.id) == store.rollup.of_unit(tree, u.id).expected
    assert forv in store.rollup.expected(tree, tree.units[forv].parent_id)
