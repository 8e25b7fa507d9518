"""`python -m staircase targets …` and `rounds …`: set, clear, list; open, list, show, close;
refusals with exit 1 and nothing written; and what `summary` adds about them."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from staircase.__main__ import EXIT_OK, EXIT_REJECTED, EXIT_USAGE
from staircase.domain.moments import now
from staircase.services import Lartrappan
from staircase.services.demo import load_demo
from staircase.storage import steering as store
from tests.test_cli_summary import Run, runner

TODAY = now().date()
KOMMUN = "Norrby kommun"
VARD = "Norrby kommun > Vård- och omsorgsförvaltningen"


@pytest.fixture
def run(
    make_store: Callable[[str], Lartrappan],
    db_url: Callable[[str], str],
    capsys: pytest.CaptureFixture[str],
) -> Run:
    load_demo(make_store("cli_steering"))
    return runner(db_url("cli_steering"), capsys)


def test_targets_set_list_clear(run: Run) -> None:
    due = (TODAY + timedelta(days=90)).isoformat()
    code, out, _ = run("targets", "set", "--unit", VARD, "--step", "3", "--due", due)
    assert code == EXIT_OK and out.strip() == f"Mål för {VARD}: steg 3 senast {due}."
    code, out, _ = run("--lang", "en", "targets", "list", "--unit", VARD)
    lines = out.strip().splitlines()
    assert len(lines) == 3 and all(f"Step 3 by {due}" in line for line in lines)
    assert any("✓ reached" in line for line in lines)  # Hemtjänst Norr stands on step 3
    code, out, _ = run(
        "targets", "set", "--unit", f"{VARD} > Hemtjänst Norr", "--step", "1", "--due", due
    )
    assert code == EXIT_OK
    code, _, _ = run("targets", "clear", "--unit", f"{VARD} > Hemtjänst Norr")
    assert code == EXIT_OK
    code, _, err = run("targets", "clear", "--unit", f"{VARD} > Hemtjänst Norr")
    assert code == EXIT_REJECTED and "inget eget mål" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--step", "4", "--due", "2099-01-01"), "Målsteget måste vara 1, 2 eller 3 (inte 4)."),
        (("--step", "2", "--due", "2001-01-01"), "Måldatumet 2001-01-01 har redan passerat"),
        (("--step", "2", "--due", "2027-02-30"), "--due 2027-02-30 är inget datum"),
    ],
)
def test_a_bad_target_is_refused_and_nothing_written(
    run: Run, args: tuple[str, ...], message: str
) -> None:
    code, out, err = run("targets", "set", "--unit", VARD, *args)
    assert code == EXIT_REJECTED and message in err and out == ""
    assert run("targets", "list", "--unit", VARD)[1] == ""


def test_targets_refuse_an_unknown_unit_and_need_an_action(run: Run) -> None:
    code, _, err = run("targets", "set", "--unit", "Ingen", "--step", "2", "--due", "2099-01-01")
    assert code == EXIT_REJECTED and "Ingen" in err
    assert run("targets")[0] == EXIT_USAGE


def test_rounds_open_list_show_close_and_summary(run: Run) -> None:
    start, due = (TODAY - timedelta(days=5)).isoformat(), (TODAY + timedelta(days=5)).isoformat()
    code, out, _ = run(
        "rounds", "open", "--unit", VARD, "--name", "Vår 2027", "--start", start, "--due", due
    )
    assert code == EXIT_OK and out.strip() == "Omgång 1 ”Vår 2027” är öppnad."
    code, out, _ = run("rounds", "list", "--unit", KOMMUN)
    assert out.strip() == f"1\tVår 2027\t{VARD}\t{start} – {due}\töppen"
    code, out, _ = run("--lang", "en", "rounds", "show", "1")
    assert out.splitlines()[0] == "0 of 3 units have answered (0 %)."
    assert sum("missing:" in line for line in out.splitlines()) == 3
    data = json.loads(run("summary", "--unit", VARD, "--format", "json")[1])
    assert data["rounds"] == [
        {
            "id": 1,
            "name": "Vår 2027",
            "unit": VARD,
            "starts": start,
            "due": due,
            "answered": 0,
            "expected": 3,
        }
    ]
    rows = list(csv.DictReader(io.StringIO(run("summary", "--unit", VARD, "--format", "csv")[1])))
    assert {
        "section": "round",
        "id": "1",
        "name": "Vår 2027",
        "step": "",
        "measure": "expected",
        "value": "3",
    } in rows
    code, out, _ = run("rounds", "close", "1")
    assert code == EXIT_OK and out.splitlines()[0] == "Omgången ”Vår 2027” är stängd."
    assert run("rounds", "close", "1")[0] == EXIT_REJECTED
    assert run("summary", "--unit", VARD, "--format", "json")[1].count('"rounds": []') == 1


def test_a_round_due_before_its_start_is_refused(run: Run) -> None:
    code, _, err = run(
        "rounds",
        "open",
        "--unit",
        VARD,
        "--name",
        "X",
        "--start",
        "2099-02-01",
        "--due",
        "2099-01-01",
    )
    assert code == EXIT_REJECTED and "ligger före startdagen" in err
    assert run("rounds", "show", "1")[0] == EXIT_REJECTED
    assert run("rounds", "list", "--unit", VARD)[1] == ""


def test_summary_lists_the_units_behind_target(run: Run, make_store) -> None:
    run("targets", "set", "--unit", KOMMUN, "--step", "3", "--due", TODAY.isoformat())
    data = json.loads(run("summary", "--unit", KOMMUN, "--format", "json")[1])
    assert data["targets"]["behind"] == 0  # the target day itself is in time
    assert data["targets"]["on_track"] + data["targets"]["reached"] == data["units_expected"]
    assert data["targets"]["without_target"] == 0
    # A target set months ago whose date passed yesterday (the service refuses a past date
    # today, so it is written as it was then).
    core = make_store("cli_steering")
    tree = core.units.tree()
    vard = tree.find([p.strip() for p in VARD.split(">")])
    with core.db.write() as conn:
        store.add_target(conn, vard, 3, TODAY - timedelta(days=1), now() - timedelta(days=90), "x")
    data = json.loads(run("summary", "--unit", KOMMUN, "--format", "json")[1])
    behind = data["targets"]["behind_units"]
    assert [u["path"].rsplit(" > ", 1)[0] for u in behind] == [VARD] * data["targets"]["behind"]
    assert data["targets"]["behind"] == 2  # Hemtjänst Norr stands on step 3
    assert all(u["gap"] == 3 - u["step"] > 0 for u in behind)
    table = run("summary", "--unit", KOMMUN)[1]
    assert "Mot målen: 2 efter" in table
    assert all(u["path"] in table for u in behind)
