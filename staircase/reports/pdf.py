"""The report as a print-ready, tagged A4 PDF (PDF/UA-1): the HTML document with its
pictures as vector SVG, laid out by WeasyPrint (no browser, no JavaScript).

The layout runs in a process of its own (`python -m staircase.reports.pdf`, HTML in, PDF
out): it is pure Python and takes seconds for a large organisation, so in the app's
process it would hold the interpreter lock against every other session, and its memory
(hundreds of MB for hundreds of units) would stay with the server. A child process takes
both away and gives the memory back when it ends."""

from __future__ import annotations

import subprocess
import sys
from typing import IO

from staircase.reports.html import document
from staircase.reports.model import Report

LAYOUT_TIMEOUT_S = 900
"""A layout that takes longer than this is stopped (a report of ten thousand units takes
minutes; nothing reasonable takes a quarter of an hour)."""


class PdfError(RuntimeError):
    """The PDF could not be laid out (WeasyPrint or its Pango libraries failed)."""


def write(report: Report, out: IO[bytes]) -> None:
    """Write the PDF: tagged (a structure tree), with the document's language and title,
    fonts embedded, every picture with its text alternative."""
    out.write(layout(document(report)))


def layout(html: str) -> bytes:
    """The PDF of an HTML document, laid out in a child process."""
    done = subprocess.run(
        [sys.executable, "-m", "staircase.reports.pdf"],
        input=html.encode("utf-8"),
        capture_output=True,
        timeout=LAYOUT_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PdfError(reason[-1] if reason else f"exit code {done.returncode}")
    return done.stdout


def _layout_here(html: str) -> bytes:
    from weasyprint import HTML  # loads Pango: only the child process needs it

    document = HTML(string=html, base_url=None)
    return bytes(document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True))


if __name__ == "__main__":
    sys.stdout.buffer.write(_layout_here(sys.stdin.buffer.read().decode("utf-8")))
