"""Bulk export and import: the streamed export keeps its exact bytes (golden files made with
the row-by-row exporter it replaced), chunk boundaries do not show, and the bulk importer keeps
every rule of the row-by-row one (problems by row, all or nothing, duplicates, conflicts)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, event

from staircase.csv import checks, reader, writer
from staircase.csv.format import COLUMNS, DATE_FORMAT, CsvVariant, escape_cell
from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import Lang, Problem, SnapshotEntry, Status, ValidationError
from staircase.domain.records import SnapshotRecord
from staircase.domain.rules import PATH_SEPARATOR
from staircase.services import Actor, Lartrappan
from staircase.storage import bulk
from staircase.storage import snapshots as snapshot_store
from staircase.storage.snapshots import ExportBatch
from tests.test_csvio import TRICKY as CSV_TRICKY
from tests.test_csvio import snapshot_rows

CATALOGUE = load_catalogue()
PRACTICES = CATALOGUE.practices
DATA = Path(__file__).parent / "data"

TRICKY = [
    *CSV_TRICKY,  # formula starts, quotes, newlines, delimiters, å ä ö
    "",
    "lone\rcarriage return",
    "'-'",
]
PATHS = [
    "Norrby kommun > Vård och omsorg > Hemtjänst Norr",
    "Norrby kommun > Vård och omsorg > Hemtjänst Söder",
    "Norrby kommun > Åsele ö-skola",
    "=SUM(A1) > +46 > @x",
    "-1",
    "'=x",
    'Citat "här"; och, komma',
    "Norrby kommun",
]
STATUSES = list(Status)
OWN = "custom-egen-fika-larande"
GOLDEN: dict[tuple[CsvVariant, Lang], Path] = {
    (CsvVariant.PLAIN, "sv"): DATA / "golden_export_plain_sv.csv",
    (CsvVariant.EXCEL_SV, "sv"): DATA / "golden_export_excel_sv.csv",
    (CsvVariant.PLAIN, "en"): DATA / "golden_export_plain_en.csv",
}


def golden_records(names: Callable[[str], str] = str) -> list[SnapshotRecord]:
    """Snapshots with every kind of awkward text, own practices, out-of-order entries.

    `names` makes each saved_by (some hold tabs and line breaks, as older databases may:
    the export writes them, the import now refuses them as the core does)."""
    records = []
    for u, path in enumerate(PATHS):
        for k in range(1 + u % 3):
            i = u * 3 + k
            entries = [
                SnapshotEntry(
                    p.id,
                    p.step,
                    STATUSES[(i + j) % 3] if (i + j) % 5 else Status.NOT_APPLICABLE,
                    TRICKY[(i * 7 + j) % len(TRICKY)] or "Motivering",
                )
                for j, p in enumerate(PRACTICES)
            ]
            if i % 2:
                entries.append(SnapshotEntry(OWN, 2, Status.DONE, TRICKY[i % 5]))
            if i % 3 == 0:
                entries.append(SnapshotEntry("custom-gammal", 3, Status.IN_PROGRESS, ""))
            entries.reverse()  # the export sorts them by step and id
            records.append(
                SnapshotRecord(
                    unit_path=tuple(path.split(PATH_SEPARATOR)),
                    taken_at=datetime(2024, 1 + k * 4, 1 + u, 8 + k, 5 * u, 7 * k),
                    saved_by=names(TRICKY[i % len(TRICKY)]),
                    comment=TRICKY[(i + 3) % len(TRICKY)],
                    catalogue_version=CATALOGUE.version,
                    entries=tuple(entries),
                    rows=(2,),
                    new_practice_titles={"custom-gammal": "=Gammal övning; arkiverad"},
                )
            )
    return records


def build_golden(store: Lartrappan, names: Callable[[str], str] = str) -> None:
    """The database the golden files were exported from (only stable public calls)."""
    store.practices.add(Actor(""), 2, "Egen: fika=lärande", "Own: fika", dimensions=["people"])
    store.units.create(Actor(""), "Tom enhet utan ögonblicksbilder")
    store.transfer.import_records(Actor(""), golden_records(names))
    store.practices.archive(Actor(""), "custom-gammal")


@pytest.fixture
def golden(store: Lartrappan) -> Lartrappan:
    build_golden(store)
    return store


@pytest.fixture
def make_store(tmp_path: Path) -> Iterator[Callable[[str], Lartrappan]]:
    opened: list[Lartrappan] = []

    def make(name: str) -> Lartrappan:
        opened.append(Lartrappan(f"sqlite:///{tmp_path}/{name}.db"))
        return opened[-1]

    yield make
    for s in opened:
        s.close()


def golden_of(store: Lartrappan, names: Callable[[str], str] = str) -> Lartrappan:
    build_golden(store, names)
    return store


def one_line(name: str) -> str:
    """A saved_by as the import takes it: tabs and line breaks made spaces."""
    return re.sub(r"[\t\r\n]", " ", name)


# ---------------------------------------------------------------------------- export


@pytest.mark.parametrize(("variant", "lang"), list(GOLDEN))
def test_export_is_byte_identical_to_golden_file(
    golden: Lartrappan, variant: CsvVariant, lang: Lang
) -> None:
    """The golden files were written by the row-by-row exporter this one replaced."""
    expected = GOLDEN[(variant, lang)].read_bytes()
    assert golden.transfer.export_csv(variant=variant, lang=lang) == expected
    out = io.BytesIO()
    n = golden.transfer.write_csv(out, None, variant, lang)
    assert out.getvalue() == expected
    text = io.StringIO(expected.decode("utf-8-sig"), newline="")
    delimiter = ";" if variant is CsvVariant.EXCEL_SV else ","
    assert n == len(list(csv.reader(text, delimiter=delimiter))) - 1 > 100


@pytest.mark.parametrize("batch_rows", [1, 3, 7, 11, 13])
def test_snapshots_straddling_batches_export_the_same(
    golden: Lartrappan, monkeypatch: pytest.MonkeyPatch, batch_rows: int
) -> None:
    """Batches cut snapshots (10-12 rows each) anywhere: the file does not change."""
    real = snapshot_store.export_batches
    cut = []

    def small(conn: Connection, unit_ids: Sequence[int] | None = None) -> Iterator[ExportBatch]:
        for batch in real(conn, unit_ids, batch_rows=batch_rows):
            assert 0 < len(batch.rows) <= batch_rows
            cut.append(batch.rows[0][0] == batch.rows[-1][0])
            yield batch

    monkeypatch.setattr(snapshot_store, "export_batches", small)
    for (variant, lang), path in GOLDEN.items():
        assert golden.transfer.export_csv(variant=variant, lang=lang) == path.read_bytes()
    assert len(cut) > 10


def test_batches_carry_their_snapshots(golden: Lartrappan) -> None:
    with golden.db.read() as conn:
        batches = list(snapshot_store.export_batches(conn, batch_rows=4))
    rows = [r for b in batches for r in b.rows]
    assert len(rows) == sum(len(r.entries) for r in golden_records())
    for batch in batches:
        assert {r.snapshot_id for r in batch.rows} == set(batch.snapshots)
    order = [
        (batch.snapshots[r.snapshot_id].unit_id, batch.snapshots[r.snapshot_id].taken_at)
        for batch in batches
        for r in batch.rows
    ]
    assert order == sorted(order)
    assert all(isinstance(moment, datetime) for _, moment in order)


def test_export_of_many_units_is_split_into_ordered_queries(
    golden: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More units than one IN list may hold: several queries, one file in unit order."""
    tree = golden.units.tree()
    ids = list(tree.units)
    whole = golden.transfer.export_csv()
    monkeypatch.setattr(bulk, "IN_LIST_MAX", 2)
    assert golden.transfer.export_csv([*reversed(ids), ids[0]]) == whole
    some = [tree.find(p.split(PATH_SEPARATOR)) or 0 for p in PATHS[1::2]]
    chosen = {escape_cell(p) for p in PATHS[1::2]}
    rows = list(csv.DictReader(io.StringIO(golden.transfer.export_csv(some).decode(), newline="")))
    assert {r["unit_path"] for r in rows} == chosen
    everything = csv.DictReader(io.StringIO(whole.decode(), newline=""))
    assert [r for r in everything if r["unit_path"] in chosen] == rows


def test_export_rows_gives_paths_and_titles(golden: Lartrappan) -> None:
    rows = list(golden.transfer.export_rows())
    tree = golden.units.tree()
    assert [
        (r["unit_path"], r["taken_at"], r["practice_id"], r["status"], r["note"]) for r in rows
    ] == [
        (PATH_SEPARATOR.join(rec.unit_path), rec.taken_at, e.practice_id, e.status.value, e.note)
        for rec in sorted(
            golden_records(),
            key=lambda r: (tree.find(r.unit_path), r.taken_at),
        )
        for e in sorted(rec.entries, key=lambda e: (e.step, e.practice_id))
    ]
    titles = {r["practice_id"]: r["practice_title"] for r in rows}
    assert titles["custom-gammal"] == "=Gammal övning; arkiverad"  # archived, still titled
    assert titles[OWN] == "Egen: fika=lärande"


def regenerate() -> None:  # pragma: no cover
    """Rewrite the golden files: only when the file format changes on purpose
    (PYTHONPATH=. python tests/test_bulk_io.py)."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        store = Lartrappan(f"sqlite:///{tmp}/golden.db")
        build_golden(store)
        for (variant, lang), path in GOLDEN.items():
            path.write_bytes(store.transfer.export_csv(variant=variant, lang=lang))
        store.close()


if __name__ == "__main__":  # pragma: no cover
    regenerate()


# ---------------------------------------------------------------------------- import: parsing


def to_csv(rows: list[dict[str, str]], columns: Sequence[str] = COLUMNS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return out.getvalue().encode("utf-8")


def parse(data: bytes) -> list[SnapshotRecord] | list[Problem]:
    """The records of a file, or the problems it was rejected with."""
    try:
        return reader.parse_csv(data, CATALOGUE, CATALOGUE.practice_ids)
    except ValidationError as exc:
        return exc.problems


def parse_row_by_row(data: bytes, monkeypatch: pytest.MonkeyPatch) -> Any:
    """`parse`, with every row through the full row check (no repeats recognised)."""
    with monkeypatch.context() as m:
        m.setattr(reader, "_cells", lambda _indices: lambda _fields: object())
        m.setattr(reader.Parser, "_known_head", lambda *_: None)
        return parse(data)


def many_snapshots(units: int = 30, moments: int = 10) -> list[dict[str, str]]:
    return [
        row
        for u in range(units)
        for m in range(moments)
        for row in snapshot_rows(f"Kommun > Enhet {u}", f"2024-{1 + m:02d}-15T10:00:00")
    ]


def test_problems_in_many_rows_are_listed_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Bad rows among thousands of good ones (whose cells repeat): each is reported on its
    own line, in order, exactly as when every row is checked in full."""
    rows = many_snapshots()
    for row in rows[9::10]:  # one practice not applicable, with its justification
        row.update(status="not_applicable", note="Motivering")
    bad = {}
    for i in range(25, len(rows), 97):
        if i % len(PRACTICES) == 0:
            continue  # a snapshot's first row sets its saved_by: keep to the others
        kind = (i // 97) % 6
        if kind == 0:
            rows[i]["status"] = "klar"
            bad[i + 2] = "csv.status_unknown"
        elif kind == 1:
            rows[i - i % 10 + 9]["note"] = ""  # as the rows before it, but for the note
            bad[i - i % 10 + 9 + 2] = "csv.na_needs_note"
        elif kind == 2:
            rows[i]["note"] = "x" * 2001
            bad[i + 2] = "csv.note_too_long"
        elif kind == 3:
            rows[i]["saved_by"] = "Någon annan"
            bad[i + 2] = "csv.snapshot_disagrees"
        elif kind == 4:
            rows[i]["step"] = "2" if rows[i]["step"] == "1" else "1"
            bad[i + 2] = "csv.step_mismatch"
        else:
            rows[i].update(practice_id=rows[i - 1]["practice_id"], step=rows[i - 1]["step"])
            bad[i + 2] = "csv.duplicate_practice"
    problems = parse(to_csv(rows))
    assert all(isinstance(p, Problem) for p in problems)
    found = [(p.row, p.key) for p in problems if p.key != "csv.snapshot_incomplete"]
    assert found == sorted(bad.items())
    assert all(p.column for p in problems if p.key != "csv.snapshot_incomplete")
    incomplete = [p for p in problems if p.key == "csv.snapshot_incomplete"]
    assert len(incomplete) == sum(1 for k in bad.values() if k == "csv.duplicate_practice")
    assert problems == parse_row_by_row(to_csv(rows), monkeypatch)


def test_problems_past_the_cap_are_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = many_snapshots()
    for row in rows[5::7]:
        row["status"] = "klar"
    problems = parse(to_csv(rows))
    assert len(problems) == checks.MAX_PROBLEMS + 1
    assert [p.row for p in problems[:3]] == [7, 14, 21]
    more = problems[-1]
    assert (more.key, more.params["count"]) == (
        "csv.more_problems",
        len(rows[5::7]) - checks.MAX_PROBLEMS,
    )
    assert problems == parse_row_by_row(to_csv(rows), monkeypatch)


def test_repeated_rows_give_the_same_records(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = many_snapshots(units=4, moments=5)
    rows[3]["note"] = "'=SUM(A1)"
    rows[4]["unit_path"] = rows[4]["unit_path"].upper()
    rows[40]["note"] = "   "  # blank, but allowed: not 'not applicable'
    rows[41].update(status="not_applicable", note="Motivering")
    records = parse(to_csv(rows))
    assert records == parse_row_by_row(to_csv(rows), monkeypatch)
    assert len(records) == 20
    first = records[0]
    assert isinstance(first, SnapshotRecord)
    assert first.rows == tuple(range(2, 12))
    assert first.entries[3].note == "=SUM(A1)"


_CHANGES: list[tuple[str, str]] = [
    ("status", "klar"),
    ("status", "Ej aktuellt"),
    ("status", " På väg "),
    ("status", ""),
    ("note", "x" * 2001),
    ("note", "  "),
    ("note", "'=1"),
    ("saved_by", "Annan"),
    ("saved_by", "x" * 81),
    ("comment", "annan"),
    ("taken_at", "2024-02-30"),
    ("taken_at", "2999-01-01"),
    ("taken_at", "2024-01-15 10:00"),
    ("unit_path", "KOMMUN > ENHET 1"),
    ("unit_path", "Kommun >  > x"),
    ("unit_path", ""),
    ("catalogue_version", ""),
    ("catalogue_version", "01"),
    ("catalogue_version", "9"),
    ("step", "3"),
    ("step", ""),
    ("step", "x"),
    ("practice_id", "S1-GOAL-LINKED"),
    ("practice_id", "s1-goal-linkd"),
    ("practice_id", "custom-fika"),
    ("practice_title", "Egen"),
    ("note", "y" * 10_001),
    ("note", ""),
    ("practice_title", "z" * 10_001),
    ("note", " " * 10_001),
    ("unit_path", "Kommun > Enhet 1" + " " * 10_001),
    ("taken_at", "2024-02-15T10:00:00" + " " * 10_001),
    ("saved_by", "Karin Ek" + " " * 10_001),
    ("note", "Ping\x07"),
    ("note", "Tabb\toch\r\nrad"),
    ("note", "\x85"),
    ("comment", "APT\x1b"),
    ("saved_by", "Karin\tEk"),
    ("practice_title", "Fi\x0bka"),
]


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 59), st.sampled_from(_CHANGES)),
        max_size=8,
    ),
    st.lists(st.integers(0, 59), max_size=3),
    st.lists(st.integers(0, 59), max_size=2),
    st.lists(st.integers(0, 59), max_size=2),
)
def test_recognising_repeats_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
    changes: list[tuple[int, tuple[str, str]]],
    repeated: list[int],
    shortened: list[int],
    lengthened: list[int],
) -> None:
    """Any mix of good and bad rows: the same records, or the same problems, as when every
    row is checked in full."""
    rows = [
        row
        for u in range(2)
        for m in range(3)
        for row in snapshot_rows(f"Kommun > Enhet {u}", f"2024-0{1 + m}-15T10:00:00")
    ]
    for row in rows[9::10]:  # one practice not applicable, with its justification
        row.update(status="not_applicable", note="Motivering")
    for i, (column, value) in changes:
        rows[i][column] = value
    for i in repeated:
        rows.append(dict(rows[i]))
    data = to_csv(rows)
    lines = data.split(b"\n")
    for i in shortened:
        lines[1 + i] = lines[1 + i].rsplit(b",", 1)[0]
    for i in lengthened:
        lines[1 + i] += b",extra"
    data = b"\n".join(lines)
    assert parse(data) == parse_row_by_row(data, monkeypatch)


# ---------------------------------------------------------------------------- import: the store


def record(path: str, moment: datetime, status: Status = Status.DONE, **kw: Any) -> SnapshotRecord:
    fields: dict[str, Any] = {
        "saved_by": "Import",
        "comment": "",
        "catalogue_version": CATALOGUE.version,
        "entries": tuple(SnapshotEntry(p.id, p.step, status, "") for p in PRACTICES),
        "rows": (2,),
        "new_practice_titles": {},
        **kw,
    }
    return SnapshotRecord(tuple(path.split(PATH_SEPARATOR)), moment, **fields)


def table_dump(store: Lartrappan) -> list[str]:
    """Every row, but the audit trail's (it records every import, even one that changes
    nothing)."""
    raw = store.db.engine.raw_connection()
    try:
        return [
            line
            for line in raw.driver_connection.iterdump()
            if "INSERT" in line and not line.startswith('INSERT INTO "audit"')
        ]
    finally:
        raw.close()


def test_units_are_created_in_the_order_their_paths_come(store: Lartrappan) -> None:
    """Parents first, then in file order: the ids keep an export → import → export stable."""
    store.units.create(Actor(""), "Kommun")
    paths = ["B > B1", "kommun > X", "A", "B > B1 > Djup", "B > B0", "KOMMUN > x", "Kommun"]
    moment = datetime(2024, 1, 1)
    result = store.transfer.import_records(Actor(""), [record(p, moment) for p in paths])
    assert (result.units_created, result.snapshots_created, result.snapshots_skipped) == (6, 6, 1)
    tree = store.units.tree()
    made = sorted(tree.units)[1:]
    assert [tree.label(u) for u in made] == [
        "B",
        "B > B1",
        "Kommun > X",
        "A",
        "B > B1 > Djup",
        "B > B0",
    ]


def test_names_match_stored_units_regardless_of_case_and_unicode_form(store: Lartrappan) -> None:
    composed = store.units.create(Actor(""), "Åre")  # å as one code point
    decomposed = "A\u030are"  # å as a + combining ring
    result = store.transfer.import_records(
        Actor(""), [record(f" {decomposed.upper()} ", datetime(2024, 1, 1))]
    )
    assert result.units_created == 0
    assert [s.unit_id for s in store.snapshots.of_unit(composed.id)] == [composed.id]


def test_a_new_unit_under_an_archived_one_is_refused(store: Lartrappan) -> None:
    root = store.units.create(Actor(""), "Kommun")
    store.units.set_archived(Actor(""), root.id, True)
    before = table_dump(store)
    with pytest.raises(ValidationError) as caught:
        store.transfer.import_records(
            Actor(""),
            [
                record("Ny > Enhet", datetime(2024, 1, 1)),
                record("Kommun > Ny", datetime(2024, 1, 1)),
            ],
        )
    assert [p.key for p in caught.value.problems] == ["unit.parent_archived"]
    assert table_dump(store) == before


def test_conflicts_are_all_listed_in_file_order(
    store: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored snapshots of many units are compared in slices of ids; every conflict is named."""
    monkeypatch.setattr(bulk, "IN_LIST_MAX", 3)
    moments = [datetime(2024, m, 1) for m in range(1, 5)]
    first = [record(f"K > E{u}", m) for u in range(7) for m in moments]
    assert store.transfer.import_records(Actor(""), first).snapshots_created == 28
    before = table_dump(store)
    again = list(first)
    again[25] = record("K > E6", moments[1], Status.IN_PROGRESS, rows=(102,))
    again[5] = record("K > E1", moments[1], comment="annan", rows=(22,))
    again.insert(9, record("K > Ny", moments[0], rows=(30,)))
    with pytest.raises(ValidationError) as caught:
        store.transfer.import_records(Actor(""), again)
    assert [(p.key, p.row, p.params["unit"]) for p in caught.value.problems] == [
        ("import.conflict", 22, "K > E1"),
        ("import.conflict", 102, "K > E6"),
    ]
    assert table_dump(store) == before
    result = store.transfer.import_records(Actor(""), first)
    assert (result.snapshots_created, result.snapshots_skipped) == (0, 28)
    assert table_dump(store) == before


def test_a_snapshot_twice_in_one_import(store: Lartrappan) -> None:
    moment = datetime(2024, 1, 1)
    same = store.transfer.import_records(
        Actor(""), [record("K > E", moment), record("k > e", moment)]
    )
    assert (same.snapshots_created, same.snapshots_skipped) == (1, 1)
    with pytest.raises(ValidationError) as caught:
        store.transfer.import_records(
            Actor(""),
            [record("K > F", moment), record("K > F", moment, Status.NOT_STARTED, rows=(12,))],
        )
    assert [(p.key, p.row) for p in caught.value.problems] == [("import.conflict", 12)]


def test_bulk_rows_through_sqlalchemy_give_the_same_database(
    make_store: Callable[[str], Lartrappan], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SQLite fast path (the driver's executemany) and the portable path agree."""
    fast, portable = make_store("fast"), make_store("portable")
    data = golden_of(make_store("golden"), one_line).transfer.export_csv()
    fast.transfer.import_csv(Actor(""), data)
    monkeypatch.setattr(portable.db.engine.dialect, "name", "other")
    portable.transfer.import_csv(Actor(""), data)
    monkeypatch.undo()
    assert table_dump(fast) == table_dump(portable)
    assert portable.transfer.export_csv() == data


# ---------------------------------------------------------------------------- overview and history


def test_overview_and_history_of_many_units(
    golden: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More units than one IN list holds: the same frames, one query per slice of ids."""
    ids = list(golden.units.tree().units)
    overview, history = golden.snapshots.overview(ids), golden.snapshots.history(ids)
    assert len(overview) == len(PATHS) and len(history) == len(golden_records())
    latest = {
        golden.units.tree().find(r.unit_path): r.taken_at
        for r in sorted(golden_records(), key=lambda r: r.taken_at)
    }
    assert dict(zip(overview["unit_id"], overview["taken_at"], strict=True)) == latest
    monkeypatch.setattr(bulk, "IN_LIST_MAX", 2)
    pd.testing.assert_frame_equal(golden.snapshots.overview(ids), overview)
    pd.testing.assert_frame_equal(golden.snapshots.history(ids), history)
    assert golden.snapshots.overview([]).empty and golden.snapshots.history([]).empty


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2025, 3, 4, 10, 15),
        datetime(2025, 3, 4, 10, 15, 30, 123456),
        datetime(1000, 1, 1),
        datetime(999, 12, 31, 23, 59, 59),
        datetime(5, 1, 1),
    ],
)
def test_moments_are_written_as_strftime_writes_them(moment: datetime) -> None:
    assert writer.moment_cell(moment) == moment.strftime(DATE_FORMAT)


def test_overview_finds_the_latest_snapshots_through_indexes(golden: Lartrappan) -> None:
    """The latest snapshot per unit is one seek in the (unit_id, taken_at) index and its
    rows come from snapshot_practice's primary key: no table is read whole (10,000 units ×
    60 snapshots), and no unit's snapshots are read one by one either."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "AS seek" in statement:
            seen.append((statement, parameters))

    event.listen(golden.db.engine, "before_cursor_execute", capture)
    try:
        golden.snapshots.overview(list(golden.units.tree().units))
    finally:
        event.remove(golden.db.engine, "before_cursor_execute", capture)
    ((statement, parameters),) = seen
    with golden.db.engine.connect() as conn:
        plan = [r[-1] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)]
    assert not [step for step in plan if step.startswith(("SCAN", "USE TEMP B-TREE"))], plan
    assert any(step.startswith("SEARCH seek USING COVERING INDEX") for step in plan), plan
    assert any("CORRELATED SCALAR SUBQUERY" in step for step in plan), plan
    assert any(step.startswith("SEARCH snapshot_practice USING") for step in plan), plan
