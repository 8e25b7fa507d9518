"""Writing the snapshot CSV: streamed from an export (see `staircase.csv.format`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, BinaryIO, Protocol

from staircase.csv.format import (
    COLUMNS,
    DATE_FORMAT,
    VARIANTS,
    CsvVariant,
    escape_cell,
    format_row,
    quote,
)
from staircase.domain.catalogue import Catalogue
from staircase.domain.model import LANGS, Lang
from staircase.domain.moments import now
from staircase.domain.rules import slug
from staircase.domain.units import UnitTree

CHUNK_CHARS = 64 * 1024
"""About how much text is written to the output at a time."""


class ExportBatchLike(Protocol):
    @property
    def snapshots(self) -> Mapping[int, Any]:
        """Snapshot id → (id, unit_id, taken_at, saved_by, comment, catalogue_version)."""

    @property
    def rows(self) -> Sequence[Any]:
        """(snapshot_id, step, practice_id, status, note), in file order."""


class ExportSource(Protocol):
    """What an export reads, all of it in one read transaction."""

    @property
    def tree(self) -> UnitTree: ...

    @property
    def catalogue(self) -> Catalogue:
        """Every practice the rows may name, retired own practices included."""

    @property
    def batches(self) -> Iterable[ExportBatchLike]: ...


def write_csv(
    export: ExportSource,
    out: BinaryIO,
    variant: CsvVariant = CsvVariant.PLAIN,
    lang: Lang = "sv",
) -> int:
    """Stream the snapshots of the export to `out`; return the row count.

    Rows come in batches (`export.batches`, read in one transaction with the tree and the
    catalogue) and leave in chunks of about `CHUNK_CHARS`, never all in memory. What
    repeats is formatted once: a unit's path per unit, a snapshot's own columns per
    snapshot, a practice's step, id, title and status per combination; only the note is
    looked at on every row.
    """
    delimiter, bom, newline = VARIANTS[CsvVariant(variant)]
    lang = lang if lang in LANGS else "sv"
    titles = {p.id: p.title(lang) or p.title.sv for p in export.catalogue.practices}
    label = export.tree.label

    def cell(value: object) -> str:
        return quote(str(value), delimiter)

    def text(value: object) -> str:
        return quote(escape_cell(str(value or "")), delimiter)

    units: dict[int, str] = {}
    practices: dict[tuple[Any, Any, Any], str] = {}
    escape, quoted, chunk = escape_cell, quote, CHUNK_CHARS  # locals: the loop is hot
    if bom:
        out.write(bom)
    buffer: list[str] = [format_row(COLUMNS, delimiter, newline)]
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
                    unit = units[unit_id] = text(label(unit_id))
                moment = moment_cell(taken_at)
                prefix = delimiter.join(
                    (unit, cell(moment), text(saved_by), text(comment), cell(version), "")
                )
            practice = practices.get((step, pid, status))
            if practice is None:
                practice = practices[(step, pid, status)] = delimiter.join(
                    (cell(step), cell(pid), text(titles.get(pid)), cell(status), "")
                )
            line = f"{prefix}{practice}{quoted(escape(note), delimiter) if note else ''}{newline}"
            buffer.append(line)
            size += len(line)
            count += 1
            if size >= chunk:
                out.write("".join(buffer).encode("utf-8"))
                buffer.clear()
                size = 0
    out.write("".join(buffer).encode("utf-8"))
    return count


def moment_cell(taken_at: object) -> str:
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
