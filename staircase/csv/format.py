"""The CSV format of snapshots: its columns, its two layouts, escaping and quoting. One row
per snapshot × practice.

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

Nothing here imports streamlit or SQL: the pages and the CLI (``python -m staircase``) share
it.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

from staircase.domain.moments import FILE_FORMAT


class CsvVariant(StrEnum):
    """How the exported file is laid out."""

    PLAIN = "plain"
    """Comma, UTF-8 without BOM, LF line ends: for scripts and other systems."""
    EXCEL_SV = "excel_sv"
    """Semicolon, UTF-8 with BOM, CRLF: opens directly in Excel with Swedish settings."""


class Layout(NamedTuple):
    delimiter: str
    bom: bytes
    newline: str


VARIANTS: dict[CsvVariant, Layout] = {
    CsvVariant.PLAIN: Layout(",", b"", "\n"),
    CsvVariant.EXCEL_SV: Layout(";", codecs.BOM_UTF8, "\r\n"),
}

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
SNAPSHOT_COLUMNS: tuple[str, ...] = (
    "unit_path",
    "taken_at",
    "saved_by",
    "comment",
    "catalogue_version",
)
"""The columns that are the same on every row of a snapshot."""
PRACTICE_COLUMNS: tuple[str, ...] = ("practice_id", "step", "status")
"""The columns that say which practice a row is about and where it stands."""

DATE_FORMAT = FILE_FORMAT

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may take for the start of a formula."""
_ESCAPED_AFTER_QUOTE = (*FORMULA_START, "'")


# ---------------------------------------------------------------------------- escaping


def escape_cell(value: str) -> str:
    """Make a text cell safe to open in a spreadsheet (OWASP CSV injection): prefix a `'`."""
    if value[:1] in FORMULA_START or (value[:1] == "'" and value[1:2] in _ESCAPED_AFTER_QUOTE):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    """Undo `escape_cell`: drop the one `'` put in front of a formula-looking text."""
    if value[:1] == "'" and value[1:2] in _ESCAPED_AFTER_QUOTE:
        return value[1:]
    return value


# ---------------------------------------------------------------------------- quoting


def quote(value: str, delimiter: str) -> str:
    """One field as it is written: in double quotes (its own doubled) when it holds the
    delimiter, a quote or ANY line break (the csv module leaves a lone CR unquoted when the
    line end is LF, which breaks reading). The only quoting rule: the header, the rows and
    the exporter's inner loop all go through here."""
    if delimiter in value or '"' in value or "\n" in value or "\r" in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def format_row(values: Iterable[str], delimiter: str, newline: str) -> str:
    """One CSV line of the fields as they are (escape text cells first)."""
    return delimiter.join([quote(value, delimiter) for value in values]) + newline
