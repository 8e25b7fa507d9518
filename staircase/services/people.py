"""People: roles granted by email on a unit (or the whole database), signing in (binding a
grant to the provider's identity at the first login), and personal data on request
(register extract, erasure by a stable pseudonym)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from staircase.domain.access import (
    Access,
    Grant,
    Right,
    Role,
    normal_email,
    parse_role,
)
from staircase.domain.model import Problem, ValidationError
from staircase.domain.moments import now
from staircase.domain.rules import check_person
from staircase.services.door import Actor, Door, as_json
from staircase.storage import audit as audit_log
from staircase.storage import people, units
from staircase.storage.database import Database
from staircase.storage.people import StoredGrant

PSEUDONYM = "Tidigare användare {n}"
"""What an erased person is called from then on, everywhere (stored text, Swedish)."""


@dataclass(frozen=True)
class Identity:
    """Who the identity provider says signed in (OpenID Connect claims)."""

    issuer: str
    subject: str
    email: str
    name: str = ""


class People:
    def __init__(self, db: Database, door: Door) -> None:
        self.db, self.door = db, door

    # -- roles

    def grants(self, actor: Actor | None = None) -> list[StoredGrant]:
        """Every grant, by email (admins only)."""
        with self.door.read(actor) as conn:
            self.door.require(conn, actor, Right.ADMIN, [None])
            return people.grants(conn)

    def grant(
        self, actor: Actor, email: str, role: Role | str, unit_id: int | None = None
    ) -> Grant:
        """Give the person (by email, bound at their first login) the role on the unit and
        everything under it; admin is always on the whole database. Granting what they
        already have changes nothing."""
        address = normal_email(email)
        chosen = parse_role(role) if isinstance(role, str) else role
        if chosen is Role.ADMIN and unit_id is not None:
            raise ValidationError(Problem("user.admin_unit"))
        if chosen is not Role.ADMIN and unit_id is None:
            raise ValidationError(Problem("user.unit_needed", {"role": chosen.value}))
        new = Grant(chosen, unit_id)
        with self.door.write(actor, "user.grant") as conn:
            if unit_id is not None:
                units.require_active(conn, unit_id)
            person = people.by_email(conn, address) or people.create(conn, address, now())
            if new in {g.grant for g in people.grants(conn, person.id)}:
                return new
            people.add_grant(conn, person.id, new, now(), actor.label)
            self.door.audit(
                conn,
                after={"email": address, "role": chosen.value, "unit_id": unit_id},
                unit=unit_id,
            )
        return new

    def revoke(
        self, actor: Actor, email: str, role: Role | str, unit_id: int | None = None
    ) -> None:
        """Take the role on the unit (None: on the whole database) from the person."""
        address = normal_email(email)
        chosen = parse_role(role) if isinstance(role, str) else role
        with self.door.write(actor, "user.revoke") as conn:
            person = people.by_email(conn, address)
            gone = people.remove_grant(conn, person.id, Grant(chosen, unit_id)) if person else 0
            if not gone:
                raise ValidationError(
                    Problem("user.no_such_grant", {"email": address, "role": chosen.value})
                )
            self.door.audit(
                conn,
                before={"email": address, "role": chosen.value, "unit_id": unit_id},
                unit=unit_id,
            )

    # -- signing in

    def sign_in(self, identity: Identity) -> Actor:
        """The actor for a signed-in person, with their grants (none: they may do nothing).

        At the first login the person granted by this email is bound to the identity
        (issuer and subject); from then on the identity finds them, whatever email the
        provider sends. A person bound to another identity is not taken over by an email.
        """
        name = identity.name.strip()[:80] or identity.email.strip()[:80]
        if check_person(name):
            name = "".join(c for c in name if c.isprintable())[:80]
        email = identity.email.strip().lower()
        with self.db.read() as conn:
            person = people.by_identity(conn, identity.issuer, identity.subject)
            unbound = None
            if person is None and email:
                found = people.by_email(conn, email)
                if found is not None and found.subject is None and found.erased_at is None:
                    unbound = found
        if person is None and unbound is not None:
            acting = Actor(name, email, Access(()))
            with self.door.write(acting, "user.bind") as conn:
                people.bind(conn, unbound.id, identity.issuer, identity.subject, now())
                if name:
                    people.set_name(conn, unbound.id, name)
                self.door.audit(conn, after={"email": email, "issuer": identity.issuer})
            person = unbound
        if person is None:
            return Actor(name, email, Access(()))
        with self.db.read() as conn:
            grants = tuple(g.grant for g in people.grants(conn, person.id))
        return Actor(name, email, Access(grants))

    # -- personal data

    def extract(self, actor: Actor | None, email: str, names: Sequence[str] = ()) -> dict[str, Any]:
        """Everything stored about the person (a register extract): their person record,
        roles, the audit records naming them, and the rows they are named as author of
        (by their name and any `names` they typed in the embedded mode)."""
        address = normal_email(email)
        with self.door.read(actor) as conn:
            self.door.require(conn, actor, Right.ADMIN, [None])
            person = people.by_email(conn, address)
            all_names = _names(person.name if person else "", names)
            records = [
                r
                for r in audit_log.find(conn)
                if r.email == address or (r.actor and r.actor in all_names)
            ]
            return {
                "email": address,
                "person": _plain(person),
                "roles": [_plain(g) for g in people.grants(conn, person.id)] if person else [],
                "authored": _plain(people.authored(conn, all_names)),
                "audit": [_plain(r) for r in records],
            }

    def erase(self, actor: Actor, email: str, names: Sequence[str] = ()) -> str:
        """Replace the person's name and email everywhere by a stable pseudonym
        ("Tidigare användare 7"), remove their roles and identity, keep every snapshot and
        the history; the erasure itself is audited (under the pseudonym). Returns it."""
        address = normal_email(email)
        with self.door.write(actor, "person.erase") as conn:
            person = people.by_email(conn, address)
            all_names = _names(person.name if person else "", names)
            if person is None and not all_names:
                raise ValidationError(Problem("person.unknown", {"email": address}))
            pseudonym = PSEUDONYM.format(n=people.erased_count(conn) + 1)
            if person is None:
                person = people.create(conn, address, now())
            placeholder = f"erased-{person.id}@invalid"
            people.remove_all_grants(conn, person.id)
            people.erase(conn, person.id, pseudonym, placeholder, now())
            changed = people.rename_author(conn, all_names, pseudonym)
            changed += audit_log.rename_person(conn, all_names, address, pseudonym)
            self.door.audit(conn, after={"pseudonym": pseudonym, "rows_changed": changed})
        return pseudonym


def _names(stored: str, typed: Sequence[str]) -> list[str]:
    return sorted({n.strip() for n in (stored, *typed) if n and n.strip()})


def _plain(value: Any) -> Any:
    import json

    text = as_json(value)
    return None if text is None else json.loads(text)
