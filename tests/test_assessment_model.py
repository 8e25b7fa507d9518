"""The shipped current-state assessment (data/assessment.yaml) and its validator."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from staircase.domain.assessment import (
    ASSESSMENT_PATH,
    LEVELS,
    AssessmentModelError,
    load_assessment_model,
    parse_assessment_model,
)
from staircase.domain.model import Status

AREA_IDS = (
    "a1-learning-organisation",
    "a2-learning-culture",
    "a3-learning-leadership",
    "a4-learning-staff",
    "a5-ways-of-working",
    "a6-ecosystem",
    "a7-methods",
    "a8-measurement",
)
TRAIT_IDS = (
    "a2-openness",
    "a2-trust",
    "a2-participation",
    "a2-initiative",
    "a2-questioning",
    "a2-mistakes",
)


@pytest.fixture
def raw() -> dict[str, Any]:
    with ASSESSMENT_PATH.open(encoding="utf-8") as fh:
        return copy.deepcopy(yaml.safe_load(fh))


def test_the_eight_areas_have_their_stable_ids_in_order() -> None:
    model = load_assessment_model()
    assert model.version == 1
    assert model.area_ids == AREA_IDS
    assert [a.title.sv for a in model.areas] == [
        "Lärande organisation",
        "Lärande kultur",
        "Lärande ledarskap",
        "Lärande medarbetarskap",
        "Arbetssätt",
        "Ekosystem",
        "Metoder",
        "Mätning och uppföljning",
    ]


def test_every_area_has_questions_and_the_three_levels_with_description_and_feedback() -> None:
    model = load_assessment_model()
    for area in model.areas:
        assert area.questions, area.id
        assert tuple(area.levels) == LEVELS
        assert LEVELS == (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE)
        descriptions = {lv.description.sv for lv in area.levels.values()}
        feedback = {lv.feedback.sv for lv in area.levels.values()}
        assert len(descriptions) == 3 and len(feedback) == 3, area.id


def test_only_the_culture_area_rates_the_six_traits_on_a_four_point_scale() -> None:
    model = load_assessment_model()
    assert tuple(model.traits) == TRAIT_IDS
    assert [a.id for a in model.areas if a.traits] == ["a2-learning-culture"]
    assert model.scale_values == (1, 2, 3, 4)
    assert model.scale_label(1).sv == "Inte alls" and model.scale_label(4).en == "To a large extent"
    # The scale is the product's own, and says so.
    assert model.scale_note.source == "own"
    assert all(p.label.source == "own" for p in model.scale)
    assert "egen" in model.scale_note.sv and "own" in model.scale_note.en


def test_every_text_has_both_languages_and_a_source() -> None:
    texts = list(load_assessment_model().texts())
    assert len(texts) > 100  # the walk really reaches the texts
    for where, text in texts:
        assert text.sv.strip() and text.en.strip(), where
        assert text.source in ("000", "own"), where
        assert text.sv != text.en, where


def test_the_source_gives_areas_1_and_2_and_the_rest_is_marked_as_own() -> None:
    model = load_assessment_model()
    for area in model.areas[:2]:
        assert area.intro.source == "000"
        assert all(lv.description.source == "000" for lv in area.levels.values())
        assert all(lv.feedback.source == "000" for lv in area.levels.values())
        assert all(t.statement.source == "000" for t in area.traits)
    assert all(q.text.source == "000" for q in model.areas[0].questions)
    assert all(q.text.source == "own" for q in model.areas[1].questions)  # the source has none
    for area in model.areas[2:]:
        assert area.title.source == "000"  # the names are the source's
        own = [area.intro, *(q.text for q in area.questions)]
        own += [t for lv in area.levels.values() for t in (lv.description, lv.feedback)]
        assert all(t.source == "own" for t in own), area.id


def test_the_disclaimer_says_it_is_a_reflection_aid_not_a_scientific_method() -> None:
    disclaimer = load_assessment_model().disclaimer
    assert disclaimer.source == "000"
    assert "inte en vetenskaplig metod" in disclaimer.sv
    assert "not a scientific method" in disclaimer.en


def test_parsing_the_shipped_yaml_gives_the_loaded_model(raw: dict[str, Any]) -> None:
    assert parse_assessment_model(raw) == load_assessment_model()


# ---------------------------------------------------------------------------- validation


def _refused(raw: dict[str, Any]) -> str:
    with pytest.raises(AssessmentModelError) as err:
        parse_assessment_model(raw)
    return str(err.value)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_text_missing_a_language_is_refused(raw: dict[str, Any], lang: str) -> None:
    del raw["areas"][4]["levels"]["in_progress"]["feedback"][lang]
    assert f"areas[4].levels.in_progress.feedback.{lang}: missing or empty" in _refused(raw)


def test_a_text_missing_its_source_is_refused(raw: dict[str, Any]) -> None:
    del raw["areas"][1]["traits"][2]["statement"]["source"]
    raw["trait_scale"]["points"][0]["label"]["source"] = "SKR"
    message = _refused(raw)
    assert "areas[1].traits[2].statement.source" in message
    assert "trait_scale.0.source: must be \"000\" or own, got 'SKR'" in message


def test_ids_must_be_well_formed_unique_and_belong_to_their_area(raw: dict[str, Any]) -> None:
    raw["areas"][2]["questions"][1]["id"] = raw["areas"][2]["questions"][0]["id"]
    raw["areas"][3]["questions"][0]["id"] = "a1-stray"
    raw["areas"][5]["id"] = "Ekosystem"
    message = _refused(raw)
    assert "'a3-role-model' is used twice" in message
    assert "'a1-stray' must start with 'a4'" in message
    assert "'Ekosystem' is not a valid id" in message


def test_a_missing_level_an_unknown_level_and_a_missing_area_are_refused(
    raw: dict[str, Any],
) -> None:
    del raw["areas"][0]["levels"]["done"]
    raw["areas"][0]["levels"]["finished"] = raw["areas"][0]["levels"]["in_progress"]
    raw["areas"].pop()
    message = _refused(raw)
    assert "areas[0].levels.done: missing" in message
    assert "unknown levels ['finished']" in message
    assert "expected the eight areas, got 7" in message


def test_an_area_without_questions_and_a_broken_scale_are_refused(raw: dict[str, Any]) -> None:
    raw["areas"][6]["questions"] = []
    raw["trait_scale"]["points"][2]["value"] = 7
    message = _refused(raw)
    assert "areas[6].questions: at least one guiding question" in message
    assert "trait_scale.points[2].value: expected 3, got 7" in message


def test_a_document_that_is_not_a_mapping_is_refused() -> None:
    with pytest.raises(AssessmentModelError, match="must be a YAML mapping"):
        parse_assessment_model(["areas"])
