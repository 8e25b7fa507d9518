"""Moving snapshots in and out: the CSV export (one read transaction, streamed) and the
import (validated whole, then written in one transaction: all or nothing)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO, Literal

from sqlalchemy import Connection

from staircase.csv import reader, writer
from staircase.csv.checks import check_archived_parents
from staircase.csv.format import CsvVariant
from staircase.domain.access import PermissionDenied, Right
from staircase.domain.catalogue import Catalogue
from staircase.domain.model import Lang, Problem, ValidationError
from staircase.domain.records import ImportResult, SnapshotRecord
from staircase.domain.rules import PATH_SEPARATOR
from staircase.domain.units import UnitTree
from staircase.i18n import t
from staircase.services.door import LATER, Actor, Door
from staircase.services.practices import Practices
from staircase.services.units import Units
from staircase.storage import practices, snapshots
from staircase.storage.database import Database
from staircase.storage.schema import PRACTICES_REVISION, SNAPSHOTS_REVISION, UNITS_REVISION
from staircase.storage.snapshots import ExportBatch
from staircase.storage.units import UnitPaths

Scope = Literal["unit", "subtree", "all"]


@dataclass(frozen=True)
class Export:
    """What an export reads, in one read transaction: the tree, the catalogue, the rows."""

    tree: UnitTree
    catalogue: Catalogue
    batches: Iterator[ExportBatch]


class Transfer:
    def __init__(self, db: Database, door: Door, practices: Practices, units: Units) -> None:
        self.db, self.door, self.practices, self.units = db, door, practices, units

    # -- export

    @contextmanager
    def export(
        self, unit_ids: Sequence[int] | None = None, *, actor: Actor | None = None
    ) -> Iterator[Export]:
        """The snapshots of the units (all when None: all the actor may export), with the
        tree and the catalogue, all read in one transaction: an import or a rename meanwhile
        cannot split the file. Paths in it are full paths (what an import needs)."""
        with self.door.read(actor, units=unit_ids or (), right=Right.EXPORT, anywhere=True) as conn:
            if unit_ids is None:
                scope = self.door.scope(conn, actor, Right.EXPORT)
                unit_ids = None if scope is None else sorted(scope)
            yield Export(
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

    def export_csv(
        self,
        unit_ids: Sequence[int] | None = None,
        variant: CsvVariant = CsvVariant.PLAIN,
        lang: Lang = "sv",
        *,
        actor: Actor | None = None,
    ) -> bytes:
        """The whole CSV as bytes (for a download button)."""
        out = io.BytesIO()
        self.write_csv(out, unit_ids, variant, lang, actor=actor)
        return out.getvalue()

    def export_filename(
        self, tree: UnitTree, unit_id: int | None, scope: Scope, variant: CsvVariant, lang: Lang
    ) -> str:
        """'lartrappan-<the unit, or "all">-<today>[-excel].csv'."""
        if unit_id is None or scope == "all":
            return writer.export_filename(t("data.file_all", lang), variant)
        return writer.export_filename(tree.units[unit_id].name, variant)

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
