"""The scoring rule of PRODUCT.md, pure (`score`) and vectorised (`score_frame`)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import Status
from staircase.domain.scoring import POINTS, Score, score, score_frame

D, P, N, X = Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE


def steps(
    one: list[Status] | tuple[Status, ...] = (),
    two: list[Status] | tuple[Status, ...] = (),
    three: list[Status] | tuple[Status, ...] = (),
) -> list[tuple[int, Status]]:
    """(step, status) entries, one per practice."""
    return [(1, s) for s in one] + [(2, s) for s in two] + [(3, s) for s in three]


def shipped(overrides: dict[str, Status] | None = None, default: Status = D) -> Score:
    """Score the shipped catalogue with every practice at `default` except `overrides`."""
    overrides = overrides or {}
    cat = load_catalogue()
    return score((p.step, overrides.get(p.id, default)) for p in cat.practices)


# ---------------------------------------------------------------- points and completion


def test_points_are_1_half_and_0() -> None:
    assert {s: POINTS[s] for s in POINTS} == {D: 1.0, P: 0.5, N: 0.0}
    assert X not in POINTS


@pytest.mark.parametrize(("status", "completion"), [(D, 1.0), (P, 0.5), (N, 0.0)])
def test_completion_of_a_single_practice(status: Status, completion: float) -> None:
    result = score(steps([status]))
    assert result.of(1).completion == completion
    assert result.of(1).applicable == 1
    assert result.of(1).points == completion


def test_completion_is_points_over_applicable_practices_of_the_step() -> None:
    result = score(steps([D, P, N, N], [D, D, P, X], [X, N]))
    assert result.of(1).points == 1.5
    assert result.of(1).applicable == 4
    assert result.of(1).completion == pytest.approx(1.5 / 4)
    # not applicable is out of the denominator, not a zero
    assert result.of(2).applicable == 3
    assert result.of(2).completion == pytest.approx(2.5 / 3)
    assert result.of(3).applicable == 1
    assert result.of(3).completion == 0.0
    assert result.of(2).done == 2


def test_not_applicable_practice_does_not_lower_the_score() -> None:
    assert score(steps([D, D, X])).of(1).completion == 1.0
    assert score(steps([D, D, X])).maturity == 1.0
    assert score(steps([P, X, X])).of(1).completion == 0.5


def test_overall_maturity_is_points_over_all_applicable_practices() -> None:
    result = score(steps([D, D, D, D], [P, N, X, D], [P, X]))
    # points 4 + 1.5 + 0.5 = 6, applicable 4 + 3 + 1 = 8
    assert result.points == 6.0
    assert result.applicable == 8
    assert result.maturity == pytest.approx(6 / 8)
    # not the mean of the step completions (1, 0.5, 0.5 → 0.667)
    assert result.maturity != pytest.approx(2 / 3)


def test_score_has_one_step_score_per_step_in_order() -> None:
    result = score(steps([D], [P], [N]))
    assert [s.step for s in result.steps] == [1, 2, 3]
    assert [result.of(s).step for s in (1, 2, 3)] == [1, 2, 3]


def test_score_accepts_status_values_as_plain_strings() -> None:
    as_enum = score(steps([D, P], [X, D], [N]))
    as_str = score([(step, status.value) for step, status in steps([D, P], [X, D], [N])])
    assert as_str == as_enum
    assert score([(1, "done")]).step_reached == 3


def test_an_unknown_status_is_rejected() -> None:
    with pytest.raises(ValueError):
        score([(1, "finished")])


# ---------------------------------------------------------------- step reached


@pytest.mark.parametrize(
    ("one", "two", "three", "reached"),
    [
        ([N, N, N, N], [N, N, N, N], [N, N], 0),
        ([D, D, D, P], [N, N, N, N], [N, N], 0),
        ([D, D, D, D], [N, N, N, N], [N, N], 1),
        ([D, D, D, D], [D, D, D, P], [N, N], 1),
        ([D, D, D, D], [D, D, D, D], [N, N], 2),
        ([D, D, D, D], [D, D, D, D], [D, P], 2),
        ([D, D, D, D], [D, D, D, D], [D, D], 3),
        # cumulative: the steps above do not lift a unit whose step 1 is unfinished
        ([D, D, D, N], [D, D, D, D], [D, D], 0),
        ([P, P, P, P], [D, D, D, D], [D, D], 0),
        ([D, D, D, D], [D, D, N, D], [D, D], 1),
        # not applicable practices do not block
        ([D, D, X, D], [X, D, D, D], [D, X], 3),
        ([D, D, D, D], [X, X, X, X], [D, D], 3),
        ([D, D, D, D], [X, X, X, X], [N, D], 2),
        ([X, X, X, X], [D, D, D, D], [P, D], 2),
        ([X, X, X, X], [N, D, D, D], [D, D], 1),  # step 1 vacuously complete
    ],
)
def test_step_reached_is_cumulative(
    one: list[Status], two: list[Status], three: list[Status], reached: int
) -> None:
    assert score(steps(one, two, three)).step_reached == reached


def test_ticking_all_of_step_3_does_not_lift_a_unit_with_step_1_unfinished() -> None:
    result = shipped({"s1-measure-effect": N}, default=N)
    assert result.step_reached == 0
    result = shipped({"s1-measure-effect": P})  # everything else done
    assert result.step_reached == 0
    assert result.of(3).completion == 1.0
    assert result.of(2).completion == 1.0


def test_step_1_done_step_2_all_not_applicable_step_3_done_reaches_3() -> None:
    cat = load_catalogue()
    result = shipped({p.id: X for p in cat.practices_of(2)})
    assert result.step_reached == 3
    assert result.of(2).completion is None
    assert result.of(2).applicable == 0
    assert result.maturity == 1.0


def test_the_whole_shipped_staircase_done_reaches_3() -> None:
    result = shipped(default=D)
    assert result.step_reached == 3
    assert result.maturity == 1.0
    assert result.applicable == 10


# ---------------------------------------------------------------- edge cases


def test_all_not_applicable() -> None:
    result = shipped(default=X)
    assert result.maturity is None
    assert [result.of(s).completion for s in (1, 2, 3)] == [None, None, None]
    assert result.applicable == 0
    assert result.points == 0
    # By the literal rule ("the highest k such that every applicable practice of steps 1..k
    # is done") an empty set of applicable practices is vacuously all done: step 3.
    assert result.step_reached == 3
    assert result.focus_step == 3


def test_empty_input() -> None:
    result = score([])
    assert result.maturity is None
    assert result.applicable == 0
    assert [result.of(s).completion for s in (1, 2, 3)] == [None, None, None]
    # vacuous, like all-not-applicable: nothing applicable is left undone
    assert result.step_reached == 3
    assert score(iter(())) == result


def test_a_custom_fifth_practice_in_step_1_blocks_step_1_until_done() -> None:
    cat = load_catalogue()
    base = {p.id: D for p in cat.practices_of(1)}
    entries = [(1, s) for s in base.values()]
    blocked = score([*entries, (1, P)])
    assert blocked.step_reached == 0
    assert blocked.of(1).applicable == 5
    assert blocked.of(1).completion == pytest.approx(4.5 / 5)
    assert blocked.maturity == pytest.approx(4.5 / 5)
    done = score([*entries, (1, D)])
    assert done.step_reached == 3  # steps 2 and 3 have no entries at all: vacuous
    assert done.of(1).completion == 1.0
    assert score([*entries, (1, X)]).step_reached == 3  # or justified as not applicable


def test_a_snapshot_of_an_older_catalogue_is_scored_with_the_practices_it_recorded() -> None:
    """A practice added in a later version is simply absent from an old snapshot."""
    cat = load_catalogue()
    recorded = [p for p in cat.practices if p.id != "s2-informal-learning"]  # "v1" had 9
    result = score((p.step, D if p.step != 3 else P) for p in recorded)
    assert result.of(2).applicable == 3
    assert result.of(2).completion == 1.0
    assert result.step_reached == 2
    assert result.applicable == 9
    assert result.maturity == pytest.approx((4 + 3 + 1) / 9)


@pytest.mark.parametrize(
    ("statuses", "level"),
    [
        ([N, N], N),
        ([N, X], N),
        ([P, N], P),
        ([D, N], P),
        ([D, P], P),
        ([P, P], P),
        ([D, D], D),
        ([D, X], D),
        ([X, X], D),  # nothing applies: the step is complete (vacuous), as step_reached counts it
    ],
)
def test_level_of_a_step(statuses: list[Status], level: Status) -> None:
    assert score(steps(statuses)).of(1).level is level


@pytest.mark.parametrize(
    ("one", "two", "three", "focus"),
    [
        ([N], [N], [N], 1),
        ([D], [N], [N], 2),
        ([D], [D], [P], 3),
        ([D], [D], [D], 3),
        ([P], [D], [D], 1),
    ],
)
def test_focus_step_is_the_step_above_the_one_reached(
    one: list[Status], two: list[Status], three: list[Status], focus: int
) -> None:
    result = score(steps(one, two, three))
    assert result.focus_step == focus
    assert result.focus_step == min(result.step_reached + 1, 3)


# ---------------------------------------------------------------- score_frame


def test_score_frame_scores_each_group() -> None:
    rows = [("a", s, st.value) for s, st in steps([D, D, D, D], [D, P, X, N], [D, D])]
    rows += [("b", s, st.value) for s, st in steps([X, X], [], [D])]
    frame = pd.DataFrame(rows, columns=["snap", "step", "status"])
    out = score_frame(frame, by=["snap"])
    assert list(out.columns) == [
        "snap",
        "completion_1",
        "completion_2",
        "completion_3",
        "maturity",
        "step_reached",
    ]
    a = out.set_index("snap").loc["a"]
    assert a["completion_1"] == 1.0
    assert a["completion_2"] == pytest.approx(1.5 / 3)
    assert a["completion_3"] == 1.0
    assert a["maturity"] == pytest.approx(7.5 / 9)
    assert a["step_reached"] == 1
    b = out.set_index("snap").loc["b"]
    assert math.isnan(b["completion_1"])
    assert math.isnan(b["completion_2"])  # no entries at all in step 2
    assert b["completion_3"] == 1.0
    assert b["maturity"] == 1.0
    assert b["step_reached"] == 3
    assert pd.api.types.is_integer_dtype(out["step_reached"])
    assert len(out) == 2


def test_score_frame_accepts_status_members() -> None:
    frame = pd.DataFrame({"g": [1, 1], "step": [1, 1], "status": [D, P]})
    out = score_frame(frame, by=["g"])
    assert out.loc[0, "completion_1"] == 0.75
    assert out.loc[0, "step_reached"] == 0


def test_score_frame_of_nothing_is_empty_with_the_columns() -> None:
    out = score_frame(pd.DataFrame(columns=["g", "step", "status"]), by=["g"])
    assert out.empty
    assert list(out.columns) == [
        "g",
        "completion_1",
        "completion_2",
        "completion_3",
        "maturity",
        "step_reached",
    ]


def test_score_frame_with_no_group_having_a_step() -> None:
    frame = pd.DataFrame({"g": ["x", "y"], "step": [1, 1], "status": ["done", "not_started"]})
    out = score_frame(frame, by=["g"]).set_index("g")
    assert out["completion_3"].isna().all()
    assert out.loc["x", "step_reached"] == 3
    assert out.loc["y", "step_reached"] == 0


entry_lists = st.lists(
    st.tuples(st.sampled_from((1, 2, 3)), st.sampled_from(list(Status))), max_size=14
)


@settings(max_examples=200, deadline=None)
@given(groups=st.dictionaries(st.integers(0, 30), entry_lists, min_size=1, max_size=6))
def test_score_frame_agrees_with_score(groups: dict[int, list[tuple[int, Status]]]) -> None:
    rows = [
        (g, f"snap-{g}", step, status.value)
        for g, entries in groups.items()
        for step, status in entries
    ]
    frame = pd.DataFrame(rows, columns=["unit", "label", "step", "status"])
    out = score_frame(frame, by=["unit", "label"])
    expected_groups = {g for g, entries in groups.items() if entries}
    assert set(out["unit"]) == expected_groups
    assert len(out) == len(expected_groups)
    for row in out.itertuples(index=False):
        assert row.label == f"snap-{row.unit}"
        pure = score(groups[row.unit])
        for s in (1, 2, 3):
            got = getattr(row, f"completion_{s}")
            want = pure.of(s).completion
            if want is None:
                assert math.isnan(got), (s, got)
            else:
                assert got == pytest.approx(want)
        if pure.maturity is None:
            assert math.isnan(row.maturity)
        else:
            assert row.maturity == pytest.approx(pure.maturity)
        assert row.step_reached == pure.step_reached
