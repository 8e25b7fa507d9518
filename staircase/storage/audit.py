"""The audit trail: one row per write, appended in the write's own transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from staircase.storage.schema import audit


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    actor: str
    email: str
    action: str
    unit_id: int | None
    before: str | None
    after: str | None


def append(
    conn: Connection,
    *,
    at: datetime,
    actor: str,
    email: str,
    action: str,
    unit_id: int | None,
    before: str | None,
    after: str | None,
) -> None:
    conn.execute(
        insert(audit).values(
            at=at,
            actor=actor,
            email=email,
            action=action,
            unit_id=unit_id,
            before=before,
            after=after,
        )
    )


def find(
    conn: Connection,
    *,
    unit_ids: list[int] | None = None,
    person: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[AuditRecord]:
    """Records newest first; `person` matches the name or the email (case-insensitive,
    part of it); `until` is exclusive."""
    a = audit.c
    query = select(audit).order_by(a.at.desc(), a.id.desc())
    if unit_ids is not None:
        query = query.where(a.unit_id.in_(unit_ids))
    if person:
        pattern = f"%{person.strip().lower()}%"
        query = query.where(func.lower(a.actor).like(pattern) | func.lower(a.email).like(pattern))
    if since is not None:
        query = query.where(a.at >= since)
    if until is not None:
        query = query.where(a.at < until)
    if limit is not None:
        query = query.limit(limit)
    return [AuditRecord(*row) for row in conn.execute(query)]


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(audit)).scalar_one())


def prune(conn: Connection, before: datetime) -> int:
    """Remove the records older than `before`; returns how many."""
    return int(conn.execute(delete(audit).where(audit.c.at < before)).rowcount or 0)


def rename_person(conn: Connection, names: list[str], email: str, pseudonym: str) -> int:
    """Replace a person's name and email by a pseudonym in every record (erasure)."""
    a = audit.c
    matches = a.email == email if email else None
    if names:
        by_name = a.actor.in_(names)
        matches = by_name if matches is None else (matches | by_name)
    if matches is None:
        return 0
    changed = int(
        conn.execute(update(audit).where(matches).values(actor=pseudonym, email="")).rowcount or 0
    )
    # ... and inside the before/after values, where they appear as JSON strings
    new = json.dumps(pseudonym, ensure_ascii=False)
    for value in [email, *names] if email else names:
        old = json.dumps(value, ensure_ascii=False)
        for column in (a.before, a.after):
            changed += int(
                conn.execute(
                    update(audit)
                    .where(column.contains(old, autoescape=True))
                    .values({column.name: func.replace(column, old, new)})
                ).rowcount
                or 0
            )
    return changed
