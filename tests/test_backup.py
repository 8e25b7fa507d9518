"""`python -m staircase backup` and `restore`: a consistent online copy with SQLite's backup
API, and a checked restore. SQLite only: these tests open the files themselves."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from staircase.__main__ import EXIT_FILE, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from staircase.domain.model import PracticeState, Status
from staircase.services import Actor, Lartrappan
from staircase.storage import backup
from staircase.storage.migrations import SCHEMA_VERSION

PRACTICES = 10  # in the shipped catalogue (version 1)


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[str, Lartrappan]]:
    """A database in use: two units, a ticked practice, two snapshots."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    store = Lartrappan(url)
    root = store.units.create(Actor(""), "Norrby kommun")
    school = store.units.create(Actor(""), "Skola", root.id)
    store.checklist.set_status(
        Actor("Anna"), school.id, "s1-goal-linked", Status.DONE, "Följs upp på APT"
    )
    store.snapshots.save(Actor(""), school.id, "Anna", "mars", datetime(2025, 3, 1, 9, 0))
    store.snapshots.save(Actor(""), root.id, "Örjan", "", datetime(2025, 3, 2, 9, 0))
    try:
        yield url, store
    finally:
        store.close()


def cli(*args: str) -> int:
    return main(list(args))


def integrity(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def content(url: str) -> tuple[list[dict[str, object]], dict[str, PracticeState]]:
    """Every snapshot row and the working state of 'Skola', through the app's own store."""
    store = Lartrappan(url)
    try:
        school = store.units.tree().find(["Norrby kommun", "Skola"])
        assert school is not None
        return list(store.transfer.export_rows()), store.checklist.state(school)
    finally:
        store.close()


# ---------------------------------------------------------------------------- backup


def test_backup_makes_a_checked_single_file_copy(
    live: tuple[str, Lartrappan], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = live
    copy = tmp_path / "copy.db"

    assert cli("--db", url, "--lang", "en", "backup", str(copy)) == EXIT_OK

    assert "2 snapshots" in capsys.readouterr().out
    assert integrity(copy) == ["ok"]
    assert copy.read_bytes()[18:20] == b"\x01\x01"  # a plain file: no -wal needed
    assert not list(tmp_path.glob("copy.db?*"))  # no partial file left behind
    assert content(f"sqlite:///{copy}") == content(url)


def test_a_backup_taken_while_the_app_writes_is_one_consistent_moment(tmp_path: Path) -> None:
    """A session keeps ticking two practices together and saving snapshots while backups are
    taken: every copy passes integrity_check, has every snapshot acknowledged before it
    started, every snapshot complete, and never half of a two-practice write."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    store = Lartrappan(url)
    unit = store.units.create(Actor(""), "Norrby kommun")
    pair = ("s1-goal-linked", "s1-anytime-anywhere")
    acked: list[int] = []
    progress = threading.Condition()
    stop = threading.Event()
    failures: list[BaseException] = []

    def session() -> None:
        moment = datetime(2025, 1, 1, 12, 0)
        n = 0
        try:
            while not stop.is_set():
                n += 1
                note = f"pair-{n}"
                store.checklist.replace(
                    Actor(""), unit.id, [PracticeState(p, Status.IN_PROGRESS, note) for p in pair]
                )
                store.checklist.set_status(
                    Actor(""),
                    unit.id,
                    "s2-just-in-time",
                    Status.DONE if n % 2 else Status.NOT_STARTED,
                )
                moment -= timedelta(seconds=1)
                snap = store.snapshots.save(Actor(""), unit.id, "writer", note, moment)
                with progress:
                    acked.append(snap.id)
                    progress.notify_all()
        except BaseException as exc:
            failures.append(exc)
            with progress:
                progress.notify_all()

    writer = threading.Thread(target=session)
    writer.start()
    copies = []
    try:
        for k in range(5):
            with progress:  # let the writer get ahead: backups land amid its writes
                wanted = 20 * (k + 1)
                progress.wait_for(lambda n=wanted: len(acked) >= n or bool(failures), 60)
                before = list(acked)
            copy = tmp_path / f"copy-{k}.db"
            backup.backup(url, copy)
            copies.append((copy, before))
    finally:
        stop.set()
        writer.join(timeout=60)
        store.close()
    assert not failures, failures

    for copy, before in copies:
        assert integrity(copy) == ["ok"], copy
        conn = sqlite3.connect(copy)
        rows = conn.execute(
            "SELECT s.id, count(p.practice_id) FROM snapshot s "
            "LEFT JOIN snapshot_practice p ON p.snapshot_id = s.id GROUP BY s.id"
        ).fetchall()
        sizes = dict(rows)
        assert set(before) <= set(sizes), f"{copy.name} lacks acknowledged snapshots"
        assert set(sizes.values()) == {PRACTICES}, f"{copy.name} has incomplete snapshots"
        notes = dict(
            conn.execute(
                "SELECT practice_id, note FROM practice_state WHERE practice_id IN (?, ?)", pair
            ).fetchall()
        )
        assert notes[pair[0]] == notes[pair[1]], f"{copy.name} shows half a pair write"
        half = conn.execute(
            "SELECT count(*) FROM snapshot_practice a JOIN snapshot_practice b "
            "ON a.snapshot_id = b.snapshot_id AND a.practice_id = ? AND b.practice_id = ? "
            "WHERE a.note != b.note",
            pair,
        ).fetchone()[0]
        assert half == 0
        conn.close()


def test_backup_refuses_to_overwrite_a_file_unless_forced(
    live: tuple[str, Lartrappan], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, _ = live
    copy = tmp_path / "copy.db"
    copy.write_bytes(b"my thesis")

    assert cli("--db", url, "backup", str(copy)) == EXIT_REJECTED
    assert "--force" in capsys.readouterr().err
    assert copy.read_bytes() == b"my thesis"

    assert cli("--db", url, "backup", "--force", str(copy)) == EXIT_OK
    assert integrity(copy) == ["ok"]


def test_backup_of_a_missing_database_says_so_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.db"
    code = cli("--db", f"sqlite:///{missing}", "--lang", "en", "backup", str(tmp_path / "c.db"))
    assert code == EXIT_FILE
    assert "does not exist" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["backup", "restore"])
@pytest.mark.parametrize(("lang", "word"), [("sv", "pg_dump"), ("en", "pg_dump")])
def test_postgresql_is_sent_to_pg_dump(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, lang: str, word: str
) -> None:
    url = "postgresql://lartrappan:secret@db.example/lartrappan"
    code = cli("--db", url, "--lang", lang, command, str(tmp_path / "x.db"))
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert word in err and "PostgreSQL" in err
    assert "secret" not in err


# ---------------------------------------------------------------------------- restore


def test_restore_brings_back_exactly_what_was_backed_up(
    live: tuple[str, Lartrappan], tmp_path: Path
) -> None:
    url, _ = live
    copy = tmp_path / "copy.db"
    assert cli("--db", url, "backup", str(copy)) == EXIT_OK
    target = f"sqlite:///{tmp_path / 'new' / 'restored.db'}"

    assert cli("--db", target, "restore", str(copy)) == EXIT_OK

    assert integrity(tmp_path / "new" / "restored.db") == ["ok"]
    assert content(target) == content(url)


def test_restore_into_an_empty_app_database_needs_no_force(
    live: tuple[str, Lartrappan], tmp_path: Path
) -> None:
    url, _ = live
    copy = tmp_path / "copy.db"
    backup.backup(url, copy)
    target = f"sqlite:///{tmp_path / 'fresh.db'}"
    Lartrappan(target).close()  # the app started once on it: schema, no data

    assert cli("--db", target, "restore", str(copy)) == EXIT_OK
    assert content(target) == content(url)


def test_restore_over_data_needs_force_and_leaves_it_alone_without(
    live: tuple[str, Lartrappan], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, store = live
    copy = tmp_path / "copy.db"
    backup.backup(url, copy)
    store.units.create(Actor(""), "Made after the backup")
    after = content(url)

    assert cli("--db", url, "--lang", "en", "restore", str(copy)) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "already holds data" in err and "--force" in err and "Stop the app" in err
    assert content(url) == after

    assert cli("--db", url, "restore", "--force", str(copy)) == EXIT_OK
    tree = store.units.tree()  # the running store sees the restored data
    assert "Made after the backup" not in {u.name for u in tree.units.values()}
    assert integrity(Path(url.removeprefix("sqlite:///"))) == ["ok"]


def _not_lartrappan(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()


def _too_new(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (SCHEMA_VERSION + 1,))
    conn.commit()
    conn.close()


def _damaged(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    data[2 * page : 3 * page] = b"\xa5" * page  # a table page overwritten
    path.write_bytes(bytes(data))


def _csv(path: Path) -> None:
    path.write_bytes(b"unit_path,taken_at\n")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


@pytest.mark.parametrize(
    ("spoil", "of_a_backup", "message"),
    [
        (_csv, False, "is not an SQLite database"),
        (_empty, False, "is not a Lärtrappan database"),
        (_not_lartrappan, False, "is not a Lärtrappan database"),
        (_too_new, True, f"schema version {SCHEMA_VERSION + 1}"),
        (_damaged, True, "is damaged"),
    ],
    ids=["csv", "empty", "other-app", "too-new", "damaged"],
)
def test_restore_refuses_a_file_that_is_not_a_sound_backup(
    live: tuple[str, Lartrappan],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    spoil: Callable[[Path], None],
    of_a_backup: bool,
    message: str,
) -> None:
    url, _ = live
    bad = tmp_path / "bad.db"
    if of_a_backup:
        backup.backup(url, bad)
    spoil(bad)
    target = tmp_path / "target.db"
    target_url = f"sqlite:///{target}"

    code = cli("--db", target_url, "--lang", "en", "restore", "--force", str(bad))

    assert code == EXIT_REJECTED
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_restore_of_a_missing_file_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli("--db", f"sqlite:///{tmp_path / 't.db'}", "restore", str(tmp_path / "nope.db"))
    assert code == EXIT_FILE
    assert "nope.db finns inte" in capsys.readouterr().err


def test_a_store_left_running_sees_the_restored_units_not_its_cache(tmp_path: Path) -> None:
    """Two databases with the same number of unit changes: the running store's cached tree
    (keyed by that count) must not survive the restore."""
    source_url = f"sqlite:///{tmp_path / 'source.db'}"
    source = Lartrappan(source_url)
    source.units.create(Actor(""), "Norrby kommun")
    source.close()
    copy = tmp_path / "copy.db"
    backup.backup(source_url, copy)
    target_url = f"sqlite:///{tmp_path / 'target.db'}"
    running = Lartrappan(target_url)
    try:
        running.units.create(Actor(""), "Söderby kommun")
        assert [u.name for u in running.units.tree().units.values()] == ["Söderby kommun"]

        assert cli("--db", target_url, "restore", "--force", str(copy)) == EXIT_OK

        assert [u.name for u in running.units.tree().units.values()] == ["Norrby kommun"]
    finally:
        running.close()
