"""The audit trail as admins see it: filter by unit, person and period, export as CSV, and
prune records older than the retention an admin chooses (default: keep everything)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

from staircase.csv.format import escape_cell
from staircase.domain.access import Right
from staircase.domain.model import Problem, ValidationError
from staircase.domain.moments import now
from staircase.services.door import Actor, Door
from staircase.storage import audit as audit_log
from staircase.storage.audit import AuditRecord
from staircase.storage.database import Database

AUDIT_COLUMNS = ("at", "actor", "email", "action", "unit_id", "unit", "before", "after")


class AuditTrail:
    def __init__(self, db: Database, door: Door) -> None:
        self.db, self.door = db, door

    def records(
        self,
        actor: Actor | None = None,
        *,
        unit_id: int | None = None,
        subtree: bool = True,
        person: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int | None = None,
    ) -> list[AuditRecord]:
        """Newest first; the unit (and, with `subtree`, every unit under it), a person's
        name or email (part of it), the days from `since` to `until` inclusive. Admins only."""
        with self.door.read(actor) as conn:
            self.door.require(conn, actor, Right.ADMIN, [None])
            unit_ids = None
            if unit_id is not None:
                tree = self.door.tree(conn)
                unit_ids = tree.subtree(unit_id) if subtree and unit_id in tree.units else [unit_id]
            return audit_log.find(
                conn,
                unit_ids=unit_ids,
                person=person,
                since=datetime.combine(since, time()) if since else None,
                until=datetime.combine(until + timedelta(days=1), time()) if until else None,
                limit=limit,
            )

    def export_csv(self, actor: Actor | None = None, **filters: object) -> bytes:
        """The records as CSV (UTF-8 with BOM, for Excel too); text cells made inert."""
        found = self.records(actor, **filters)  # type: ignore[arg-type]
        with self.door.read(actor) as conn:
            tree = self.door.tree(conn)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(AUDIT_COLUMNS)
        for r in found:
            label = (
                tree.label(r.unit_id) if r.unit_id is not None and r.unit_id in tree.units else ""
            )
            writer.writerow(
                [escape_cell(str(v)) for v in (
                    r.at.isoformat(" "), r.actor, r.email, r.action,
                    "" if r.unit_id is None else r.unit_id, label, r.before or "", r.after or "",
                )]
            )  # fmt: skip
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def prune(self, actor: Actor, keep_days: int | None) -> int:
        """Remove records older than `keep_days` days (None: keep everything); returns how
        many. The pruning is itself recorded."""
        if keep_days is None:
            return 0
        if keep_days < 1:
            raise ValidationError(Problem("audit.bad_keep_days", {"days": keep_days}))
        cutoff = now() - timedelta(days=keep_days)
        with self.door.write(actor, "audit.prune") as conn:
            removed = audit_log.prune(conn, cutoff)
            self.door.audit(conn, after={"before": cutoff, "removed": removed})
        return removed
