"""`python -m staircase summary`: the roll-up as JSON, a table and CSV, and its refusals (run
in-process through main(argv), like tests/test_cli.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from staircase.__main__ import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from staircase.csv.format import FORMULA_START
from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import PracticeState, Status
from staircase.domain.moments import now
from staircase.i18n import t
from staircase.services import Actor, Lartrappan
from staircase.services.demo import load_demo
from staircase.views.summary import CSV_COLUMNS

ACTOR = Actor("x")
CATALOGUE = load_catalogue()
DEMO_DAY = date(2024, 5, 15)
MUNICIPALITY = "Norrby kommun"
STATUSES = ("done", "in_progress", "not_started", "not_applicable")


@pytest.fixture(autouse=True)
def _no_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command run without --db must never touch the real data/staircase.db."""
    monkeypatch.setenv("STAIRCASE_DB_URL", f"sqlite:///{tmp_path}/default.db")


Run = Callable[..., tuple[int, str, str]]


def runner(url: str, capsys: pytest.CaptureFixture[str]) -> Run:
    """run(*args) → (exit code, stdout, stderr) of `python -m staircase --db URL args`."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(["--db", url, *args])
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def demo(
    make_store: Callable[[str], Lartrappan],
    db_url: Callable[[str], str],
    capsys: pytest.CaptureFixture[str],
) -> Run:
    """The demo's two organisations, as on 15 May 2024."""
    load_demo(make_store("demo"), today=DEMO_DAY)
    return runner(db_url("demo"), capsys)


@pytest.fixture
def small(
    make_store: Callable[[str], Lartrappan],
    db_url: Callable[[str], str],
    capsys: pytest.CaptureFixture[str],
) -> tuple[Lartrappan, Run]:
    """One organisation "=SUM(A1)" (a name a spreadsheet would run) with three units: one
    on step 1 with an own practice on the way, one on step 0, one "-Ny" never assessed."""
    store = make_store("small")
    root = store.units.create(ACTOR, "=SUM(A1)").id
    first = store.units.create(ACTOR, "Enhet, med komma", root).id
    second = store.units.create(ACTOR, 'Enhet "två"', root).id
    store.units.create(ACTOR, "-Ny", root)
    own = store.practices.add(ACTOR, 3, '=HYPERLINK("http://x")', "@own", dimensions=["people"])
    store.checklist.replace(
        ACTOR,
        first,
        [PracticeState(p.id, Status.DONE) for p in CATALOGUE.practices if p.step == 1]
        + [PracticeState(own.id, Status.IN_PROGRESS)],
    )
    store.snapshots.save(ACTOR, first, "x", "", datetime(2024, 1, 10, 12))
    store.snapshots.save(ACTOR, second, "x", "", datetime(2023, 6, 1, 12))
    return store, runner(db_url("small"), capsys)


@pytest.fixture
def two(
    make_store: Callable[[str], Lartrappan],
    db_url: Callable[[str], str],
    capsys: pytest.CaptureFixture[str],
) -> Run:
    """Two organisations named as the demo's, one unit each (cheaper than the demo where
    only the refusals are tested)."""
    store = make_store("two")
    for name in (MUNICIPALITY, "Region Norrland Syd"):
        root = store.units.create(ACTOR, name).id
        store.units.create(ACTOR, "Enhet", root)
    return runner(db_url("two"), capsys)


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


# ---------------------------------------------------------------------------- the formats


def test_json_has_units_steps_and_maturity(demo: Run) -> None:
    code, out, err = demo(
        "summary", "--unit", MUNICIPALITY, "--at", "2024-05-15", "--format", "json"
    )
    assert code == EXIT_OK, err
    data = json.loads(out)
    assert data["unit"]["path"] == MUNICIPALITY and data["at"] == "2024-05-15"
    assert isinstance(data["units"], int) and data["units"] == 8
    assert list(data["steps"]) == ["0", "1", "2", "3"]
    assert sum(data["steps"].values()) == data["units"]
    assert data["units"] + data["units_not_assessed"] == data["units_expected"]
    assert 0 < data["maturity_mean"] < 1 and 0 < data["maturity_median"] < 1
    assert len(data["practices"]) == len(CATALOGUE.practices)
    for p in data["practices"]:
        assert sum(p[s] for s in STATUSES) == pytest.approx(1.0)
        assert p["units"] == data["units"]
        assert p["title"] == CATALOGUE.practice(p["id"]).title.sv
    assert data["stale"] == {"months": 6, "units": []}


def test_json_on_an_earlier_day_and_with_a_shorter_follow_up(demo: Run) -> None:
    code, out, err = demo(
        "summary",
        "--unit",
        MUNICIPALITY,
        "--at",
        "2023-03-10",
        "--stale-months",
        "2",
        "--format",
        "json",
    )
    assert code == EXIT_OK, err
    data = json.loads(out)
    assert data["at"] == "2023-03-10"
    assert data["units_not_assessed"] == 1  # Individ- och familjeomsorgen: from April 2023
    stale = {u["path"]: u["last_snapshot"] for u in data["stale"]["units"]}
    assert data["stale"]["months"] == 2
    ifo = "Norrby kommun > Socialförvaltningen > Individ- och familjeomsorgen"
    assert stale[ifo] is None
    assert next(iter(stale)) == ifo  # never first
    assert all(v is None or v < "2023-01-11" for v in stale.values())
    assert len(stale) > 1


def test_without_unit_a_single_organisation_is_rolled_up_as_of_today(
    small: tuple[Lartrappan, Run],
) -> None:
    _, run = small
    code, out, err = run("summary", "--format", "json")
    assert code == EXIT_OK, err
    data = json.loads(out)
    assert data["unit"]["path"] == "=SUM(A1)"  # JSON is data: the name as it is
    assert data["at"] == now().date().isoformat()
    assert (data["units"], data["units_expected"]) == (2, 3)
    assert data["steps"] == {"0": 1, "1": 1, "2": 0, "3": 0}
    assert [u["path"] for u in data["stale"]["units"]] == [
        "=SUM(A1) > -Ny",
        '=SUM(A1) > Enhet "två"',
        "=SUM(A1) > Enhet, med komma",
    ]
    titles = {p["title"] for p in data["practices"]}
    assert '=HYPERLINK("http://x")' in titles


def test_table(demo: Run) -> None:
    code, out, err = demo("summary", "--unit", MUNICIPALITY, "--at", "2024-05-15")
    assert code == EXIT_OK, err
    _, json_out, _ = demo(
        "summary", "--unit", MUNICIPALITY, "--at", "2024-05-15", "--format", "json"
    )
    data = json.loads(json_out)
    lines = out.splitlines()
    assert lines[0] == t("summary.title", "sv", unit=MUNICIPALITY, at="2024-05-15")
    assert lines[1] == t("summary.units", "sv", units=8, expected=8)
    assert "Mognad: medelvärde" in lines[2] and "%" in lines[2]
    for step, n in data["steps"].items():
        assert f"  {t('summary.step', 'sv', step=step)}: {n}" in lines
    weakest = data["practices"][0]
    head = lines.index(t("summary.practices", "sv")) + 1
    assert t("status.done", "sv") in lines[head]
    assert lines[head + 1].strip().startswith(f"{weakest['step']} {weakest['title']}")
    assert len(lines[head + 1 :]) >= len(data["practices"])
    assert t("summary.stale", "sv", months=6, count=0) in lines


def test_csv_is_one_value_per_row(demo: Run) -> None:
    code, out, err = demo(
        "summary", "--unit", MUNICIPALITY, "--at", "2024-05-15", "--format", "csv"
    )
    assert code == EXIT_OK, err
    _, json_out, _ = demo(
        "summary", "--unit", MUNICIPALITY, "--at", "2024-05-15", "--format", "json"
    )
    data = json.loads(json_out)
    assert out.splitlines()[0] == ",".join(CSV_COLUMNS)
    rows = rows_of(out)
    summary = {r["measure"]: r["value"] for r in rows if r["section"] == "summary"}
    assert summary["at"] == "2024-05-15"
    assert int(summary["units"]) == data["units"]
    assert int(summary["units_expected"]) == data["units_expected"]
    assert float(summary["maturity_mean"]) == pytest.approx(data["maturity_mean"], abs=5e-5)
    assert {r["step"]: int(r["value"]) for r in rows if r["section"] == "steps"} == data["steps"]
    practice_rows = [r for r in rows if r["section"] == "practice"]
    assert len(practice_rows) == len(data["practices"]) * 6
    first = data["practices"][0]
    done = next(r for r in practice_rows if r["id"] == first["id"] and r["measure"] == "done")
    assert done["name"] == first["title"]
    assert float(done["value"]) == pytest.approx(first["done"], abs=5e-5)


# ---------------------------------------------------------------------------- refusals


def refused(result: tuple[int, str, str], message: str) -> None:
    code, out, err = result
    assert code == EXIT_REJECTED
    assert out == ""
    assert err.strip() == message


@pytest.mark.parametrize("raw", ["2024-02-30", "15/5/2024", "igår", "2024-5-15", ""])
def test_a_bad_date_is_refused(two: Run, raw: str) -> None:
    refused(
        two("summary", "--unit", MUNICIPALITY, "--at", raw),
        t("cli.summary.bad_date", "sv", value=raw),
    )


def test_a_future_date_is_refused(two: Run) -> None:
    tomorrow = (now().date() + timedelta(days=1)).isoformat()
    refused(
        two("summary", "--unit", MUNICIPALITY, "--at", tomorrow),
        t("cli.summary.future_date", "sv", value=tomorrow),
    )
    code, _, err = two("summary", "--unit", MUNICIPALITY, "--at", now().date().isoformat())
    assert code == EXIT_OK, err  # today is fine


@pytest.mark.parametrize("path", ["Norrby kommun > Finns inte", "Finns inte", " > ", ""])
def test_an_unknown_unit_is_refused(two: Run, path: str) -> None:
    refused(two("summary", "--unit", path), t("cli.unit_unknown", "sv", unit=path))


def test_several_organisations_need_a_unit(two: Run) -> None:
    refused(two("summary"), t("cli.summary.which_unit", "sv", count=2))
    code, out, _ = two("summary", "--unit", "region norrland syd", "--format", "json")
    assert code == EXIT_OK  # names match as everywhere, without regard to case
    assert json.loads(out)["unit"]["path"] == "Region Norrland Syd"


def test_an_empty_database_has_no_organisation_to_roll_up(
    db_url: Callable[[str], str], capsys: pytest.CaptureFixture[str]
) -> None:
    run = runner(db_url("empty"), capsys)
    refused(run("summary"), t("cli.summary.which_unit", "sv", count=0))


@pytest.mark.parametrize("months", ["0", "-1", "1201"])
def test_stale_months_out_of_range_is_refused(two: Run, months: str) -> None:
    refused(
        two("summary", "--unit", MUNICIPALITY, "--stale-months", months),
        t("cli.summary.bad_months", "sv", value=int(months)),
    )


@pytest.mark.parametrize("args", [("--format", "xml"), ("--stale-months", "sex"), ("--unknown",)])
def test_usage_errors(two: Run, args: tuple[str, ...]) -> None:
    code, out, err = two("summary", "--unit", MUNICIPALITY, *args)
    assert code == EXIT_USAGE
    assert out == "" and err


def test_an_archived_unit_is_refused(small: tuple[Lartrappan, Run]) -> None:
    """The roll-up leaves archived units out: naming one must not print an empty roll-up
    ("0 of 0") as if it were a unit without units, but say it is not there to roll up."""
    store, run = small
    tree = store.units.tree()
    gone = tree.find(("=SUM(A1)", "-Ny"))
    assert gone is not None
    store.units.set_archived(ACTOR, gone, True)
    code, out, err = run("summary", "--unit", "=SUM(A1) > -Ny")
    assert code == EXIT_REJECTED
    assert out == "" and "-Ny" in err


# ---------------------------------------------------------------------------- languages


def test_english(demo: Run) -> None:
    code, out, err = demo("--lang", "en", "summary", "--unit", MUNICIPALITY, "--at", "2024-05-15")
    assert code == EXIT_OK, err
    assert out.startswith(f"Roll-up of {MUNICIPALITY}, 2024-05-15\n")
    assert "Units with a snapshot: 8 of 8" in out
    assert "Step 3:" in out and "Steg" not in out
    assert t("status.done", "en") in out and t("status.done", "sv") not in out
    for p in CATALOGUE.practices:
        assert p.title.en in out
    # --lang after the command too, and in the JSON's titles
    code, out, _ = demo(
        "summary", "--unit", MUNICIPALITY, "--at", "2024-05-15", "--format", "json", "--lang", "en"
    )
    assert code == EXIT_OK
    titles = {p["id"]: p["title"] for p in json.loads(out)["practices"]}
    assert titles == {p.id: p.title.en for p in CATALOGUE.practices}


def test_english_refusals(two: Run) -> None:
    refused(
        two("summary", "--lang", "en", "--unit", MUNICIPALITY, "--at", "yesterday"),
        t("cli.summary.bad_date", "en", value="yesterday"),
    )
    refused(two("--lang", "en", "summary"), t("cli.summary.which_unit", "en", count=2))
    refused(
        two("--lang", "en", "summary", "--unit", "Nowhere"),
        t("cli.unit_unknown", "en", unit="Nowhere"),
    )


# ---------------------------------------------------------------------------- spreadsheets


def test_csv_text_cells_are_made_inert(small: tuple[Lartrappan, Run]) -> None:
    _, run = small
    code, out, err = run("summary", "--unit", "=SUM(A1)", "--format", "csv")
    assert code == EXIT_OK, err
    rows = rows_of(out)
    assert all(len(r) == len(CSV_COLUMNS) and None not in r for r in rows)
    head = next(r for r in rows if r["section"] == "summary" and r["measure"] == "at")
    assert head["name"] == "'=SUM(A1)"
    stale = [r["name"] for r in rows if r["section"] == "stale"]
    assert stale == [
        "'=SUM(A1) > -Ny",
        """'=SUM(A1) > Enhet "två\"""",
        "'=SUM(A1) > Enhet, med komma",
    ]
    own = {r["name"] for r in rows if r["section"] == "practice" and r["id"].startswith("custom-")}
    assert own == {'\'=HYPERLINK("http://x")'}
    for row in rows:
        for value in row.values():
            assert value[:1] not in FORMULA_START, row
    # in English the own practice's English title, made inert too
    code, out, _ = run("--lang", "en", "summary", "--format", "csv")
    assert code == EXIT_OK
    own = {r["name"] for r in rows_of(out) if r["id"].startswith("custom-")}
    assert own == {"'@own"}


def test_table_shows_names_as_they_are(small: tuple[Lartrappan, Run]) -> None:
    _, run = small
    code, out, err = run("summary")
    assert code == EXIT_OK, err
    assert out.splitlines()[0] == t(
        "summary.title", "sv", unit="=SUM(A1)", at=now().date().isoformat()
    )
    assert "=SUM(A1) > -Ny  (aldrig)" in out
    assert "=SUM(A1) > Enhet, med komma  (2024-01-10T12:00:00)" in out
    assert t("summary.units", "sv", units=2, expected=3) in out


# ------------------------------------------------------------------ current-state assessment


def test_the_current_state_assessment_per_area_in_every_format(demo: Run) -> None:
    args = ("summary", "--unit", MUNICIPALITY, "--at", "2024-05-15")
    code, out, err = demo(*args, "--format", "json")
    assert code == EXIT_OK, err
    assessment = json.loads(out)["assessment"]
    assert assessment["expected"] == 8
    assert 4 <= assessment["assessed"] <= 8  # the demo's assessed units of the municipality
    areas = assessment["areas"]
    assert areas[0]["id"] == "a1-learning-organisation" and len(areas) == 8
    for area in areas:  # every expected unit counted once per area
        assert sum(area[k] for k in LEVELS) == 8
    assert sum(a["done"] for a in areas) > 0 and sum(a["not_started"] for a in areas) > 0

    code, out, _ = demo(*args, "--format", "csv")
    counts = {
        (r["id"], r["measure"]): int(r["value"]) for r in rows_of(out) if r["section"] == "area"
    }
    assert counts == {(a["id"], k): a[k] for a in areas for k in LEVELS}

    code, out, _ = demo(*args)
    head = t("summary.assessment", "sv", assessed=assessment["assessed"], expected=8)
    assert head in out.splitlines()
    first_area = next(line for line in out.splitlines() if "Lärande organisation" in line)
    assert first_area.split()[-4:] == [str(areas[0][k]) for k in LEVELS]


def test_an_earlier_day_counts_only_the_assessments_made_by_then(demo: Run) -> None:
    code, out, err = demo(
        "summary", "--unit", MUNICIPALITY, "--at", "2022-01-01", "--format", "json"
    )
    assert code == EXIT_OK, err
    assert json.loads(out)["assessment"]["assessed"] == 0


LEVELS = ("not_started", "in_progress", "done", "not_assessed")
