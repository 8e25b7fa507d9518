"""Load and validate the staircase catalogue: steps, practices and feedback, from a YAML file."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from staircase.domain.model import STEPS, Dimension, Status, Text
from staircase.settings import CATALOGUE_PATH

PRACTICE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}\Z")  # \Z: "$" accepts a trailing "\n"
FEEDBACK_LEVELS = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE)
QUESTION_ID = PRACTICE_ID
# Where a text's meaning comes from: a source document in ../shared/reference ("000" the
# SKR/Adda current-state assessment, "001" Adda's leader handbook, "002" the staircase,
# "003" the article on everyday learning, "004" the seminar notes) or the product itself.
SOURCES = ("000", "001", "002", "003", "004", "own")


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message lists every problem found."""


@dataclass(frozen=True)
class Question:
    """A reflection question: a stable id (answers refer to it), its source and its text."""

    id: str
    source: str
    text: Text

    @property
    def own(self) -> bool:
        return self.source == "own"


@dataclass(frozen=True)
class Step:
    number: int
    title: Text
    description: Text
    reflection: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Practice:
    id: str
    step: int
    dimensions: tuple[Dimension, ...]
    title: Text
    description: Text
    introduced_in: int = 1
    custom: bool = False


@dataclass(frozen=True)
class Catalogue:
    """The staircase model: steps 0-3, the practices of steps 1-3, feedback per step and level."""

    version: int
    steps: tuple[Step, ...]
    practices: tuple[Practice, ...]
    feedback: Mapping[tuple[int, Status], Text]

    def step(self, number: int) -> Step:
        return self.steps[number]

    def practice(self, practice_id: str) -> Practice:
        for practice in self.practices:
            if practice.id == practice_id:
                return practice
        raise KeyError(practice_id)

    def practices_of(self, step: int) -> tuple[Practice, ...]:
        return tuple(p for p in self.practices if p.step == step)

    @property
    def practice_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.practices)

    @property
    def step_of(self) -> dict[str, int]:
        """Practice id → step number, for scoring."""
        return {p.id: p.step for p in self.practices}

    def practices_in_version(self, version: int) -> tuple[Practice, ...]:
        """The shipped practices a snapshot made against catalogue `version` must contain."""
        return tuple(p for p in self.practices if not p.custom and p.introduced_in <= version)

    def with_custom(self, custom: Iterable[Practice]) -> Catalogue:
        """This catalogue plus an organisation's own practices, each after its step's own."""
        extra = [replace(p, custom=True) for p in custom]
        ordered = sorted(
            (*self.practices, *extra), key=lambda p: (p.step, p.custom)
        )  # sorted() is stable: shipped order, then custom order, within each step
        return replace(self, practices=tuple(ordered))

    def feedback_for(self, step: int, level: Status) -> Text:
        return self.feedback[(step, level)]

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every step's reflection questions, step 0 first."""
        return tuple(q for step in self.steps for q in step.reflection)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


@cache
def load_catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    """The shipped catalogue, parsed and validated once per process."""
    with path.open(encoding="utf-8") as fh:
        return parse_catalogue(yaml.safe_load(fh), source=str(path))


def parse_catalogue(raw: Any, source: str = "catalogue") -> Catalogue:
    """Validate a parsed YAML document; raise CatalogueError listing every problem."""
    problems: list[str] = []

    def text(value: Any, where: str) -> Text:
        if not isinstance(value, Mapping):
            problems.append(f"{where}: expected a mapping with 'sv' and 'en'")
            return Text("", "")
        for lang in ("sv", "en"):
            if not isinstance(value.get(lang), str) or not value[lang].strip():
                problems.append(f"{where}.{lang}: missing or empty text")
        return Text(str(value.get("sv", "")).strip(), str(value.get("en", "")).strip())

    if not isinstance(raw, Mapping):
        raise CatalogueError(f"{source}: the catalogue must be a YAML mapping")

    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("version: must be a whole number ≥ 1")
        version = 1

    question_ids: set[str] = set()

    def question(value: Any, where: str) -> Question:
        if not isinstance(value, Mapping):
            problems.append(f"{where}: expected a mapping with 'id', 'source', 'sv' and 'en'")
            return Question(f"invalid-{where}", "own", Text("", ""))
        qid = value.get("id")
        if not isinstance(qid, str) or not QUESTION_ID.match(qid):
            problems.append(f"{where}.id: {qid!r} is not a valid id (a-z, 0-9, '-')")
            qid = f"invalid-{where}"
        elif qid in question_ids:
            problems.append(f"{where}.id: {qid!r} is used twice")
        question_ids.add(qid)
        origin = value.get("source")
        if origin not in SOURCES:
            problems.append(f"{where}.source: must be one of {', '.join(SOURCES)}, got {origin!r}")
            origin = "own"
        return Question(qid, origin, text(value, where))

    steps: list[Step] = []
    raw_steps = raw.get("steps") or []
    numbers = [s.get("number") for s in raw_steps if isinstance(s, Mapping)]
    if numbers != [0, *STEPS]:
        problems.append(f"steps: expected steps numbered 0, 1, 2, 3 in order, got {numbers}")
    for i, s in enumerate(raw_steps):
        if not isinstance(s, Mapping):
            problems.append(f"steps[{i}]: expected a mapping")
            continue
        reflection = tuple(
            question(q, f"steps[{i}].reflection[{j}]")
            for j, q in enumerate(s.get("reflection") or [])
        )
        steps.append(
            Step(
                number=s.get("number", i),
                title=text(s.get("title"), f"steps[{i}].title"),
                description=text(s.get("description"), f"steps[{i}].description"),
                reflection=reflection,
            )
        )

    practices: list[Practice] = []
    seen: set[str] = set()
    for i, p in enumerate(raw.get("practices") or []):
        where = f"practices[{i}]"
        if not isinstance(p, Mapping):
            problems.append(f"{where}: expected a mapping")
            continue
        pid = p.get("id")
        if not isinstance(pid, str) or not PRACTICE_ID.match(pid) or pid.startswith("custom-"):
            problems.append(f"{where}.id: {pid!r} is not a valid id (a-z, 0-9, '-')")
            pid = f"invalid-{i}"
        elif pid in seen:
            problems.append(f"{where}.id: {pid!r} is used twice")
        seen.add(pid)
        step = p.get("step")
        if step not in STEPS:
            problems.append(f"{where}.step: must be 1, 2 or 3, got {step!r}")
            step = 1
        dims: list[Dimension] = []
        for d in p.get("dimensions") or []:
            try:
                dims.append(Dimension(d))
            except ValueError:
                problems.append(f"{where}.dimensions: unknown dimension {d!r}")
        if not dims:
            problems.append(f"{where}.dimensions: at least one of processes, people, systems")
        introduced_in = p.get("introduced_in", 1)
        if not isinstance(introduced_in, int) or not 1 <= introduced_in <= version:
            problems.append(f"{where}.introduced_in: must be between 1 and the version")
            introduced_in = 1
        practices.append(
            Practice(
                id=pid,
                step=step,
                dimensions=tuple(dims),
                title=text(p.get("title"), f"{where}.title"),
                description=text(p.get("description"), f"{where}.description"),
                introduced_in=introduced_in,
            )
        )
    for step_number in STEPS:
        if not any(p.step == step_number for p in practices):
            problems.append(f"practices: step {step_number} has no practices")

    feedback: dict[tuple[int, Status], Text] = {}
    raw_feedback = raw.get("feedback") or {}
    for step_number in STEPS:
        levels = raw_feedback.get(step_number) if isinstance(raw_feedback, Mapping) else None
        if not isinstance(levels, Mapping):
            problems.append(f"feedback.{step_number}: missing")
            continue
        for level in FEEDBACK_LEVELS:
            feedback[(step_number, level)] = text(
                levels.get(level.value), f"feedback.{step_number}.{level.value}"
            )

    if problems:
        raise CatalogueError(f"{source}:\n- " + "\n- ".join(problems))
    return Catalogue(
        version=version, steps=tuple(steps), practices=tuple(practices), feedback=feedback
    )
