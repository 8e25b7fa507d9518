"""Shared fixtures: a fresh, empty database per store, on SQLite and on PostgreSQL.

Every test that uses `store`, `make_store` or `db_url` (directly or through another fixture)
runs once per backend: `test_x[sqlite]` and `test_x[postgresql]`. The PostgreSQL runs need a
server: set STAIRCASE_TEST_PG_URL to a database the tests may fill, for example
`postgresql+psycopg://staircase_test:staircase_test@localhost:5432/staircase_test`
(`.ci/postgres` makes one and prints its URL). Without it they are skipped, unless
STAIRCASE_REQUIRE_PG=1 (set by .ci/run): then a missing URL stops the run, so CI can never
pass by skipping them.

On PostgreSQL each database a test asks for is a schema of its own in that one database
(search_path set through the URL), emptied or dropped after the test (see PgSchemas): a
schema costs milliseconds, a database hundreds.

Mark a test `@pytest.mark.sqlite_only` when what it checks exists only on SQLite (files,
PRAGMAs, WAL), or `@pytest.mark.postgresql_only`; it then runs on that backend alone.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from staircase import settings
from staircase.services import Lartrappan
from staircase.storage.schema import metadata

PG_URL_ENV = "STAIRCASE_TEST_PG_URL"
REQUIRE_PG_ENV = "STAIRCASE_REQUIRE_PG"
BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: checks something only SQLite has; not run on PostgreSQL"
    )
    config.addinivalue_line(
        "markers", "postgresql_only: checks something only PostgreSQL has; not run on SQLite"
    )
    if os.environ.get(REQUIRE_PG_ENV) == "1" and not os.environ.get(PG_URL_ENV):
        raise pytest.UsageError(
            f"{REQUIRE_PG_ENV}=1 but {PG_URL_ENV} is not set: the PostgreSQL tests would be "
            "skipped. Start a server and set the URL (bash .ci/postgres prints one)."
        )


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the group marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`-n`, on by default in pyproject.toml) the tests marked `browser`
    keep to one worker, one after another, while the other workers take the rest: each
    journey starts a Streamlit server and a Chromium, and two at once on a small machine
    would slow each other past their timeouts."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        backends = [
            name
            for name in BACKENDS
            if not any(
                metafunc.definition.get_closest_marker(f"{other}_only")
                for other in BACKENDS
                if other != name
            )
        ]
        metafunc.parametrize("backend", backends, indirect=True, scope="function")


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> str:
    """'sqlite' or 'postgresql': the database every store of this test runs on."""
    name: str = request.param
    if name == "postgresql" and not os.environ.get(PG_URL_ENV):
        pytest.skip(f"PostgreSQL variant: set {PG_URL_ENV} to run it (README: Tests on PostgreSQL)")
    return name


class PgSchemas:
    """The schemas of the PostgreSQL test database: one for each database a test asks for.

    Creating the store's tables costs several times more than emptying them, so a schema
    goes back to a pool after its test, emptied (rows deleted, id sequences restarted), when
    its tables, columns, constraints and indexes are exactly what a new Lartrappan makes. Anything
    else a test left (a table dropped or altered, an object added) gets the schema dropped.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(
            url,
            isolation_level="AUTOCOMMIT",
            # A store a test left open must not make the clean-up hang.
            connect_args={"options": "-c lock_timeout=10s"},
        )
        self.created: list[str] = []
        self.free: list[str] = []
        self.reference: list[str] | None = None

    def url_of(self, schema: str) -> str:
        return (
            make_url(self.url)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )

    def take(self) -> str:
        if self.free:
            return self.free.pop()
        return self.new()

    def new(self) -> str:
        """A new, empty schema (never one from the pool); give it back like any other."""
        schema = f"staircase_test_{os.getpid()}_{len(self.created) + 1}"
        with self.engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        self.created.append(schema)
        return schema

    def load(self, dump: str) -> str:
        """A new schema holding a pg_dump of one schema whose name is written `__SCHEMA__`
        (tests/data/schemas/README.md); give it back like any other."""
        schema = self.new()
        with self.engine.connect() as conn:
            conn.exec_driver_sql(dump.replace("__SCHEMA__", schema))
            conn.invalidate()  # the dump set the session's search_path: not for reuse
        return schema

    def give_back(self, schema: str) -> None:
        shape = self._shape(schema)
        if shape and shape != self._reference():
            self.drop(schema)  # not as a new Lartrappan makes it: never reused
            return
        if shape:
            self._empty(schema)
        self.free.append(schema)

    def drop(self, schema: str) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    def close(self) -> None:
        for schema in self.created:
            self.drop(schema)
        self.engine.dispose()

    def _reference(self) -> list[str]:
        if self.reference is None:
            schema = self.take()
            Lartrappan(self.url_of(schema)).close()
            self.reference = self._shape(schema)
            self._empty(schema)
            self.free.append(schema)
        return self.reference

    def _shape(self, schema: str) -> list[str]:
        """Every table, column, constraint, index and trigger of the schema, as text."""
        query = """
            SELECT replace(line, %(s)s::text || '.', '') FROM (
              SELECT 'rel ' || relname || ' ' || relkind::text AS line
                FROM pg_class WHERE relnamespace = %(s)s::text::regnamespace
              UNION ALL
              SELECT concat_ws(' ', 'col', table_name, column_name, data_type,
                               character_maximum_length, is_nullable, column_default)
                FROM information_schema.columns WHERE table_schema = %(s)s::text
              UNION ALL
              SELECT 'con ' || conname || ' ' || pg_get_constraintdef(oid)
                FROM pg_constraint WHERE connamespace = %(s)s::text::regnamespace
              UNION ALL
              SELECT 'idx ' || indexdef FROM pg_indexes WHERE schemaname = %(s)s::text
              UNION ALL
              SELECT 'trg ' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE c.relnamespace = %(s)s::text::regnamespace AND NOT t.tgisinternal
            ) AS shape ORDER BY 1
        """
        with self.engine.connect() as conn:
            return list(conn.exec_driver_sql(query, {"s": schema}).scalars())

    def _empty(self, schema: str) -> None:
        with self.engine.connect() as conn:
            sequences = conn.exec_driver_sql(
                "SELECT sequencename FROM pg_sequences WHERE schemaname = %(s)s", {"s": schema}
            ).scalars()
            # one multi-statement query: one implicit transaction
            conn.exec_driver_sql(
                "; ".join(
                    [f"DELETE FROM {schema}.{t.name}" for t in reversed(metadata.sorted_tables)]
                    + [f"ALTER SEQUENCE {schema}.{name} RESTART" for name in sequences]
                )
            )


@pytest.fixture(scope="session")
def pg_schemas() -> Iterator[PgSchemas]:
    schemas = PgSchemas(os.environ[PG_URL_ENV])
    try:
        yield schemas
    finally:
        schemas.close()


@pytest.fixture
def db_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], str]]:
    """A factory: db_url('name') is the URL of an empty database of its own on this backend."""
    made: dict[str, str] = {}
    taken: list[str] = []
    pool: list[PgSchemas] = []

    def make(name: str) -> str:
        if name not in made:
            if backend == "sqlite":
                made[name] = f"sqlite:///{tmp_path}/{name}.db"
            else:
                if not pool:
                    pool.append(request.getfixturevalue("pg_schemas"))
                taken.append(pool[0].take())
                made[name] = pool[0].url_of(taken[-1])
        return made[name]

    yield make
    for schema in taken:
        pool[0].give_back(schema)


@pytest.fixture
def make_store(db_url: Callable[[str], str]) -> Iterator[Callable[[str], Lartrappan]]:
    """A factory: make_store('name') opens the core on an empty database; closed after."""
    opened: list[Lartrappan] = []

    def make(name: str) -> Lartrappan:
        s = Lartrappan(db_url(name))
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def store(make_store: Callable[[str], Lartrappan]) -> Lartrappan:
    """A Lartrappan on an empty database of its own, closed after the test."""
    return make_store("test")


@pytest.fixture(autouse=True)
def _fresh_settings() -> Iterator[None]:
    """Settings are read once per process; a test that sets the environment gets them anew."""
    settings.current.cache_clear()
    yield
    settings.current.cache_clear()
