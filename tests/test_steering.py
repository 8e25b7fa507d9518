"""Steering the climb: targets (inheritance, history, on track / behind / reached at the
boundaries) and assessment rounds (the window, back-dating, closing freezes the list)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
import pytest

from staircase.domain import steering as rule
from staircase.domain.model import NotFoundError, ValidationError
from staircase.domain.moments import now
from staircase.domain.steering import Round, Target, TargetState
from staircase.services import Actor, Lartrappan
from staircase.storage import steering as store
from tests.test_rollup import PRACTICE_IDS, assess

BOSS = Actor("Chef Ek")
TODAY = now().date()


@pytest.fixture
def org(db_url: Any) -> Iterator[tuple[Lartrappan, dict[str, int]]]:
    """Kommun > Förvaltning > (Skola A, Skola B), and Kommun > Vård."""
    core = Lartrappan(db_url("steering"))
    ids: dict[str, int] = {}
    ids["kommun"] = core.units.create(BOSS, "Kommun").id
    ids["forv"] = core.units.create(BOSS, "Förvaltning", ids["kommun"]).id
    ids["a"] = core.units.create(BOSS, "Skola A", ids["forv"]).id
    ids["b"] = core.units.create(BOSS, "Skola B", ids["forv"]).id
    ids["vard"] = core.units.create(BOSS, "Vård", ids["kommun"]).id
    yield core, ids
    core.close()


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour, 0))


# ------------------------------------------------------------------------------- the rule


def _target(step: int, due: date) -> Target:
    return Target(1, 1, step, due, datetime(2026, 1, 1), "x")


@pytest.mark.parametrize(
    ("reached", "day", "state"),
    [
        (1, date(2027, 6, 30), TargetState.ON_TRACK),  # the target date itself is in time
        (1, date(2027, 7, 1), TargetState.BEHIND),  # the day after is not
        (2, date(2027, 6, 30), TargetState.REACHED),
        (3, date(2027, 7, 1), TargetState.REACHED),  # reached counts after the date too
        (0, date(2026, 1, 1), TargetState.ON_TRACK),
    ],
)
def test_target_state_at_the_boundaries(reached: int, day: date, state: TargetState) -> None:
    assert rule.target_state(reached, _target(2, date(2027, 6, 30)), day) is state


@pytest.mark.parametrize("step", [0, 4, -1])
def test_a_target_step_outside_1_to_3_is_refused(step: int) -> None:
    assert [p.key for p in rule.check_target(step, TODAY, TODAY)] == ["target.bad_step"]


def test_a_target_date_in_the_past_is_refused_today_is_not() -> None:
    assert [p.key for p in rule.check_target(2, TODAY - timedelta(days=1), TODAY)] == [
        "target.date_past"
    ]
    assert rule.check_target(2, TODAY, TODAY) == []


def test_round_window_rules() -> None:
    keys = lambda *a: [p.key for p in rule.check_round(*a)]  # noqa: E731
    assert keys("V", TODAY, TODAY - timedelta(days=1), TODAY) == ["round.due_before_start"]
    assert keys("  ", TODAY, TODAY, TODAY) == ["round.name_empty"]
    assert keys("V" * 201, TODAY, TODAY, TODAY) == ["round.name_too_long"]
    assert keys("V", TODAY - timedelta(days=9), TODAY - timedelta(days=1), TODAY) == [
        "round.due_past"
    ]
    assert keys("Vårens uppföljning", TODAY - timedelta(days=9), TODAY, TODAY) == []


def test_burn_up_counts_each_unit_from_its_first_answer() -> None:
    start = date(2027, 3, 1)
    table = rule.burn_up(
        [date(2027, 3, 2), date(2027, 3, 2), date(2027, 3, 4)], start, date(2027, 3, 5)
    )
    assert list(table["answered"]) == [0, 2, 2, 3, 3]
    assert list(table["day"]) == [start + timedelta(days=k) for k in range(5)]


# ------------------------------------------------------------------------------- targets


def test_a_target_on_a_forvaltning_holds_for_its_units_until_one_sets_its_own(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    due = TODAY + timedelta(days=100)
    core.targets.set(BOSS, ids["forv"], 2, due)
    assert core.targets.of_unit(tree, ids["a"]).step == 2
    assert core.targets.of_unit(tree, ids["b"]).unit_id == ids["forv"]
    assert core.targets.of_unit(tree, ids["vard"]) is None  # not under the förvaltning
    core.targets.set(BOSS, ids["a"], 3, due + timedelta(days=30))
    assert core.targets.of_unit(tree, ids["a"]).step == 3  # its own overrides
    assert core.targets.of_unit(tree, ids["b"]).step == 2
    core.targets.clear(BOSS, ids["a"])
    assert core.targets.of_unit(tree, ids["a"]).step == 2  # the inherited one holds again
    history = core.targets.history(tree, ids["a"])
    assert [(t.unit_id, t.step) for t in history] == [
        (ids["a"], None),
        (ids["a"], 3),
        (ids["forv"], 2),
    ]
    assert all(t.set_by == "Chef Ek" for t in history)


def test_refused_targets_write_nothing(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    for step, due in [(4, TODAY), (2, TODAY - timedelta(days=1)), (0, TODAY)]:
        with pytest.raises(ValidationError):
            core.targets.set(BOSS, ids["a"], step, due)
    with pytest.raises(ValidationError) as refused:
        core.targets.clear(BOSS, ids["a"])
    assert refused.value.problems[0].key == "target.no_own"
    with pytest.raises(NotFoundError):
        core.targets.set(BOSS, 999, 2, TODAY)
    assert core.targets.history(tree, ids["a"]) == []


def test_progress_on_track_behind_reached_and_the_gap(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    due = TODAY + timedelta(days=10)
    core.targets.set(BOSS, ids["kommun"], 2, due)
    assess(core, ids["a"], at(TODAY - timedelta(days=3)), step=2)
    assess(core, ids["b"], at(TODAY - timedelta(days=3)), step=1)
    # vard: never assessed, stands on step 0
    on_the_day = core.targets.progress(tree, ids["kommun"], at=due)
    assert on_the_day.count(TargetState.REACHED) == 1
    assert on_the_day.count(TargetState.ON_TRACK) == 2
    assert on_the_day.count(TargetState.BEHIND) == 0
    after = core.targets.progress(tree, ids["kommun"], at=due + timedelta(days=1))
    behind = after.behind
    assert list(behind["unit_id"]) == [ids["vard"], ids["b"]]  # largest gap first
    assert list(behind["gap"]) == [2, 1]
    assert list(after.table["state"])[-1] == "reached"
    assert after.without_target == 0


def test_units_without_a_target_are_counted_apart(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    core.targets.set(BOSS, ids["forv"], 1, TODAY)
    summary = core.targets.progress(tree, ids["kommun"])
    assert set(summary.table["unit_id"]) == {ids["a"], ids["b"]}
    assert summary.without_target == 1  # Vård


# -------------------------------------------------------------------------------- rounds


def _past_round(core: Lartrappan, unit_id: int, starts: date, due: date, name: str = "R") -> Round:
    """A round opened earlier (the service refuses a due date in the past)."""
    with core.db.write() as conn:
        return store.add_round(conn, unit_id, name, starts, due, at(starts, 8), "Chef Ek")


def test_the_window_includes_its_last_day_and_back_dating_counts_by_the_date(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    starts, due = TODAY - timedelta(days=20), TODAY - timedelta(days=5)
    rnd = _past_round(core, ids["forv"], starts, due)
    # Saved now (after the round opened), but dated: a minute before midnight of the last
    # day (counts), the day before the start (does not).
    assess(core, ids["a"], datetime.combine(due, time(23, 59)), step=1)
    assess(core, ids["b"], at(starts - timedelta(days=1)), step=2)
    status = core.rounds.status(tree, rnd.id)
    assert status.expected == (ids["a"], ids["b"])
    assert list(status.answers["unit_id"]) == [ids["a"]]
    assert list(status.missing["unit_id"]) == [ids["b"]]
    assert status.missing.iloc[0]["last_saved_by"] == "x"  # who last saved one, where known
    # The day after the window does not count either.
    assess(core, ids["b"], at(due + timedelta(days=1)), step=2)
    assert core.rounds.status(tree, rnd.id).answered == 1
    assert status.burn_up.iloc[-1]["day"] == due and status.burn_up.iloc[-1]["answered"] == 1


def test_the_latest_snapshot_in_the_window_is_the_answer(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    rnd = core.rounds.open(BOSS, ids["forv"], "Vår", TODAY - timedelta(days=10), TODAY)
    assess(core, ids["a"], at(TODAY - timedelta(days=8)), step=1)
    assess(core, ids["a"], at(TODAY - timedelta(days=2)), step=3)
    status = core.rounds.status(tree, rnd.id)
    assert status.steps == {0: 0, 1: 0, 2: 0, 3: 1}
    first_day = status.burn_up.set_index("day")["answered"]
    assert first_day[TODAY - timedelta(days=9)] == 0
    assert first_day[TODAY - timedelta(days=8)] == 1  # counted from its first answer


def test_closing_freezes_the_list_and_the_answers(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    rnd = core.rounds.open(BOSS, ids["forv"], "Vår", TODAY - timedelta(days=10), TODAY)
    assess(core, ids["a"], at(TODAY - timedelta(days=1)), step=2)
    closed = core.rounds.close(BOSS, tree, rnd.id)
    assert closed.round.closed_by == "Chef Ek" and not closed.round.is_open
    assert (closed.answered, len(closed.expected)) == (1, 2)
    # After closing: a new snapshot in the window, a new unit, an archived one change nothing.
    assess(core, ids["b"], at(TODAY - timedelta(days=1)), step=1)
    core.units.create(BOSS, "Skola C", ids["forv"])
    core.units.set_archived(BOSS, ids["a"], True)
    tree = core.units.tree()
    frozen = core.rounds.status(tree, rnd.id)
    assert frozen.expected == (ids["a"], ids["b"])
    assert list(frozen.answers["unit_id"]) == [ids["a"]]
    assert frozen.steps[2] == 1
    with pytest.raises(ValidationError) as twice:
        core.rounds.close(BOSS, tree, rnd.id)
    assert twice.value.problems[0].key == "round.closed"


def test_refused_rounds_write_nothing(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    with pytest.raises(ValidationError):
        core.rounds.open(BOSS, ids["forv"], "Vår", TODAY, TODAY - timedelta(days=1))
    with pytest.raises(ValidationError):
        core.rounds.open(BOSS, ids["forv"], "", TODAY, TODAY)
    with pytest.raises(NotFoundError):
        core.rounds.status(tree, 4711)
    assert core.rounds.of_unit(tree, ids["forv"]) == []


def test_a_lead_sees_the_open_rounds_that_ask_the_unit(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    wide = core.rounds.open(BOSS, ids["kommun"], "Hela", TODAY, TODAY + timedelta(days=30))
    near = core.rounds.open(BOSS, ids["forv"], "Förv", TODAY, TODAY + timedelta(days=7))
    core.rounds.open(BOSS, ids["vard"], "Vård", TODAY, TODAY + timedelta(days=7))
    later = core.rounds.open(
        BOSS, ids["a"], "Sen", TODAY + timedelta(days=3), TODAY + timedelta(days=9)
    )
    assert [r.id for r in core.rounds.open_for(tree, ids["a"])] == [near.id, wide.id]
    assert later.id in [r.id for r in core.rounds.of_unit(tree, ids["a"])]
    core.rounds.close(BOSS, tree, near.id)
    assert [r.id for r in core.rounds.open_for(tree, ids["a"])] == [wide.id]


def test_the_result_is_compared_with_the_previous_round(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    before = _past_round(
        core, ids["forv"], TODAY - timedelta(days=200), TODAY - timedelta(days=150), "Höst"
    )
    assess(core, ids["a"], at(TODAY - timedelta(days=160)), step=1)
    assess(core, ids["b"], at(TODAY - timedelta(days=160)), step=1)
    core.rounds.close(BOSS, tree, before.id)
    now_ = core.rounds.open(BOSS, ids["forv"], "Vår", TODAY - timedelta(days=5), TODAY)
    assess(core, ids["a"], at(TODAY - timedelta(days=1)), step=2)
    status = core.rounds.status(tree, now_.id)
    assert status.previous is not None and status.previous.round.name == "Höst"
    assert status.previous.steps == {0: 0, 1: 2, 2: 0, 3: 0}
    assert status.steps == {0: 0, 1: 0, 2: 1, 3: 0}


def test_answers_ignore_units_not_asked() -> None:
    frame = pd.DataFrame(
        [(1, 10, datetime(2027, 1, 2), 1, 0.4, "a"), (2, 11, datetime(2027, 1, 3), 2, 0.8, "b")],
        columns=rule.ANSWER_COLUMNS,
    )
    assert list(rule.answers(frame, [2])["unit_id"]) == [2]
    assert PRACTICE_IDS  # the helper's catalogue is loaded


def test_a_round_seen_on_an_earlier_day_counts_only_what_was_dated_by_then(org: Any) -> None:
    core, ids = org
    tree = core.units.tree()
    rnd = core.rounds.open(BOSS, ids["forv"], "Vår", TODAY - timedelta(days=20), TODAY)
    assess(core, ids["a"], at(TODAY - timedelta(days=2)), step=1)
    then = core.rounds.status(tree, rnd.id, at=TODAY - timedelta(days=10))
    assert then.answered == 0 and then.burn_up.iloc[-1]["answered"] == 0
    assert core.rounds.status(tree, rnd.id).answered == 1


def test_a_round_whose_unit_is_archived_is_not_closed_empty(org: Any) -> None:
    core, ids = org
    rnd = core.rounds.open(BOSS, ids["forv"], "Vår", TODAY - timedelta(days=20), TODAY)
    assess(core, ids["a"], at(TODAY - timedelta(days=2)), step=1)
    core.units.set_archived(BOSS, ids["forv"], True)
    tree = core.units.tree()
    with pytest.raises(ValidationError) as refused:
        core.rounds.close(BOSS, tree, rnd.id)
    assert refused.value.problems[0].key == "round.unit_archived_close"
    assert core.rounds.get(rnd.id).is_open
    core.units.set_archived(BOSS, ids["forv"], False)
    assert core.rounds.close(BOSS, core.units.tree(), rnd.id).answered == 1
