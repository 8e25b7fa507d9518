"""Moving snapshots in and out: the CSV export (one read transaction, streamed), its size
told in advance and its file for a download (zipped when large), and the import (validated
whole, then written in one transaction: all or nothing)."""

from __future__ import annotations

import tempfile
import threading
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, BinaryIO, Literal, cast

from sqlalchemy import Connection

from staircase import settings
from staircase.csv import reader, writer
from staircase.csv.checks import check_archived_parents
from staircase.csv.format import COLUMNS, VARIANTS, CsvVariant, format_row
from staircase.domain.access import PermissionDenied, Right
from staircase.domain.catalogue import Catalogue
from staircase.domain.model import Lang, Problem, ValidationError
from staircase.domain.records import ImportResult, SnapshotRecord
from staircase.domain.rules import PATH_SEPARATOR
from staircase.domain.units import UnitTree
from staircase.i18n import t
from staircase.services.csv_export import CsvExport
from staircase.services.door import LATER, Actor, Door
from staircase.services.practices import Practices
from staircase.services.units import Units
from staircase.storage import practices, snapshots
from staircase.storage.database import Database
from staircase.storage.schema import PRACTICES_REVISION, SNAPSHOTS_REVISION, UNITS_REVISION
from staircase.storage.snapshots import ExportBatch
from staircase.storage.units import UnitPaths

Scope = Literal["unit", "subtree", "all"]

ZIP_LEVEL = 1
"""Deflate's fastest level. The CSV repeats itself (paths, titles, statuses), so level 1
already makes it about 33 times smaller (267 MB → 8 MB at 2,000 units × 60 months) in a
third of the default level's time (which makes it 39 times smaller)."""
EXACT_ROWS = 5_000
"""An export of at most this many rows is written whole (to a counter) to tell its size."""
SAMPLE_UNITS = 8
"""A larger one is sized from the rows of this many of its units, spread over it."""
ZIP_OVERHEAD = 256
"""A zip file's bytes around its one member: two headers, the name twice, the Zip64 fields."""
CACHED_SIZES = 64
"""Export sizes kept per process (the oldest used goes first)."""
_COUNTERS = (UNITS_REVISION, PRACTICES_REVISION, SNAPSHOTS_REVISION)


@dataclass(frozen=True)
class ExportSize:
    """How large an export's file is, told before it is made."""

    rows: int
    csv_bytes: int
    """The CSV's size: exact when `exact`, else estimated from a sample of the units."""
    zip_bytes: int
    """About how large the CSV is in a zip file (deflated at ZIP_LEVEL)."""
    exact: bool
    zipped: bool = False
    """The download comes zipped: its CSV is larger than `zip_over_mb`."""
    zip_over_mb: float = 0.0
    revision: str = ""
    """The data's revision counters when it was measured: another one, another file."""

    @property
    def download_bytes(self) -> int:
        return self.zip_bytes if self.zipped else self.csv_bytes


class _Measure:
    """A sink for `writer.write_csv` that keeps nothing: it counts the bytes written and
    those deflate (at ZIP_LEVEL) makes of them."""

    def __init__(self) -> None:
        self.size = self.packed = 0
        self._deflate = zlib.compressobj(ZIP_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)

    def write(self, data: bytes) -> int:
        self.size += len(data)
        self.packed += len(self._deflate.compress(data))
        return len(data)

    def close(self) -> None:
        self.packed += len(self._deflate.flush())


def _spread(ids: Sequence[int], n: int) -> list[int]:
    """`n` of the ids, evenly spread over them (all when there are no more than `n`)."""
    if len(ids) <= n:
        return list(ids)
    return [ids[(2 * i + 1) * len(ids) // (2 * n)] for i in range(n)]


@dataclass(frozen=True)
class Export:
    """What an export reads, in one read transaction: the tree, the catalogue, the rows."""

    tree: UnitTree
    catalogue: Catalogue
    batches: Iterator[ExportBatch]


class Transfer(CsvExport):
    def __init__(self, db: Database, door: Door, practices: Practices, units: Units) -> None:
        self.db, self.door, self.practices, self.units = db, door, practices, units
        self._sizes: OrderedDict[tuple[Any, ...], tuple[str, ExportSize]] = OrderedDict()
        self._lock = threading.Lock()

    # -- export

    @contextmanager
    def export(
        self, unit_ids: Sequence[int] | None = None, *, actor: Actor | None = None
    ) -> Iterator[Export]:
        """The snapshots of the units (all when None: all the actor may export), with the
        tree and the catalogue, all read in one transaction: an import or a rename meanwhile
        cannot split the file. Paths in it are full paths (what an import needs)."""
        with self.door.read(actor, units=unit_ids or (), right=Right.EXPORT, anywhere=True) as conn:
            yield self._export_in(conn, self._exported(conn, unit_ids, actor))

    def _exported(
        self, conn: Connection, unit_ids: Sequence[int] | None, actor: Actor | None
    ) -> Sequence[int] | None:
        """The units an export of `unit_ids` holds: all the actor may export when None
        (None again when that is every unit). The caller has checked `unit_ids`."""
        if unit_ids is not None:
            return unit_ids
        scope = self.door.scope(conn, actor, Right.EXPORT)
        return None if scope is None else sorted(scope)

    def _export_in(self, conn: Connection, unit_ids: Sequence[int] | None) -> Export:
        return Export(
            self.units.tree_in(conn),
            self.practices.catalogue_in(conn, include_archived=True),
            snapshots.export_batches(conn, unit_ids),
        )

    def write_csv(
        self,
        out: BinaryIO,
        unit_ids: Sequence[int] | None = None,
        variant: CsvVariant = CsvVariant.PLAIN,
        lang: Lang = "sv",
        *,
        actor: Actor | None = None,
    ) -> int:
        """Stream the CSV of the units to `out`; returns the number of rows."""
        with self.export(unit_ids, actor=actor) as export:
            return writer.write_csv(export, out, variant, lang)

    def write_zip(
        self,
        out: BinaryIO,
        member: str,
        unit_ids: Sequence[int] | None = None,
        variant: CsvVariant = CsvVariant.PLAIN,
        lang: Lang = "sv",
        *,
        actor: Actor | None = None,
    ) -> int:
        """Stream a zip file holding the CSV of the units (as `member`) to `out`; returns the
        number of rows. The CSV is deflated as it is written, never whole anywhere. The
        actor needs the export right on the units (None: the units they may export)."""
        with (
            zipfile.ZipFile(
                out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL
            ) as archive,
            # Zip64: the size is not known in advance and may pass 2 GiB at national scale.
            archive.open(member, "w", force_zip64=True) as entry,
        ):
            return self.write_csv(cast(BinaryIO, entry), unit_ids, variant, lang, actor=actor)

    def download(
        self,
        unit_ids: Sequence[int] | None,
        variant: CsvVariant,
        lang: Lang,
        *,
        zipped: bool,
        member: str,
        actor: Actor | None = None,
    ) -> bytes:
        """The file of an in-app download: the CSV, or (zipped) a zip file holding it as
        `member`.

        Streamlit keeps a download's bytes in the server's memory and its download button
        takes only bytes (or a file object it reads whole), so this is the one copy: the file
        is streamed to a temporary file (`prepare_download`), never whole in memory while it
        is made, then read back in one piece of exactly its size. The temporary file is gone
        when this returns or raises."""
        with self.prepare_download(
            unit_ids, variant, lang, zipped=zipped, member=member, actor=actor
        ) as file:
            return file.read()

    def prepare_download(
        self,
        unit_ids: Sequence[int] | None,
        variant: CsvVariant,
        lang: Lang,
        *,
        zipped: bool,
        member: str,
        actor: Actor | None = None,
    ) -> BinaryIO:
        """The file of `download`, in an open temporary file at its start: the caller reads
        it (as often as it likes) and closes it. The file has no name in the folder where
        the system allows it (Linux), so nothing of it is left on disk once it is closed,
        or its process ends however it ends; closing it (or losing the last reference to
        it) frees its space."""
        file = tempfile.TemporaryFile(prefix="lartrappan-download-")  # noqa: SIM115 (returned open)
        try:
            if zipped:
                self.write_zip(file, member, unit_ids, variant, lang, actor=actor)
            else:
                self.write_csv(file, unit_ids, variant, lang, actor=actor)
            file.seek(0)
        except BaseException:
            file.close()
            raise
        return cast(BinaryIO, file)

    def export_size(
        self,
        unit_ids: Sequence[int] | None = None,
        variant: CsvVariant = CsvVariant.PLAIN,
        lang: Lang = "sv",
        *,
        actor: Actor | None = None,
    ) -> ExportSize:
        """How large the export of the units is, without making it: its rows by COUNT, its
        bytes exactly (written to a counter) up to EXACT_ROWS rows, beyond that estimated from
        the rows of SAMPLE_UNITS of its units; and whether its download comes zipped
        (`settings.zip_downloads_over_mb`). Kept while the units, practices and snapshots
        are unchanged. The actor needs the export right on the units (None: the size of
        what they may export)."""
        variant = CsvVariant(variant)
        with self.door.read(actor, units=unit_ids or (), right=Right.EXPORT, anywhere=True) as conn:
            unit_ids = self._exported(conn, unit_ids, actor)
            key = (None if unit_ids is None else tuple(unit_ids), variant, lang)
            revision = self.db.revisions(conn, _COUNTERS)
            with self._lock:
                found = self._sizes.get(key)
            if found is not None and found[0] == revision:
                size = found[1]
            else:
                size = self._measure(conn, unit_ids, variant, lang)
                with self._lock:
                    self._sizes[key] = (revision, size)
                    self._sizes.move_to_end(key)
                    while len(self._sizes) > CACHED_SIZES:
                        self._sizes.popitem(last=False)
        limit = settings.current().zip_downloads_over_mb
        return replace(
            size,
            zipped=size.csv_bytes > limit * 1024 * 1024,
            zip_over_mb=limit,
            revision=revision,
        )

    def _measure(
        self, conn: Connection, unit_ids: Sequence[int] | None, variant: CsvVariant, lang: Lang
    ) -> ExportSize:
        rows = snapshots.export_count(conn, unit_ids)
        exact = rows <= EXACT_ROWS
        sample = (
            unit_ids
            if exact
            else _spread(snapshots.units_with_snapshots(conn, unit_ids), SAMPLE_UNITS)
        )
        sink = _Measure()
        sampled = writer.write_csv(
            self._export_in(conn, sample), cast(BinaryIO, sink), variant, lang
        )
        sink.close()
        if exact or not sampled:
            return ExportSize(rows, sink.size, sink.packed + ZIP_OVERHEAD, exact=True)
        delimiter, bom, newline = VARIANTS[variant]
        head = len(bom) + len(format_row(COLUMNS, delimiter, newline).encode("utf-8"))
        size = head + round(rows * (sink.size - head) / sampled)
        packed = round(size * sink.packed / sink.size)
        return ExportSize(rows, size, packed + ZIP_OVERHEAD, exact=False)

    def export_filename(
        self,
        tree: UnitTree,
        unit_id: int | None,
        scope: Scope,
        variant: CsvVariant,
        lang: Lang,
        *,
        zipped: bool = False,
    ) -> str:
        """'lartrappan-<the unit, or "all">-<today>[-excel].csv' (.zip when zipped)."""
        if unit_id is None or scope == "all":
            name = writer.export_filename(t("data.file_all", lang), variant)
        else:
            name = writer.export_filename(tree.units[unit_id].name, variant)
        return f"{name.removesuffix('.csv')}.zip" if zipped else name

    def export_rows(
        self, unit_ids: Sequence[int] | None = None, *, actor: Actor | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every snapshot × practice of the units, one dict per row with the unit's path and
        the practice's Swedish title: for callers that want rows to look at."""
        with self.export(unit_ids, actor=actor) as export:
            titles = {p.id: p.title for p in export.catalogue.practices}
            for batch in export.batches:
                for r in batch.rows:
                    head = batch.snapshots[r.snapshot_id]
                    title = titles.get(r.practice_id)
                    yield {
                        "unit_path": export.tree.label(head.unit_id),
                        "taken_at": head.taken_at,
                        "saved_by": head.saved_by,
                        "comment": head.comment,
                        "catalogue_version": head.catalogue_version,
                        "step": r.step,
                        "practice_id": r.practice_id,
                        "practice_title": title.sv if title else "",
                        "status": r.status,
                        "note": r.note,
                    }

    # -- import

    def import_csv(self, actor: Actor, data: bytes) -> ImportResult:
        """Validate the whole file, then import it in one transaction (all or nothing)."""
        catalogue = self.practices.catalogue(include_archived=True, actor=actor)
        with reader.gc_paused():
            records = reader.parse_csv(data, catalogue, catalogue.practice_ids)
            with self.db.read() as conn:  # the whole tree: paths name units out of scope too
                check_archived_parents(self.units.tree_in(conn), records)
            return self.import_records(actor, records)

    def import_records(self, actor: Actor, records: Sequence[SnapshotRecord]) -> ImportResult:
        """Import snapshots in one transaction: all of them, or (on any problem) none.

        Units on the paths are created when missing. A snapshot identical to one already
        stored (same unit and moment, same content) is skipped, which makes importing a file
        twice harmless; one that differs is a conflict and rejects the whole import.

        In bulk: the units are read once, the stored snapshots of the units compared in a
        few queries, and the new snapshots and their practice rows written with one
        multi-row insert each (not a round trip per snapshot).
        """
        touches: list[str] = []
        """The counters to bump (read by the door when the block ends): only what changed,
        so that importing a file again leaves the database as it was, caches included."""
        with self.door.write(actor, "snapshot.import", touches=touches, unit=LATER) as conn:
            self._check_scope(conn, actor, records)
            known = self.practices.known_ids(conn)
            new_titles: dict[str, tuple[str, int]] = {}
            for record in records:
                for e in record.entries:
                    if e.practice_id not in known and e.practice_id not in new_titles:
                        new_titles[e.practice_id] = (
                            record.new_practice_titles.get(e.practice_id) or e.practice_id,
                            e.step,
                        )
            if new_titles:  # the catalogue is the whole database's
                self.door.check(conn, actor, "practice.add", None)
            practices.add_many(
                conn, ((pid, title, step) for pid, (title, step) in new_titles.items())
            )
            if new_titles:
                touches.append(PRACTICES_REVISION)

            paths = UnitPaths(conn)
            unit_ids = [paths.ensure(record.unit_path) for record in records]
            created = paths.write()  # in bulk; stand-in ids of new units → their real ids
            unit_ids = [created.get(u, u) for u in unit_ids]
            if paths.created:
                touches.append(UNITS_REVISION)
            stored = snapshots.stored_moments(conn, {u for u in unit_ids if u in paths.existing})
            fresh: dict[tuple[int, datetime], int] = {}
            """(unit, moment) → the index of the record that adds it."""
            compare: list[tuple[int, int | SnapshotRecord]] = []
            """Record index → the stored snapshot id or the earlier record it repeats."""
            for i, (record, unit_id) in enumerate(zip(records, unit_ids, strict=True)):
                key = (unit_id, record.taken_at)
                if key in stored:
                    compare.append((i, stored[key]))
                elif key in fresh:
                    compare.append((i, records[fresh[key]]))
                else:
                    fresh[key] = i
            contents = snapshots.stored_contents(
                conn, [c for _, c in compare if isinstance(c, int)]
            )
            problems = [
                Problem(
                    "import.conflict",
                    {
                        "unit": PATH_SEPARATOR.join(records[i].unit_path),
                        "date": records[i].taken_at.isoformat(),
                    },
                    row=records[i].rows[0],
                )
                for i, other in compare
                if records[i].content()
                != (contents[other] if isinstance(other, int) else other.content())
            ]
            if problems:
                raise ValidationError(problems)  # rolls the whole transaction back
            snapshots.insert_many(conn, [(key[0], records[i]) for key, i in fresh.items()])
            if fresh:
                touches.append(SNAPSHOTS_REVISION)
            touched = sorted({u for u, _ in fresh})
            self.door.audit(
                conn,
                after={
                    "snapshots": len(fresh),
                    "skipped": len(compare),
                    "units_created": paths.created,
                    "practices_created": sorted(new_titles),
                },
                unit=touched[0] if len(touched) == 1 else None,
            )
        return ImportResult(paths.created, len(fresh), len(compare), len(new_titles))

    def _check_scope(
        self, conn: Connection, actor: Actor, records: Sequence[SnapshotRecord]
    ) -> None:
        """An import touching any unit outside the actor's scope is refused whole: every
        path must name an existing unit they may edit, or, to create units, they must be
        allowed to on the whole database."""
        if self.door.allowed(conn, actor, Right.EDIT, None):  # the whole database
            self.door.check(conn, actor, "snapshot.import", None)
            return
        tree = self.units.tree_in(conn)
        for path in sorted({r.unit_path for r in records}):
            unit_id = tree.find(path)
            if unit_id is None:  # a unit to create: the structure, an admin's (returned above)
                raise PermissionDenied("unit.create", PATH_SEPARATOR.join(path))
            self.door.check(conn, actor, "snapshot.import", unit_id)
        if not records:
            self.door.check(conn, actor, "snapshot.import", None)
