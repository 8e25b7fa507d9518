"""Make the schema fixtures: databases written by the app as it was at each schema version.

Not a test and not run by the test suite (no `test_` prefix): run it by hand, once per schema
version, against a checkout of the commit that version shipped in, so the database is made
by that version's own code. README.md next to this file says which commits and how.

    # a database of schema version N, on SQLite and on PostgreSQL, made by CHECKOUT's code
    python tests/data/schemas/make_fixtures.py build N CHECKOUT --pg-url URL
    # expected.json, read back from every fixture (they must all hold the same content)
    python tests/data/schemas/make_fixtures.py expected --pg-url URL

`build` imports `staircase` from CHECKOUT (never from this tree) and writes through the
public API and the CSV import only, as a user of that version would. The one thing it
replaces is the clock (`now`), so every timestamp the code stamps is a fixed date and the
fixtures come out the same on every run. URL is an SQLAlchemy URL of a PostgreSQL database
in which schemas may be created and dropped.

This file runs against old checkouts. `populate` uses only what v1's Store has
(`Store(url)`, create_unit, set_archived, add_custom_practice, archive_custom_practice,
set_status, set_note, save_snapshot, close; csvio.import_csv). Versions 1 and 2 are driven
through their own Store (`staircase.store`); from version 3 on, which has no Store but the
services (`staircase.services.Lartrappan`), through `ServicesStore`, which offers those same
method names over the services and makes the same calls.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

HERE = Path(__file__).resolve().parent
PLACEHOLDER = "__SCHEMA__"
"""Stands for the schema's name in a PostgreSQL dump: replace it to load the dump anywhere."""
MADE_WITH = {
    1: "b9d69ecc8971f33a78bd4d4a8838ae1e7939416f",  # b9aac5f^: v1's last commit on the main line
    2: "6470f518965f39088b4fef213cff29be9b42400e",  # the newest commit when v2 was made
    3: "a474f2d8c3b4703a764532fe219afd5e7b584161",  # v3's last commit on the main line
    4: "1f1115e771962c6c20edf422201386b1c72aa5f6",  # v4's newest commit (main) when v5 was made
    5: "1d9252b063139fa2d14b72d9009a1eaaa83ea9ad",  # v5's newest commit (main) when v6 was made
}
"""Schema version → the commit whose code made its fixtures (`build` checks the checkout)."""
START = datetime(2024, 11, 4, 8, 0)
"""What the clock says when a build starts."""
RESTRICT = ("\\restrict ", "\\unrestrict ")
TABLES = ("meta", "unit", "custom_practice", "practice_state", "snapshot", "snapshot_practice")
TABLES_SINCE = {
    4: (
        "target",
        "assessment_round",
        "round_answer",
        "plan_item",
        "evidence",
        "assessment",
        "assessment_area",
        "assessment_answer",
        "assessment_trait",
    ),
    5: ("person", "role_grant", "audit"),
}
"""Tables a version added (empty in the fixtures: populate does not fill them)."""


def tables_of(version: int) -> set[str]:
    """The tables a dump of `version` holds."""
    return set(TABLES).union(*(t for v, t in TABLES_SINCE.items() if v <= version))


# ---------------------------------------------------------------------------- the content


class Clock:
    """Stands in for `now` (`staircase.model.now` up to v2, `staircase.domain.moments.now`
    from v3): a fixed moment, one second later at each call (so what the code orders by
    creation time keeps its order), moved on by `at`."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def at(self, moment: datetime) -> None:
        self.current = max(self.current, moment)

    def __call__(self) -> datetime:
        self.current += timedelta(seconds=1)
        return self.current


STATES_CSV = """\
unit_path;taken_at;saved_by;comment;catalogue_version;step;practice_id;status;note
{path};2024-11-20T13:15:00;Göran Ångström;Pappersenkät hösten 2024;1;1;s1-goal-linked;in_progress;Målen är kända
{path};2024-11-20T13:15:00;Göran Ångström;Pappersenkät hösten 2024;1;1;s1-anytime-anywhere;not_started;
{path};2024-11-20T13:15:00;Göran Ångström;Pappersenkät hösten 2024;1;1;s1-measure-effect;not_started;
{path};2024-11-20T13:15:00;Göran Ångström;Pappersenkät hösten 2024;1;1;s1-local-ownership;in_progress;"Två rader:
gruppledarna äger frågan"
{path};2024-11-20T13:15:00;Göran Ångström;Pappersenkät hösten 2024;1;2;s2-performance;not_started;
{path};2024-11-20T13:15:00;Göran Ångström;Pappersenkät hösten 2024;1;2;s2-learning-in-roles;done;
{path};2024-11-20T13:15:00;Göran Ångström;Pappersenkät hösten 2024;1;2;s2-just-in-time;not_started;
{path};2024-11-20T13:15:00;Göran Ångström;Pappersenkät hösten 2024;1;2;s2-informal-learning;not_started;
{path};2024-11-20T13:15:00;Göran Ångström;Pappersenkät hösten 2024;1;3;s3-sharing-environments;not_applicable;"Ingen plattform; beslut väntar"
{path};2024-11-20T13:15:00;Göran Ångström;Pappersenkät hösten 2024;1;3;s3-sharing-culture;not_started;
"""  # noqa: E501
"""A paper assessment of Hemtjänst Öst, imported as a back-dated snapshot (every practice of
catalogue version 1, as the import requires)."""


def populate(store: Any, csvio: Any, clock: Clock) -> None:
    """The fixture's content, in date order: the same calls for every version."""
    d = datetime
    asa, goran, lena = "Åsa Öberg", "Göran Ångström", "Lena Ek"

    # An organisation of three levels (one unit is archived later).
    clock.at(d(2024, 11, 4, 9, 0))
    kommun = store.create_unit("Åby kommun")
    bou = store.create_unit("Barn- och utbildningsförvaltningen", kommun.id)
    angen = store.create_unit("Förskolan Ängen", bou.id)
    kallback = store.create_unit("Grundskolan Källbäcken", bou.id)
    vof = store.create_unit("Vård- och omsorgsförvaltningen", kommun.id)
    hemtjanst = store.create_unit("Hemtjänst Öst", vof.id)
    solgarden = store.create_unit("Dagverksamheten Solgården", vof.id)

    clock.at(d(2024, 11, 18, 14, 0))
    store.set_status(solgarden.id, "s1-goal-linked", "done", by=goran, note="Klart före flytten")
    store.set_status(kallback.id, "s2-informal-learning", "in_progress")  # no note, no name

    # A paper assessment from before the app, imported from a CSV file.
    clock.at(d(2025, 1, 13, 10, 0))
    path = " > ".join(("Åby kommun", "Vård- och omsorgsförvaltningen", "Hemtjänst Öst"))
    csvio.import_csv(store, STATES_CSV.format(path=path).encode("utf-8"))

    # The organisation's own practices: one stays, one is archived after a snapshot used it.
    clock.at(d(2025, 1, 15, 10, 0))
    largrupp = store.add_custom_practice(
        2,
        "Lärgrupp för nya medarbetare",
        "Learning group for new staff",
        "Nya medarbetare träffas varannan vecka under första halvåret.",
        "",
        ["people", "processes"],
    )
    manadens = store.add_custom_practice(
        3, "Månadens kunskapsdelning", "Knowledge sharing of the month", dimensions=["systems"]
    )

    # Snapshots, back-dated to the meetings where the state was gone through.
    clock.at(d(2025, 2, 11, 8, 30))
    store.set_status(angen.id, "s1-goal-linked", "in_progress", by=asa, note="Målen på APT")
    store.set_status(angen.id, "s1-anytime-anywhere", "not_started", by=asa)
    store.set_note(angen.id, "s1-anytime-anywhere", "Behöver läsplattor först", by=asa)
    store.set_status(angen.id, largrupp.id, "in_progress", by=asa)
    store.save_snapshot(angen.id, asa, "Första genomgången på APT", d(2025, 2, 10, 14, 0))

    clock.at(d(2025, 3, 4, 8, 0))
    store.set_status(hemtjanst.id, "s1-goal-linked", "done", by=goran)
    store.set_status(
        hemtjanst.id,
        "s2-performance",
        "in_progress",
        by=goran,
        note="Kvalitetsdialog varje månad; 'brukarens röst' först",
    )
    store.set_status(
        hemtjanst.id,
        "s3-sharing-culture",
        "not_applicable",
        by=goran,
        note="Ej aktuellt förrän omorganisationen är klar (beslut i nämnden)",
    )
    store.save_snapshot(
        hemtjanst.id, goran, "Självskattning efter omorganisationen", d(2025, 3, 3, 10)
    )

    clock.at(d(2025, 5, 13, 9, 0))
    store.set_status(angen.id, "s1-goal-linked", "done", by=asa)
    store.set_status(
        angen.id,
        "s1-measure-effect",
        "in_progress",
        by=lena,
        note='Enkät efter varje "studiedag";\nresultaten till ledningsgruppen',
    )
    store.set_status(
        angen.id,
        "s2-just-in-time",
        "not_applicable",
        by=asa,
        note="Ej aktuellt: förskolan har inga digitala lärresurser ännu",
    )
    store.set_status(angen.id, manadens.id, "done", by=asa, note="Sedan mars")
    store.save_snapshot(angen.id, asa, "Uppföljning i maj", d(2025, 5, 12, 13, 30))

    clock.at(d(2025, 6, 2, 11, 0))
    store.archive_custom_practice(manadens.id)
    store.set_archived(solgarden.id, True)

    clock.at(d(2025, 9, 16, 8, 0))
    store.set_status(angen.id, "s1-local-ownership", "done", by=lena, note="Arbetslagen äger")
    store.set_note(angen.id, "s1-goal-linked", "Målen följs upp varje månad", by=lena)
    store.set_status(angen.id, largrupp.id, "done", by=asa)
    store.save_snapshot(angen.id, lena, "", d(2025, 9, 15, 15, 45))

    clock.at(d(2025, 10, 7, 9, 0))
    store.set_status(hemtjanst.id, "s2-performance", "done", by=goran)
    store.set_note(hemtjanst.id, "s1-goal-linked", "Målen finns på whiteboarden ✓", by=lena)
    store.save_snapshot(hemtjanst.id, lena, "Höstens uppföljning", d(2025, 10, 6, 16, 0))


# ---------------------------------------------------------------------------- building


def load_old_code(version: int, checkout: Path) -> tuple[Any, Any, Any]:
    """staircase.store, staircase.csvio and staircase.model, imported from the checkout."""
    if "staircase" in sys.modules:
        raise RuntimeError("staircase was imported before the checkout was put on the path")
    sys.path.insert(0, str(checkout))
    import staircase.csvio as csvio
    import staircase.model as model
    import staircase.store as store

    if not Path(store.__file__).resolve().is_relative_to(checkout):
        raise RuntimeError(f"staircase came from {store.__file__}, not from {checkout}")
    if version != store.SCHEMA_VERSION:
        raise RuntimeError(f"{checkout} has schema version {store.SCHEMA_VERSION}, not {version}")
    return store, csvio, model


class ServicesStore:
    """The Store's method names (what `populate` calls) over the services of version 3 and
    later (`staircase.services.Lartrappan`), each doing what the Store's method did.

    Every write there names an `Actor`: the person a state is written `by` (stored as
    `updated_by`, stripped as v2's Store did) and the one who saves a snapshot; the writes the
    Store took no name for (units, own practices, the import) are made by the nameless actor
    of the embedded mode. Nothing else is added: the same calls reach the same code paths."""

    def __init__(self, services: Any, url: str) -> None:
        self.core = services.Lartrappan(url)
        self.actor = services.Actor
        self.nobody = services.Actor()

    def create_unit(self, name: str, parent_id: int | None = None) -> Any:
        return self.core.units.create(self.nobody, name, parent_id)

    def set_archived(self, unit_id: int, archived: bool) -> None:
        self.core.units.set_archived(self.nobody, unit_id, archived)

    def add_custom_practice(
        self,
        step: int,
        title_sv: str,
        title_en: str = "",
        description_sv: str = "",
        description_en: str = "",
        dimensions: Any = (),
    ) -> Any:
        return self.core.practices.add(
            self.nobody, step, title_sv, title_en, description_sv, description_en, dimensions
        )

    def archive_custom_practice(self, practice_id: str) -> None:
        self.core.practices.archive(self.nobody, practice_id)

    def set_status(
        self, unit_id: int, practice_id: str, status: str, by: str = "", note: str | None = None
    ) -> Any:
        return self.core.checklist.set_status(self.actor(by), unit_id, practice_id, status, note)

    def set_note(self, unit_id: int, practice_id: str, note: str, by: str = "") -> Any:
        return self.core.checklist.set_note(self.actor(by), unit_id, practice_id, note)

    def save_snapshot(
        self,
        unit_id: int,
        saved_by: str = "",
        comment: str = "",
        taken_at: datetime | None = None,
    ) -> Any:
        return self.core.snapshots.save(
            self.actor(saved_by), unit_id, saved_by, comment, taken_at=taken_at
        )

    def import_csv(self, data: bytes) -> Any:
        return self.core.transfer.import_csv(self.nobody, data)

    def close(self) -> None:
        self.core.close()


class ServicesCsvio:
    """`csvio.import_csv(store, data)` over version 3's `transfer.import_csv`."""

    @staticmethod
    def import_csv(store: ServicesStore, data: bytes) -> Any:
        return store.import_csv(data)


def load_services_code(version: int, checkout: Path) -> tuple[Any, Callable[[], datetime]]:
    """staircase.services imported from the checkout (version 3 and later), and its clock
    (staircase.domain.moments.now)."""
    if "staircase" in sys.modules:
        raise RuntimeError("staircase was imported before the checkout was put on the path")
    sys.path.insert(0, str(checkout))
    import staircase.domain.moments as moments
    import staircase.services as services
    import staircase.storage.migrations as migrations

    for module in (services, moments, migrations):
        if not Path(module.__file__ or "").resolve().is_relative_to(checkout):
            raise RuntimeError(f"staircase came from {module.__file__}, not from {checkout}")
    if version != migrations.SCHEMA_VERSION:
        raise RuntimeError(
            f"{checkout} has schema version {migrations.SCHEMA_VERSION}, not {version}"
        )
    return services, moments.now


def clock_holders(real_now: Callable[[], datetime]) -> list[Any]:
    """The loaded modules of `staircase` that hold `real_now` by name: moments, and each that
    imported it with `from staircase.domain.moments import now`."""
    return [
        module
        for name, module in sorted(sys.modules.items())
        if (name == "staircase" or name.startswith("staircase."))
        and getattr(module, "now", None) is real_now
    ]


def checkout_commit(checkout: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(checkout), *args], check=True, capture_output=True, text=True
        ).stdout.strip()

    if git("status", "--porcelain", "--", "staircase", "data"):
        raise RuntimeError(f"{checkout} has local changes in staircase/ or data/")
    return git("rev-parse", "HEAD")


def make(version: int, checkout: Path, pg_url: str | None, out: Path, any_commit: bool) -> None:
    checkout = checkout.resolve()
    commit = checkout_commit(checkout)
    if commit != MADE_WITH.get(version) and not any_commit:
        raise SystemExit(
            f"{checkout} is at {commit}; MADE_WITH says version {version} is made with "
            f"{MADE_WITH.get(version)} (update MADE_WITH, or pass --any-commit to try)"
        )
    clock = Clock(START)
    has_store = (checkout / "staircase" / "store.py").is_file()
    real_now: Callable[[], datetime] | None = None
    if has_store:  # v1, v2: the Store
        store_module, csvio, model = load_old_code(version, checkout)
        for module in (model, store_module, csvio):
            if hasattr(module, "now"):
                module.now = clock  # each imported `now` by name: replace it in each module
        open_store: Callable[[str], Any] = store_module.Store
    else:  # v3 on: the services, through the Store's method names
        services, real_now = load_services_code(version, checkout)
        for module in clock_holders(real_now):
            module.now = clock  # each imported `now` by name: replace it in each module
        csvio = ServicesCsvio
        open_store = partial(ServicesStore, services)

    def build(url: str) -> None:
        clock.current = START
        store = open_store(url)
        try:
            populate(store, csvio, clock)
        finally:
            store.close()
        if real_now is not None and (left := clock_holders(real_now)):
            # a module first imported while building would have read the real clock
            raise RuntimeError(f"the real clock is still in {[m.__name__ for m in left]}")

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / f"v{version}.sqlite"
        build(f"sqlite:///{db}")
        finish_sqlite(db)
        # Kept as the file's exact SQL dump: text in git, not a binary database file.
        conn = sqlite3.connect(db)
        try:
            dumped = out / f"{db.name}.sql"
            dumped.write_text("\n".join(conn.iterdump()) + "\n", encoding="utf-8")
        finally:
            conn.close()
        print(f"wrote {dumped}, made with {commit}")

    if pg_url:
        schema = f"lartrappan_fixture_v{version}"
        with pg_schema(pg_url, schema):
            build(schema_url(pg_url, schema))
            dump = pg_dump(pg_url, schema)
        target = out / f"v{version}.postgresql.sql"
        target.write_text(dump, encoding="utf-8")
        print(f"wrote {target} ({len(dump.encode())} bytes), made with {commit}")


def finish_sqlite(db: Path) -> None:
    """Fold the WAL into the file and leave it in rollback-journal mode: one file, no -wal."""
    conn = sqlite3.connect(db)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise RuntimeError(f"{db}: the checkpoint could not finish")
        (mode,) = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        if mode != "delete":
            raise RuntimeError(f"{db}: journal mode is {mode}")
        (ok,) = conn.execute("PRAGMA integrity_check").fetchone()
        if ok != "ok":
            raise RuntimeError(f"{db}: {ok}")
    finally:
        conn.close()
    left = sorted(p.name for p in db.parent.iterdir() if p.name != db.name)
    if left:
        raise RuntimeError(f"files besides {db.name}: {left}")


# ---------------------------------------------------------------------------- PostgreSQL


def schema_url(url: str, schema: str) -> str:
    """The URL of one schema (as tests/conftest.py PgSchemas.url_of makes it)."""
    return (
        make_url(url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


@contextmanager
def pg_schema(url: str, schema: str) -> Iterator[None]:
    """A new schema for the block (one of that name is dropped first), dropped after it."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        yield
    finally:
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        engine.dispose()


def libpq_env(url: str) -> dict[str, str]:
    """pg_dump's and psql's connection, from the SQLAlchemy URL (no password on the command
    line)."""
    u: URL = make_url(url)
    env = dict(os.environ)
    for name, value in (
        ("PGHOST", u.host),
        ("PGPORT", u.port),
        ("PGUSER", u.username),
        ("PGPASSWORD", u.password),
        ("PGDATABASE", u.database),
    ):
        if value is not None:
            env[name] = str(value)
    return env


def pg_dump(url: str, schema: str) -> str:
    """The schema as plain SQL, its name replaced by PLACEHOLDER.

    Rows as INSERT statements (not COPY … FROM stdin), and without the random
    \\restrict/\\unrestrict lines of newer pg_dump releases: the file is the same on every
    run and loads with psql or as one script through a driver. CREATE SCHEMA becomes
    CREATE SCHEMA IF NOT EXISTS, so it loads into a schema made beforehand or makes it.
    """
    dump = subprocess.run(
        [
            "pg_dump",
            "--no-owner",
            "--no-privileges",
            "--column-inserts",
            f"--schema={schema}",
        ],
        env=libpq_env(url),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [line for line in dump.splitlines() if not line.startswith(RESTRICT)]
    if any(line.startswith("\\") for line in lines):
        raise RuntimeError("the dump has psql meta-commands left")
    dump = "\n".join(lines) + "\n"
    dump = dump.replace(f"CREATE SCHEMA {schema};", f"CREATE SCHEMA IF NOT EXISTS {schema};")
    if PLACEHOLDER in dump:
        raise RuntimeError(f"{PLACEHOLDER} is already in the dump")
    return dump.replace(schema, PLACEHOLDER)


def psql_load(url: str, dump: str, schema: str) -> None:
    subprocess.run(
        ["psql", "--no-psqlrc", "--quiet", "-v", "ON_ERROR_STOP=1", "--file=-"],
        input=dump.replace(PLACEHOLDER, schema),
        env=libpq_env(url),
        check=True,
        capture_output=True,
        text=True,
    )


# ---------------------------------------------------------------------------- expected.json


def moment(value: Any) -> str | None:
    """A stored DateTime (SQLite: text, PostgreSQL: datetime) as 'YYYY-MM-DDTHH:MM:SS'."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return str(value.isoformat(timespec="seconds"))


def content(query: Callable[[str], list[Any]]) -> dict[str, Any]:
    """What a database holds that any later version must keep (not what each version stamps
    on its own: creation times, revisions, cache counters). `query(sql)` gives rows."""
    rows = query("SELECT id, name, parent_id, archived_at FROM unit")
    units = {uid: (name, parent, archived) for uid, name, parent, archived in rows}

    def path(unit_id: int) -> str:
        name, parent, _ = units[unit_id]
        return name if parent is None else f"{path(parent)} > {name}"

    snapshots: dict[str, list[dict[str, Any]]] = {}
    heads = query(
        "SELECT id, unit_id, taken_at, saved_by, comment, catalogue_version FROM snapshot"
    )
    entries: dict[int, list[list[Any]]] = {}
    for sid, pid, step, status, note in query(
        "SELECT snapshot_id, practice_id, step, status, note FROM snapshot_practice"
    ):
        entries.setdefault(sid, []).append([pid, step, status, note])
    for sid, unit_id, taken_at, saved_by, comment, version in heads:
        snapshots.setdefault(path(unit_id), []).append(
            {
                "taken_at": moment(taken_at),
                "saved_by": saved_by,
                "comment": comment,
                "catalogue_version": version,
                "entries": sorted(entries.get(sid, []), key=lambda e: (e[1], e[0])),
            }
        )
    for some in snapshots.values():
        some.sort(key=lambda s: s["taken_at"])
    states = [
        {
            "unit": path(unit_id),
            "practice_id": pid,
            "status": status,
            "note": note,
            "updated_by": by,
        }
        for unit_id, pid, status, note, by in query(
            "SELECT unit_id, practice_id, status, note, updated_by FROM practice_state"
        )
    ]
    custom = [
        {
            "id": pid,
            "step": step,
            "dimensions": dims,
            "title_sv": title_sv,
            "title_en": title_en,
            "description_sv": desc_sv,
            "description_en": desc_en,
            "archived": archived is not None,
        }
        for pid, step, dims, title_sv, title_en, desc_sv, desc_en, archived in query(
            "SELECT id, step, dimensions, title_sv, title_en, description_sv, description_en,"
            " archived_at FROM custom_practice"
        )
    ]
    return {
        "unit_count": len(units),
        "units": sorted(
            (
                {
                    "path": path(uid),
                    "name": name,
                    "parent": None if parent is None else path(parent),
                    "archived": archived is not None,
                }
                for uid, (name, parent, archived) in units.items()
            ),
            key=lambda u: u["path"],
        ),
        "snapshot_count": sum(len(s) for s in snapshots.values()),
        "snapshots_per_unit": {
            p: {"count": len(s), "taken_at": [x["taken_at"] for x in s]}
            for p, s in sorted(snapshots.items())
        },
        "snapshots": dict(sorted(snapshots.items())),
        "practice_state": sorted(states, key=lambda s: (s["unit"], s["practice_id"])),
        "custom_practices": sorted(custom, key=lambda c: c["id"]),
    }


def sqlite_content(dump_file: Path) -> tuple[int, dict[str, Any]]:
    """Rebuild the database from its dump in memory and read it."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.executescript(dump_file.read_text(encoding="utf-8"))
        (version,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return int(version), content(lambda sql: conn.execute(sql).fetchall())
    finally:
        conn.close()


def postgresql_content(url: str, dump_file: Path) -> tuple[int, dict[str, Any]]:
    """Load the dump into a new schema with psql, read it, drop the schema."""
    schema = f"lartrappan_fixture_check_{dump_file.name.split('.')[0]}"
    with pg_schema(url, schema):
        psql_load(url, dump_file.read_text(encoding="utf-8"), schema)
        engine = create_engine(schema_url(url, schema))
        try:
            with engine.connect() as conn:
                tables = set(
                    conn.execute(
                        text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
                    ).scalars()
                )
                if tables != tables_of(int(dump_file.name.split(".")[0][1:])):
                    raise RuntimeError(f"{dump_file.name} loaded tables {sorted(tables)}")
                version = conn.execute(
                    text("SELECT value FROM meta WHERE key = 'schema_version'")
                ).scalar_one()
                found = content(lambda sql: [tuple(r) for r in conn.execute(text(sql))])
        finally:
            engine.dispose()
    return int(version), found


def write_expected(pg_url: str | None, out: Path) -> None:
    versions = sorted(int(p.name.split(".")[0][1:]) for p in out.glob("v*.sqlite.sql"))
    read: dict[str, tuple[int, dict[str, Any]]] = {}
    for v in versions:
        read[f"v{v}.sqlite.sql"] = sqlite_content(out / f"v{v}.sqlite.sql")
        if pg_url:
            read[f"v{v}.postgresql.sql"] = postgresql_content(pg_url, out / f"v{v}.postgresql.sql")
    first_name, (_, first) = next(iter(read.items()))
    for name, (version, found) in read.items():
        if int(name.split(".")[0][1:]) != version:
            raise RuntimeError(f"{name} says schema version {version}")
        if found != first:
            raise RuntimeError(f"{name} holds other content than {first_name}")
    expected = {
        "about": "What every fixture holds and a database migrated from it must still hold; "
        "made by make_fixtures.py from the fixtures (README.md).",
        "fixtures": {
            name: {"schema_version": version, "made_with": MADE_WITH[version]}
            for name, (version, _) in read.items()
        },
        **first,
    }
    target = out / "expected.json"
    target.write_text(json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {target}: the same content in {', '.join(read)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="make vN.sqlite and vN.postgresql.sql")
    build.add_argument("version", type=int)
    build.add_argument("checkout", type=Path, help="a checkout of the version's commit")
    build.add_argument("--any-commit", action="store_true", help="do not insist on MADE_WITH")
    expected = sub.add_parser("expected", help="write expected.json from every fixture")
    for p in (build, expected):
        p.add_argument(
            "--pg-url", help="SQLAlchemy URL of a PostgreSQL database (none: SQLite only)"
        )
        p.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    if args.command == "build":
        make(args.version, args.checkout, args.pg_url, args.out, args.any_commit)
    else:
        write_expected(args.pg_url, args.out)


if __name__ == "__main__":
    main()
