"""The current-state assessment ("Nuläge"): its model, loaded and validated from
data/assessment.yaml, what one assessment holds, and the rule for what it may hold."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from staircase.domain.catalogue import FEEDBACK_LEVELS
from staircase.domain.model import LANGS, Problem, Status, Text
from staircase.domain.rules import NAME_MAX, NOTE_MAX, check_note, has_control
from staircase.settings import DATA_DIR

ASSESSMENT_PATH = DATA_DIR / "assessment.yaml"
ITEM_ID = re.compile(r"^a[1-9]-[a-z0-9][a-z0-9-]{0,60}\Z")
"""Area, question and trait ids: 'a1-learning-organisation', 'a2-openness' …"""
SOURCES = ("000", "own")
"""Where a text comes from: SKR/Adda's assessment (000) or Lärtrappan's own words."""
LEVELS: tuple[Status, ...] = FEEDBACK_LEVELS
"""The three levels an area is placed on (never 'not applicable')."""


class AssessmentModelError(ValueError):
    """data/assessment.yaml is malformed; the message lists every problem found."""


@dataclass(frozen=True)
class SourcedText(Text):
    """A text in Swedish and English, and where it comes from ('000' or 'own')."""

    source: str = "own"

    @property
    def is_own(self) -> bool:
        return self.source == "own"


@dataclass(frozen=True)
class Question:
    id: str
    text: SourcedText


@dataclass(frozen=True)
class Trait:
    id: str
    name: SourcedText
    statement: SourcedText


@dataclass(frozen=True)
class Level:
    description: SourcedText
    feedback: SourcedText


@dataclass(frozen=True)
class ScalePoint:
    value: int
    label: SourcedText


@dataclass(frozen=True)
class Area:
    id: str
    title: SourcedText
    intro: SourcedText
    questions: tuple[Question, ...]
    levels: Mapping[Status, Level]
    traits: tuple[Trait, ...] = ()
    example: SourcedText | None = None


@dataclass(frozen=True)
class AssessmentModel:
    version: int
    disclaimer: SourcedText
    guide: SourcedText
    scale_note: SourcedText
    scale: tuple[ScalePoint, ...]
    areas: tuple[Area, ...]

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)

    @property
    def area_ids(self) -> tuple[str, ...]:
        return tuple(a.id for a in self.areas)

    @property
    def questions(self) -> dict[str, Question]:
        return {q.id: q for a in self.areas for q in a.questions}

    @property
    def traits(self) -> dict[str, Trait]:
        return {t.id: t for a in self.areas for t in a.traits}

    @property
    def scale_values(self) -> tuple[int, ...]:
        return tuple(p.value for p in self.scale)

    def scale_label(self, value: int) -> SourcedText:
        return next(p.label for p in self.scale if p.value == value)

    def texts(self) -> Iterator[tuple[str, SourcedText]]:
        """Every text of the model with where it sits ('a1-….levels.done.feedback')."""
        yield "disclaimer", self.disclaimer
        yield "guide", self.guide
        yield "trait_scale.note", self.scale_note
        for p in self.scale:
            yield f"trait_scale.{p.value}", p.label
        for a in self.areas:
            yield f"{a.id}.title", a.title
            yield f"{a.id}.intro", a.intro
            if a.example is not None:
                yield f"{a.id}.example", a.example
            for t in a.traits:
                yield f"{t.id}.name", t.name
                yield f"{t.id}.statement", t.statement
            for q in a.questions:
                yield q.id, q.text
            for status, level in a.levels.items():
                yield f"{a.id}.levels.{status.value}.description", level.description
                yield f"{a.id}.levels.{status.value}.feedback", level.feedback


@cache
def load_assessment_model(path: Path = ASSESSMENT_PATH) -> AssessmentModel:
    """The shipped assessment, parsed and validated once per process."""
    with path.open(encoding="utf-8") as fh:
        return parse_assessment_model(yaml.safe_load(fh), source=str(path))


def parse_assessment_model(raw: Any, source: str = "assessment") -> AssessmentModel:
    """Validate a parsed YAML document; raise AssessmentModelError listing every problem."""
    problems: list[str] = []
    seen: set[str] = set()

    def text(value: Any, where: str) -> SourcedText:
        if not isinstance(value, Mapping):
            problems.append(f"{where}: expected a mapping with 'source', 'sv' and 'en'")
            return SourcedText("", "", "own")
        for lang in LANGS:
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                problems.append(f"{where}.{lang}: missing or empty text")
        origin = value.get("source")
        if origin not in SOURCES:
            problems.append(f'{where}.source: must be "000" or own, got {origin!r}')
        return SourcedText(
            " ".join(str(value.get("sv", "")).split()),
            " ".join(str(value.get("en", "")).split()),
            str(origin),
        )

    def item_id(value: Any, where: str, prefix: str) -> str:
        if not isinstance(value, str) or not ITEM_ID.match(value):
            problems.append(f"{where}.id: {value!r} is not a valid id (a1-… to a8-…, a-z, 0-9)")
            return f"{prefix}-invalid-{len(seen)}"
        if not value.startswith(prefix + "-"):
            problems.append(f"{where}.id: {value!r} must start with {prefix!r}")
        if value in seen:
            problems.append(f"{where}.id: {value!r} is used twice")
        seen.add(value)
        return value

    if not isinstance(raw, Mapping):
        raise AssessmentModelError(f"{source}: the assessment must be a YAML mapping")
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("version: must be a whole number ≥ 1")
        version = 1

    scale_raw: Mapping[str, Any] = _mapping(raw.get("trait_scale"))
    scale_note = text(scale_raw.get("note"), "trait_scale.note")
    scale: list[ScalePoint] = []
    for i, p in enumerate(scale_raw.get("points") or []):
        value = p.get("value") if isinstance(p, Mapping) else None
        if not isinstance(value, int) or isinstance(value, bool) or value != i + 1:
            problems.append(f"trait_scale.points[{i}].value: expected {i + 1}, got {value!r}")
            value = i + 1
        scale.append(ScalePoint(value, text(p.get("label") if p else None, f"trait_scale.{i}")))
    if len(scale) < 2:
        problems.append("trait_scale.points: at least two points")

    areas: list[Area] = []
    raw_areas = raw.get("areas") or []
    for i, a in enumerate(raw_areas):
        where = f"areas[{i}]"
        if not isinstance(a, Mapping):
            problems.append(f"{where}: expected a mapping")
            continue
        aid = item_id(a.get("id"), where, f"a{i + 1}")
        questions = tuple(
            Question(item_id(q.get("id"), f"{where}.questions[{j}]", f"a{i + 1}"),
                     text(q.get("text"), f"{where}.questions[{j}].text"))
            if isinstance(q, Mapping)
            else Question(f"invalid-{i}-{j}", SourcedText("", "", "own"))
            for j, q in enumerate(a.get("questions") or [])
        )  # fmt: skip
        if not questions:
            problems.append(f"{where}.questions: at least one guiding question")
        traits = tuple(
            Trait(
                item_id(t.get("id"), f"{where}.traits[{j}]", f"a{i + 1}"),
                text(t.get("name"), f"{where}.traits[{j}].name"),
                text(t.get("statement"), f"{where}.traits[{j}].statement"),
            )
            for j, t in enumerate(a.get("traits") or [])
            if isinstance(t, Mapping)
        )
        levels: dict[Status, Level] = {}
        raw_levels: Mapping[str, Any] = _mapping(a.get("levels"))
        for status in LEVELS:
            lv = raw_levels.get(status.value)
            if not isinstance(lv, Mapping):
                problems.append(f"{where}.levels.{status.value}: missing")
                lv = {}
            levels[status] = Level(
                text(lv.get("description"), f"{where}.levels.{status.value}.description"),
                text(lv.get("feedback"), f"{where}.levels.{status.value}.feedback"),
            )
        extra = set(raw_levels) - {s.value for s in LEVELS}
        if extra:
            problems.append(f"{where}.levels: unknown levels {sorted(extra)}")
        example = a.get("example")
        areas.append(
            Area(
                aid,
                text(a.get("title"), f"{where}.title"),
                text(a.get("intro"), f"{where}.intro"),
                questions,
                levels,
                traits,
                text(example, f"{where}.example") if example is not None else None,
            )
        )
    if len(areas) != 8:
        problems.append(f"areas: expected the eight areas, got {len(areas)}")

    model = AssessmentModel(
        version,
        text(raw.get("disclaimer"), "disclaimer"),
        text(raw.get("guide"), "guide"),
        scale_note,
        tuple(scale),
        tuple(areas),
    )
    if problems:
        raise AssessmentModelError(f"{source}:\n- " + "\n- ".join(problems))
    return model


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


# ---------------------------------------------------------------------------- one assessment


@dataclass(frozen=True)
class AreaAnswer:
    """Where the unit places itself in one area, and a note."""

    level: str
    note: str = ""


@dataclass(frozen=True)
class AssessmentContent:
    """What an assessment holds: per area the level and a note, the answers to the guiding
    questions (question id → text), the trait ratings (trait id → point of the scale)."""

    areas: Mapping[str, AreaAnswer] = field(default_factory=dict)
    answers: Mapping[str, str] = field(default_factory=dict)
    traits: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Assessment:
    """A unit's dated, immutable current-state assessment."""

    id: int
    unit_id: int
    taken_at: datetime
    saved_by: str
    comment: str
    version: int


def clean_content(
    model: AssessmentModel,
    areas: Mapping[str, AreaAnswer],
    traits: Mapping[str, int],
    answers: Mapping[str, str],
) -> tuple[AssessmentContent, list[Problem]]:
    """The content as it is stored (texts stripped, empty answers left out), and every
    problem with it: unknown ids, levels and ratings out of the scale, texts too long."""
    problems: list[Problem] = []
    known_areas = {a.id: a for a in model.areas}
    questions, known_traits = model.questions, model.traits
    clean_areas: dict[str, AreaAnswer] = {}
    for area_id, given in areas.items():
        area = known_areas.get(area_id)
        if area is None:
            problems.append(Problem("assessment.area_unknown", {"area": area_id}))
            continue
        if given.level not in {s.value for s in LEVELS}:
            problems.append(
                Problem("assessment.level_unknown", {"area": area_id, "level": given.level})
            )
            continue
        problems += _text_problems(given.note, "assessment.note_too_long", area_id)
        clean_areas[area_id] = AreaAnswer(Status(given.level).value, given.note.strip())
    clean_answers: dict[str, str] = {}
    for question_id, answer in answers.items():
        if question_id not in questions:
            problems.append(Problem("assessment.question_unknown", {"question": question_id}))
            continue
        problems += _text_problems(answer, "assessment.answer_too_long", question_id)
        if answer.strip():
            clean_answers[question_id] = answer.strip()
    points = model.scale_values
    clean_traits: dict[str, int] = {}
    for trait_id, rating in traits.items():
        if trait_id not in known_traits:
            problems.append(Problem("assessment.trait_unknown", {"trait": trait_id}))
        elif isinstance(rating, bool) or not isinstance(rating, int) or rating not in points:
            problems.append(
                Problem(
                    "assessment.rating_out_of_scale",
                    {
                        "trait": trait_id,
                        "rating": rating,
                        "min": points[0],
                        "max": points[-1],
                    },
                )
            )
        else:
            clean_traits[trait_id] = rating
    content = AssessmentContent(clean_areas, clean_answers, clean_traits)
    if not problems and not (clean_areas or clean_answers or clean_traits):
        problems.append(Problem("assessment.empty"))
    return content, problems


def _text_problems(text: str, key: str, where: str) -> list[Problem]:
    found = []
    for p in check_note(text, key):
        if p.key == key:
            found.append(Problem(key, {"max": NOTE_MAX, "where": where}))
        else:
            found.append(Problem("assessment.control_char", {"where": where}))
    return found


def check_head(saved_by: str, comment: str) -> list[Problem]:
    """Who saved the assessment and its comment: the snapshot's rules."""
    problems = []
    if len(saved_by.strip()) > NAME_MAX:
        problems.append(Problem("assessment.saved_by_too_long", {"max": NAME_MAX}))
    elif has_control(saved_by):
        problems.append(Problem("text.control_char"))
    problems += check_note(comment, "assessment.comment_too_long")
    return problems


# ---------------------------------------------------------------------------- the roll-up


@dataclass(frozen=True)
class AreaDistribution:
    """How the units under a unit stand in each area, by their latest assessment."""

    unit_id: int
    expected: tuple[int, ...]
    """The units expected to assess themselves (as the staircase's roll-up counts them)."""
    assessed: int
    """How many of them have an assessment."""
    table: pd.DataFrame
    """One row per area, in the model's order: area_id, not_started, in_progress, done,
    not_assessed (counts of units; they add up to len(expected) on every row)."""


DISTRIBUTION_COLUMNS = ("area_id", *(s.value for s in LEVELS), "not_assessed")


def area_distribution(
    model: AssessmentModel,
    unit_id: int,
    expected: Sequence[int],
    latest: Mapping[int, Mapping[str, str]],
) -> AreaDistribution:
    """Per area, how many of the `expected` units stand on each level by their latest
    assessment (`latest`: unit id → area id → level, for the units that have one); a unit
    whose latest assessment did not place the area counts as not assessed in it."""
    rows = []
    for area in model.areas:
        counts = dict.fromkeys(DISTRIBUTION_COLUMNS[1:], 0)
        for u in expected:
            counts[latest.get(u, {}).get(area.id, "not_assessed")] += 1
        rows.append({"area_id": area.id, **counts})
    table = pd.DataFrame(rows, columns=list(DISTRIBUTION_COLUMNS))
    assessed = sum(1 for u in expected if u in latest)
    return AreaDistribution(unit_id, tuple(expected), assessed, table)
