"""The demo scenario: read and check data/demo.yaml, and turn it into dated snapshots.

Pure: no database and no Streamlit. `load_scenario()` validates the file (its schema is
documented at the top of the file); `Scenario.build(catalogue, today, seed)` draws the
follow-up days, times, comments and snapshot counts from `random.Random(seed)`, so the same
seed and day always give the same `DemoData`. `staircase.demo` imports the result.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import yaml

from staircase.domain.assessment import AreaAnswer
from staircase.domain.catalogue import Catalogue, load_catalogue
from staircase.domain.model import PracticeState, SnapshotEntry, Status
from staircase.domain.records import SnapshotRecord
from staircase.settings import DEMO_PATH

DEFAULT_PATH = DEMO_PATH
SCHEMA_VERSION = 1
MONTHS_RANGE = (12, 36)
"""How far back a unit's history may start, in months."""

MONTHS_SV = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
TIMES = (
    time(8, 30), time(9, 0), time(9, 30), time(10, 0), time(10, 15),
    time(13, 0), time(13, 15), time(14, 0), time(14, 30), time(15, 0),
)  # fmt: skip
HOLIDAYS = {(1, 1), (1, 6), (5, 1), (6, 6), (12, 24), (12, 25), (12, 26), (12, 31)}
"""Fixed public holidays (and Christmas and New Year's Eve) that can fall on a weekday."""
FIRST_AFTER = (7, 21)
"""The first follow-up lies this many days (inclusive range) after the history starts."""
LAST_WITHIN = (3, 28)
"""The latest follow-up lies this many days (inclusive range) before `today`."""
JITTER = 8
"""Follow-ups between the first and the latest move up to this many days off the even grid."""
MIN_SPACING = 70
ASSESSMENT_AFTER = timedelta(minutes=45)
"""A demo assessment is made at the same meeting as its snapshot, a little later."""
"""The fewest days between follow-ups on average: a unit follows up about once a quarter."""


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it: about ten times faster on this file."""


class ScenarioError(ValueError):
    """The scenario file is malformed; the message names the unit and change of every problem."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(f"{source}:\n- " + "\n- ".join(self.problems))


@dataclass(frozen=True)
class Change:
    """From position `at` of a unit's history (0 = first snapshot, 1 = the latest) on,
    `practice` has `status` (None: unchanged) and `note` (None: unchanged)."""

    at: float
    practice: str
    status: Status | None
    note: str | None


@dataclass(frozen=True)
class UnitPlan:
    """One unit's scripted history."""

    path: tuple[str, ...]
    snapshots: tuple[int, int]
    """How many snapshots (inclusive range)."""
    months: int
    """How many months back the history starts."""
    leads: tuple[tuple[float, str], ...]
    """Who saves the snapshots, from which position on (the first at 0)."""
    events: tuple[tuple[float, str], ...]
    """A comment for the first snapshot at or after a position."""
    changes: tuple[Change, ...]

    def state_at(self, pos: float) -> dict[str, tuple[Status, str]]:
        """Each practice's (status, note) at a position of the history; absent: not started."""
        state: dict[str, tuple[Status, str]] = {}
        for change in sorted(self.changes, key=lambda c: c.at):  # stable: file order on ties
            if change.at > pos + 1e-9:
                break
            status, note = state.get(change.practice, (Status.NOT_STARTED, ""))
            state[change.practice] = (
                change.status if change.status is not None else status,
                change.note if change.note is not None else note,
            )
        return state

    def lead_at(self, pos: float) -> str:
        return [name for at, name in self.leads if at <= pos + 1e-9][-1]


@dataclass(frozen=True)
class AssessmentPlan:
    """A current-state assessment (Nuläge) of one of the scenario's units, made on the day
    of the unit's snapshot at position `at`, by the lead of that moment."""

    path: tuple[str, ...]
    at: float
    levels: Mapping[str, str]
    traits: Mapping[str, int]
    comment: str


@dataclass(frozen=True)
class HandbookPlan:
    """A unit's own handbook (Vår handbok) as its latest lead left it: the vision, answers
    to reflection questions by id, ambassadors (name, role) and the summary points ticked."""

    path: tuple[str, ...]
    vision: str
    answers: Mapping[str, str]
    ambassadors: tuple[tuple[str, str], ...]
    ticked: tuple[str, ...]


@dataclass(frozen=True)
class DemoAssessment:
    unit_path: tuple[str, ...]
    taken_at: datetime
    saved_by: str
    comment: str
    areas: Mapping[str, AreaAnswer]
    traits: Mapping[str, int]


@dataclass(frozen=True)
class FinalState:
    """A unit's working state after its latest snapshot, and who saved it."""

    lead: str
    practices: list[PracticeState]


@dataclass(frozen=True)
class DemoData:
    records: list[SnapshotRecord]
    """Every snapshot, unit by unit, oldest first."""
    final: dict[tuple[str, ...], FinalState]
    """Unit path → its working state (that of its latest snapshot)."""
    assessments: list[DemoAssessment]
    """The current-state assessments, each on the day of one of its unit's snapshots."""
    handbooks: tuple[HandbookPlan, ...] = ()


@dataclass(frozen=True)
class Scenario:
    units: tuple[UnitPlan, ...]
    first_comments: tuple[str, ...]
    later_comments: tuple[str, ...]
    """Comments for the other snapshots; "{month}" becomes the Swedish month name."""
    assessments: tuple[AssessmentPlan, ...] = ()
    handbooks: tuple[HandbookPlan, ...] = ()

    def build(self, catalogue: Catalogue, today: date, seed: int) -> DemoData:
        """The snapshots of every unit, all before `today`, and each unit's final state."""
        known = set(catalogue.practice_ids)
        missing = [
            f"{' > '.join(u.path)}: practice id {c.practice!r} is not in catalogue version "
            f"{catalogue.version}"
            for u in self.units
            for c in u.changes
            if c.practice not in known
        ]
        if missing:
            raise ScenarioError("demo scenario", missing)
        rng = random.Random(seed)
        records: list[SnapshotRecord] = []
        final: dict[tuple[str, ...], FinalState] = {}
        moments_of: dict[tuple[str, ...], list[tuple[float, datetime]]] = {}
        for unit in self.units:
            count = rng.randint(*unit.snapshots)
            days = follow_up_days(rng, today, unit.months, count)
            moments = [datetime.combine(d, rng.choice(TIMES)) for d in days]
            positions = [i / (count - 1) for i in range(count)]
            moments_of[unit.path] = list(zip(positions, moments, strict=True))
            event_at: dict[int, str] = {}
            for at, text in unit.events:
                index = next(i for i, pos in enumerate(positions) if pos >= at - 1e-9)
                event_at[index] = f"{event_at[index]}; {text}" if index in event_at else text
            for i, (moment, pos) in enumerate(zip(moments, positions, strict=True)):
                if i in event_at:
                    comment = event_at[i]
                elif i == 0:
                    comment = rng.choice(self.first_comments)
                else:
                    later = rng.choice(self.later_comments)
                    comment = later.format(month=MONTHS_SV[moment.month - 1])
                state = unit.state_at(pos)
                records.append(
                    SnapshotRecord(
                        unit_path=unit.path,
                        taken_at=moment,
                        saved_by=unit.lead_at(pos),
                        comment=comment,
                        catalogue_version=catalogue.version,
                        entries=tuple(
                            SnapshotEntry(p.id, p.step, *state.get(p.id, (Status.NOT_STARTED, "")))
                            for p in catalogue.practices
                        ),
                        rows=(len(records) + 1,),
                        new_practice_titles={},
                    )
                )
            latest = records[-1]
            final[unit.path] = FinalState(
                lead=latest.saved_by,
                practices=[PracticeState(e.practice_id, e.status, e.note) for e in latest.entries],
            )
        leads = {unit.path: unit for unit in self.units}
        assessments = []
        for plan in self.assessments:
            pos, moment = next(
                (pos, moment) for pos, moment in moments_of[plan.path] if pos >= plan.at - 1e-9
            )
            assessments.append(
                DemoAssessment(
                    unit_path=plan.path,
                    taken_at=moment + ASSESSMENT_AFTER,
                    saved_by=leads[plan.path].lead_at(pos),
                    comment=plan.comment,
                    areas={area: AreaAnswer(level) for area, level in plan.levels.items()},
                    traits=dict(plan.traits),
                )
            )
        return DemoData(records, final, assessments, self.handbooks)


def follow_up_days(rng: random.Random, today: date, months_back: int, count: int) -> list[date]:
    """`count` (≥ 2) follow-up days, oldest first, spread evenly over the last `months_back`
    months, every one strictly before `today`.

    The first falls one to three weeks after the start, the latest 3 to 28 days before
    `today`, the others evenly between them give or take `JITTER` days: about one a quarter
    for 8 follow-ups over 24 months. Each is moved off July (a day in its first half to
    late June, one in its second half to early August, unless that side is before the
    start or not before `today`) and then to the weekday before a weekend, a holiday or
    Midsummer Eve (the weekday after, when that would be before the start or in July).
    """
    earliest = _months_before(today, months_back)
    first = earliest + timedelta(days=rng.randint(*FIRST_AFTER))
    last = today - timedelta(days=rng.randint(*LAST_WITHIN))
    span = (last - first).days
    days: list[date] = []
    for i in range(count):
        day = first + timedelta(days=round(span * i / (count - 1)))
        if 0 < i < count - 1:
            day += timedelta(days=rng.randint(-JITTER, JITTER))
        days.append(_meeting_day(rng, day, earliest, today))
    return days


def _meeting_day(rng: random.Random, day: date, earliest: date, today: date) -> date:
    if day.month == 7:  # the summer break: to the nearer side of it, if that side is free
        before = date(day.year, 6, rng.randint(21, 26))
        after = date(day.year, 8, rng.randint(3, 8))
        day = after if (day.day > 15 or before < earliest) and after < today else before
    back = _workday(day, -1)
    if back >= earliest and back.month != 7:
        return back
    # Only at the very start of the history (no weekday between `earliest` and `day`) or
    # from a weekend at the start of August: a day or three later is still before `today`.
    return _workday(day, 1)


def _workday(day: date, step: int) -> date:
    while not _is_workday(day):
        day += timedelta(days=step)
    return day


def _is_workday(day: date) -> bool:
    midsummer_eve = day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4
    return day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS and not midsummer_eve


def _average_spacing(months: int, count: int) -> float:
    """Days between follow-ups when `count` of them are spread over `months` (at worst)."""
    return (months * 365.25 / 12 - FIRST_AFTER[1] - LAST_WITHIN[1]) / (count - 1)


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last_day = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last_day))


# -------------------------------------------------------------------------- loading


def load_scenario(path: Path = DEFAULT_PATH, catalogue: Catalogue | None = None) -> Scenario:
    """Read and check the scenario file against `catalogue` (default: the shipped one).

    Raises ScenarioError listing every problem, each naming its unit and change.
    """
    try:
        with path.open(encoding="utf-8") as fh:
            raw = yaml.load(fh, Loader=_YAML_LOADER)
    except yaml.YAMLError as error:
        raise ScenarioError(str(path), [f"not valid YAML: {error}"]) from error
    return parse_scenario(raw, catalogue or load_catalogue(), source=str(path))


def parse_scenario(raw: Any, catalogue: Catalogue, source: str = "demo scenario") -> Scenario:
    """Check a parsed YAML document; raise ScenarioError listing every problem."""
    return _Parser(catalogue).scenario(raw, source)


_Entry = TypeVar("_Entry")
_TOP_KEYS = {"version", "comments", "units", "assessments", "handbooks"}
_HANDBOOK_KEYS = {"path", "vision", "answers", "ambassadors", "ticked"}
_ASSESSMENT_KEYS = {"path", "at", "levels", "traits", "comment"}
_LEVEL_VALUES = {Status.NOT_STARTED.value, Status.IN_PROGRESS.value, Status.DONE.value}
_UNIT_KEYS = {"path", "snapshots", "months", "leads", "events", "changes"}
_UNIT_REQUIRED = _UNIT_KEYS - {"events"}
_CHANGE_KEYS = {"at", "practice", "status", "note"}
_STATUSES = ", ".join(s.value for s in Status)


class _Parser:
    def __init__(self, catalogue: Catalogue) -> None:
        self.known = set(catalogue.practice_ids)
        self.catalogue_version = catalogue.version
        self.problems: list[str] = []

    def problem(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")

    def scenario(self, raw: Any, source: str) -> Scenario:
        if not isinstance(raw, Mapping):
            raise ScenarioError(source, ["the file must be a YAML mapping (version, units ...)"])
        self.keys(raw, "the file", _TOP_KEYS, _TOP_KEYS - {"assessments", "handbooks"})
        version = raw.get("version")
        if "version" in raw and (
            not isinstance(version, int) or isinstance(version, bool) or version != SCHEMA_VERSION
        ):
            raise ScenarioError(
                source,
                [f"version: {version!r} is not supported (this app reads {SCHEMA_VERSION})"],
            )
        comments = raw.get("comments")
        first: tuple[str, ...] = ()
        later: tuple[str, ...] = ()
        if isinstance(comments, Mapping):
            self.keys(comments, "comments", {"first", "later"}, {"first", "later"})
            first = self.texts(comments.get("first"), "comments.first", allow_empty=False)
            later = self.texts(comments.get("later"), "comments.later", allow_empty=True)
        elif "comments" in raw:
            self.problem("comments", "expected a mapping with 'first' and 'later'")
        units: list[UnitPlan] = []
        raw_units = raw.get("units")
        if isinstance(raw_units, list) and raw_units:
            for i, raw_unit in enumerate(raw_units):
                unit = self.unit(raw_unit, i)
                if unit is not None:
                    units.append(unit)
        elif "units" in raw:
            self.problem("units", "expected a non-empty list of units")
        self.check_paths(units)
        paths = {unit.path for unit in units}
        assessments = self.entries(raw, "assessments", self.assessment, paths)
        handbooks = self.entries(raw, "handbooks", self.handbook, paths)
        if self.problems:
            raise ScenarioError(source, self.problems)
        return Scenario(tuple(units), first, later, tuple(assessments), tuple(handbooks))

    def handbook(self, raw: Any, where: str, paths: set[tuple[str, ...]]) -> HandbookPlan | None:
        """One unit's handbook: the question and point ids are checked again, against the
        catalogue, when the demo is loaded."""
        if not isinstance(raw, Mapping):
            self.problem(where, "expected a mapping")
            return None
        before = len(self.problems)
        self.keys(raw, where, _HANDBOOK_KEYS, {"path"})
        path = raw.get("path")
        if not (isinstance(path, list) and tuple(path) in paths):
            self.problem(where, f"path {path!r} is not the path of one of the units")
        vision = raw.get("vision", "")
        if not isinstance(vision, str):
            self.problem(where, "vision: expected a text")
        answers = raw.get("answers", {})
        if not (
            isinstance(answers, Mapping)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in answers.items())
        ):
            self.problem(where, "answers: expected question id → text")
        ambassadors = raw.get("ambassadors", [])
        if not (
            isinstance(ambassadors, list)
            and all(
                isinstance(a, Mapping) and set(a) <= {"name", "role"} and a.get("name")
                for a in ambassadors
            )
        ):
            self.problem(where, "ambassadors: expected a list of {name, role}")
        ticked = raw.get("ticked", [])
        if not (isinstance(ticked, list) and all(isinstance(t, str) for t in ticked)):
            self.problem(where, "ticked: expected a list of summary point ids")
        if len(self.problems) > before or not path:
            return None
        return HandbookPlan(
            tuple(path),
            vision.strip(),
            {k: v.strip() for k, v in answers.items()},
            tuple((str(a["name"]), str(a.get("role", ""))) for a in ambassadors),
            tuple(ticked),
        )

    def entries(
        self,
        raw: Mapping[str, Any],
        key: str,
        parse: Callable[[Any, str, set[tuple[str, ...]]], _Entry | None],
        paths: set[tuple[str, ...]],
    ) -> list[_Entry]:
        """The optional list `key` of the file, each entry about one of the units."""
        found: list[_Entry] = []
        listed = raw.get(key, [])
        if not isinstance(listed, list):
            self.problem(key, "expected a list")
            return found
        for i, entry in enumerate(listed):
            parsed = parse(entry, f"{key}[{i}]", paths)
            if parsed is not None:
                found.append(parsed)
        return found

    def assessment(
        self, raw: Any, where: str, paths: set[tuple[str, ...]]
    ) -> AssessmentPlan | None:
        """One Nuläge of a unit of the scenario: the area ids, levels and trait ratings are
        checked again, against data/assessment.yaml, when the demo is loaded."""
        if not isinstance(raw, Mapping):
            self.problem(where, "expected a mapping")
            return None
        before = len(self.problems)
        self.keys(raw, where, _ASSESSMENT_KEYS, _ASSESSMENT_KEYS - {"traits", "comment"})
        path = raw.get("path")
        if not (isinstance(path, list) and tuple(path) in paths):
            self.problem(where, f"path {path!r} is not the path of one of the units")
        at = self.position(raw.get("at"), f"{where}, at") if "at" in raw else None
        levels = raw.get("levels")
        if not (
            isinstance(levels, Mapping)
            and levels
            and all(isinstance(k, str) and v in _LEVEL_VALUES for k, v in levels.items())
        ):
            self.problem(
                where, f"levels: expected area id → one of {', '.join(sorted(_LEVEL_VALUES))}"
            )
        traits = raw.get("traits", {})
        if not (
            isinstance(traits, Mapping)
            and all(
                isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
                for k, v in traits.items()
            )
        ):
            self.problem(where, "traits: expected trait id → a whole number")
        comment = raw.get("comment", "")
        if not isinstance(comment, str):
            self.problem(where, "comment: expected a text")
        if len(self.problems) > before or at is None or not path or not levels:
            return None
        return AssessmentPlan(tuple(path), at, dict(levels), dict(traits), comment.strip())

    def keys(
        self, raw: Mapping[Any, Any], where: str, allowed: set[str], required: set[str]
    ) -> None:
        for key in sorted(required - set(raw), key=str):
            self.problem(where, f"missing key {key!r}")
        for key in sorted(set(raw) - allowed, key=str):
            self.problem(where, f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")

    def texts(self, raw: Any, where: str, allow_empty: bool) -> tuple[str, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem(where, "expected a non-empty list of texts")
            return ()
        out: list[str] = []
        for j, text in enumerate(raw):
            if not isinstance(text, str) or (not allow_empty and not text.strip()):
                self.problem(f"{where}[{j}]", f"expected a text, got {text!r}")
                continue
            try:
                text.format(month="januari")
            except (KeyError, IndexError, ValueError):
                self.problem(f"{where}[{j}]", f"{text!r}: only {{month}} may stand in braces")
                continue
            out.append(text)
        return tuple(out)

    def position(self, raw: Any, where: str) -> float | None:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 <= raw <= 1:
            self.problem(where, f"position {raw!r} must be a number from 0 to 1")
            return None
        return float(raw)

    def unit(self, raw: Any, i: int) -> UnitPlan | None:
        where = f"units[{i}]"
        if not isinstance(raw, Mapping):
            self.problem(where, "expected a mapping")
            return None
        path = raw.get("path")
        if (
            isinstance(path, list)
            and path
            and all(isinstance(name, str) and name.strip() for name in path)
        ):
            path = tuple(name.strip() for name in path)
            where = f"{where} ({' > '.join(path)})"
        else:
            if "path" in raw:
                self.problem(where, f"path {path!r} must be a list of unit names, top first")
            path = None
        before = len(self.problems)
        self.keys(raw, where, _UNIT_KEYS, _UNIT_REQUIRED)

        snapshots = raw.get("snapshots")
        months = raw.get("months")
        if not (
            isinstance(months, int)
            and not isinstance(months, bool)
            and MONTHS_RANGE[0] <= months <= MONTHS_RANGE[1]
        ):
            if "months" in raw:
                self.problem(
                    where,
                    f"months {months!r} must be a whole number from {MONTHS_RANGE[0]} to "
                    f"{MONTHS_RANGE[1]}",
                )
            months = None
        if (
            isinstance(snapshots, list)
            and len(snapshots) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in snapshots)
            and 2 <= snapshots[0] <= snapshots[1]
        ):
            count = (snapshots[0], snapshots[1])
            if months is not None and _average_spacing(months, count[1]) < MIN_SPACING:
                self.problem(
                    where,
                    f"snapshots {snapshots!r}: {count[1]} follow-ups over {months} months are "
                    f"more than one every {MIN_SPACING} days",
                )
        else:
            if "snapshots" in raw:
                self.problem(
                    where, f"snapshots {snapshots!r} must be [min, max] with 2 ≤ min ≤ max"
                )
            count = (2, 2)

        leads = self.timeline(raw.get("leads"), f"{where}, leads", "name", required=True)
        if leads and leads[0][0] != 0:
            self.problem(f"{where}, leads", "the first lead must be at 0.0")
        events = self.timeline(raw.get("events", []), f"{where}, events", "comment", False)

        changes: list[Change] = []
        raw_changes = raw.get("changes")
        if isinstance(raw_changes, list) and raw_changes:
            for j, raw_change in enumerate(raw_changes):
                change = self.change(raw_change, f"{where}, changes[{j}]")
                if change is not None:
                    changes.append(change)
        elif "changes" in raw:
            self.problem(where, "changes: expected a non-empty list")
        if len(self.problems) > before or path is None or months is None:
            return None
        plan = UnitPlan(path, count, months, leads, events, tuple(changes))
        self.check_justified(plan, where)
        return plan

    def timeline(
        self, raw: Any, where: str, key: str, required: bool
    ) -> tuple[tuple[float, str], ...]:
        if not isinstance(raw, list) or (required and not raw):
            self.problem(
                where, f"expected a {'non-empty ' if required else ''}list of {{at, {key}}}"
            )
            return ()
        out: list[tuple[float, str]] = []
        for j, item in enumerate(raw):
            here = f"{where}[{j}]"
            if not isinstance(item, Mapping):
                self.problem(here, f"expected {{at, {key}}}")
                continue
            self.keys(item, here, {"at", key}, {"at", key})
            at = self.position(item.get("at"), here)
            text = item.get(key)
            if not isinstance(text, str) or not text.strip():
                self.problem(here, f"{key} must be a non-empty text")
                continue
            if at is not None:
                out.append((at, text.strip()))
        if [at for at, _ in out] != sorted(at for at, _ in out):
            self.problem(where, "positions must be in increasing order")
        return tuple(out)

    def change(self, raw: Any, where: str) -> Change | None:
        if not isinstance(raw, Mapping):
            self.problem(where, "expected a mapping with at, practice, status and/or note")
            return None
        before = len(self.problems)
        self.keys(raw, where, _CHANGE_KEYS, {"at", "practice"})
        at = self.position(raw.get("at"), where)
        practice = raw.get("practice")
        if "practice" in raw and (not isinstance(practice, str) or practice not in self.known):
            self.problem(
                where,
                f"unknown practice id {practice!r} (not in data/catalogue.yaml version "
                f"{self.catalogue_version})",
            )
        status: Status | None = None
        if raw.get("status") is not None:
            try:
                status = Status(raw["status"])
            except ValueError:
                self.problem(where, f"status {raw['status']!r} is not one of {_STATUSES}")
        note = raw.get("note")
        if note is not None and not isinstance(note, str):
            self.problem(where, f"note must be a text, got {note!r}")
        if raw.get("status") is None and note is None:
            self.problem(where, "a change needs a status, a note or both")
        if len(self.problems) > before or at is None:
            return None
        return Change(at, str(practice), status, note.strip() if note is not None else None)

    def check_justified(self, plan: UnitPlan, where: str) -> None:
        """Not applicable needs a written justification whenever it holds."""
        order = sorted(range(len(plan.changes)), key=lambda j: plan.changes[j].at)
        state: dict[str, tuple[Status, str]] = {}
        for j in order:
            change = plan.changes[j]
            status, note = state.get(change.practice, (Status.NOT_STARTED, ""))
            status = change.status if change.status is not None else status
            note = change.note if change.note is not None else note
            state[change.practice] = (status, note)
            if status is Status.NOT_APPLICABLE and not note:
                self.problem(
                    f"{where}, changes[{j}]",
                    f"{change.practice} is not_applicable without a note saying why",
                )

    def check_paths(self, units: list[UnitPlan]) -> None:
        """Unique paths, none under another (the units above aggregate, with no snapshots)."""
        seen: dict[tuple[str, ...], int] = {}
        for i, unit in enumerate(units):
            key = tuple(name.casefold() for name in unit.path)
            if key in seen:
                self.problem(f"units ({' > '.join(unit.path)})", "the path is used twice")
            seen[key] = i
        for key in seen:
            for other in seen:
                if len(other) < len(key) and key[: len(other)] == other:
                    self.problem(
                        f"units ({' > '.join(units[seen[key]].path)})",
                        f"lies under {' > '.join(units[seen[other]].path)}, which has "
                        "snapshots of its own",
                    )
