"""The database engine and its dialects: SQLite (the embedded default) and PostgreSQL.

Every write transaction takes the write lock up front (SQLite: BEGIN IMMEDIATE; PostgreSQL:
one advisory lock), so concurrent sessions queue instead of failing half-way; a write that
waits longer than the busy timeout fails (and is reported as "busy, try again").
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from staircase.storage.migrations import SCHEMA_VERSION, SchemaTooNewError

PG_WRITE_LOCK = 0x4C415254  # "LART": the advisory lock key every write takes (any constant)
PG_STATEMENT_TIMEOUT = "5min"
"""The longest any one statement may run on PostgreSQL before it fails instead of hanging."""


def make_engine(url: str, busy_timeout_s: float = 30.0) -> Engine:
    """An engine tuned for its dialect (see the module docstring)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return _postgresql_engine(url, busy_timeout_s)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        # Refuse a newer database before the first connection switches it to WAL.
        found = sqlite_schema_version(Path(parsed.database))
        if found is not None and found > SCHEMA_VERSION:
            raise SchemaTooNewError(found)
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": busy_timeout_s, "check_same_thread": False}
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("staircase_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def sqlite_schema_version(path: Path) -> int | None:
    """The schema version stored in an SQLite file, read without writing a byte to it.

    None when the file is missing, is no database, or has no version (yet).
    """
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else None
    except (sqlite3.Error, ValueError):
        return None
    finally:
        conn.close()


def _postgresql_engine(url: str, busy_timeout_s: float) -> Engine:
    """PostgreSQL (psycopg 3), for several app processes or replicas sharing one database.

    Every write transaction first takes one transaction-level advisory lock, so writes run
    one at a time across all processes, as SQLite's BEGIN IMMEDIATE makes them do: the
    store's read-check-write sequences (sibling names, "a snapshot from that moment already
    exists", working-state revisions) then stay race-free between replicas without
    SERIALIZABLE retries. One global lock is plenty here: writes are a click or a form at
    human pace and take milliseconds (an import of a large file holds it for seconds).
    Reads take no lock and never wait for writes. The lock goes with the transaction's
    commit or rollback, also when a replica dies (its connection closes).
    """
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # A stuck lock or a runaway query becomes an error instead of a hang. Set for the
        # session, outside a transaction (a SET inside one would be undone by its rollback).
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = '{int(busy_timeout_s * 1000)}ms'")
            cursor.execute(f"SET statement_timeout = '{PG_STATEMENT_TIMEOUT}'")
        dbapi_connection.autocommit = autocommit

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("staircase_write", False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")

    return engine
