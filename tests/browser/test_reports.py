"""The report's web page in Chromium, opened from a file with the network cut off: every
interactive chart is drawn by the inlined Plotly; and a report made and downloaded from
the app."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from staircase.services import Lartrappan
from staircase.services.demo import load_demo
from staircase.services.reports import render
from tests.browser.test_journeys import TIMEOUT, go_to, idle
from tests.browser.test_journeys import load_demo as load_demo_in_app
from tests.browser.test_organisation import pick_unit

pytestmark = pytest.mark.browser


def test_the_web_page_draws_its_charts_offline(new_page, tmp_path: Path):
    core = Lartrappan(f"sqlite:///{tmp_path / 'r.db'}")
    load_demo(core)
    tree = core.units.tree()
    kommun = next(u.id for u in tree.roots() if u.name == "Norrby kommun")
    report = core.reports.build(tree, kommun, lang="en")
    core.close()
    target = tmp_path / "report.html"
    with target.open("wb") as fh:
        render(report, "html", fh)
    page = new_page()
    requests: list[str] = []
    page.route("**/*", lambda route: (requests.append(route.request.url), route.continue_())[1])
    page.context.set_offline(True)
    page.goto(target.as_uri())
    charts = sum(1 for f in report.figures if f.plotly)
    expect(page.locator(".chart .main-svg").first).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".chart.js-plotly-plot")).to_have_count(charts)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert [u for u in requests if not u.startswith(("file:", "data:"))] == []


def test_a_lead_downloads_the_pdf_report_from_the_app(start_app, new_page, tmp_path: Path):
    page = new_page(height=1400)
    load_demo_in_app(page, start_app())
    pick_unit(page, "Hemtjänst Norr")
    go_to(page, "Utveckling")
    main = page.locator('[data-testid="stMain"]')
    main.get_by_role("button", name="Skapa rapporten").click()
    button = main.get_by_role("button", name="Ladda ned lartrappan-rapport-hemtjanst-norr")
    expect(button).to_be_visible(timeout=60_000)
    idle(page)
    with page.expect_download(timeout=TIMEOUT) as info:
        button.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    reader = pypdf.PdfReader(io.BytesIO(saved.read_bytes()))
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert "Var enheten står" in " ".join(p.extract_text() for p in reader.pages)
