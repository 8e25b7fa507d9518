"""The one door every change goes through: it knows who is acting, opens the transaction,
and bumps the cache counters of what the change touched.

A permission check and an audit record belong here, and nowhere else: every service method
that writes opens `door.write(actor, action, touches=…)` and does its work on the
connection it gets.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection

from staircase.domain.model import ValidationError
from staircase.domain.rules import check_person
from staircase.storage.database import Database


@dataclass(frozen=True)
class Actor:
    """Who makes a change: the name shown as "changed by" (may be empty in the embedded mode,
    which asks no one to log in)."""

    name: str = ""

    @property
    def label(self) -> str:
        return self.name.strip()


@dataclass(frozen=True)
class Write:
    """One change that went through the door: what it was and who made it."""

    action: str
    actor: Actor


class Door:
    def __init__(self, db: Database) -> None:
        self.db = db

    @contextmanager
    def write(
        self, actor: Actor, action: str, *, touches: Collection[str] = ()
    ) -> Iterator[Connection]:
        """A write transaction for `action` (e.g. 'unit.create') made by `actor`, committed
        when the block ends; the counters in `touches` are bumped in it."""
        problems = check_person(actor.name)
        if problems:
            raise ValidationError(problems)
        with self.db.write() as conn:
            yield conn
            for counter in touches:
                self.db.bump(conn, counter)
            self.record(conn, Write(action, actor))

    def record(self, conn: Connection, write: Write) -> None:
        """What every write leaves behind, in its own transaction. Nothing yet: the audit
        trail hangs here."""
