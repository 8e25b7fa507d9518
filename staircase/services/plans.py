"""The improvement plan per practice: owner, due date and next action, each saved on its own
with the checklist's conflict protocol; evidence links; the open and overdue actions; and
the plan CSV (export, and import that sets owners, due dates and actions in bulk).

The protocol, as for status and note: every write names the revision of the practice's plan
the writer last saw (`based_on`). When someone else wrote in between, nothing is written and
PlanConflictError carries what is stored now (who, when, what); a second write, based on the
colleague's revision, overwrites it deliberately. None writes whatever is stored (scripts,
the CLI, an import).

The plan is working material with its own who and when: snapshots do not record it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import BinaryIO

from sqlalchemy import Connection

from staircase.csv import plan as plan_csv
from staircase.csv.checks import Problems
from staircase.csv.format import CsvVariant
from staircase.csv.reader import gc_paused
from staircase.csv.writer import export_filename
from staircase.domain.access import Right
from staircase.domain.model import Lang, NotFoundError, Problem, ValidationError
from staircase.domain.moments import now
from staircase.domain.plan import (
    Evidence,
    OpenAction,
    PlanConflictError,
    PlanItem,
    PracticePlan,
    UnitPlan,
    by_due,
    is_open,
    is_overdue,
)
from staircase.domain.rules import (
    check_action,
    check_evidence_description,
    check_evidence_url,
    check_owner,
)
from staircase.domain.units import UnitTree
from staircase.i18n import t
from staircase.services.csv_export import CsvExport
from staircase.services.door import LATER, Actor, Door
from staircase.services.practices import Practices
from staircase.services.units import Units
from staircase.storage import plans
from staircase.storage import units as unit_rows
from staircase.storage.database import Database


@dataclass(frozen=True)
class PlanImportResult:
    changed: int
    """Practices whose plan the file changed."""
    unchanged: int
    """Rows that say what is stored already (importing a file again changes nothing)."""


class Plans(CsvExport):
    def __init__(self, db: Database, door: Door, practices: Practices, units: Units) -> None:
        self.db, self.door, self.practices, self.units = db, door, practices, units

    # -- reading

    def of_unit(self, unit_id: int, *, actor: Actor | None = None) -> UnitPlan:
        """Each practice's plan item and evidence for a unit, read as one moment."""
        with self.door.read(actor, unit=unit_id) as conn:
            items, links = plans.load(conn, unit_id)
        evidence: dict[str, list[Evidence]] = {}
        for link in links:
            evidence.setdefault(link.practice_id, []).append(link)
        return UnitPlan(
            {
                pid: PracticePlan(items.get(pid) or PlanItem(pid), tuple(evidence.get(pid, ())))
                for pid in items.keys() | evidence.keys()
            }
        )

    def open_actions(
        self, unit_id: int, today: date | None = None, *, actor: Actor | None = None
    ) -> list[OpenAction]:
        """The unit's next actions whose practice is not done or not applicable, earliest
        due first (those without a due date last), each marked overdue when due before
        `today` (default: today)."""
        return self._actions([unit_id], today or now().date(), actor, overdue_only=False)

    def overdue(
        self, unit_id: int, today: date | None = None, *, actor: Actor | None = None
    ) -> list[OpenAction]:
        """The open actions due before `today` in the unit and every active unit under it,
        earliest first. Due today is not overdue yet. (A grant on the unit covers every unit
        under it, so the list holds only units the actor may read.)"""
        with self.door.read(actor, unit=unit_id) as conn:
            tree = self.units.tree_in(conn)  # cached until a unit changes
        if unit_id not in tree.units:
            raise NotFoundError(Problem("unit.unknown"))
        scope = [u for u in tree.subtree(unit_id) if not _archived_here(tree, u)]
        return self._actions(scope, today or now().date(), actor, overdue_only=True)

    def _actions(
        self, unit_ids: Sequence[int], today: date, actor: Actor | None, *, overdue_only: bool
    ) -> list[OpenAction]:
        """The callers name units the actor may read (checked here again); paths are shown
        as the actor sees the tree (nothing above their scope)."""
        with self.door.read(actor, units=unit_ids[:1]) as conn:
            tree = self.door.visible(conn, actor)
            catalogue = self.practices.catalogue_in(conn)
            found = plans.with_actions(conn, unit_ids, today if overdue_only else None)
        titles = {p.id: p.title for p in catalogue.practices}
        actions = [
            OpenAction(
                unit_id,
                tree.label(unit_id),
                tree.units[unit_id].name,
                item.practice_id,
                titles[item.practice_id],
                item.owner,
                item.due,
                item.action,
                is_overdue(item.due, today),
            )
            for unit_id, item, status in found
            if item.practice_id in titles and is_open(item, status)
        ]
        return sorted(actions, key=by_due)

    # -- writing, one field at a time

    def set_owner(
        self,
        actor: Actor,
        unit_id: int,
        practice_id: str,
        owner: str,
        based_on: int | None = None,
    ) -> PlanItem:
        """Set who owns the practice's next action ('' for nobody). Returns what is stored."""
        owner = owner.strip()
        if problems := check_owner(owner):
            raise ValidationError(problems)
        with self.door.write(actor, "plan.owner", unit=unit_id) as conn:
            current = self._current(conn, unit_id, practice_id, based_on)
            stored = plans.write(
                conn, unit_id, current, owner, current.due, current.action, actor.label
            )
            self.door.audit(conn, before=current, after=stored)
            return stored

    def set_due(
        self,
        actor: Actor,
        unit_id: int,
        practice_id: str,
        due: date | None,
        based_on: int | None = None,
    ) -> PlanItem:
        """Set the due date (None: none). A past date is allowed: the action is then overdue."""
        if isinstance(due, datetime):
            due = due.date()
        if due is not None and not isinstance(due, date):
            raise ValidationError(Problem("plan.due_invalid"))
        with self.door.write(actor, "plan.due", unit=unit_id) as conn:
            current = self._current(conn, unit_id, practice_id, based_on)
            stored = plans.write(
                conn, unit_id, current, current.owner, due, current.action, actor.label
            )
            self.door.audit(conn, before=current, after=stored)
            return stored

    def set_action(
        self,
        actor: Actor,
        unit_id: int,
        practice_id: str,
        action: str,
        based_on: int | None = None,
    ) -> PlanItem:
        """Set the next action ('' for none)."""
        action = action.strip()
        if problems := check_action(action):
            raise ValidationError(problems)
        with self.door.write(actor, "plan.action", unit=unit_id) as conn:
            current = self._current(conn, unit_id, practice_id, based_on)
            stored = plans.write(
                conn, unit_id, current, current.owner, current.due, action, actor.label
            )
            self.door.audit(conn, before=current, after=stored)
            return stored

    # -- evidence

    def add_evidence(
        self, actor: Actor, unit_id: int, practice_id: str, url: str, description: str
    ) -> Evidence:
        """Add a link (http or https, with a host) and what it shows."""
        url, description = url.strip(), description.strip()
        problems = check_evidence_url(url) + check_evidence_description(description)
        if problems:
            raise ValidationError(problems)
        with self.door.write(actor, "plan.evidence_add", unit=unit_id) as conn:
            self._current(conn, unit_id, practice_id, None)
            added = plans.add_evidence(conn, unit_id, practice_id, url, description, actor.label)
            self.door.audit(conn, after=added)
            return added

    def remove_evidence(self, actor: Actor, evidence_id: int) -> None:
        """Remove a link; one already removed (by a colleague, say) is refused."""
        with self.door.write(actor, "plan.evidence_remove", unit=LATER) as conn:
            found = plans.get_evidence(conn, evidence_id)
            if found is None:
                raise NotFoundError(Problem("plan.evidence_unknown"))
            self.door.check(conn, actor, "plan.evidence_remove", found.unit_id)
            unit_rows.require_active(conn, found.unit_id)
            plans.remove_evidence(conn, evidence_id)
            self.door.audit(conn, before=found, unit=found.unit_id)

    # -- the plan CSV

    def write_csv(
        self,
        out: BinaryIO,
        unit_ids: Sequence[int] | None = None,
        variant: CsvVariant = CsvVariant.PLAIN,
        lang: Lang = "sv",
        *,
        actor: Actor | None = None,
    ) -> int:
        """Write the plan CSV: a row for every active practice of every active unit of the
        scope, its plan filled in where there is one (a template to fill in bulk), in tree
        order. Returns the number of rows. An export: the actor needs the export right on
        the units (None: the units they may export)."""
        with self.door.read(actor, units=unit_ids or (), right=Right.EXPORT, anywhere=True) as conn:
            tree = self.units.tree_in(conn)  # cached until a unit changes
            catalogue = self.practices.catalogue_in(conn)
            scope = [u.id for u in tree.ordered()]
            allowed = self.door.scope(conn, actor, Right.EXPORT)
            if unit_ids is not None or allowed is not None:
                wanted = set(unit_ids) if unit_ids is not None else allowed
                assert wanted is not None
                scope = [u for u in scope if u in wanted]
            stored = dict(((u, item.practice_id), item) for u, item in plans.items_of(conn, scope))
        return plan_csv.write_plan_csv(
            (
                plan_csv.PlanExportRow(
                    tree.label(u),
                    p.id,
                    p.title(lang) or p.title.sv,
                    stored.get((u, p.id)) or PlanItem(p.id),
                )
                for u in scope
                for p in catalogue.practices
            ),
            out,
            variant,
        )

    def export_filename(self, scope_label: str, variant: CsvVariant, lang: Lang) -> str:
        """'lartrappan-plan-<the unit>-<today>[-excel].csv'."""
        return export_filename(f"{t('plan.file_prefix', lang)} {scope_label}", variant)

    def import_csv(self, actor: Actor, data: bytes) -> PlanImportResult:
        """Check the whole file, then set every row's owner, due date and next action in one
        transaction: all rows, or (on any problem) none. The units must exist and be active.
        Rows that say what is stored already are left alone."""
        with gc_paused():
            catalogue = self.practices.catalogue(actor=actor)
            rows = plan_csv.parse_plan_csv(data, catalogue.practice_ids)
        changed = unchanged = 0
        touched: set[int] = set()
        with self.door.write(actor, "plan.import", unit=LATER) as conn:
            tree = self.units.tree_in(conn)  # cached until a unit changes
            self._check_scope(conn, actor, tree, rows)
            self._check_units(conn, tree, rows)
            unit_of = {row.row: tree.find(row.unit_path) for row in rows}
            for row in rows:
                unit_id = unit_of[row.row]
                assert unit_id is not None
                current = plans.load_one(conn, unit_id, row.practice_id)
                owner, due, action = row.applied_to(current)
                if (owner, due, action) == (current.owner, current.due, current.action):
                    unchanged += 1
                    continue
                plans.write(conn, unit_id, current, owner, due, action, actor.label)
                touched.add(unit_id)
                changed += 1
            self.door.audit(
                conn,
                after={"changed": changed, "unchanged": unchanged, "units": sorted(touched)},
                unit=next(iter(touched)) if len(touched) == 1 else None,
            )
        return PlanImportResult(changed, unchanged)

    def _check_scope(
        self, conn: Connection, actor: Actor, tree: UnitTree, rows: Sequence[plan_csv.PlanRow]
    ) -> None:
        """A file touching any unit outside the actor's scope is refused whole (as a snapshot
        import is): the right is checked on every unit it names. A plan import creates no
        unit, so a path naming none is left to `_check_units` to refuse by row."""
        found = sorted({u for row in rows if (u := tree.find(row.unit_path)) is not None})
        for unit_id in found:
            self.door.check(conn, actor, "plan.import", unit_id)
        if not found:  # nothing in scope to check on: the whole database's right
            self._check_units(conn, tree, rows)  # names each unknown row first
            self.door.check(conn, actor, "plan.import", None)

    def _check_units(
        self, conn: Connection, tree: UnitTree, rows: Sequence[plan_csv.PlanRow]
    ) -> None:
        """Refuse the file, naming each row, when a unit it names is unknown or archived, or
        a practice was retired since the file was read."""
        problems = Problems()
        active = self.practices.active_ids(conn)
        for row in rows:
            found = tree.find(row.unit_path)
            if found is None:
                problems.add("plan.csv_unit_unknown", row=row.row, column="unit_path")
            elif _archived_here(tree, found):
                problems.add("plan.csv_unit_archived", row=row.row, column="unit_path")
            if row.practice_id not in active:
                problems.add(
                    "csv.practice_unknown",
                    row=row.row,
                    column="practice_id",
                    practice_id=row.practice_id,
                )
        problems.raise_if_any()

    def _current(
        self, conn: Connection, unit_id: int, practice_id: str, based_on: int | None
    ) -> PlanItem:
        """What is stored for the practice's plan, in the writing transaction; refuses an
        unknown or archived unit, an unknown or retired practice, and a write based on an
        old revision."""
        unit_rows.require_active(conn, unit_id)
        if practice_id not in self.practices.active_ids(conn):
            raise ValidationError(Problem("practice.unknown", {"practice_id": practice_id}))
        current = plans.load_one(conn, unit_id, practice_id)
        if based_on is not None and current.revision != based_on:
            raise PlanConflictError(current)
        return current


def _archived_here(tree: UnitTree, unit_id: int) -> bool:
    """Whether the unit or a unit above it is archived."""
    current: int | None = unit_id
    while current is not None:
        if tree.units[current].archived:
            return True
        current = tree.units[current].parent_id
    return False
