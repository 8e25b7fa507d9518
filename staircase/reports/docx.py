"""A report (the leader's handbook) as an editable Word document (python-docx): the title and
cover lines, then each section as a heading, its paragraphs and its tables (a header row
marked as such, repeated on every page).

Figures: a Word document holds pictures as PNG or similar, not as the SVG the PDF uses, and
turning SVG into PNG here would need a browser (kaleido) or a rasteriser with native
libraries. So each figure is given in words and figures instead: its title, its one-sentence
text alternative and its data table, exactly what a screen reader reads of the PDF. Nothing
is lost for the reader; the picture is in the PDF.

Every text from the content is added as plain text (runs), never interpreted."""

from __future__ import annotations

from typing import IO

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from staircase.i18n import t
from staircase.reports.html import cell_text
from staircase.reports.model import Report, Table

LANG_TAGS = {"sv": "sv-SE", "en": "en-GB"}


def write(report: Report, out: IO[bytes]) -> None:
    """Write the document: its title, author and language set, every section in order."""
    doc = Document()
    props = doc.core_properties
    props.title = report.title
    props.author = report.made_by or "Lärtrappan"
    props.language = LANG_TAGS[report.lang]
    props.created = report.made_at
    _language(doc, LANG_TAGS[report.lang])
    doc.add_heading(report.title, level=0)
    for line in report.cover:
        doc.add_paragraph(line)
    for section in report.sections:
        doc.add_heading(section.title, level=1)
        for line in section.text:
            doc.add_paragraph(line)
        for figure in section.figures:
            doc.add_heading(figure.title, level=2)
            doc.add_paragraph(t("handbook.doc.figure_note", report.lang, alt=figure.alt))
            _table(doc, figure.table, report.lang)
        for table in section.tables:
            _table(doc, table, report.lang)
    doc.save(out)


def _table(doc: Document, content: Table, lang: str) -> None:  # type: ignore[valid-type]
    caption = doc.add_paragraph()  # type: ignore[attr-defined]
    caption.add_run(content.caption).bold = True
    if not content.rows:
        doc.add_paragraph(t("report.empty_table", lang))  # type: ignore[arg-type, attr-defined]
        return
    table = doc.add_table(rows=1, cols=len(content.columns))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, column in zip(header.cells, content.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(column.title)
        run.bold = True
    for row in content.rows:
        cells = table.add_row().cells
        for cell, value, column in zip(cells, row, content.columns, strict=True):
            cell.text = cell_text(value, column, lang)
    doc.add_paragraph()  # type: ignore[attr-defined]


def _repeat_as_header(row: object) -> None:
    """Mark the row as the table's header (Word repeats it on each page; screen readers
    announce it as the header)."""
    properties = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _language(doc: Document, tag: str) -> None:  # type: ignore[valid-type]
    """The text's language for Word's proofing and for screen readers (Normal style)."""
    style = doc.styles["Normal"]  # type: ignore[attr-defined]
    style.font.size = Pt(10.5)
    fonts = style.element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), tag)
    fonts.append(lang)
