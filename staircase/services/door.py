"""The one door every change and every read of a unit's data goes through: it knows who is
acting, checks that they may, opens the transaction, bumps the cache counters of what the
change touched, and leaves one audit record in the same transaction.

How a service method declares its permission and its audit content:

- **A write** names its action and the unit it changes (`unit=None`, the default, means the
  whole database, which only a grant on the whole database covers):

      with self.door.write(actor, "target.set", unit=unit_id, touches=[...]) as conn:
          before = targets.get(conn, unit_id)
          targets.set(conn, unit_id, value)
          self.door.audit(conn, before=before, after=value)

  The action's right is looked up in `staircase.domain.access.ACTIONS` (one line per
  action); an action missing there is refused, so no write can skip its permission. The
  audit record (who, when, action, unit, before, after) is written when the block ends,
  in the same transaction; `door.audit(conn, …)` fills in before/after (anything JSON can
  carry: dataclasses, dates and enums are converted) and may name the unit when it is only
  known inside the transaction. A write whose unit is known only once it has read
  something (a snapshot's unit) passes `unit=LATER` and calls
  `self.door.check(conn, actor, action, unit_id)` before changing anything (a write that
  forgets is rolled back).
- **A read** of a unit's data names the unit(s) it reads and the right it needs
  (`Right.READ` unless it says otherwise, e.g. `Right.EXPORT`):

      with self.door.read(actor, unit=unit_id) as conn:      # or units=[...]
          return targets.of_unit(conn, unit_id)

  `actor` is a keyword argument of every public read, `None` by default: in the embedded
  mode and on the command line that is everyone with every right (as before logins); in
  login mode (`Door(db, login=True)`) a read or write without a signed-in actor is refused.
- `tests/test_access.py` calls every public read and write as each role, in and out of
  scope: a new method is one line there (and one in `tests/test_door.py`).
"""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection

from staircase.domain.access import Access, PermissionDenied, Right, right_of, visible_tree
from staircase.domain.model import ValidationError
from staircase.domain.moments import now
from staircase.domain.rules import check_person
from staircase.domain.units import UnitTree
from staircase.storage import audit as audit_log
from staircase.storage import units
from staircase.storage.database import Database
from staircase.storage.schema import UNITS_REVISION


@dataclass(frozen=True)
class Actor:
    """Who acts: the name shown as "changed by" (may be empty in the embedded mode, which
    asks no one to log in) and, in login mode, the signed-in person's email and grants."""

    name: str = ""
    email: str = ""
    access: Access | None = None
    """None: every right (the embedded mode and the command line); else the grants."""

    @property
    def label(self) -> str:
        return self.name.strip()

    @property
    def signed_in(self) -> bool:
        return self.access is not None


class _Later:
    def __repr__(self) -> str:
        return "LATER"


LATER = _Later()
"""`door.write(…, unit=LATER)`: the unit is known only inside the transaction; the service
calls `door.check(conn, actor, action, unit_id)` before changing anything (else the write
is rolled back)."""

SYSTEM = Actor()
"""Every right: what a read without an actor acts as outside login mode."""


@dataclass(frozen=True)
class Write:
    """One change that went through the door: what it was and who made it."""

    action: str
    actor: Actor
    unit_id: int | None = None
    before: Any = None
    after: Any = None


@dataclass
class _Open:
    """The audit content of a write still open on a connection."""

    unit_id: int | None
    before: Any = None
    after: Any = None
    checked: bool = True


class Door:
    def __init__(self, db: Database, login: bool = False) -> None:
        self.db = db
        self.login = login
        """Login mode: every read and write must come from a signed-in actor."""
        self._open: dict[int, _Open] = {}
        self._lock = threading.Lock()

    # -- who

    def _acting(self, actor: Actor | None) -> Actor:
        if actor is None or (self.login and not actor.signed_in):
            if self.login:
                raise PermissionDenied("sign-in")
            return SYSTEM
        return actor

    def tree(self, conn: Connection) -> UnitTree:
        """Every unit (the cached tree, read in the caller's transaction)."""
        return self.db.cached(conn, UNITS_REVISION, "unit_tree", units.load_tree)

    def allowed(
        self, conn: Connection, actor: Actor | None, right: Right, unit_id: int | None
    ) -> bool:
        actor = self._acting(actor)
        return actor.access is None or actor.access.may(right, unit_id, self.tree(conn))

    def require(
        self, conn: Connection, actor: Actor | None, right: Right, unit_ids: Iterable[int | None]
    ) -> None:
        """Refuse (PermissionDenied) unless the right holds on every unit named."""
        acting = self._acting(actor)
        if acting.access is None:
            return
        tree = self.tree(conn)
        for unit_id in unit_ids:
            if not acting.access.may(right, unit_id, tree):
                label = tree.label(unit_id) if unit_id is not None and unit_id in tree.units else ""
                raise PermissionDenied(right.value, label)

    def check(
        self, conn: Connection, actor: Actor | None, action: str, unit_id: int | None
    ) -> None:
        """The permission check of a write opened with `unit=LATER`, whose unit is known only
        inside its transaction: call it before changing anything (once per unit)."""
        self.require(conn, actor, right_of(action), [unit_id])
        if (pending := self._open.get(id(conn))) is not None:
            pending.checked = True

    def scope(
        self, conn: Connection, actor: Actor | None, right: Right = Right.READ
    ) -> set[int] | None:
        """The units the actor has the right on (None: every unit)."""
        acting = self._acting(actor)
        return None if acting.access is None else acting.access.scope(right, self.tree(conn))

    def visible(self, conn: Connection, actor: Actor | None) -> UnitTree:
        """The tree as the actor may see it (see `visible_tree`)."""
        return visible_tree(self.tree(conn), self.scope(conn, actor))

    # -- reads

    @contextmanager
    def read(
        self,
        actor: Actor | None,
        *,
        unit: int | None = None,
        units: Iterable[int] = (),
        right: Right = Right.READ,
        anywhere: bool = False,
    ) -> Iterator[Connection]:
        """A read transaction after checking `right` on `unit` and every one of `units`;
        with neither, on nothing in particular: `anywhere=True` asks only that the actor has
        the right somewhere (the catalogue), else no unit is checked (the caller checks)."""
        with self.db.read() as conn:
            acting = self._acting(actor)
            if anywhere and acting.access is not None and not acting.access.has(right):
                raise PermissionDenied(right.value)
            wanted = ([unit] if unit is not None else []) + list(units)
            if wanted:
                self.require(conn, acting, right, wanted)
            yield conn

    # -- writes

    @contextmanager
    def write(
        self,
        actor: Actor,
        action: str,
        *,
        touches: Collection[str] = (),
        unit: int | _Later | None = None,
        units: Iterable[int] = (),
    ) -> Iterator[Connection]:
        """A write transaction for `action` (e.g. 'unit.create') made by `actor` on `unit`
        (and every one of `units`; None and none: the whole database), committed when the
        block ends; the counters in `touches` are bumped in it, and the audit record
        written."""
        right = right_of(action)
        acting = self._acting(actor)
        problems = check_person(acting.name)
        if problems:
            raise ValidationError(problems)
        extra = list(units)
        later = unit is LATER
        with self.db.write() as conn:
            if right is not Right.SELF and not later:
                named = [unit, *extra] if (unit is not None or not extra) else extra
                self.require(conn, acting, right, named)  # type: ignore[arg-type]
            pending = _Open(None if later else unit)  # type: ignore[arg-type]
            pending.checked = not later
            with self._lock:
                self._open[id(conn)] = pending
            try:
                yield conn
                if not pending.checked:  # fail closed: rolls the write back
                    raise RuntimeError(f"{action}: unit=LATER but door.check was never called")
                for counter in touches:
                    self.db.bump(conn, counter)
                self.record(
                    conn, Write(action, acting, pending.unit_id, pending.before, pending.after)
                )
            finally:
                with self._lock:
                    self._open.pop(id(conn), None)

    def audit(
        self, conn: Connection, *, before: Any = None, after: Any = None, unit: int | None = None
    ) -> None:
        """Add what changed to the audit record of the write open on `conn`."""
        pending = self._open.get(id(conn))
        if pending is None:
            raise RuntimeError("door.audit outside door.write")
        if before is not None:
            pending.before = before
        if after is not None:
            pending.after = after
        if unit is not None:
            pending.unit_id = unit

    def record(self, conn: Connection, write: Write) -> None:
        """What every write leaves behind, in its own transaction: one audit record."""
        audit_log.append(
            conn,
            at=now(),
            actor=write.actor.label,
            email=write.actor.email,
            action=write.action,
            unit_id=write.unit_id,
            before=as_json(write.before),
            after=as_json(write.after),
        )


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def as_json(value: Any) -> str | None:
    """An audit record's before/after as JSON text (None stays NULL)."""
    if value is None:
        return None
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True, default=str)
