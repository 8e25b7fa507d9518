"""Two app processes sharing one PostgreSQL database, as two replicas behind a load balancer:
each runs sessions that tick, write notes and save snapshots at once. Nothing acknowledged
may be lost, no practice may skip or repeat a revision, and the audit trail must hold
exactly one record per acknowledged write, none missing or doubled."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from staircase.services import Actor, Lartrappan

DURATION_S = 6.0
SESSIONS_PER_PROCESS = 4
ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import json, random, sys, threading, time
from datetime import datetime, timedelta
from staircase.domain.model import ConflictError, PracticeState, Status
from staircase.services import Actor, Lartrappan

url, replica, unit_id, duration, sessions, out = sys.argv[1:7]
unit_id, duration, sessions = int(unit_id), float(duration), int(sessions)
core = Lartrappan(url)
practices = [p.id for p in core.shipped.practices]
acks, snaps, errors = [], [], []
lock = threading.Lock()
start = datetime(2025, 1, 1) - timedelta(days=1000 * int(replica[-1]))

def session(i):
    name = f"{replica}-s{i}"
    rng = random.Random(f"{replica}{i}")
    n = 0
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        n += 1
        practice = rng.choice(practices[:4])
        try:
            if rng.random() < 0.07:
                moment = start - timedelta(seconds=i * 100000 + n)
                snap = core.snapshots.save(Actor(name), unit_id, name, "", moment)
                with lock:
                    snaps.append(snap.id)
                continue
            seen = core.checklist.state(unit_id).get(practice, PracticeState(practice))
            try:
                if rng.random() < 0.5:
                    stored = core.checklist.set_status(
                        Actor(name), unit_id, practice, rng.choice(list(Status)[:3]),
                        based_on=seen.revision,
                    )
                else:
                    stored = core.checklist.set_note(Actor(name), unit_id, practice, f"{name}-{n}")
            except ConflictError:
                continue
            with lock:
                acks.append([name, practice, stored.revision])
        except BaseException as exc:
            with lock:
                errors.append(f"{type(exc).__name__}: {exc}")
            return

threads = [threading.Thread(target=session, args=(i,)) for i in range(sessions)]
for t in threads: t.start()
for t in threads: t.join()
core.close()
json.dump({"acks": acks, "snapshots": snaps, "errors": errors}, open(out, "w"))
"""


@pytest.mark.postgresql_only
def test_two_replicas_lose_nothing_and_audit_every_write_once(
    db_url: Callable[[str], str], tmp_path: Path
) -> None:
    url = db_url("replicas")
    core = Lartrappan(url)
    try:
        unit = core.units.create(Actor(""), "Norrby kommun")
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, url, f"replica{i}", str(unit.id),
                 str(DURATION_S), str(SESSIONS_PER_PROCESS), str(tmp_path / f"r{i}.json")],
                cwd=ROOT,
            )
            for i in (1, 2)
        ]  # fmt: skip
        for proc in procs:
            assert proc.wait(timeout=120) == 0
        results = [json.loads((tmp_path / f"r{i}.json").read_text()) for i in (1, 2)]
        assert not [e for r in results for e in r["errors"]]
        acks = [tuple(a) for r in results for a in r["acks"]]
        snapshot_ids = [s for r in results for s in r["snapshots"]]
        assert {a[0].split("-")[0] for a in acks} == {"replica1", "replica2"}

        # every practice's acknowledged revisions are 1, 2, 3, … each once, across both
        state = core.checklist.state(unit.id)
        for practice, stored in state.items():
            revisions = sorted(r for _, p, r in acks if p == practice)
            assert revisions == list(range(1, stored.revision + 1)), practice

        # the audit trail: exactly one record per acknowledged write
        records = core.audit.records()
        audited = Counter(
            (r.actor, json.loads(r.after)["practice_id"], json.loads(r.after)["revision"])
            for r in records
            if r.action in ("state.status", "state.note") and r.after
        )
        assert audited == Counter(acks)
        saved = Counter(
            json.loads(r.after)["snapshot_id"] for r in records if r.action == "snapshot.save"
        )
        assert saved == Counter(snapshot_ids)
        assert {s.id for s in core.snapshots.of_unit(unit.id)} == set(snapshot_ids)
        print(
            f"\nreplicas: 2 processes × {SESSIONS_PER_PROCESS} sessions, {len(acks)} "
            f"acknowledged writes, {len(snapshot_ids)} snapshots, {len(records)} audit records"
        )
    finally:
        core.close()
