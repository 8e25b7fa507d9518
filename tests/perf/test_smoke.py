"""The benchmark at a tiny scale, so it cannot rot: structure only, never timings.

The generator makes exactly the rows it promises, reproducibly; the benchmark runs every
section and prints every figure, with a number for its ratio and its goal where it has one.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from pathlib import Path

import pytest

from staircase.services import Lartrappan
from tests.perf import bench, generate

UNITS, MONTHS = 20, 3

PAGE_FIGURES = (
    "floor: title only",
    "floor: one chart on pre-aggregated data",
    "checklist, one unit",
    "checklist: rerun after ticking one practice",
    "progress, one unit",
    "progress comparing 10 units",
    "progress overview of the largest root",
    "snapshots, one unit",
    "units and practices",
    "import and export",
    "chart points: progress comparing 10 units",
    "chart points: progress overview of the largest root",
)
SCALING_FIGURES = (
    "checklist, one unit, at 10 units",
    f"checklist, one unit, at {UNITS} units",
    f"checklist: growth from 10 to {UNITS} units",
    "progress, one unit, at 10 units",
    f"progress, one unit, at {UNITS} units",
    f"progress: growth from 10 to {UNITS} units",
)
DATA_FIGURES = (
    "generate the data set",
    "export of everything",
    "export peak memory",
    "import of a CSV",
    "latest snapshot of every unit",
)
BROWSER_FLOORS = (
    "browser floor: empty page, time to idle",
    "browser floor: one-chart page, drawn",
    "browser floor: one-widget page, click to rerun done",
)
BROWSER_PAGES = (
    "browser: checklist, time to idle",
    "browser: progress, time to idle",
    "browser: progress of the organisation",
    "browser: snapshots, time to idle",
    "browser: units, time to idle",
    "browser: data, time to idle",
)
BROWSER_TICK = "browser: checklist tick, click to saved"


def _dump(path: str) -> str:
    """A digest of every row of the tables the generator fills."""
    digest = hashlib.sha256()
    with sqlite3.connect(path) as conn:
        for table in ("unit", "snapshot", "snapshot_practice", "practice_state"):
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2"):
                digest.update(repr(row).encode())
    return digest.hexdigest()


def test_generator_makes_exactly_the_promised_rows_reproducibly(tmp_path: Path) -> None:
    made = generate.generate(tmp_path / "a.db", UNITS, MONTHS, seed=7)
    practices = len(Lartrappan(f"sqlite:///{made.path}").practices.catalogue().practices)
    with sqlite3.connect(made.path) as conn:

        def count(sql: str) -> int:
            return int(conn.execute(sql).fetchone()[0])

        assert count("SELECT count(*) FROM unit") == UNITS == made.units
        assert count("SELECT count(*) FROM snapshot") == UNITS * MONTHS == made.snapshots
        assert (
            count("SELECT count(*) FROM snapshot_practice")
            == UNITS * MONTHS * practices
            == made.snapshot_practices
        )
        assert count("SELECT count(*) FROM practice_state") == UNITS * practices
        # Every unit has one snapshot a month, each listing every practice.
        assert count("SELECT count(DISTINCT unit_id) FROM snapshot") == UNITS
        assert count(
            "SELECT count(*) FROM (SELECT snapshot_id FROM snapshot_practice "
            f"GROUP BY snapshot_id HAVING count(*) = {practices})"
        ) == (UNITS * MONTHS)
        # A tree: roots, and every other unit under an existing one.
        assert count("SELECT count(*) FROM unit WHERE parent_id IS NULL") >= 1
        assert (
            count(
                "SELECT count(*) FROM unit u LEFT JOIN unit p ON p.id = u.parent_id "
                "WHERE u.parent_id IS NOT NULL AND p.id IS NULL"
            )
            == 0
        )
    # The app reads it as its own: history scores every snapshot of a unit.
    core = Lartrappan(f"sqlite:///{made.path}")
    assert len(core.snapshots.history([UNITS])) == MONTHS
    core.close()

    again = generate.generate(tmp_path / "b.db", UNITS, MONTHS, seed=7)
    other = generate.generate(tmp_path / "c.db", UNITS, MONTHS, seed=8)
    assert _dump(made.path) == _dump(again.path)
    assert _dump(made.path) != _dump(other.path)


def test_a_kept_database_is_reused_only_for_the_same_parameters(tmp_path: Path) -> None:
    first, reused = generate.ensure(tmp_path, 10, 2, seed=1)
    assert not reused
    same, reused = generate.ensure(tmp_path, 10, 2, seed=1)
    assert reused and same.path == first.path
    _, reused = generate.ensure(tmp_path, 10, 2, seed=2)
    assert not reused


def _run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *only: str) -> dict:
    monkeypatch.setenv("STAIRCASE_DB_URL", "sqlite:///unused")  # restored after the test
    out = tmp_path / "bench.json"
    argv = ["--units", str(UNITS), "--months", str(MONTHS), "--repeat", "1", "--warmup", "0"]
    argv += ["--scales", "10"]
    argv += ["--import-rows", "300", "--keep", str(tmp_path / "keep"), "--json", str(out)]
    for section in only:
        argv += ["--only", section]
    results = bench.main(argv)
    table = bench.table(results)
    for row in results.rows:
        assert row.figure in table
    return dict(json.loads(out.read_text()))


def _check(rows: list[dict], expected: tuple[str, ...]) -> None:
    for figure in expected:
        found = [r for r in rows if r["figure"].startswith(figure)]
        assert found, f"no line for {figure!r}"
        row = found[0]
        assert row["value"] is not None, row
        if row["target"]:
            assert isinstance(row["ratio"], float) and math.isfinite(row["ratio"]), row
            assert row["met"] in (True, False), row


def test_benchmark_prints_every_figure_with_its_ratio_and_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = _run(tmp_path, monkeypatch, "pages", "scaling", "data")
    rows = report["rows"]
    failed = [r for r in rows if r["value"] is None]
    assert not failed, failed
    _check(rows, PAGE_FIGURES + SCALING_FIGURES + DATA_FIGURES)
    targets = {r["figure"].split(" (")[0]: r["target"] for r in rows}
    # AppTest page figures are information (the goals are the browser's); scaling has one.
    assert targets["checklist, one unit"] == ""
    assert targets["checklist: rerun after ticking one practice"] == ""
    assert targets["checklist: growth from 10 to 20 units"] == "≤ 1.5×"
    assert targets["export of everything"] == "≥ 0.7×"
    assert targets["import of a CSV"] == "≤ 2×"
    # The export baseline wrote the same bytes as the app: the same rows were compared.
    assert report["info"]["export"]["identical"] is True
    assert report["info"]["data_set"]["snapshot_practices"] == UNITS * MONTHS * 10


@pytest.mark.browser
def test_benchmark_measures_the_browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("playwright.sync_api")
    if not bench.CHROMIUM.exists():
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    report = _run(tmp_path, monkeypatch, "browser")
    rows = report["rows"]
    failed = [r for r in rows if r["value"] is None]
    assert not failed, failed
    _check(rows, (*BROWSER_FLOORS, *BROWSER_PAGES, BROWSER_TICK))
    # Every page against the empty page (≤ 2×), the tick against a one-widget rerun (≤ 1.5×).
    for figure in BROWSER_PAGES:
        row = next(r for r in rows if r["figure"].startswith(figure))
        assert (row["baseline_label"], row["target"]) == ("empty page", "≤ 2×"), row
    tick = next(r for r in rows if r["figure"] == BROWSER_TICK)
    assert (tick["baseline_label"], tick["target"]) == ("one-widget rerun", "≤ 1.5×"), tick


@pytest.mark.browser
def test_benchmark_measures_the_download(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("playwright.sync_api")
    if not bench.CHROMIUM.exists():
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    report = _run(tmp_path, monkeypatch, "download")
    rows = report["rows"]
    failed = [r for r in rows if r["value"] is None]
    assert not failed, failed
    memory = next(r for r in rows if r["figure"].startswith("in-app download of everything ("))
    assert memory["figure"].endswith("server memory over idle"), memory
    assert (memory["unit"], memory["baseline"], memory["baseline_label"], memory["target"]) == (
        "MB",
        bench.DOWNLOAD_MEMORY_MB,
        "limit",
        "≤ 1×",
    )
    assert isinstance(memory["ratio"], float) and memory["met"] in (True, False)
    run = report["info"]["download"]["runs"][0]
    assert run["kind"] == "CSV" and run["bytes"] > 0 and not run["error"]
    assert run["caption"].startswith("lartrappan-alla-")  # the size was said before the click
    _check(rows, ("in-app download of everything, click to saved",))
