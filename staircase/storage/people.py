"""People and their roles: a grant names a person by email; the first login binds the
person to the provider's issuer and subject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Table, delete, func, insert, or_, select, update

from staircase.domain.access import Grant, Role
from staircase.storage.schema import (
    assessment,
    assessment_round,
    evidence,
    handbook_ambassador,
    handbook_answer,
    handbook_check,
    handbook_vision,
    person,
    plan_item,
    practice_state,
    role_grant,
    round_answer,
    snapshot,
    target,
)


@dataclass(frozen=True)
class Person:
    id: int
    email: str
    name: str
    issuer: str | None
    subject: str | None
    created_at: datetime
    bound_at: datetime | None
    erased_at: datetime | None


@dataclass(frozen=True)
class StoredGrant:
    id: int
    person_id: int
    email: str
    name: str
    role: Role
    unit_id: int | None
    granted_at: datetime
    granted_by: str

    @property
    def grant(self) -> Grant:
        return Grant(self.role, self.unit_id)


def by_email(conn: Connection, email: str) -> Person | None:
    row = conn.execute(select(person).where(person.c.email == email)).first()
    return Person(*row) if row is not None else None


def by_identity(conn: Connection, issuer: str, subject: str) -> Person | None:
    row = conn.execute(
        select(person).where(person.c.issuer == issuer, person.c.subject == subject)
    ).first()
    return Person(*row) if row is not None else None


def create(conn: Connection, email: str, at: datetime, name: str = "") -> Person:
    new_id = conn.execute(
        insert(person).values(email=email, name=name, created_at=at)
    ).inserted_primary_key[0]  # type: ignore[index]
    found = by_email(conn, email)
    assert found is not None and found.id == new_id
    return found


def bind(conn: Connection, person_id: int, issuer: str, subject: str, at: datetime) -> None:
    conn.execute(
        update(person)
        .where(person.c.id == person_id)
        .values(issuer=issuer, subject=subject, bound_at=at)
    )


def set_name(conn: Connection, person_id: int, name: str) -> None:
    conn.execute(update(person).where(person.c.id == person_id).values(name=name))


def erase(
    conn: Connection, person_id: int, pseudonym: str, placeholder_email: str, at: datetime
) -> None:
    conn.execute(
        update(person)
        .where(person.c.id == person_id)
        .values(name=pseudonym, email=placeholder_email, issuer=None, subject=None, erased_at=at)
    )


def erased_count(conn: Connection) -> int:
    return int(
        conn.execute(
            select(func.count()).select_from(person).where(person.c.erased_at.is_not(None))
        ).scalar_one()
    )


def _grants_query():  # type: ignore[no-untyped-def]
    g, p = role_grant.c, person.c
    return (
        select(g.id, g.person_id, p.email, p.name, g.role, g.unit_id, g.granted_at, g.granted_by)
        .join(person, person.c.id == g.person_id)
        .order_by(p.email, g.role, g.unit_id)
    )


def _stored(row: tuple) -> StoredGrant:  # type: ignore[type-arg]
    return StoredGrant(row[0], row[1], row[2], row[3], Role(row[4]), row[5], row[6], row[7])


def grants(conn: Connection, person_id: int | None = None) -> list[StoredGrant]:
    query = _grants_query()
    if person_id is not None:
        query = query.where(role_grant.c.person_id == person_id)
    return [_stored(tuple(row)) for row in conn.execute(query)]


def add_grant(conn: Connection, person_id: int, grant: Grant, at: datetime, by: str) -> None:
    conn.execute(
        insert(role_grant).values(
            person_id=person_id,
            role=grant.role.value,
            unit_id=grant.unit_id,
            granted_at=at,
            granted_by=by,
        )
    )


def remove_grant(conn: Connection, person_id: int, grant: Grant) -> int:
    g = role_grant.c
    unit_match = g.unit_id.is_(None) if grant.unit_id is None else g.unit_id == grant.unit_id
    return int(
        conn.execute(
            delete(role_grant).where(
                g.person_id == person_id, g.role == grant.role.value, unit_match
            )
        ).rowcount
        or 0
    )


def remove_all_grants(conn: Connection, person_id: int) -> int:
    return int(
        conn.execute(delete(role_grant).where(role_grant.c.person_id == person_id)).rowcount or 0
    )


# -- what is stored about a person elsewhere (register extract, erasure)


_AUTHORS: tuple[tuple[Table, tuple[str, ...], tuple[str, ...]], ...] = (
    (practice_state, ("updated_by",), ("unit_id", "practice_id", "updated_at")),
    (snapshot, ("saved_by",), ("id", "unit_id", "taken_at")),
    (target, ("set_by",), ("id", "unit_id", "set_at")),
    (assessment_round, ("opened_by", "closed_by"), ("id", "unit_id", "name", "opened_at")),
    (round_answer, ("saved_by",), ("round_id", "unit_id", "taken_at")),
    (plan_item, ("owner", "updated_by"), ("unit_id", "practice_id", "updated_at")),
    (evidence, ("added_by",), ("id", "unit_id", "practice_id", "added_at")),
    (assessment, ("saved_by",), ("id", "unit_id", "taken_at")),
    (handbook_answer, ("saved_by",), ("unit_id", "question_id", "saved_at")),
    (handbook_vision, ("saved_by",), ("unit_id", "saved_at")),
    # An ambassador's own name too: a third party the leader named (as a plan's owner).
    (handbook_ambassador, ("name", "saved_by"), ("id", "unit_id", "saved_at")),
    (handbook_check, ("saved_by",), ("unit_id", "point_id", "saved_at")),
)
"""Every column outside `person` and `audit` that holds a person's name (as author, or as
a plan's owner), with the columns that say which row it is: what a register extract lists
and an erasure pseudonymises. A new such column belongs here."""


def authored(conn: Connection, names: list[str]) -> dict[str, list[dict[str, object]]]:
    """The rows of every table in `_AUTHORS` that name one of `names`, by table."""
    found: dict[str, list[dict[str, object]]] = {}
    for table, columns, keys in _AUTHORS:
        if not names:
            found[table.name] = []
            continue
        c = table.c
        rows = conn.execute(
            select(*(c[k] for k in keys), *(c[n] for n in columns))
            .where(or_(*(c[n].in_(names) for n in columns)))
            .order_by(*(c[k] for k in keys))
        ).all()
        found[table.name] = [dict(r._mapping) for r in rows]
    return found


def rename_author(conn: Connection, names: list[str], pseudonym: str) -> int:
    """Replace `names` wherever a table in `_AUTHORS` names a person by `pseudonym`; the
    rows themselves (statuses, notes, plans, history) stay as they are."""

    if not names:
        return 0
    changed = 0
    for table, columns, _ in _AUTHORS:
        for column in columns:
            changed += (
                conn.execute(
                    update(table).where(table.c[column].in_(names)).values({column: pseudonym})
                ).rowcount
                or 0
            )
    return changed
