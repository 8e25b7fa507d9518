"""Assessments as CSV: the documented format, round trip, all or nothing with every problem
by row and column, Excel (svenska), formula safety; and the CLI commands."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from staircase.__main__ import EXIT_FILE, EXIT_OK, EXIT_REJECTED, main
from staircase.csv.assessments import COLUMNS
from staircase.csv.format import CsvVariant
from staircase.domain.assessment import AreaAnswer
from staircase.domain.model import ValidationError
from staircase.domain.moments import now
from staircase.services import Actor, Lartrappan

ANNA = Actor("Anna")
A1, A2 = "a1-learning-organisation", "a2-learning-culture"
HEADER = ",".join(COLUMNS)


def _filled(store: Lartrappan) -> None:
    """Two units; one with two assessments (one with formula-looking text), one with one."""
    root = store.units.create(ANNA, "Norrby kommun")
    hem = store.units.create(ANNA, "Hemtjänst Norr", root.id)
    school = store.units.create(ANNA, "Björkskolan", root.id)
    store.assessments.save(
        ANNA,
        hem.id,
        {A1: AreaAnswer("in_progress", "=HYPERLINK(\"x\")\nrad två; med semikolon"),
         A2: AreaAnswer("done")},
        {"a2-trust": 3, "a2-openness": 4},
        {"a1-vision-exists": "+46 Ja, \"citat\", åäö", "a3-time": "@varje APT"},
        "Karin Ek",
        "-APT i mars",
        datetime(2025, 3, 12, 9, 30),
    )  # fmt: skip
    store.assessments.save(
        ANNA, hem.id, {A1: AreaAnswer("done")}, {}, {}, "Karin Ek", "", datetime(2025, 9, 1, 12)
    )
    store.assessments.save(
        ANNA, school.id, {}, {"a2-mistakes": 1}, {}, "", "Bara kulturen", datetime(2025, 5, 2)
    )


def _rows(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_export_has_the_documented_columns_one_row_per_item_in_order(store: Lartrappan) -> None:
    _filled(store)
    rows = _rows(store.assessments.export_csv())
    assert list(rows[0]) == list(COLUMNS)
    # By unit path (Björkskolan before Hemtjänst Norr), each unit's oldest first.
    assert [(r["unit_path"][16:], r["taken_at"][:10]) for r in rows] == [
        ("Björkskolan", "2025-05-02"),
        *[("Hemtjänst Norr", "2025-03-12")] * 6,
        ("Hemtjänst Norr", "2025-09-01"),
    ]
    march = rows[1:7]
    # Within an assessment: each area in the model's order, its ratings, then its answers.
    assert [(r["kind"], r["item_id"], r["value"]) for r in march] == [
        ("area", A1, "in_progress"),
        ("answer", "a1-vision-exists", ""),
        ("area", A2, "done"),
        ("trait", "a2-openness", "4"),
        ("trait", "a2-trust", "3"),
        ("answer", "a3-time", ""),
    ]
    assert march[0]["unit_path"] == "Norrby kommun > Hemtjänst Norr"
    assert march[0]["taken_at"] == "2025-03-12T09:30:00"
    assert (march[0]["saved_by"], march[0]["version"]) == ("Karin Ek", "1")
    assert march[0]["item_title"] == "Lärande organisation"
    assert march[3]["item_title"] == "Öppenhet" and march[3]["text"] == ""


def test_text_cells_are_formula_safe_and_round_trip_exactly(
    make_store: Callable[[str], Lartrappan],
) -> None:
    source = make_store("source")
    _filled(source)
    data = source.assessments.export_csv()
    rows = _rows(data)
    assert rows[1]["comment"] == "'-APT i mars"
    assert rows[1]["text"].startswith("'=HYPERLINK(")
    assert rows[2]["text"] == '\'+46 Ja, "citat", åäö'
    assert rows[6]["text"] == "'@varje APT"

    target = make_store("target")
    result = target.assessments.import_csv(ANNA, data)
    assert (result.units_created, result.assessments_created, result.assessments_skipped) == (
        3,
        3,
        0,
    )
    assert target.assessments.export_csv() == data
    hem = target.units.tree().find(["Norrby kommun", "Hemtjänst Norr"])
    assert hem is not None
    oldest = target.assessments.of_unit(hem)[-1]
    head, content = target.assessments.get(oldest.id)
    assert head.comment == "-APT i mars"
    assert content.areas[A1].note == '=HYPERLINK("x")\nrad två; med semikolon'
    assert content.answers["a1-vision-exists"] == '+46 Ja, "citat", åäö'
    # The same file again adds nothing.
    again = target.assessments.import_csv(ANNA, data)
    assert (again.assessments_created, again.assessments_skipped, again.units_created) == (0, 3, 0)


def test_excel_svenska_has_a_bom_semicolons_and_crlf_and_imports_too(
    make_store: Callable[[str], Lartrappan],
) -> None:
    source = make_store("source")
    _filled(source)
    data = source.assessments.export_csv(variant=CsvVariant.EXCEL_SV, lang="en")
    assert data.startswith(codecs.BOM_UTF8)
    assert data.split(b"\r\n", 1)[0].decode("utf-8-sig") == ";".join(COLUMNS)
    rows = _rows(data, ";")
    assert rows[1]["item_title"] == "Learning organisation"
    assert rows[1]["text"].endswith("rad två; med semikolon")
    target = make_store("target")
    assert target.assessments.import_csv(ANNA, data).assessments_created == 3
    assert target.assessments.export_csv() == source.assessments.export_csv()


def test_labels_are_accepted_as_levels_and_optional_columns_may_be_left_out(
    store: Lartrappan,
) -> None:
    data = (
        "Unit_Path;Taken_At;Kind;Item_ID;Value;Text;Extra\n"
        "Skola;2025-01-10;area;a1-learning-organisation;På väg;Ny vision;x\n"
        "Skola;2025-01-10;AREA;a8-measurement;making it happen;;\n"
        "Skola;2025-01-10;trait;a2-trust;2;;\n"
    ).encode()
    assert store.assessments.import_csv(ANNA, data).assessments_created == 1
    [only] = store.assessments.of_unit(store.units.tree().find(["Skola"]) or 0)
    _, content = store.assessments.get(only.id)
    assert content.areas == {
        A1: AreaAnswer("in_progress", "Ny vision"),
        "a8-measurement": AreaAnswer("done", ""),
    }
    assert content.traits == {"a2-trust": 2}
    assert only.taken_at == datetime(2025, 1, 10)


def test_a_bad_file_is_refused_whole_with_every_problem_by_row_and_column(
    store: Lartrappan,
) -> None:
    future = (now() + timedelta(days=2)).strftime("%Y-%m-%d")
    lines = [
        HEADER,
        "Skola,2025-01-10T09:00:00,Anna,,1,area,a1-learning-organisation,,done,Bra",  # fine
        "Skola,2025-01-10T09:00:00,Bertil,,1,area,a3-learning-leadership,,done,",  # 3
        "Skola,2025-01-10T09:00:00,Anna,,1,area,a1-learning-organisation,,done,",  # 4 twice
        "Skola,2025-01-11,,,1,area,a9-nothing,,done,",  # 5
        "Skola,2025-01-11,,,1,area,a2-learning-culture,,halvvägs,",  # 6
        "Skola,2025-01-11,,,1,trait,a2-trust,,7,",  # 7
        "Skola,2025-01-11,,,1,trait,a2-openness,,3,en text",  # 8
        "Skola,2025-01-11,,,1,answer,a3-time,,2,Ja",  # 9
        "Skola,2025-01-11,,,1,feeling,a3-time,,,",  # 10
        f"Skola,{future},,,1,area,a1-learning-organisation,,done,",  # 11
        "Skola,2025-13-40,,,1,area,a1-learning-organisation,,done,",  # 12
        "Skola,2025-01-12,,,9,area,a1-learning-organisation,,done,",  # 13
        ",2025-01-12,,,1,area,a1-learning-organisation,,done,",  # 14
        "Skola,2025-01-13,,,1,answer,a3-time,,," + "x" * 2001,  # 15
    ]
    with pytest.raises(ValidationError) as err:
        store.assessments.import_csv(ANNA, "\n".join(lines).encode())
    found = {(p.row, p.column, p.key) for p in err.value.problems}
    assert found == {
        (3, "saved_by", "acsv.head_differs"),
        (4, "item_id", "acsv.duplicate_item"),
        (5, "item_id", "acsv.item_unknown"),
        (6, "value", "acsv.level_unknown"),
        (7, "value", "acsv.rating_invalid"),
        (8, "text", "acsv.not_for_kind"),
        (9, "value", "acsv.not_for_kind"),
        (10, "kind", "acsv.kind_unknown"),
        (11, "taken_at", "csv.date_future"),
        (12, "taken_at", "csv.date_impossible"),
        (13, "version", "acsv.version_too_new"),
        (14, "unit_path", "csv.required_empty"),
        (15, "text", "acsv.text_too_long"),
    }
    assert store.assessments.of_unit(1) == [] and not store.units.any()


def test_a_missing_column_an_empty_file_and_a_header_alone_are_refused(store: Lartrappan) -> None:
    for data, key in (
        (b"unit_path,taken_at,kind\nSkola,2025-01-01,area\n", "csv.missing_columns"),
        (b"", "csv.empty"),
        (HEADER.encode() + b"\n", "csv.no_rows"),
        (b"unit_path\x00,taken_at", "csv.binary"),
    ):
        with pytest.raises(ValidationError) as err:
            store.assessments.import_csv(ANNA, data)
        assert err.value.problems[0].key == key, data
    assert not store.units.any()


def test_a_stored_assessment_with_other_content_rejects_the_file_and_nothing_is_written(
    make_store: Callable[[str], Lartrappan],
) -> None:
    source = make_store("source")
    _filled(source)
    data = source.assessments.export_csv()
    target = make_store("target")
    root = target.units.create(ANNA, "Norrby kommun")
    hem = target.units.create(ANNA, "Hemtjänst Norr", root.id)
    target.assessments.save(
        ANNA, hem.id, {A1: AreaAnswer("not_started")}, {}, {}, "Karin Ek", "",
        datetime(2025, 9, 1, 12),
    )  # fmt: skip
    with pytest.raises(ValidationError) as err:
        target.assessments.import_csv(ANNA, data)
    [problem] = err.value.problems
    # Line 10 of the file: the March note holds a line break, so its row spans lines 3-4.
    assert problem.key == "acsv.conflict" and problem.row == 10
    assert len(target.assessments.of_unit(hem.id)) == 1
    assert target.units.tree().find(["Norrby kommun", "Björkskolan"]) is None


def test_an_assessment_that_holds_only_blank_answers_is_refused_at_its_first_row(
    store: Lartrappan,
) -> None:
    data = f"{HEADER}\nSkola,2025-01-10,,,,answer,a3-time,,,   \n".encode()
    with pytest.raises(ValidationError) as err:
        store.assessments.import_csv(ANNA, data)
    assert [(p.key, p.row) for p in err.value.problems] == [("assessment.empty", 2)]


# ---------------------------------------------------------------------------- the CLI


@pytest.fixture(autouse=True)
def _no_default_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAIRCASE_DB_URL", f"sqlite:///{tmp_path}/default.db")


def test_cli_export_and_import(
    make_store: Callable[[str], Lartrappan],
    db_url: Callable[[str], str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = make_store("source")
    _filled(source)
    out = tmp_path / "nulage.csv"
    assert main(["--db", db_url("source"), "assessments", "export", str(out)]) == EXIT_OK
    assert out.read_bytes() == source.assessments.export_csv()
    assert "8 rader skrivna" in capsys.readouterr().out

    unit = ["--unit", "Norrby kommun > Björkskolan", "--excel"]
    part = tmp_path / "skola.csv"
    code = main(["--db", db_url("source"), "assessments", "export", *unit, str(part)])
    assert code == EXIT_OK
    assert part.read_bytes() == source.assessments.export_csv(
        [source.units.tree().find(["Norrby kommun", "Björkskolan"]) or 0], CsvVariant.EXCEL_SV
    )

    target = db_url("target")
    assert main(["--db", target, "--lang", "en", "assessments", "import", str(out)]) == EXIT_OK
    assert "3 new units, 3 new assessments, 0 already there" in capsys.readouterr().out
    assert main(["--db", target, "assessments", "import", str(out)]) == EXIT_OK
    assert "0 nya bedömningar, 3 fanns redan" in capsys.readouterr().out


def test_cli_refusals_and_exit_codes(
    db_url: Callable[[str], str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = db_url("cli")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nSkola,2025-01-10,,,,area,a1-learning-organisation,,klar,\n")
    assert main(["--db", url, "assessments", "import", str(bad)]) == EXIT_REJECTED
    err = capsys.readouterr().err
    assert "avvisades och ingenting ändrades (1 problem)" in err
    assert "Rad 2, kolumn value: Okänd nivå ”klar”" in err
    missing = tmp_path / "missing.csv"
    assert main(["--db", url, "assessments", "import", str(missing)]) == EXIT_FILE
    code = main(["--db", url, "assessments", "export", "--unit", "Ingen", str(tmp_path / "x")])
    assert code == EXIT_REJECTED
    assert main(["--db", url, "assessments"]) == 2
