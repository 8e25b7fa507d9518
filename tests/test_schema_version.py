"""A database made by a newer version of the app is refused, clearly, and left byte for byte
as it was: by the store, the command line (both languages) and the app's pages. SQLite only:
these tests look at the file itself."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from staircase import settings
from staircase.__main__ import EXIT_FILE, main
from staircase.services import Actor, Lartrappan
from staircase.storage.migrations import SCHEMA_VERSION, SchemaTooNewError

APP = str(Path(__file__).resolve().parent.parent / "app.py")
NEWER = SCHEMA_VERSION + 1


def newer_database(path: Path, journal_mode: str = "delete") -> Path:
    """A database with one unit whose meta says a newer app made it."""
    store = Lartrappan(f"sqlite:///{path}")
    store.units.create(Actor(""), "Norrby kommun")
    store.close()
    conn = sqlite3.connect(path)
    assert conn.execute(f"PRAGMA journal_mode={journal_mode}").fetchone()[0] == journal_mode
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(NEWER),))
    conn.commit()
    conn.close()
    return path


def files(folder: Path) -> dict[str, bytes]:
    """Every file in the folder (the database and any -wal, -shm, -journal) and its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_the_store_refuses_a_newer_database_without_writing_a_byte(tmp_path: Path) -> None:
    db = newer_database(tmp_path / "newer.db")
    before = files(tmp_path)
    assert before[db.name][18:20] == b"\x01\x01"  # rollback journal, not WAL

    with pytest.raises(SchemaTooNewError) as refused:
        Lartrappan(f"sqlite:///{db}")

    assert (refused.value.found, refused.value.known) == (NEWER, SCHEMA_VERSION)
    assert files(tmp_path) == before  # not switched to WAL, no table created, no -wal file


def test_a_newer_database_in_wal_mode_is_refused_and_its_file_left_unchanged(
    tmp_path: Path,
) -> None:
    db = newer_database(tmp_path / "newer.db", journal_mode="wal")
    before = db.read_bytes()

    with pytest.raises(SchemaTooNewError):
        Lartrappan(f"sqlite:///{db}")

    assert db.read_bytes() == before


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("sv", ["nyare version av Lärtrappan", f"schemaversion {NEWER}", "inte ändrats"]),
        ("en", ["newer version of Lärtrappan", f"schema version {NEWER}", "not been changed"]),
    ],
)
def test_the_command_line_refuses_a_newer_database_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, words: list[str]
) -> None:
    db = newer_database(tmp_path / "newer.db")
    before = files(tmp_path)

    code = main(["--db", f"sqlite:///{db}", "--lang", lang, "units"])

    assert code == EXIT_FILE
    err = capsys.readouterr().err
    for word in words:
        assert word in err
    assert "Traceback" not in err
    assert files(tmp_path) == before


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("sv", ["nyare version av Lärtrappan", f"schemaversion {NEWER}"]),
        ("en", ["newer version of Lärtrappan", f"schema version {NEWER}"]),
    ],
)
def test_the_app_shows_the_refusal_instead_of_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str, words: list[str]
) -> None:
    db = newer_database(tmp_path / "newer.db")
    monkeypatch.setenv("STAIRCASE_DB_URL", f"sqlite:///{db}")
    settings.current.cache_clear()  # read once per process: this test starts "a new process"
    before = files(tmp_path)

    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()

    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(e.value for e in at.error)
    for word in words:
        assert word in shown
    assert files(tmp_path) == before
