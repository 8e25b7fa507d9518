"""The snapshot CSV: export, import, the round trip, and every way a file gets rejected."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from staircase import i18n
from staircase.csv import checks, decoding, reader, writer
from staircase.csv.format import (
    COLUMNS,
    VARIANTS,
    CsvVariant,
    escape_cell,
    format_row,
    unescape_cell,
)
from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import Problem, SnapshotEntry, Status, ValidationError
from staircase.domain.records import SnapshotRecord
from staircase.domain.rules import PATH_SEPARATOR
from staircase.services import Actor, Lartrappan
from staircase.services.demo import load_demo
from staircase.storage import snapshots as snapshot_store
from staircase.storage.schema import metadata

CATALOGUE = load_catalogue()
PRACTICES = CATALOGUE.practices
DATA = Path(__file__).parent / "data"
UNIT = "Norrby kommun > Vård och omsorg > Hemtjänst Norr"
WHEN = "2025-03-04T10:15:00"


# ---------------------------------------------------------------------------- helpers


@pytest.fixture
def db(store: Lartrappan) -> Lartrappan:
    """The shared `store` fixture (tests/conftest.py), under this module's name."""
    return store


@pytest.fixture
def make_db(make_store: Callable[[str], Lartrappan]) -> Callable[[str], Lartrappan]:
    """The shared `make_store` factory (tests/conftest.py): more databases on this backend."""
    return make_store


def snapshot_rows(unit: str = UNIT, taken_at: str = WHEN, **overrides: str) -> list[dict[str, str]]:
    """A complete snapshot: one row per shipped practice, every column filled in."""
    return [
        {
            "unit_path": unit,
            "taken_at": taken_at,
            "saved_by": "Karin Ek",
            "comment": "APT i mars",
            "catalogue_version": str(CATALOGUE.version),
            "step": str(p.step),
            "practice_id": p.id,
            "practice_title": p.title.sv,
            "status": "done" if p.step == 1 else "in_progress",
            "note": "",
            **overrides,
        }
        for p in PRACTICES
    ]


def to_csv(
    rows: list[dict[str, str]],
    columns: tuple[str, ...] | list[str] = COLUMNS,
    delimiter: str = ",",
    header: list[str] | None = None,
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header or columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8")


def parse(data: bytes) -> list[SnapshotRecord]:
    return reader.parse_csv(data, CATALOGUE, CATALOGUE.practice_ids)


def problems_of(data: bytes) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        parse(data)
    problems = caught.value.problems
    for p in problems:  # every message exists in both languages and formats
        for lang in ("sv", "en"):
            assert i18n.problem_text(p, lang)
    return problems


def keys_rows(problems: list[Problem]) -> set[tuple[str, int | None]]:
    return {(p.key, p.row) for p in problems}


def counts(store: Lartrappan) -> dict[str, int]:
    """Rows per table, but the audit trail's (it records every import, even one that
    changes nothing)."""
    with store.db.engine.connect() as conn:
        return {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
            if name != "audit"
        }


def dump(store: Lartrappan) -> dict[str, Any]:
    """Everything an import must reproduce: unit paths, snapshots and their entries."""
    tree = store.units.tree()
    snapshots = {}
    for unit_id in tree.units:
        for s in store.snapshots.of_unit(unit_id):
            entries = sorted(
                (e.practice_id, e.step, e.status.value, e.note)
                for e in store.snapshots.entries(s.id)
            )
            key = (tree.label(unit_id), s.taken_at)
            snapshots[key] = (s.saved_by, s.comment, s.catalogue_version, entries)
    return {"units": sorted(tree.label(u) for u in tree.units), "snapshots": snapshots}


TRICKY = [
    "=SUM(A1)",
    "+46 70 123 45 67",
    "@x",
    "-1",
    "'=x",
    "''",
    "'",
    "'plain",
    "\tindented",
    "\rcarriage",
    "rad 1\nrad 2\r\nrad 3",
    'citat "så här"; och, komma',
    "trailing space ",
    "åäö ÅÄÖ é ü",
]


def fill(store: Lartrappan) -> None:
    """Units with formula-looking and Swedish names, a custom practice, tricky notes."""
    custom = store.practices.add(
        Actor(""), 2, "Egen: fika=lärande", "Own: fika", dimensions=["people"]
    )
    root = store.units.create(Actor(""), "Norrby kommun")
    voo = store.units.create(Actor(""), "Vård och omsorg", root.id)
    hem = store.units.create(Actor(""), "Hemtjänst Norr", voo.id)
    weird = store.units.create(Actor(""), "=SUM(A1)")
    plus = store.units.create(Actor(""), "+46", weird.id)
    store.units.create(Actor(""), "@x", plus.id)
    store.units.create(Actor(""), "-1")
    store.units.create(Actor(""), "'=x")
    ao = store.units.create(Actor(""), "Åsele ö-skola", root.id)
    store.checklist.set_note(Actor(""), hem.id, "s1-goal-linked", "Mål kopplade\ntill planen")
    store.checklist.set_status(Actor(""), hem.id, "s1-goal-linked", Status.DONE)
    store.checklist.set_note(Actor(""), hem.id, "s2-performance", "=SUM(A1)")
    store.checklist.set_status(Actor(""), hem.id, "s2-performance", Status.NOT_APPLICABLE)
    store.checklist.set_status(Actor(""), hem.id, custom.id, Status.IN_PROGRESS)
    store.snapshots.save(Actor(""), hem.id, "Karin Ek", "Första", datetime(2025, 1, 10, 9, 0))
    store.checklist.set_status(Actor(""), hem.id, "s1-anytime-anywhere", Status.IN_PROGRESS)
    store.snapshots.save(
        Actor(""), hem.id, "=Åsa", "+andra; med semikolon", datetime(2025, 2, 10, 9, 30, 15)
    )
    store.snapshots.save(Actor(""), ao.id, "Örjan", "", datetime(2024, 12, 1))
    entries = tuple(
        SnapshotEntry(p.id, p.step, Status.DONE, TRICKY[i % len(TRICKY)])
        for i, p in enumerate(PRACTICES)
    )
    store.transfer.import_records(
        Actor(""),
        [
            SnapshotRecord(
                unit_path=tuple(name.split(PATH_SEPARATOR)),
                taken_at=datetime(2024, 6, 1, 8, 0),
                saved_by=name,
                comment=name,
                catalogue_version=CATALOGUE.version,
                entries=entries,
                rows=(1,),
                new_practice_titles={},
            )
            for name in ("-1", "'=x", "=SUM(A1)", "=SUM(A1) > +46 > @x")
        ],
    )


# ---------------------------------------------------------------------------- export


def test_export_plain_layout(db: Lartrappan) -> None:
    fill(db)
    data = db.transfer.export_csv()
    assert not data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8")
    assert text.startswith(",".join(COLUMNS) + "\n")
    assert "\r\n" not in text.split("\n", 1)[0]
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 3 * (len(PRACTICES) + 1) + 4 * len(PRACTICES)  # 3 saved with the custom one
    first = rows[0]
    assert first["unit_path"] == "Norrby kommun > Vård och omsorg > Hemtjänst Norr"
    assert first["taken_at"] == "2025-01-10T09:00:00"
    assert {r["status"] for r in rows} <= {s.value for s in Status}
    titles = {r["practice_id"]: r["practice_title"] for r in rows}
    assert titles["s1-goal-linked"] == CATALOGUE.practice("s1-goal-linked").title.sv


def test_export_excel_variant_has_bom_semicolon_crlf(db: Lartrappan) -> None:
    fill(db)
    data = db.transfer.export_csv(variant=CsvVariant.EXCEL_SV)
    assert data.startswith(codecs.BOM_UTF8)
    header = data[3:].split(b"\r\n", 1)[0].decode()
    assert header == ";".join(COLUMNS)
    assert data.count(b"\r\n") >= len(PRACTICES)
    assert "Åsele ö-skola".encode() in data


def test_export_escapes_formula_cells(db: Lartrappan) -> None:
    fill(db)
    rows = list(csv.DictReader(io.StringIO(db.transfer.export_csv().decode(), newline="")))
    paths = {r["unit_path"] for r in rows}
    assert "'=SUM(A1)" in paths and "'-1" in paths and "''=x" in paths
    assert not any(p.startswith(("=", "+", "-", "@")) for p in paths)
    for row in rows:
        for column in ("unit_path", "saved_by", "comment", "practice_title", "note"):
            assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert "'=Åsa" in {r["saved_by"] for r in rows}
    notes = {r["note"] for r in rows}
    assert {"'=SUM(A1)", "'+46 70 123 45 67", "'@x", "'-1", "''=x", "'''", "'", "'plain"} <= notes
    assert "'\tindented" in notes and "'\rcarriage" in notes


def test_export_practice_titles_in_english(db: Lartrappan) -> None:
    fill(db)
    rows = list(csv.DictReader(io.StringIO(db.transfer.export_csv(lang="en").decode(), newline="")))
    titles = {r["practice_id"]: r["practice_title"] for r in rows}
    assert titles["s1-goal-linked"] == CATALOGUE.practice("s1-goal-linked").title.en
    assert "Own: fika" in titles.values()


def test_export_subset_of_units(db: Lartrappan) -> None:
    fill(db)
    tree = db.units.tree()
    hem = tree.find(["Norrby kommun", "Vård och omsorg", "Hemtjänst Norr"])
    out = io.BytesIO()
    n = db.transfer.write_csv(out, [hem])
    rows = list(csv.DictReader(io.StringIO(out.getvalue().decode(), newline="")))
    assert n == len(rows) == 2 * (len(PRACTICES) + 1)
    assert {r["unit_path"] for r in rows} == {UNIT}
    assert db.transfer.write_csv(io.BytesIO(), []) == 0


def test_write_csv_streams_in_chunks(db: Lartrappan, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows come from storage.snapshots.export_batches batch by batch and leave in
    several writes."""
    monkeypatch.setattr(writer, "CHUNK_CHARS", 100)
    fill(db)
    consumed = []
    real = snapshot_store.export_batches

    def spy(conn, unit_ids=None):  # type: ignore[no-untyped-def]
        for batch in real(conn, unit_ids, batch_rows=7):
            assert len(batch.rows) <= 7
            consumed.extend(batch.rows)
            yield batch

    class Sink(io.BytesIO):
        writes = 0

        def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
            Sink.writes += 1
            return super().write(b)

    monkeypatch.setattr(snapshot_store, "export_batches", spy)
    sink = Sink()
    n = db.transfer.write_csv(sink)
    assert n == len(consumed) and Sink.writes > 5
    assert sink.getvalue() == db.transfer.export_csv()


def test_an_import_meanwhile_cannot_split_an_export(
    db: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export reads the tree, the catalogue and every row in one read transaction.
    Imports committed while it runs (after the tree and the catalogue were read: new units,
    a new own practice, a new snapshot of a unit already exported; between two batches:
    more of them) and a snapshot deleted meanwhile are not in the file, nor half in it."""
    fill(db)
    before = db.transfer.export_csv()
    hem = db.units.tree().find(UNIT.split(PATH_SEPARATOR))
    first, last = db.snapshots.of_unit(hem or 0)[-1], db.snapshots.of_unit(hem or 0)[0]
    new = snapshot_rows(unit="Ny kommun > Ny enhet")
    own = dict(new[0], practice_id="custom-ny", step="2", practice_title="Ny egen")
    imports = [
        [*new, own],
        [*snapshot_rows(taken_at="2025-02-28T08:00:00"), *snapshot_rows(unit="Annan kommun")],
    ]
    real = snapshot_store.export_batches
    happened = []

    def meanwhile(conn, unit_ids=None):  # type: ignore[no-untyped-def]
        happened.append(db.transfer.import_csv(Actor(""), to_csv(imports[0])))
        for i, batch in enumerate(real(conn, unit_ids, batch_rows=5)):
            yield batch
            if i == 0:
                happened.append(db.transfer.import_csv(Actor(""), to_csv(imports[1])))
                happened.append(db.snapshots.delete(Actor(""), last.id))
            if i == 1:
                happened.append(db.snapshots.delete(Actor(""), first.id))

    monkeypatch.setattr(snapshot_store, "export_batches", meanwhile)
    assert db.transfer.export_csv() == before
    assert len(happened) == 4
    assert [r.snapshots_created for r in happened[:2]] == [1, 2]
    assert [r.practices_created for r in happened[:2]] == [1, 0]
    monkeypatch.undo()
    after = db.transfer.export_csv().decode()
    assert "Ny kommun > Ny enhet" in after and "Annan kommun" in after and "Ny egen" in after
    assert "2025-02-10T09:30:15" not in after and "2025-01-10T09:00:00" not in after


def test_export_filename() -> None:
    name = writer.export_filename("Norrby kommun > Vård & omsorg", CsvVariant.PLAIN)
    assert name.startswith("lartrappan-norrby-kommun-vard-omsorg-")
    assert name.endswith(".csv") and name.isascii() and " " not in name
    excel = writer.export_filename("Ö", CsvVariant.EXCEL_SV)
    assert excel.startswith("lartrappan-o-") and excel.endswith("-excel.csv")
    assert writer.export_filename("???", CsvVariant.PLAIN).startswith("lartrappan-2")


def test_escape_is_reversible() -> None:
    for value in [*TRICKY, "", "a", "'''=", "'\t"]:
        assert unescape_cell(escape_cell(value)) == value


# ---------------------------------------------------------------------------- round trip


@pytest.mark.parametrize("variant", list(CsvVariant))
def test_round_trip_into_empty_database(
    make_db: Callable[[str], Lartrappan], variant: CsvVariant
) -> None:
    source = make_db("source")
    fill(source)
    data = source.transfer.export_csv(variant=variant)
    target = make_db("target")
    result = target.transfer.import_csv(Actor(""), data)
    assert result.snapshots_created == 7 and result.snapshots_skipped == 0
    assert result.units_created == len(source.units.tree().units)
    assert result.practices_created == 1
    assert dump(target) == dump(source)
    custom = [p for p in target.practices.catalogue().practices if p.custom]
    assert [(p.id, p.step, p.title.sv) for p in custom] == [
        ("custom-egen-fika-larande", 2, "Egen: fika=lärande")
    ]
    # the re-imported database exports the very same file
    assert target.transfer.export_csv(variant=variant) == data


def test_reimport_creates_no_duplicates(db: Lartrappan) -> None:
    fill(db)
    before = counts(db)
    data = db.transfer.export_csv()
    result = db.transfer.import_csv(Actor(""), data)
    assert (result.units_created, result.snapshots_created, result.snapshots_skipped) == (0, 0, 7)
    assert counts(db) == before
    again = db.transfer.import_csv(Actor(""), db.transfer.export_csv(variant=CsvVariant.EXCEL_SV))
    assert again.snapshots_skipped == 7 and counts(db) == before


def test_round_trip_of_demo_data(make_db: Callable[[str], Lartrappan]) -> None:
    source = make_db("demo")
    load_demo(source)
    data = source.transfer.export_csv(variant=CsvVariant.EXCEL_SV)
    target = make_db("copy")
    target.transfer.import_csv(Actor(""), data)
    assert dump(target) == dump(source)


def test_import_semicolon_bom_hand_made(db: Lartrappan) -> None:
    text = to_csv(snapshot_rows(), delimiter=";").decode().replace("\n", "\r\n")
    result = db.transfer.import_csv(Actor(""), codecs.BOM_UTF8 + text.encode("utf-8"))
    assert result.snapshots_created == 1 and result.units_created == 3
    assert dump(db)["units"] == [
        "Norrby kommun",
        "Norrby kommun > Vård och omsorg",
        UNIT,
    ]


def test_import_utf16_with_bom(db: Lartrappan) -> None:
    text = to_csv(snapshot_rows(unit="Åre > Ödeshög", note="ö")).decode()
    for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
        bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
        data = bom.get(encoding, b"") + text.encode(encoding)
        (record,) = parse(data)
        assert record.unit_path == ("Åre", "Ödeshög")
    db.transfer.import_csv(Actor(""), text.encode("utf-16"))
    assert dump(db)["units"] == ["Åre", "Åre > Ödeshög"]


def test_lenient_spellings() -> None:
    """Column names, statuses, dates and ids as people type them in a spreadsheet."""
    labels = ["  På väg ", "MAKING IT HAPPEN", "i startblocken", " Done", "not started"]
    rows = snapshot_rows(taken_at="2025-03-04 10:15")
    for i, row in enumerate(rows):
        row["status"] = labels[i % len(labels)]
    rows[0]["practice_id"] = rows[0]["practice_id"].upper()
    rows[1]["step"] = ""
    header = [f"  {c.upper()} " for c in COLUMNS] + ["Extra"]
    (record,) = parse(to_csv(rows, columns=[*COLUMNS, "x"], header=header))
    assert record.taken_at == datetime(2025, 3, 4, 10, 15)
    statuses = [e.status for e in record.entries]
    assert statuses[:5] == [
        Status.IN_PROGRESS,
        Status.DONE,
        Status.NOT_STARTED,
        Status.DONE,
        Status.NOT_STARTED,
    ]
    assert record.entries[0].practice_id == PRACTICES[0].id


def test_only_required_columns() -> None:
    columns = ["unit_path", "taken_at", "practice_id", "status"]
    (record,) = parse(to_csv(snapshot_rows(), columns=columns))
    assert record.saved_by == record.comment == ""
    assert record.catalogue_version == CATALOGUE.version
    assert [(e.practice_id, e.step) for e in record.entries] == [(p.id, p.step) for p in PRACTICES]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-04", datetime(2025, 3, 4)),
        ("2025-03-04T10:15", datetime(2025, 3, 4, 10, 15)),
        ("2025-03-04 10:15:30", datetime(2025, 3, 4, 10, 15, 30)),
        ("2025-03-04T09:15:30Z", datetime(2025, 3, 4, 10, 15, 30)),  # winter: UTC+1
        ("2025-07-04T08:15:30Z", datetime(2025, 7, 4, 10, 15, 30)),  # summer: UTC+2
        ("2025-03-04T10:15:30+01:00", datetime(2025, 3, 4, 10, 15, 30)),
        ("2025-03-04T04:15-05:00", datetime(2025, 3, 4, 10, 15)),
    ],
)
def test_accepted_dates(raw: str, expected: datetime) -> None:
    (record,) = parse(to_csv(snapshot_rows(taken_at=raw)))
    assert record.taken_at == expected


def test_rows_group_into_snapshots_case_insensitively() -> None:
    rows = snapshot_rows() + snapshot_rows(taken_at="2025-04-01")
    rows[3]["unit_path"] = UNIT.upper().replace(" > ", ">")
    records = parse(to_csv(rows))
    assert [(r.unit_path, len(r.entries)) for r in records] == [
        (tuple(UNIT.split(PATH_SEPARATOR)), len(PRACTICES)),
        (tuple(UNIT.split(PATH_SEPARATOR)), len(PRACTICES)),
    ]
    assert records[0].rows == tuple(range(2, 2 + len(PRACTICES)))


def test_custom_practice_from_another_database(db: Lartrappan) -> None:
    rows = snapshot_rows()
    extra = dict(rows[0], practice_id="custom-fika", step="3", practice_title="'=Fika")
    rows.append(extra)
    rows.extend(snapshot_rows(taken_at="2025-05-01"))  # the custom practice is optional
    result = db.transfer.import_csv(Actor(""), to_csv(rows))
    assert result.practices_created == 1 and result.snapshots_created == 2
    practice = db.practices.catalogue().practice("custom-fika")
    assert (practice.step, practice.title.sv, practice.custom) == (3, "=Fika", True)


# ---------------------------------------------------------------------------- rejections


def _rows_with(index: int, **changes: str) -> bytes:
    rows = snapshot_rows()
    rows[index].update(changes)
    return to_csv(rows)


def _without(column: str) -> bytes:
    return to_csv(snapshot_rows(), columns=[c for c in COLUMNS if c != column])


def _extra_row(**changes: str) -> bytes:
    rows = snapshot_rows()
    rows.append(dict(rows[0], **changes))
    return to_csv(rows)


def _two_snapshots_disagreeing() -> bytes:
    rows = snapshot_rows()
    rows[4]["comment"] = "annan kommentar"
    rows[6]["saved_by"] = "Nisse"
    return to_csv(rows)


def _duplicate_column() -> bytes:
    columns = [*COLUMNS, "Status"]
    rows = snapshot_rows()
    return to_csv(rows, columns=columns)


def _latin1() -> bytes:
    return to_csv(snapshot_rows()).decode().replace("Ek", "Ek Örn").encode("latin-1")


# (file, expected (key, row) pairs, each at least once among the problems)
REJECTIONS: dict[str, tuple[Callable[[], bytes], set[tuple[str, int | None]]]] = {
    "missing column": (lambda: _without("status"), {("csv.missing_columns", 1)}),
    "missing columns listed": (
        lambda: to_csv(snapshot_rows(), columns=["unit_path", "note"]),
        {("csv.missing_columns", 1)},
    ),
    "duplicate column": (_duplicate_column, {("csv.duplicate_column", 1)}),
    "unknown practice id": (
        lambda: _rows_with(2, practice_id="s1-unknown"),
        {("csv.practice_unknown", 4), ("csv.snapshot_incomplete", 2)},
    ),
    "misspelt practice id": (
        lambda: _rows_with(0, practice_id="s1-goal-linkd"),
        {("csv.practice_unknown_suggest", 2)},
    ),
    "bad custom id": (
        lambda: _extra_row(practice_id="custom-Å", step="1"),
        {("csv.practice_unknown", 12)},
    ),
    "unknown status": (lambda: _rows_with(3, status="klar"), {("csv.status_unknown", 5)}),
    "bad date": (lambda: _rows_with(1, taken_at="23/11/2024"), {("csv.date_format", 3)}),
    "impossible date": (
        lambda: _rows_with(5, taken_at="2024-02-30"),
        {("csv.date_impossible", 7)},
    ),
    "impossible time": (
        lambda: _rows_with(5, taken_at="2024-02-03T24:00"),
        {("csv.date_impossible", 7)},
    ),
    "future date": (lambda: _rows_with(9, taken_at="2999-01-01"), {("csv.date_future", 11)}),
    "empty date": (lambda: _rows_with(9, taken_at=" "), {("csv.required_empty", 11)}),
    "empty unit path element": (
        lambda: _rows_with(0, unit_path="Norrby kommun >  > Skola"),
        {("csv.unit_path_empty_level", 2)},
    ),
    "unit path ends with >": (
        lambda: _rows_with(1, unit_path="Norrby kommun >"),
        {("csv.unit_path_empty_level", 3)},
    ),
    "unit name too long": (
        lambda: _rows_with(1, unit_path="A > " + "x" * 81),
        {("csv.unit_name_too_long", 3)},
    ),
    "unit name with line break": (
        lambda: _rows_with(1, unit_path="A > Rad\nbrytning"),
        {("csv.unit_name_control_char", 3)},
    ),
    "empty unit path": (lambda: _rows_with(2, unit_path=""), {("csv.required_empty", 4)}),
    "not applicable without note": (
        lambda: _rows_with(4, status="not_applicable", note="  "),
        {("csv.na_needs_note", 6)},
    ),
    "not applicable label without note": (
        lambda: _rows_with(4, status="Ej aktuellt"),
        {("csv.na_needs_note", 6)},
    ),
    "conflicting snapshot rows": (
        _two_snapshots_disagreeing,
        {("csv.snapshot_disagrees", 6), ("csv.snapshot_disagrees", 8)},
    ),
    "conflicting catalogue version": (
        lambda: _rows_with(2, catalogue_version=""),  # default = current = 1: no conflict
        set(),
    ),
    "duplicate practice": (
        lambda: _extra_row(status="in_progress"),
        {("csv.duplicate_practice", 12)},
    ),
    "exact duplicate row": (lambda: _extra_row(), {("csv.duplicate_practice", 12)}),
    "incomplete snapshot": (
        lambda: to_csv(snapshot_rows()[:-2]),
        {("csv.snapshot_incomplete", 2)},
    ),
    "catalogue version too new": (
        lambda: to_csv(snapshot_rows(catalogue_version=str(CATALOGUE.version + 1))),
        {("csv.version_too_new", 2), ("csv.version_too_new", 11)},
    ),
    "catalogue version not a number": (
        lambda: _rows_with(0, catalogue_version="ett"),
        {("csv.version_invalid", 2)},
    ),
    "catalogue version zero": (
        lambda: _rows_with(0, catalogue_version="0"),
        {("csv.version_invalid", 2)},
    ),
    "step mismatch": (lambda: _rows_with(0, step="2"), {("csv.step_mismatch", 2)}),
    "step not 1-3": (lambda: _rows_with(0, step="4"), {("csv.step_invalid", 2)}),
    "custom practice without step": (
        lambda: _extra_row(practice_id="custom-fika", step=""),
        {("csv.step_required", 12)},
    ),
    "custom practice in two steps": (
        lambda: to_csv(
            [
                *snapshot_rows(),
                dict(snapshot_rows()[0], practice_id="custom-fika", step="1"),
                *snapshot_rows(taken_at="2025-01-01"),
                dict(
                    snapshot_rows()[0], practice_id="custom-fika", step="2", taken_at="2025-01-01"
                ),
            ]
        ),
        {("csv.custom_step_conflict", 23)},
    ),
    "note too long": (lambda: _rows_with(1, note="x" * 2001), {("csv.note_too_long", 3)}),
    "saved_by too long": (
        lambda: to_csv(snapshot_rows(saved_by="x" * 81)),
        {("csv.saved_by_too_long", 2)},
    ),
    "note with a control character": (
        lambda: _rows_with(1, note="Ping\x07"),
        {("csv.control_char", 3)},
    ),
    "comment with an escape character": (
        lambda: to_csv(snapshot_rows(comment="\x1b[31mAPT")),
        {("csv.control_char", 2), ("csv.control_char", 11)},
    ),
    "saved_by with a tab": (
        lambda: to_csv(snapshot_rows(saved_by="Karin\tEk")),
        {("csv.control_char", 2)},
    ),
    "own practice title with a control character": (
        lambda: _extra_row(practice_id="custom-fika", step="1", practice_title="Fi\x0bka"),
        {("csv.control_char", 12)},
    ),
    "field over 10,000 characters": (
        lambda: _rows_with(1, note="x" * 10_001),
        {("csv.field_too_long", 3)},
    ),
    "short row": (
        lambda: to_csv(snapshot_rows()) + b"A,2025-01-01,x\n",
        {("csv.field_count", 12)},
    ),
    "empty file": (lambda: b"", {("csv.empty", None)}),
    "only blanks": (lambda: b"\xef\xbb\xbf \r\n\r\n", {("csv.empty", None)}),
    "header only": (lambda: to_csv([]), {("csv.no_rows", 1)}),
    "header and blank lines": (lambda: to_csv([]) + b"\n,,\n , ,,\n", {("csv.no_rows", 1)}),
    "random bytes": (lambda: bytes(range(1, 256)) * 4, {("csv.not_utf8", 3)}),  # after LF, CR
    "null bytes": (lambda: b"unit_path\nab\x00c\n", {("csv.binary", 2)}),
    "latin-1": (_latin1, {("csv.not_utf8", 2)}),
    "utf-16 without bom": (
        lambda: to_csv(snapshot_rows()).decode().encode("utf-16-le"),
        {("csv.binary", 1)},
    ),
    "broken utf-16": (
        lambda: codecs.BOM_UTF16_LE + "a\nb\nc".encode("utf-16-le") + b"\x00\xdc",
        {("csv.not_utf16", 3)},
    ),
    "utf-32": (lambda: "a".encode("utf-32"), {("csv.encoding_unsupported", None)}),
    "unclosed quote": (
        lambda: to_csv(snapshot_rows()) + b'A,"2025-01-01,x\n',
        {("csv.unclosed_quote", 12)},
    ),
    "text after closing quote": (
        lambda: to_csv(snapshot_rows()) + b'A,"2025-01-01"x,y\n',
        {("csv.malformed", 12)},
    ),
}


@pytest.mark.parametrize("case", list(REJECTIONS))
def test_rejections(case: str) -> None:
    make, expected = REJECTIONS[case]
    data = make()
    if not expected:
        parse(data)
        return
    problems = problems_of(data)
    assert expected <= keys_rows(problems), [(p.key, p.row, p.params) for p in problems]


def test_control_characters_are_refused_naming_row_and_column() -> None:
    """As the core refuses them: no control characters in notes and comments but tabs and
    line breaks, none in saved_by. Also on rows read as repeats of rows already accepted
    (the second and third snapshot of a unit), where each distinct note is checked once."""
    rows = [r for m in (1, 2, 3) for r in snapshot_rows(taken_at=f"2025-0{m}-04T10:15:00")]
    rows[1]["note"] = "Tabb\toch\r\nradbrytningar går"
    rows[11]["note"] = rows[1]["note"]
    rows[15]["note"] = "Ping\x07"
    rows[25]["note"] = "\x1b[31mröd"
    for row in rows[20:]:
        row["comment"] = "APT\x85"  # NEL: a control character, though Python strips it
    problems = problems_of(to_csv(rows))
    # Row i of the list starts on line i + 2, and one more after each of the two notes
    # with a line break (rows 1 and 11).
    assert {(p.key, p.row, p.column) for p in problems} == {
        ("csv.control_char", 19, "note"),
        ("csv.control_char", 29, "note"),
        *(("csv.control_char", line, "comment") for line in range(24, 34)),
    }
    shown = {p.row: p.params["value"] for p in problems if p.column == "note"}
    assert shown == {19: "Ping\u2407", 29: "\u241b[31mröd"}
    rows[15]["note"], rows[25]["note"] = "Ping", ""
    for row in rows[20:]:
        row["comment"] = "APT"
    records = parse(to_csv(rows))
    assert [r.entries[1].note for r in records] == [rows[1]["note"]] * 2 + [""]


def test_missing_columns_are_all_listed() -> None:
    (problem,) = problems_of(to_csv(snapshot_rows(), columns=["unit_path", "note"]))
    assert problem.params["columns"] == "taken_at, practice_id, status"
    assert "unit_path, note" in problem.params["found"]


def test_problems_name_rows_and_columns() -> None:
    rows = snapshot_rows()
    rows[0]["status"] = "klar"
    rows[1]["taken_at"] = "igår"
    rows.append(dict(rows[2]))
    problems = problems_of(to_csv(rows))
    found = {(p.key, p.row, p.column) for p in problems}
    assert ("csv.status_unknown", 2, "status") in found
    assert ("csv.date_format", 3, "taken_at") in found
    dup = next(p for p in problems if p.key == "csv.duplicate_practice")
    assert (dup.row, dup.params["first_row"]) == (12, 4)
    assert [p.row for p in problems] == sorted(p.row or 0 for p in problems)
    text = i18n.problem_text(next(p for p in problems if p.key == "csv.date_format"), "sv")
    assert text.startswith("Rad 3, kolumn taken_at:") and "igår" in text


def test_snapshot_disagreement_names_both_rows() -> None:
    problems = problems_of(_two_snapshots_disagreeing())
    comment = next(p for p in problems if p.column == "comment")
    assert (comment.key, comment.row, comment.params["first_row"]) == (
        "csv.snapshot_disagrees",
        6,
        2,
    )


def test_incomplete_snapshot_lists_missing_ids() -> None:
    (problem,) = problems_of(to_csv(snapshot_rows()[:-2]))
    assert problem.params["missing"] == ", ".join(p.id for p in PRACTICES[-2:])


def test_every_problem_is_collected_and_capped() -> None:
    rows = [dict(r, status="klar") for _ in range(30) for r in snapshot_rows()]
    for i, row in enumerate(rows):
        row["taken_at"] = f"2020-01-{1 + i // len(PRACTICES):02d}"
    problems = problems_of(to_csv(rows))
    assert len(problems) == checks.MAX_PROBLEMS + 1
    assert problems[-1].key == "csv.more_problems"
    assert problems[-1].params["count"] == 300 - checks.MAX_PROBLEMS
    assert [p.row for p in problems[:3]] == [2, 3, 4]


def test_oversized_file_is_rejected_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_: Any) -> None:
        raise AssertionError("parsed an oversized file")

    monkeypatch.setattr(decoding, "decode", explode)
    data = b"x" * (checks.MAX_IMPORT_BYTES + 1)
    (problem,) = problems_of(data)
    assert problem.key == "csv.too_large"
    assert problem.params["size"] == "52 428 801"
    assert problem.params["limit_mb"] == 50
    assert "52 428 801" in i18n.problem_text(problem, "sv")


def test_hand_made_files() -> None:
    good = (DATA / "good_semicolon_bom.csv").read_bytes()
    (record,) = parse(good)
    assert record.unit_path == ("Norrby kommun", "Socialförvaltningen", "Anhörigstödet")
    assert record.entries[1].note == "Flera rader:\nrad två; med semikolon"
    bad = (DATA / "bad_many_problems.csv").read_bytes()
    found = keys_rows(problems_of(bad))
    assert {
        ("csv.date_impossible", 2),
        ("csv.status_unknown", 3),
        ("csv.na_needs_note", 4),
        ("csv.step_mismatch", 5),
        ("csv.practice_unknown", 6),
    } <= found


# ---------------------------------------------------------------------------- the database


def test_rejected_import_changes_nothing(db: Lartrappan) -> None:
    fill(db)
    before, exported = counts(db), db.transfer.export_csv()
    for make, expected in REJECTIONS.values():
        if not expected:
            continue
        with pytest.raises(ValidationError):
            db.transfer.import_csv(Actor(""), make())
    # a file that is good but for one row of a second snapshot
    rows = snapshot_rows(unit="Ny kommun > Ny enhet") + snapshot_rows(taken_at="2024-02-30")
    with pytest.raises(ValidationError):
        db.transfer.import_csv(Actor(""), to_csv(rows))
    assert counts(db) == before
    assert db.transfer.export_csv() == exported


def test_conflicting_snapshot_rejects_the_whole_file(db: Lartrappan) -> None:
    db.transfer.import_csv(Actor(""), to_csv(snapshot_rows()))
    before, exported = counts(db), db.transfer.export_csv()
    changed = snapshot_rows(unit="Annan kommun") + snapshot_rows()
    changed[-1]["status"] = "not_started"
    with pytest.raises(ValidationError) as caught:
        db.transfer.import_csv(Actor(""), to_csv(changed))
    (problem,) = caught.value.problems
    assert (problem.key, problem.row) == ("import.conflict", 2 + len(PRACTICES))
    assert i18n.t(problem.key, "sv", **problem.params)
    assert counts(db) == before and db.transfer.export_csv() == exported


def test_new_unit_under_archived_unit_is_rejected_with_row(db: Lartrappan) -> None:
    root = db.units.create(Actor(""), "Norrby kommun")
    db.units.set_archived(Actor(""), root.id, True)
    before = counts(db)
    problems = problems_of_import(db, to_csv(snapshot_rows(unit="norrby kommun > Ny")))
    assert keys_rows(problems) == {("csv.unit_parent_archived", 2)}
    assert problems[0].params["parent"] == "norrby kommun"
    assert counts(db) == before


def problems_of_import(store: Lartrappan, data: bytes) -> list[Problem]:
    with pytest.raises(ValidationError) as caught:
        store.transfer.import_csv(Actor(""), data)
    return caught.value.problems


def test_problem_keys_have_both_languages() -> None:
    strings = i18n.strings()
    keys = [k for k in strings if k.startswith("csv.")]
    assert len(keys) >= 30
    for key in keys:
        for lang in ("sv", "en"):
            assert i18n.t(key, lang)
            assert strings[key][lang].strip()
    package = Path(reader.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in sorted(package.glob("*.py")))
    used = set(re.findall(r'"(csv\.[a-z0-9_]+)"', source))
    used |= {f"csv.{c}_too_long" for c in ("saved_by", "comment", "note")}
    assert used <= set(keys), used - set(keys)


# ---------------------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_parse_or_raise_validation_error(data: bytes) -> None:
    try:
        parse(data)
    except ValidationError as exc:
        assert exc.problems and all(isinstance(p, Problem) for p in exc.problems)


_cell = st.text(alphabet=st.sampled_from(list("ab ;,\"'\n\r\t=>-å0123:T")), max_size=12)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(_cell, min_size=0, max_size=12), max_size=12),
    st.sampled_from([",", ";"]),
    st.sampled_from(["", "\ufeff"]),
)
def test_arbitrary_csv_text_parses_or_raises_validation_error(
    rows: list[list[str]], delimiter: str, bom: str
) -> None:
    body = io.StringIO()
    writer = csv.writer(body, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    good = snapshot_rows()
    for row in good[: len(rows) % 3]:
        writer.writerow([row[c] for c in COLUMNS])
    try:
        parse((bom + body.getvalue()).encode("utf-8"))
    except ValidationError as exc:
        for p in exc.problems:
            assert i18n.problem_text(p, "en")


_text = st.text(  # any text a note or comment may hold: no control characters but these
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r"),
    max_size=40,
)
_name = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=">"),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s and s != "")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_text, min_size=len(PRACTICES), max_size=len(PRACTICES)), _text, _name)
def test_any_text_round_trips_through_the_file(notes: list[str], comment: str, name: str) -> None:
    """escape → CSV → parse gives back exactly the notes, comment and unit name."""
    for variant in CsvVariant:
        delimiter, bom, newline = VARIANTS[variant]
        lines = [format_row(COLUMNS, delimiter, newline)]
        for p, note in zip(PRACTICES, notes, strict=True):
            values = [
                escape_cell(f"{name} > {name}"),
                WHEN,
                "",
                escape_cell(comment),
                "1",
                str(p.step),
                p.id,
                "",
                "done",
                escape_cell(note),
            ]
            lines.append(format_row(values, delimiter, newline))
        (record,) = parse(bom + "".join(lines).encode("utf-8"))
        assert [e.note for e in record.entries] == notes
        assert record.comment == comment
        assert record.unit_path == (name, name)
