"""The shipped catalogue and the catalogue validator."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from staircase.domain.catalogue import (
    CATALOGUE_PATH,
    FEEDBACK_LEVELS,
    PRACTICE_ID,
    Catalogue,
    CatalogueError,
    Practice,
    load_catalogue,
    parse_catalogue,
)
from staircase.domain.model import Dimension, Status, Text

SHIPPED_IDS = (
    "s1-goal-linked",
    "s1-anytime-anywhere",
    "s1-measure-effect",
    "s1-local-ownership",
    "s2-performance",
    "s2-learning-in-roles",
    "s2-just-in-time",
    "s2-informal-learning",
    "s3-sharing-environments",
    "s3-sharing-culture",
)


@pytest.fixture
def raw() -> dict[str, Any]:
    """The shipped catalogue as parsed YAML, a fresh copy to mutate per test."""
    with CATALOGUE_PATH.open(encoding="utf-8") as fh:
        return copy.deepcopy(yaml.safe_load(fh))


def custom(pid: str, step: int) -> Practice:
    return Practice(
        id=pid,
        step=step,
        dimensions=(Dimension.PEOPLE,),
        title=Text(f"{pid} sv", f"{pid} en"),
        description=Text("", ""),
    )


# ---------------------------------------------------------------- the shipped catalogue


def test_shipped_catalogue_has_version_and_steps_0_to_3() -> None:
    cat = load_catalogue()
    assert isinstance(cat.version, int)
    assert cat.version >= 1
    assert [s.number for s in cat.steps] == [0, 1, 2, 3]
    for n in range(4):
        assert cat.step(n).number == n
        for lang in ("sv", "en"):
            assert cat.step(n).title(lang).strip()
            assert cat.step(n).description(lang).strip()
            assert cat.step(n).reflection, f"step {n} has no reflection questions"
            for question in cat.step(n).reflection:
                assert question.text(lang).strip()


def test_every_reflection_question_has_a_stable_unique_id_and_a_known_source() -> None:
    cat = load_catalogue()
    ids = [q.id for q in cat.questions]
    assert len(ids) == len(set(ids))
    assert all(PRACTICE_ID.match(i) for i in ids)
    assert {q.source for q in cat.questions} <= {"000", "001", "002", "003", "004", "own"}
    # The leader handbook's question about goals in the committee's plan is the source's.
    assert cat.question("goals-in-the-plan").source == "001"
    assert cat.question("where-we-learn-today") in cat.step(0).reflection
    with pytest.raises(KeyError):
        cat.question("no-such-question")


def test_the_handbook_has_its_own_questions_and_the_seven_summary_points() -> None:
    cat = load_catalogue()
    handbook = cat.handbook
    ids = [q.id for q in cat.all_questions]
    assert len(ids) == len(set(ids)), "question ids are unique across steps and handbook"
    assert cat.all_questions == cat.questions + handbook.questions
    # The two reflection questions of the leader handbook that are not step questions.
    assert cat.question("learning-at-every-level").source == "001"
    assert cat.question("own-learning-to-our-goals").source == "001"
    assert any(q.own for q in handbook.questions)
    assert len(handbook.summary) == 7
    assert {p.source for p in handbook.summary} == {"001"}
    assert len({p.id for p in handbook.summary}) == 7
    for item in (*handbook.questions, *handbook.summary):
        assert PRACTICE_ID.match(item.id)
        for lang in ("sv", "en"):
            assert item.text(lang).strip()
        assert "praktik" not in item.text.sv.lower()


def test_shipped_catalogue_has_the_ten_stable_practice_ids_in_order() -> None:
    cat = load_catalogue()
    assert cat.practice_ids == SHIPPED_IDS
    assert [len(cat.practices_of(s)) for s in (1, 2, 3)] == [4, 4, 2]
    assert cat.practices_of(0) == ()
    assert cat.step_of == {pid: int(pid[1]) for pid in SHIPPED_IDS}


@pytest.mark.parametrize("pid", SHIPPED_IDS)
def test_every_shipped_practice_is_complete(pid: str) -> None:
    cat = load_catalogue()
    practice = cat.practice(pid)
    assert practice.id == pid
    assert PRACTICE_ID.match(pid)
    assert not practice.custom
    assert 1 <= practice.introduced_in <= cat.version
    assert len(practice.dimensions) >= 1
    assert all(isinstance(d, Dimension) for d in practice.dimensions)
    for lang in ("sv", "en"):
        assert practice.title(lang).strip()
        assert practice.description(lang).strip()
    assert practice.title("sv") != practice.title("en")


def test_shipped_catalogue_has_feedback_for_every_step_and_level() -> None:
    cat = load_catalogue()
    assert set(FEEDBACK_LEVELS) == {Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE}
    assert set(cat.feedback) == {(s, lvl) for s in (1, 2, 3) for lvl in FEEDBACK_LEVELS}
    for step in (1, 2, 3):
        for level in FEEDBACK_LEVELS:
            text = cat.feedback_for(step, level)
            assert text.sv.strip()
            assert text.en.strip()
    with pytest.raises(KeyError):
        cat.feedback_for(1, Status.NOT_APPLICABLE)


def test_unknown_practice_lookup_raises_key_error() -> None:
    with pytest.raises(KeyError):
        load_catalogue().practice("s9-nothing")


def test_parsing_the_shipped_yaml_gives_the_loaded_catalogue(raw: dict[str, Any]) -> None:
    assert parse_catalogue(raw) == load_catalogue()


# ---------------------------------------------------------------- validation


def _drop_step3_practices(r: dict[str, Any]) -> None:
    r["practices"] = [p for p in r["practices"] if p["step"] != 3]


def _swap_steps(r: dict[str, Any]) -> None:
    r["steps"][1], r["steps"][2] = r["steps"][2], r["steps"][1]


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(r: dict[str, Any]) -> None:
        target = r
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path: tuple[Any, ...]) -> Callable[[dict[str, Any]], None]:
    def mutate(r: dict[str, Any]) -> None:
        target = r
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


INVALID = [
    pytest.param(_delete(("version",)), "version: must be a whole number", id="missing-version"),
    pytest.param(_set(("version",), 0), "version: must be a whole number", id="version-0"),
    pytest.param(_set(("version",), "1"), "version: must be a whole number", id="version-str"),
    pytest.param(_set(("version",), True), "version: must be a whole number", id="version-bool"),
    pytest.param(_swap_steps, "steps numbered 0, 1, 2, 3 in order, got [0, 2, 1, 3]", id="order"),
    pytest.param(_delete(("steps", 0)), "steps numbered 0, 1, 2, 3 in order", id="no-step-0"),
    pytest.param(
        _set(("practices", 1, "id"), "s1-goal-linked"),
        "practices[1].id: 's1-goal-linked' is used twice",
        id="duplicate-id",
    ),
    pytest.param(
        _set(("practices", 0, "id"), "S1 Goal"), "practices[0].id: 'S1 Goal'", id="bad-id"
    ),
    pytest.param(_set(("practices", 0, "id"), "x"), "practices[0].id: 'x'", id="id-too-short"),
    pytest.param(
        _set(("practices", 0, "id"), "-leading"), "practices[0].id: '-leading'", id="id-dash"
    ),
    pytest.param(
        _set(("practices", 0, "id"), "custom-mine"),
        "practices[0].id: 'custom-mine'",
        id="id-reserved-custom-prefix",
    ),
    pytest.param(
        _set(("practices", 0, "id"), "s1-goal-linked\n"),
        "practices[0].id: 's1-goal-linked\\n'",
        id="id-trailing-newline",
    ),
    pytest.param(_set(("practices", 0, "id"), 17), "practices[0].id: 17", id="id-not-str"),
    pytest.param(
        _set(("practices", 4, "step"), 4), "practices[4].step: must be 1, 2 or 3, got 4", id="4"
    ),
    pytest.param(
        _set(("practices", 4, "step"), 0), "practices[4].step: must be 1, 2 or 3, got 0", id="0"
    ),
    pytest.param(
        _set(("practices", 2, "dimensions"), ["people", "culture"]),
        "practices[2].dimensions: unknown dimension 'culture'",
        id="unknown-dimension",
    ),
    pytest.param(
        _set(("practices", 2, "dimensions"), []),
        "practices[2].dimensions: at least one of processes, people, systems",
        id="no-dimension",
    ),
    pytest.param(
        _delete(("practices", 3, "title", "en")),
        "practices[3].title.en: missing or empty text",
        id="missing-english-title",
    ),
    pytest.param(
        _set(("practices", 3, "description", "en"), "   "),
        "practices[3].description.en: missing or empty text",
        id="blank-english-description",
    ),
    pytest.param(
        _delete(("steps", 2, "title", "en")),
        "steps[2].title.en: missing or empty text",
        id="missing-english-step-title",
    ),
    pytest.param(
        _set(("practices", 3, "title"), "Bara svenska"),
        "practices[3].title: expected a mapping with 'sv' and 'en'",
        id="title-not-mapping",
    ),
    pytest.param(
        _delete(("feedback", 2, "in_progress")),
        "feedback.2.in_progress: expected a mapping",
        id="missing-feedback-level",
    ),
    pytest.param(
        _delete(("feedback", 3, "done", "en")),
        "feedback.3.done.en: missing or empty text",
        id="missing-english-feedback",
    ),
    pytest.param(_delete(("feedback", 1)), "feedback.1: missing", id="missing-feedback-step"),
    pytest.param(
        _set(("steps", 1, "reflection", 1, "id"), "learning-and-goals"),
        "steps[1].reflection[1].id: 'learning-and-goals' is used twice",
        id="duplicate-question-id",
    ),
    pytest.param(
        _delete(("steps", 0, "reflection", 0, "id")),
        "steps[0].reflection[0].id: None is not a valid id",
        id="question-without-id",
    ),
    pytest.param(
        _set(("steps", 2, "reflection", 0, "source"), "wikipedia"),
        "steps[2].reflection[0].source: must be one of",
        id="question-unknown-source",
    ),
    pytest.param(
        _delete(("steps", 3, "reflection", 1, "en")),
        "steps[3].reflection[1].en: missing or empty text",
        id="question-in-swedish-only",
    ),
    pytest.param(
        _set(("handbook", "questions", 0, "id"), "ambassadors-for-sharing"),
        "handbook.questions[0].id: 'ambassadors-for-sharing' is used twice",
        id="handbook-question-id-of-a-step-question",
    ),
    pytest.param(
        _set(("handbook", "questions", 1, "id"), "learning-at-every-level"),
        "handbook.questions[1].id: 'learning-at-every-level' is used twice",
        id="duplicate-handbook-question-id",
    ),
    pytest.param(
        _set(("handbook", "questions", 0, "id"), "Ledarskap"),
        "handbook.questions[0].id: 'Ledarskap' is not a valid id",
        id="bad-handbook-question-id",
    ),
    pytest.param(
        _set(("handbook", "questions", 2, "source"), "002b"),
        "handbook.questions[2].source: must be one of",
        id="handbook-question-unknown-source",
    ),
    pytest.param(
        _delete(("handbook", "questions", 3, "en")),
        "handbook.questions[3].en: missing or empty text",
        id="handbook-question-in-swedish-only",
    ),
    pytest.param(
        _set(("handbook", "questions"), []),
        "handbook.questions: expected a list of at least one",
        id="handbook-without-questions",
    ),
    pytest.param(
        _delete(("handbook", "summary")),
        "handbook.summary: expected a list of at least one",
        id="handbook-without-summary",
    ),
    pytest.param(
        _set(("handbook", "summary", 4, "id"), "follow-up-learning"),
        "handbook.summary[4].id: 'follow-up-learning' is used twice",
        id="duplicate-summary-point-id",
    ),
    pytest.param(
        _delete(("handbook", "summary", 0, "source")),
        "handbook.summary[0].source: must be one of",
        id="summary-point-without-source",
    ),
    pytest.param(
        _set(("handbook", "summary", 6, "sv"), " "),
        "handbook.summary[6].sv: missing or empty text",
        id="summary-point-blank-swedish",
    ),
    pytest.param(
        _set(("handbook", "summary", 2), "Knyt till dig ambassadörer"),
        "handbook.summary[2]: expected a mapping with 'id', 'source', 'sv' and 'en'",
        id="summary-point-not-a-mapping",
    ),
    pytest.param(
        _delete(("handbook",)),
        "handbook: expected a mapping with 'questions' and 'summary'",
        id="no-handbook",
    ),
    pytest.param(_drop_step3_practices, "practices: step 3 has no practices", id="empty-step"),
    pytest.param(
        _set(("practices", 0, "introduced_in"), 2),
        "practices[0].introduced_in: must be between 1 and the version",
        id="introduced-after-version",
    ),
]


@pytest.mark.parametrize(("mutate", "expected"), INVALID)
def test_parse_catalogue_rejects_with_a_message_naming_the_problem(
    raw: dict[str, Any], mutate: Callable[[dict[str, Any]], None], expected: str
) -> None:
    mutate(raw)
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(raw, source="test.yaml")
    message = str(err.value)
    assert message.startswith("test.yaml:")
    assert expected in message


def test_parse_catalogue_lists_every_problem_at_once(raw: dict[str, Any]) -> None:
    del raw["version"]
    raw["practices"][0]["step"] = 4
    raw["practices"][1]["dimensions"] = ["nope"]
    with pytest.raises(CatalogueError) as err:
        parse_catalogue(raw)
    message = str(err.value)
    assert "version:" in message
    assert "practices[0].step" in message
    assert "practices[1].dimensions: unknown dimension 'nope'" in message


@pytest.mark.parametrize("document", [None, [], "version: 1", 42])
def test_parse_catalogue_rejects_a_document_that_is_not_a_mapping(document: Any) -> None:
    with pytest.raises(CatalogueError, match="must be a YAML mapping"):
        parse_catalogue(document, source="x.yaml")


def test_a_valid_modification_still_parses(raw: dict[str, Any]) -> None:
    """The rejections above are caused by the mutation, not by the fixture."""
    raw["version"] = 2
    raw["practices"].append(
        {
            "id": "s3-new-in-v2",
            "step": 3,
            "introduced_in": 2,
            "dimensions": ["people"],
            "title": {"sv": "Ny", "en": "New"},
            "description": {"sv": "Ny praktik", "en": "New practice"},
        }
    )
    cat = parse_catalogue(raw)
    assert cat.version == 2
    assert cat.practice("s3-new-in-v2").introduced_in == 2
    assert cat.practice("s1-goal-linked").introduced_in == 1


# ---------------------------------------------------------------- custom practices, versions


def test_with_custom_appends_custom_practices_after_the_shipped_ones_of_their_step() -> None:
    cat = load_catalogue()
    extended = cat.with_custom(
        [custom("custom-c", 3), custom("custom-b", 1), custom("custom-a", 1), custom("custom-d", 2)]
    )
    assert (
        extended.practice_ids
        == (
            *SHIPPED_IDS[:4],
            "custom-b",
            "custom-a",  # custom order kept within a step, not sorted by id
            *SHIPPED_IDS[4:8],
            "custom-d",
            *SHIPPED_IDS[8:],
            "custom-c",
        )
    )
    assert [p.custom for p in extended.practices_of(1)] == [False] * 4 + [True] * 2
    assert extended.step_of["custom-d"] == 2
    assert extended.practice("custom-a").title.en == "custom-a en"
    # the shipped catalogue itself is untouched
    assert cat.practice_ids == SHIPPED_IDS
    assert extended.version == cat.version
    assert extended.feedback == cat.feedback


def test_with_custom_marks_the_added_practices_custom() -> None:
    extended = load_catalogue().with_custom([custom("custom-x", 2)])
    assert extended.practice("custom-x").custom is True


def test_with_custom_of_nothing_is_the_same_catalogue() -> None:
    cat = load_catalogue()
    assert cat.with_custom([]) == cat


def test_practices_in_version(raw: dict[str, Any]) -> None:
    raw["version"] = 3
    raw["practices"].append(
        {
            "id": "s2-added-in-v2",
            "step": 2,
            "introduced_in": 2,
            "dimensions": ["systems"],
            "title": {"sv": "Två", "en": "Two"},
            "description": {"sv": "Två", "en": "Two"},
        }
    )
    raw["practices"].append(
        {
            "id": "s1-added-in-v3",
            "step": 1,
            "introduced_in": 3,
            "dimensions": ["people"],
            "title": {"sv": "Tre", "en": "Three"},
            "description": {"sv": "Tre", "en": "Three"},
        }
    )
    cat: Catalogue = parse_catalogue(raw).with_custom([custom("custom-own", 1)])

    def ids(version: int) -> set[str]:
        return {p.id for p in cat.practices_in_version(version)}

    assert ids(1) == set(SHIPPED_IDS)
    assert ids(2) == {*SHIPPED_IDS, "s2-added-in-v2"}
    assert ids(3) == {*SHIPPED_IDS, "s2-added-in-v2", "s1-added-in-v3"}
    assert "custom-own" not in ids(3)  # custom practices are never required by a version


def test_shipped_practices_in_version_1_are_all_of_them() -> None:
    cat = load_catalogue()
    assert cat.practices_in_version(1) == cat.practices
    assert cat.practices_in_version(cat.version) == cat.practices
