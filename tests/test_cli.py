"""The command line, `python -m staircase`: run in-process through main(argv), and once for real."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from staircase.__main__ import EXIT_FILE, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from staircase.csv import checks as csvchecks
from staircase.csv.format import CsvVariant
from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import Problem, Status, ValidationError
from staircase.services import Actor, Lartrappan

REPO = Path(__file__).resolve().parent.parent
PRACTICES = load_catalogue().practices


@pytest.fixture(autouse=True)
def _no_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command run without --db must never touch the real data/staircase.db."""
    monkeypatch.setenv("STAIRCASE_DB_URL", f"sqlite:///{tmp_path}/default.db")


@pytest.fixture
def source(db_url: Callable[[str], str]) -> Iterator[tuple[str, Lartrappan]]:
    """A database with two units under a municipality, each with one snapshot."""
    url = db_url("source")
    store = Lartrappan(url)
    root = store.units.create(Actor(""), "Norrby kommun")
    school = store.units.create(Actor(""), "Skola", root.id)
    care = store.units.create(Actor(""), "Vård och omsorg", root.id)
    hem = store.units.create(Actor(""), "Hemtjänst Norr", care.id)
    store.checklist.set_note(Actor(""), hem.id, "s1-goal-linked", "=1+1 och åäö")
    store.checklist.set_status(Actor(""), hem.id, "s1-goal-linked", Status.DONE)
    store.snapshots.save(Actor(""), school.id, "Anna", "APT", datetime(2025, 1, 15, 9, 0))
    store.snapshots.save(Actor(""), hem.id, "Örjan", "", datetime(2025, 2, 1, 13, 30))
    store.snapshots.save(Actor(""), care.id, "Örjan", "", datetime(2025, 2, 2, 13, 30))
    archived = store.units.create(Actor(""), "Gamla enheten", root.id)
    store.units.set_archived(Actor(""), archived.id, True)
    try:
        yield url, store
    finally:
        store.close()


def rows_of(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_export_to_file_and_import_into_empty_database(
    source: tuple[str, Lartrappan],
    db_url: Callable[[str], str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, store = source
    out = tmp_path / "export.csv"
    assert main(["--db", url, "export", str(out)]) == EXIT_OK
    data = out.read_bytes()
    assert data == store.transfer.export_csv()
    assert len(rows_of(data)) == 3 * len(PRACTICES)
    assert f"{3 * len(PRACTICES)} rader" in capsys.readouterr().out
    assert not (tmp_path / "export.csv.part").exists()

    target = db_url("target")
    assert main(["--db", target, "import", str(out)]) == EXIT_OK
    printed = capsys.readouterr().out
    assert "4 nya enheter" in printed and "3 nya ögonblicksbilder" in printed
    copy = Lartrappan(target)
    try:
        assert copy.transfer.export_csv() == data
    finally:
        copy.close()

    # the same file again: nothing new, everything skipped (options after the command work too)
    assert main(["import", str(out), "--db", target, "--lang", "en"]) == EXIT_OK
    assert "0 new snapshots, 3 already there and skipped" in capsys.readouterr().out


def test_export_to_stdout(
    source: tuple[str, Lartrappan], capsysbinary: pytest.CaptureFixture
) -> None:
    url, store = source
    code = main(["--db", url, "export", "--excel", "-"])
    captured = capsysbinary.readouterr()
    assert code == EXIT_OK
    assert captured.out == store.transfer.export_csv(variant=CsvVariant.EXCEL_SV)
    assert captured.out.startswith(b"\xef\xbb\xbfunit_path;")
    assert f"{3 * len(PRACTICES)} rader".encode() in captured.err


def test_export_one_unit_with_and_without_subtree(
    source: tuple[str, Lartrappan], tmp_path: Path
) -> None:
    url, _ = source
    out = tmp_path / "part.csv"
    assert main(["--db", url, "export", "--unit", " norrby KOMMUN>Vård och omsorg ", str(out)]) == 0
    paths = {r["unit_path"] for r in rows_of(out.read_bytes())}
    assert paths == {
        "Norrby kommun > Vård och omsorg",
        "Norrby kommun > Vård och omsorg > Hemtjänst Norr",
    }
    assert (
        main(
            [
                "--db",
                url,
                "export",
                "--unit",
                "Norrby kommun > Vård och omsorg",
                "--no-subtree",
                str(out),
            ]
        )
        == 0
    )
    assert {r["unit_path"] for r in rows_of(out.read_bytes())} == {
        "Norrby kommun > Vård och omsorg"
    }


def test_export_unknown_unit(source: tuple[str, Lartrappan], tmp_path: Path, capsys) -> None:
    url, _ = source
    out = tmp_path / "x.csv"
    assert (
        main(["--db", url, "export", "--unit", "Norrby kommun > Finns inte", str(out)])
        == EXIT_REJECTED
    )
    assert "Finns inte" in capsys.readouterr().err
    assert not out.exists()
    assert main(["--db", url, "export", "--unit", " > ", str(out)]) == EXIT_REJECTED


def test_export_into_missing_directory(
    source: tuple[str, Lartrappan], tmp_path: Path, capsys
) -> None:
    url, _ = source
    assert main(["--db", url, "export", str(tmp_path / "nope" / "x.csv")]) == EXIT_FILE
    assert "nope" in capsys.readouterr().err


def test_import_bad_file_prints_rows_and_changes_nothing(
    source: tuple[str, Lartrappan], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, store = source
    before = store.transfer.export_csv()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(
        b"unit_path;taken_at;practice_id;status\n"
        b"Norrby kommun > Ny;2025-02-30;s1-goal-linked;done\n"
        b"Norrby kommun > Ny;2025-02-03;s1-anytime-anywhere;klar\n"
    )
    assert main(["--db", url, "import", str(bad)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "Rad 2, kolumn taken_at:" in err and "2025-02-30" in err
    assert "Rad 3, kolumn status:" in err and "klar" in err
    assert "ingenting ändrades" in err
    assert main(["--lang", "en", "--db", url, "import", str(bad)]) == EXIT_REJECTED
    assert "Row 3, column status: Unknown status" in capsys.readouterr().err
    assert store.transfer.export_csv() == before
    assert len(store.units.tree().units) == 5


def test_import_from_stdin(
    source: tuple[str, Lartrappan],
    db_url: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, store = source
    data = store.transfer.export_csv()
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))
    target = db_url("target")
    assert main(["--db", target, "import", "-"]) == EXIT_OK
    assert "3 nya ögonblicksbilder" in capsys.readouterr().out


def test_import_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "never.db"
    assert main(["--db", f"sqlite:///{db}", "import", str(tmp_path / "saknas.csv")]) == EXIT_FILE
    assert "saknas.csv" in capsys.readouterr().err
    assert not db.exists()  # the database is not even created
    assert main(["--db", f"sqlite:///{db}", "import", str(tmp_path)]) == EXIT_FILE  # a directory


def test_import_too_large_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(csvchecks, "MAX_IMPORT_BYTES", 100)
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 101)
    assert main(["--db", f"sqlite:///{tmp_path}/t.db", "import", str(big)]) == EXIT_REJECTED
    assert "101 byte" in capsys.readouterr().err


def test_units(source: tuple[str, Lartrappan], capsys: pytest.CaptureFixture[str]) -> None:
    url, core = source
    assert main(["--db", url, "units"]) == EXIT_OK
    tree = core.units.tree()
    paths = [
        "Norrby kommun",
        "Norrby kommun > Gamla enheten",
        "Norrby kommun > Skola",
        "Norrby kommun > Vård och omsorg",
        "Norrby kommun > Vård och omsorg > Hemtjänst Norr",
    ]
    ids = [tree.find(p.split(" > ")) for p in paths]
    # the id first (for ?unit= links), right-aligned, then the path
    assert capsys.readouterr().out.splitlines() == [
        f"{i:>{len(str(max(ids)))}}  {p}" + (" (arkiverad)" if "Gamla" in p else "")
        for i, p in zip(ids, paths, strict=True)
    ]
    assert main(["--db", url, "--lang", "en", "units"]) == EXIT_OK
    assert "Norrby kommun > Gamla enheten (archived)" in capsys.readouterr().out


def test_units_of_empty_database(
    db_url: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", db_url("empty"), "units"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.out == "" and "demo" in captured.err


def test_default_database_comes_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["units"]) == EXIT_OK
    assert (tmp_path / "default.db").exists()


def test_demo_with_a_stand_in_loader(
    db_url: Callable[[str], str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo = pytest.importorskip("staircase.services.demo")
    calls: list[Lartrappan] = []

    def fake_load_demo(store: Lartrappan) -> SimpleNamespace:
        calls.append(store)
        if len(calls) > 1:
            raise ValidationError(Problem("demo.not_empty"))
        return SimpleNamespace(units=7, snapshots=42)

    monkeypatch.setattr(demo, "load_demo", fake_load_demo)
    url = db_url("demo")
    assert main(["--db", url, "demo"]) == EXIT_OK
    assert "7 enheter och 42 ögonblicksbilder" in capsys.readouterr().out
    assert main(["--db", url, "demo"]) == EXIT_REJECTED
    assert "redan enheter" in capsys.readouterr().err


def test_demo_for_real(
    db_url: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("staircase.services.demo")
    url = db_url("demo")
    assert main(["--db", url, "--lang", "en", "demo"]) == EXIT_OK
    assert "Demo data loaded" in capsys.readouterr().out
    assert main(["--db", url, "demo"]) == EXIT_REJECTED
    assert capsys.readouterr().err.strip()
    out = tmp_path / "demo.csv"
    assert main(["--db", url, "export", str(out)]) == EXIT_OK
    assert main(["--db", db_url("copy"), "import", str(out)]) == EXIT_OK


def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == EXIT_USAGE
    assert main(["bogus"]) == EXIT_USAGE
    assert main(["export"]) == EXIT_USAGE  # FILE missing
    assert main(["--lang", "fi", "units"]) == EXIT_USAGE
    assert "usage" in capsys.readouterr().err


def test_help_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == EXIT_OK
    sv = capsys.readouterr().out
    assert "Slutkoder" in sv and "export" in sv and "units" in sv
    assert main(["--lang", "en", "export", "--help"]) == EXIT_OK
    en = capsys.readouterr().out
    assert "Exit codes" in en and "--no-subtree" in en and "--excel" in en


def test_bad_database_url_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "nosuchdriver://x", "units"]) == EXIT_FILE
    assert "nosuchdriver" in capsys.readouterr().err


def test_unreachable_postgresql_exits_3(capsys: pytest.CaptureFixture[str]) -> None:
    # Port 1 on this machine: nothing listens there, so the connection is refused at once.
    url = "postgresql+psycopg://nobody:secret@127.0.0.1:1/staircase"
    assert main(["--db", url, "units"]) == EXIT_FILE
    err = capsys.readouterr().err
    assert err.strip()
    assert "secret" not in err  # the message never shows the password


def _run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "STAIRCASE_DB_URL": f"sqlite:///{tmp_path}/sub.db",
    }
    return subprocess.run(
        [sys.executable, "-m", "staircase", *args],
        capture_output=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        check=False,
    )


def test_python_dash_m_help(tmp_path: Path) -> None:
    done = _run("--help", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")
    assert "python -m staircase" in text and "Slutkoder" in text
    assert not (tmp_path / "sub.db").exists()
    assert _run("--lang", "en", "bogus", tmp_path=tmp_path).returncode == 2


def test_python_dash_m_export_to_stdout(source: tuple[str, Lartrappan], tmp_path: Path) -> None:
    url, store = source
    done = _run("--db", url, "export", "-", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout == store.transfer.export_csv()
    assert b"rader" in done.stderr
