"""The plan CSV: one row per unit × practice with its owner, due date and next action.

A file of its own, beside the snapshot CSV (whose format does not change). The same two
layouts (plain, Excel (svenska)), the same decoding, quoting and formula escaping, and the
same all-or-nothing reading: every problem of the file is named by row and column.

- Columns, in this order on export: ``unit_path, practice_id, practice_title, owner, due,
  next_action``. On import the names are matched as in the snapshot CSV;
  ``unit_path`` and ``practice_id`` are required, and at least one of ``owner``, ``due``,
  ``next_action``. A plan column left out of the file is left as it is in the database; a
  cell left empty empties that field. ``practice_title`` is for people and is ignored.
- ``due``: ``YYYY-MM-DD`` (any real day, also a past one), or empty.
- Evidence links are not in the file (they are added and removed on the checklist).
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from staircase.csv import decoding
from staircase.csv.checks import MAX_FIELD_CHARS, Problems, check_import_size, short
from staircase.csv.format import VARIANTS, CsvVariant, escape_cell, format_row, unescape_cell
from staircase.csv.reader import _lines, _Unreadable, header_index, header_text
from staircase.domain.model import Problem, ValidationError
from staircase.domain.plan import PlanItem
from staircase.domain.rules import check_action, check_owner, check_unit_name

COLUMNS: tuple[str, ...] = (
    "unit_path",
    "practice_id",
    "practice_title",
    "owner",
    "due",
    "next_action",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("unit_path", "practice_id")
PLAN_COLUMNS: tuple[str, ...] = ("owner", "due", "next_action")
"""What an import sets: those of them the file has."""
DUE_FORMAT = "YYYY-MM-DD"


@dataclass(frozen=True)
class PlanRow:
    """One row of a plan file, checked: what it sets on a unit's practice."""

    row: int
    unit_path: tuple[str, ...]
    practice_id: str
    owner: str
    due: date | None
    action: str
    columns: frozenset[str]
    """The plan columns the file has: only these are set."""

    def applied_to(self, item: PlanItem) -> tuple[str, date | None, str]:
        """(owner, due, action) after this row: the columns the file lacks kept from `item`."""
        return (
            self.owner if "owner" in self.columns else item.owner,
            self.due if "due" in self.columns else item.due,
            self.action if "next_action" in self.columns else item.action,
        )


@dataclass(frozen=True)
class PlanExportRow:
    unit_path: str
    practice_id: str
    practice_title: str
    item: PlanItem


def write_plan_csv(
    rows: Iterable[PlanExportRow], out: BinaryIO, variant: CsvVariant = CsvVariant.PLAIN
) -> int:
    """Write the rows to `out` in the variant's layout; return how many."""
    delimiter, bom, newline = VARIANTS[CsvVariant(variant)]
    if bom:
        out.write(bom)
    out.write(format_row(COLUMNS, delimiter, newline).encode("utf-8"))
    count = 0
    for r in rows:
        item = r.item
        cells = (
            escape_cell(r.unit_path),
            r.practice_id,
            escape_cell(r.practice_title),
            escape_cell(item.owner),
            item.due.isoformat() if item.due else "",
            escape_cell(item.action),
        )
        out.write(format_row(cells, delimiter, newline).encode("utf-8"))
        count += 1
    return count


def parse_plan_csv(data: bytes, practice_ids: Collection[str]) -> list[PlanRow]:
    """Read and check a plan file; raise ValidationError naming every problem (row, column).

    `practice_ids` are the practices a plan may be set for (the active ones). Whether each
    unit exists is the caller's to check (it has the tree)."""
    check_import_size(len(data))
    text = decoding.decode(data)
    if not text.strip():
        raise ValidationError(Problem("csv.empty"))
    delimiter = decoding.detect_delimiter(text)
    reader = csv.reader(decoding.text_lines(data), delimiter=delimiter, strict=True)
    problems = Problems()
    rows: list[PlanRow] = []
    try:
        lines = _lines(reader)
        header_line, header = next(((n, f) for n, f in lines if any(v.strip() for v in f)), (0, []))
        if not header:
            raise ValidationError(Problem("csv.empty"))
        index = _header(header_line, header, problems)
        problems.raise_if_any()
        known = set(practice_ids)
        first: dict[tuple[tuple[str, ...], str], int] = {}
        for line, fields in lines:
            if not any(v.strip() for v in fields):
                continue
            row = _row(line, fields, index, len(header), known, problems)
            if row is None:
                continue
            key = (tuple(n.casefold() for n in row.unit_path), row.practice_id)
            if key in first:
                problems.add(
                    "plan.csv_duplicate",
                    row=line,
                    column="practice_id",
                    practice_id=row.practice_id,
                    first_row=first[key],
                )
                continue
            first[key] = line
            rows.append(row)
        if not first and not problems:
            raise ValidationError(Problem("csv.no_rows", row=header_line))
    except _Unreadable as exc:
        problems.kept.append(exc.problem)
    problems.raise_if_any()
    return rows


def _header(line: int, header: list[str], problems: Problems) -> dict[str, int]:
    index = header_index(header, line, COLUMNS, REQUIRED_COLUMNS, problems)
    if all(c in index for c in REQUIRED_COLUMNS) and not any(c in index for c in PLAN_COLUMNS):
        problems.add(
            "plan.csv_no_plan_columns",
            row=line,
            columns=", ".join(PLAN_COLUMNS),
            found=header_text(header),
        )
    return index


def _row(
    line: int,
    fields: list[str],
    index: dict[str, int],
    width: int,
    known: set[str],
    problems: Problems,
) -> PlanRow | None:
    """One row checked; every problem it has reported; None when it has any."""
    before = problems.found
    if len(fields) < width or any(v.strip() for v in fields[width:]):
        problems.add("csv.field_count", row=line, expected=width, found=len(fields))
        return None
    for name, i in index.items():
        if len(fields[i]) > MAX_FIELD_CHARS:
            problems.add(
                "csv.field_too_long",
                row=line,
                column=name,
                length=len(fields[i]),
                max=MAX_FIELD_CHARS,
            )
    if problems.found > before:
        return None

    def cell(name: str) -> str:
        return unescape_cell(fields[index[name]]) if name in index else ""

    def attach(found: list[Problem], column: str) -> None:
        for p in found:
            problems.add(p.key, row=line, column=column, **p.params)

    path: tuple[str, ...] = ()
    raw_path = cell("unit_path").strip()
    if not raw_path:
        problems.add("csv.required_empty", row=line, column="unit_path", column_name="unit_path")
    else:
        path = tuple(name.strip() for name in raw_path.split(">"))
        for name in path:
            if not name:
                problems.add("csv.unit_path_empty_level", row=line, column="unit_path")
                break
            attach(check_unit_name(name), "unit_path")
    practice_id = cell("practice_id").strip().lower()
    if not practice_id:
        problems.add(
            "csv.required_empty", row=line, column="practice_id", column_name="practice_id"
        )
    elif practice_id not in known:
        problems.add(
            "csv.practice_unknown", row=line, column="practice_id", practice_id=short(practice_id)
        )
    owner = cell("owner").strip()
    attach(check_owner(owner), "owner")
    action = cell("next_action").strip()
    attach(check_action(action), "next_action")
    due = _due(line, cell("due").strip(), problems)
    if problems.found > before:
        return None
    return PlanRow(
        line,
        path,
        practice_id,
        owner,
        due,
        action,
        frozenset(c for c in PLAN_COLUMNS if c in index),
    )


def _due(line: int, raw: str, problems: Problems) -> date | None:
    if not raw:
        return None
    digits = raw.replace("-", "")
    if [len(p) for p in raw.split("-")] != [4, 2, 2] or not (digits.isascii() and digits.isdigit()):
        problems.add("plan.csv_due_format", row=line, column="due", value=short(raw))
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.add("plan.csv_due_impossible", row=line, column="due", value=raw)
        return None
