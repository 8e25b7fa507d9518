"""The report as an Excel workbook (XlsxWriter), streamed (`constant_memory`: each sheet is
written row by row, top to bottom, and only the current row is held in memory).

Sheets, named in the report's language:

1. the summary: the title and cover, the list of the other sheets, the distribution
   table with a native chart over its cells (stacked columns per period for an
   organisation, lines over time for one unit), then every section's text and tables;
2. the heatmap (an organisation only): units × practices, each cell the status's symbol
   and word, coloured by conditional formatting (the text reads without the colour);
3. the targets (an organisation only);
4. the appendix (every unit), when the report has one;
5. the snapshots, streamed from the database; more than a sheet holds go on on the next
   ("Ögonblicksbilder 2", …).

Every text is written as a string (`write_string`), never interpreted: no formula, link or
number is made from what a user typed. A text that a spreadsheet would take for the start
of a formula (see `staircase.csv.format.FORMULA_START`) also gets Excel's quote prefix, so
that it stays text when someone edits the cell; its value is unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import IO, Any
from zoneinfo import ZoneInfo

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from staircase import settings
from staircase.csv.format import FORMULA_START
from staircase.domain.model import Lang
from staircase.i18n import t
from staircase.reports.model import Cell, Column, Report, Section, Table
from staircase.views.charts import INK, MUTED, STEP_COLOURS
from staircase.views.organisation import STATUS_BACKGROUNDS

MAX_ROWS = 1_048_576
"""Rows on one sheet: Excel's limit. The snapshots take the header and MAX_ROWS - 1 rows on
each of their sheets, then go on on the next (tests set it small to see the split)."""

APPENDIX = "appendix"
"""The section whose tables (every unit) get a sheet of their own."""
HEADER_FILL = "#EBF0F8"
MIN_WIDTH, MAX_WIDTH, HEADER_WIDTH = 6, 60, 24
"""Column widths in characters: the content's longest, within these bounds; a header
longer than HEADER_WIDTH wraps rather than widening its column."""
CHART_WIDTH, CHART_HEIGHT, ROW_PX = 760, 380, 20
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 16},
    "heading": {"bold": True, "font_size": 13},
    "caption": {"bold": True},
    "note": {"italic": True, "font_color": MUTED},
    "text": {},
    "header": {
        "bold": True,
        "bg_color": HEADER_FILL,
        "bottom": 1,
        "text_wrap": True,
        "valign": "top",
    },
    "int": {"num_format": "0", "align": "right"},
    "number": {"num_format": "General", "align": "right"},
    "decimal": {"num_format": "0.0", "align": "right"},
    "percent": {"num_format": "0 %", "align": "right"},
    "date": {"num_format": "yyyy-mm-dd", "align": "right"},
    "moment": {"num_format": "yyyy-mm-dd hh:mm", "align": "right"},
}
TEXT_STYLES = ("title", "heading", "caption", "note", "text", "header")
EXCEL_EPOCH = datetime(1899, 12, 30)
"""Day 0 of Excel's (1900) date system, as far as any date since March 1900 is concerned."""
WIDTH_OF_KIND = {"date": 10, "moment": 16, "percent": 6}


def write(report: Report, out: IO[bytes]) -> None:
    """Write the report's workbook to a binary file."""
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "in_memory": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    _properties(book, report)
    _Writer(book, report).write()
    book.close()


def sheet_name(text: str) -> str:
    """A valid sheet name: none of []:*?/\\, not starting or ending with ', ≤ 31 chars."""
    cleaned = "".join("-" if c in "[]:*?/\\" else c for c in text).strip("'").strip()
    return cleaned[:31] or "-"


def _properties(book: Workbook, report: Report) -> None:
    zone = ZoneInfo(settings.current().timezone)
    made_utc = report.made_at.replace(tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
    book.set_properties(
        {
            "title": report.title,
            "subject": report.unit,
            "author": report.made_by or "Lärtrappan",
            "comments": " · ".join(report.cover),
            "keywords": "Lärtrappan",
            "created": made_utc,
        }
    )
    # core.xml as XlsxWriter writes it has no dc:language; the document's language as a
    # custom property instead.
    book.set_custom_property("Language", report.lang)


def _series(name: str, table: Table, first: int, last: int, col: int) -> dict[str, Any]:
    """A chart series over column `col` of `table` (written on sheet `name`, its data on
    rows first..last under its header), the first column its categories. The cells' values
    go along as the chart's cache: with constant_memory XlsxWriter can no longer read them
    back, and without them the periods would be cached as numbers, not text."""
    return {
        "name": [name, first - 1, col],
        "name_data": [table.columns[col].title],
        "categories": [name, first, 0, last, 0],
        "categories_data": [_cached(r[0]) for r in table.rows],
        "values": [name, first, col, last, col],
        "values_data": [_cached(r[col]) for r in table.rows],
    }


def _cached(value: Cell) -> str | float | None:
    """A cell as a chart's cache holds it: a number (a date as Excel's day number) or text."""
    if isinstance(value, datetime | date):
        moment = value if isinstance(value, datetime) else datetime.combine(value, time())
        return (moment - EXCEL_EPOCH).total_seconds() / 86400
    if isinstance(value, bool) or value is None:
        return None if value is None else str(value)
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    return str(value)


@dataclass
class _Sheet:
    """A worksheet being written, top to bottom: its next row and its columns' widths."""

    ws: Worksheet
    name: str
    row: int = 0
    widths: dict[int, float] = field(default_factory=dict)

    def fit(self, col: int, width: float) -> None:
        if width > self.widths.get(col, 0):
            self.widths[col] = width

    def finish(self) -> None:
        for col, width in self.widths.items():
            self.ws.set_column(col, col, max(MIN_WIDTH, min(MAX_WIDTH, width + 2)))


class _Writer:
    def __init__(self, book: Workbook, report: Report) -> None:
        self.book, self.report = book, report
        self.lang: Lang = report.lang
        self._formats: dict[tuple[str, bool], Format] = {}
        self.contents: list[str] = []
        """One line per sheet after the summary, for the summary's list."""
        self.annex: str | None = None
        """The appendix's sheet (its section's tables are there, not on the summary)."""

    # ------------------------------------------------------------------ the whole book

    def write(self) -> None:
        """Make the sheets in their order, then fill them one by one (each top to bottom;
        the summary last, when the number of snapshot sheets is known)."""
        report, lang = self.report, self.lang
        data = report.workbook
        summary = self._sheet(t("workbook.sheet.summary", lang))
        heatmap = (
            self._sheet(t("workbook.sheet.heatmap", lang)) if data.heatmap is not None else None
        )
        targets = (
            self._sheet(t("workbook.sheet.targets", lang)) if data.targets is not None else None
        )
        appendix = [s for s in report.sections if s.key == APPENDIX and s.tables]
        annex = self._sheet(t("workbook.sheet.appendix", lang)) if appendix else None
        self.annex = annex.name if annex is not None else None
        snapshots = self._sheet(t("workbook.sheet.snapshots", lang))
        if heatmap is not None and data.heatmap is not None:
            self._heatmap(heatmap, data.heatmap, data.status_labels)
        if targets is not None and data.targets is not None:
            self._data_sheet(targets, data.targets)
        if annex is not None:
            for i, table in enumerate(appendix[0].tables):
                if i:
                    annex.row += 1
                    self._text(annex, table.caption, "caption")
                self._data_sheet(annex, table)
        self._snapshots(snapshots)
        self._summary(summary)

    def _sheet(self, name: str) -> _Sheet:
        name = sheet_name(name)
        return _Sheet(self.book.add_worksheet(name), name)

    # ------------------------------------------------------------------ summary

    def _summary(self, sheet: _Sheet) -> None:
        report, lang = self.report, self.lang
        self._text(sheet, report.title, "title")
        for line in report.cover:
            self._text(sheet, line)
        sheet.row += 1
        self._text(sheet, t("workbook.contents.title", lang), "heading")
        for line in self.contents:
            self._text(sheet, line)
        sheet.row += 1
        self._distribution(sheet)
        for section in report.sections:
            sheet.row += 1
            self._section(sheet, section)
        sheet.finish()
        sheet.ws.set_paper(9)  # A4

    def _distribution(self, sheet: _Sheet) -> None:
        """The distribution table, and the chart over its cells below it."""
        table = self.report.workbook.distribution
        self._text(sheet, table.caption, "caption")
        first = sheet.row + 1  # the first data row, under the header
        self._table(sheet, table)
        if not table.rows:
            return
        last = first + len(table.rows) - 1
        if self.report.kind == "organisation":
            chart = self._columns_chart(sheet.name, table, first, last)
            alt = t("workbook.chart.distribution_alt", self.lang)
        else:
            chart = self._lines_chart(sheet.name, table, first, last)
            alt = t("workbook.chart.history_alt", self.lang)
        chart.set_title({"name": table.caption, "name_font": {"size": 12, "bold": True}})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
        sheet.row += 1
        sheet.ws.insert_chart(sheet.row, 0, chart, {"description": alt, "object_position": 1})
        sheet.row += math.ceil(CHART_HEIGHT / ROW_PX) + 1

    def _columns_chart(self, name: str, table: Table, first: int, last: int) -> Any:
        """Stacked columns of the units per step (and not yet assessed) per period, the
        percent columns (mean maturity) as lines on a second axis."""
        chart: Any = self.book.add_chart({"type": "column", "subtype": "stacked"})
        lines: Any = self.book.add_chart({"type": "line"})
        counts = [i for i, c in enumerate(table.columns) if c.kind == "int"]
        for n, col in enumerate(counts):
            series = _series(name, table, first, last, col)
            series["gap"] = 60
            if n in STEP_COLOURS:
                series["fill"] = {"color": STEP_COLOURS[n]}
                series["border"] = {"color": "#FFFFFF"}
            else:  # not yet assessed: hatched, as in the app
                series["pattern"] = {
                    "pattern": "wide_upward_diagonal",
                    "fg_color": STEP_COLOURS[0],
                    "bg_color": "#FFFFFF",
                }
                series["border"] = {"color": STEP_COLOURS[0]}
            chart.add_series(series)
        for col in (i for i, c in enumerate(table.columns) if c.kind == "percent"):
            series = _series(name, table, first, last, col)
            series["y2_axis"] = True
            series["line"] = {"color": INK, "width": 2}
            series["marker"] = {"type": "circle", "size": 5, "fill": {"color": INK}}
            lines.add_series(series)
        chart.set_y_axis(
            {"name": t("workbook.chart.step_axis", self.lang), "min": 0, "num_format": "0"}
        )
        lines.set_y2_axis(
            {
                "name": t("workbook.chart.maturity_axis", self.lang),
                "min": 0,
                "max": 1,
                "num_format": "0 %",
            }
        )
        chart.combine(lines)
        return chart

    def _lines_chart(self, name: str, table: Table, first: int, last: int) -> Any:
        """One unit's history over time: its step (0–3) and, on a second axis, its
        maturity, one point per snapshot."""
        chart: Any = self.book.add_chart({"type": "line"})
        for col, column in enumerate(table.columns):
            if column.kind not in ("int", "percent"):
                continue
            colour = STEP_COLOURS[1] if column.kind == "int" else INK
            series = _series(name, table, first, last, col)
            series["y2_axis"] = column.kind == "percent"
            series["line"] = {"color": colour, "width": 2.25}
            series["marker"] = {"type": "circle", "size": 6, "fill": {"color": colour}}
            chart.add_series(series)
        chart.set_x_axis(
            {
                "date_axis": True,
                "num_format": "yyyy-mm-dd",
                "base_unit": "days",
                "major_unit": 1,
                "major_unit_type": "months",
            }
        )
        chart.set_y_axis(
            {
                "name": t("workbook.chart.level_axis", self.lang),
                "min": 0,
                "max": 3,
                "major_unit": 1,
                "num_format": "0",
            }
        )
        chart.set_y2_axis(
            {
                "name": t("workbook.chart.maturity_axis", self.lang),
                "min": 0,
                "max": 1,
                "num_format": "0 %",
            }
        )
        return chart

    def _section(self, sheet: _Sheet, section: Section) -> None:
        self._text(sheet, section.title, "heading")
        for line in section.text:
            self._text(sheet, line)
        if section.key == APPENDIX and self.annex is not None:
            self._text(sheet, t("workbook.on_sheet", self.lang, sheet=self.annex))
            return
        written = [self.report.workbook.distribution]
        for figure in section.figures:
            sheet.row += 1
            self._text(sheet, figure.title, "caption")
            self._text(sheet, figure.alt, "note")
            if figure.table in written:
                self._text(sheet, t("workbook.same_table", self.lang, caption=figure.table.caption))
                continue
            written.append(figure.table)
            self._text(sheet, figure.table.caption, "caption")
            self._table(sheet, figure.table)
        for table in section.tables:
            sheet.row += 1
            self._text(sheet, table.caption, "caption")
            self._table(sheet, table)

    # ------------------------------------------------------------------ data sheets

    def _data_sheet(self, sheet: _Sheet, table: Table) -> None:
        """A table with its header on the sheet's first row (frozen, filtered), or under
        a caption further down."""
        header = sheet.row
        self._table(sheet, table)
        sheet.ws.freeze_panes(header + 1, 1)
        sheet.ws.autofilter(header, 0, max(header, sheet.row - 1), len(table.columns) - 1)
        sheet.ws.repeat_rows(header)
        sheet.finish()
        self.contents.append(
            t(
                "workbook.contents.line",
                self.lang,
                sheet=sheet.name,
                caption=table.caption,
                n=len(table.rows),
            )
        )

    def _heatmap(self, sheet: _Sheet, table: Table, labels: dict[str, str]) -> None:
        """Units × practices: each practice's status value shown as its label (symbol and
        word), coloured by a rule on the label."""
        statuses = [i for i, c in enumerate(table.columns) if i > 0 and c.kind == "text"]
        shown = tuple(
            tuple(
                labels.get(v, v) if i in statuses and isinstance(v, str) else v
                for i, v in enumerate(row)
            )
            for row in table.rows
        )
        width = max((len(label) for label in labels.values()), default=12) + 2
        lines = max((math.ceil(len(table.columns[i].title) / width) for i in statuses), default=1)
        sheet.ws.set_row(0, 15 * min(lines, 6))  # the practices' titles wrap in the header
        self._data_sheet(sheet, Table(table.caption, table.columns, shown))
        for i in statuses:
            sheet.ws.set_column(i, i, width)
        if statuses and shown:
            for status, label in labels.items():
                colour = STATUS_BACKGROUNDS.get(status)
                if colour is None:
                    continue
                sheet.ws.conditional_format(
                    1,
                    statuses[0],
                    len(shown),
                    statuses[-1],
                    {
                        "type": "cell",
                        "criteria": "equal to",
                        "value": '"' + label.replace('"', '""') + '"',
                        "format": self.book.add_format({"bg_color": colour, "font_color": INK}),
                    },
                )
        sheet.ws.set_landscape()
        sheet.ws.fit_to_pages(1, 0)

    def _snapshots(self, first: _Sheet) -> None:
        """The snapshots, batch by batch, MAX_ROWS - 1 under the header of each sheet."""
        rows = self.report.snapshots
        per_sheet = MAX_ROWS - 1
        sheets = [first]
        counts = [0]
        self._header(first, rows.columns)
        for batch in rows.batches():
            for values in batch:
                if counts[-1] >= per_sheet:
                    sheet = self._sheet(f"{first.name} {len(sheets) + 1}")
                    sheet.widths = dict(sheets[-1].widths)
                    self._header(sheet, rows.columns)
                    sheets.append(sheet)
                    counts.append(0)
                self._row(sheets[-1], values, rows.columns)
                counts[-1] += 1
        if not counts[-1]:
            self._text(first, t("report.empty_table", self.lang))
        for n, (sheet, count) in enumerate(zip(sheets, counts, strict=True), start=1):
            sheet.ws.freeze_panes(1, 1)
            sheet.ws.autofilter(0, 0, max(count, 1), len(rows.columns) - 1)
            sheet.ws.repeat_rows(0)
            sheet.finish()
            caption = (
                t("workbook.snapshots.caption", self.lang)
                if len(sheets) == 1
                else t("workbook.snapshots.part", self.lang, part=n, parts=len(sheets))
            )
            self.contents.append(
                t("workbook.contents.line", self.lang, sheet=sheet.name, caption=caption, n=count)
            )

    # ------------------------------------------------------------------ cells

    def _table(self, sheet: _Sheet, table: Table) -> None:
        self._header(sheet, table.columns)
        for row in table.rows:
            self._row(sheet, row, table.columns)
        if not table.rows:
            self._text(sheet, t("report.empty_table", self.lang))

    def _header(self, sheet: _Sheet, columns: Sequence[Column]) -> None:
        for col, column in enumerate(columns):
            self._string(sheet, sheet.row, col, column.title, "header")
            sheet.fit(col, min(len(column.title), HEADER_WIDTH))
        sheet.row += 1

    def _row(self, sheet: _Sheet, values: Sequence[Cell], columns: Sequence[Column]) -> None:
        for col, (value, column) in enumerate(zip(values, columns, strict=True)):
            self._cell(sheet, col, value, column)
        sheet.row += 1

    def _text(self, sheet: _Sheet, text: str, style: str = "text") -> None:
        """A line of text in the first column (wider than the column: it runs on into the
        empty cells beside it)."""
        self._string(sheet, sheet.row, 0, text, style)
        sheet.row += 1

    def _cell(self, sheet: _Sheet, col: int, value: Cell, column: Column) -> None:
        ws, row = sheet.ws, sheet.row
        if value is None:
            return
        if isinstance(value, str):
            self._string(sheet, row, col, value, "text")
            sheet.fit(col, max(len(line) for line in value.split("\n")))
        elif isinstance(value, bool):
            self._string(sheet, row, col, str(value), "text")
        elif isinstance(value, int | float):
            if not math.isfinite(value):
                return
            style: str = column.kind if column.kind in ("int", "decimal", "percent") else "number"
            if style == "int" and not float(value).is_integer():
                style = "number"
            ws.write_number(row, col, value, self._format(style))
            sheet.fit(col, WIDTH_OF_KIND.get(style, len(str(value))))
        elif isinstance(value, datetime):
            style = "date" if column.kind == "date" else "moment"
            ws.write_datetime(row, col, value, self._format(style))
            sheet.fit(col, WIDTH_OF_KIND[style])
        elif isinstance(value, date):
            style = "moment" if column.kind == "moment" else "date"
            ws.write_datetime(row, col, value, self._format(style))
            sheet.fit(col, WIDTH_OF_KIND[style])
        else:  # pragma: no cover - the model allows no other cell
            self._string(sheet, row, col, str(value), "text")

    def _string(self, sheet: _Sheet, row: int, col: int, text: str, style: str) -> None:
        """Text as a string cell, never a formula, link or number; a formula-looking one
        with the quote prefix, so that it stays text when edited."""
        if text:
            sheet.ws.write_string(row, col, text, self._format(style, text[:1] in FORMULA_START))

    def _format(self, style: str, quoted: bool = False) -> Format:
        key = (style, quoted)
        if key not in self._formats:
            props = dict(STYLES[style])
            if quoted and style in TEXT_STYLES:
                props["quote_prefix"] = True
            self._formats[key] = self.book.add_format(props)
        return self._formats[key]
