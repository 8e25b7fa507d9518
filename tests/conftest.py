"""Shared fixtures: a fresh, empty database per store, on SQLite and on PostgreSQL.

Every test that uses `store`, `make_store` or `db_url` (directly or through another fixture)
runs once per backend: `test_x[sqlite]` and `test_x[postgresql]`. The PostgreSQL runs need a
server: set STAIRCASE_TEST_PG_URL to a database the tests may fill, for example
`postgresql+psycopg://staircase_test:staircase_test@localhost:5432/staircase_test`
(`.ci/postgres` makes one and prints its URL). Without it they are skipped, unless
STAIRCASE_REQUIRE_PG=1 (set by .ci/run): then a missing URL stops the run, so CI can never
pass by skipping them.

On PostgreSQL each database a test asks for is a schema of its own in that one database
(search_path set through the URL), dropped after the test: creating a schema costs a few
milliseconds, a database hundreds.

Mark a test `@pytest.mark.sqlite_only` when what it checks exists only on SQLite (files,
PRAGMAs, WAL), or `@pytest.mark.postgresql_only`; it then runs on that backend alone.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from staircase.store import Store

PG_URL_ENV = "STAIRCASE_TEST_PG_URL"
REQUIRE_PG_ENV = "STAIRCASE_REQUIRE_PG"
BACKENDS = ("sqlite", "postgresql")
_schema_numbers = itertools.count(1)


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


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[Engine]:
    """An engine on the test database, for creating and dropping the per-test schemas."""
    engine = create_engine(
        os.environ[PG_URL_ENV],
        isolation_level="AUTOCOMMIT",
        # A store a test left open must not make the clean-up hang.
        connect_args={"options": "-c lock_timeout=10s"},
    )
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def db_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], str]]:
    """A factory: db_url('name') is the URL of an empty database of its own on this backend."""
    made: dict[str, str] = {}
    schemas: list[str] = []
    admin: list[Engine] = []

    def make(name: str) -> str:
        if name in made:
            return made[name]
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path}/{name}.db"
        else:
            if not admin:
                admin.append(request.getfixturevalue("pg_admin"))
            schema = f"staircase_test_{os.getpid()}_{next(_schema_numbers)}"
            with admin[0].connect() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            schemas.append(schema)
            url = (
                make_url(os.environ[PG_URL_ENV])
                .update_query_dict({"options": f"-csearch_path={schema}"})
                .render_as_string(hide_password=False)
            )
        made[name] = url
        return url

    yield make
    if schemas:
        with admin[0].connect() as conn:
            for schema in schemas:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def make_store(db_url: Callable[[str], str]) -> Iterator[Callable[[str], Store]]:
    """A factory: make_store('name') opens a Store on an empty database; closed after the test."""
    opened: list[Store] = []

    def make(name: str) -> Store:
        s = Store(db_url(name))
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def store(make_store: Callable[[str], Store]) -> Store:
    """A Store on an empty database of its own, closed after the test."""
    return make_store("test")
