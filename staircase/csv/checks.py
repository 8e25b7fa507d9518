"""What an imported file and each of its cells must be: the limits, the problems collected
(naming row and column), and the checks of one cell each.

The rules and limits themselves (name and note lengths, control characters, how unit names
are told apart) are the core's, from `staircase.domain.rules`; here they are applied to
cells and reported in the file's terms.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from staircase import settings
from staircase.csv.format import unescape_cell
from staircase.domain.catalogue import PRACTICE_ID, Catalogue
from staircase.domain.model import LANGS, STEPS, Problem, Status, ValidationError
from staircase.domain.moments import format_moment, now
from staircase.domain.records import SnapshotRecord
from staircase.domain.rules import (
    NAME_MAX,
    NOTE_WHITESPACE,
    PATH_SEPARATOR,
    TITLE_MAX,
    check_unit_name,
    has_control,
    name_key,
)
from staircase.domain.units import UnitTree
from staircase.i18n import t
from staircase.settings import MAX_UPLOAD_BYTES

MAX_IMPORT_BYTES = MAX_UPLOAD_BYTES
MAX_FIELD_CHARS = 10_000
"""The longest cell read at all; the columns' own limits are the core's (NOTE_MAX …)."""
MAX_PROBLEMS = 200

ALLOWED_CONTROL: dict[str, frozenset[str]] = {
    "saved_by": frozenset(),
    "comment": NOTE_WHITESPACE,
    "note": NOTE_WHITESPACE,
    "practice_title": frozenset(),
}
"""The control characters a text column may hold: tabs and line breaks in notes and
comments (as the core allows), none in names and titles."""

_DATE = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[T ](?P<H>[0-9]{2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2}))?"
    r"(?P<tz>Z|[+-][0-9]{2}:[0-9]{2})?)?",
    re.IGNORECASE,
)
_VERSION = re.compile(r"[0-9]{1,9}")


def check_import_size(size: int) -> None:
    """Reject a file larger than MAX_IMPORT_BYTES before reading it (pages, CLI, parser)."""
    if size > MAX_IMPORT_BYTES:
        raise ValidationError(
            Problem(
                "csv.too_large",
                {
                    "size": grouped(size),
                    "limit": grouped(MAX_IMPORT_BYTES),
                    "limit_mb": MAX_IMPORT_BYTES // (1024 * 1024),
                },
            )
        )


class Problems:
    """Collects problems up to MAX_PROBLEMS and counts the rest."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, key: str, row: int | None = None, column: str | None = None, **params: Any):
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(Problem(key, params, row=row, column=column))
        else:
            self.more += 1

    @property
    def found(self) -> int:
        """How many problems were found so far, kept or counted."""
        return len(self.kept) + self.more

    def __bool__(self) -> bool:
        return bool(self.kept)

    def raise_if_any(self) -> None:
        if not self.kept:
            return
        problems = sorted(self.kept, key=lambda p: p.row or 0)  # stable: discovery order
        if self.more:
            problems.append(Problem("csv.more_problems", {"count": self.more}))
        raise ValidationError(problems)


class Cells:
    """The checks of one cell each: a check reports what is wrong with the cell (naming its
    row and column) and gives its value, or None when there is none to give.

    The values found fine are remembered (`paths`, `dates`, `versions`), so that a cell
    repeated on many rows is checked once, and the reader can tell a repeat without
    checking it again.
    """

    def __init__(
        self, catalogue: Catalogue, known_practice_ids: Collection[str], problems: Problems
    ) -> None:
        self.catalogue = catalogue
        self.problems = problems
        self.practices = {p.id: p for p in catalogue.practices}
        self.known = set(known_practice_ids)
        self.now = now()
        self.statuses = status_words()
        self.interned: dict[str, str] = {}
        self.paths: dict[str, tuple[str, ...]] = {}
        """Unit path cells already found valid (the same path is on every row of a unit)."""
        self.dates: dict[str, datetime] = {}
        self.versions: dict[str, int] = {"": catalogue.version}
        """Every catalogue_version cell that is fine (empty: the current version)."""
        self.versions.update({str(v): v for v in range(1, catalogue.version + 1)})
        self.suggestions: dict[str, list[str]] = {}
        self.new_steps: dict[str, tuple[int, int]] = {}
        """Custom practice new to the database → (its step, the first line giving it)."""
        self.new_titles: dict[str, str] = {}

    def intern(self, value: str) -> str:
        """One string object for the values repeated on every row of a snapshot."""
        return self.interned.setdefault(value, value)

    def unit_path(self, line: int, raw: str | None) -> tuple[str, ...] | None:
        if raw is None:
            return None
        if raw in self.paths:
            return self.paths[raw]
        names = tuple(self.intern(n.strip()) for n in unescape_cell(raw).split(">"))
        ok = True
        for name in names:
            for problem in check_unit_name(name):
                ok = False
                self._unit_name_problem(line, name, problem)
        if ok:
            self.paths[raw] = names
        return names if ok else None

    def _unit_name_problem(self, line: int, name: str, problem: Problem) -> None:
        """A problem `check_unit_name` found, in the file's terms."""
        add = self.problems.add
        if problem.key == "unit.name_empty":
            add("csv.unit_path_empty_level", row=line, column="unit_path")
        elif problem.key == "unit.name_too_long":
            add(
                "csv.unit_name_too_long",
                row=line,
                column="unit_path",
                name=name[:40] + "…",
                length=len(name),
                max=NAME_MAX,
            )
        elif problem.key == "unit.name_control_char":
            add("csv.unit_name_control_char", row=line, column="unit_path", name=visible(name))
        else:  # a rule the core added later: its own message
            self.problems.kept.append(
                Problem(problem.key, problem.params, row=line, column="unit_path")
            )

    def taken_at(self, line: int, raw: str | None) -> datetime | None:
        if raw is None:
            return None
        if raw in self.dates:
            return self.dates[raw]
        match = _DATE.fullmatch(raw)
        if match is None:
            self.problems.add("csv.date_format", row=line, column="taken_at", value=short(raw))
            return None
        try:
            moment = _moment(match)
        except (ValueError, OverflowError):
            self.problems.add("csv.date_impossible", row=line, column="taken_at", value=raw)
            return None
        if moment > self.now:
            self.problems.add(
                "csv.date_future",
                row=line,
                column="taken_at",
                value=raw,
                now=format_moment(self.now),
            )
            return None
        self.dates[raw] = moment
        return moment

    def text(self, line: int, column: str, raw: str, limit: int) -> str:
        """A free-text cell (saved_by, comment, note), unescaped: at most `limit`
        characters, and no control characters but those ALLOWED_CONTROL lets it hold."""
        value = unescape_cell(raw)
        length = len(value.strip())
        if length > limit:
            self.problems.add(
                f"csv.{column}_too_long", row=line, column=column, length=length, max=limit
            )
        if has_control(value, ALLOWED_CONTROL[column]):
            self.control_char(line, column, value)
        return self.intern(value) if column != "note" else value

    def control_char(self, line: int, column: str, value: str) -> None:
        self.problems.add(
            "csv.control_char",
            row=line,
            column=column,
            value=visible_control(value, ALLOWED_CONTROL[column]),
        )

    def version(self, line: int, raw: str) -> int | None:
        if not raw:
            return self.catalogue.version
        if not _VERSION.fullmatch(raw) or int(raw) < 1:
            self.problems.add(
                "csv.version_invalid", row=line, column="catalogue_version", value=short(raw)
            )
            return None
        if int(raw) > self.catalogue.version:
            self.problems.add(
                "csv.version_too_new",
                row=line,
                column="catalogue_version",
                value=int(raw),
                current=self.catalogue.version,
            )
            return None
        return int(raw)

    def step(self, line: int, raw: str) -> int | None:
        if not raw:
            return None
        if raw in {str(s) for s in STEPS}:
            return int(raw)
        self.problems.add("csv.step_invalid", row=line, column="step", value=short(raw))
        return -1  # given, but wrong: not "missing"

    def status(self, line: int, raw: str | None) -> Status | None:
        if raw is None:
            return None
        found = self.statuses.get(status_key(raw))
        if found is None:
            self.problems.add("csv.status_unknown", row=line, column="status", value=short(raw))
        return found

    def practice(
        self, line: int, raw: str | None, step: int | None, title: str
    ) -> tuple[str | None, int | None]:
        """The practice id and its step, or (None, None) / (id, None) when something is off.
        `title` is the practice_title cell, read for a practice new to the database."""
        if raw is None:
            return None, None
        pid = raw.lower()
        if pid in self.practices:
            expected = self.practices[pid].step
            if step is not None and step != -1 and step != expected:
                self.problems.add(
                    "csv.step_mismatch",
                    row=line,
                    column="step",
                    practice_id=pid,
                    step=step,
                    expected=expected,
                )
            return pid, expected
        is_custom = pid.startswith("custom-") and PRACTICE_ID.match(pid) is not None
        if pid not in self.known and not is_custom:
            self._unknown_practice(line, raw, pid)
            return None, None
        # An organisation's own practice: the file must say which step it belongs to.
        if step is None:
            self.problems.add("csv.step_required", row=line, column="step", practice_id=pid)
            return pid, None
        if step == -1:
            return pid, None
        if pid in self.known:
            return pid, step
        self._new_practice(line, pid, step, title)
        return pid, step

    def _unknown_practice(self, line: int, raw: str, pid: str) -> None:
        if pid not in self.suggestions:
            self.suggestions[pid] = difflib.get_close_matches(
                pid, sorted(self.known | set(self.practices)), n=1, cutoff=0.75
            )
        suggestion = self.suggestions[pid]
        if suggestion:
            self.problems.add(
                "csv.practice_unknown_suggest",
                row=line,
                column="practice_id",
                practice_id=short(raw),
                suggestion=suggestion[0],
            )
        else:
            self.problems.add(
                "csv.practice_unknown", row=line, column="practice_id", practice_id=short(raw)
            )

    def _new_practice(self, line: int, pid: str, step: int, title_cell: str) -> None:
        """A practice new to the database: one step throughout the file, and its title."""
        first = self.new_steps.setdefault(pid, (step, line))
        if first[0] != step:
            self.problems.add(
                "csv.custom_step_conflict",
                row=line,
                column="step",
                practice_id=pid,
                step=step,
                first_step=first[0],
                first_row=first[1],
            )
        title = unescape_cell(title_cell.strip())
        if len(title) > TITLE_MAX:
            self.problems.add(
                "csv.practice_title_too_long",
                row=line,
                column="practice_title",
                length=len(title),
                max=TITLE_MAX,
            )
        elif has_control(title, ALLOWED_CONTROL["practice_title"]):
            self.control_char(line, "practice_title", title)
        elif title and not self.new_titles.get(pid):
            self.new_titles[pid] = title


def _moment(match: re.Match[str]) -> datetime:
    """The local time a matched date means (one with an offset, in the app's time zone)."""
    y, m, d, hh, mm, ss = (int(match[k] or 0) for k in ("y", "m", "d", "H", "M", "S"))
    moment = datetime(y, m, d, hh, mm, ss)
    tz = match["tz"]
    if not tz:
        return moment
    if tz.upper() == "Z":
        offset = timedelta(0)
    else:
        sign = -1 if tz[0] == "-" else 1
        offset = sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
    return (
        moment.replace(tzinfo=timezone(offset))
        .astimezone(ZoneInfo(settings.current().timezone))
        .replace(tzinfo=None)
    )


def check_archived_parents(tree: UnitTree, records: Sequence[SnapshotRecord]) -> None:
    """A new unit cannot go under an archived one: say so with the line, before writing."""
    children: dict[tuple[int | None, str], int] = {}
    for u in tree.units.values():
        children.setdefault((u.parent_id, name_key(u.name)), u.id)
    problems = Problems()
    checked: set[tuple[str, ...]] = set()
    for record in records:
        key = tuple(name_key(n) for n in record.unit_path)
        if key in checked:
            continue
        checked.add(key)
        parent: int | None = None
        for depth, name in enumerate(key):
            found = children.get((parent, name))
            if found is None:
                if parent is not None and tree.units[parent].archived:
                    problems.add(
                        "csv.unit_parent_archived",
                        row=record.rows[0],
                        column="unit_path",
                        parent=PATH_SEPARATOR.join(record.unit_path[:depth]),
                    )
                break
            parent = found
    problems.raise_if_any()


# ---------------------------------------------------------------------------- spellings


def status_key(value: str) -> str:
    return " ".join(value.split()).casefold()


def status_words() -> dict[str, Status]:
    """Every accepted spelling of a status: its code and its labels in both languages."""
    words: dict[str, Status] = {}
    for status in Status:
        words[status.value] = status
        words[status.value.replace("_", " ")] = status
        words[status.value.replace("_", "-")] = status
        for lang in LANGS:
            words[status_key(t(f"status.{status.value}", lang))] = status
    return words


# ---------------------------------------------------------------------------- in messages


def short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def visible(name: str) -> str:
    """A name with its control characters shown (a line break as ↵), for messages."""
    return short("".join("↵" if unicodedata.category(c) == "Cc" else c for c in name), 40)


def visible_control(value: str, allowed: frozenset[str] = frozenset()) -> str:
    """Up to 40 characters of `value` around its first control character that is not
    `allowed`, each such character shown as its symbol (␀, ␛, ␡; C1 ones as �)."""
    bad = {i for i, c in enumerate(value) if unicodedata.category(c) == "Cc" and c not in allowed}
    start = max(0, min(bad, default=0) - 20)
    shown = "".join(
        _symbol(c) if i in bad else c for i, c in enumerate(value[start : start + 40], start)
    )
    return ("…" if start else "") + shown + ("…" if start + 40 < len(value) else "")


def _symbol(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def grouped(number: int) -> str:
    """52428800 → '52 428 800' (a space between thousands reads in Swedish and English)."""
    return f"{number:,}".replace(",", " ")
