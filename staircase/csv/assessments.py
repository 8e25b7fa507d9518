"""The CSV format of current-state assessments: writing it and reading it back (no SQL,
no Streamlit). The same standard as the snapshots' (`staircase.csv.format`): the two
layouts, the one quoting rule, formula-safe text cells, every problem by row and column.

The format (stable; see README "The CSV format of assessments"):

- One row per assessment × item. Columns, in this order on export: ``unit_path, taken_at,
  saved_by, comment, version, kind, item_id, item_title, value, text``. On import the names
  are matched case-insensitively; ``unit_path, taken_at, kind, item_id`` are required,
  the rest optional; unknown extra columns are ignored.
- ``kind``: ``area`` (``value`` is the level: not_started, in_progress or done, or its
  Swedish or English label; ``text`` the note), ``trait`` (``value`` the rating, a whole
  number on the scale; ``text`` empty) or ``answer`` (``value`` empty; ``text`` the answer
  to the guiding question ``item_id``).
- One assessment = the rows with the same unit path and ``taken_at``; they must agree on
  ``saved_by``, ``comment`` and ``version``. ``item_title`` is for people reading the
  file (in the export's language) and ignored on import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import BinaryIO

from staircase.csv import decoding
from staircase.csv.checks import Cells, Problems, check_import_size, short, visible_control
from staircase.csv.format import (
    VARIANTS,
    CsvVariant,
    escape_cell,
    format_row,
    unescape_cell,
)
from staircase.csv.reader import header_index
from staircase.csv.writer import moment_cell
from staircase.domain.assessment import (
    LEVELS,
    AreaAnswer,
    Assessment,
    AssessmentContent,
    AssessmentModel,
    clean_content,
)
from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import LANGS, Lang, Problem, ValidationError
from staircase.domain.rules import NAME_MAX, NOTE_MAX, NOTE_WHITESPACE, has_control, name_key
from staircase.i18n import status_label

COLUMNS: tuple[str, ...] = (
    "unit_path",
    "taken_at",
    "saved_by",
    "comment",
    "version",
    "kind",
    "item_id",
    "item_title",
    "value",
    "text",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("unit_path", "taken_at", "kind", "item_id")
KINDS = ("area", "trait", "answer")


@dataclass(frozen=True)
class AssessmentRecord:
    """An assessment read from a file, ready to import; `rows` are its lines, for messages."""

    unit_path: tuple[str, ...]
    taken_at: datetime
    saved_by: str
    comment: str
    version: int
    content: AssessmentContent
    rows: tuple[int, ...]


# ---------------------------------------------------------------------------- writing


def write_csv(
    items: Iterable[tuple[str, Assessment, AssessmentContent]],
    model: AssessmentModel,
    out: BinaryIO,
    variant: CsvVariant = CsvVariant.PLAIN,
    lang: Lang = "sv",
) -> int:
    """Write (unit path, assessment, content) in the order given; return the row count.
    Within an assessment: each area in the model's order, then its trait ratings, then its
    answers."""
    delimiter, bom, newline = VARIANTS[CsvVariant(variant)]
    lang = lang if lang in LANGS else "sv"
    if bom:
        out.write(bom)
    out.write(format_row(COLUMNS, delimiter, newline).encode("utf-8"))
    count = 0
    for path, head, content in items:
        start = (
            escape_cell(path),
            moment_cell(head.taken_at),
            escape_cell(head.saved_by),
            escape_cell(head.comment),
            str(head.version),
        )
        lines = []
        for area in model.areas:
            answer = content.areas.get(area.id)
            if answer is not None:
                lines.append(("area", area.id, area.title(lang), answer.level, answer.note))
            for trait in area.traits:
                if trait.id in content.traits:
                    rating = str(content.traits[trait.id])
                    lines.append(("trait", trait.id, trait.name(lang), rating, ""))
            for question in area.questions:
                if question.id in content.answers:
                    text = content.answers[question.id]
                    lines.append(("answer", question.id, question.text(lang), "", text))
        for kind, item_id, title, value, text in lines:
            row = (*start, kind, item_id, escape_cell(title), value, escape_cell(text))
            out.write(format_row(row, delimiter, newline).encode("utf-8"))
            count += 1
    return count


# ---------------------------------------------------------------------------- reading


@dataclass
class _Group:
    path: tuple[str, ...]
    taken_at: datetime
    head: dict[str, str | int]
    first_row: int
    rows: list[int] = field(default_factory=list)
    seen: dict[tuple[str, str], int] = field(default_factory=dict)
    areas: dict[str, AreaAnswer] = field(default_factory=dict)
    traits: dict[str, int] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)


def parse_csv(data: bytes, model: AssessmentModel) -> list[AssessmentRecord]:
    """Read and validate an assessment CSV; raise ValidationError listing every problem
    (by row and column) when anything is wrong."""
    check_import_size(len(data))
    text = decoding.decode(data)
    if not text.strip():
        raise ValidationError(Problem("csv.empty"))
    reader = csv.reader(
        decoding.text_lines(data), delimiter=decoding.detect_delimiter(text), strict=True
    )
    problems = Problems()
    cells = Cells(load_catalogue(), (), problems)
    levels = _level_words()
    header: list[str] = []
    header_line = 0
    groups: dict[tuple[tuple[str, ...], datetime], _Group] = {}
    rows = 0
    line = 0
    try:
        while True:
            line = reader.line_num + 1  # where the record starts (it may span lines)
            fields = next(reader, None)
            if fields is None:
                break
            if not any(v.strip() for v in fields):
                continue
            if not header:
                header, header_line = fields, line
                index = _header(header, line, problems)
                continue
            rows += 1
            _row(line, fields, index, model, cells, levels, groups, problems)
    except csv.Error as exc:
        unclosed = "end of data" in str(exc)
        problems.add("csv.unclosed_quote" if unclosed else "csv.malformed", row=line)
        problems.raise_if_any()
    if not header:
        raise ValidationError(Problem("csv.empty"))
    if not rows:
        raise ValidationError(Problem("csv.no_rows", row=header_line))
    records = []
    for group in groups.values():
        content, found = clean_content(model, group.areas, group.traits, group.answers)
        for p in found:
            problems.kept.append(Problem(p.key, p.params, row=group.first_row))
        records.append(
            AssessmentRecord(
                group.path,
                group.taken_at,
                str(group.head["saved_by"]),
                str(group.head["comment"]),
                int(group.head["version"]),
                content,
                tuple(group.rows),
            )
        )
    problems.raise_if_any()
    return records


def _header(header: Sequence[str], line: int, problems: Problems) -> dict[str, int]:
    index = header_index(header, line, COLUMNS, REQUIRED_COLUMNS, problems)
    problems.raise_if_any()
    return index


def _row(
    line: int,
    fields: Sequence[str],
    index: Mapping[str, int],
    model: AssessmentModel,
    cells: Cells,
    levels: Mapping[str, str],
    groups: dict[tuple[tuple[str, ...], datetime], _Group],
    problems: Problems,
) -> None:
    def cell(name: str) -> str:
        i = index.get(name)
        return fields[i] if i is not None and i < len(fields) else ""

    before = problems.found
    for name in REQUIRED_COLUMNS:
        if not cell(name).strip():
            problems.add("csv.required_empty", row=line, column=name, column_name=name)
    path = cells.unit_path(line, cell("unit_path").strip() or None)
    taken_at = cells.taken_at(line, cell("taken_at").strip() or None)
    saved_by = cells.text(line, "saved_by", cell("saved_by"), NAME_MAX).strip()
    comment = cells.text(line, "comment", cell("comment"), NOTE_MAX).strip()
    version = _version(line, cell("version").strip(), model, problems)
    kind = cell("kind").strip().lower()
    item_id = cell("item_id").strip().lower()
    value = cell("value").strip()
    text = unescape_cell(cell("text"))
    if kind and kind not in KINDS:
        problems.add("acsv.kind_unknown", row=line, column="kind", value=short(cell("kind")))
    elif item_id and item_id not in _ids(model, kind):
        problems.add(
            "acsv.item_unknown", row=line, column="item_id", kind=kind, value=short(item_id)
        )
    level, rating = "", 0
    if kind == "area":
        level = levels.get(" ".join(value.split()).casefold(), "")
        if not level:
            problems.add("acsv.level_unknown", row=line, column="value", value=short(value))
    elif kind == "trait":
        points = model.scale_values
        if not value.isdigit() or int(value) not in points:
            problems.add(
                "acsv.rating_invalid",
                row=line,
                column="value",
                value=short(value),
                min=points[0],
                max=points[-1],
            )
        else:
            rating = int(value)
        if text.strip():
            problems.add("acsv.not_for_kind", row=line, column="text", kind=kind)
    elif kind == "answer" and value:
        problems.add("acsv.not_for_kind", row=line, column="value", kind=kind)
    if len(text.strip()) > NOTE_MAX:
        problems.add(
            "acsv.text_too_long", row=line, column="text", length=len(text.strip()), max=NOTE_MAX
        )
    if has_control(text, NOTE_WHITESPACE):
        problems.add(
            "csv.control_char",
            row=line,
            column="text",
            value=visible_control(text, NOTE_WHITESPACE),
        )
    if problems.found != before or path is None or taken_at is None or version is None:
        return
    key = (tuple(name_key(n) for n in path), taken_at)
    head: dict[str, str | int] = {"saved_by": saved_by, "comment": comment, "version": version}
    group = groups.get(key)
    if group is None:
        group = groups[key] = _Group(path, taken_at, head, line)
    for column, given in head.items():
        if group.head[column] != given:
            problems.add("acsv.head_differs", row=line, column=column, first_row=group.first_row)
    first = group.seen.setdefault((kind, item_id), line)
    if first != line:
        problems.add(
            "acsv.duplicate_item",
            row=line,
            column="item_id",
            item=f"{kind} {item_id}",
            first_row=first,
        )
        return
    group.rows.append(line)
    if kind == "area":
        group.areas[item_id] = AreaAnswer(level, text)
    elif kind == "trait":
        group.traits[item_id] = rating
    else:
        group.answers[item_id] = text


def _ids(model: AssessmentModel, kind: str) -> Iterable[str]:
    if kind == "area":
        return model.area_ids
    return model.traits if kind == "trait" else model.questions


def _version(line: int, raw: str, model: AssessmentModel, problems: Problems) -> int | None:
    if not raw:
        return model.version
    if not raw.isdigit() or int(raw) < 1:
        problems.add("acsv.version_invalid", row=line, column="version", value=short(raw))
        return None
    if int(raw) > model.version:
        problems.add(
            "acsv.version_too_new",
            row=line,
            column="version",
            value=int(raw),
            current=model.version,
        )
        return None
    return int(raw)


def _level_words() -> dict[str, str]:
    """Every accepted spelling of a level: its code and its labels in both languages."""
    words: dict[str, str] = {}
    for level in LEVELS:
        words[level.value] = level.value
        words[level.value.replace("_", " ")] = level.value
        for lang in LANGS:
            words[" ".join(status_label(level, lang).split()).casefold()] = level.value
    return words
