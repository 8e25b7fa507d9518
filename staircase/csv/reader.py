"""Reading the snapshot CSV: the rows grouped into snapshots, every problem of the file
collected (see `staircase.csv.format` for the format, `checks` for what a cell must be)."""

from __future__ import annotations

import csv
import gc
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any, TextIO

from staircase.csv import decoding
from staircase.csv.checks import (
    ALLOWED_CONTROL,
    MAX_FIELD_CHARS,
    Cells,
    Problems,
    check_import_size,
)
from staircase.csv.format import (
    COLUMNS,
    DATE_FORMAT,
    PRACTICE_COLUMNS,
    REQUIRED_COLUMNS,
    SNAPSHOT_COLUMNS,
    unescape_cell,
)
from staircase.domain.catalogue import Catalogue
from staircase.domain.model import Problem, SnapshotEntry, Status, ValidationError
from staircase.domain.records import SnapshotRecord
from staircase.domain.rules import (
    NAME_MAX,
    NOTE_MAX,
    PATH_SEPARATOR,
    has_control,
    name_key,
)


def parse_csv(
    data: bytes, catalogue: Catalogue, known_practice_ids: Collection[str]
) -> list[SnapshotRecord]:
    """Read and validate a snapshot CSV; raise ValidationError listing every problem.

    `known_practice_ids` are all the practice ids the target database knows (shipped and
    its own); other `custom-…` ids become new practices, any other unknown id is an error.
    """
    check_import_size(len(data))
    text = decoding.decode(data)
    if not text.strip():
        raise ValidationError(Problem("csv.empty"))
    delimiter = decoding.detect_delimiter(text)
    del text  # read again, line by line, below: the whole text as one string is big
    with gc_paused():
        return Parser(catalogue, known_practice_ids).parse(decoding.text_lines(data), delimiter)


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


_Filed = tuple[_Group, str, int, Status]
"""A row that went in whole: its snapshot, practice, step and status."""


class Parser:
    """One file: its header, its rows filed into snapshots, and the snapshots checked whole."""

    def __init__(self, catalogue: Catalogue, known_practice_ids: Collection[str]) -> None:
        self.catalogue = catalogue
        self.problems = Problems()
        self.cells = Cells(catalogue, known_practice_ids, self.problems)
        self.groups: dict[tuple[tuple[str, ...], datetime], _Group] = {}
        self.used: set[int] = set()
        self.folded: dict[tuple[str, ...], tuple[str, ...]] = {}

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

    def _header(self, line: int, header: list[str]) -> dict[str, int]:
        index = header_index(header, line, COLUMNS, REQUIRED_COLUMNS, self.problems)
        self.problems.raise_if_any()
        return index

    def _rows(self, reader: Any, index: dict[str, int], width: int) -> int:
        """Read the rows after the header; return how many there were (blank lines aside).

        Every row goes through `_row` unless `_repeats` recognises it as a repeat of what
        was accepted already.
        """
        problems = self.problems
        repeat, remember = self._repeats(index, width)
        rows = 0
        while True:
            line = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return rows
            except csv.Error as exc:
                raise _Unreadable(_unreadable(exc, line, reader.line_num)) from None
            if repeat(line, fields):
                rows += 1
                continue
            if not any(v.strip() for v in fields):
                continue  # blank line, or only delimiters (as spreadsheets may leave)
            rows += 1
            before = problems.found
            filed = self._row(line, fields, index, width)
            if filed is not None and problems.found == before:
                remember(fields, filed)

    def _repeats(
        self, index: dict[str, int], width: int
    ) -> tuple[Callable[[int, list[str]], bool], Callable[[list[str], _Filed], None]]:
        """How to file a row that repeats what was accepted already, without `_row`, and
        how to remember a row `_row` accepted whole.

        A row repeats when it has the same unit path, moment, saved_by, comment and version
        as a row filed without a problem (those cells are then fine again, and belong to
        the same snapshot) or cells `_known_head` finds fine, and the same practice id,
        step and status as a row filed without a problem. Such a row only needs its note
        and its practice id checked within the snapshot. The rows of a big file go ten
        times faster, and a file with a problem gets exactly the problems `_row` reports:
        any doubt, and the row goes through `_row`, which finds the problem.
        """
        head_of = _cells([index[c] for c in SNAPSHOT_COLUMNS if c in index])
        practice_of = _cells([index[c] for c in PRACTICE_COLUMNS if c in index])
        note_at = index.get("note")
        known_cells = {index[c] for c in (*SNAPSHOT_COLUMNS, *PRACTICE_COLUMNS) if c in index}
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
        new_steps = self.cells.new_steps
        known_head = self._known_head
        not_applicable = Status.NOT_APPLICABLE
        longest, note_max, allowed = MAX_FIELD_CHARS, NOTE_MAX, ALLOWED_CONTROL["note"]

        def filing(group: _Group) -> tuple[dict[str, int], Any, Any]:
            return group.seen, group.rows.append, group.entries.append

        def repeat(line: int, fields: list[str]) -> bool:
            """File the row if it is a repeat (True); False: it needs `_row`."""
            if len(fields) != width or max(map(len, rest_of(fields))) > longest:
                return False
            head = head_of(fields)
            found = heads.get(head)
            if found is None:  # a new snapshot, perhaps, of a unit and a moment seen before
                group = known_head(line, fields, index)
                if group is None:
                    return False
                found = heads[head] = filing(group)
            known = practices.get(practice_of(fields))
            if known is None:
                return False
            pid, step, status, entry, noted = known
            raw = fields[note_at] if note_at is not None else ""
            if raw:
                same = noted.get(raw)
                if same is None:  # a note not seen with this practice: checked once
                    note = unescape_cell(raw)
                    stripped = len(note.strip())
                    if (
                        stripped > note_max
                        or (stripped == 0 and status is not_applicable)
                        or has_control(note, allowed)
                    ):
                        return False  # a problem: `_row` reports it
                    same = noted[raw] = SnapshotEntry(pid, step, status, note)
                entry = same
            elif status is not_applicable:
                return False
            seen, add_row, add_entry = found
            if pid in seen:
                return False
            add_row(line)
            seen[pid] = line
            add_entry(entry)
            return True

        def remember(fields: list[str], filed: _Filed) -> None:
            """A row `_row` filed without a problem: rows like it are repeats."""
            group, pid, step, status = filed
            if pid not in new_steps:  # a practice new to the database has more to check
                heads.setdefault(head_of(fields), filing(group))
                practices.setdefault(
                    practice_of(fields), (pid, step, status, SnapshotEntry(pid, step, status), {})
                )

        return repeat, remember

    def _known_head(self, line: int, fields: list[str], index: dict[str, int]) -> _Group | None:
        """The snapshot of a row whose unit path and moment were found fine before and whose
        saved_by, comment and version are fine and agree with the snapshot's first row (a
        new snapshot is started on this line); None when any of that is not so. Reports
        nothing: `_row` reports what is wrong."""
        if any(len(fields[index[c]]) > MAX_FIELD_CHARS for c in SNAPSHOT_COLUMNS if c in index):
            return None
        cells = self.cells
        path = cells.paths.get(fields[index["unit_path"]].strip())
        moment = cells.dates.get(fields[index["taken_at"]].strip())
        if path is None or moment is None:
            return None
        texts = []
        for column, limit in (("saved_by", NAME_MAX), ("comment", NOTE_MAX)):
            value = unescape_cell(fields[index[column]]) if column in index else ""
            if len(value.strip()) > limit or has_control(value, ALLOWED_CONTROL[column]):
                return None
            texts.append(cells.intern(value))
        saved_by, comment = texts
        raw = fields[index["catalogue_version"]].strip() if "catalogue_version" in index else ""
        version = cells.versions.get(raw)
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

    # -- one row

    def _row(
        self, line: int, fields: list[str], index: dict[str, int], width: int
    ) -> _Filed | None:
        """Check one row and file it under its snapshot; report every problem it has.

        Returns the snapshot and the practice, step and status when the row went in whole.
        """
        add = self.problems.add
        if len(fields) < width or any(v.strip() for v in fields[width:]):
            add("csv.field_count", row=line, expected=width, found=len(fields))
            return None  # the values are shifted: checking them would only mislead
        too_long = self._too_long(line, fields, index)

        def cell(name: str) -> str:
            return fields[index[name]] if name in index and name not in too_long else ""

        def required(name: str) -> str | None:
            value = cell(name).strip()
            if not value and name not in too_long:
                add("csv.required_empty", row=line, column=name, column_name=name)
            return value or None

        cells = self.cells
        path = cells.unit_path(line, required("unit_path"))
        taken_at = cells.taken_at(line, required("taken_at"))
        saved_by = cells.text(line, "saved_by", cell("saved_by"), NAME_MAX)
        comment = cells.text(line, "comment", cell("comment"), NOTE_MAX)
        note = cells.text(line, "note", cell("note"), NOTE_MAX)
        version = cells.version(line, cell("catalogue_version").strip())
        step = cells.step(line, cell("step").strip())
        practice_id, step = cells.practice(
            line, required("practice_id"), step, cell("practice_title")
        )
        status = cells.status(line, required("status"))
        if status is Status.NOT_APPLICABLE and not note.strip() and "note" not in too_long:
            add("csv.na_needs_note", row=line, column="note")

        if path is None or taken_at is None:
            return None
        group = self._group(line, path, taken_at, saved_by, comment, version)
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
        if practice_id in cells.new_steps:
            group.new_practices.append(practice_id)
        return group, practice_id, step, status

    def _too_long(self, line: int, fields: list[str], index: dict[str, int]) -> set[str]:
        """Report the cells longer than MAX_FIELD_CHARS; return the known columns among them."""
        add = self.problems.add
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
        return too_long

    def _group(
        self,
        line: int,
        path: tuple[str, ...],
        taken_at: datetime,
        saved_by: str,
        comment: str,
        version: int | None,
    ) -> _Group:
        """The snapshot of the unit and moment (started on this line when new); a row that
        disagrees with its first row on saved_by, comment or version is reported."""
        key = (self._folded(path), taken_at)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = _Group(path, taken_at, line, saved_by, comment, version)
            return group
        compared: tuple[tuple[str, object, object], ...] = (
            ("saved_by", saved_by, group.saved_by),
            ("comment", comment, group.comment),
            ("catalogue_version", version, group.version),
        )
        for column, mine, first in compared:
            if mine != first and mine is not None and first is not None:
                self.problems.add(
                    "csv.snapshot_disagrees",
                    row=line,
                    column=column,
                    column_name=column,
                    first_row=group.first_row,
                )
        return group

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
        new_titles = self.cells.new_titles
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
                    pid: new_titles[pid] for pid in g.new_practices if pid in new_titles
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


def header_index(
    header: Sequence[str],
    line: int,
    columns: Collection[str],
    required: Sequence[str],
    problems: Problems,
) -> dict[str, int]:
    """Column name → its position in `header`, for the known `columns` (others are ignored);
    a column named twice or a `required` one missing is a problem of row `line`."""
    index: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = column_key(raw)
        if name not in columns:
            continue  # unknown extra columns are ignored
        if name in index:
            problems.add("csv.duplicate_column", row=line, column=name, column_name=name)
        else:
            index[name] = i
    if missing := [c for c in required if c not in index]:
        problems.add(
            "csv.missing_columns",
            row=line,
            columns=", ".join(missing),
            found=header_text(header),
        )
    return index


def header_text(header: Sequence[str]) -> str:
    """The header as a problem message shows it: its names, at most 300 characters."""
    return ", ".join(h.strip() for h in header if h.strip())[:300] or "–"


def column_key(name: str) -> str:
    """How a header is matched to a column: case, spaces, dashes and a BOM aside."""
    return re.sub(r"[\s-]+", "_", name.strip().lstrip("\ufeff").strip()).casefold()
