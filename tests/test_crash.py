"""Crash safety: a process killed (SIGKILL) in the middle of a write leaves a sound database in
which every change is either fully there or not at all. SQLite only: the file is checked with
PRAGMA integrity_check after the kill.

A child process does the work through the app's own code and reports on stdout what it is
doing; the test kills it at chosen moments (read from that report, not guessed with sleeps),
then opens the database again.
"""

from __future__ import annotations

import csv
import io
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from staircase.domain.catalogue import load_catalogue
from staircase.services import Actor, Lartrappan

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

REPO = Path(__file__).resolve().parent.parent
PRACTICES = [p.id for p in load_catalogue().practices]
IMPORT_UNITS = 50
SAFETY_TIMEOUT_S = 120  # only so that a stuck child cannot hang the run

# The child: `import` imports a CSV file in one go; `loop` ticks practices and saves snapshots
# until it is killed. SQLAlchemy's engine events report progress from inside the writes;
# `loop ... N` holds still right after writing the practice rows of its N-th snapshot (before
# the commit), so that the kill lands inside that write (0: never).
CHILD = r"""
import sys, time
from datetime import datetime, timedelta
from sqlalchemy import event
from staircase.domain.model import Status
from staircase.services import Actor, Lartrappan
import staircase.storage.snapshots as snapshot_store

mode, url = sys.argv[1], sys.argv[2]
core = Lartrappan(url)
actor = Actor("child")
inserted = 0

def say(*words):
    print(*words, flush=True)

@event.listens_for(core.db.engine, "after_cursor_execute")
def _progress(conn, cursor, statement, parameters, context, executemany):
    global inserted
    if statement.startswith("INSERT INTO snapshot ("):
        inserted += 1
        if mode == "import" and (inserted == 1 or inserted % 1000 == 0):
            say("inserted", inserted)
    elif statement.startswith("INSERT INTO snapshot_practice") and mode == "loop":
        say("writing-rows", inserted)
        if inserted == int(sys.argv[4]):
            time.sleep(60)  # until the kill

# A bulk import writes through the driver's executemany, which engine events don't see:
# report each batch of practice rows it has written (inside the still open transaction).
_insert_rows = snapshot_store.insert_rows

def _reporting_insert_rows(conn, table, *args, **kwargs):
    global inserted
    result = _insert_rows(conn, table, *args, **kwargs)
    if mode == "import" and table.name == "snapshot_practice":
        inserted += 1
        say("rows-written", inserted)
    return result

snapshot_store.insert_rows = _reporting_insert_rows

@event.listens_for(core.db.engine, "commit")
def _commit(conn):
    if mode == "import" and inserted:
        say("committing")

if mode == "import":
    data = open(sys.argv[3], "rb").read()
    say("started")
    result = core.transfer.import_csv(actor, data)
    say("committed", result.snapshots_created)
else:
    unit_id = int(sys.argv[3])
    practices = [p.id for p in core.shipped.practices]
    statuses = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE]
    moment = datetime(2025, 1, 1, 12, 0)
    say("started")
    n = 0
    while True:
        n += 1
        for k in range(3):
            practice = practices[(n * 3 + k) % len(practices)]
            status = statuses[(n + k) % len(statuses)]
            note = f"n{n}-{k}"
            say("ticking", practice, status.value, note)
            core.checklist.set_status(actor, unit_id, practice, status, note=note)
            say("ticked", practice, status.value, note)
        moment -= timedelta(seconds=1)
        snap = core.snapshots.save(actor, unit_id, "child", f"loop {n}", moment)
        say("committed", snap.id)
"""


@dataclass
class Child:
    """A running child process and every line it has written so far."""

    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    _queue: queue.Queue[str | None] = field(default_factory=queue.Queue)

    @classmethod
    def start(cls, *args: str) -> Child:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        process = subprocess.Popen(
            [sys.executable, "-c", CHILD, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=REPO,
        )
        child = cls(process)
        threading.Thread(target=child._read, daemon=True).start()
        return child

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._queue.put(line.strip())
        self._queue.put(None)

    def wait_for(self, wanted: str) -> None:
        """Read the child's report until the line `wanted` (its start is enough)."""
        while True:
            try:
                line = self._queue.get(timeout=SAFETY_TIMEOUT_S)
            except queue.Empty:
                self.kill()
                raise AssertionError(f"no {wanted!r} from the child in time") from None
            if line is None:
                stderr = self.process.stderr.read() if self.process.stderr else ""
                said = self.lines[-5:]
                raise AssertionError(f"the child ended before {wanted!r} after {said}:\n{stderr}")
            self.lines.append(line)
            if line.startswith(wanted):
                return

    def kill(self) -> None:
        """SIGKILL: no cleanup, no rollback, no flush; then collect what it wrote before."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=SAFETY_TIMEOUT_S)
        while (line := self._queue.get(timeout=SAFETY_TIMEOUT_S)) is not None:
            self.lines.append(line)
        assert self.process.returncode == -signal.SIGKILL


def integrity(db: Path) -> list[str]:
    conn = sqlite3.connect(db)  # recovers the -wal the child left behind, as the app would
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


# ---------------------------------------------------------------------------- a large import


def write_csv(path: Path, snapshots: int) -> Path:
    """`snapshots` snapshots x 10 practices, over 50 new units under 5 administrations."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["unit_path", "taken_at", "practice_id", "status", "note"])
    start = datetime(2020, 1, 1, 8, 0)
    for i in range(snapshots):
        unit = f"Storstad > Förvaltning {i % 5} > Enhet {i % IMPORT_UNITS}"
        taken_at = (start + timedelta(minutes=i)).isoformat()
        for j, practice in enumerate(PRACTICES):
            status = ("not_started", "in_progress", "done")[(i + j) % 3]
            writer.writerow([unit, taken_at, practice, status, f"rad {i}-{j}"])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("snapshots", "kill_at"),
    [(20_000, "rows-written"), (5_000, "committing")],
    ids=["200k-rows-midway", "50k-rows-at-commit"],
)
def test_an_import_killed_midway_leaves_all_or_nothing(
    tmp_path: Path, snapshots: int, kill_at: str
) -> None:
    """A 200,000-row file (13 MB) killed inside its transaction, and a smaller one (to keep
    the run short) killed as it commits: nothing of it, or all of it."""
    data = write_csv(tmp_path / "large.csv", snapshots)
    db = tmp_path / "import.db"
    Lartrappan(f"sqlite:///{db}").close()
    child = Child.start("import", f"sqlite:///{db}", str(data))
    child.wait_for("started")
    child.wait_for(kill_at)
    child.kill()

    assert integrity(db) == ["ok"]
    found = count(db, "snapshot")
    assert found in (0, snapshots), f"{found} of {snapshots} snapshots"
    assert count(db, "snapshot_practice") == found * len(PRACTICES)
    assert count(db, "unit") == (0 if found == 0 else 1 + 5 + IMPORT_UNITS)
    if any(line.startswith("committed") for line in child.lines):
        assert found == snapshots
    print(f"\nkilled at {kill_at!r}: {found} of {snapshots} snapshots there")
    store = Lartrappan(f"sqlite:///{db}")  # and the app opens it again
    try:
        assert len(store.units.tree().units) == count(db, "unit")
    finally:
        store.close()


# ---------------------------------------------------------------------------- ticking and saving


@pytest.fixture
def unit_db(tmp_path: Path) -> Iterator[tuple[Path, int]]:
    db = tmp_path / "loop.db"
    store = Lartrappan(f"sqlite:///{db}")
    unit = store.units.create(Actor(""), "Hemtjänst Norr")
    store.close()
    yield db, unit.id


@pytest.mark.parametrize(
    ("what", "times", "hold"),
    [
        ("writing-rows", 1, True),
        ("writing-rows", 25, True),
        ("committed", 40, False),
        ("ticked", 150, False),
    ],
    ids=["inside-first-save", "inside-25th-save", "after-40-saves", "while-ticking"],
)
def test_saving_and_ticking_killed_midway_loses_nothing_acknowledged(
    unit_db: tuple[Path, int], what: str, times: int, hold: bool
) -> None:
    db, unit_id = unit_db
    child = Child.start("loop", f"sqlite:///{db}", str(unit_id), str(times if hold else 0))
    child.wait_for("started")
    for _ in range(times):
        child.wait_for(what)
    child.kill()

    assert integrity(db) == ["ok"]
    store = Lartrappan(f"sqlite:///{db}")
    try:
        stored = {s.id: s for s in store.snapshots.of_unit(unit_id)}
        # every snapshot there is complete ...
        for snap in stored.values():
            entries = store.snapshots.entries(snap.id)
            assert sorted(e.practice_id for e in entries) == sorted(PRACTICES), snap
        # ... and every one the child was told was saved is there
        acknowledged = {
            int(line.split()[1]) for line in child.lines if line.startswith("committed")
        }
        assert acknowledged <= set(stored)
        assert len(stored) - len(acknowledged) in (0, 1)  # at most the one being committed
        # every practice holds its last acknowledged tick, or the one in flight after it
        state = store.checklist.state(unit_id)
        last: dict[str, set[tuple[str, str]]] = {}
        for line in child.lines:
            kind, *rest = line.split()
            if kind == "ticked":
                practice, status, note = rest
                last[practice] = {(status, note)}
            elif kind == "ticking":
                practice, status, note = rest
                last.setdefault(practice, {("not_started", "")}).add((status, note))
        for practice, allowed in last.items():
            now = state.get(practice)
            got = (now.status.value, now.note) if now else ("not_started", "")
            assert got in allowed, practice
        print(f"\nkilled after {times} x {what!r}: {len(stored)} snapshots, all complete")
    finally:
        store.close()
