"""Storage: the SQLAlchemy tables and every query and write the app, the CLI and the importer use.

SQLite by default (`data/staircase.db`), any SQLAlchemy URL through `STAIRCASE_DB_URL`, and
PostgreSQL (`postgresql+psycopg://…`) for several replicas sharing one database.
Every write is one transaction that takes the write lock up front (SQLite: BEGIN IMMEDIATE;
PostgreSQL: an advisory lock) so concurrent sessions queue instead of failing half-way.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    type_coerce,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DataError, IntegrityError

from staircase.catalogue import Catalogue, Practice, load_catalogue
from staircase.model import (
    STEPS,
    Dimension,
    PracticeState,
    Problem,
    Snapshot,
    SnapshotEntry,
    Status,
    Unit,
    ValidationError,
    now,
)
from staircase.model import Text as Texts
from staircase.scoring import Score, score, score_frame

SCHEMA_VERSION = 2
"""1: the first release; 2: practice_state.revision (conflict detection)."""
DEFAULT_DB_PATH = Path(__file__).resolve().parent.parent / "data" / "staircase.db"
NAME_MAX = 80
NOTE_MAX = 2000
UNITS_REVISION = "revision.units"
PRACTICES_REVISION = "revision.practices"
"""Counters in `meta`, bumped by every write to the units or the own practices, in the same
transaction: a cached unit tree or catalogue is reused while its counter is unchanged, in
this process and, with a shared database, across replicas."""
PATH_SEPARATOR = " > "
"""How a unit path is written: 'Norrby kommun > Vård och omsorg > Hemtjänst Norr'."""
EXPORT_BATCH_ROWS = 10_000
"""Rows per batch that `Store.export_batches` streams (memory stays flat at any size)."""
_IN_LIST_MAX = 5_000
"""Ids per IN list: far below SQLite's 32,766 bound parameters and PostgreSQL's 65,535."""
_MOMENT_CACHE = 4_096
_INSERT_BATCH = 50_000
"""Rows per multi-row insert of an import (memory stays flat, round trips few)."""
_PRACTICE_ROW = ("snapshot_id", "practice_id", "step", "status", "note")
_SNAPSHOT_ROW = ("unit_id", "taken_at", "saved_by", "comment", "catalogue_version", "created_at")

metadata = MetaData()
_STATUS_CHECK = "status IN ('not_started', 'in_progress', 'done', 'not_applicable')"

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
)

unit = Table(
    "unit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(NAME_MAX), nullable=False),
    Column("parent_id", Integer, ForeignKey("unit.id", ondelete="RESTRICT"), nullable=True),
    Column("archived_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Index("ix_unit_parent", "parent_id"),
)

custom_practice = Table(
    "custom_practice",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("step", Integer, CheckConstraint("step BETWEEN 1 AND 3"), nullable=False),
    Column("dimensions", String(64), nullable=False),
    Column("title_sv", String(200), nullable=False),
    Column("title_en", String(200), nullable=False),
    Column("description_sv", Text, nullable=False, default=""),
    Column("description_en", Text, nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("archived_at", DateTime, nullable=True),
)

practice_state = Table(
    "practice_state",
    metadata,
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
    Column("practice_id", String(64), primary_key=True),
    Column("status", String(20), CheckConstraint(_STATUS_CHECK), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", String(NAME_MAX), nullable=False, default=""),
    # Bumped by every write: a write that names the revision it was based on is refused
    # when someone else wrote in between (see ConflictError).
    Column("revision", Integer, nullable=False, default=0, server_default="0"),
)

snapshot = Table(
    "snapshot",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
    Column("taken_at", DateTime, nullable=False),
    Column("saved_by", String(NAME_MAX), nullable=False, default=""),
    Column("comment", Text, nullable=False, default=""),
    Column("catalogue_version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    # One snapshot per unit and moment: what makes re-importing a file a no-op.
    UniqueConstraint("unit_id", "taken_at", name="uq_snapshot_unit_time"),
)

snapshot_practice = Table(
    "snapshot_practice",
    metadata,
    Column(
        "snapshot_id",
        Integer,
        ForeignKey("snapshot.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("practice_id", String(64), primary_key=True),
    Column("step", Integer, CheckConstraint("step BETWEEN 1 AND 3"), nullable=False),
    Column("status", String(20), CheckConstraint(_STATUS_CHECK), nullable=False),
    Column("note", Text, nullable=False, default=""),
)


class SchemaTooNewError(RuntimeError):
    """The database was made by a newer version of the app; refusing to touch it."""

    def __init__(self, found: int, known: int = SCHEMA_VERSION) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"The database has schema version {found}; this app knows {known}. Upgrade the app."
        )


class ConflictError(ValidationError):
    """Someone else changed the practice after the writer loaded it; nothing was written.

    `current` is what is stored now (who changed it, when, to what)."""

    def __init__(self, current: PracticeState) -> None:
        when = current.updated_at.strftime("%Y-%m-%d %H:%M") if current.updated_at else ""
        who = current.updated_by or "–"
        super().__init__(Problem("state.conflict", {"who": who, "when": when}))
        self.current = current


def default_url() -> str:
    return os.environ.get("STAIRCASE_DB_URL") or f"sqlite:///{DEFAULT_DB_PATH}"


PG_WRITE_LOCK = 0x4C415254  # "LART": the advisory lock key every write takes (any constant)
PG_LOCK_TIMEOUT = "30s"
"""How long a PostgreSQL write waits for the write lock (SQLite's busy timeout is 30 s too)."""
PG_STATEMENT_TIMEOUT = "5min"
"""The longest any one statement may run on PostgreSQL before it fails instead of hanging."""


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return _postgresql_engine(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        # Refuse a newer database before the first connection switches it to WAL.
        found = sqlite_schema_version(Path(parsed.database))
        if found is not None and found > SCHEMA_VERSION:
            raise SchemaTooNewError(found)
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

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


def _postgresql_engine(url: str) -> Engine:
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
            cursor.execute(f"SET lock_timeout = '{PG_LOCK_TIMEOUT}'")
            cursor.execute(f"SET statement_timeout = '{PG_STATEMENT_TIMEOUT}'")
        dbapi_connection.autocommit = autocommit

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("staircase_write", False):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITE_LOCK})")

    return engine


# ---------------------------------------------------------------------------- unit tree


@dataclass(frozen=True)
class UnitTree:
    """All units, with their paths and subtrees; built from one query."""

    units: Mapping[int, Unit]

    def path(self, unit_id: int) -> tuple[str, ...]:
        names: list[str] = []
        current: int | None = unit_id
        while current is not None:
            u = self.units[current]
            names.append(u.name)
            current = u.parent_id
        return tuple(reversed(names))

    def label(self, unit_id: int) -> str:
        return PATH_SEPARATOR.join(self.path(unit_id))

    def short_label(self, unit_id: int) -> str:
        """'Hemtjänst Norr · Vård och omsorg': the name first, then where it sits."""
        unit = self.units[unit_id]
        if unit.parent_id is None:
            return unit.name
        return f"{unit.name} · {self.units[unit.parent_id].name}"

    @cached_property
    def _children(self) -> dict[int | None, list[Unit]]:
        """Parent id → its units sorted by name: built once, so walks stay linear."""
        index: dict[int | None, list[Unit]] = {}
        for u in sorted(self.units.values(), key=lambda u: u.name.casefold()):
            index.setdefault(u.parent_id, []).append(u)
        return index

    def children(self, unit_id: int | None) -> list[Unit]:
        return self._children.get(unit_id, [])

    def subtree(self, unit_id: int) -> list[int]:
        """The unit and all its descendants, depth first."""
        out = [unit_id]
        for child in self.children(unit_id):
            out.extend(self.subtree(child.id))
        return out

    def export_scope(self, unit_id: int | None, scope: str) -> list[int] | None:
        """The units an export covers: 'unit', 'subtree' (it and all under it), 'all' (None)."""
        if scope == "all" or unit_id is None:
            return None
        return [unit_id] if scope == "unit" else self.subtree(unit_id)

    @cached_property
    def _orders(self) -> dict[tuple[int | None, bool], tuple[Unit, ...]]:
        # Walks already made, by (root, include_archived): a cached tree answers each once.
        return {}

    def ordered(self, include_archived: bool = False, under: int | None = None) -> tuple[Unit, ...]:
        """Every unit (or `under` and every unit below it), depth first by name: the order
        of every unit list in the app. Computed once per tree."""
        key = (under, include_archived)
        if key not in self._orders:
            out: list[Unit] = []

            def walk(parent: int | None) -> None:
                for child in self.children(parent):
                    if include_archived or not child.archived:
                        out.append(child)
                        walk(child.id)

            if under is None:
                walk(None)
            elif include_archived or not self.units[under].archived:
                out.append(self.units[under])
                walk(under)
            self._orders[key] = tuple(out)
        return self._orders[key]

    def overview_scope(self, unit_id: int) -> int:
        """The unit an overview of `unit_id` covers: the unit itself when it has units under
        it (or is an organisation), else its parent (a unit among its siblings)."""
        u = self.units[unit_id]
        return unit_id if self.children(unit_id) or u.parent_id is None else u.parent_id

    def short_labels(self, unit_ids: Iterable[int]) -> dict[int, str]:
        """Unit id → `short_label`, in the order given."""
        return {i: self.short_label(i) for i in unit_ids}

    def root_of(self, unit_id: int) -> int:
        """The top of the unit's tree: its organisation (municipality, region, ...)."""
        while (parent := self.units[unit_id].parent_id) is not None:
            unit_id = parent
        return unit_id

    def roots(self, include_archived: bool = False) -> list[Unit]:
        return [u for u in self.children(None) if include_archived or not u.archived]

    def find(self, path: Sequence[str]) -> int | None:
        parent: int | None = None
        for name in path:
            match = [u for u in self.children(parent) if _same_name(u.name, name)]
            if not match:
                return None
            parent = match[0].id
        return parent


def _same_name(a: str, b: str) -> bool:
    # NFC: "å" typed as one code point or as "a" + combining ring is the same name.
    def key(s: str) -> str:
        return unicodedata.normalize("NFC", s.strip()).casefold()

    return key(a) == key(b)


def validate_unit_name(name: str) -> list[Problem]:
    """What is wrong with a unit name, if anything (siblings are checked by the store)."""
    cleaned = name.strip()
    if not cleaned:
        return [Problem("unit.name_empty")]
    problems = []
    if len(cleaned) > NAME_MAX:
        problems.append(Problem("unit.name_too_long", {"max": NAME_MAX, "length": len(cleaned)}))
    if ">" in cleaned:
        problems.append(Problem("unit.name_has_separator"))
    if any(unicodedata.category(c) == "Cc" for c in cleaned):
        problems.append(Problem("unit.name_control_char"))
    return problems


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40] or "practice"


# ---------------------------------------------------------------------------- the store


@dataclass(frozen=True)
class ImportResult:
    units_created: int
    snapshots_created: int
    snapshots_skipped: int
    practices_created: int


@dataclass(frozen=True)
class SnapshotRecord:
    """A snapshot read from a file, ready to import; `rows` are its file lines, for messages."""

    unit_path: tuple[str, ...]
    taken_at: datetime
    saved_by: str
    comment: str
    catalogue_version: int
    entries: tuple[SnapshotEntry, ...]
    rows: tuple[int, ...]
    new_practice_titles: Mapping[str, str]
    """Titles of custom practices the file uses, by id, for those this database lacks."""


@dataclass(frozen=True)
class ExportBatch:
    """A batch of export rows and the snapshots they belong to (see `Store.export_batches`)."""

    snapshots: Mapping[int, Any]
    """Snapshot id → (id, unit_id, taken_at, saved_by, comment, catalogue_version)."""
    rows: Sequence[Any]
    """(snapshot_id, step, practice_id, status, note), in file order."""


class Store:
    """The one gateway to the database. Thread-safe: share one per process."""

    def __init__(self, url: str | None = None, shipped: Catalogue | None = None) -> None:
        self.url = url or default_url()
        self.engine = make_engine(self.url)
        self.shipped = shipped or load_catalogue()
        self._cache: dict[str, tuple[str, Any]] = {}
        self._cache_lock = threading.Lock()
        self._create_schema()

    # -- plumbing

    def _create_schema(self) -> None:
        with self._write() as conn:
            # The version first: a newer database is refused before any table is created.
            found = None
            if inspect(conn).has_table("meta"):
                found = conn.execute(
                    select(meta.c.value).where(meta.c.key == "schema_version")
                ).scalar_one_or_none()
            if found is not None and int(found) > SCHEMA_VERSION:
                raise SchemaTooNewError(int(found))
            metadata.create_all(conn)
            if found is None:
                conn.execute(insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
            elif int(found) < SCHEMA_VERSION:
                _migrate(conn, int(found))
            present = set(conn.execute(select(meta.c.key)).scalars())
            for key in (UNITS_REVISION, PRACTICES_REVISION):
                if key not in present:
                    conn.execute(insert(meta).values(key=key, value="0"))

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                conn.execution_options(staircase_write=True)
                with conn.begin():
                    yield conn
        except DataError as exc:
            # A value the database itself refuses (PostgreSQL: text longer than its column, a
            # NUL character) is bad input like any other: rolled back, reported, not a crash.
            raise ValidationError(Problem("store.value_rejected")) from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    # -- catalogue

    def _cached(self, conn: Connection, counter: str, name: str, load: Any) -> Any:
        """`load(conn)`, or the value cached under `name` while `counter` is unchanged."""
        revision = conn.execute(select(meta.c.value).where(meta.c.key == counter)).scalar_one()
        with self._cache_lock:
            cached = self._cache.get(name)
        if cached is not None and cached[0] == revision:
            return cached[1]
        value = load(conn)  # read in the same transaction as the counter: consistent
        with self._cache_lock:
            self._cache[name] = (revision, value)
        return value

    def catalogue(self, include_archived: bool = False) -> Catalogue:
        """The shipped catalogue plus this organisation's own practices."""

        def load(conn: Connection) -> Catalogue:
            query = select(custom_practice).order_by(custom_practice.c.created_at)
            if not include_archived:
                query = query.where(custom_practice.c.archived_at.is_(None))
            rows = conn.execute(query).mappings().all()
            return self.shipped.with_custom(_custom_practice(r) for r in rows)

        with self._read() as conn:
            result: Catalogue = self._cached(
                conn, PRACTICES_REVISION, f"catalogue:{include_archived}", load
            )
        return result

    def add_custom_practice(
        self,
        step: int,
        title_sv: str,
        title_en: str = "",
        description_sv: str = "",
        description_en: str = "",
        dimensions: Iterable[Dimension | str] = (),
    ) -> Practice:
        problems = []
        if step not in STEPS:
            problems.append(Problem("practice.bad_step", {"step": step}))
        if not title_sv.strip():
            problems.append(Problem("practice.title_empty"))
        elif len(title_sv.strip()) > 200 or len(title_en.strip()) > 200:
            problems.append(Problem("practice.title_too_long", {"max": 200}))
        dims = []
        for d in dimensions:
            try:
                dims.append(Dimension(d))
            except ValueError:
                problems.append(Problem("practice.bad_dimension", {"dimension": d}))
        if not dims and not any(p.key == "practice.bad_dimension" for p in problems):
            problems.append(Problem("practice.no_dimension"))
        if problems:
            raise ValidationError(problems)
        with self._write() as conn:
            taken = set(self.shipped.practice_ids) | set(
                conn.execute(select(custom_practice.c.id)).scalars()
            )
            new_id = _free_id(f"custom-{_slug(title_sv)}", taken)
            conn.execute(
                insert(custom_practice).values(
                    id=new_id,
                    step=step,
                    dimensions=",".join(d.value for d in dims),
                    title_sv=title_sv.strip(),
                    title_en=title_en.strip() or title_sv.strip(),
                    description_sv=description_sv.strip(),
                    description_en=description_en.strip() or description_sv.strip(),
                    created_at=now(),
                )
            )
            _bump(conn, PRACTICES_REVISION)
        return self.catalogue().practice(new_id)

    def archive_custom_practice(self, practice_id: str) -> None:
        with self._write() as conn:
            done = conn.execute(
                update(custom_practice)
                .where(custom_practice.c.id == practice_id)
                .values(archived_at=now())
            )
            if not done.rowcount:
                raise ValidationError(Problem("practice.unknown", {"practice_id": practice_id}))
            _bump(conn, PRACTICES_REVISION)

    # -- units

    def unit_tree(self) -> UnitTree:
        """Every unit; reused (one small query) until a unit is created, renamed or archived."""

        def load(conn: Connection) -> UnitTree:
            rows = conn.execute(
                select(unit.c.id, unit.c.name, unit.c.parent_id, unit.c.archived_at)
            )
            return UnitTree(
                {r.id: Unit(r.id, r.name, r.parent_id, r.archived_at is not None) for r in rows}
            )

        with self._read() as conn:
            tree: UnitTree = self._cached(conn, UNITS_REVISION, "unit_tree", load)
        return tree

    def has_units(self) -> bool:
        with self._read() as conn:
            return conn.execute(select(unit.c.id).limit(1)).first() is not None

    def create_unit(self, name: str, parent_id: int | None = None) -> Unit:
        with self._write() as conn:
            return self._create_unit(conn, name, parent_id)

    def _create_unit(self, conn: Connection, name: str, parent_id: int | None) -> Unit:
        name = name.strip()
        problems = validate_unit_name(name)
        if parent_id is not None:
            parent = conn.execute(select(unit.c.archived_at).where(unit.c.id == parent_id)).first()
            if parent is None:
                problems.append(Problem("unit.parent_unknown"))
            elif parent.archived_at is not None:
                problems.append(Problem("unit.parent_archived"))
        if not problems:
            problems += self._sibling_clash(conn, name, parent_id, None)
        if problems:
            raise ValidationError(problems)
        new_id = conn.execute(
            insert(unit)
            .values(name=name, parent_id=parent_id, created_at=now())
            .returning(unit.c.id)
        ).scalar_one()
        _bump(conn, UNITS_REVISION)
        return Unit(new_id, name, parent_id, False)

    def _sibling_clash(
        self, conn: Connection, name: str, parent_id: int | None, unit_id: int | None
    ) -> list[Problem]:
        parent_clause = (
            unit.c.parent_id.is_(None) if parent_id is None else unit.c.parent_id == parent_id
        )
        siblings = conn.execute(select(unit.c.id, unit.c.name).where(parent_clause))
        if any(r.id != unit_id and _same_name(r.name, name) for r in siblings):
            return [Problem("unit.name_taken", {"name": name})]
        return []

    def rename_unit(self, unit_id: int, name: str) -> None:
        name = name.strip()
        with self._write() as conn:
            row = conn.execute(select(unit.c.parent_id).where(unit.c.id == unit_id)).first()
            if row is None:
                raise ValidationError(Problem("unit.unknown"))
            problems = validate_unit_name(name) or self._sibling_clash(
                conn, name, row.parent_id, unit_id
            )
            if problems:
                raise ValidationError(problems)
            conn.execute(update(unit).where(unit.c.id == unit_id).values(name=name))
            _bump(conn, UNITS_REVISION)

    def set_archived(self, unit_id: int, archived: bool) -> None:
        """Archive (or restore) a unit together with every unit under it, in one transaction."""
        with self._write() as conn:
            tree = UnitTree(
                {
                    r.id: Unit(r.id, r.name, r.parent_id, r.archived_at is not None)
                    for r in conn.execute(select(unit))
                }
            )
            if unit_id not in tree.units:
                raise ValidationError(Problem("unit.unknown"))
            if not archived:
                parent = tree.units[unit_id].parent_id
                if parent is not None and tree.units[parent].archived:
                    raise ValidationError(Problem("unit.parent_archived"))
            conn.execute(
                update(unit)
                .where(unit.c.id.in_(tree.subtree(unit_id)))
                .values(archived_at=now() if archived else None)
            )
            _bump(conn, UNITS_REVISION)

    # -- working state

    def working_state(self, unit_id: int) -> dict[str, PracticeState]:
        """Each practice's current state for a unit; practices never touched are absent."""
        with self._read() as conn:
            rows = conn.execute(select(practice_state).where(practice_state.c.unit_id == unit_id))
            return {r.practice_id: _practice_state(r) for r in rows}

    def set_status(
        self,
        unit_id: int,
        practice_id: str,
        status: Status,
        by: str = "",
        note: str | None = None,
        expected_revision: int | None = None,
    ) -> PracticeState:
        """Set one practice's status (and its note, when given, in the same transaction).

        'Not applicable' needs a justification in the note. With `expected_revision` (the
        revision the writer saw), a practice changed by someone else since is not
        overwritten: ConflictError says who changed it and when. Returns what is stored.
        """
        status = Status(status)
        if note is not None and len(note.strip()) > NOTE_MAX:
            raise ValidationError(Problem("state.note_too_long", {"max": NOTE_MAX}))
        with self._write() as conn:
            current = self._state_for_write(conn, unit_id, practice_id, expected_revision)
            new_note = current.note if note is None else note.strip()
            if status is Status.NOT_APPLICABLE and not new_note.strip():
                raise ValidationError(Problem("state.na_needs_note"))
            return self._upsert_state(conn, unit_id, current, status, new_note, by)

    def set_note(
        self,
        unit_id: int,
        practice_id: str,
        note: str,
        by: str = "",
        expected_revision: int | None = None,
    ) -> PracticeState:
        """Set one practice's note; `expected_revision` as for set_status."""
        note = note.strip()
        if len(note) > NOTE_MAX:
            raise ValidationError(Problem("state.note_too_long", {"max": NOTE_MAX}))
        with self._write() as conn:
            current = self._state_for_write(conn, unit_id, practice_id, expected_revision)
            if current.status is Status.NOT_APPLICABLE and not note:
                raise ValidationError(Problem("state.na_needs_note"))
            return self._upsert_state(conn, unit_id, current, current.status, note, by)

    def _state_for_write(
        self,
        conn: Connection,
        unit_id: int,
        practice_id: str,
        expected_revision: int | None = None,
    ) -> PracticeState:
        found = conn.execute(select(unit.c.archived_at).where(unit.c.id == unit_id)).first()
        if found is None:
            raise ValidationError(Problem("unit.unknown"))
        if found.archived_at is not None:
            raise ValidationError(Problem("unit.archived"))
        if practice_id not in self._active_practice_ids(conn):
            raise ValidationError(Problem("practice.unknown", {"practice_id": practice_id}))
        row = conn.execute(
            select(practice_state).where(
                practice_state.c.unit_id == unit_id, practice_state.c.practice_id == practice_id
            )
        ).first()
        current = PracticeState(practice_id) if row is None else _practice_state(row)
        if expected_revision is not None and current.revision != expected_revision:
            raise ConflictError(current)
        return current

    def _active_practice_ids(self, conn: Connection) -> set[str]:
        custom = conn.execute(
            select(custom_practice.c.id).where(custom_practice.c.archived_at.is_(None))
        ).scalars()
        return {*self.shipped.practice_ids, *custom}

    @staticmethod
    def _upsert_state(
        conn: Connection,
        unit_id: int,
        current: PracticeState,
        status: Status,
        note: str,
        by: str,
    ) -> PracticeState:
        """Write a practice's state over `current` (read in the same transaction)."""
        stored = PracticeState(
            current.practice_id, status, note, now(), by.strip(), current.revision + 1
        )
        values = {
            "status": status.value,
            "note": note,
            "updated_at": stored.updated_at,
            "updated_by": stored.updated_by,
            "revision": stored.revision,
        }
        key = (practice_state.c.unit_id == unit_id) & (
            practice_state.c.practice_id == current.practice_id
        )
        if current.revision:
            conn.execute(update(practice_state).where(key).values(**values))
        else:
            conn.execute(
                insert(practice_state).values(
                    unit_id=unit_id, practice_id=current.practice_id, **values
                )
            )
        return stored

    def replace_working_state(
        self, unit_id: int, states: Iterable[PracticeState], by: str = ""
    ) -> None:
        """Set many practices of a unit at once (demo data, restoring from a snapshot)."""
        states = list(states)
        problems = [
            Problem("state.na_needs_note")
            for s in states
            if s.status is Status.NOT_APPLICABLE and not s.note.strip()
        ] + [
            Problem("state.note_too_long", {"max": NOTE_MAX})
            for s in states
            if len(s.note.strip()) > NOTE_MAX
        ]
        if problems:
            raise ValidationError(problems[:1])
        with self._write() as conn:
            for s in states:
                current = self._state_for_write(conn, unit_id, s.practice_id)
                self._upsert_state(conn, unit_id, current, s.status, s.note.strip(), by)

    def current_score(self, unit_id: int) -> Score:
        """The unit's working state scored against the active catalogue."""
        return score_working_state(self.catalogue(), self.working_state(unit_id))

    # -- snapshots

    def save_snapshot(
        self,
        unit_id: int,
        saved_by: str = "",
        comment: str = "",
        taken_at: datetime | None = None,
    ) -> Snapshot:
        """Record the unit's working state, as it is at this moment, as an immutable snapshot."""
        moment = (taken_at or now()).replace(microsecond=0)
        problems = []
        if moment > now():
            problems.append(Problem("snapshot.future", {"date": moment.isoformat(" ")}))
        if len(saved_by.strip()) > NAME_MAX:
            problems.append(Problem("snapshot.saved_by_too_long", {"max": NAME_MAX}))
        if len(comment.strip()) > NOTE_MAX:
            problems.append(Problem("snapshot.comment_too_long", {"max": NOTE_MAX}))
        if problems:
            raise ValidationError(problems)
        catalogue = self.catalogue()
        with self._write() as conn:
            found = conn.execute(select(unit.c.archived_at).where(unit.c.id == unit_id)).first()
            if found is None:
                raise ValidationError(Problem("unit.unknown"))
            if found.archived_at is not None:
                raise ValidationError(Problem("unit.archived"))
            if self._snapshot_at(conn, unit_id, moment) is not None:
                raise ValidationError(Problem("snapshot.exists", {"date": moment.isoformat(" ")}))
            state = {
                r.practice_id: r
                for r in conn.execute(
                    select(practice_state).where(practice_state.c.unit_id == unit_id)
                )
            }
            entries = [
                SnapshotEntry(
                    p.id,
                    p.step,
                    Status(state[p.id].status) if p.id in state else Status.NOT_STARTED,
                    state[p.id].note if p.id in state else "",
                )
                for p in catalogue.practices
            ]
            snap = Snapshot(
                0, unit_id, moment, saved_by.strip(), comment.strip(), catalogue.version
            )
            try:
                new_id = self._insert_snapshot(conn, snap, entries)
            except IntegrityError as exc:
                # The unique (unit_id, taken_at) constraint: the same answer as the check above
                # (which the write lock makes race-free; this is the database's own guard).
                raise ValidationError(
                    Problem("snapshot.exists", {"date": moment.isoformat(" ")})
                ) from exc
        return Snapshot(new_id, *_fields(snap)[1:])

    @staticmethod
    def _snapshot_at(conn: Connection, unit_id: int, moment: datetime) -> int | None:
        return conn.execute(
            select(snapshot.c.id).where(
                snapshot.c.unit_id == unit_id, snapshot.c.taken_at == moment
            )
        ).scalar_one_or_none()

    @staticmethod
    def _insert_snapshot(conn: Connection, snap: Snapshot, entries: Sequence[SnapshotEntry]) -> int:
        new_id: int = conn.execute(
            insert(snapshot)
            .values(
                unit_id=snap.unit_id,
                taken_at=snap.taken_at,
                saved_by=snap.saved_by,
                comment=snap.comment,
                catalogue_version=snap.catalogue_version,
                created_at=now(),
            )
            .returning(snapshot.c.id)
        ).scalar_one()
        conn.execute(
            insert(snapshot_practice),
            [
                {
                    "snapshot_id": new_id,
                    "practice_id": e.practice_id,
                    "step": e.step,
                    "status": e.status.value,
                    "note": e.note,
                }
                for e in entries
            ],
        )
        return new_id

    def snapshots(self, unit_id: int) -> list[Snapshot]:
        """A unit's snapshots, newest first."""
        with self._read() as conn:
            rows = conn.execute(
                select(snapshot)
                .where(snapshot.c.unit_id == unit_id)
                .order_by(snapshot.c.taken_at.desc())
            )
            return [_snapshot(r) for r in rows]

    def snapshot(self, snapshot_id: int) -> Snapshot:
        with self._read() as conn:
            row = conn.execute(select(snapshot).where(snapshot.c.id == snapshot_id)).first()
        if row is None:
            raise ValidationError(Problem("snapshot.unknown"))
        return _snapshot(row)

    def snapshot_entries(self, snapshot_id: int) -> list[SnapshotEntry]:
        with self._read() as conn:
            rows = conn.execute(
                select(snapshot_practice)
                .where(snapshot_practice.c.snapshot_id == snapshot_id)
                .order_by(snapshot_practice.c.step, snapshot_practice.c.practice_id)
            )
            return [SnapshotEntry(r.practice_id, r.step, Status(r.status), r.note) for r in rows]

    def delete_snapshot(self, snapshot_id: int) -> None:
        with self._write() as conn:
            gone = conn.execute(delete(snapshot).where(snapshot.c.id == snapshot_id))
            if not gone.rowcount:
                raise ValidationError(Problem("snapshot.unknown"))

    def history(self, unit_ids: Sequence[int]) -> pd.DataFrame:
        """Scores of every snapshot of the units, oldest first.

        Columns: unit_id, snapshot_id, taken_at, completion_1..3, maturity, step_reached.
        """
        query = select(
            snapshot.c.unit_id,
            snapshot.c.id.label("snapshot_id"),
            _moment(snapshot.c.taken_at),
            snapshot_practice.c.step,
            snapshot_practice.c.status,
        ).join(snapshot_practice, snapshot_practice.c.snapshot_id == snapshot.c.id)
        with self._read() as conn:
            entries = _frame(
                conn,
                query,
                [query.where(snapshot.c.unit_id.in_(part)) for part in _id_slices(unit_ids)],
            )
        scored = score_frame(entries, by=["unit_id", "snapshot_id", "taken_at"])
        if scored.empty:
            return scored
        scored["taken_at"] = pd.to_datetime(scored["taken_at"])
        return scored.sort_values(["taken_at", "unit_id"], ignore_index=True)

    # -- import and export

    def export_rows(self, unit_ids: Sequence[int] | None = None) -> Iterator[dict[str, Any]]:
        """Every snapshot × practice of the units (all units when None), in file order.

        One dict per row, with the unit's path and the practice's Swedish title: for callers
        that want rows to look at. The CSV export reads `export_batches` instead.
        """
        tree = self.unit_tree()
        titles = {p.id: p.title for p in self.catalogue(include_archived=True).practices}
        labels: dict[int, str] = {}
        for batch in self.export_batches(unit_ids):
            for r in batch.rows:
                head = batch.snapshots.get(r.snapshot_id)
                if head is None:  # deleted while the export ran
                    continue
                label = labels.get(head.unit_id)
                if label is None:
                    if head.unit_id not in tree.units:  # created after the tree was read
                        tree = self.unit_tree()
                    label = labels[head.unit_id] = tree.label(head.unit_id)
                title = titles.get(r.practice_id)
                yield {
                    "unit_path": label,
                    "taken_at": head.taken_at,
                    "saved_by": head.saved_by,
                    "comment": head.comment,
                    "catalogue_version": head.catalogue_version,
                    "step": r.step,
                    "practice_id": r.practice_id,
                    "practice_title": title.sv if title else "",
                    "status": r.status,
                    "note": r.note,
                }

    def export_batches(
        self, unit_ids: Sequence[int] | None = None, batch_rows: int = EXPORT_BATCH_ROWS
    ) -> Iterator[ExportBatch]:
        """Every snapshot × practice of the units (all units when None), in file order, in
        batches of at most `batch_rows` rows streamed from one query (never all in memory).

        The rows of one snapshot are consecutive (a snapshot may straddle two batches); each
        batch carries the snapshots its rows belong to, read once per snapshot rather than
        repeated on each of its practice rows.
        """
        rows = (
            select(
                snapshot_practice.c.snapshot_id,
                snapshot_practice.c.step,
                snapshot_practice.c.practice_id,
                snapshot_practice.c.status,
                snapshot_practice.c.note,
            )
            .join(snapshot, snapshot_practice.c.snapshot_id == snapshot.c.id)
            .order_by(
                snapshot.c.unit_id,
                snapshot.c.taken_at,
                snapshot_practice.c.step,
                snapshot_practice.c.practice_id,
            )
        )
        heads = select(
            snapshot.c.id,
            snapshot.c.unit_id,
            _moment(snapshot.c.taken_at),
            snapshot.c.saved_by,
            snapshot.c.comment,
            snapshot.c.catalogue_version,
        )
        # The file is ordered by unit first, so slices of the sorted ids, one query each,
        # keep the order and stay under every database's limit of bound parameters.
        queries = (
            [rows]
            if unit_ids is None
            else [rows.where(snapshot.c.unit_id.in_(part)) for part in _id_slices(unit_ids)]
        )
        with self._read() as conn:
            for query in queries:
                result = conn.execution_options(yield_per=batch_rows).execute(query)
                for part in result.partitions(batch_rows):
                    ids = list(dict.fromkeys(map(itemgetter(0), part)))
                    found = {
                        h.id: h
                        for some in _id_slices(ids)
                        for h in conn.execute(heads.where(snapshot.c.id.in_(some)))
                    }
                    yield ExportBatch(found, part)

    def import_snapshots(self, records: Sequence[SnapshotRecord]) -> ImportResult:
        """Import snapshots in one transaction: all of them, or (on any problem) none.

        Units on the paths are created when missing. A snapshot identical to one already
        stored (same unit and moment, same content) is skipped, which makes importing a file
        twice harmless; one that differs is a conflict and rejects the whole import.

        In bulk: the units are read once, the stored snapshots of the units compared in a
        few queries, and the new snapshots and their practice rows written with one
        multi-row insert each (not a round trip per snapshot).
        """
        with self._write() as conn:
            known_practices = {*self.shipped.practice_ids} | set(
                conn.execute(select(custom_practice.c.id)).scalars()
            )
            new_titles: dict[str, tuple[str, int]] = {}
            for record in records:
                for e in record.entries:
                    if e.practice_id not in known_practices and e.practice_id not in new_titles:
                        new_titles[e.practice_id] = (
                            record.new_practice_titles.get(e.practice_id) or e.practice_id,
                            e.step,
                        )
            for pid, (title, step) in new_titles.items():
                conn.execute(
                    insert(custom_practice).values(
                        id=pid,
                        step=step,
                        dimensions=Dimension.PROCESSES.value,
                        title_sv=title,
                        title_en=title,
                        created_at=now(),
                    )
                )
            if new_titles:
                _bump(conn, PRACTICES_REVISION)

            paths = _UnitPaths(conn)
            unit_ids = [paths.ensure(record.unit_path) for record in records]
            if paths.created:
                _bump(conn, UNITS_REVISION)
            stored = _stored_moments(conn, {u for u in unit_ids if u in paths.existing})
            fresh: dict[tuple[int, datetime], int] = {}
            """(unit, moment) → the index of the record that adds it."""
            compare: list[tuple[int, int | SnapshotRecord]] = []
            """Record index → the stored snapshot id or the earlier record it repeats."""
            for i, (record, unit_id) in enumerate(zip(records, unit_ids, strict=True)):
                key = (unit_id, record.taken_at)
                if key in stored:
                    compare.append((i, stored[key]))
                elif key in fresh:
                    compare.append((i, records[fresh[key]]))
                else:
                    fresh[key] = i
            contents = _stored_contents(conn, [c for _, c in compare if isinstance(c, int)])
            problems: list[Problem] = []
            for i, other in compare:
                record = records[i]
                if _content(record) != (
                    contents[other] if isinstance(other, int) else _content(other)
                ):
                    problems.append(
                        Problem(
                            "import.conflict",
                            {
                                "unit": PATH_SEPARATOR.join(record.unit_path),
                                "date": record.taken_at.isoformat(),
                            },
                            row=record.rows[0],
                        )
                    )
            if problems:
                raise ValidationError(problems)  # rolls the whole transaction back
            self._insert_snapshots(conn, [(key[0], records[i]) for key, i in fresh.items()])
        return ImportResult(paths.created, len(fresh), len(compare), len(new_titles))

    @staticmethod
    def _insert_snapshots(conn: Connection, new: Sequence[tuple[int, SnapshotRecord]]) -> None:
        """Insert snapshots (unit id, record) with their practice rows, in bulk."""
        if not new:
            return
        created_at = now()
        for part in _slices(new, _INSERT_BATCH):
            _insert_rows(
                conn,
                snapshot,
                _SNAPSHOT_ROW,
                [
                    (unit_id, r.taken_at, r.saved_by, r.comment, r.catalogue_version, created_at)
                    for unit_id, r in part
                ],
            )
        ids = _stored_moments(conn, {unit_id for unit_id, _ in new})
        rows: list[tuple[Any, ...]] = []
        for unit_id, r in new:
            sid = ids[(unit_id, r.taken_at)]
            rows.extend((sid, e.practice_id, e.step, e.status.value, e.note) for e in r.entries)
            if len(rows) >= _INSERT_BATCH:
                _insert_rows(conn, snapshot_practice, _PRACTICE_ROW, rows)
                rows = []
        _insert_rows(conn, snapshot_practice, _PRACTICE_ROW, rows)

    # -- demo data and overview

    def unit_overview(self, unit_ids: Sequence[int]) -> pd.DataFrame:
        """Latest snapshot score of each unit, by unit id: unit_id, taken_at, completion_1..3,
        maturity, step_reached (units without snapshots are absent).

        The latest moment per unit comes from the index on (unit_id, taken_at) that the
        one-snapshot-per-moment constraint makes; the rows of that snapshot from the
        primary key of snapshot_practice.
        """

        def query(part: list[int]) -> Select[Any]:
            latest = (
                select(snapshot.c.unit_id, func.max(snapshot.c.taken_at).label("taken_at"))
                .where(snapshot.c.unit_id.in_(part))
                .group_by(snapshot.c.unit_id)
                .subquery()
            )
            return (
                select(
                    snapshot.c.unit_id,
                    snapshot.c.id.label("snapshot_id"),
                    _moment(snapshot.c.taken_at),
                    snapshot_practice.c.step,
                    snapshot_practice.c.status,
                )
                .join(
                    latest,
                    (latest.c.unit_id == snapshot.c.unit_id)
                    & (latest.c.taken_at == snapshot.c.taken_at),
                )
                .join(snapshot_practice, snapshot_practice.c.snapshot_id == snapshot.c.id)
                .order_by(snapshot.c.unit_id)  # as SQLite gives it anyway; any database alike
            )

        with self._read() as conn:
            entries = _frame(conn, query([]), [query(part) for part in _id_slices(unit_ids)])
        return score_frame(entries, by=["unit_id", "snapshot_id", "taken_at"])


def _bump(conn: Connection, counter: str) -> None:
    """Advance a revision counter in the writing transaction (see UNITS_REVISION)."""
    current = conn.execute(select(meta.c.value).where(meta.c.key == counter)).scalar_one()
    conn.execute(update(meta).where(meta.c.key == counter).values(value=str(int(current) + 1)))


def _migrate(conn: Connection, found: int) -> None:
    """Bring a database made by an older version of the app up to SCHEMA_VERSION, in the
    schema transaction (all steps or none)."""
    if found < 2:
        conn.exec_driver_sql(
            "ALTER TABLE practice_state ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"
        )
        # Every stored row has been written at least once; 0 means "no row yet".
        conn.execute(update(practice_state).values(revision=1))
    conn.execute(
        update(meta).where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
    )


def score_working_state(catalogue: Catalogue, states: Mapping[str, PracticeState]) -> Score:
    """Score a unit's working state: every practice of the catalogue, untouched = not started."""
    return score(
        (p.step, states[p.id].status if p.id in states else Status.NOT_STARTED)
        for p in catalogue.practices
    )


class _Moment(TypeDecorator[datetime]):
    """A DateTime read in bulk: the driver's value → datetime conversion is memoised.

    A snapshot's moment repeats on each of its practice rows, and on SQLite the conversion
    (a string parse in Python) costs more than reading the row; remembering the last few
    thousand raw values makes it once per snapshot. Any dialect: it wraps the dialect's own
    converter, whatever the driver returns.
    """

    impl = DateTime
    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        # Overridden (rather than process_result_value) to wrap the dialect's converter itself.
        convert = super().result_processor(dialect, coltype)
        return None if convert is None else lru_cache(maxsize=_MOMENT_CACHE)(convert)


def _moment(column: Any) -> Any:
    """`column` (a DateTime) read through `_Moment`, under its own name."""
    return type_coerce(column, _Moment()).label(column.name)


def _id_slices(ids: Iterable[int]) -> list[list[int]]:
    """Distinct ids, sorted, in slices short enough for one IN list on any database."""
    ordered = sorted(set(ids))
    return [ordered[i : i + _IN_LIST_MAX] for i in range(0, len(ordered), _IN_LIST_MAX)]


class _UnitPaths:
    """Unit paths → unit ids, creating the missing units: every unit read once, up front.

    Names match as in `UnitTree.find` (case and Unicode form aside; of two such siblings
    the first by name). Units are created in the order their paths first come, parents
    first, as one at a time would.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        rows = conn.execute(select(unit.c.id, unit.c.name, unit.c.parent_id, unit.c.archived_at))
        self.children: dict[tuple[int | None, str], int] = {}
        self.archived: set[int] = set()
        self.existing: set[int] = set()
        for r in sorted(rows, key=lambda r: r.name.casefold()):
            self.children.setdefault((r.parent_id, _name_key(r.name)), r.id)
            self.existing.add(r.id)
            if r.archived_at is not None:
                self.archived.add(r.id)
        self.paths: dict[tuple[str, ...], int] = {}
        self.created = 0
        self.insert = insert(unit).returning(unit.c.id)
        self.created_at = now()

    def ensure(self, path: Sequence[str]) -> int:
        key = tuple(name.casefold() for name in path)
        found = self.paths.get(key)
        if found is not None:
            return found
        parent: int | None = None
        for name in path:
            child = self.children.get((parent, _name_key(name)))
            if child is None:
                child = self._create(name, parent)
            parent = child
        assert parent is not None, "a unit path has at least one name"
        self.paths[key] = parent
        return parent

    def _create(self, name: str, parent: int | None) -> int:
        name = name.strip()
        problems = validate_unit_name(name)
        if parent in self.archived:
            problems.append(Problem("unit.parent_archived"))
        if problems:
            raise ValidationError(problems)
        new_id: int = self.conn.execute(
            self.insert, {"name": name, "parent_id": parent, "created_at": self.created_at}
        ).scalar_one()
        self.children[(parent, _name_key(name))] = new_id
        self.created += 1
        return new_id


def _name_key(name: str) -> str:
    """How unit names are told apart: as `_same_name` compares them."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def _stored_moments(conn: Connection, unit_ids: Iterable[int]) -> dict[tuple[int, datetime], int]:
    """(unit id, taken_at) → snapshot id, for every snapshot of the units."""
    found: dict[tuple[int, datetime], int] = {}
    query = select(snapshot.c.id, snapshot.c.unit_id, _moment(snapshot.c.taken_at))
    for part in _id_slices(unit_ids):
        for r in conn.execute(query.where(snapshot.c.unit_id.in_(part))):
            found[(r.unit_id, r.taken_at)] = r.id
    return found


def _stored_contents(conn: Connection, snapshot_ids: Iterable[int]) -> dict[int, tuple[Any, ...]]:
    """Snapshot id → its content, as `_content` gives a record's."""
    heads: dict[int, tuple[str, str, int]] = {}
    entries: dict[int, set[tuple[str, int, str, str]]] = {}
    sp = snapshot_practice.c
    for part in _id_slices(snapshot_ids):
        for h in conn.execute(
            select(
                snapshot.c.id, snapshot.c.saved_by, snapshot.c.comment, snapshot.c.catalogue_version
            ).where(snapshot.c.id.in_(part))
        ):
            heads[h.id] = (h.saved_by, h.comment, h.catalogue_version)
            entries[h.id] = set()
        for e in conn.execute(
            select(sp.snapshot_id, sp.practice_id, sp.step, sp.status, sp.note).where(
                sp.snapshot_id.in_(part)
            )
        ):
            entries[e.snapshot_id].add((e.practice_id, e.step, e.status, e.note))
    return {sid: (*head, entries[sid]) for sid, head in heads.items()}


def _content(record: SnapshotRecord) -> tuple[Any, ...]:
    """What makes two snapshots of a unit and moment the same snapshot."""
    return (
        record.saved_by,
        record.comment,
        record.catalogue_version,
        {(e.practice_id, e.step, e.status.value, e.note) for e in record.entries},
    )


def _frame(conn: Connection, shape: Select[Any], queries: Sequence[Select[Any]]) -> pd.DataFrame:
    """The rows of the queries as one frame, with the columns of `shape`.

    Built from plain tuples: given SQLAlchemy rows, pandas probes each one for attributes,
    which costs more than reading them.
    """
    rows = [tuple(r) for query in queries for r in conn.execute(query)]
    return pd.DataFrame(rows, columns=list(shape.selected_columns.keys()))


def _slices(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert many rows (tuples in `columns` order) in one statement executed many times.

    On SQLite the driver's executemany takes the tuples (SQLAlchemy's own executemany
    would first make and process a dict per row, half the time of it all), after the
    column types' own conversions (a DateTime's, for one), once per distinct value.
    Elsewhere SQLAlchemy's executemany, which batches rows where the driver would
    otherwise make a round trip per row.
    """
    if not rows:
        return
    dialect = conn.dialect
    if dialect.name == "sqlite":
        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
        if compiled.positiontup == list(columns):
            converters = [
                table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns
            ]
            for i, convert in enumerate(converters):
                if convert is not None:
                    converted = {v: convert(v) for v in {row[i] for row in rows}}
                    rows = [(*row[:i], converted[row[i]], *row[i + 1 :]) for row in rows]
            conn.exec_driver_sql(str(compiled), list(rows))
            return
    conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])


def _free_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _custom_practice(row: Any) -> Practice:
    return Practice(
        id=row["id"],
        step=row["step"],
        dimensions=tuple(Dimension(d) for d in row["dimensions"].split(",") if d),
        title=Texts(row["title_sv"], row["title_en"]),
        description=Texts(row["description_sv"], row["description_en"]),
        custom=True,
    )


def _practice_state(row: Any) -> PracticeState:
    return PracticeState(
        row.practice_id, Status(row.status), row.note, row.updated_at, row.updated_by, row.revision
    )


def _snapshot(row: Any) -> Snapshot:
    return Snapshot(
        row.id, row.unit_id, row.taken_at, row.saved_by, row.comment, row.catalogue_version
    )


def _fields(snap: Snapshot) -> tuple[Any, ...]:
    return (
        snap.id,
        snap.unit_id,
        snap.taken_at,
        snap.saved_by,
        snap.comment,
        snap.catalogue_version,
    )
