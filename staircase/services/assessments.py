"""Current-state assessments ("Nuläge"): saving one as a dated, immutable record, reading
them, their levels over time, and how the units under a unit stand in each area."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO, cast

import pandas as pd
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from staircase.csv import assessments as csvfile
from staircase.csv.checks import check_archived_parents
from staircase.csv.format import CsvVariant
from staircase.domain.access import PermissionDenied, Right
from staircase.domain.assessment import (
    AreaAnswer,
    AreaDistribution,
    Assessment,
    AssessmentContent,
    AssessmentModel,
    area_distribution,
    check_head,
    clean_content,
)
from staircase.domain.model import Lang, Problem, ValidationError
from staircase.domain.moments import now
from staircase.domain.rollup import day_end
from staircase.domain.rules import PATH_SEPARATOR
from staircase.domain.units import UnitTree
from staircase.services.csv_export import CsvExport
from staircase.services.door import LATER, Actor, Door
from staircase.services.rollup import Rollup
from staircase.storage import assessments as stored
from staircase.storage import units
from staircase.storage.database import Database
from staircase.storage.schema import UNITS_REVISION
from staircase.storage.units import UnitPaths


@dataclass(frozen=True)
class AssessmentImport:
    """What importing an assessment file did."""

    units_created: int
    assessments_created: int
    assessments_skipped: int


class Assessments(CsvExport):
    def __init__(self, db: Database, door: Door, rollup: Rollup, model: AssessmentModel) -> None:
        self.db, self.door, self.rollup, self.model = db, door, rollup, model

    def save(
        self,
        actor: Actor,
        unit_id: int,
        areas: Mapping[str, AreaAnswer],
        traits: Mapping[str, int],
        answers: Mapping[str, str],
        saved_by: str = "",
        comment: str = "",
        taken_at: datetime | None = None,
    ) -> Assessment:
        """Record the unit's current-state assessment, dated `taken_at` (default now; may be
        earlier, never later), in one transaction; refused whole, with every problem, when
        anything is wrong."""
        moment = (taken_at or now()).replace(microsecond=0)
        problems: list[Problem] = []
        if moment > now():
            problems.append(Problem("assessment.future", {"date": moment.isoformat(" ")}))
        problems += check_head(saved_by, comment)
        content, found = clean_content(self.model, areas, traits, answers)
        problems += found
        if problems:
            raise ValidationError(problems)
        head = Assessment(0, unit_id, moment, saved_by.strip(), comment.strip(), self.model.version)
        with self.door.write(actor, "assessment.save", unit=unit_id) as conn:
            units.require_active(conn, unit_id)
            if stored.at(conn, unit_id, moment) is not None:
                raise ValidationError(Problem("assessment.exists", {"date": moment.isoformat(" ")}))
            try:
                new_id = stored.insert_one(conn, head, content)
            except IntegrityError as exc:  # the unique (unit, moment): the database's guard
                raise ValidationError(
                    Problem("assessment.exists", {"date": moment.isoformat(" ")})
                ) from exc
            self.door.audit(conn, after={"assessment_id": new_id, "taken_at": moment})
        return Assessment(new_id, unit_id, moment, head.saved_by, head.comment, head.version)

    def delete(self, actor: Actor, assessment_id: int) -> Assessment:
        """Delete an assessment for good (a deliberate, confirmed act); returns what it was."""
        with self.door.write(actor, "assessment.delete", unit=LATER) as conn:
            self.door.check(
                conn, actor, "assessment.delete", stored.get(conn, assessment_id).unit_id
            )
            gone = stored.remove(conn, assessment_id)
            self.door.audit(conn, before=gone, unit=gone.unit_id)
            return gone

    def of_unit(self, unit_id: int, *, actor: Actor | None = None) -> list[Assessment]:
        """A unit's assessments, newest first."""
        with self.door.read(actor, unit=unit_id) as conn:
            return stored.of_units(conn, [unit_id])

    def get(
        self, assessment_id: int, *, actor: Actor | None = None
    ) -> tuple[Assessment, AssessmentContent]:
        """An assessment and what it holds."""
        with self.door.read(actor) as conn:
            head = stored.get(conn, assessment_id)
            self.door.require(conn, actor, Right.READ, [head.unit_id])
            return head, stored.contents(conn, [assessment_id])[assessment_id]

    def latest(
        self, unit_ids: Sequence[int], at: date | None = None, *, actor: Actor | None = None
    ) -> dict[int, tuple[Assessment, AssessmentContent]]:
        """Each unit's latest assessment by the end of `at` (default: any), with what it
        holds, by unit id; units without one are absent."""
        with self.door.read(actor, units=unit_ids) as conn:
            heads = stored.latest(conn, unit_ids, day_end(at) if at is not None else None)
            found = stored.contents(conn, [h.id for h in heads.values()])
        return {u: (h, found[h.id]) for u, h in heads.items()}

    def history(self, unit_ids: Sequence[int], *, actor: Actor | None = None) -> pd.DataFrame:
        """The level of every area in every assessment of the units, oldest first.

        Columns: unit_id, assessment_id, taken_at, area_id, level."""
        with self.door.read(actor, units=unit_ids) as conn:
            return stored.history(conn, unit_ids)

    def distribution(
        self, tree: UnitTree, unit_id: int, at: date | None = None, *, actor: Actor | None = None
    ) -> AreaDistribution:
        """Per area, how many of the units expected to assess themselves under `unit_id`
        (itself included; `Rollup.expected`) stand on each level by their latest assessment
        by the end of `at` (default today), and how many have not placed the area."""
        day = at or now().date()
        expected = self.rollup.expected(tree, unit_id, day, actor=actor)
        with self.door.read(actor, unit=unit_id) as conn:
            latest = stored.latest_levels(conn, expected, day_end(day))
        return area_distribution(self.model, unit_id, expected, latest)

    # -- CSV

    def write_csv(
        self,
        out: BinaryIO,
        unit_ids: Sequence[int] | None = None,
        variant: CsvVariant = CsvVariant.PLAIN,
        lang: Lang = "sv",
        *,
        actor: Actor | None = None,
    ) -> int:
        """Write the assessments of the units (all when None: all the actor may export) as
        CSV to `out`, by unit path and oldest first, all read in one transaction; returns
        the number of rows. An export: the actor needs the export right on the units."""
        with self.door.read(actor, units=unit_ids or (), right=Right.EXPORT, anywhere=True) as conn:
            if unit_ids is None:
                scope = self.door.scope(conn, actor, Right.EXPORT)
                unit_ids = None if scope is None else sorted(scope)
            tree = units.load_tree(conn)
            heads = stored.of_units(conn, unit_ids)
            found = stored.contents(conn, [h.id for h in heads])
        paths = {u: tree.label(u) for u in {h.unit_id for h in heads}}
        heads.sort(key=lambda h: (paths[h.unit_id].casefold(), h.unit_id, h.taken_at))
        items = ((paths[h.unit_id], h, found[h.id]) for h in heads)
        return csvfile.write_csv(items, self.model, out, variant, lang)

    def import_csv(self, actor: Actor, data: bytes) -> AssessmentImport:
        """Validate the whole file, then import it in one transaction (all or nothing).

        Units on the paths are created when missing. An assessment identical to one already
        stored (same unit and moment, same content) is skipped, so importing a file twice
        adds nothing; one that differs rejects the whole file (assessments never change)."""
        records = csvfile.parse_csv(data, self.model)
        with self.db.read() as conn:
            tree = units.load_tree(conn)
        # It reads only each record's unit_path and rows, which an assessment has too.
        check_archived_parents(tree, cast(Any, records))
        touches: list[str] = []
        with self.door.write(actor, "assessment.import", touches=touches, unit=LATER) as conn:
            self._check_scope(conn, actor, [r.unit_path for r in records])
            paths = UnitPaths(conn)
            unit_ids = [paths.ensure(r.unit_path) for r in records]
            created = paths.write()
            unit_ids = [created.get(u, u) for u in unit_ids]
            if paths.created:
                touches.append(UNITS_REVISION)
            moments = stored.stored_moments(conn, {u for u in unit_ids if u in paths.existing})
            same = stored.contents(conn, list(moments.values()))
            heads = {i: stored.get(conn, i) for i in moments.values()}
            fresh: list[tuple[Assessment, AssessmentContent]] = []
            skipped = 0
            problems = []
            for record, unit_id in zip(records, unit_ids, strict=True):
                found = moments.get((unit_id, record.taken_at))
                if found is None:
                    head = Assessment(
                        0,
                        unit_id,
                        record.taken_at,
                        record.saved_by,
                        record.comment,
                        record.version,
                    )
                    fresh.append((head, record.content))
                    continue
                old = heads[found]
                if (old.saved_by, old.comment, old.version, same[found]) == (
                    record.saved_by,
                    record.comment,
                    record.version,
                    record.content,
                ):
                    skipped += 1
                    continue
                problems.append(
                    Problem(
                        "acsv.conflict",
                        {
                            "unit": PATH_SEPARATOR.join(record.unit_path),
                            "date": record.taken_at.isoformat(),
                        },
                        row=record.rows[0],
                    )
                )
            if problems:
                raise ValidationError(problems)  # rolls the whole transaction back
            stored.insert_many(conn, fresh)
            touched = sorted({h.unit_id for h, _ in fresh})
            self.door.audit(
                conn,
                after={
                    "assessments": [
                        {"unit_id": h.unit_id, "taken_at": h.taken_at} for h, _ in fresh
                    ],
                    "skipped": skipped,
                    "units_created": paths.created,
                },
                unit=touched[0] if len(touched) == 1 else None,
            )
        return AssessmentImport(paths.created, len(fresh), skipped)

    def _check_scope(
        self, conn: Connection, actor: Actor, unit_paths: Sequence[tuple[str, ...]]
    ) -> None:
        """As a snapshot import's: a file touching any unit outside the actor's scope is
        refused whole; every path must name an existing unit they may edit, or, to create
        units, they must be allowed to on the whole database."""
        if self.door.allowed(conn, actor, Right.EDIT, None):  # the whole database
            self.door.check(conn, actor, "assessment.import", None)
            return
        tree = self.door.tree(conn)
        for path in sorted(set(unit_paths)):
            unit_id = tree.find(path)
            if unit_id is None:  # a unit to create: the structure, an admin's (returned above)
                raise PermissionDenied("unit.create", PATH_SEPARATOR.join(path))
            self.door.check(conn, actor, "assessment.import", unit_id)
        if not unit_paths:
            self.door.check(conn, actor, "assessment.import", None)
