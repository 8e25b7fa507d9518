"""Demo data: a fictional municipality and region with two years of history, loaded into an
empty db (the scenario file itself is checked in tests/test_demo_scenario.py)."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pandas as pd
import pytest

from staircase.domain.demo_scenario import HOLIDAYS, load_scenario
from staircase.domain.model import Status, ValidationError
from staircase.domain.moments import now
from staircase.i18n import strings, t
from staircase.services import Actor, Lartrappan
from staircase.services.demo import DemoSummary, load_demo

TODAY = date(2024, 5, 15)
MUNICIPALITY = "Norrby kommun"
REGION = "Region Norrland Syd"
FINAL_STEPS = {
    "Hemtjänst Norr": 3,  # races to the top
    "Solgårdens särskilda boende": 1,  # reached 2, fell back after the merger
    "LSS-boende Linden": 2,  # with one arbetssätt not applicable
    "Björkskolan": 1,
    "Förskolan Ekorren": 2,
    "Vuxenutbildningen": 0,  # stuck, many arbetssätt on the way
    "Individ- och familjeomsorgen": 1,
    "Anhörigstödet": 2,
    "Habiliteringen Norrby": 2,
    "Vårdcentralen Strandvik": 1,
}
SNAPSHOTS = (5, 9)
"""About one follow-up a quarter (or a tertial) over 14 to 24 months."""


@pytest.fixture
def fresh(make_store: Callable[[str], Lartrappan]) -> Callable[..., Lartrappan]:
    """fresh() or fresh('name'): a store on an empty database (tests/conftest.py's make_store)."""
    return lambda name="t": make_store(name)


@pytest.fixture
def demo(fresh: Callable[..., Lartrappan]) -> tuple[Lartrappan, DemoSummary]:
    store = fresh()
    return store, load_demo(store, today=TODAY)


def leaves(store: Lartrappan) -> list[int]:
    tree = store.units.tree()
    return [u.id for u in tree.ordered() if not tree.children(u.id)]


def final_steps(store: Lartrappan) -> dict[str, int]:
    tree = store.units.tree()
    history = store.snapshots.history(leaves(store))
    last = history.groupby("unit_id").last()
    return {tree.label(uid): int(step) for uid, step in last["step_reached"].items()}


def test_builds_a_fictional_municipality_and_region(demo):
    store, summary = demo
    tree = store.units.tree()
    assert summary.units == len(tree.units)
    assert [u.name for u in tree.roots()] == [MUNICIPALITY, REGION]
    assert "demo" not in " ".join(u.name.casefold() for u in tree.units.values())
    assert {tree.path(uid) for uid in leaves(store)} == {u.path for u in load_scenario().units}
    assert max(len(tree.path(uid)) for uid in tree.units) == 3
    assert all(len(tree.path(uid)) == 3 for uid in leaves(store))
    municipality, region = tree.roots()
    administrations = tree.children(municipality.id)
    assert len(administrations) == 3
    for administration in administrations:
        assert 2 <= len(tree.children(administration.id)) <= 3
    assert tree.find((MUNICIPALITY, "Vård- och omsorgsförvaltningen", "LSS-boende Linden"))
    (healthcare,) = tree.children(region.id)
    units = [u.name for u in tree.children(healthcare.id)]
    assert any(name.startswith("Habiliteringen ") for name in units), units
    assert any(name.startswith("Vårdcentralen ") for name in units), units
    assert len(tree.units) == 16  # 1 + 3 + 8 in the municipality, 1 + 1 + 2 in the region


def test_every_leaf_follows_up_about_quarterly_for_one_to_two_years(demo):
    store, summary = demo
    ids = leaves(store)
    counts = {uid: len(store.snapshots.of_unit(uid)) for uid in ids}
    assert summary.snapshots == sum(counts.values())
    assert all(SNAPSHOTS[0] <= n <= SNAPSHOTS[1] for n in counts.values()), counts
    assert len(set(counts.values())) > 1  # not every unit meets equally often
    gaps = []
    for uid in ids:
        moments = sorted(s.taken_at.date() for s in store.snapshots.of_unit(uid))
        assert moments[-1] >= TODAY - timedelta(days=45)
        assert moments[0] <= TODAY - timedelta(days=365)
        unit_gaps = [(b - a).days for a, b in pairwise(moments)]
        assert min(unit_gaps) >= 30, unit_gaps  # never monthly
        gaps.extend(unit_gaps)
    assert 70 <= sorted(gaps)[len(gaps) // 2] <= 130  # the median: a quarter, or a tertial


def test_snapshots_are_complete_and_plausibly_dated(demo):
    store, _ = demo
    shipped = store.shipped
    steps = shipped.step_of
    rows = list(store.transfer.export_rows())
    assert rows
    by_snapshot: dict[tuple[str, datetime], list[dict]] = defaultdict(list)
    for row in rows:
        by_snapshot[(row["unit_path"], row["taken_at"])].append(row)
    for (path, taken_at), entries in by_snapshot.items():
        assert sorted(e["practice_id"] for e in entries) == sorted(shipped.practice_ids), path
        assert all(e["step"] == steps[e["practice_id"]] for e in entries)
        assert {e["catalogue_version"] for e in entries} == {shipped.version}
        assert entries[0]["saved_by"].strip()
        assert taken_at < datetime.combine(TODAY, time())  # never on or after `today`
        assert taken_at >= datetime.combine(TODAY - timedelta(days=731), time())
        assert taken_at.weekday() < 5
        assert (taken_at.month, taken_at.day) not in HOLIDAYS | {(1, 6), (6, 6), (12, 24)}
        assert not (taken_at.month == 6 and 19 <= taken_at.day <= 25 and taken_at.weekday() == 4)
        assert time(8) <= taken_at.time() <= time(16, 30)
        assert taken_at.second == 0
        assert taken_at.month != 7  # no workplace meetings in the summer break
        for e in entries:
            Status(e["status"])
            if e["status"] == Status.NOT_APPLICABLE:
                assert e["note"].strip()


def test_statuses_and_notes_vary_realistically(demo):
    store, _ = demo
    rows = pd.DataFrame(store.transfer.export_rows())
    statuses = set(rows["status"])
    assert statuses == {s.value for s in Status}
    na = rows[rows["status"] == Status.NOT_APPLICABLE.value]
    assert not na.empty and na["note"].str.strip().ne("").all()
    assert (rows["note"] == "").any()  # not every practice has a note
    assert rows["note"].str.contains("APT").any()
    assert rows["comment"].str.contains("APT").any()
    notes_per_practice = rows.groupby(["unit_path", "practice_id"])["note"].nunique()
    assert (notes_per_practice >= 3).any()  # notes change over time
    assert rows["saved_by"].nunique() >= 5


def test_units_end_at_different_steps(demo):
    store, _ = demo
    steps = final_steps(store)
    assert len(steps) == len(leaves(store))
    values = list(steps.values())
    assert max(values) == 3
    assert any(v >= 2 for v in values)
    assert 0 in values
    assert len(set(values)) >= 3
    tree = store.units.tree()
    for uid in leaves(store):
        assert store.checklist.score(uid).step_reached == steps[tree.label(uid)]
    assert {label.split(" > ")[-1]: step for label, step in steps.items()} == FINAL_STEPS
    region = [step for label, step in steps.items() if label.startswith(REGION)]
    assert len(region) >= 2 and max(region) >= 1


def test_the_stuck_unit_has_many_practices_on_the_way(demo):
    store, _ = demo
    tree = store.units.tree()
    stuck = [uid for uid in leaves(store) if store.checklist.score(uid).step_reached == 0]
    assert stuck
    assert any(
        sum(s.status is Status.IN_PROGRESS for s in store.checklist.state(uid).values()) >= 5
        for uid in stuck
    ), [tree.label(uid) for uid in stuck]


def test_one_unit_falls_back_and_steps_never_skip_backwards_otherwise(demo):
    store, _ = demo
    history = store.snapshots.history(leaves(store))
    fell_back = {}
    for uid, rows in history.groupby("unit_id"):
        rows = rows.sort_values("taken_at")
        reached = list(rows["step_reached"])
        falls = [i for i, (a, b) in enumerate(pairwise(reached), start=1) if b < a]
        if falls:
            fell_back[uid] = (reached, falls, list(rows["snapshot_id"]))
    assert len(fell_back) == 1
    ((uid, (reached, falls, snapshot_ids)),) = fell_back.items()
    assert store.units.tree().units[uid].name == "Solgårdens särskilda boende"
    assert len(falls) == 1 and (reached[falls[0] - 1], reached[falls[0]]) == (2, 1)
    fall = store.snapshots.get(snapshot_ids[falls[0]])
    assert "organisation" in fall.comment  # the reorganisation, as said at the meeting
    assert fall.saved_by != store.snapshots.get(snapshot_ids[0]).saved_by  # under a new manager


def test_higher_steps_are_sometimes_on_the_way_before_step_1_is_done(demo):
    store, _ = demo
    rows = pd.DataFrame(store.transfer.export_rows())
    early = []
    for _, snap in rows.groupby(["unit_path", "taken_at"]):
        step1_open = (snap[snap["step"] == 1]["status"] != Status.DONE.value).any()
        higher_moving = (snap[snap["step"] > 1]["status"] == Status.IN_PROGRESS.value).any()
        early.append(step1_open and higher_moving)
    assert any(early)


def test_working_state_equals_the_latest_snapshot(demo):
    store, _ = demo
    for uid in leaves(store):
        latest = store.snapshots.of_unit(uid)[0]
        expected = {e.practice_id: (e.status, e.note) for e in store.snapshots.entries(latest.id)}
        state = store.checklist.state(uid)
        assert {pid: (s.status, s.note) for pid, s in state.items()} == expected
        assert {s.updated_by for s in state.values()} == {latest.saved_by}
    tree = store.units.tree()
    for uid in tree.units:
        if tree.children(uid):  # administrations and the municipality aggregate leaves
            assert store.snapshots.of_unit(uid) == []
            assert store.checklist.state(uid) == {}


def test_refuses_a_database_with_units_and_changes_nothing(fresh):
    store = fresh()
    own = store.units.create(Actor(""), "Min enhet")
    store.snapshots.save(Actor(""), own.id, saved_by="Kim", taken_at=datetime(2024, 1, 10, 9, 0))
    before_rows = list(store.transfer.export_rows())
    with pytest.raises(ValidationError) as raised:
        load_demo(store, today=TODAY)
    assert [p.key for p in raised.value.problems] == ["demo.not_empty"]
    assert list(store.units.tree().units) == [own.id]
    assert list(store.transfer.export_rows()) == before_rows
    assert store.checklist.state(own.id) == {}


def test_refuses_a_second_load(demo):
    store, summary = demo
    with pytest.raises(ValidationError) as raised:
        load_demo(store, today=TODAY)
    assert raised.value.problems[0].key == "demo.not_empty"
    assert len(store.units.tree().units) == summary.units


def test_not_empty_message_exists_in_both_languages():
    texts = strings()["demo.not_empty"]
    assert texts["sv"].strip() and texts["en"].strip() and texts["sv"] != texts["en"]
    assert t("demo.not_empty", "en") == texts["en"]


def test_deterministic_for_a_seed_and_a_day(fresh):
    a, b, c = fresh("a"), fresh("b"), fresh("c")
    assert load_demo(a, today=TODAY, seed=7) == load_demo(b, today=TODAY, seed=7)
    ids = sorted(a.units.tree().units)
    assert ids == sorted(b.units.tree().units)
    pd.testing.assert_frame_equal(a.snapshots.history(ids), b.snapshots.history(ids))
    assert list(a.transfer.export_rows()) == list(b.transfer.export_rows())
    load_demo(c, today=TODAY, seed=8)
    assert list(c.transfer.export_rows()) != list(a.transfer.export_rows())


# The generator's calendar logic, ten times over: one backend is enough (every other demo
# test loads the demo on PostgreSQL too).
@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    "today",
    [date(2024, 2, 29), date(2025, 1, 1), date(2023, 7, 20), date(2024, 8, 3), date(2026, 3, 5)],
)
@pytest.mark.parametrize("seed", [2014, 1])
def test_any_day_and_seed_gives_a_valid_history(fresh, today, seed):
    store = fresh()
    summary = load_demo(store, today=today, seed=seed)
    rows = pd.DataFrame(store.transfer.export_rows())
    per_unit = rows.groupby("unit_path")["taken_at"]
    assert summary.snapshots == int(per_unit.nunique().sum())
    assert per_unit.nunique().between(*SNAPSHOTS).all()
    assert (rows["taken_at"] < datetime.combine(today, time())).all()
    assert (rows["taken_at"] >= datetime.combine(today - timedelta(days=731), time())).all()
    assert (per_unit.max() >= datetime.combine(today - timedelta(days=62), time())).all()
    assert (rows["taken_at"].dt.month != 7).all()
    steps = {label.split(" > ")[-1]: step for label, step in final_steps(store).items()}
    assert steps == FINAL_STEPS  # the story does not depend on the day or the seed


def test_default_today_is_now_and_never_in_the_future(fresh):
    store = fresh()
    load_demo(store)
    latest = max(r["taken_at"] for r in store.transfer.export_rows())
    assert latest < now()
    assert latest >= now() - timedelta(days=62)
    future = fresh("future")  # a day after today is clamped, not trusted
    load_demo(future, today=now().date() + timedelta(days=400))
    assert max(r["taken_at"] for r in future.transfer.export_rows()) < now()


@pytest.mark.parametrize("module", ["staircase.services.demo", "staircase.domain.demo_scenario"])
def test_demo_modules_do_not_import_streamlit(module):
    code = f"import sys, {module}; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_some_units_have_current_state_assessments_over_time(demo):
    store, summary = demo
    tree = store.units.tree()
    scenario = load_scenario()
    assert summary.assessments == len(scenario.assessments) >= 5
    hemtjanst = tree.find((MUNICIPALITY, "Vård- och omsorgsförvaltningen", "Hemtjänst Norr"))
    assert hemtjanst is not None
    made = store.assessments.of_unit(hemtjanst)
    assert len(made) >= 2  # the chart over time has something to show
    snapshot_days = {s.taken_at.date() for s in store.snapshots.of_unit(hemtjanst)}
    for assessment in made:
        assert assessment.taken_at.date() in snapshot_days  # made at a follow-up meeting
        assert assessment.taken_at.date() < TODAY
        assert assessment.saved_by  # by the lead of the day
    history = store.assessments.history([hemtjanst])
    levels = history.groupby("assessment_id", sort=False)["level"].apply(tuple)
    assert levels.iloc[0] != levels.iloc[-1]  # it moved between the first and the latest
    # The roll-up's distribution per area covers the assessed units of the municipality.
    municipality = tree.roots()[0]
    shown = store.assessments.distribution(tree, municipality.id)
    assert shown.assessed >= 4, shown


def test_one_unit_has_its_own_handbook_filled_in_by_its_lead(demo):
    store, _ = demo
    tree = store.units.tree()
    hemtjanst = tree.find((MUNICIPALITY, "Vård- och omsorgsförvaltningen", "Hemtjänst Norr"))
    assert hemtjanst is not None
    (planned,) = load_scenario().handbooks
    book = store.handbook.of_unit(hemtjanst)
    lead = store.snapshots.of_unit(hemtjanst)[-1].saved_by
    assert book.vision.text == planned.vision and book.vision.saved_by == lead
    assert {q: a.text for q, a in book.answers.items()} == dict(planned.answers)
    assert "where-we-learn-today" in book.answers  # a step 0 question answered too
    assert [(a.name, a.role) for a in book.ambassadors] == list(planned.ambassadors)
    assert {p for p, t in book.ticks.items() if t.done} == set(planned.ticked)
