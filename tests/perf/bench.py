"""Issue #4's benchmark: what a user feels at national scale, and how the work scales.

    python3 -m tests.perf.bench                      # 10,000 units × 60 months, 5 repetitions
    python3 -m tests.perf.bench --quick              # a small run (a few minutes)
    python3 -m tests.perf.bench --keep /tmp/lartrappan-bench --only browser --json out.json
    python3 -m tests.perf.bench --only browser --app /tmp/other-checkout   # another version

Everything is measured in the same run on the same machine, and every figure is printed with
its baseline, the ratio and the goal in one table at the end:

- browser (the goals): every page of a typical unit of the largest organisation opened by
  its link (`/<page>?unit=<id>&lang=sv`) in Chromium, timed from navigation until the
  script has run (time to idle) and the page's own content is there (all charts drawn, the
  tables, the forms), against an empty Streamlit page served and timed the same way (goal
  ≤ 2×); and a tick: a click on a practice's status until the row's "changed … by …"
  caption shows the change, against a one-widget app's click until its rerun is done (goal
  ≤ 1.5×). The floors are measured before and after the pages and pooled.
- pages (information): an AppTest run of each page (fresh AppTest per repetition, median),
  the server's share of a page; the title-only and one-chart floors beside them.
- charts: the points every chart of every page sends to the browser (≤ 5,000).
- scaling: the checklist and the progress page of a comparable unit at 100, 1,000 and the
  full number of units (same months), in AppTest: the work must not grow with the units
  outside the page (goal ≤ 1.5× from the smallest size to the full one).
- data: export of everything vs pandas.read_sql + to_csv (rows/s, peak memory), import of
  a 1,000,000-row CSV vs pandas.read_csv + to_sql, the latest snapshot of every unit vs
  one plain SQL query; each in a fresh process (peak memory is its own).

Only public entry points are used (Lartrappan and its services, the app through AppTest and
through its links in a browser), so the script keeps working while the app's insides change;
the browser section serves any checkout's app (`--app`) against the same data set.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import cProfile
import filecmp
import json
import logging
import math
import os
import platform
import pstats
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from staircase.services import Actor, Lartrappan
from tests.perf import generate

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
HERE = Path(__file__).resolve().parent
FLOOR_TITLE = HERE / "floor_title.py"
FLOOR_CHART = HERE / "floor_chart.py"
FLOOR_BROWSER = HERE / "floor_browser.py"
CHROMIUM = Path("/usr/bin/chromium")
APPTEST_TIMEOUT = 600
MAX_POINTS = 5_000
IMPORT_ROWS = 1_000_000

# Goals: (comparison, bound). Ratios are value / baseline.
BROWSER_PAGE_TARGET = 2.0  # a page's time to idle / an empty Streamlit page's
BROWSER_TICK_TARGET = 1.5  # a tick's click-to-saved / a one-widget app's click-to-rerun
EXPORT_THROUGHPUT_TARGET = 0.7
EXPORT_MEMORY_MB = 500.0
IMPORT_TARGET = 2.0
LATEST_TARGET = 2.0  # the issue names none: 'close to what the database can do'
ROLLUP_TARGET = 1.5  # issue #14: the roll-up's data work against one latest-snapshot query
DOWNLOAD_MEMORY_MB = 200.0  # issue #13: the server's memory over idle for any download
DOWNLOAD_TIMEOUT_S = 1800  # how long the download section waits for one file
GROWTH_TARGET = 1.5  # 'does not grow': 10k/100 within noise
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
)
WARMUP = 1
"""Untimed repetitions before the timed ones (imports, the shared core, caches); --warmup."""


@dataclass
class Row:
    """One line of the table: a figure, its baseline, the ratio and the target."""

    section: str
    figure: str
    value: float | None
    unit: str
    baseline: float | None = None
    baseline_label: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""
    samples: list[float] = field(default_factory=list)


class Results:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.info: dict[str, Any] = {}

    def add(
        self,
        section: str,
        figure: str,
        value: float | None,
        unit: str,
        baseline: float | None = None,
        baseline_label: str = "",
        *,
        at_most: float | None = None,
        at_least: float | None = None,
        ratio: float | None = None,
        note: str = "",
        samples: Sequence[float] = (),
    ) -> Row:
        """A figure; the ratio is value/baseline unless given; the target bounds the ratio."""
        if ratio is None and value is not None and baseline:
            ratio = value / baseline
        target, met = "", None
        if at_most is not None:
            target = f"≤ {at_most:g}×"
            met = ratio is not None and ratio <= at_most
        elif at_least is not None:
            target = f"≥ {at_least:g}×"
            met = ratio is not None and ratio >= at_least
        row = Row(section, figure, value, unit, baseline, baseline_label, ratio, target, met, note)
        row.samples = [round(s, 4) for s in samples]
        self.rows.append(row)
        print(f"  {_line(row)}", flush=True)
        return row

    def failed(self, section: str, figure: str, error: str, target: str = "") -> None:
        row = Row(section, figure, None, "", target=target, met=False, note=error[:300])
        self.rows.append(row)
        print(f"  {figure}: FAILED: {error[:300]}", flush=True)


# ---------------------------------------------------------------------------- formatting


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "s":
        return f"{value * 1000:,.0f} ms" if value < 10 else f"{value:,.1f} s"
    if unit in ("rows/s", "points", "rows"):
        return f"{value:,.0f} {unit}"
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value:,.2f} {unit}".strip()


def _line(row: Row) -> str:
    ratio = "–" if row.ratio is None else f"{row.ratio:.2f}×"
    mark = {True: "✓", False: "✗", None: ""}[row.met]
    base = (
        f" vs {_num(row.baseline, row.unit)} ({row.baseline_label})" if row.baseline_label else ""
    )
    return f"{row.figure}: {_num(row.value, row.unit)}{base} = {ratio} {row.target} {mark}".rstrip()


def table(results: Results) -> str:
    header = ("figure", "value", "baseline", "ratio", "goal", "met")
    lines = []
    for row in results.rows:
        base = _num(row.baseline, row.unit) if row.baseline is not None else ""
        if row.baseline_label:
            base = f"{base} ({row.baseline_label})" if base else row.baseline_label
        lines.append(
            (
                row.figure,
                _num(row.value, row.unit),
                base,
                "–" if row.ratio is None else f"{row.ratio:.2f}×",
                row.target,
                {True: "✓", False: "✗", None: ""}[row.met],
            )
        )
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    out = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |",
        "| " + " | ".join("-" * w for w in widths) + " |",
    ]
    for line in lines:
        out.append("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |")
    notes = [f"- {r.figure}: {r.note}" for r in results.rows if r.note]
    return "\n".join(out + (["", *notes] if notes else []))


# ---------------------------------------------------------------------------- AppTest harness


def _quiet_streamlit() -> None:
    """No 'missing ScriptRunContext' lines: AppTest runs scripts outside `streamlit run`.

    AppTest re-reads the config on every run and resets the loggers' level from it, so a
    filter on the loggers (which survives that) drops everything below an error."""
    import streamlit.logger

    streamlit.logger.get_logger("streamlit")  # make sure the package's loggers exist
    import streamlit.runtime.scriptrunner_utils.script_run_context
    import streamlit.runtime.state.session_state_proxy

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).addFilter(_errors_only)


def _errors_only(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR


class Profiler:
    """With --profile: cProfile around every script run (in the script's own thread)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.current: cProfile.Profile | None = None
        if directory is None:
            return
        directory.mkdir(parents=True, exist_ok=True)
        from streamlit.runtime.scriptrunner import script_runner

        original = script_runner.exec_func_with_error_handling

        def profiled(func: Any, ctx: Any) -> Any:
            profile = self.current
            if profile is None:
                return original(func, ctx)
            profile.enable()
            try:
                return original(func, ctx)
            finally:
                profile.disable()

        script_runner.exec_func_with_error_handling = profiled  # type: ignore[assignment]

    @contextlib.contextmanager
    def of(self, name: str) -> Iterator[None]:
        if self.directory is None:
            yield
            return
        self.current = cProfile.Profile()
        try:
            yield
        finally:
            profile, self.current = self.current, None
            path = self.directory / f"{_slug(name)}.prof"
            profile.dump_stats(str(path))
            with open(path.with_suffix(".txt"), "w") as out:
                stats = pstats.Stats(str(path), stream=out)
                stats.sort_stats("cumulative").print_stats(40)
                stats.sort_stats("tottime").print_stats(25)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:60]


@dataclass
class Sample:
    seconds: float
    times: list[float]
    charts: list[int]
    """Points of each chart of the last timed run."""
    payload_kb: float
    """Protobuf bytes of the page's elements (what the run sends to the browser)."""


class PageError(RuntimeError):
    pass


def _trace_points(trace: dict[str, Any]) -> int:
    """The points a trace draws: the longest of its data arrays (plain or base64 typed)."""
    longest = 0
    for key in ("x", "y", "values", "z", "r", "theta", "lat", "lon"):
        data = trace.get(key)
        if isinstance(data, list):
            longest = max(longest, len(data))
        elif isinstance(data, dict) and "bdata" in data:
            import numpy as np

            raw = base64.b64decode(data["bdata"])
            longest = max(longest, len(raw) // np.dtype(data.get("dtype", "f8")).itemsize)
    return longest


def chart_points(at: Any) -> list[int]:
    """Points of each Plotly chart the run sent, read from the figure JSON."""
    counts = []
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        counts.append(sum(_trace_points(t) for t in spec.get("data", [])))
    return counts


def payload_kb(at: Any) -> float:
    total = 0

    def walk(node: Any) -> None:
        nonlocal total
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)
        else:
            proto = getattr(node, "proto", None)
            if proto is not None and hasattr(proto, "ByteSize"):
                total += proto.ByteSize()

    walk(at._tree)
    return round(total / 1024, 1)


def _check(at: Any, what: str) -> None:
    if at.exception:
        raise PageError(f"{what}: {[e.value for e in at.exception][:2]}")
    if not at.title:
        raise PageError(f"{what}: no title rendered")


def measure(
    what: str,
    prepare: Callable[[], Any],
    act: Callable[[Any], None],
    repeat: int,
    profiler: Profiler,
) -> Sample:
    """Median time of `act` over `repeat` fresh AppTests made by `prepare` (after one warm-up)."""
    times: list[float] = []
    at = None
    for i in range(WARMUP + repeat):
        at = prepare()
        with profiler.of(what) if i == WARMUP + repeat - 1 else contextlib.nullcontext():
            started = time.perf_counter()
            act(at)
            elapsed = time.perf_counter() - started
        _check(at, what)
        if i >= WARMUP:
            times.append(elapsed)
    assert at is not None
    return Sample(statistics.median(times), times, chart_points(at), payload_kb(at))


def _apptest(path: Path) -> Any:
    from streamlit.testing.v1 import AppTest

    return AppTest.from_file(str(path), default_timeout=APPTEST_TIMEOUT)


def _use_db(path: str) -> None:
    """Point the app (AppTest runs it in this process) at the database. Settings are read
    once per process, so their cache is cleared too."""
    from staircase import settings

    os.environ["STAIRCASE_DB_URL"] = f"sqlite:///{path}"
    settings.current.cache_clear()


def page_file(name: str, app: Path = APP) -> str:
    """The page script `name` as the router lists it ('pages/checklist.py'), relative to
    app.py: read from app.py, so a renamed pages folder needs no change here."""
    found = re.search(rf"""["']([\w./-]*?){re.escape(name)}\.py["']""", app.read_text())
    return f"{found.group(1) if found else 'pages/'}{name}.py"


def open_app(unit_id: int, lang: str = "sv") -> Any:
    """A fresh session that has opened the app (router + default page) for the unit."""
    at = _apptest(APP)
    at.session_state["unit"] = unit_id
    if lang != "sv":
        at.session_state["lang"] = lang
    at.run()
    return at


def open_page(page: str, unit_id: int) -> Any:
    """A session on the app, switched to `page` and run (for measurements after opening)."""
    at = open_app(unit_id)
    at.switch_page(page)
    at.run()
    _check(at, page)
    return at


def _run(at: Any) -> None:
    at.run()


# ---------------------------------------------------------------------------- choosing units


@dataclass(frozen=True)
class Picks:
    leaf: int
    leaf_scope: int
    """Units the leaf's progress page covers (its parent's subtree)."""
    big_root: int
    """The largest organisation (region or municipality)."""
    big_root_units: int
    compare: list[int]
    all_units: int
    org_leaf: int
    """A typical leaf of the largest organisation: the unit the browser opens."""
    org_leaf_scope: int


def pick_units(db: str, seed: int) -> Picks:
    """A typical leaf (its administration has about 6 units), the largest root, a typical leaf
    of the largest root, and 10 leaves of the first leaf's organisation for the comparison
    (the app compares units within one organisation). The same rule at every scale."""

    core = Lartrappan(f"sqlite:///{db}")
    try:
        tree = core.units.tree()
    finally:
        core.close()
    leaves = [u for u in tree.units.values() if not tree.children(u.id) and u.parent_id]
    if not leaves:
        leaves = list(tree.units.values())

    def scope(u: Any) -> int:
        return len(tree.subtree(u.parent_id)) if u.parent_id else len(tree.subtree(u.id))

    labels: dict[str, int] = {}
    for u in tree.units.values():
        labels[tree.short_label(u.id)] = labels.get(tree.short_label(u.id), 0) + 1

    def typical(units: list[Any]) -> Any:
        # A unique sidebar label first: the same rule as the runs before links used ids.
        return min(
            units, key=lambda u: (abs(scope(u) - 7), labels[tree.short_label(u.id)] > 1, u.id)
        )

    leaf = typical(leaves)
    roots = [u for u in tree.units.values() if u.parent_id is None]
    big = max(roots, key=lambda u: (len(tree.subtree(u.id)), -u.id))
    org_leaf = typical([u for u in leaves if tree.root_of(u.id) == big.id] or [big])
    rng = random.Random(seed)
    own = [u.id for u in leaves if tree.root_of(u.id) == tree.root_of(leaf.id)]
    compare = sorted(rng.sample(own, min(10, len(own))))
    return Picks(
        leaf.id,
        scope(leaf),
        big.id,
        len(tree.subtree(big.id)),
        compare,
        len(tree.units),
        org_leaf.id,
        scope(org_leaf),
    )


def unit_names(db: str, unit_id: int) -> tuple[str, str]:
    """(the sidebar's label of the unit, the name of its organisation)."""

    core = Lartrappan(f"sqlite:///{db}")
    try:
        tree = core.units.tree()
        return tree.short_label(unit_id), tree.units[tree.root_of(unit_id)].name
    finally:
        core.close()


# ---------------------------------------------------------------------------- pages


def _floor(repeat: int, profiler: Profiler) -> tuple[Sample, Sample]:
    """The floors, timed like the pages: the second run of a fresh session."""
    title = measure("floor: title", lambda: _ran(_apptest(FLOOR_TITLE)), _run, repeat, profiler)
    chart = measure("floor: chart", lambda: _ran(_apptest(FLOOR_CHART)), _run, repeat, profiler)
    return title, chart


def _ran(at: Any) -> Any:
    at.run()
    return at


def _pool(a: Sample, b: Sample) -> Sample:
    times = a.times + b.times
    return Sample(statistics.median(times), times, a.charts, a.payload_kb)


def _tick_prepare(unit_id: int) -> Callable[[], Any]:
    """An opened checklist with one practice's status control set to another status."""

    def prepare() -> Any:
        at = open_page(page_file("checklist"), unit_id)
        controls = [
            c
            for c in at.get("segmented_control")
            if str(getattr(c, "key", "") or "").startswith(f"chk_{unit_id}_")
            and str(c.key).endswith("_status")
        ]
        if not controls:
            raise PageError("no practice status control (keys chk_{unit}_{practice}_status)")
        control = next((c for c in controls if c.value != "not_applicable"), controls[0])
        control.set_value("in_progress" if control.value == "done" else "done")
        return at

    return prepare


def _blocks(node: Any, kind: str) -> Iterator[Any]:
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", "") == kind:
            yield child
        yield from _blocks(child, kind)


def _open_tab_with(at: Any, shows: Callable[[Any], bool], what: str) -> None:
    """Open the page's tab that `shows` (tabs that run only when open: set the tab
    container's widget state and run), unless the page shows it already."""
    if shows(at):
        return
    for container in list(_blocks(at.main, "tab_container")):
        for tab in list(container.children.values()):
            at.session_state[container.key] = tab.label
            at.run()
            if shows(at):
                return
    raise PageError(f"no {what}, in any tab")


def _compare_prepare(unit_id: int, ids: list[int]) -> Callable[[], Any]:
    def picker(at: Any) -> Any:
        return next((m for m in at.multiselect if str(m.key).startswith("prog_compare")), None)

    def prepare() -> Any:
        at = open_page(page_file("progress"), unit_id)
        _open_tab_with(at, lambda a: picker(a) is not None, "comparison (key prog_compare…)")
        picker(at).set_value(ids)
        return at

    return prepare


def _shows_overview(at: Any) -> bool:
    """The overview tab is open: its chart is there (its table is a plain st.table for a
    small scope, a grid for a large one)."""
    return any(chart.proto.id.endswith("-prog_overview") for chart in at.get("plotly_chart"))


def _overview_prepare(unit_id: int) -> Callable[[], Any]:
    """The progress page with its overview (its chart and table of units) shown; the timed run is
    the one that draws it again."""

    def prepare() -> Any:
        at = open_page(page_file("progress"), unit_id)
        _open_tab_with(at, _shows_overview, "overview chart (key prog_overview)")
        return at

    return prepare


def page_figures(
    db: str, picks: Picks, repeat: int, profiler: Profiler
) -> list[tuple[str, str, Sample | Exception]]:
    """Every AppTest page figure on one database: (name, kind, sample or error)."""
    _use_db(db)
    leaf, out = picks.leaf, []

    def page(name: str, path: str, unit_id: int) -> None:
        prepare = lambda: _switched(path, unit_id)  # noqa: E731
        out.append((name, "page", _try(name, prepare, _run, repeat, profiler)))

    page("checklist, one unit", page_file("checklist"), leaf)
    out.append(
        (
            "checklist: rerun after ticking one practice",
            "tick",
            _try("tick", _tick_prepare(leaf), _run, repeat, profiler),
        )
    )
    page("progress, one unit", page_file("progress"), leaf)
    out.append(
        (
            f"progress comparing {len(picks.compare)} units",
            "page",
            _try("compare", _compare_prepare(leaf, picks.compare), _run, repeat, profiler),
        )
    )
    name = f"progress overview of the largest root ({picks.big_root_units:,} units)"
    out.append(
        (name, "page", _try(name, _overview_prepare(picks.big_root), _run, repeat, profiler))
    )
    page(
        f"organisation: roll-up of the largest root ({picks.big_root_units:,} units)",
        page_file("organisation"),
        picks.big_root,
    )
    page("snapshots, one unit", page_file("snapshots"), leaf)
    page("units and practices", page_file("units"), leaf)
    page("import and export", page_file("data"), leaf)
    return out


def _switched(path: str, unit_id: int) -> Any:
    at = open_app(unit_id)
    at.switch_page(path)
    return at


def _try(
    what: str,
    prepare: Callable[[], Any],
    act: Callable[[Any], None],
    repeat: int,
    profiler: Profiler,
) -> Sample | Exception:
    try:
        return measure(what, prepare, act, repeat, profiler)
    except Exception as error:  # reported as a failed row; the rest of the run goes on
        return error


def pages_section(
    results: Results, db: str, picks: Picks, repeat: int, profiler: Profiler
) -> dict[str, Sample | Exception]:
    print(
        f"\n== pages (AppTest: the server's share, information; median of {repeat}, "
        "fresh AppTest each, after a warm-up)"
    )
    title1, chart1 = _floor(repeat, profiler)
    figures = page_figures(db, picks, repeat, profiler)
    title2, chart2 = _floor(repeat, profiler)
    title, chart = _pool(title1, title2), _pool(chart1, chart2)
    floor = "title-only floor"
    results.info["floor"] = {"title": asdict(title), "chart": asdict(chart)}
    results.add("pages", "floor: title only (AppTest run)", title.seconds, "s", samples=title.times)
    results.add(
        "pages",
        "floor: one chart on pre-aggregated data",
        chart.seconds,
        "s",
        title.seconds,
        floor,
        samples=chart.times,
        note="information: what one Plotly chart costs over the floor",
    )
    by_name: dict[str, Sample | Exception] = {}
    points: list[tuple[str, int]] = []
    for name, kind, sample in figures:
        by_name[name] = sample
        if isinstance(sample, Exception):
            results.failed("pages", name, f"{type(sample).__name__}: {sample}")
            continue
        note = f"payload {sample.payload_kb:,.0f} KB"
        if sample.charts:
            note += (
                f"; {len(sample.charts)} charts; "
                f"{sample.seconds / chart.seconds:.1f}× the one-chart floor"
            )
        if kind == "tick":
            note += "; AppTest reruns the whole script, fragments or not (see the browser tick)"
        results.add(
            "pages",
            name,
            sample.seconds,
            "s",
            title.seconds,
            floor,
            note=note,
            samples=sample.times,
        )
        if sample.charts:
            points.append((name, max(sample.charts)))
    for name, most in points:
        results.add(
            "charts",
            f"chart points: {name}",
            most,
            "points",
            MAX_POINTS,
            "cap",
            at_most=1.0,
        )
    return by_name


def scaling_section(
    results: Results, scales: list[tuple[int, str, Picks]], repeat: int, profiler: Profiler
) -> None:
    """The unit pages at each scale; their growth from the smallest to the full size must
    stay within noise. The scales take turns in every repetition, so a busy moment of the
    machine weighs on all of them alike."""
    print(f"\n== scaling (the same pages for a comparable unit at each size, {repeat} rounds)")
    pages = {"checklist": page_file("checklist"), "progress": page_file("progress")}
    times: dict[tuple[str, int], list[float]] = {}
    errors: dict[tuple[str, int], str] = {}
    for round_ in range(WARMUP + repeat):  # the first rounds warm up
        for units, db, picks in scales:
            for page, path in pages.items():
                if (page, units) in errors:
                    continue
                _use_db(db)
                try:
                    at = _switched(path, picks.leaf)
                    started = time.perf_counter()
                    at.run()
                    elapsed = time.perf_counter() - started
                    _check(at, f"{page}@{units}")
                except Exception as error:
                    errors[(page, units)] = f"{type(error).__name__}: {error}"
                    continue
                if round_ >= WARMUP:
                    times.setdefault((page, units), []).append(elapsed)
    for page in pages:
        medians = []
        for units, _, picks in scales:
            name = f"{page}, one unit, at {units:,} units"
            if (page, units) in errors:
                results.failed("scaling", name, errors[(page, units)])
                continue
            median = statistics.median(times[(page, units)])
            medians.append((units, median))
            results.add(
                "scaling",
                name,
                median,
                "s",
                note=f"unit {picks.leaf}, its scope {picks.leaf_scope} units",
                samples=times[(page, units)],
            )
        if len(medians) >= 2:
            (small, t_small), (big, t_big) = medians[0], medians[-1]
            results.add(
                "scaling",
                f"{page}: growth from {small:,} to {big:,} units",
                t_big,
                "s",
                t_small,
                f"at {small:,} units",
                at_most=GROWTH_TARGET,
            )


# ---------------------------------------------------------------------------- data work


def _work(task: str, *args: str, profile: Path | None = None) -> dict[str, Any]:
    """Run one measurement of tests.perf.work in a fresh process; its JSON result."""
    command = [sys.executable, "-m", "tests.perf.work", task, *args]
    if profile is not None:
        command += ["--profile", str(profile / f"data-{task}.prof")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{task} failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _import_units(db: str, rows: int, practices: int, months: int) -> list[int]:
    """Leaf units in tree order whose snapshots make about `rows` CSV rows."""

    core = Lartrappan(f"sqlite:///{db}")
    try:
        tree = core.units.tree()
    finally:
        core.close()
    per_unit = max(1, practices * months)
    wanted = max(1, math.ceil(rows / per_unit))
    order = [u.id for u in tree.ordered()]
    return order[:wanted]


REPORT_TARGET = 2.0  # issue #13: the PDF's time against its charts alone
REPORT_MEMORY_MB = 500  # issue #13: a report's peak memory


def reports_section(results: Results, db: str, work_dir: Path, repeat: int) -> None:
    """The management report of the demo municipality and of the largest organisation of
    the data set, in each format: time (each in a fresh process and core) and peak memory;
    the PDF against its charts rendered alone."""
    print("\n== reports (each in a fresh process; peak memory = its max RSS)")
    demo = work_dir / "demo-report.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{demo}{suffix}").unlink(missing_ok=True)
    core = Lartrappan(f"sqlite:///{demo}")
    try:
        from staircase.services.demo import load_demo

        load_demo(core)
    finally:
        core.close()
    for label, path in (("the demo municipality", str(demo)), ("the largest organisation", db)):
        try:
            kaleido = _work("report_kaleido", "--db", path, "--repeat", str(repeat))
        except Exception as error:
            kaleido = None
            results.failed("reports", f"{label}: charts alone with kaleido", str(error))
        own = _work("report_charts", "--db", path, "--repeat", str(repeat))
        for fmt, name in (("pdf", "PDF"), ("xlsx", "Excel workbook"), ("html", "web page")):
            out = work_dir / f"report.{fmt}"
            try:
                made = _work(
                    "report_app", "--db", path, "--repeat", str(repeat), "--file", str(out)
                )
            except Exception as error:
                results.failed("reports", f"report of {label} as {name}", str(error))
                continue
            size = f"{made['bytes'] / 1024:,.0f} kB" + (
                f", {made['pages']} pages" if made.get("pages") else ""
            )
            if fmt == "pdf" and kaleido is not None:
                results.add(
                    "reports",
                    f"report of {label} ({made['units']:,} units) as {name}",
                    made["seconds"],
                    "s",
                    kaleido["seconds"],
                    f"its {kaleido['charts']} charts alone, rendered to SVG by kaleido",
                    at_most=REPORT_TARGET,
                    note=f"{size}; the content built and laid out by WeasyPrint with the "
                    f"server's own SVG pictures; the same charts laid out alone take "
                    f"{own['seconds']:.2f} s",
                )
            else:
                results.add(
                    "reports",
                    f"report of {label} ({made['units']:,} units) as {name}",
                    made["seconds"],
                    "s",
                    note=f"information: {size}",
                )
            results.add(
                "reports",
                f"report of {label} as {name}: peak memory",
                max(made["peak_mb"], made.get("child_peak_mb", 0.0)),
                "MB",
                REPORT_MEMORY_MB,
                "limit",
                at_most=1.0,
                note=f"the larger of the process ({made['peak_mb']:,.0f} MB) and the PDF "
                f"layout's child process ({made.get('child_peak_mb', 0.0):,.0f} MB)"
                if fmt == "pdf"
                else "",
            )
        out_files = list(work_dir.glob("report.*"))
        for f in out_files:
            f.unlink(missing_ok=True)


def data_section(
    results: Results,
    made: generate.Generated,
    work_dir: Path,
    import_rows: int,
    repeat: int,
    profile: Path | None,
) -> None:
    db = made.path
    print("\n== data work (each in a fresh process; peak memory = its max RSS)")
    # Export of everything.
    try:
        app = _work(
            "export_app", "--db", db, "--file", str(work_dir / "export-app.csv"), profile=profile
        )
        base = _work("export_pandas", "--db", db, "--file", str(work_dir / "export-pandas.csv"))
        same = filecmp.cmp(
            work_dir / "export-app.csv", work_dir / "export-pandas.csv", shallow=False
        )
        results.info["export"] = {"app": app, "pandas": base, "identical": same}
        app_rate, base_rate = app["rows"] / app["seconds"], base["rows"] / base["seconds"]
        results.add(
            "data",
            f"export of everything ({app['rows']:,} rows, {app['bytes'] / 1e6:,.0f} MB)",
            app_rate,
            "rows/s",
            base_rate,
            "read_sql + to_csv",
            at_least=EXPORT_THROUGHPUT_TARGET,
            note=(
                f"app {app['seconds']:.1f} s, pandas {base['seconds']:.1f} s; "
                + ("files identical" if same else "files DIFFER (check the baseline's SQL)")
            ),
        )
        results.add(
            "data",
            "export peak memory",
            app["peak_mb"],
            "MB",
            EXPORT_MEMORY_MB,
            "limit",
            at_most=1.0,
            note=f"pandas baseline (chunked read_sql) peaked at {base['peak_mb']:,.0f} MB",
        )
    except Exception as error:
        results.failed("data", "export of everything", str(error), f"≥ {EXPORT_THROUGHPUT_TARGET}×")
    finally:
        for name in ("export-app.csv", "export-pandas.csv"):
            (work_dir / name).unlink(missing_ok=True)

    # Import of a 1M-row CSV (the app's own format, exported from the big database).
    def import_pair(rows: int, label: str) -> dict[str, Any] | None:
        units = _import_units(db, rows, made.practices, made.months)
        units_file = work_dir / "import-units.json"
        units_file.write_text(json.dumps(units))
        csv_file = work_dir / f"import-{rows}.csv"
        made_file = _work(
            "export_app", "--db", db, "--file", str(csv_file), "--units-file", str(units_file)
        )
        mb = made_file["bytes"] / 1e6
        try:
            app = _work(
                "import_app",
                "--db",
                str(work_dir / "import-app.db"),
                "--file",
                str(csv_file),
                profile=profile,
            )
            app["file_rows"] = made_file["rows"]
            if app.get("rejected"):
                results.add(
                    "data",
                    f"import {label} ({made_file['rows']:,} rows, {mb:,.0f} MB)",
                    None,
                    "s",
                    note=f"REJECTED by import_csv: {', '.join(app['rejected'])}",
                    at_most=IMPORT_TARGET,
                )
                return app
            base = _work(
                "import_pandas", "--db", str(work_dir / "import-pandas.db"), "--file", str(csv_file)
            )
            results.add(
                "data",
                f"import {label} ({app['rows']:,} rows, {mb:,.0f} MB)",
                app["seconds"],
                "s",
                base["seconds"],
                "read_csv + to_sql",
                at_most=IMPORT_TARGET,
                note=f"peak memory app {app['peak_mb']:,.0f} MB, pandas {base['peak_mb']:,.0f} MB",
            )
            results.info[f"import-{rows}"] = {"app": app, "pandas": base, "file": made_file}
            return app
        finally:
            for name in (csv_file.name, "import-app.db", "import-pandas.db", units_file.name):
                for suffix in ("", "-wal", "-shm"):
                    (work_dir / f"{name}{suffix}").unlink(missing_ok=True)

    try:
        app = import_pair(import_rows, "of a CSV")
        if app is not None and "csv.too_large" in app.get("rejected", []):
            # Also time the largest file the app accepts, so there is a ratio to act on.
            from staircase.settings import MAX_UPLOAD_BYTES

            limit = MAX_UPLOAD_BYTES
            per_row = app["bytes"] / max(app["file_rows"], 1)
            fits = int(limit * 0.95 / per_row)
            fits -= fits % (made.practices * made.months)
            if fits > 0:
                import_pair(fits, "of the largest file accepted")
    except Exception as error:
        results.failed("data", "import", str(error), f"≤ {IMPORT_TARGET}×")

    # The latest snapshot of every unit.
    try:
        app = _work("latest_app", "--db", db, "--repeat", str(repeat), profile=profile)
        base = _work("latest_sql", "--db", db, "--repeat", str(repeat))
        results.add(
            "data",
            f"latest snapshot of every unit ({app['rows']:,} units)",
            app["seconds"],
            "s",
            base["seconds"],
            "one SQL query",
            at_most=LATEST_TARGET,
            note="core.snapshots.overview (scored) vs the plain query read with pandas; "
            "target assumed (the issue names none)",
        )
    except Exception as error:
        results.failed("data", "latest snapshot of every unit", str(error), f"≤ {LATEST_TARGET}×")

    # The organisation's roll-up: the largest organisation, and a top unit over all of them
    # (added to a copy of the data set, so the other figures keep their tree).
    national = work_dir / "national.db"
    try:
        shutil.copyfile(db, national)
        for unit, label, path in (
            ("largest", "the largest organisation", db),
            ("national", "a top unit over every organisation", str(national)),
        ):
            app = _work(
                "rollup_app", "--db", path, "--repeat", str(repeat), "--unit", unit, profile=profile
            )
            base = _work("rollup_floor", "--db", path, "--repeat", str(repeat), "--unit", unit)
            floor = "latest snapshot per unit, one SQL query"
            results.add(
                "data",
                f"roll-up of {label} ({app['units']:,} units), now",
                app["seconds"],
                "s",
                base["seconds"],
                floor,
                at_most=ROLLUP_TARGET,
                note=f"core.rollup.of_unit uncached (what summary prints); "
                f"{app['rows']:,} units assessed",
            )
            results.add(
                "data",
                f"roll-up of {label}, all the organisation page reads",
                app["seconds_page"],
                "s",
                base["seconds"],
                floor,
                note="information: now + 8 quarters (one index seek per unit and quarter) "
                "+ movers over 12 months, uncached; a rerun reads none of it (cached by "
                "the revision counters)",
            )
    except Exception as error:
        results.failed("data", "roll-up", str(error), f"≤ {ROLLUP_TARGET}×")
    # Steering over the largest organisation: its units against their targets, and its
    # round's page (issue #12: within the roll-up's goal).
    try:
        app = _work("steering_app", "--db", db, "--repeat", str(repeat), "--unit", "largest")
        base = _work("rollup_floor", "--db", db, "--repeat", str(repeat), "--unit", "largest")
        floor = "latest snapshot per unit, one SQL query"
        results.add(
            "data",
            f"targets: the largest organisation's units against them ({app['units']:,} units)",
            app["seconds"],
            "s",
            base["seconds"],
            floor,
            at_most=ROLLUP_TARGET,
            note=f"core.targets.progress uncached (the roll-up now + the targets); "
            f"{app['with_target']:,} units with a target",
        )
        results.add(
            "data",
            "round: the status of a round over the largest organisation",
            app["seconds_round"],
            "s",
            base["seconds"],
            floor,
            at_most=ROLLUP_TARGET,
            note=f"core.rounds.status uncached (who is asked, the snapshots in the window, "
            f"who last saved, the burn-up, the previous round); {app['answered']:,} answered",
        )
    except Exception as error:
        results.failed("data", "steering", str(error), f"≤ {ROLLUP_TARGET}×")
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{national}{suffix}").unlink(missing_ok=True)


# ---------------------------------------------------------------------------- browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serve(script: Path, env: dict[str, str], log: Path, cwd: Path = ROOT) -> Iterator[str]:
    """`streamlit run script` on a free local port until the block ends, from `cwd` (whose
    .streamlit/config.toml applies; by default this checkout's, for the floors too)."""
    with serve_process(script, env, log, cwd) as (url, _):
        yield url


@contextlib.contextmanager
def serve_process(
    script: Path, env: dict[str, str], log: Path, cwd: Path = ROOT
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`serve`, also yielding the server's process (to read its memory)."""
    port = _free_port()
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with {proc.returncode}; see {log}")
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                        if answer.read().strip() == b"ok":
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not become healthy; see {log}")
                time.sleep(0.2)
            yield url, proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


_READY = """(need) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== "notRunning") return false;
    if (!need.selectors.every(([s, n]) => document.querySelectorAll(s).length >= n)) {
        return false;
    }
    const images = [...document.querySelectorAll('[data-testid="stMain"] img')];
    if (images.length < need.images || !images.every(i => i.complete && i.naturalWidth > 0)) {
        return false;
    }
    const charts = document.querySelectorAll('.js-plotly-plot');
    return charts.length >= need.charts && [...charts].every(c => c.querySelector('.main-svg'));
}"""
_WATCH_RUNS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    window.__benchReran = false;
    window.__benchObserver = new MutationObserver(() => { window.__benchReran = true; });
    window.__benchObserver.observe(
        app, {attributes: true, attributeFilter: ["data-test-script-state"]});
}"""
_RERAN_AND_IDLE = """() => window.__benchReran &&
    document.querySelector('[data-testid="stApp"]').dataset.testScriptState === "notRunning"
"""
_IDLE = """() => document.querySelector('[data-testid="stApp"]')
    ?.dataset.testScriptState === "notRunning"
"""
_COUNTER_CHANGED_AND_IDLE = """(before) => {
    const counter = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
        .find(c => c.innerText.startsWith('run '));
    return counter && counter.innerText !== before &&
        document.querySelector('[data-testid="stApp"]').dataset.testScriptState === "notRunning";
}"""
_CAPTION_SHOWS = """([row, who]) => {
    const box = document.querySelector(row);
    return box !== null &&
        [...box.querySelectorAll('[data-testid="stCaptionContainer"]')]
            .some(c => c.innerText.includes(who)) &&
        document.querySelector('[data-testid="stApp"]').dataset.testScriptState === "notRunning";
}"""
BROWSER_TIMEOUT = 120_000
RERUN_SEEN_TIMEOUT = 10_000


@dataclass(frozen=True)
class View:
    """A page as a link opens it, and what must be on screen before it counts as shown."""

    figure: str
    path: str
    """The page's address under the app's root ('' for the default page)."""
    unit: int | None
    selectors: tuple[tuple[str, int], ...]
    """(CSS selector, how many at least) that must all be there."""
    charts: int = 0
    """Plotly charts that must all be drawn."""
    waits_for: str = ""
    images: int = 0
    """Images (in the main area) that must all be loaded and decoded."""


def _need(view: View) -> dict[str, Any]:
    return {
        "selectors": [list(s) for s in view.selectors],
        "charts": view.charts,
        "images": view.images,
    }


def _open(
    context: Any, url: str, view: View, shows: Callable[[Any], None] | None = None
) -> tuple[Any, float]:
    """A new page at `url`; seconds from navigation until the script has run and the view's
    content is there. `shows(page)` then checks (untimed) that it is the right unit's."""
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    try:
        page.wait_for_function(_READY, arg=_need(view), timeout=BROWSER_TIMEOUT, polling="raf")
    except Exception as error:
        if shows is not None:
            shows(page)  # another unit's page: say so, rather than what is missing
        raise RuntimeError(f"{view.figure} never showed: {_what_is_there(page, view)}") from error
    seconds = time.perf_counter() - started
    if shows is not None:
        shows(page)
    return page, seconds


_COUNTS = """(need) => ({
    state: document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState,
    found: need.selectors.map(([s, n]) => [s, document.querySelectorAll(s).length, n]),
    charts: document.querySelectorAll('.js-plotly-plot').length,
    images: [...document.querySelectorAll('[data-testid="stMain"] img')]
        .map(i => i.complete && i.naturalWidth > 0),
    exceptions: [...document.querySelectorAll('[data-testid="stException"]')]
        .map(e => e.innerText.slice(0, 300)),
})"""


def _what_is_there(page: Any, view: View) -> str:
    try:
        return json.dumps(page.evaluate(_COUNTS, _need(view)), ensure_ascii=False)
    except Exception as error:  # the page itself is gone
        return f"(cannot look: {error})"


def _settled(page: Any, act: Callable[[], None]) -> None:
    """Do `act` and wait for the rerun it causes to finish (untimed set-up)."""
    page.evaluate(_WATCH_RUNS)
    act()
    try:
        page.wait_for_function(_RERAN_AND_IDLE, timeout=RERUN_SEEN_TIMEOUT, polling="raf")
    except Exception:  # a run too short to be seen: idle is enough
        page.wait_for_function(_IDLE, timeout=BROWSER_TIMEOUT)


def _other_option(scope: Any) -> Any:
    """An unchecked option of a segmented control (not the last: 'not applicable' needs a note)."""
    radios = scope.get_by_role("radio")
    radios.first.wait_for()  # count() does not wait for the widget to be drawn
    for i in range(min(radios.count(), 3) - 1, -1, -1):
        if radios.nth(i).get_attribute("aria-checked") != "true":
            return radios.nth(i)
    raise RuntimeError("no unchecked option to click")


class BrowserLoads:
    """Loads of one kind in one browser context: the warm-up loads fill its cache, so the
    timed ones are a returning user's (Streamlit's and Plotly's code cached, the session
    new: every load is a new tab, closed after it)."""

    def __init__(self, browser: Any, repeat: int) -> None:
        self.browser = browser
        self.repeat = repeat

    def each(self, what: str, measure_once: Callable[[Any], float]) -> list[float]:
        """`measure_once(context)` in a new tab, `WARMUP` times untimed, then `repeat` times."""
        out = []
        context = self.browser.new_context(viewport={"width": 1280, "height": 1000}, locale="sv-SE")
        context.set_default_timeout(BROWSER_TIMEOUT)
        try:
            for i in range(WARMUP + self.repeat):
                try:
                    result = measure_once(context)
                except Exception as error:
                    raise RuntimeError(
                        f"{what}, load {i + 1}: {type(error).__name__}: {error}"
                    ) from error
                finally:
                    for tab in context.pages:
                        tab.close()
                if i >= WARMUP:
                    out.append(result)
        finally:
            context.close()
        return out


_FIRST_VIEW = r"""
import json, sys
from streamlit.testing.v1 import AppTest
app, page, unit = sys.argv[1], sys.argv[2], int(sys.argv[3])
at = AppTest.from_file(app, default_timeout=600)
at.session_state["unit"] = unit
at.run()
at.switch_page(page)
at.run()
def count(root):
    counts = {}
    def walk(node):
        for child in getattr(node, "children", {}).values():
            kind = getattr(child, "type", "")
            imgs = getattr(getattr(child, "proto", None), "imgs", None) if kind == "image" else None
            counts[kind] = counts.get(kind, 0) + (len(imgs) if imgs is not None else 1)
            walk(child)
    walk(root)
    return counts
def containers(node):
    for child in getattr(node, "children", {}).values():
        if getattr(child, "type", "") == "tab_container" and getattr(child, "key", None):
            yield child
        yield from containers(child)
first, errors, tabs = count(at.main), [str(e.value)[:300] for e in at.exception], []
for container in list(containers(at.main))[:1]:
    for label in [tab.label for tab in container.children.values()][1:]:
        at.session_state[container.key] = label
        at.run()
        errors += [str(e.value)[:300] for e in at.exception]
        tabs.append([label, count(at.main)])
print(json.dumps({"first": first, "tabs": tabs, "errors": errors}))
"""
FIRST_VIEW_SELECTORS = {
    "dataframe": '[data-testid="stMain"] [data-testid="stDataFrame"]',
    "tab": '[data-testid="stMain"] [role="tab"]',
    "toggle": '[data-testid="stMain"] [data-testid="stCheckbox"]',
    "checkbox": '[data-testid="stMain"] [data-testid="stCheckbox"]',
    "multiselect": '[data-testid="stMain"] [data-testid="stMultiSelect"]',
    "button_group": '[data-testid="stMain"] [data-testid="stButtonGroup"]',
    "metric": '[data-testid="stMain"] [data-testid="stMetric"]',
    "selectbox": '[data-testid="stMain"] [data-testid="stSelectbox"]',
}
"""What must be on screen for each kind of element the first view has (besides Plotly
charts and images, which must be drawn and loaded)."""


@dataclass(frozen=True)
class FirstView:
    """What a page shows, as AppTest sees it: element type → how many (main area)."""

    first: dict[str, int]
    """On its first load."""
    tabs: list[tuple[str, dict[str, int]]]
    """With each other tab of its first tab container open (tabs that run only when open)."""


def first_view(app: Path, db: str, page: str, unit: int) -> FirstView:
    """What `page` of `app` shows for `unit`, in a process of the app's own checkout."""
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_VIEW, str(app), page_file(page, app), str(unit)],
        cwd=app.resolve().parent,
        env=dict(os.environ, STAIRCASE_DB_URL=f"sqlite:///{db}"),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"AppTest of {page} in {app} failed: {done.stderr.strip()[-800:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if result["errors"]:
        raise RuntimeError(f"{page} in {app} raised: {result['errors']}")

    def counts(raw: dict[str, Any]) -> dict[str, int]:
        return {str(k): int(v) for k, v in raw.items()}

    return FirstView(
        counts(result["first"]), [(str(label), counts(c)) for label, c in result["tabs"]]
    )


def _first_view_wait(figure: str, path: str, unit: int, counts: dict[str, int]) -> View:
    """A view that waits for everything `counts` (a `first_view`) says the page shows."""
    selectors = tuple(
        (FIRST_VIEW_SELECTORS[kind], n)
        for kind, n in sorted(counts.items())
        if kind in FIRST_VIEW_SELECTORS
    )
    charts, images = counts.get("plotly_chart", 0), counts.get("image", 0)
    shown = [f"{n} {kind}" for kind, n in sorted(counts.items()) if kind in FIRST_VIEW_SELECTORS]
    if charts:
        shown.insert(0, f"{charts} Plotly charts drawn")
    if images:
        shown.insert(0, f"{images} images loaded")
    return View(
        figure,
        path,
        unit,
        selectors,
        charts,
        "its first view as AppTest sees it: " + ", ".join(shown),
        images,
    )


def _views(
    picks: Picks, practices: int, progress: Sequence[dict[int, FirstView]]
) -> list[tuple[View, ...]]:
    """The app's pages for the typical unit of the largest organisation, and that
    organisation's own progress page; one View per app (`progress`: each app's first view
    of the progress page by unit, see `first_view`: what a progress view waits for)."""
    unit, org = picks.org_leaf, picks.big_root
    apps = len(progress)
    views = [
        (
            View(
                "checklist",
                "",
                unit,
                (
                    (f'[class*="st-key-chk_row_{unit}_"] [role="radio"]', 4 * practices),
                    ('[data-testid="stFormSubmitButton"]', 1),
                ),
                waits_for=f"every practice's status control ({practices}) and the snapshot form",
            ),
        )
        * apps,
        tuple(_first_view_wait("progress", "progress", unit, p[unit].first) for p in progress),
        tuple(
            _first_view_wait(
                f"progress of the organisation ({picks.big_root_units:,} units)",
                "progress",
                org,
                p[org].first,
            )
            for p in progress
        ),
        (
            View(
                f"organisation ({picks.big_root_units:,} units)",
                "",  # a unit with units under it opens on its roll-up
                org,
                (
                    ('[data-testid="stMetric"]', 6),
                    ('[data-testid="stDataFrame"]', 2),
                    ('[data-testid="stPageLink"]', 1),
                ),
                0,
                "the step counts, the distribution picture, the practices table, the heatmap "
                "and the movers' links",
                1,
            ),
        )
        * apps,
        (
            View(
                f"rounds: the largest organisation's round ({picks.big_root_units:,} units)",
                "rounds",
                org,
                (
                    ('[data-testid="stMetric"]', 3),
                    ('[data-testid="stDataFrame"]', 1),
                ),
                0,
                "the completion figures, the burn-up picture and the result table",
                1,
            ),
        )
        * apps,
        (
            View(
                "snapshots",
                "snapshots",
                unit,
                (
                    ('[data-testid="stDataFrame"]', 1),
                    ('[data-testid="stMetric"]', 3),
                    ('[data-testid="stFormSubmitButton"]', 1),
                ),
                waits_for="the snapshot table, the comparison's figures and the delete form",
            ),
        )
        * apps,
        (
            View(
                "units",
                "units",
                unit,
                (
                    ('[data-testid="stDataFrame"]', 1),
                    ('[data-testid="stFormSubmitButton"]', 1),
                ),
                waits_for="the organisation's unit table and the first form",
            ),
        )
        * apps,
        (
            View(
                "data",
                "data",
                unit,
                (
                    ('[data-testid="stDownloadButton"] button', 1),
                    ('[data-testid="stFileUploader"]', 1),
                ),
                waits_for="the download button and the file uploader",
            ),
        )
        * apps,
    ]
    # Every page has the sidebar's unit picker (drawn after the language picker, once its
    # code has loaded): a page without it is not shown yet.
    picker = ('[data-testid="stSidebar"] [data-testid="stSelectbox"] input', 1)
    return [
        tuple(
            replace(
                v, selectors=(picker, *v.selectors), waits_for=f"the unit picker, {v.waits_for}"
            )
            for v in per_app
        )
        for per_app in views
    ]


def _link(url: str, path: str, unit: int | None) -> str:
    query = f"?unit={unit}&lang=sv" if unit is not None else "?lang=sv"
    return f"{url}/{path}{query}"


_SIDEBAR_CHOICES = """() => [...document.querySelectorAll(
    '[data-testid="stSidebar"] [data-testid="stSelectbox"] input')].map(i => i.value)"""


def _shows_unit(page: Any, label: str, organisation: str) -> None:
    """The sidebar shows the unit of the link (untimed): otherwise the wrong page was timed."""
    chosen = page.evaluate(_SIDEBAR_CHOICES)
    if label not in chosen or (len(chosen) > 1 and organisation not in chosen):
        raise RuntimeError(
            f"the sidebar shows {chosen}, not the unit of the link ({label!r} in "
            f"{organisation!r}): does the app open ?unit=<id> links?"
        )


def _app_names(apps: Sequence[Path]) -> list[str]:
    """'' for a single app; else each app's folder name (numbered when two are alike)."""
    if len(apps) == 1:
        return [""]
    names = [a.parent.name or str(a.parent) for a in apps]
    return [n if names.count(n) == 1 else f"{n} #{i + 1}" for i, n in enumerate(names)]


def browser_section(
    results: Results,
    db: str,
    picks: Picks,
    repeat: int,
    work_dir: Path,
    apps: Sequence[Path] = (APP,),
) -> None:
    """The goals, in Chromium. With several apps (--app, repeated: other checkouts on the
    same data set), each view is measured for every app in turn, against the same floors."""
    print(
        f"\n== browser (Chromium; median of {repeat} loads, each in a new tab of a context "
        f"warmed up by {WARMUP}; {', '.join(str(a) for a in apps)})"
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        results.failed("browser", "browser", "skipped: Playwright is not installed")
        return
    if not CHROMIUM.exists():
        results.failed("browser", "browser", f"skipped: {CHROMIUM} is not installed")
        return
    core = Lartrappan(f"sqlite:///{db}")
    try:
        practices = len(core.practices.catalogue().practices)
    finally:
        core.close()
    try:
        progress = [
            {u: first_view(app, db, "progress", u) for u in (picks.org_leaf, picks.big_root)}
            for app in apps
        ]
    except RuntimeError as error:
        results.failed("browser", "browser", f"first view of the progress page: {error}")
        return
    views = _views(picks, practices, progress)
    names = {u: unit_names(db, u) for u in {v[0].unit for v in views if v[0].unit is not None}}
    app_env = dict(os.environ, STAIRCASE_DB_URL=f"sqlite:///{db}")
    empty_view = View("empty page", "", None, (('[data-testid="stMain"] h1', 1),))
    chart_view = View("one-chart page", "", None, (('[data-testid="stMain"] h1', 1),), 1)
    widget_view = View("one-widget page", "", None, (('[data-testid="stMain"] [role="radio"]', 3),))
    who = f"Bench {os.getpid()}"

    def shows(unit: int | None) -> Callable[[Any], None] | None:
        if unit is None:
            return None
        return lambda page: _shows_unit(page, *names[unit])

    def load(url: str, view: View) -> Callable[[Any], float]:
        def once(context: Any) -> float:
            return _open(context, url, view, shows(view.unit))[1]

        return once

    def floor_tick(url: str) -> Callable[[Any], float]:
        def once(context: Any) -> float:
            page, _ = _open(context, url, widget_view)
            option = _other_option(page.locator('[data-testid="stMain"]'))
            option.scroll_into_view_if_needed()
            before = page.get_by_text("run ", exact=False).first.inner_text()
            started = time.perf_counter()
            option.click()
            page.wait_for_function(
                _COUNTER_CHANGED_AND_IDLE, arg=before, timeout=BROWSER_TIMEOUT, polling="raf"
            )
            return time.perf_counter() - started

        return once

    ticks = iter(range(1, 1_000_000))

    def app_tick(url: str) -> Callable[[Any], float]:
        view = views[0][0]

        def once(context: Any) -> float:
            page, _ = _open(context, url, view, shows(picks.org_leaf))
            # A name of its own for every tick, so the row's "changed … by …" caption tells
            # this change from any earlier one (they may fall within the same minute).
            name = f"{who}-{next(ticks)}"
            field = page.locator(".st-key-user_name input")
            _settled(page, lambda: (field.fill(name), field.press("Enter")))
            row = page.locator(f'[class*="st-key-chk_row_{picks.org_leaf}_"]').first
            key = next(
                c for c in (row.get_attribute("class") or "").split() if c.startswith("st-key-")
            )
            option = _other_option(row)
            option.scroll_into_view_if_needed()
            started = time.perf_counter()
            option.click()
            page.wait_for_function(
                _CAPTION_SHOWS,
                arg=[f'[class~="{key}"]', name],
                timeout=BROWSER_TIMEOUT,
                polling="raf",
            )
            return time.perf_counter() - started

        return once

    def tab_click(url: str, view: View, label: str, after: View) -> Callable[[Any], float]:
        def once(context: Any) -> float:
            page, _ = _open(context, url, view, shows(view.unit))
            tab = page.get_by_role("tab", name=label, exact=True)
            started = time.perf_counter()
            tab.click()
            page.wait_for_function(_READY, arg=_need(after), timeout=BROWSER_TIMEOUT, polling="raf")
            return time.perf_counter() - started

        return once

    # The charts a page shows on demand: each tab of the progress page that has Plotly charts,
    # from a click on it until they are drawn (information: the price of leaving them out of
    # the first view).
    on_demand = [
        (i, number, label, _first_view_wait(f"tab {label!r}", "progress", picks.org_leaf, c))
        for i, p in enumerate(progress)
        for number, (label, c) in enumerate(p[picks.org_leaf].tabs, start=2)
        if c.get("plotly_chart")
    ]
    labels = _app_names(apps)
    floors: dict[str, list[float]] = {"empty": [], "chart": [], "widget": []}
    timed: dict[tuple[str, int], list[float]] = {}
    try:
        with contextlib.ExitStack() as stack:
            p = stack.enter_context(sync_playwright())
            floor_url = stack.enter_context(
                serve(FLOOR_BROWSER, dict(os.environ), work_dir / "floor.log")
            )
            app_urls = [
                stack.enter_context(
                    serve(app, app_env, work_dir / f"app-{i}.log", cwd=app.resolve().parent)
                )
                for i, app in enumerate(apps)
            ]
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
            stack.callback(browser.close)
            loads = BrowserLoads(browser, repeat)

            def measure_floors() -> None:
                floors["empty"] += loads.each(
                    "empty page", load(f"{floor_url}/?floor=title", empty_view)
                )
                floors["chart"] += loads.each(
                    "one-chart page", load(f"{floor_url}/?floor=chart", chart_view)
                )
                floors["widget"] += loads.each(
                    "one-widget rerun", floor_tick(f"{floor_url}/?floor=widget")
                )

            measure_floors()
            for per_app in views:
                for i, (url, view) in enumerate(zip(app_urls, per_app, strict=True)):
                    timed[(view.figure, i)] = loads.each(
                        f"{view.figure} {labels[i]}".strip(),
                        load(_link(url, view.path, view.unit), view),
                    )
            for i, number, label, after in on_demand:
                url = app_urls[i]
                view = next(v for v in views if v[0].figure == "progress")[i]
                timed[(f"tab {number}", i)] = loads.each(
                    f"progress tab {label} {labels[i]}".strip(),
                    tab_click(_link(url, view.path, view.unit), view, label, after),
                )
            for i, url in enumerate(app_urls):
                timed[("tick", i)] = loads.each(
                    f"checklist tick {labels[i]}".strip(),
                    app_tick(_link(url, "", picks.org_leaf)),
                )
            measure_floors()  # after the pages too, pooled: a busy moment tilts neither
    except Exception as error:
        results.failed("browser", "browser", f"{type(error).__name__}: {error}")
        return
    med = statistics.median
    empty, chart, widget = (med(floors[k]) for k in ("empty", "chart", "widget"))
    results.info["browser"] = {
        "floors": floors,
        "timed": {f"{what} {labels[i]}".strip(): t for (what, i), t in timed.items()},
        "apps": [str(a) for a in apps],
    }
    results.add(
        "browser",
        "browser floor: empty page, time to idle",
        empty,
        "s",
        note="an empty Streamlit page (a title), from navigation until its script has run "
        "and the title shows",
        samples=floors["empty"],
    )
    results.add(
        "browser",
        "browser floor: one-chart page, drawn",
        chart,
        "s",
        empty,
        "empty page",
        note="information: what one Plotly chart costs in the browser",
        samples=floors["chart"],
    )
    results.add(
        "browser",
        "browser floor: one-widget page, click to rerun done",
        widget,
        "s",
        note="a click on a segmented control until the app's run counter shows the rerun",
        samples=floors["widget"],
    )
    for per_app in views:
        for i, view in enumerate(per_app):
            results.add(
                "browser",
                f"browser: {view.figure}, time to idle{_suffix(labels[i])}",
                med(timed[(view.figure, i)]),
                "s",
                empty,
                "empty page",
                at_most=BROWSER_PAGE_TARGET,
                note=f"/{view.path}?unit={view.unit}: until idle and {view.waits_for}",
                samples=timed[(view.figure, i)],
            )
    for i, number, label, after in on_demand:
        results.add(
            "browser",
            f"browser: progress, open tab {number} ({label}), click to drawn{_suffix(labels[i])}",
            med(timed[(f"tab {number}", i)]),
            "s",
            widget,
            "one-widget rerun",
            note="information: charts on demand, from a click on the tab until "
            + after.waits_for.replace("its first view as AppTest sees it: ", ""),
            samples=timed[(f"tab {number}", i)],
        )
    for i in range(len(apps)):
        results.add(
            "browser",
            f"browser: checklist tick, click to saved{_suffix(labels[i])}",
            med(timed[("tick", i)]),
            "s",
            widget,
            "one-widget rerun",
            at_most=BROWSER_TICK_TARGET,
            note="a click on a practice's status until its row's 'changed … by …' caption "
            "shows the change (written, read back, shown)",
            samples=timed[("tick", i)],
        )


# ---------------------------------------------------------------------------- download


def _status_mb(pid: int, field: str) -> float:
    """A memory figure of a process (VmRSS: now; VmHWM: its peak) in MB (MiB)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} for process {pid}")


class _Memory:
    """A server process's resident memory while something happens: its peak since `start`
    (the kernel's VmHWM, reset by /proc/<pid>/clear_refs; where that is refused, the
    largest of samples every 0.1 s)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.samples, self._stop = pid, [0.0], False
        self.reset = False

    def start(self) -> float:
        """Begin watching; returns the memory now (the idle figure)."""
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
            self.reset = True
        except OSError:
            self.reset = False
        idle = _status_mb(self.pid, "VmRSS")
        self.samples = [idle]
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return idle

    def _sample(self) -> None:
        while not self._stop:
            with contextlib.suppress(OSError, RuntimeError):
                self.samples.append(_status_mb(self.pid, "VmRSS"))
            time.sleep(0.1)

    def settled(self, pid: int, quiet_s: float = 15.0, limit_s: float = 900.0) -> None:
        """Wait until the server has used under a tenth of a core and its memory has not
        moved by more than 1 MB for `quiet_s` (after a download the browser gave up on,
        while the server may still be making the file)."""
        started = time.monotonic()

        def cpu() -> float:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

        used = [(time.monotonic(), cpu())]
        while time.monotonic() - started < limit_s:
            time.sleep(1)
            used.append((time.monotonic(), cpu()))
            window = [u for u in used if u[0] >= used[-1][0] - quiet_s]
            recent = self.samples[-int(quiet_s / 0.1) :]
            if (
                used[-1][0] - started >= quiet_s
                and (window[-1][1] - window[0][1]) < 0.1 * (window[-1][0] - window[0][0])
                and max(recent) - min(recent) < 1.0
            ):
                return

    def stop(self) -> tuple[float, float]:
        """(the peak since start, the memory now)."""
        self._stop = True
        self._thread.join()
        now = _status_mb(self.pid, "VmRSS")
        peak = max(self.samples)
        if self.reset:
            peak = max(peak, _status_mb(self.pid, "VmHWM"))
        return peak, now


def _first_line(path: Path) -> tuple[str, str]:
    """(what the file is, its first line): a zip's one member's first line, or the CSV's."""
    import zipfile

    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            (member,) = archive.namelist()
            with archive.open(member) as entry:
                return f"zip of {member}", entry.readline().decode("utf-8-sig").strip()
    with open(path, "rb") as handle:
        return "CSV", handle.readline().decode("utf-8-sig").strip()


def download_section(
    results: Results,
    db: str,
    picks: Picks,
    work_dir: Path,
    apps: Sequence[Path] = (APP,),
) -> None:
    """Issue #13: the in-app download of everything. Each app is served by `streamlit run`
    (a fresh server on the same data set); Chromium opens the data page of a typical unit,
    chooses all units and clicks the download button. The figure is the server process's
    memory over idle: its peak from the click until the file is saved (or, when the browser
    gives up, until the server's memory settles) minus its resident memory just before the
    click; against 200 MB."""
    print(f"\n== download (Chromium; the download of everything; {', '.join(map(str, apps))})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        results.failed("download", "in-app download", "skipped: Playwright is not installed")
        return
    if not CHROMIUM.exists():
        results.failed("download", "in-app download", f"skipped: {CHROMIUM} is not installed")
        return
    core = Lartrappan(f"sqlite:///{db}")
    try:
        rows = core.transfer.export_size().rows
    finally:
        core.close()
    app_env = dict(os.environ, STAIRCASE_DB_URL=f"sqlite:///{db}")
    labels = _app_names(apps)
    found: list[dict[str, Any]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
            try:
                for i, app in enumerate(apps):
                    log = work_dir / f"download-{i}.log"
                    cwd = app.resolve().parent
                    with serve_process(app, app_env, log, cwd) as (url, proc):
                        found.append(_download_everything(browser, url, proc.pid, picks))
                    print(f"  {labels[i] or 'app'}: {found[-1]}", flush=True)
            finally:
                browser.close()
    except Exception as error:
        results.failed("download", "in-app download of everything", f"{error}")
        return
    results.info["download"] = {"apps": [str(a) for a in apps], "rows": rows, "runs": found}
    for label, run in zip(labels, found, strict=True):
        what = (
            f"{run['kind']}, {run['bytes'] / 1e6:,.1f} MB"
            if run["bytes"] is not None
            else "no file"
        )
        results.add(
            "download",
            f"in-app download of everything ({rows:,} rows; {what}): server memory over idle"
            + _suffix(label),
            run["over_idle_mb"],
            "MB",
            DOWNLOAD_MEMORY_MB,
            "limit",
            at_most=1.0,
            note=f"idle {run['idle_mb']:,.0f} MB, peak {run['peak_mb']:,.0f} MB, "
            f"{run['after_mb']:,.0f} MB right after the download"
            + (
                f"; while the file was made (before the download's click) at most "
                f"{run['made_over_idle_mb']:,.0f} MB over idle (sampled every 0.1 s)"
                if run.get("made_over_idle_mb") is not None
                else ""
            )
            + ("" if run["hwm"] else " (peak sampled every 0.1 s: VmHWM could not be reset)")
            + (f"; the browser gave up: {run['error']}" if run["error"] else ""),
        )
        results.add(
            "download",
            "in-app download of everything, click to saved" + _suffix(label),
            run["seconds"] if not run["error"] else None,
            "s",
            note="information: from the click until Chromium has saved the file (Streamlit's "
            "browser side waits at most 180 s for a deferred download's file to be made)"
            + (
                f"; a large file is made first ('Ta fram filen'): {run['made_s']:.0f} s of it"
                if run.get("made_s") is not None
                else ""
            )
            + (f"; NO FILE: {run['error']}" if run["error"] else f"; {run['caption']}"),
        )


def _download_everything(browser: Any, url: str, pid: int, picks: Picks) -> dict[str, Any]:
    """One download of everything from the data page; the server's memory around it."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 1000}, locale="sv-SE", accept_downloads=True
    )
    context.set_default_timeout(BROWSER_TIMEOUT)
    try:
        page = context.new_page()
        page.goto(_link(url, "data", picks.org_leaf))
        button = page.get_by_role("button", name="Ladda ned")
        button.wait_for()
        page.wait_for_function(_IDLE, timeout=BROWSER_TIMEOUT)
        option = page.locator('[data-testid="stMain"]').get_by_role("radio", name="Alla enheter")
        _settled(page, option.click)
        captions = page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]')
        said = captions.filter(has_text="lartrappan-")
        caption = said.first.inner_text() if said.count() else "(no size shown)"
        time.sleep(2)  # let the server settle after the page's runs
        memory = _Memory(pid)
        idle = memory.start()
        got: list[Any] = []
        page.on("download", lambda download: got.append(download))
        started = time.perf_counter()
        make = page.get_by_role("button", name="Ta fram filen")
        made = made_peak = None
        if make.count():  # a large file is made first, in a script run of its own
            make.click()
            button.wait_for(timeout=DOWNLOAD_TIMEOUT_S * 1000)
            page.wait_for_function(_IDLE, timeout=DOWNLOAD_TIMEOUT_S * 1000)
            made = time.perf_counter() - started
            made_peak = max(memory.samples)
            caption += " → " + (said.first.inner_text() if said.count() else "")
        button.click()
        error = ""
        while not got:
            failed = page.locator('[data-testid="stDownloadButtonError"]')
            if failed.count():
                error = failed.first.inner_text() or "the download button shows an error"
                break
            if time.perf_counter() - started > DOWNLOAD_TIMEOUT_S:
                error = f"no download within {DOWNLOAD_TIMEOUT_S} s"
                break
            page.wait_for_timeout(250)
        size: int | None = None
        kind, first = "", ""
        if got:
            path = Path(got[0].path())  # waits until the file is saved
            seconds = time.perf_counter() - started
            size = path.stat().st_size
            kind, first = _first_line(path)
            if not first.startswith("unit_path"):
                raise RuntimeError(f"the downloaded file ({kind}) starts {first[:80]!r}")
        else:
            seconds = time.perf_counter() - started
            memory.settled(pid)
        peak, after = memory.stop()
        return {
            "over_idle_mb": round(peak - idle, 1),
            "idle_mb": round(idle, 1),
            "peak_mb": round(peak, 1),
            "after_mb": round(after, 1),
            "hwm": memory.reset,
            "seconds": round(seconds, 1),
            "bytes": size,
            "kind": kind,
            "error": error,
            "caption": caption,
            "made_s": None if made is None else round(made, 1),
            "made_over_idle_mb": None if made_peak is None else round(made_peak - idle, 1),
        }
    finally:
        context.close()


def _suffix(label: str) -> str:
    return f" [{label}]" if label else ""


# ---------------------------------------------------------------------------- main


def _machine() -> str:
    python = f"{platform.python_implementation()} {platform.python_version()}"
    return f"{python}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}"


STEERING_ROUND = "Bench round"


def ensure_steering(db: str, unit_id: int) -> dict[str, Any]:
    """A target and an open assessment round on the largest organisation, as management
    would have set them (once per data set: a kept one keeps them, renewed when their
    dates have passed), so every page shows them as it would in use: a target of step 2
    in half a year, a round over the last 60 days, due in 30."""
    core = Lartrappan(f"sqlite:///{db}")
    try:
        tree = core.units.tree()
        today = datetime.now().date()
        actor = Actor("Bench")
        target = core.targets.of_unit(tree, unit_id)
        if target is None or target.due is None or target.due < today:
            core.targets.set(actor, unit_id, 2, today + timedelta(days=180))
        rounds = [
            r
            for r in core.rounds.of_unit(tree, unit_id)
            if r.name == STEERING_ROUND and r.is_open and r.due >= today
        ]
        if not rounds:
            year, month = generate.LAST_MONTH
            window = (date(year, month, 1) - timedelta(days=31), today + timedelta(days=30))
            rounds = [core.rounds.open(actor, unit_id, STEERING_ROUND, *window)]
        return {"unit": unit_id, "round": rounds[0].id}
    finally:
        core.close()


def main(argv: Sequence[str] | None = None) -> Results:
    parser = argparse.ArgumentParser(
        prog="python3 -m tests.perf.bench",
        description="Issue #4: the app at national scale against Streamlit, pandas and SQLite.",
    )
    parser.add_argument("--units", type=int, default=10_000, help="units in the big data set")
    parser.add_argument("--months", type=int, default=60, help="monthly snapshots per unit")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions (median)")
    parser.add_argument("--seed", type=int, default=generate.DEFAULT_SEED)
    parser.add_argument("--warmup", type=int, default=1, help="untimed repetitions first")
    parser.add_argument(
        "--scales",
        default="100,1000",
        help="smaller numbers of units for the scaling lines (comma separated; plus --units)",
    )
    parser.add_argument("--import-rows", type=int, default=IMPORT_ROWS)
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the generated databases here; reused when units, months and seed match",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=["pages", "scaling", "data", "reports", "browser", "download"],
        help="run only these sections (repeatable); default: all",
    )
    parser.add_argument(
        "--quick", action="store_true", help="a small run: 300 units, 12 months, 2 repetitions"
    )
    parser.add_argument(
        "--app",
        type=Path,
        action="append",
        help="an app.py for the browser and download sections to serve (repeatable: another "
        "checkout's, to compare versions on the same data set, each view in turn; it must "
        "open ?unit=<id> links); default: this checkout's",
    )
    parser.add_argument("--json", type=Path, help="also write every figure and sample here")
    parser.add_argument(
        "--profile", type=Path, help="write cProfile stats of each measured run here"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.units, args.months, args.repeat = (
            min(args.units, 300),
            min(args.months, 12),
            min(args.repeat, 2),
        )
        args.scales = "50" if args.scales == "100,1000" else args.scales
        args.import_rows = min(args.import_rows, 20_000)
    sections = set(args.only or ["pages", "scaling", "data", "reports", "browser", "download"])
    global WARMUP
    WARMUP = max(0, args.warmup)
    _quiet_streamlit()
    profiler = Profiler(args.profile)

    temp = None
    if args.keep is None:
        temp = tempfile.mkdtemp(prefix="lartrappan-bench-")
        work_dir = Path(temp)
    else:
        work_dir = args.keep
    work_dir.mkdir(parents=True, exist_ok=True)
    results = Results()
    started = time.perf_counter()
    results.info["started"] = datetime.now().isoformat(timespec="seconds")
    results.info["machine"] = _machine()
    print(
        f"Lärtrappan benchmark: {args.units:,} units × {args.months} months, "
        f"repeat {args.repeat}, seed {args.seed}"
    )
    print(f"machine: {_machine()}; work folder: {work_dir}")
    try:
        made, reused = generate.ensure(work_dir, args.units, args.months, args.seed)
        how = "reused (kept from an earlier run)" if reused else "generated"
        print(
            f"data set {how}: {made.units:,} units, {made.snapshots:,} snapshots, "
            f"{made.snapshot_practices:,} practice-status rows, "
            f"{made.practice_states:,} working states "
            f"({made.rows:,} rows) in {made.seconds:.1f} s"
        )
        results.info["data_set"] = {**asdict(made), "reused": reused, "rows": made.rows}
        results.add(
            "data",
            f"generate the data set ({made.rows:,} rows, seeded, bulk)",
            made.seconds,
            "s",
            note=("time of the run that made it; reused here" if reused else "this run"),
        )
        picks = pick_units(made.path, args.seed)
        results.info["picks"] = asdict(picks)
        results.info["steering"] = ensure_steering(made.path, picks.big_root)
        print(
            f"AppTest pages use unit {picks.leaf} (scope {picks.leaf_scope} units); overview: "
            f"root {picks.big_root} ({picks.big_root_units:,} units); comparison: "
            f"{picks.compare}; the browser opens unit {picks.org_leaf} of the largest root "
            f"(scope {picks.org_leaf_scope} units)"
        )
        if "pages" in sections:
            pages_section(results, made.path, picks, args.repeat, profiler)
        if "scaling" in sections:
            scales = []
            sizes = sorted({int(s) for s in args.scales.split(",") if s.strip()} - {args.units})
            for units in [*sizes, args.units]:
                small, small_reused = (
                    (made, True)
                    if units == args.units
                    else generate.ensure(work_dir, units, args.months, args.seed)
                )
                if not small_reused:
                    print(
                        f"  generated {units:,} units × {args.months} months "
                        f"in {small.seconds:.1f} s"
                    )
                scales.append((units, small.path, pick_units(small.path, args.seed)))
            scaling_section(results, scales, args.repeat, profiler)
        if "data" in sections:
            data_section(results, made, work_dir, args.import_rows, args.repeat, args.profile)
        if "reports" in sections:
            reports_section(results, made.path, work_dir, args.repeat)
        if "browser" in sections:
            apps = [a.resolve() for a in args.app] if args.app else [APP]
            browser_section(results, made.path, picks, args.repeat, work_dir, apps)
        if "download" in sections:
            apps = [a.resolve() for a in args.app] if args.app else [APP]
            download_section(results, made.path, picks, work_dir, apps)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
    results.info["seconds"] = round(time.perf_counter() - started, 1)
    print(f"\n== results ({results.info['seconds']:.0f} s in all; {_machine()})\n")
    print(table(results))
    if args.json:
        args.json.write_text(
            json.dumps(
                {"info": results.info, "rows": [asdict(r) for r in results.rows]},
                indent=2,
                default=str,
            )
        )
    return results


if __name__ == "__main__":
    main()
