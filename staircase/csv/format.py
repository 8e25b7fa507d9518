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
import gc
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from operator import itemgetter
from typing import Any, BinaryIO, Protocol, TextIO
from zoneinfo import ZoneInfo

from staircase import settings
from staircase.domain.catalogue import PRACTICE_ID, Catalogue
from staircase.domain.model import (
    LANGS,
    STEPS,
    Lang,
    Problem,
    SnapshotEntry,
    Status,
    ValidationError,
)
from staircase.domain.moments import FILE_FORMAT, format_moment, now
from staircase.domain.records import SnapshotRecord
from staircase.domain.rules import (
    NAME_MAX,
    NOTE_MAX,
    PATH_SEPARATOR,
    TITLE_MAX,
    check_unit_name,
    name_key,
    slug,
)
from staircase.domain.units import UnitTree
from staircase.i18n import t
from staircase.settings import MAX_UPLOAD_BYTES


class ExportSource(Protocol):
    """What an export reads, all of it in one read transaction."""

    tree: UnitTree
    catalogue: Catalogue
    """Every practice the rows may name, retired own practices included."""
    batches: Iterable[ExportBatchLike]


class ExportBatchLike(Protocol):
    snapshots: Mapping[int, Any]
    rows: Sequence[Any]


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

MAX_IMPORT_BYTES = MAX_UPLOAD_BYTES
MAX_FIELD_CHARS = 10_000
MAX_PROBLEMS = 200

DATE_FORMAT = FILE_FORMAT
_CHUNK_CHARS = 64 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_AFTER_QUOTE = (*_FORMULA_START, "'")
_DATE = re.compile(
    r"(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
    r"(?:[T ](?P<H>[0-9]{2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2}))?"
    r"(?P<tz>Z|[+-][0-9]{2}:[0-9]{2})?)?",
    re.IGNORECASE,
)
_HEAD_COLUMNS = ("unit_path", "taken_at", "saved_by", "comment", "catalogue_version")
"""The columns that are the same on every row of a snapshot."""
_PRACTICE_COLUMNS = ("practice_id", "step", "status")
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
    export: ExportSource,
    out: BinaryIO,
    variant: CsvVariant = CsvVariant.PLAIN,
    lang: Lang = "sv",
) -> int:
    """Stream the snapshots of the units (all units when None) to `out`; return the row count.

    Rows come from the database in batches (`export.batches`, all read in one transaction
    with the tree and the catalogue) and leave in chunks of
    about `_CHUNK_CHARS`, never all in memory. What repeats is formatted once: a unit's path
    per unit, a snapshot's own columns per snapshot, a practice's step, id, title and status
    per combination; only the note is looked at on every row.
    """
    delimiter, bom, newline = _VARIANTS[CsvVariant(variant)]
    lang = lang if lang in LANGS else "sv"
    titles = {p.id: p.title(lang) or p.title.sv for p in export.catalogue.practices}
    tree = export.tree

    def cell(value: str) -> str:
        """One field as `_format_row` writes it."""
        if delimiter in value or '"' in value or "\n" in value or "\r" in value:
            return '"' + value.replace('"', '""') + '"'
        return value

    def text(value: object) -> str:
        return cell(escape_cell(str(value or "")))

    def unit_cell(unit_id: int) -> str:
        return text(tree.label(unit_id))

    units: dict[int, str] = {}
    practices: dict[tuple[Any, Any, Any], str] = {}
    formula_start, after_quote = _FORMULA_START, _ESCAPED_AFTER_QUOTE
    if bom:
        out.write(bom)
    buffer: list[str] = [_format_row(COLUMNS, delimiter, newline)]
    size = count = 0
    last_snapshot: object = None
    prefix = ""
    for batch in export.batches:
        heads = batch.snapshots
        for snapshot_id, step, pid, status, note in batch.rows:
            if snapshot_id != last_snapshot:  # the columns of the snapshot itself
                last_snapshot = snapshot_id
                _, unit_id, taken_at, saved_by, comment, version = heads[snapshot_id]
                unit = units.get(unit_id)
                if unit is None:
                    unit = units[unit_id] = unit_cell(unit_id)
                moment = _moment_cell(taken_at)
                prefix = delimiter.join(
                    (unit, cell(moment), text(saved_by), text(comment), cell(str(version)), "")
                )
            practice = practices.get((step, pid, status))
            if practice is None:
                practice = practices[(step, pid, status)] = delimiter.join(
                    (cell(str(step)), cell(str(pid)), text(titles.get(pid)), cell(str(status)), "")
                )
            if note:  # escape_cell and cell, inline: this runs on every row
                note = str(note)
                if note[0] in formula_start or (note[0] == "'" and note[1:2] in after_quote):
                    note = "'" + note
                if delimiter in note or '"' in note or "\n" in note or "\r" in note:
                    note = '"' + note.replace('"', '""') + '"'
            else:
                note = ""
            line = f"{prefix}{practice}{note}{newline}"
            buffer.append(line)
            size += len(line)
            count += 1
            if size >= _CHUNK_CHARS:
                out.write("".join(buffer).encode("utf-8"))
                buffer.clear()
                size = 0
    out.write("".join(buffer).encode("utf-8"))
    return count


def _moment_cell(taken_at: object) -> str:
    """`taken_at` as DATE_FORMAT writes it (isoformat is the same text, in a fifth of the
    time, for whole seconds from the year 1000 on)."""
    if not isinstance(taken_at, datetime):
        return str(taken_at)
    if taken_at.microsecond == 0 and taken_at.tzinfo is None and taken_at.year >= 1000:
        return taken_at.isoformat()
    return taken_at.strftime(DATE_FORMAT)


def export_filename(scope_label: str, variant: CsvVariant) -> str:
    """An ASCII file name: 'lartrappan-norrby-kommun-2026-11-23.csv' (…-excel.csv for Excel)."""
    parts = ["lartrappan", slug(scope_label, 60), now().date().isoformat()]
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
    delimiter = _detect_delimiter(text)
    del text  # read again, line by line, below: the whole text as one string is big
    with gc_paused():
        return _Parser(catalogue, known_practice_ids).parse(_text_lines(data), delimiter)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a file is read and imported.

    Reading makes millions of objects that live on (cells, entries, snapshots): each
    collection would walk all of them again, a third of the time of a big import. Plain
    reference counting still frees everything meanwhile; the collector resumes after.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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
        self.folded: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.versions: dict[str, int] = {"": catalogue.version}
        """Every catalogue_version cell that is fine (empty: the current version)."""
        self.versions.update({str(v): v for v in range(1, catalogue.version + 1)})

    # -- the file

    def parse(self, source: TextIO, delimiter: str) -> list[SnapshotRecord]:
        reader = csv.reader(source, delimiter=delimiter, strict=True)
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
            rows = self._rows(reader, index, len(header))
        except _Unreadable as exc:
            self.problems.kept.append(exc.problem)
            self.problems.raise_if_any()
        if not rows:
            raise ValidationError(Problem("csv.no_rows", row=header_line))
        self._check_groups()
        self.problems.raise_if_any()
        return self._records()

    def _rows(self, reader: Any, index: dict[str, int], width: int) -> int:
        """Read the rows after the header; return how many there were (blank lines aside).

        Every row goes through `_row` unless it is a repeat of what was accepted already:
        the same unit path, moment, saved_by, comment and version as a row filed without
        a problem (those cells are then fine again, and belong to the same snapshot) or
        cells `_known_head` finds fine, and the same practice id, step and status as a
        row filed without a problem. Such a row only needs its note and its practice id
        checked within the snapshot. The rows of a big file go ten times faster, and a
        file with a problem gets exactly the problems `_row` reports: any doubt, and the
        row goes through `_row`, which finds the problem.
        """
        head_of = _cells([index[c] for c in _HEAD_COLUMNS if c in index])
        practice_of = _cells([index[c] for c in _PRACTICE_COLUMNS if c in index])
        note_at = index.get("note")
        known_cells = {index[c] for c in (*_HEAD_COLUMNS, *_PRACTICE_COLUMNS) if c in index}
        # The cells whose length is not bounded by matching accepted ones (the note, the
        # title, unknown columns), twice over when only one: itemgetter gives a tuple.
        rest = [i for i in range(width) if i not in known_cells] or [0]
        rest_of = itemgetter(*rest, *rest[:1]) if len(rest) == 1 else itemgetter(*rest)
        heads: dict[Any, tuple[dict[str, int], Callable[[int], None], Callable[..., None]]]
        heads = {}
        """The snapshot cells of rows filed without a problem → their snapshot's practices
        seen, and how to add a row and an entry to it."""
        practices: dict[Any, tuple[str, int, Status, SnapshotEntry, dict[str, SnapshotEntry]]]
        practices = {}
        """The practice cells of rows filed without a problem → id, step, status, the entry
        with an empty note, and the entries by the note cells found fine (one object per
        note: a unit's note usually stays the same from one snapshot to the next)."""
        problems = self.problems
        new_steps = self.new_steps
        not_applicable = Status.NOT_APPLICABLE
        longest, note_max = MAX_FIELD_CHARS, NOTE_MAX

        def filing(group: _Group) -> tuple[dict[str, int], Any, Any]:
            return group.seen, group.rows.append, group.entries.append

        rows = 0
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return rows
            except csv.Error as exc:
                raise _Unreadable(_unreadable(exc, line, reader.line_num)) from None
            if len(fields) == width and max(map(len, rest_of(fields))) <= longest:
                head = head_of(fields)
                found = heads.get(head)
                if found is None:  # a new snapshot, perhaps, of a unit and a moment seen before
                    group = self._known_head(line, fields, index)
                    if group is not None:
                        found = heads[head] = filing(group)
                known = practices.get(practice_of(fields)) if found is not None else None
                if found is not None and known is not None:
                    pid, step, status, entry, noted = known
                    raw = fields[note_at] if note_at is not None else ""
                    if raw:
                        same = noted.get(raw)
                        if same is None:
                            note = unescape_cell(raw)
                            stripped = len(note.strip())
                            if stripped > note_max or (stripped == 0 and status is not_applicable):
                                pid = ""  # a problem: `_row` reports it
                            else:
                                same = noted[raw] = SnapshotEntry(pid, step, status, note)
                        if same is not None:
                            entry = same
                    elif status is not_applicable:
                        pid = ""
                    seen, add_row, add_entry = found
                    if pid and pid not in seen:
                        rows += 1
                        add_row(line)
                        seen[pid] = line
                        add_entry(entry)
                        continue
            if not any(v.strip() for v in fields):
                continue  # blank line, or only delimiters (as spreadsheets may leave)
            rows += 1
            before = len(problems.kept) + problems.more
            filed = self._row(line, fields, index, width)
            if filed is None or len(problems.kept) + problems.more != before:
                continue
            group, pid, step, status = filed
            if pid not in new_steps:  # a practice new to the database has more to check
                heads.setdefault(head_of(fields), filing(group))
                practices.setdefault(
                    practice_of(fields), (pid, step, status, SnapshotEntry(pid, step, status), {})
                )

    def _known_head(self, line: int, fields: list[str], index: dict[str, int]) -> _Group | None:
        """The snapshot of a row whose unit path and moment were found fine before and whose
        saved_by, comment and version are fine and agree with the snapshot's first row (a
        new snapshot is started on this line); None when any of that is not so. Reports
        nothing: `_row` reports what is wrong."""
        if any(len(fields[index[c]]) > MAX_FIELD_CHARS for c in _HEAD_COLUMNS if c in index):
            return None
        path = self.paths.get(fields[index["unit_path"]].strip())
        moment = self.dates.get(fields[index["taken_at"]].strip())
        if path is None or moment is None:
            return None
        texts = []
        for column, limit in (("saved_by", NAME_MAX), ("comment", NOTE_MAX)):
            value = unescape_cell(fields[index[column]]) if column in index else ""
            if len(value.strip()) > limit:
                return None
            texts.append(self._intern(value))
        saved_by, comment = texts
        raw = fields[index["catalogue_version"]].strip() if "catalogue_version" in index else ""
        version = self.versions.get(raw)
        if version is None:
            return None
        key = (self._folded(path), moment)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = _Group(path, moment, line, saved_by, comment, version)
        elif (group.saved_by, group.comment, group.version) != (saved_by, comment, version):
            return None
        return group

    def _folded(self, path: tuple[str, ...]) -> tuple[str, ...]:
        """The key of a unit path: its names as the store matches them (case, Unicode form)."""
        folded = self.folded.get(path)
        if folded is None:
            folded = self.folded[path] = tuple(name_key(name) for name in path)
        return folded

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

    def _row(
        self, line: int, fields: list[str], index: dict[str, int], width: int
    ) -> tuple[_Group, str, int, Status] | None:
        """Check one row and file it under its snapshot; report every problem it has.

        Returns the snapshot and the practice, step and status when the row went in whole.
        """
        add = self.problems.add
        if len(fields) < width or any(v.strip() for v in fields[width:]):
            add("csv.field_count", row=line, expected=width, found=len(fields))
            return None  # the values are shifted: checking them would only mislead
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
            return None
        key = (self._folded(path), taken_at)
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
            return None
        if practice_id in group.seen:
            add(
                "csv.duplicate_practice",
                row=line,
                column="practice_id",
                practice_id=practice_id,
                first_row=group.seen[practice_id],
            )
            return None
        group.seen[practice_id] = line
        if step is None or status is None:
            return None
        group.entries.append(SnapshotEntry(practice_id, step, status, note))
        if practice_id in self.new_steps:
            group.new_practices.append(practice_id)
        return group, practice_id, step, status

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
            for problem in check_unit_name(name):
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
                    .astimezone(ZoneInfo(settings.current().timezone))
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
                now=format_moment(self.now),
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
            raise _Unreadable(_unreadable(exc, start, reader.line_num)) from None
        yield start, fields


def _unreadable(exc: csv.Error, start: int, line_num: int) -> Problem:
    """What the csv module gave up on, and where (`start`: the line the record began on)."""
    message = str(exc)
    if "end of data" in message:
        return Problem("csv.unclosed_quote", row=start)
    if "field larger than field limit" in message:
        return Problem("csv.field_far_too_long", {"max": MAX_FIELD_CHARS}, row=start)
    return Problem("csv.malformed", row=max(start, line_num))


def _cells(indices: list[int]) -> Callable[[list[str]], Any]:
    """A function giving the cells at `indices` of a row, as one hashable value."""
    if not indices:
        return lambda _fields: ()
    return itemgetter(*indices)


def check_archived_parents(tree: UnitTree, records: Sequence[SnapshotRecord]) -> None:
    """A new unit cannot go under an archived one: say so with the line, before writing."""
    children: dict[tuple[int | None, str], int] = {}
    for u in tree.units.values():
        children.setdefault((u.parent_id, name_key(u.name)), u.id)
    problems = _Problems()
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


def _text_lines(data: bytes) -> TextIO:
    """The text `_decode` found in `data`, to read line by line (CR, LF and CRLF ends kept,
    as csv wants them), decoded as it is read rather than all at once."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-16", newline="")
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


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
