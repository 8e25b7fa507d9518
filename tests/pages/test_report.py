"""The report section in AppTest: make a report on the roll-up and on a unit's progress page,
in each language and format, and download it."""

from __future__ import annotations

import io

import pypdf
import pytest

from staircase.services import Lartrappan
from tests.pages.conftest import leaf


def make(at, unit_id: int, fmt: str, lang: str | None = None):
    if lang is not None:
        at.radio(key=f"report_lang_{unit_id}_sv").set_value(lang)
    at.radio(key=f"report_format_{unit_id}_sv").set_value(fmt)
    next(b for b in at.button if b.label in ("Skapa rapporten", "Make the report")).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at.session_state["report_made"]


def test_a_pdf_report_of_the_municipality_from_the_roll_up(open_page, demo_store: Lartrappan):
    kommun = leaf(demo_store, "Norrby kommun")
    at = open_page(None, kommun, user="Anna Lind")
    made_for, data, name, media = make(at, kommun, "pdf", lang="en")
    assert made_for == kommun and media == "application/pdf"
    assert name.startswith("lartrappan-report-norrby-kommun-") and name.endswith(".pdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert (
        "Made" in reader.pages[0].extract_text() and "Anna Lind" in reader.pages[0].extract_text()
    )
    download = at.get("download_button")[-1]
    assert name in download.proto.label
    status = at.status[0]
    assert status.label == f"Rapporten är klar: {name}" and status.state == "complete"


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_a_unit_report_from_the_progress_page(open_page, demo_store: Lartrappan, fmt: str):
    unit = leaf(demo_store, "Hemtjänst Norr")
    at = open_page("pages/progress.py", unit)
    _, data, name, _ = make(at, unit, fmt)
    assert name.endswith(f".{fmt}") and "hemtjanst-norr" in name
    if fmt == "html":
        page = data.decode("utf-8")
        assert '<html lang="sv">' in page and "Var enheten står" in page
    else:
        text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
        assert "Var enheten står" in text
