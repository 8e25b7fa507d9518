"""People and their roles: a grant names a person by email; the first login binds the
person to the provider's issuer and subject."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from staircase.domain.access import Grant, Role
from staircase.storage.schema import person, practice_state, role_grant, snapshot


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


def authored(conn: Connection, names: list[str]) -> dict[str, list[dict[str, object]]]:
    """The working-state rows and snapshots that name one of `names` as their author."""

    if not names:
        return {"practice_state": [], "snapshot": []}
    ps, s = practice_state.c, snapshot.c
    states = conn.execute(
        select(ps.unit_id, ps.practice_id, ps.updated_at, ps.updated_by)
        .where(ps.updated_by.in_(names))
        .order_by(ps.unit_id, ps.practice_id)
    ).all()
    snaps = conn.execute(
        select(s.id, s.unit_id, s.taken_at, s.saved_by).where(s.saved_by.in_(names)).order_by(s.id)
    ).all()
    return {
        "practice_state": [dict(r._mapping) for r in states],
        "snapshot": [dict(r._mapping) for r in snaps],
    }


def rename_author(conn: Connection, names: list[str], pseudonym: str) -> int:
    """Replace `names` as author of working-state rows and snapshots by `pseudonym`; the
    rows themselves (statuses, notes, history) stay as they are."""

    if not names:
        return 0
    changed = conn.execute(
        update(practice_state)
        .where(practice_state.c.updated_by.in_(names))
        .values(updated_by=pseudonym)
    ).rowcount
    changed += conn.execute(
        update(snapshot).where(snapshot.c.saved_by.in_(names)).values(saved_by=pseudonym)
    ).rowcount
    return int(changed or 0)
