"""`python -m staircase plan export|import`: the plan CSV on the command line."""

from __future__ import annotations

import codecs
import io
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from staircase.__main__ import EXIT_FILE, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from staircase.services import Actor, Lartrappan

P1, P2 = "s1-goal-linked", "s1-anytime-anywhere"
NORR = "Norrby kommun > Vård och omsorg > Hemtjänst Norr"


@pytest.fixture(autouse=True)
def _no_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAIRCASE_DB_URL", f"sqlite:///{tmp_path}/default.db")


@pytest.fixture
def source(db_url: Callable[[str], str]) -> Iterator[tuple[str, Lartrappan, dict[str, int]]]:
    url = db_url("source")
    store = Lartrappan(url)
    root = store.units.create(Actor(""), "Norrby kommun").id
    care = store.units.create(Actor(""), "Vård och omsorg", root).id
    north = store.units.create(Actor(""), "Hemtjänst Norr", care).id
    school = store.units.create(Actor(""), "Skola", root).id
    store.plans.set_owner(Actor(""), north, P1, "Karin Ek")
    store.plans.set_due(Actor(""), north, P1, date(2027, 3, 31))
    store.plans.set_action(Actor(""), north, P1, "=Boka APT")
    try:
        yield url, store, {"root": root, "care": care, "north": north, "school": school}
    finally:
        store.close()


def test_plan_export_of_a_unit_and_import_back(
    source: tuple[str, Lartrappan, dict[str, int]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, store, ids = source
    out = tmp_path / "plan.csv"
    assert (
        main(["--db", url, "plan", "export", "--unit", "norrby kommun > vård och omsorg", str(out)])
        == EXIT_OK
    )
    practices = len(store.practices.catalogue().practices)
    assert f"{2 * practices} rader skrivna" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert f"{NORR},{P1}," in text and ",Karin Ek,2027-03-31,'=Boka APT" in text
    assert "Skola" not in text
    store.plans.set_owner(Actor(""), ids["north"], P1, "Någon annan")
    assert main(["--db", url, "plan", "import", str(out)]) == EXIT_OK
    assert "planen ändrades för 1 arbetssätt" in capsys.readouterr().out
    item = store.plans.of_unit(ids["north"]).of(P1).item
    assert (item.owner, item.action) == ("Karin Ek", "=Boka APT")


def test_plan_export_excel_to_stdout(
    source: tuple[str, Lartrappan, dict[str, int]], capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    url, _, _ = source
    assert (
        main(["--db", url, "plan", "export", "--excel", "--unit", NORR, "--no-subtree", "-"])
        == EXIT_OK
    )
    data = capsysbinary.readouterr().out
    assert data.startswith(codecs.BOM_UTF8) and b";Karin Ek;2027-03-31;" in data


def test_owners_in_bulk_from_stdin(
    source: tuple[str, Lartrappan, dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, store, ids = source
    data = f"unit_path;practice_id;owner\n{NORR};{P2};Bo Ström\nNorrby kommun > Skola;{P1};Åsa\n"
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data.encode())))
    assert main(["--db", url, "plan", "import", "-"]) == EXIT_OK
    assert "planen ändrades för 2 arbetssätt" in capsys.readouterr().out
    assert store.plans.of_unit(ids["north"]).of(P2).item.owner == "Bo Ström"
    assert store.plans.of_unit(ids["school"]).of(P1).item.owner == "Åsa"
    assert store.plans.of_unit(ids["north"]).of(P1).item.owner == "Karin Ek"  # untouched


def test_a_bad_plan_file_prints_every_problem_and_changes_nothing(
    source: tuple[str, Lartrappan, dict[str, int]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, store, _ids = source
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"unit_path,practice_id,owner,due\n{NORR},{P2},Bo,2027-13-01\n{NORR},s9-x,Bo,\n",
        encoding="utf-8",
    )
    before = store.plans.export_csv()
    assert main(["--db", url, "plan", "import", str(bad)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "avvisades och ingenting ändrades (2 problem)" in err
    assert "Rad 2, kolumn due:" in err and "Rad 3, kolumn practice_id:" in err
    assert main(["--lang", "en", "--db", url, "plan", "import", str(bad)]) == EXIT_REJECTED
    assert "Row 2, column due: The due date “2027-13-01” does not exist" in capsys.readouterr().err
    assert store.plans.export_csv() == before


def test_plan_usage_and_file_errors(
    source: tuple[str, Lartrappan, dict[str, int]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, _, _ = source
    assert main(["--db", url, "plan"]) == EXIT_USAGE  # no action
    assert main(["--db", url, "plan", "delete", "x.csv"]) == EXIT_USAGE
    assert main(["--db", url, "plan", "import", str(tmp_path / "saknas.csv")]) == EXIT_FILE
    assert main(["--db", url, "plan", "export", str(tmp_path / "nej" / "x.csv")]) == EXIT_FILE
    assert not (tmp_path / "nej").exists()
    capsys.readouterr()
    assert main(["--db", url, "plan", "export", "--unit", "Finns inte", "-"]) == EXIT_REJECTED
    assert "Finns inte" in capsys.readouterr().err


def test_plan_import_of_a_missing_file_creates_no_database(tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    assert main(["--db", f"sqlite:///{db}", "plan", "import", str(tmp_path / "x.csv")]) == EXIT_FILE
    assert not db.exists()
