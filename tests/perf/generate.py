"""A national-scale data set, seeded and reproducible, bulk-loaded into a SQLite database.

Every Swedish region and municipality (21 + 290 roots at 10,000 units; fewer, in the same
proportions, at smaller sizes), administrations under them and units under those, exactly
`units` units in all. Every unit gets `months` monthly snapshots of all the practices of
the catalogue (statuses drifting upward over time, some notes, a few 'not applicable' with
their justification, the odd step back) and a working state equal to its latest snapshot.

The schema is made by `Lartrappan(url)` (so it is the app's, whatever its version); the rows go
in with sqlite3 `executemany` over the app's own tables, in one transaction, with the
journal off: about 6 million rows in well under two minutes. Timestamps are written with
SQLAlchemy's own SQLite DateTime format, so the app reads and compares them as its own.

    python3 -m tests.perf.generate /tmp/national.db --units 10000 --months 60
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite as sqlite_dialect

from staircase.domain.scoring import score
from staircase.services import Lartrappan
from staircase.storage.migrations import SCHEMA_VERSION
from staircase.storage.schema import practice_state, snapshot, snapshot_practice, unit

GENERATOR_VERSION = 3
"""Bump when the generated data changes, so kept databases are made anew."""

DEFAULT_SEED = 2026
LAST_MONTH = (2025, 12)
"""The newest snapshot's month: fixed (and in the past), so a seed always gives the same data."""
REGIONS_AT_SCALE = 21
MUNICIPALITIES_AT_SCALE = 290
SCALE_UNITS = 10_000
ADMIN_SHARE = 0.15
"""Administrations per unit in all (1,500 at 10,000 units)."""

REGIONS = (
    "Region Stockholm",
    "Region Uppsala",
    "Region Sörmland",
    "Region Östergötland",
    "Region Jönköpings län",
    "Region Kronoberg",
    "Region Kalmar län",
    "Region Gotland",
    "Region Blekinge",
    "Region Skåne",
    "Region Halland",
    "Västra Götalandsregionen",
    "Region Värmland",
    "Region Örebro län",
    "Region Västmanland",
    "Region Dalarna",
    "Region Gävleborg",
    "Region Västernorrland",
    "Region Jämtland Härjedalen",
    "Region Västerbotten",
    "Region Norrbotten",
)
# Made-up municipality names: a prefix and a suffix ("Björkköping kommun").
_TOWN_PREFIX = (
    "Norr", "Söder", "Öster", "Väster", "Ek", "Björk", "Sjö", "Berg", "Dal", "Lund",
    "Ham", "Strand", "Ås", "Hög", "Lill", "Stor", "Mal", "Skog", "Älv", "Åker",
    "Kung", "Fal", "Ny", "Gran", "Tall", "Lind", "Hed", "Mo", "Vik", "Näs",
)  # fmt: skip
_TOWN_SUFFIX = (
    "by", "köping", "holm", "sund", "vik", "stad", "berg", "ås", "torp", "hult",
    "ryd", "tuna", "hamn", "fors", "åker",
)  # fmt: skip
_MUNICIPAL_ADMINS = {
    "Barn- och utbildningsförvaltningen": ("Förskolan", "Skolan", "Fritidshemmet"),
    "Vård- och omsorgsförvaltningen": ("Hemtjänst", "Särskilt boende", "Hemsjukvård"),
    "Socialförvaltningen": ("Individ- och familjeomsorg", "Försörjningsstöd", "Boendestöd"),
    "Kultur- och fritidsförvaltningen": ("Biblioteket", "Fritidsgården", "Kulturskolan"),
    "Samhällsbyggnadsförvaltningen": ("Bygglov", "Miljö och hälsa", "Gata och park"),
    "Kommunstyrelseförvaltningen": ("HR-avdelningen", "Ekonomiavdelningen", "Kontaktcenter"),
    "Arbetsmarknadsförvaltningen": ("Jobbcentrum", "Vuxenutbildningen", "Integration"),
    "Tekniska förvaltningen": ("VA-enheten", "Fastighet", "Måltidsservice"),
}
_REGION_ADMINS = {
    "Hälso- och sjukvårdsförvaltningen": ("Vårdcentralen", "Avdelning", "Mottagningen"),
    "Regional utveckling": ("Näringsliv", "Kultur", "Kompetensförsörjning"),
    "Folktandvården": ("Kliniken", "Specialisttandvård", "Tandhygienist"),
    "Kollektivtrafikförvaltningen": ("Trafikplanering", "Kundservice", "Fordon"),
    "Regionledningskontoret": ("HR-avdelningen", "Ekonomiavdelningen", "Digitalisering"),
    "Psykiatriförvaltningen": ("Öppenvården", "Slutenvården", "Barn- och ungdomspsykiatrin"),
}
_PLACES = (
    "Norr", "Söder", "Centrum", "Öster", "Väster", "Solrosen", "Eken", "Lärkan",
    "Backen", "Hamnen", "Ängen", "Tallen", "Björken", "Älven", "Torget", "Sjöstaden",
    "Åsen", "Dalen", "Kullen", "Viken", "Lunden", "Bäcken", "Hagen", "Strand",
)  # fmt: skip
_FIRST = (
    "Karin", "Lars", "Anna", "Mikael", "Eva", "Johan", "Maria", "Anders", "Sara",
    "Peter", "Lena", "Erik", "Emma", "Fredrik", "Sofia", "Ahmed", "Fatima", "Nils",
)  # fmt: skip
_LAST = (
    "Ek", "Lindqvist", "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson",
    "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson", "Hassan", "Åberg",
)  # fmt: skip
_COMMENTS = (
    "Genomgång på APT",
    "Månadsuppföljning",
    "Uppföljning med ledningsgruppen",
    "Efter utvecklingsdagen",
    "",
    "",
    "Bedömning gjord tillsammans med medarbetarna, se anteckningar",
    'Ny chef på plats; "nuläget" gick vi igenom på nytt',
)
_NOTES = (
    "Kompetensplanen följs upp på varje APT.",
    "Vi har börjat med kollegialt lärande, en gång i månaden.",
    "Nya medarbetare går bredvid en kollega första veckan.",
    "Filmade instruktioner finns i telefonen, nära arbetet.",
    "Reflektion efter varje större insats, kort och skriftligt.",
    "Chefen följer upp vad kursen gav, i medarbetarsamtalet.",
    "Vi delar erfarenheter mellan arbetslagen, på gemensam yta.",
    "Påbörjat; behöver stöd från HR, och tid.",
    '"Lärande i vardagen" är ett stående inslag på mötena.',
    "-Osäkert läge efter omorganisationen",
)
_NA_NOTE = "Ej aktuellt för oss: uppdraget ser annorlunda ut, se verksamhetsplanen."
_NA_SHARE = 0.03
_NOTE_SHARE = 0.3
_DIP_SHARE = 0.04
SNAPSHOT_COLUMNS = (
    "id",
    "unit_id",
    "taken_at",
    "saved_by",
    "comment",
    "catalogue_version",
    "created_at",
)
ENTRY_COLUMNS = ("snapshot_id", "practice_id", "step", "status", "note")
STATE_COLUMNS = ("unit_id", "practice_id", "status", "note", "updated_at", "updated_by")


@dataclass(frozen=True)
class Generated:
    """What a generated database holds, and how long it took to make."""

    path: str
    units: int
    months: int
    seed: int
    practices: int
    snapshots: int
    snapshot_practices: int
    practice_states: int
    seconds: float
    generator_version: int = GENERATOR_VERSION
    schema_version: int = 0

    @property
    def rows(self) -> int:
        return self.units + self.snapshots + self.snapshot_practices + self.practice_states

    def same_data(self, other: Generated) -> bool:
        return (
            self.units,
            self.months,
            self.seed,
            self.generator_version,
            self.schema_version,
        ) == (
            other.units,
            other.months,
            other.seed,
            other.generator_version,
            other.schema_version,
        )


# ---------------------------------------------------------------------------- hierarchy


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    parent_id: int | None
    kinds: tuple[str, ...] = ()
    """For an administration: the kinds of unit under it (to name them)."""


def _split(total: int, parts: int, weights: Sequence[float], rng: random.Random) -> list[int]:
    """`total` split over `parts` bins, each ≥ 1 when total ≥ parts, in proportion to weights."""
    if parts == 0:
        return []
    base = 1 if total >= parts else 0
    counts = [base] * parts
    rest = total - base * parts
    if rest > 0:
        for i in rng.choices(range(parts), weights=weights, k=rest):
            counts[i] += 1
    elif base == 0:
        for i in rng.sample(range(parts), total):
            counts[i] = 1
    return counts


def hierarchy(total: int, rng: random.Random) -> list[UnitRow]:
    """Exactly `total` units: regions and municipalities, administrations, units; ids 1..total."""
    if total < 1:
        raise ValueError("at least one unit")
    roots = min(
        total, max(1, round(total * (REGIONS_AT_SCALE + MUNICIPALITIES_AT_SCALE) / SCALE_UNITS))
    )
    regions = min(
        len(REGIONS), round(roots * REGIONS_AT_SCALE / (REGIONS_AT_SCALE + MUNICIPALITIES_AT_SCALE))
    )
    admins = min(total - roots, max(roots, round(total * ADMIN_SHARE)))
    leaves = total - roots - admins

    towns = [p + s for p in _TOWN_PREFIX for s in _TOWN_SUFFIX]
    root_names = list(REGIONS[:regions])
    root_names += [f"{name.capitalize()} kommun" for name in rng.sample(towns, roots - regions)]
    rows: list[UnitRow] = [UnitRow(i + 1, name, None) for i, name in enumerate(root_names)]
    # Sizes vary like real ones: a few large municipalities, many small ones.
    size = [rng.lognormvariate(0, 0.9) * (2.5 if i < regions else 1.0) for i in range(roots)]

    admin_rows: list[UnitRow] = []
    for root, count in zip(rows[:roots], _split(admins, roots, size, rng), strict=True):
        pool = _REGION_ADMINS if root.id <= regions else _MUNICIPAL_ADMINS
        names = list(pool)
        rng.shuffle(names)
        for j in range(count):
            name = names[j % len(names)]
            suffix = f" {j // len(names) + 1}" if j >= len(names) else ""
            admin_rows.append(UnitRow(0, name + suffix, root.id, pool[name]))
    admin_rows = [
        UnitRow(roots + i + 1, a.name, a.parent_id, a.kinds) for i, a in enumerate(admin_rows)
    ]
    rows += admin_rows

    weights = [size[a.parent_id - 1] * rng.uniform(0.5, 1.5) for a in admin_rows]  # type: ignore[operator]
    next_id = roots + len(admin_rows) + 1
    for admin, count in zip(admin_rows, _split(leaves, len(admin_rows), weights, rng), strict=True):
        taken: set[str] = set()
        for _ in range(count):
            name = f"{rng.choice(admin.kinds)} {rng.choice(_PLACES)}"
            base, n = name, 2
            while name.casefold() in taken:
                name, n = f"{base} {n}", n + 1
            taken.add(name.casefold())
            rows.append(UnitRow(next_id, name, admin.id))
            next_id += 1
    assert len(rows) == total, (len(rows), total)
    return rows


# ---------------------------------------------------------------------------- statuses


@dataclass(frozen=True)
class _Course:
    """How one practice moves for one unit, in months from the first snapshot."""

    start: float
    done: float
    na: bool
    note_from: float
    note: str
    dip: tuple[float, float] | None


def _course(step: int, pace: float, months: int, rng: random.Random) -> _Course:
    span = max(months, 12)
    start = rng.gauss((step - 1) * 0.25 * span / pace, 0.2 * span)
    done = start + rng.expovariate(1.0 / (0.35 * span / pace))
    na = rng.random() < _NA_SHARE
    noted = rng.random() < _NOTE_SHARE
    note_from = start if noted else math.inf
    dip = None
    if rng.random() < _DIP_SHARE:
        at = rng.uniform(done, done + span)
        dip = (at, at + rng.uniform(2, 6))
    return _Course(start, done, na, note_from, rng.choice(_NOTES), dip)


def _status(course: _Course, month: int) -> tuple[str, str]:
    if course.na:
        return "not_applicable", _NA_NOTE
    note = course.note if month >= course.note_from else ""
    if month >= course.done and not (course.dip and course.dip[0] <= month < course.dip[1]):
        return "done", note
    if month >= course.start:
        return "in_progress", note
    return "not_started", note


def _month_start(index: int, months: int) -> tuple[int, int]:
    """(year, month) of snapshot `index` (0 = oldest) of `months`, ending at LAST_MONTH."""
    year, month = LAST_MONTH
    back = months - 1 - index
    total = year * 12 + (month - 1) - back
    return total // 12, total % 12 + 1


# ---------------------------------------------------------------------------- loading


def _datetime_format() -> Callable[[datetime], str]:
    """SQLAlchemy's SQLite DateTime bind format: what the app writes and compares against."""
    dialect = sqlite_dialect.dialect()
    process = snapshot.c.taken_at.type.dialect_impl(dialect).bind_processor(dialect)
    assert process is not None
    return process  # type: ignore[no-any-return]


def _insert(
    conn: sqlite3.Connection, table: Table, given: Sequence[str], rows: Iterable[tuple]
) -> None:
    """executemany into `table`: the `given` columns, plus the scalar default of any other
    NOT NULL column the app's schema has (so a column added later does not break loading)."""
    extra: list[tuple[str, Any]] = []
    for column in table.columns:
        if column.name in given or column.nullable or column.server_default is not None:
            continue
        if column.primary_key and column.autoincrement is True:
            continue
        default = column.default
        if default is None or not getattr(default, "is_scalar", False):
            raise RuntimeError(f"{table.name}.{column.name}: NOT NULL without a scalar default")
        extra.append((column.name, default.arg))  # type: ignore[attr-defined]
    names = [*given, *(name for name, _ in extra)]
    tail = tuple(value for _, value in extra)
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    conn.executemany(sql, (row + tail for row in rows) if tail else rows)


def generate(path: Path, units: int, months: int, seed: int = DEFAULT_SEED) -> Generated:
    """Make the database at `path` (replacing any file there) and say what it holds."""
    started = time.perf_counter()
    path = Path(path)
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    core = Lartrappan(f"sqlite:///{path}")
    practices = [(p.id, p.step) for p in core.practices.catalogue().practices]
    catalogue_version = core.practices.catalogue().version
    core.close()

    rng = random.Random(seed)
    tree = hierarchy(units, rng)
    fmt = _datetime_format()
    created = fmt(datetime(2020, 1, 1, 8, 0))
    leads = [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(97)]

    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=OFF")  # consistent by construction
        conn.execute("PRAGMA cache_size=-262144")  # 256 MB
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("BEGIN")
        _insert(
            conn,
            unit,
            ("id", "name", "parent_id", "archived_at", "created_at"),
            ((u.id, u.name, u.parent_id, None, created) for u in tree),
        )
        counts = {"snapshot": 0, "snapshot_practice": 0, "practice_state": 0}
        snaps: list[tuple] = []
        entries: list[tuple] = []
        states: list[tuple] = []

        def flush() -> None:
            # Snapshots first, then their practices: the order foreign keys would want.
            _insert(conn, snapshot, snapshot_columns, snaps)
            _insert(conn, snapshot_practice, ENTRY_COLUMNS, entries)
            counts["snapshot"] += len(snaps)
            counts["snapshot_practice"] += len(entries)
            snaps.clear()
            entries.clear()

        # A stored working state has been written once: revision 1 where the schema has
        # revisions (0 means "no row yet" to the app's conflict check).
        state_columns: tuple[str, ...] = STATE_COLUMNS
        written_once: tuple[int, ...] = ()
        if "revision" in practice_state.c:
            state_columns, written_once = (*STATE_COLUMNS, "revision"), (1,)
        # Each snapshot's score, where the schema stores it (version 3 on).
        scored = "step_reached" in snapshot.c
        snapshot_columns = (
            (*SNAPSHOT_COLUMNS, "step_reached", "maturity") if scored else SNAPSHOT_COLUMNS
        )
        snap_id = 0
        for u in tree:
            pace = rng.uniform(0.4, 1.6)
            lead = rng.choice(leads)
            courses = [(pid, step, _course(step, pace, months, rng)) for pid, step in practices]
            taken = created
            for m in range(months):
                year, month = _month_start(m, months)
                day, hour = rng.randint(1, 28), rng.randint(8, 16)
                taken = fmt(datetime(year, month, day, hour, rng.choice((0, 15, 30, 45))))
                snap_id += 1
                comment = rng.choice(_COMMENTS)
                head = (snap_id, u.id, taken, lead, comment, catalogue_version, taken)
                these = []
                for pid, step, course in courses:
                    status, note = _status(course, m)
                    these.append((snap_id, pid, step, status, note))
                entries.extend(these)
                if scored:
                    result = score((e[2], e[3]) for e in these)
                    head = (*head, result.step_reached, result.maturity)
                snaps.append(head)
            for pid, _, course in courses:
                status, note = _status(course, months - 1)
                states.append((u.id, pid, status, note, taken, lead, *written_once))
            if len(entries) >= 200_000:
                flush()
        flush()
        _insert(conn, practice_state, state_columns, states)
        counts["practice_state"] = len(states)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode=WAL")  # what the app runs with
    finally:
        conn.close()
    return Generated(
        path=str(path),
        units=units,
        months=months,
        seed=seed,
        practices=len(practices),
        snapshots=counts["snapshot"],
        snapshot_practices=counts["snapshot_practice"],
        practice_states=counts["practice_state"],
        seconds=round(time.perf_counter() - started, 2),
        schema_version=SCHEMA_VERSION,
    )


def ensure(
    directory: Path, units: int, months: int, seed: int = DEFAULT_SEED
) -> tuple[Generated, bool]:
    """The database for these parameters in `directory`: reused when a kept one matches
    (same units, months, seed, generator and schema version), else generated. Returns it
    and whether it was reused."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"national-u{units}-m{months}-s{seed}.db"
    info = path.with_suffix(".json")
    wanted = Generated(
        str(path), units, months, seed, 0, 0, 0, 0, 0.0, schema_version=SCHEMA_VERSION
    )
    if path.exists() and info.exists():
        try:
            kept = Generated(**json.loads(info.read_text()))
        except (TypeError, ValueError):
            kept = None
        if kept is not None and kept.same_data(wanted):
            return kept, True
    made = generate(path, units, months, seed)
    info.write_text(json.dumps(asdict(made), indent=2))
    return made, False


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("path", type=Path)
    parser.add_argument("--units", type=int, default=SCALE_UNITS)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    made = generate(args.path, args.units, args.months, args.seed)
    print(json.dumps({**asdict(made), "rows": made.rows}, indent=2))


if __name__ == "__main__":
    main()
