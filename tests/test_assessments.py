"""The current-state assessment service: save, read, history, refusals, the roll-up per area."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from staircase.domain.assessment import AreaAnswer, AssessmentContent
from staircase.domain.model import NotFoundError, ValidationError
from staircase.domain.moments import now
from staircase.domain.rules import NOTE_MAX
from staircase.services import Actor, Lartrappan
from staircase.storage.schema import (
    assessment,
    assessment_answer,
    assessment_area,
    assessment_trait,
)
from staircase.storage.schema import unit as unit_table

ANNA = Actor("Anna Lind")
A1, A2, A3 = "a1-learning-organisation", "a2-learning-culture", "a3-learning-leadership"
MARCH = datetime(2025, 3, 12, 9, 30)


def _rows(store: Lartrappan) -> tuple[int, int, int, int]:
    with store.db.read() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in (assessment, assessment_area, assessment_answer, assessment_trait)
        )


def _save(store: Lartrappan, unit_id: int, when: datetime = MARCH, **levels: str) -> int:
    areas = {f"{k.replace('_', '-')}": AreaAnswer(v) for k, v in levels.items()}
    return store.assessments.save(ANNA, unit_id, areas, {}, {}, taken_at=when).id


def test_save_and_get_keep_every_part(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Hemtjänst Norr")
    saved = store.assessments.save(
        ANNA,
        unit.id,
        {A1: AreaAnswer("in_progress", "  Visionen finns på papper.  "), A2: AreaAnswer("done")},
        {"a2-trust": 3, "a2-mistakes": 1},
        {"a1-vision-exists": "Ja", "a1-vision-wording": "  Vi lär varje dag. ", "a3-time": "   "},
        saved_by=" Karin Ek ",
        comment="APT i mars",
        taken_at=MARCH,
    )
    assert (saved.unit_id, saved.taken_at, saved.saved_by, saved.version) == (
        unit.id,
        MARCH,
        "Karin Ek",
        1,
    )
    head, content = store.assessments.get(saved.id)
    assert head == saved
    assert content == AssessmentContent(
        {A1: AreaAnswer("in_progress", "Visionen finns på papper."), A2: AreaAnswer("done", "")},
        {"a1-vision-exists": "Ja", "a1-vision-wording": "Vi lär varje dag."},  # blank: no answer
        {"a2-trust": 3, "a2-mistakes": 1},
    )
    assert _rows(store) == (1, 2, 2, 2)


def test_of_unit_latest_and_history(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola")
    other = store.units.create(ANNA, "Förskola")
    first = _save(store, unit.id, MARCH, a1_learning_organisation="not_started")
    second = _save(
        store,
        unit.id,
        MARCH + timedelta(days=90),
        a1_learning_organisation="done",
        a3_learning_leadership="in_progress",
    )
    assert [a.id for a in store.assessments.of_unit(unit.id)] == [second, first]
    latest = store.assessments.latest([unit.id, other.id])
    assert list(latest) == [unit.id] and latest[unit.id][0].id == second
    assert latest[unit.id][1].areas[A3].level == "in_progress"
    # By a day between the two, the first is the latest.
    earlier = store.assessments.latest([unit.id], (MARCH + timedelta(days=30)).date())
    assert earlier[unit.id][0].id == first
    history = store.assessments.history([unit.id, other.id])
    assert list(history.columns) == ["unit_id", "assessment_id", "taken_at", "area_id", "level"]
    rows = zip(history["assessment_id"], history["area_id"], history["level"], strict=True)
    assert list(rows) == [
        (first, A1, "not_started"),
        (second, A1, "done"),
        (second, A3, "in_progress"),
    ]


def test_back_dating_is_allowed_and_the_future_is_refused(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola")
    long_ago = datetime(2019, 5, 1, 12, 0)
    assert _save(store, unit.id, long_ago, a1_learning_organisation="done")
    with pytest.raises(ValidationError) as err:
        _save(store, unit.id, now() + timedelta(hours=1), a1_learning_organisation="done")
    assert [p.key for p in err.value.problems] == ["assessment.future"]
    assert _rows(store) == (1, 1, 0, 0)


def test_one_assessment_per_unit_and_moment(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola")
    _save(store, unit.id, MARCH, a1_learning_organisation="done")
    with pytest.raises(ValidationError) as err:
        _save(store, unit.id, MARCH, a2_learning_culture="done")
    assert [p.key for p in err.value.problems] == ["assessment.exists"]
    assert _rows(store) == (1, 1, 0, 0)


@pytest.mark.parametrize(
    ("areas", "traits", "answers", "keys"),
    [
        ({"a9-nothing": AreaAnswer("done")}, {}, {}, ["assessment.area_unknown"]),
        ({A1: AreaAnswer("finished")}, {}, {}, ["assessment.level_unknown"]),
        ({A1: AreaAnswer("not_applicable")}, {}, {}, ["assessment.level_unknown"]),
        ({}, {}, {"a1-nope": "Ja"}, ["assessment.question_unknown"]),
        ({}, {"a2-courage": 2}, {}, ["assessment.trait_unknown"]),
        ({}, {"a2-trust": 5}, {}, ["assessment.rating_out_of_scale"]),
        ({}, {"a2-trust": 0}, {}, ["assessment.rating_out_of_scale"]),
        ({}, {"a2-trust": True}, {}, ["assessment.rating_out_of_scale"]),
        ({A1: AreaAnswer("done", "x" * (NOTE_MAX + 1))}, {}, {}, ["assessment.note_too_long"]),
        ({}, {}, {"a1-vision-exists": "x" * (NOTE_MAX + 1)}, ["assessment.answer_too_long"]),
        ({}, {}, {"a1-vision-exists": "Ja\x00"}, ["assessment.control_char"]),
        ({}, {}, {}, ["assessment.empty"]),
        ({}, {}, {"a1-vision-exists": "  "}, ["assessment.empty"]),
    ],
)
def test_each_refusal_names_the_problem_and_writes_nothing(
    store: Lartrappan,
    areas: dict[str, AreaAnswer],
    traits: dict[str, int],
    answers: dict[str, str],
    keys: list[str],
) -> None:
    unit = store.units.create(ANNA, "Skola")
    with pytest.raises(ValidationError) as err:
        store.assessments.save(ANNA, unit.id, areas, traits, answers, taken_at=MARCH)
    assert [p.key for p in err.value.problems] == keys
    assert _rows(store) == (0, 0, 0, 0)


def test_every_problem_is_listed_at_once_and_named(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola")
    with pytest.raises(ValidationError) as err:
        store.assessments.save(
            ANNA,
            unit.id,
            {A3: AreaAnswer("half-way"), A1: AreaAnswer("done", "y" * (NOTE_MAX + 1))},
            {"a2-trust": 9},
            {},
            saved_by="x" * 81,
            comment="z" * (NOTE_MAX + 1),
            taken_at=now() + timedelta(days=1),
        )
    found = {p.key: p.params for p in err.value.problems}
    assert set(found) == {
        "assessment.future",
        "assessment.saved_by_too_long",
        "assessment.comment_too_long",
        "assessment.level_unknown",
        "assessment.note_too_long",
        "assessment.rating_out_of_scale",
    }
    assert found["assessment.level_unknown"] == {"area": A3, "level": "half-way"}
    assert found["assessment.note_too_long"]["where"] == A1
    assert found["assessment.rating_out_of_scale"] == {
        "trait": "a2-trust",
        "rating": 9,
        "min": 1,
        "max": 4,
    }
    assert _rows(store) == (0, 0, 0, 0)


def test_an_unknown_or_archived_unit_is_refused(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola")
    store.units.set_archived(ANNA, unit.id, True)
    with pytest.raises(ValidationError) as err:
        _save(store, unit.id, a1_learning_organisation="done")
    assert [p.key for p in err.value.problems] == ["unit.archived"]
    with pytest.raises(NotFoundError):
        _save(store, unit.id + 99, a1_learning_organisation="done")
    assert _rows(store) == (0, 0, 0, 0)


def test_delete_removes_the_assessment_and_its_rows(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola")
    keep = _save(store, unit.id, MARCH, a1_learning_organisation="done")
    gone = store.assessments.save(
        ANNA, unit.id, {A1: AreaAnswer("in_progress")}, {"a2-trust": 2}, {"a3-time": "Ja"}
    )
    assert store.assessments.delete(ANNA, gone.id) == gone
    assert [a.id for a in store.assessments.of_unit(unit.id)] == [keep]
    assert _rows(store) == (1, 1, 0, 0)
    with pytest.raises(NotFoundError):
        store.assessments.delete(ANNA, gone.id)
    with pytest.raises(NotFoundError):
        store.assessments.get(gone.id)


def test_the_rows_go_with_their_unit(store: Lartrappan) -> None:
    """The assessment tables hang on the unit with ON DELETE CASCADE, as snapshots do."""
    unit = store.units.create(ANNA, "Skola")
    store.assessments.save(
        ANNA, unit.id, {A1: AreaAnswer("done")}, {"a2-trust": 2}, {"a3-time": "Ja"}, taken_at=MARCH
    )
    assert _rows(store) == (1, 1, 1, 1)
    with store.db.write() as conn:
        conn.execute(unit_table.delete().where(unit_table.c.id == unit.id))
    assert _rows(store) == (0, 0, 0, 0)


def test_distribution_per_area_against_a_hand_count(store: Lartrappan) -> None:
    """Norrby: a förvaltning with four units (one archived) and a unit of its own.

    Expected units are those without units under them (archived ones left out) and the
    förvaltning only if it has a snapshot of its own (it has none here): Hem, Skola, Park, Bad.
    Latest by unit: Hem (newer one) A1 done, A2 in_progress; Skola A1 in_progress;
    Park A1 done, A3 not_started; Bad none.
    A1: done 2, in_progress 1, not_started 0, not assessed 1 (Bad).
    A2: in_progress 1 (Hem), not assessed 3.  A3: not_started 1, not assessed 3.
    """
    root = store.units.create(ANNA, "Norrby kommun")
    admin = store.units.create(ANNA, "Förvaltningen", root.id)
    hem = store.units.create(ANNA, "Hem", admin.id)
    school = store.units.create(ANNA, "Skola", admin.id)
    park = store.units.create(ANNA, "Park", root.id)
    bad = store.units.create(ANNA, "Bad", root.id)
    old = store.units.create(ANNA, "Gammal", admin.id)
    _save(store, hem.id, MARCH, a1_learning_organisation="not_started")
    _save(
        store,
        hem.id,
        MARCH + timedelta(days=1),
        a1_learning_organisation="done",
        a2_learning_culture="in_progress",
    )
    _save(store, school.id, MARCH, a1_learning_organisation="in_progress")
    _save(
        store, park.id, MARCH, a1_learning_organisation="done", a3_learning_leadership="not_started"
    )
    _save(store, old.id, MARCH, a1_learning_organisation="not_started")
    store.units.set_archived(ANNA, old.id, True)

    tree = store.units.tree()
    result = store.assessments.distribution(tree, root.id)
    assert set(result.expected) == {hem.id, school.id, park.id, bad.id}
    assert result.assessed == 3
    table = result.table.set_index("area_id")
    assert list(table.columns) == ["not_started", "in_progress", "done", "not_assessed"]
    assert table.loc[A1].tolist() == [0, 1, 2, 1]
    assert table.loc[A2].tolist() == [0, 1, 0, 3]
    assert table.loc[A3].tolist() == [1, 0, 0, 3]
    assert table.loc["a8-measurement"].tolist() == [0, 0, 0, 4]
    assert (table.sum(axis=1) == 4).all()
    # On the day of the first assessments, Hem still stands on its older one.
    then = store.assessments.distribution(tree, root.id, MARCH.date())
    assert then.table.set_index("area_id").loc[A1].tolist() == [1, 1, 1, 1]
    # Before any assessment: every expected unit is not assessed.
    before = store.assessments.distribution(tree, admin.id, date(2020, 1, 1))
    assert before.assessed == 0
    assert (before.table["not_assessed"] == len(before.expected)).all()
