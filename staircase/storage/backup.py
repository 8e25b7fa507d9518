"""Online backup and restore of the SQLite database, with SQLite's own backup API.

`backup` copies the live database to a file while the app keeps writing: the copy is one
consistent moment (SQLite copies every page inside a single read transaction; in WAL mode
writers carry on meanwhile). `restore` checks that a file is a sound Lärtrappan database
that this app can read, then copies it over the configured database in one transaction.

PostgreSQL has its own tools (pg_dump, pg_restore); these functions are for SQLite only.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from staircase.domain.model import Problem, ValidationError
from staircase.storage.migrations import SCHEMA_VERSION
from staircase.storage.schema import PRACTICES_REVISION, UNITS_REVISION, metadata

BUSY_TIMEOUT_S = 30.0
_COUNTED = ("unit", "snapshot", "practice_state", "custom_practice")
_SQLITE_HEADER = b"SQLite format 3\x00"


class NotSqliteError(ValueError):
    """The configured database is not an SQLite file (PostgreSQL: use pg_dump)."""

    def __init__(self, backend: str) -> None:
        super().__init__(backend)
        self.backend = backend


class DatabaseMissingError(FileNotFoundError):
    """The database to back up does not exist (yet)."""

    def __init__(self, path: Path) -> None:
        super().__init__(2, "No such database file", str(path))


@dataclass(frozen=True)
class Summary:
    """What a database file holds: its schema version and how many rows of each kind."""

    schema_version: int
    units: int
    snapshots: int
    practice_states: int
    custom_practices: int

    @property
    def empty(self) -> bool:
        return not (self.units or self.snapshots or self.practice_states or self.custom_practices)


def sqlite_file(url: str) -> Path:
    """The file behind an SQLite URL; NotSqliteError for any other database."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise NotSqliteError(backend if backend != "sqlite" else "sqlite (in memory)")
    return Path(parsed.database)


def backup(url: str, target: Path, *, force: bool = False) -> Summary:
    """Copy the database at `url` to `target`, consistently, while the app may be writing.

    The copy is written next to `target` and renamed into place only once it has passed
    `PRAGMA integrity_check`, so `target` is never left half-written. An existing `target`
    is only replaced with `force`.
    """
    source = sqlite_file(url)
    if not source.is_file():
        raise DatabaseMissingError(source)
    if target.exists() and _same_file(source, target):
        raise ValidationError(Problem("cli.backup.same_file", {"file": str(target)}))
    if target.exists() and not force:
        raise ValidationError(Problem("cli.backup.target_exists", {"file": str(target)}))
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        with _connect(source) as src, _connect(partial) as dst:
            # pages=-1: every page in one step, i.e. inside one read transaction of the
            # source: a copy of one moment, never restarted by the app's writes.
            src.backup(dst, pages=-1)
            # A plain single file (no -wal/-shm), which can be copied or mailed as it is.
            dst.execute("PRAGMA journal_mode=DELETE").fetchone()
            summary = _check(dst, target)
        _fsync(partial)
        os.replace(partial, target)
        _fsync(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    return summary


def restore(source: Path, url: str, *, force: bool = False) -> Summary:
    """Replace the database at `url` by the backup `source`, in one transaction.

    `source` must be a sound Lärtrappan database (integrity check ok, the app's tables, a
    schema version no newer than this app's). A target that already holds data is only
    overwritten with `force`. Stop the app first: its open sessions would otherwise see
    the data change under them.
    """
    target = sqlite_file(url)
    if not source.is_file():
        raise FileNotFoundError(2, "No such file", str(source))
    if target.exists() and _same_file(source, target):
        raise ValidationError(Problem("cli.backup.same_file", {"file": str(source)}))
    summary = inspect(source)
    if not force:
        in_the_way = _data_in_the_way(target)
        if in_the_way is not None:
            raise ValidationError(in_the_way)
    target.parent.mkdir(parents=True, exist_ok=True)
    before = _counters(target)
    staging = target.with_name(target.name + ".restoring")
    staging.unlink(missing_ok=True)
    try:
        with _connect(source, read_only=True) as src, _connect(staging) as stage:
            src.backup(stage, pages=-1)
            # Move the cache counters past both databases' values, so that a store that
            # cached the old unit tree or catalogue (a replica, an app left running) reloads.
            after = _counters_of(stage)
            with stage:
                for key in (UNITS_REVISION, PRACTICES_REVISION):
                    value = max(before.get(key, 0), after.get(key, 0)) + 1
                    stage.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value))
                    )
        with _connect(staging) as stage, _connect(target) as dst:
            # One step: the whole target is rewritten in a single write transaction, so a
            # crash leaves either the old database or the restored one.
            stage.backup(dst, pages=-1)
            _check(dst, target)
    finally:
        with contextlib.suppress(OSError):
            staging.unlink(missing_ok=True)
    return summary


def _counters(path: Path) -> dict[str, int]:
    """The cache revision counters in a database's meta table (none when unreadable)."""
    if not path.is_file() or path.stat().st_size == 0:
        return {}
    try:
        with _connect(path) as conn:
            return _counters_of(conn)
    except sqlite3.Error:
        return {}


def _counters_of(conn: sqlite3.Connection) -> dict[str, int]:
    rows = conn.execute(
        "SELECT key, value FROM meta WHERE key IN (?, ?)", (UNITS_REVISION, PRACTICES_REVISION)
    ).fetchall()
    return {key: int(value) for key, value in rows if str(value).isdigit()}


def inspect(path: Path) -> Summary:
    """Check, without writing to it, that `path` is a Lärtrappan database this app can open."""
    try:
        with _connect(path, read_only=True) as conn:
            return _check(conn, path)
    except sqlite3.DatabaseError as exc:
        with path.open("rb") as fh:
            is_sqlite = fh.read(len(_SQLITE_HEADER)) == _SQLITE_HEADER
        if is_sqlite:  # a database, but too broken even to check
            raise ValidationError(
                Problem("cli.backup.damaged", {"file": str(path), "reason": str(exc)})
            ) from None
        raise ValidationError(Problem("cli.backup.not_database", {"file": str(path)})) from None


def _check(conn: sqlite3.Connection, path: Path) -> Summary:
    """integrity_check, the app's tables and schema version, and the row counts."""
    result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise ValidationError(
            Problem("cli.backup.damaged", {"file": str(path), "reason": "; ".join(result[:3])})
        )
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "meta" not in tables or not set(_COUNTED) <= tables:
        raise ValidationError(Problem("cli.backup.not_lartrappan", {"file": str(path)}))
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row and str(row[0]).isdigit() else None
    if version is None:
        raise ValidationError(Problem("cli.backup.not_lartrappan", {"file": str(path)}))
    if version > SCHEMA_VERSION:
        raise ValidationError(
            Problem(
                "cli.backup.too_new",
                {"file": str(path), "found": version, "known": SCHEMA_VERSION},
            )
        )
    if version == SCHEMA_VERSION and not set(metadata.tables) <= tables:
        raise ValidationError(Problem("cli.backup.not_lartrappan", {"file": str(path)}))
    counts = [conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in _COUNTED]
    return Summary(version, *counts)


def _data_in_the_way(target: Path) -> Problem | None:
    """Why restoring over `target` needs --force: it holds data, or something unknown."""
    if not target.exists() or target.stat().st_size == 0:
        return None
    try:
        current = inspect(target)
    except ValidationError:
        return Problem("cli.restore.target_unknown", {"file": str(target)})
    if current.empty:
        return None
    return Problem(
        "cli.restore.target_has_data",
        {"file": str(target), "units": current.units, "snapshots": current.snapshots},
    )


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    if read_only:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S
        )
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
    try:
        yield conn
    finally:
        conn.close()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or a.samefile(b)
    except OSError:
        return False


def _fsync(path: Path) -> None:
    """Make a finished file (or a rename in a directory) durable before reporting success."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    try:
        fd = os.open(path, flags)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
