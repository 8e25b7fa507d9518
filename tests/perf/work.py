"""The data-work measurements, each run in a fresh process so its peak memory is its own.

    python3 -m tests.perf.work TASK --db PATH [--file PATH] [--units-file PATH]

Prints one JSON line: seconds (the work only, imports excluded), rows, peak_mb (this
process's peak resident memory, VmHWM, imports included) and task-specific facts.
The app side uses only public entry points (Lartrappan: transfer.write_csv/import_csv,
snapshots.overview); the baselines use sqlite3, plain SQL and pandas directly.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

from staircase.csv.format import CsvVariant
from staircase.services import Actor, Lartrappan

EXPORT_CHUNK = 200_000
TEXT_COLUMNS = ("unit_path", "saved_by", "comment", "practice_title", "note")
_FORMULA = r"^([=+\-@\t\r]|'[=+\-@\t\r'])"

# The export's rows in plain SQL: the same columns, order and text the app writes (unit path
# by a recursive CTE, times in the file's format); practice titles are mapped by pandas.
_PATHS = """
WITH RECURSIVE path(id, label) AS (
    SELECT id, name FROM unit WHERE parent_id IS NULL
    UNION ALL
    SELECT unit.id, path.label || ' > ' || unit.name FROM unit JOIN path ON unit.parent_id = path.id
)
"""
EXPORT_SQL = (
    _PATHS
    + """
SELECT path.label AS unit_path,
       replace(substr(s.taken_at, 1, 19), ' ', 'T') AS taken_at,
       s.saved_by, s.comment, s.catalogue_version, p.step, p.practice_id,
       '' AS practice_title, p.status, p.note
FROM snapshot AS s
JOIN snapshot_practice AS p ON p.snapshot_id = s.id
JOIN path ON path.id = s.unit_id
ORDER BY s.unit_id, s.taken_at, p.step, p.practice_id
"""
)
LATEST_SQL = """
SELECT s.unit_id, s.id AS snapshot_id, s.taken_at, p.step, p.status
FROM snapshot AS s
JOIN (SELECT unit_id, max(taken_at) AS taken_at FROM snapshot GROUP BY unit_id) AS latest
  ON latest.unit_id = s.unit_id AND latest.taken_at = s.taken_at
JOIN snapshot_practice AS p ON p.snapshot_id = s.id
"""


def peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    over fork and exec, so a child would report at least its parent's size."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _url(path: str) -> str:
    return f"sqlite:///{path}"


def _fresh(path: str) -> str:
    for stale in (Path(path), Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    return path


# ---------------------------------------------------------------------------- export


def export_app(db: str, out: str, units_file: str | None = None) -> dict[str, Any]:
    """The app's export (core.transfer.write_csv) of everything, or of the units in a file."""

    core = Lartrappan(_url(db))
    unit_ids = json.loads(Path(units_file).read_text()) if units_file else None
    started = time.perf_counter()
    with open(out, "wb") as handle:
        # The plain variant in Swedish: what the pandas baseline writes too.
        rows = core.transfer.write_csv(handle, unit_ids, CsvVariant.PLAIN, "sv")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": rows, "bytes": Path(out).stat().st_size}


def export_pandas(db: str, out: str) -> dict[str, Any]:
    """pandas.read_sql (in chunks, so it streams too) + DataFrame.to_csv of the same rows."""
    from staircase.domain.catalogue import load_catalogue

    titles = {p.id: p.title.sv for p in load_catalogue().practices}
    conn = sqlite3.connect(db)
    started = time.perf_counter()
    rows = 0
    with open(out, "w", encoding="utf-8", newline="") as handle:
        for i, chunk in enumerate(pd.read_sql(EXPORT_SQL, conn, chunksize=EXPORT_CHUNK)):
            chunk["practice_title"] = chunk["practice_id"].map(titles)
            for column in TEXT_COLUMNS:  # the same spreadsheet-safety escape as the app
                chunk[column] = chunk[column].str.replace(_FORMULA, r"'\1", regex=True)
            chunk.to_csv(handle, index=False, header=i == 0, lineterminator="\n")
            rows += len(chunk)
    seconds = time.perf_counter() - started
    conn.close()
    return {"seconds": seconds, "rows": rows, "bytes": Path(out).stat().st_size}


# ---------------------------------------------------------------------------- import


def import_app(db: str, file: str) -> dict[str, Any]:
    """core.transfer.import_csv of the file into a fresh, empty database (the app's own schema)."""
    from staircase.domain.model import ValidationError

    core = Lartrappan(_url(_fresh(db)))
    data = Path(file).read_bytes()
    started = time.perf_counter()
    try:
        result = core.transfer.import_csv(Actor(""), data)
    except ValidationError as error:
        return {
            "seconds": time.perf_counter() - started,
            "rows": 0,
            "rejected": [p.key for p in error.problems][:5],
            "bytes": len(data),
        }
    seconds = time.perf_counter() - started
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT count(*) FROM snapshot_practice").fetchone()[0]
    return {
        "seconds": seconds,
        "rows": rows,
        "snapshots": result.snapshots_created,
        "units": result.units_created,
        "bytes": len(data),
    }


def import_pandas(db: str, file: str) -> dict[str, Any]:
    """pandas.read_csv + bulk inserts (DataFrame.to_sql) into the same tables of a fresh,
    empty database: units from the paths, one snapshot per (unit, taken_at), its rows."""

    Lartrappan(_url(_fresh(db))).close()  # the app's schema, empty
    conn = sqlite3.connect(db)
    started = time.perf_counter()
    frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    now = pd.Timestamp.now().strftime("%Y-%m-%d %H:%M:%S.%f")
    # Units: every prefix of every path.
    ids: dict[str, int] = {}
    unit_rows = []
    for path in frame["unit_path"].unique():
        names = path.split(" > ")
        for depth in range(1, len(names) + 1):
            key = " > ".join(names[:depth])
            if key not in ids:
                ids[key] = len(ids) + 1
                parent = ids[" > ".join(names[: depth - 1])] if depth > 1 else None
                unit_rows.append((ids[key], names[depth - 1], parent, None, now))
    pd.DataFrame(
        unit_rows, columns=["id", "name", "parent_id", "archived_at", "created_at"]
    ).to_sql("unit", conn, if_exists="append", index=False)
    frame["unit_id"] = frame["unit_path"].map(ids)
    frame["taken_at"] = pd.to_datetime(frame["taken_at"]).dt.strftime("%Y-%m-%d %H:%M:%S.%f")
    snaps = frame.drop_duplicates(["unit_id", "taken_at"])[
        ["unit_id", "taken_at", "saved_by", "comment", "catalogue_version"]
    ].copy()
    snaps.insert(0, "id", range(1, len(snaps) + 1))
    snaps["created_at"] = now
    snaps.to_sql("snapshot", conn, if_exists="append", index=False)
    entries = frame.merge(snaps[["id", "unit_id", "taken_at"]], on=["unit_id", "taken_at"])
    entries = entries.rename(columns={"id": "snapshot_id"})[
        ["snapshot_id", "practice_id", "step", "status", "note"]
    ]
    entries.to_sql("snapshot_practice", conn, if_exists="append", index=False)
    conn.commit()
    seconds = time.perf_counter() - started
    rows = conn.execute("SELECT count(*) FROM snapshot_practice").fetchone()[0]
    conn.close()
    return {"seconds": seconds, "rows": rows, "snapshots": len(snaps), "units": len(ids)}


# ---------------------------------------------------------------------------- latest


def latest_app(db: str, repeat: int) -> dict[str, Any]:
    """core.snapshots.overview of every unit: the latest snapshot of each, scored."""

    core = Lartrappan(_url(db))
    ids = list(core.units.tree().units)
    core.snapshots.overview(ids)  # warm-up: page cache, imports
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        rows = len(core.snapshots.overview(ids))
        times.append(time.perf_counter() - started)
    return {"seconds": statistics.median(times), "rows": rows, "times": times}


def latest_sql(db: str, repeat: int) -> dict[str, Any]:
    """The same latest snapshots by one plain, indexed SQL query read with pandas."""
    conn = sqlite3.connect(db)
    pd.read_sql(LATEST_SQL, conn)  # warm-up
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        frame = pd.read_sql(LATEST_SQL, conn)
        times.append(time.perf_counter() - started)
        rows = frame["unit_id"].nunique()
    conn.close()
    return {"seconds": statistics.median(times), "rows": rows, "times": times}


# ---------------------------------------------------------------------------- roll-up

NATIONAL = "Sverige (bench)"
"""A top unit the benchmark puts over every organisation of a copy of the data set."""


def _rollup_scope(db: str, unit: str) -> tuple[int, list[int]]:
    """The unit to roll up ("largest": the largest organisation; "national": a top unit over
    every organisation, added to this copy of the database once) and its units."""
    if unit == "national":
        conn = sqlite3.connect(db)
        with conn:
            found = conn.execute("SELECT id FROM unit WHERE name = ?", (NATIONAL,)).fetchone()
            if found is None:
                now = pd.Timestamp.now().strftime("%Y-%m-%d %H:%M:%S.%f")
                top = conn.execute(
                    "INSERT INTO unit (name, parent_id, archived_at, created_at) "
                    "VALUES (?, NULL, NULL, ?)",
                    (NATIONAL, now),
                ).lastrowid
                conn.execute(
                    "UPDATE unit SET parent_id = ? WHERE parent_id IS NULL AND id != ?", (top, top)
                )
                conn.execute(  # the app's cached tree must see the change
                    "UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                    "WHERE key = 'revision.units'"
                )
        conn.close()
    core = Lartrappan(_url(db))
    try:
        tree = core.units.tree()
    finally:
        core.close()
    if unit == "national":
        top_id = next(u.id for u in tree.roots() if u.name == NATIONAL)
    else:
        top_id = max(tree.roots(), key=lambda u: (len(tree.subtree(u.id)), -u.id)).id
    return top_id, [u.id for u in tree.ordered(under=top_id)]


def rollup_app(db: str, repeat: int, unit: str) -> dict[str, Any]:
    """The roll-up of a unit, each time in a fresh core (no cache): where its units stand
    now (what `summary` prints: `seconds`), and everything the organisation page reads
    (that, the distribution per quarter over 24 months and the movers over 12 months:
    `seconds_page`)."""
    top_id, ids = _rollup_scope(db, unit)
    now_times: list[float] = []
    page_times: list[float] = []
    units = 0
    for i in range(repeat + 1):  # the first is a warm-up (page cache, imports)
        core = Lartrappan(_url(db))
        tree = core.units.tree()
        started = time.perf_counter()
        now = core.rollup.of_unit(tree, top_id)
        middle = time.perf_counter()
        core.rollup.over_time(tree, top_id, "quarter", 24)
        core.rollup.movers(tree, top_id, 12)
        if i:
            now_times.append(middle - started)
            page_times.append(time.perf_counter() - started)
        units = now.distribution.assessed
        core.close()
    return {
        "seconds": statistics.median(now_times),
        "seconds_page": statistics.median(page_times),
        "rows": units,
        "times": now_times,
        "page_times": page_times,
        "units": len(ids),
    }


def rollup_floor(db: str, repeat: int, unit: str) -> dict[str, Any]:
    """The floor of any roll-up: one indexed SQL query reading each unit's latest snapshot
    (its practice rows) for the same units, read with pandas."""
    _, ids = _rollup_scope(db, unit)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TEMP TABLE scope (id INTEGER PRIMARY KEY)")
    conn.executemany("INSERT INTO scope VALUES (?)", [(i,) for i in ids])
    query = LATEST_SQL.replace(
        "FROM snapshot GROUP BY unit_id",
        "FROM snapshot WHERE unit_id IN (SELECT id FROM scope) GROUP BY unit_id",
    )
    pd.read_sql(query, conn)  # warm-up
    times, rows = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        frame = pd.read_sql(query, conn)
        times.append(time.perf_counter() - started)
        rows = frame["unit_id"].nunique()
    conn.close()
    return {"seconds": statistics.median(times), "rows": rows, "times": times}


def steering_app(db: str, repeat: int, unit: str) -> dict[str, Any]:
    """Steering over a unit (the benchmark's target and round on it, see
    `bench.ensure_steering`), each part in a fresh core (no cache; the unit tree's index
    built beforehand, as the app keeps it per process): the units against their targets
    (`seconds`) and the round page's data (the round's status with its previous round:
    `seconds_round`)."""
    top_id, ids = _rollup_scope(db, unit)
    target_times: list[float] = []
    round_times: list[float] = []
    behind = answered = 0
    for i in range(repeat + 1):  # the first is a warm-up
        core = Lartrappan(_url(db))
        tree = core.units.tree()
        tree.ordered()  # the tree's index, built once per process and shared in the app
        started = time.perf_counter()
        progress = core.targets.progress(tree, top_id)
        took = time.perf_counter() - started
        core.close()
        core = Lartrappan(_url(db))
        tree = core.units.tree()
        tree.ordered()
        rounds = [r for r in core.rounds.of_unit(tree, top_id) if r.unit_id == top_id]
        if not rounds:
            raise RuntimeError(f"no round on unit {top_id}: run bench.ensure_steering first")
        started = time.perf_counter()
        status = core.rounds.status(tree, rounds[0].id)
        took_round = time.perf_counter() - started
        core.close()
        if i:
            target_times.append(took)
            round_times.append(took_round)
        behind, answered = len(progress.table), status.answered
    return {
        "seconds": statistics.median(target_times),
        "seconds_round": statistics.median(round_times),
        "times": target_times,
        "round_times": round_times,
        "units": len(ids),
        "with_target": behind,
        "answered": answered,
    }


def _report_content(db: str, unit: str) -> tuple[Lartrappan, Any]:
    top_id, _ = _rollup_scope(db, unit)
    core = Lartrappan(_url(db))
    return core, core.reports.build(core.units.tree(), top_id, made_by="Bench")


def report_app(db: str, out: str, repeat: int, unit: str) -> dict[str, Any]:
    """The management report of a unit (the largest organisation), built and written in the
    format the file's extension names, each time in a fresh core (no cache)."""
    from staircase.services.reports import render

    fmt = Path(out).suffix.lstrip(".")
    times: list[float] = []
    pages = 0
    for i in range(repeat + 1):  # the first is a warm-up (imports, fonts)
        started = time.perf_counter()
        core, report = _report_content(db, unit)
        with open(out, "wb") as fh:
            render(report, fmt, fh)  # type: ignore[arg-type]
        if i:
            times.append(time.perf_counter() - started)
        core.close()
    if fmt == "pdf":
        import pypdf

        pages = len(pypdf.PdfReader(out).pages)
    # The PDF's layout runs in a child process: its peak counts as the report's too.
    child_mb = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    return {
        "seconds": statistics.median(times),
        "times": times,
        "bytes": Path(out).stat().st_size,
        "pages": pages,
        "child_peak_mb": child_mb,
        "units": len(report.sections[-1].tables[0].rows) if report.kind == "organisation" else 1,
    }


def report_charts(db: str, repeat: int, unit: str) -> dict[str, Any]:
    """The PDF's floor: its charts alone, drawn and laid out as a PDF by the same renderer
    (one page per chart), from content built once."""
    from weasyprint import HTML

    from staircase.reports.html import PRINT_CSS, _figure

    core, report = _report_content(db, unit)
    core.close()
    figures = report.figures
    times: list[float] = []
    for i in range(repeat + 1):
        started = time.perf_counter()
        charts: list[tuple[str, str]] = []
        body = "".join(_figure(f, report.lang, False, charts) for f in figures)
        head = f"<head><style>{PRINT_CSS}</style></head>"
        html = f'<html lang="{report.lang}">{head}<body>{body}</body></html>'
        HTML(string=html).write_pdf()
        if i:
            times.append(time.perf_counter() - started)
    return {"seconds": statistics.median(times), "times": times, "charts": len(figures)}


def report_kaleido(db: str, repeat: int, unit: str) -> dict[str, Any]:
    """The floor the issue named: the report's charts alone, as Plotly figures rendered to
    SVG by kaleido (Chromium), its renderer started once per report, as a report built that
    way would have to."""
    import warnings

    import kaleido
    import plotly.io as pio

    core, report = _report_content(db, unit)
    core.close()
    figures = [pio.from_json(f.plotly) for f in report.figures if f.plotly]
    times: list[float] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i in range(repeat + 1):
            started = time.perf_counter()
            kaleido.start_sync_server(silence_warnings=True)
            try:
                for figure in figures:
                    pio.to_image(figure, format="svg")
            finally:
                kaleido.stop_sync_server(silence_warnings=True)
            if i:
                times.append(time.perf_counter() - started)
    return {"seconds": statistics.median(times), "times": times, "charts": len(figures)}


TASKS = {
    "export_app": lambda a: export_app(a.db, a.file, a.units_file),
    "export_pandas": lambda a: export_pandas(a.db, a.file),
    "import_app": lambda a: import_app(a.db, a.file),
    "import_pandas": lambda a: import_pandas(a.db, a.file),
    "latest_app": lambda a: latest_app(a.db, a.repeat),
    "latest_sql": lambda a: latest_sql(a.db, a.repeat),
    "rollup_app": lambda a: rollup_app(a.db, a.repeat, a.unit),
    "rollup_floor": lambda a: rollup_floor(a.db, a.repeat, a.unit),
    "steering_app": lambda a: steering_app(a.db, a.repeat, a.unit),
    "report_app": lambda a: report_app(a.db, a.file, a.repeat, a.unit),
    "report_charts": lambda a: report_charts(a.db, a.repeat, a.unit),
    "report_kaleido": lambda a: report_kaleido(a.db, a.repeat, a.unit),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--db", required=True)
    parser.add_argument("--file")
    parser.add_argument("--units-file")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--unit", choices=("largest", "national"), default="largest")
    parser.add_argument("--profile", help="write cProfile stats of the task here")
    args = parser.parse_args(argv)
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
        result = profile.runcall(TASKS[args.task], args)
        profile.dump_stats(args.profile)
    else:
        result = TASKS[args.task](args)
    result["peak_mb"] = peak_mb()
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
