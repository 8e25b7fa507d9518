"""The report as a print-ready, tagged A4 PDF (PDF/UA-1): the HTML document with its
pictures as vector SVG, laid out by WeasyPrint (no browser, no JavaScript)."""

from __future__ import annotations

from typing import IO

from staircase.reports.html import document
from staircase.reports.model import Report


def write(report: Report, out: IO[bytes]) -> None:
    """Write the PDF: tagged (a structure tree), with the document's language and title,
    fonts embedded, every picture with its text alternative."""
    from weasyprint import HTML  # imported here: it loads Pango, which only reports need

    HTML(string=document(report), base_url=None).write_pdf(
        out,
        pdf_variant="pdf/ua-1",
        pdf_identifier=None,
        custom_metadata=True,
    )
