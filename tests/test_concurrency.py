"""Many sessions editing one unit at once, through the calls the pages make.

The app shares one Lartrappan per process between all browser sessions, so each thread here is a
session: it ticks and unticks practices (some only it touches, some every session touches),
writes notes, sometimes with the revision it last saw (as the checklist does) and saves
snapshots. One more session changes two practices together in one call. Afterwards nothing
acknowledged may be missing, no practice may have lost an update, every snapshot must be
complete and show one moment, and no session may have seen an error from the database.

Built on the `store` fixture, so it runs against every backend the fixture offers.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from staircase.domain.model import ConflictError, PracticeState, Status
from staircase.services import Actor, Lartrappan

SESSIONS = 8
"""Sessions ticking, writing notes and saving snapshots."""
DURATION_S = 10.0
SNAPSHOT_EVERY = 15
"""A session saves a snapshot every this many operations (on average)."""
TICK_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE)


@dataclass(frozen=True)
class Ack:
    """A write the store acknowledged: what the session asked for and what it got back."""

    session: str
    practice_id: str
    status: Status
    note: str
    revision: int


@dataclass
class Log:
    acks: list[Ack] = field(default_factory=list)
    snapshots: list[int] = field(default_factory=list)
    pair_writes: list[str] = field(default_factory=list)
    conflicts: int = 0
    conflict_revisions_ok: bool = True
    errors: list[BaseException] = field(default_factory=list)
    operations: int = 0


class Moments:
    """Distinct snapshot moments for every session: one per second, going back from a start."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next = datetime(2025, 1, 1, 12, 0)

    def take(self) -> datetime:
        with self._lock:
            self._next -= timedelta(seconds=1)
            return self._next


def test_sessions_editing_the_same_unit_lose_nothing(store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Norrby kommun")
    practices = [p.id for p in store.shipped.practices]
    pair = practices[-2:]  # written together, by one session, in one call
    shared = practices[:2]  # every session writes these
    own = practices[2:-2]  # each session mostly its own one
    moments = Moments()
    stop = threading.Event()
    # the sessions, the pair writer and this test start together (timeout: never hang the run)
    start_line = threading.Barrier(SESSIONS + 2, timeout=60)
    logs = [Log() for _ in range(SESSIONS + 1)]

    def session(index: int) -> None:
        log, name = logs[index], f"s{index}"
        rng = random.Random(index)
        mine = own[index % len(own)]
        start_line.wait()
        n = 0
        while not stop.is_set():
            n += 1
            practice = rng.choice([mine, mine, *shared])
            status = rng.choice(TICK_STATUSES)
            note = f"{name}-{n}"
            try:
                action = rng.random()
                if action < 1 / SNAPSHOT_EVERY:
                    snap = store.snapshots.save(
                        Actor(name), unit.id, name, f"{name} {n}", moments.take()
                    )
                    log.snapshots.append(snap.id)
                    log.operations += 1
                    continue
                if action < 0.35:  # the checklist: write on top of the revision last seen
                    seen = store.checklist.state(unit.id).get(practice, PracticeState(practice))
                    try:
                        stored = store.checklist.set_status(
                            Actor(name), unit.id, practice, status, based_on=seen.revision
                        )
                    except ConflictError as exc:
                        log.conflicts += 1
                        log.operations += 1
                        log.conflict_revisions_ok &= exc.current.revision > seen.revision
                        continue
                elif action < 0.7:
                    stored = store.checklist.set_status(Actor(name), unit.id, practice, status)
                elif action < 0.85:
                    stored = store.checklist.set_note(Actor(name), unit.id, practice, note)
                else:  # 'not applicable' with its justification, in one write
                    stored = store.checklist.set_status(
                        Actor(name), unit.id, practice, Status.NOT_APPLICABLE, note
                    )
            except BaseException as exc:
                log.errors.append(exc)
                return
            log.operations += 1
            log.acks.append(Ack(name, practice, stored.status, stored.note, stored.revision))

    def pair_session() -> None:
        log = logs[SESSIONS]
        start_line.wait()
        n = 0
        while not stop.is_set():
            n += 1
            status = TICK_STATUSES[n % len(TICK_STATUSES)]
            note = f"pair-{n}"
            try:
                store.checklist.replace(
                    Actor("pair"), unit.id, [PracticeState(p, status, note) for p in pair]
                )
            except BaseException as exc:
                log.errors.append(exc)
                return
            log.operations += 1
            log.pair_writes.append(note)

    threads = [threading.Thread(target=session, args=(i,)) for i in range(SESSIONS)]
    threads.append(threading.Thread(target=pair_session))
    for thread in threads:
        thread.start()
    start_line.wait()
    began = time.monotonic()
    time.sleep(DURATION_S)
    stop.set()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a session hangs"
    duration = time.monotonic() - began

    # -- no session saw an error (a 'database is locked' would show up here)
    errors = [exc for log in logs for exc in log.errors]
    assert not errors, [f"{type(e).__name__}: {e}" for e in errors]

    # -- every practice: acknowledged revisions 1, 2, 3, ... each once, and the stored state
    # is the acknowledged write with the highest revision
    state = store.checklist.state(unit.id)
    acks = [ack for log in logs for ack in log.acks]
    lost = 0
    for practice in shared + own:
        mine = sorted((a for a in acks if a.practice_id == practice), key=lambda a: a.revision)
        revisions = [a.revision for a in mine]
        doubled = [r for r, count in Counter(revisions).items() if count > 1]
        assert not doubled, f"{practice}: two acknowledged writes got revisions {doubled}"
        assert revisions == list(range(1, len(mine) + 1)), practice
        last = mine[-1]
        stored = state[practice]
        assert (stored.status, stored.note, stored.revision) == (
            last.status,
            last.note,
            last.revision,
        ), practice
        lost += stored.revision - len(mine)
    pair_writes = logs[SESSIONS].pair_writes
    for practice in pair:
        assert state[practice].revision == len(pair_writes)
        assert state[practice].note == pair_writes[-1]
    assert all(log.conflict_revisions_ok for log in logs)

    # -- every snapshot acknowledged is there, complete, and shows one moment
    catalogue = store.practices.catalogue()
    written: dict[str, set[tuple[Status, str]]] = {p: {(Status.NOT_STARTED, "")} for p in practices}
    for ack in acks:
        written[ack.practice_id].add((ack.status, ack.note))
    for index, note in enumerate(pair_writes, start=1):
        for p in pair:
            written[p].add((TICK_STATUSES[index % len(TICK_STATUSES)], note))
    snapshot_ids = [sid for log in logs for sid in log.snapshots]
    stored_ids = {s.id for s in store.snapshots.of_unit(unit.id)}
    assert set(snapshot_ids) == stored_ids
    half_pairs = 0
    for sid in snapshot_ids:
        snap = store.snapshots.get(sid)
        entries = {e.practice_id: e for e in store.snapshots.entries(sid)}
        required = {p.id for p in catalogue.practices_in_version(snap.catalogue_version)}
        assert required <= set(entries), f"snapshot {sid} lacks {required - set(entries)}"
        for p, e in entries.items():  # nothing that no session wrote
            assert (e.status, e.note) in written[p], (sid, p, e)
        a, b = (entries[p] for p in pair)
        half_pairs += (a.status, a.note) != (b.status, b.note)
    assert half_pairs == 0, f"{half_pairs} snapshots show half of a two-practice write"

    # -- the audit trail: exactly one record per acknowledged write, none for a refused one
    records = store.audit.records()
    by_actor = Counter(r.actor for r in records)
    for index in range(SESSIONS):
        name = f"s{index}"
        assert by_actor[name] == len(logs[index].acks) + len(logs[index].snapshots), name
    assert by_actor["pair"] == len(pair_writes)
    assert by_actor[""] == 1  # the unit
    state_records = Counter(
        (after["practice_id"], after["revision"])
        for r in records
        if r.action in ("state.status", "state.note") and r.after
        for after in [json.loads(r.after)]
    )
    assert state_records == Counter((a.practice_id, a.revision) for a in acks)
    saved = Counter(
        json.loads(r.after)["snapshot_id"] for r in records if r.action == "snapshot.save"
    )
    assert saved == Counter(snapshot_ids)

    operations = sum(log.operations for log in logs)
    conflicts = sum(log.conflicts for log in logs)
    print(
        f"\nconcurrency: {len(threads)} sessions ({SESSIONS} ticking + 1 pair writer), "
        f"{operations} operations in {duration:.1f} s ({operations / duration:.0f}/s): "
        f"{len(acks) + len(pair_writes)} acknowledged writes, {len(snapshot_ids)} snapshots, "
        f"{conflicts} conflicts reported, lost changes = {lost}, database errors = 0"
    )
    assert snapshot_ids and pair_writes
