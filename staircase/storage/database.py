"""One database: its engine, read and write transactions, and caches kept fresh by counters.

Only the door (`staircase.services.door`) opens write transactions; the storage modules
take the connection they are given and never commit themselves.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import DataError, OperationalError

from staircase.domain.model import BusyError, Problem, ValidationError
from staircase.storage.engine import make_engine
from staircase.storage.migrations import create_or_migrate, is_current
from staircase.storage.schema import meta

T = TypeVar("T")
_BUSY_SQLSTATES = {"55P03", "57014"}
"""PostgreSQL: lock_not_available (lock timeout), query_canceled (statement timeout)."""


class Database:
    """The engine of one database and its schema, opened (and migrated) once. Thread-safe:
    share one per process."""

    def __init__(self, url: str, busy_timeout_s: float = 30.0) -> None:
        self.url = url
        self.engine = make_engine(url, busy_timeout_s)
        self._cache: dict[str, tuple[str, Any]] = {}
        self._cache_lock = threading.Lock()
        self.migrations_run: list[str] = []
        """The names of the migration steps this opening ran (none: the schema was current)."""
        try:
            with self.read() as conn:
                # A current schema is the common case: opening then takes no write lock, so
                # the app (or the CLI) starts even while another process holds it.
                current = is_current(conn)
            if not current:
                with self.write() as conn:  # checked again under the lock: race-free
                    self.migrations_run = create_or_migrate(conn)
        except BaseException:
            self.engine.dispose()  # refused or failed (all rolled back): no connection left
            raise

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction holding the write lock; committed when the block ends."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(staircase_write=True)
                with conn.begin():
                    yield conn
        except DataError as exc:
            # A value the database itself refuses (PostgreSQL: text longer than its column, a
            # NUL character) is bad input like any other: rolled back, reported, not a crash.
            raise ValidationError(Problem("store.value_rejected")) from exc
        except OperationalError as exc:
            if _is_busy(exc):
                raise BusyError() from exc
            raise

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: everything read in it is one moment of the database."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                # Its default, READ COMMITTED, gives each statement a moment of its own.
                conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    def cached(
        self,
        conn: Connection,
        counter: str | tuple[str, ...],
        name: str,
        load: Callable[[Connection], T],
    ) -> T:
        """`load(conn)`, or the value cached under `name` while the counter (or every one
        of the counters) is unchanged."""
        revision = self.revisions(conn, (counter,) if isinstance(counter, str) else counter)
        with self._cache_lock:
            cached = self._cache.get(name)
        if cached is not None and cached[0] == revision:
            return cached[1]  # type: ignore[no-any-return]
        value = load(conn)  # read in the same transaction as the counter: consistent
        with self._cache_lock:
            self._cache[name] = (revision, value)
        return value

    @staticmethod
    def revisions(conn: Connection, counters: tuple[str, ...]) -> str:
        """The counters' values, as one string that changes when any of them does."""
        found = dict(
            conn.execute(select(meta.c.key, meta.c.value).where(meta.c.key.in_(counters))).all()
        )
        return ",".join(found[c] for c in counters)

    @staticmethod
    def bump(conn: Connection, counter: str) -> None:
        """Advance a revision counter in the writing transaction (see UNITS_REVISION)."""
        current = conn.execute(select(meta.c.value).where(meta.c.key == counter)).scalar_one()
        conn.execute(update(meta).where(meta.c.key == counter).values(value=str(int(current) + 1)))

    def close(self) -> None:
        self.engine.dispose()


def _is_busy(exc: OperationalError) -> bool:
    """Whether the database gave up waiting for another write's lock."""
    if getattr(exc.orig, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    code = getattr(exc.orig, "sqlite_errorcode", None)  # SQLITE_BUSY and its extended codes
    if code is not None and code & 0xFF == sqlite3.SQLITE_BUSY:
        return True
    return "database is locked" in str(exc.orig)
