"""Export and import of snapshots as one tidy CSV file: one row per snapshot × practice.

The format (stable; see README):

- Columns, in this order on export: ``unit_path, taken_at, saved_by, comment,
  catalogue_version, step, practice_id, practice_title, status, note``. On import the
  names are matched case-insensitively after stripping spaces; ``unit_path, taken_at,
  practice_id, status`` are required, the rest optional, unknown extra columns ignored.
- ``unit_path``: the unit's name and those of its parents from the root down, joined by
  " > " (``Norrby kommun > Vård och omsorg > Hemtjänst Norr``). Missing units are created.
- ``taken_at``: local time in Europe/Stockholm, ``YYYY-MM-DDTHH:MM:SS``. Import also takes
  ``YYYY-MM-DD`` and ``YYYY-MM-DD HH:MM``, optionally with ``Z`` or ``+01:00``.
- ``status``: ``not_started``, ``in_progress``, ``done``, ``not_applicable`` (import also
  takes the Swedish and English labels, in any case). ``not_applicable`` needs a note.
- One snapshot = the rows with the same unit_path and taken_at; it must list every shipped
  practice of its ``catalogue_version``. ``custom-…`` ids are an organisation's own
  practices: ``step`` and ``practice_title`` describe them.
- Variants: ``plain`` (comma, UTF-8, LF) and ``excel_sv`` (semicolon, UTF-8 with BOM,
  CRLF: what Excel with Swedish settings opens directly). Import detects the delimiter and
  takes UTF-8 with or without BOM, and UTF-16 with a BOM.
- Formula injection: a text cell starting with ``= + - @``, tab or carriage return (or with
  ``'`` followed by one of those or another ``'``) is written with one extra leading ``'``,
  which the import removes again, so every value round-trips exactly.

Nothing here imports streamlit: the pages and the CLI (``python -m staircase``) share it.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import re
import unicodedata
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from staircase.catalogue import PRACTICE_ID, Catalogue
from staircase.i18n import t
from staircase.model import (
    LANGS,
    STEPS,
    TIMEZONE,
    Lang,
    Problem,
    SnapshotEntry,
    Status,
    ValidationError,
    now,
)
from staircase.store import (
    NAME_MAX,
    NOTE_MAX,
    PATH_SEPARATOR,
    ImportResult,
    SnapshotRecord,
    Store,
    validate_unit_name,
)


class CsvVariant(StrEnum):
    """How the exported file is laid out."""

    PLAIN = "plain"
    """Comma, UTF-8 without BOM, LF line ends: for scripts and other systems."""
    EXCEL_SV = "excel_sv"
    """Semicolon, UTF-8 with BOM, CRLF: opens directly in Excel with Swedish settings."""


COLUMNS: tuple[str, ...] = (
    "unit_path",
    "taken_at",
    "saved_by",
    "comment",
    "catalogue_version",
    "step",
    "practice_id",
    "practice_title",
    "status",
    "note",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("unit_path", "taken_at", "practice_id", "status")
TEXT_COLUMNS: frozenset[str] = frozenset(
    {"unit_path", "saved_by", "comment", "practice_title", "note"}
)
"""Free-text cells: escaped against formula injection on export, unescaped on import."""

MAX_IMPORT_BYTES = 50 * 1024 * 1024
MAX_FIELD_CHARS = 10_000
MAX_PROBLEMS = 200
TITLE_MAX = 200
"""The longest title of an organisation's own practice (the store's column)."""

DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"
_CHUNK_CHARS = 64 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_AFTER_QUOTE = (*_FORMULA_START, "'")
_DATE = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[T ](?P<H>[0-9]{2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2}))?"
    r"(?P<tz>Z|[+-][0-9]{2}:[0-9]{2})?)?",
    re.IGNORECASE,
)
_VARIANTS: dict[CsvVariant, tuple[str, bytes, str]] = {
    CsvVariant.PLAIN: (",", b"", "\n"),
    CsvVariant.EXCEL_SV: (";", codecs.BOM_UTF8, "\r\n"),
}


# ---------------------------------------------------------------------------- escaping


def escape_cell(value: str) -> str:
    """Make a text cell safe to open in a spreadsheet (OWASP CSV injection): prefix a `'`."""
    if value[:1] in _FORMULA_START or (value[:1] == "'" and value[1:2] in _ESCAPED_AFTER_QUOTE):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """Undo `escape_cell`: drop the one `'` put in front of a formula-looking text."""
    if value[:1] == "'" and value[1:2] in _ESCAPED_AFTER_QUOTE:
        return value[1:]
    return value


# ---------------------------------------------------------------------------- export


def _format_row(values: Sequence[str], delimiter: str, newline: str) -> str:
    """One CSV line. Quotes every field holding the delimiter, a quote or ANY line break
    (the csv module leaves a lone CR unquoted when the line end is LF, which breaks reading)."""
    out = []
    for value in values:
        if delimiter in value or '"' in value or "\n" in value or "\r" in value:
            value = '"' + value.replace('"', '""') + '"'
        out.append(value)
    return delimiter.join(out) + newline


def write_csv(
    store: Store,
    out: BinaryIO,
    unit_ids: Sequence[int] | None = None,
    variant: CsvVariant = CsvVariant.PLAIN,
    lang: Lang = "sv",
) -> int:
    """Stream the snapshots of the units (all units when None) to `out`; return the row count.

    Rows are written in chunks as the database yields them, never collected in memory.
    """
    delimiter, bom, newline = _VARIANTS[CsvVariant(variant)]
    lang = lang if lang in LANGS else "sv"
    titles = {p.id: p.title(lang) for p in store.catalogue(include_archived=True).practices}
    buffer: list[str] = [_format_row(COLUMNS, delimiter, newline)]
    size = 0
    if bom:
        out.write(bom)
    count = 0
    for row in store.export_rows(unit_ids):
        taken_at = row["taken_at"]
        values = (
            escape_cell(str(row["unit_path"])),
            taken_at.strftime(DATE_FORMAT) if isinstance(taken_at, datetime) else str(taken_at),
            escape_cell(str(row["saved_by"] or "")),
            escape_cell(str(row["comment"] or "")),
            str(row["catalogue_version"]),
            str(row["step"]),
            str(row["practice_id"]),
            escape_cell(titles.get(row["practice_id"]) or str(row["practice_title"] or "")),
            str(row["status"]),
            escape_cell(str(row["note"] or "")),
        )
        line = _format_row(values, delimiter, newline)
        buffer.append(line)
        size += len(line)
        count += 1
        if size >= _CHUNK_CHARS:
            out.write("".join(buffer).encode("utf-8"))
            buffer.clear()
            size = 0
    out.write("".join(buffer).encode("utf-8"))
    return count


def export_csv(
    store: Store,
    unit_ids: Sequence[int] | None = None,
    variant: CsvVariant = CsvVariant.PLAIN,
    lang: Lang = "sv",
) -> bytes:
    """The whole export as bytes (for `st.download_button`)."""
    out = io.BytesIO()
    write_csv(store, out, unit_ids, variant, lang)
    return out.getvalue()


def export_filename(scope_label: str, variant: CsvVariant) -> str:
    """An ASCII file name: 'lartrappan-norrby-kommun-2026-11-23.csv' (…-excel.csv for Excel)."""
    ascii_text = unicodedata.normalize("NFKD", scope_label).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    parts = ["lartrappan", slug, now().date().isoformat()]
    if CsvVariant(variant) is CsvVariant.EXCEL_SV:
        parts.append("excel")
    return "-".join(p for p in parts if p) + ".csv"


# ---------------------------------------------------------------------------- import


def check_import_size(size: int) -> None:
    """Reject a file larger than MAX_IMPORT_BYTES before reading it (pages, CLI, parser)."""
    if size > MAX_IMPORT_BYTES:
        raise ValidationError(
            Problem(
                "csv.too_large",
                {
                    "size": _grouped(size),
                    "limit": _grouped(MAX_IMPORT_BYTES),
                    "limit_mb": MAX_IMPORT_BYTES // (1024 * 1024),
                },
            )
        )


def import_csv(store: Store, data: bytes) -> ImportResult:
    """Validate the whole file, then import it in one transaction (all or nothing)."""
    catalogue = store.catalogue(include_archived=True)
    records = parse_csv(data, catalogue, catalogue.practice_ids)
    _check_archived_parents(store, records)
    return store.import_snapshots(records)


def parse_csv(
    data: bytes, catalogue: Catalogue, known_practice_ids: Collection[str]
) -> list[SnapshotRecord]:
    """Read and validate a snapshot CSV; raise ValidationError listing every problem.

    `known_practice_ids` are all the practice ids the target database knows (shipped and
    its own); other `custom-…` ids become new practices, any other unknown id is an error.
    """
    check_import_size(len(data))
    text = _decode(data)
    if not text.strip():
        raise ValidationError(Problem("csv.empty"))
    return _Parser(catalogue, known_practice_ids).parse(text)


class _Problems:
    """Collects problems up to MAX_PROBLEMS and counts the rest."""

    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.more = 0

    def add(self, key: str, row: int | None = None, column: str | None = None, **params: Any):
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(Problem(key, params, row=row, column=column))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.kept)

    def raise_if_any(self) -> None:
        if not self.kept:
            return
        problems = sorted(self.kept, key=lambda p: p.row or 0)  # stable: discovery order
        if self.more:
            problems.append(Problem("csv.more_problems", {"count": self.more}))
        raise ValidationError(problems)


class _Unreadable(Exception):
    """The csv module gave up on a line; reading stops there."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem


@dataclass
class _Group:
    """The rows of one snapshot (same unit path and moment), as they are read."""

    path: tuple[str, ...]
    taken_at: datetime
    first_row: int
    saved_by: str
    comment: str
    version: int | None
    rows: list[int] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    """Practice id → the line it is on."""
    entries: list[SnapshotEntry] = field(default_factory=list)
    new_practices: list[str] = field(default_factory=list)


class _Parser:
    def __init__(self, catalogue: Catalogue, known_practice_ids: Collection[str]) -> None:
        self.catalogue = catalogue
        self.practices = {p.id: p for p in catalogue.practices}
        self.known = set(known_practice_ids)
        self.now = now()
        self.problems = _Problems()
        self.groups: dict[tuple[tuple[str, ...], datetime], _Group] = {}
        self.new_steps: dict[str, tuple[int, int]] = {}
        """Custom practice new to the database → (its step, the first line giving it)."""
        self.new_titles: dict[str, str] = {}
        self.statuses = _status_words()
        self.interned: dict[str, str] = {}
        self.used: set[int] = set()
        self.paths: dict[str, tuple[str, ...]] = {}
        """Unit path cells already found valid (the same path is on every row of a unit)."""
        self.dates: dict[str, datetime] = {}
        self.suggestions: dict[str, list[str]] = {}

    # -- the file

    def parse(self, text: str) -> list[SnapshotRecord]:
        delimiter = _detect_delimiter(text)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        lines = _lines(reader)
        header_line = rows = 0
        try:
            header_line, header = next(
                ((n, f) for n, f in lines if any(v.strip() for v in f)), (0, [])
            )
            if not header:
                raise ValidationError(Problem("csv.empty"))
            index = self._header(header_line, header)
            self.used = set(index.values())
            for line, fields in lines:
                if not any(v.strip() for v in fields):
                    continue  # blank line, or only delimiters (as spreadsheets may leave)
                rows += 1
                self._row(line, fields, index, len(header))
        except _Unreadable as exc:
            self.problems.kept.append(exc.problem)
            self.problems.raise_if_any()
        if not rows:
            raise ValidationError(Problem("csv.no_rows", row=header_line))
        self._check_groups()
        self.problems.raise_if_any()
        return self._records()

    def _header(self, line: int, header: list[str]) -> dict[str, int]:
        index: dict[str, int] = {}
        for i, raw in enumerate(header):
            name = _column_key(raw)
            if name not in COLUMNS:
                continue  # unknown extra columns are ignored
            if name in index:
                self.problems.add("csv.duplicate_column", row=line, column=name, column_name=name)
            else:
                index[name] = i
        missing = [c for c in REQUIRED_COLUMNS if c not in index]
        if missing:
            found = ", ".join(h.strip() for h in header if h.strip())
            self.problems.add(
                "csv.missing_columns",
                row=line,
                columns=", ".join(missing),
                found=found[:300] or "–",
            )
        self.problems.raise_if_any()
        return index

    # -- one row

    def _row(self, line: int, fields: list[str], index: dict[str, int], width: int) -> None:
        add = self.problems.add
        if len(fields) < width or any(v.strip() for v in fields[width:]):
            add("csv.field_count", row=line, expected=width, found=len(fields))
            return  # the values are shifted: checking them would only mislead
        too_long: set[str] = set()
        for name, i in index.items():
            if len(fields[i]) > MAX_FIELD_CHARS:
                add(
                    "csv.field_too_long",
                    row=line,
                    column=name,
                    length=len(fields[i]),
                    max=MAX_FIELD_CHARS,
                )
                too_long.add(name)
        for i, value in enumerate(fields):
            if i not in self.used and len(value) > MAX_FIELD_CHARS:
                add(
                    "csv.field_too_long",
                    row=line,
                    column=str(i + 1),
                    length=len(value),
                    max=MAX_FIELD_CHARS,
                )

        def cell(name: str) -> str:
            return fields[index[name]] if name in index and name not in too_long else ""

        def required(name: str) -> str | None:
            value = cell(name).strip()
            if not value and name not in too_long:
                add("csv.required_empty", row=line, column=name, column_name=name)
            return value or None

        path = self._unit_path(line, required("unit_path"))
        taken_at = self._taken_at(line, required("taken_at"))
        saved_by = self._text(line, "saved_by", cell("saved_by"), NAME_MAX)
        comment = self._text(line, "comment", cell("comment"), NOTE_MAX)
        note = self._text(line, "note", cell("note"), NOTE_MAX)
        version = self._version(line, cell("catalogue_version").strip())
        step = self._step(line, cell("step").strip())
        practice_id, step = self._practice(line, required("practice_id"), step, cell)
        status = self._status(line, required("status"))
        if status is Status.NOT_APPLICABLE and not note.strip() and "note" not in too_long:
            add("csv.na_needs_note", row=line, column="note")

        if path is None or taken_at is None:
            return
        key = (tuple(_name_key(name) for name in path), taken_at)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = _Group(path, taken_at, line, saved_by, comment, version)
        else:
            compared: tuple[tuple[str, object, object], ...] = (
                ("saved_by", saved_by, group.saved_by),
                ("comment", comment, group.comment),
                ("catalogue_version", version, group.version),
            )
            for column, mine, first in compared:
                if mine != first and mine is not None and first is not None:
                    add(
                        "csv.snapshot_disagrees",
                        row=line,
                        column=column,
                        column_name=column,
                        first_row=group.first_row,
                    )
        group.rows.append(line)
        if practice_id is None:
            return
        if practice_id in group.seen:
            add(
                "csv.duplicate_practice",
                row=line,
                column="practice_id",
                practice_id=practice_id,
                first_row=group.seen[practice_id],
            )
            return
        group.seen[practice_id] = line
        if step is not None and status is not None:
            group.entries.append(SnapshotEntry(practice_id, step, status, note))
            if practice_id in self.new_steps:
                group.new_practices.append(practice_id)

    def _intern(self, value: str) -> str:
        """One string object for the values repeated on every row of a snapshot."""
        return self.interned.setdefault(value, value)

    def _unit_path(self, line: int, raw: str | None) -> tuple[str, ...] | None:
        if raw is None:
            return None
        if raw in self.paths:
            return self.paths[raw]
        text = unescape_cell(raw)
        names = tuple(self._intern(n.strip()) for n in text.split(">"))
        ok = True
        for name in names:
            for problem in validate_unit_name(name):
                ok = False
                if problem.key == "unit.name_empty":
                    self.problems.add("csv.unit_path_empty_level", row=line, column="unit_path")
                elif problem.key == "unit.name_too_long":
                    self.problems.add(
                        "csv.unit_name_too_long",
                        row=line,
                        column="unit_path",
                        name=name[:40] + "…",
                        length=len(name),
                        max=NAME_MAX,
                    )
                elif problem.key == "unit.name_control_char":
                    self.problems.add(
                        "csv.unit_name_control_char",
                        row=line,
                        column="unit_path",
                        name=_visible(name),
                    )
                else:  # a rule the store added later: its own message
                    self.problems.kept.append(
                        Problem(problem.key, problem.params, row=line, column="unit_path")
                    )
        if ok:
            self.paths[raw] = names
        return names if ok else None

    def _taken_at(self, line: int, raw: str | None) -> datetime | None:
        if raw is None:
            return None
        if raw in self.dates:
            return self.dates[raw]
        match = _DATE.fullmatch(raw)
        if match is None:
            self.problems.add("csv.date_format", row=line, column="taken_at", value=_short(raw))
            return None
        try:
            y, m, d, hh, mm, ss = (int(match[k] or 0) for k in ("y", "m", "d", "H", "M", "S"))
            moment = datetime(y, m, d, hh, mm, ss)
            tz = match["tz"]
            if tz:
                if tz.upper() == "Z":
                    offset = timedelta(0)
                else:
                    sign = -1 if tz[0] == "-" else 1
                    offset = sign * timedelta(hours=int(tz[1:3]), minutes=int(tz[4:6]))
                moment = (
                    moment.replace(tzinfo=timezone(offset))
                    .astimezone(ZoneInfo(TIMEZONE))
                    .replace(tzinfo=None)
                )
        except (ValueError, OverflowError):
            self.problems.add("csv.date_impossible", row=line, column="taken_at", value=raw)
            return None
        if moment > self.now:
            self.problems.add(
                "csv.date_future",
                row=line,
                column="taken_at",
                value=raw,
                now=self.now.strftime("%Y-%m-%d %H:%M"),
            )
            return None
        self.dates[raw] = moment
        return moment

    def _text(self, line: int, column: str, raw: str, limit: int) -> str:
        value = unescape_cell(raw)
        length = len(value.strip())
        if length > limit:
            self.problems.add(
                f"csv.{column}_too_long", row=line, column=column, length=length, max=limit
            )
        return self._intern(value) if column != "note" else value

    def _version(self, line: int, raw: str) -> int | None:
        if not raw:
            return self.catalogue.version
        if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1:
            self.problems.add(
                "csv.version_invalid", row=line, column="catalogue_version", value=_short(raw)
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

    def _step(self, line: int, raw: str) -> int | None:
        if not raw:
            return None
        if raw in {str(s) for s in STEPS}:
            return int(raw)
        self.problems.add("csv.step_invalid", row=line, column="step", value=_short(raw))
        return -1  # given, but wrong: not "missing"

    def _status(self, line: int, raw: str | None) -> Status | None:
        if raw is None:
            return None
        found = self.statuses.get(_status_key(raw))
        if found is None:
            self.problems.add("csv.status_unknown", row=line, column="status", value=_short(raw))
        return found

    def _practice(
        self, line: int, raw: str | None, step: int | None, cell: Any
    ) -> tuple[str | None, int | None]:
        """The practice id and its step, or (None, None) / (id, None) when something is off."""
        if raw is None:
            return None, None
        pid = raw.lower()
        add = self.problems.add
        if pid in self.practices:
            expected = self.practices[pid].step
            if step is not None and step != -1 and step != expected:
                add(
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
            if pid not in self.suggestions:
                self.suggestions[pid] = difflib.get_close_matches(
                    pid, sorted(self.known | set(self.practices)), n=1, cutoff=0.75
                )
            suggestion = self.suggestions[pid]
            if suggestion:
                add(
                    "csv.practice_unknown_suggest",
                    row=line,
                    column="practice_id",
                    practice_id=_short(raw),
                    suggestion=suggestion[0],
                )
            else:
                add("csv.practice_unknown", row=line, column="practice_id", practice_id=_short(raw))
            return None, None
        # An organisation's own practice: the file must say which step it belongs to.
        if step is None:
            add("csv.step_required", row=line, column="step", practice_id=pid)
            return pid, None
        if step == -1:
            return pid, None
        if pid in self.known:
            return pid, step
        first = self.new_steps.setdefault(pid, (step, line))
        if first[0] != step:
            add(
                "csv.custom_step_conflict",
                row=line,
                column="step",
                practice_id=pid,
                step=step,
                first_step=first[0],
                first_row=first[1],
            )
        title = unescape_cell(cell("practice_title").strip())
        if len(title) > TITLE_MAX:
            add(
                "csv.practice_title_too_long",
                row=line,
                column="practice_title",
                length=len(title),
                max=TITLE_MAX,
            )
        elif title and not self.new_titles.get(pid):
            self.new_titles[pid] = title
        return pid, step

    # -- the snapshots

    def _check_groups(self) -> None:
        required_by_version: dict[int, tuple[str, ...]] = {}
        for group in self.groups.values():
            if group.version is None:
                continue
            required = required_by_version.setdefault(
                group.version,
                tuple(p.id for p in self.catalogue.practices_in_version(group.version)),
            )
            missing = [pid for pid in required if pid not in group.seen]
            if missing:
                self.problems.add(
                    "csv.snapshot_incomplete",
                    row=group.first_row,
                    unit=PATH_SEPARATOR.join(group.path),
                    date=group.taken_at.strftime(DATE_FORMAT),
                    missing=", ".join(missing),
                    rows=len(group.rows),
                )

    def _records(self) -> list[SnapshotRecord]:
        return [
            SnapshotRecord(
                unit_path=g.path,
                taken_at=g.taken_at,
                saved_by=g.saved_by,
                comment=g.comment,
                catalogue_version=g.version or self.catalogue.version,
                entries=tuple(g.entries),
                rows=tuple(g.rows),
                new_practice_titles={
                    pid: self.new_titles[pid] for pid in g.new_practices if pid in self.new_titles
                },
            )
            for g in self.groups.values()
        ]


def _lines(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of each record; a record may span lines (quoted breaks)."""
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            message = str(exc)
            if "end of data" in message:
                problem = Problem("csv.unclosed_quote", row=start)
            elif "field larger than field limit" in message:
                problem = Problem("csv.field_far_too_long", {"max": MAX_FIELD_CHARS}, row=start)
            else:
                problem = Problem("csv.malformed", row=max(start, reader.line_num))
            raise _Unreadable(problem) from None
        yield start, fields


def _check_archived_parents(store: Store, records: Sequence[SnapshotRecord]) -> None:
    """A new unit cannot go under an archived one: say so with the line, before writing."""
    tree = store.unit_tree()
    children: dict[tuple[int | None, str], int] = {}
    for u in tree.units.values():
        children.setdefault((u.parent_id, _name_key(u.name)), u.id)
    problems = _Problems()
    checked: set[tuple[str, ...]] = set()
    for record in records:
        key = tuple(_name_key(n) for n in record.unit_path)
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


# ---------------------------------------------------------------------------- helpers


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), or UTF-16 with a BOM; anything else names the line."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ValidationError(Problem("csv.encoding_unsupported", {"encoding": "UTF-32"}))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, key = "utf-16", "csv.not_utf16"
    else:
        encoding, key = "utf-8", "csv.not_utf8"
        data = data.removeprefix(codecs.BOM_UTF8)
        nul = data.find(b"\x00")
        if nul >= 0:  # a binary file, or UTF-16 without its byte-order mark
            before = data[:nul].decode(encoding, errors="replace")
            raise ValidationError(Problem("csv.binary", row=_line_of(before, len(before))))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(encoding, errors="replace")
        raise ValidationError(Problem(key, row=_line_of(before, len(before)))) from None
    if "\x00" in text:
        raise ValidationError(Problem("csv.binary", row=_line_of(text, text.index("\x00"))))
    return text


def _line_of(text: str, position: int) -> int:
    """The 1-based line of `position`, counting CRLF, LF and CR line ends (as csv does)."""
    before = text[:position]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def _detect_delimiter(text: str) -> str:
    """Comma or semicolon: whichever occurs more often, outside quotes, on the header line."""
    counts = {",": 0, ";": 0}
    quoted = content = False
    for char in text[:1_000_000]:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            if content:
                break  # the end of the header (blank lines before it are skipped)
        elif char in counts:
            counts[char] += 1
        if not char.isspace():
            content = True
    return ";" if counts[";"] > counts[","] else ","


def _name_key(name: str) -> str:
    """How the store matches unit names: 'Å' and 'A' + combining ring, any case, are one."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def _column_key(name: str) -> str:
    return re.sub(r"[\s-]+", "_", name.strip().lstrip("\ufeff").strip()).casefold()


def _status_key(value: str) -> str:
    return " ".join(value.split()).casefold()


def _status_words() -> dict[str, Status]:
    """Every accepted spelling of a status: its code and its labels in both languages."""
    words: dict[str, Status] = {}
    for status in Status:
        words[status.value] = status
        words[status.value.replace("_", " ")] = status
        words[status.value.replace("_", "-")] = status
        for lang in LANGS:
            words[_status_key(t(f"status.{status.value}", lang))] = status
    return words


def _short(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[:limit] + "…"


def _visible(name: str) -> str:
    """A name with its control characters shown (a line break as ↵), for messages."""
    return _short("".join("↵" if unicodedata.category(c) == "Cc" else c for c in name), 40)


def _grouped(number: int) -> str:
    """52428800 → '52 428 800' (a space between thousands reads in Swedish and English)."""
    return f"{number:,}".replace(",", " ")
