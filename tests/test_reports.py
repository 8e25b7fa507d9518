"""The management report, read back as its readers' tools read it: the content against the
roll-up; the PDF's text, structure tree, language, title and pictures' alt texts (pypdf);
its pages rendered (pdftoppm); the web page's escaping and its inlined, offline charts; the
command line."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest
from plotly.offline import get_plotlyjs

from staircase.__main__ import EXIT_OK, EXIT_REJECTED, main
from staircase.domain.model import ValidationError
from staircase.domain.moments import now
from staircase.reports.model import Report
from staircase.services import Actor, Lartrappan
from staircase.services.demo import load_demo
from staircase.services.reports import period, render

BOSS = Actor("Chef Ek")
TODAY = now().date()


@pytest.fixture
def demo(db_url: Callable[[str], str]) -> Iterator[tuple[Lartrappan, str]]:
    url = db_url("report")
    core = Lartrappan(url)
    load_demo(core)
    yield core, url
    core.close()


def unit_named(core: Lartrappan, name: str) -> int:
    return next(u.id for u in core.units.tree().units.values() if u.name == name)


def pdf_of(report: Report) -> bytes:
    out = io.BytesIO()
    render(report, "pdf", out)
    return out.getvalue()


def structure(reader: pypdf.PdfReader) -> tuple[dict[str, int], list[str]]:
    """The PDF's structure tree: how many elements of each kind, and the figures' alt texts."""
    kinds: dict[str, int] = {}
    alts: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            kind = node.get("/S")
            if kind:
                kinds[str(kind)] = kinds.get(str(kind), 0) + 1
            if kind == "/Figure":
                alts.append(str(node.get("/Alt", "")))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return kinds, alts


def text_of(reader: pypdf.PdfReader) -> str:
    """The text as one line (a name wrapped at its hyphen in a table cell joined again)."""
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", re.sub(r"-\n", "-", text))


# ------------------------------------------------------------------------- the content


def test_the_organisation_report_says_what_the_roll_up_says(demo: Any) -> None:
    core, _ = demo
    tree = core.units.tree()
    kommun = unit_named(core, "Norrby kommun")
    core.targets.set(BOSS, kommun, 2, TODAY + timedelta(days=30))
    report = core.reports.build(tree, kommun, lang="sv", made_by="Anna Lind")
    assert report.kind == "organisation"
    assert [s.key for s in report.sections] == [
        "now",
        "targets",
        "practices",
        "movers",
        "actions",
        "assessment",
        "appendix",
    ]
    now_ = core.rollup.of_unit(tree, kommun)
    steps = report.sections[0].tables[0]
    assert [row[2] for row in steps.rows[:4]] == [now_.distribution.steps[s] for s in range(4)]
    appendix = report.sections[-1].tables[0]
    assert [row[0] for row in appendix.rows] == [tree.label(u) for u in now_.expected]
    assert all(
        row[4] == f"Steg 2 senast {(TODAY + timedelta(days=30)).isoformat()}"
        for row in appendix.rows
    )
    assert report.cover[-1].endswith("av Anna Lind")
    in_period = [
        s
        for u in now_.unit_ids
        for s in core.snapshots.of_unit(u)
        if report.period_from <= s.taken_at.date() <= report.period_to
    ]
    assert report.snapshots.count == len(in_period) > 0
    counted = sum(len(batch) for batch in report.snapshots.batches())
    assert counted == report.snapshots.count


def test_the_report_has_the_latest_round_when_there_is_one(demo: Any) -> None:
    core, _ = demo
    tree = core.units.tree()
    forv = unit_named(core, "Vård- och omsorgsförvaltningen")
    core.rounds.open(BOSS, forv, "Vår 2027", TODAY - timedelta(days=400), TODAY)
    report = core.reports.build(tree, forv, lang="en")
    section = next(s for s in report.sections if s.key == "round")
    assert section.title == "The latest assessment round: Vår 2027"
    assert "3 of 3 units have answered (100 %)." in section.text


@pytest.mark.parametrize(
    ("start", "end", "key"),
    [
        (None, TODAY + timedelta(days=1), "report.future"),
        (TODAY, TODAY - timedelta(days=1), "report.start_after_end"),
        (TODAY - timedelta(days=11 * 366), TODAY, "report.too_long"),
    ],
)
def test_a_bad_period_is_refused(start: date | None, end: date, key: str) -> None:
    with pytest.raises(ValidationError) as refused:
        period(start, end, TODAY)
    assert [p.key for p in refused.value.problems] == [key]


@pytest.mark.parametrize(
    ("end", "start"),
    [
        (date(2026, 11, 30), date(2025, 12, 1)),
        (date(2026, 11, 15), date(2025, 11, 16)),
        (date(2024, 2, 29), date(2023, 3, 1)),
    ],
)
def test_the_default_period_is_the_last_twelve_months(end: date, start: date) -> None:
    span = period(None, end, end)
    assert (span.start, span.end, span.months) == (start, end, 12)


def test_a_report_of_an_earlier_period_counts_the_round_as_it_stood_then(demo: Any) -> None:
    core, _ = demo
    tree = core.units.tree()
    forv = unit_named(core, "Vård- och omsorgsförvaltningen")
    core.rounds.open(BOSS, forv, "Vår 2027", TODAY - timedelta(days=400), TODAY)
    end = TODAY - timedelta(days=390)  # ten days into the round's window
    report = core.reports.build(tree, forv, end - timedelta(days=100), end, lang="en")
    section = next(s for s in report.sections if s.key == "round")
    status = core.rounds.status(tree, core.rounds.of_unit(tree, forv)[0].id, end)
    assert f"{status.answered} of 3 units" in section.text[1]
    assert status.answered < core.rounds.status(tree, status.round.id).answered


# ------------------------------------------------------------------------------ the PDF


def test_the_pdf_is_tagged_in_its_language_with_the_roll_up_s_names_and_numbers(
    demo: Any,
) -> None:
    core, _ = demo
    tree = core.units.tree()
    kommun = unit_named(core, "Norrby kommun")
    for lang, phrase in (
        ("sv", "av 8 enheter har en ögonblicksbild"),
        ("en", "of 8 units have a snapshot"),
    ):
        report = core.reports.build(tree, kommun, lang=lang, made_by="Anna Lind")
        reader = pypdf.PdfReader(io.BytesIO(pdf_of(report)))
        root = reader.trailer["/Root"]
        assert root["/Lang"] == lang
        assert bool(root["/MarkInfo"]["/Marked"])
        assert reader.metadata is not None and reader.metadata.title == report.title
        kinds, alts = structure(reader)
        assert kinds["/H1"] == 1 and kinds["/H2"] == len(report.sections)
        assert kinds["/Table"] >= 5 and kinds["/TH"] > 0
        assert alts == [f.alt for f in report.figures]  # every picture has its words
        text = text_of(reader)
        assert phrase in text
        for u in core.rollup.of_unit(tree, kommun).expected:
            assert tree.units[u].name in text  # the appendix names every unit
        assert "Anna Lind" in text
        assert (
            "Vård- och omsorgsförvaltningen" if lang == "sv" else "Where the units stand"
        ) in text


def test_the_pdf_of_one_unit_has_its_staircase_history_and_notes(demo: Any) -> None:
    core, _ = demo
    tree = core.units.tree()
    unit = unit_named(core, "Hemtjänst Norr")
    states = core.checklist.state(unit)
    report = core.reports.build(tree, unit, lang="sv")
    assert report.kind == "unit"
    assert [s.key for s in report.sections] == ["staircase", "history", "practices"]
    reader = pypdf.PdfReader(io.BytesIO(pdf_of(report)))
    text = text_of(reader)
    notes = [s.note for s in states.values() if s.note]
    assert notes and all(note.split()[0] in text for note in notes)
    assert "Här står Hemtjänst Norr" in text  # the pictures are vector graphics, text kept
    _, alts = structure(reader)
    assert alts[0].startswith("Lärtrappan – Hemtjänst Norr. Total mognad")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) missing")
def test_every_page_of_the_pdf_renders(demo: Any, tmp_path: Path) -> None:
    core, _ = demo
    tree = core.units.tree()
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(pdf_of(core.reports.build(tree, unit_named(core, "Norrby kommun"))))
    pages = len(pypdf.PdfReader(pdf).pages)
    done = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == ""
    assert len(list(tmp_path.glob("page-*.png"))) == pages >= 3


# ------------------------------------------------------------------------- the web page


def test_the_web_page_is_self_contained_interactive_and_escapes_user_text(demo: Any) -> None:
    core, _ = demo
    unit = unit_named(core, "Björkskolan")
    core.units.rename(BOSS, unit, 'Tom & "Jerry" <skola')
    core.checklist.set_note(BOSS, unit, "s1-goal-linked", "<script>alert(1)</script>")
    tree = core.units.tree()
    pages = {}
    for unit_id in (unit_named(core, "Norrby kommun"), unit):
        report = core.reports.build(tree, unit_id, lang="en")
        out = io.BytesIO()
        render(report, "html", out)
        pages[unit_id] = page = out.getvalue().decode("utf-8")
        assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
        ours = page.replace(get_plotlyjs(), "")  # the page without Plotly's own code
        assert not re.search(r"""(src|href)=["']https?:""", ours)  # nothing fetched: offline
        assert page.count('class="chart"') == sum(1 for f in report.figures if f.plotly) > 0
        assert "Plotly.newPlot" in page and len(page) > 1_000_000  # plotly.js inlined
        assert "Tom &amp; &quot;Jerry&quot; &lt;skola" in page
    assert "<script>alert(1)</script>" not in pages[unit]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[unit]


# --------------------------------------------------------------------- the command line


def test_the_report_command_writes_each_format(demo: Any, tmp_path: Path, capsys) -> None:
    _, url = demo
    for fmt in ("pdf", "html"):
        target = tmp_path / f"r.{fmt}"
        code = main(
            ["--db", url, "report", "--unit", "Norrby kommun", "--format", fmt, str(target)]
        )
        assert code == EXIT_OK, capsys.readouterr().err
        assert target.stat().st_size > 1000
        assert not (tmp_path / f"r.{fmt}.part").exists()
    assert pypdf.PdfReader(tmp_path / "r.pdf").trailer["/Root"]["/Lang"] == "sv"
    code = main(
        [
            "--db",
            url,
            "report",
            "--unit",
            "Norrby kommun",
            "--from",
            "2026-02-30",
            "--format",
            "pdf",
            str(tmp_path / "bad.pdf"),
        ]
    )
    assert code == EXIT_REJECTED and "--from 2026-02-30 är inget datum" in capsys.readouterr().err
    code = main(["--db", url, "report", "--format", "pdf", str(tmp_path / "which.pdf")])
    assert code == EXIT_REJECTED  # two organisations: which one is not ours to guess
    assert not (tmp_path / "bad.pdf").exists() and not (tmp_path / "which.pdf").exists()


def test_the_pdf_is_laid_out_in_a_process_of_its_own(monkeypatch) -> None:
    """WeasyPrint runs in a child process (it would hold the interpreter lock against every
    other session, and keep its memory); a child that fails is a clear error."""
    from staircase.reports import pdf

    html = (
        '<!DOCTYPE html><html lang="sv"><head><title>Å</title></head><body><h1>Ä</h1></body></html>'
    )
    calls: list[list[str]] = []
    real = subprocess.run

    def spy(command, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(list(command))
        return real(command, *args, **kwargs)

    monkeypatch.setattr(pdf.subprocess, "run", spy)
    made = pdf.layout(html)
    assert made.startswith(b"%PDF") and calls == [[sys.executable, "-m", "staircase.reports.pdf"]]
    assert pypdf.PdfReader(io.BytesIO(made)).trailer["/Root"]["/Lang"] == "sv"
    monkeypatch.setattr(pdf.sys, "executable", "/bin/false")
    with pytest.raises(pdf.PdfError):
        pdf.layout(html)


def test_the_reports_carry_the_improvement_plan(demo: Any) -> None:
    """The organisation's overdue actions, and one unit's plan with its evidence."""
    core, _ = demo
    tree = core.units.tree()
    unit = unit_named(core, "Björkskolan")
    pid = next(
        p.id
        for p in core.practices.catalogue().practices
        if core.checklist.state(unit).get(p.id) is None
        or core.checklist.state(unit)[p.id].status.value in ("not_started", "in_progress")
    )
    core.plans.set_owner(BOSS, unit, pid, "Karin Ek")
    core.plans.set_due(BOSS, unit, pid, TODAY - timedelta(days=3))
    core.plans.set_action(BOSS, unit, pid, "Boka en APT om lärande")
    core.plans.add_evidence(BOSS, unit, pid, "https://intranat.example/apt", "Protokoll")
    kommun = core.reports.build(tree, unit_named(core, "Norrby kommun"), lang="sv")
    actions = next(s for s in kommun.sections if s.key == "actions")
    assert [row[2:] for row in actions.tables[0].rows] == [
        ("Karin Ek", TODAY - timedelta(days=3), "Boka en APT om lärande")
    ]
    one = core.reports.build(tree, unit, lang="en")
    plan = next(s for s in one.sections if s.key == "practices").tables[1]
    assert plan.caption == "The improvement plan"
    assert [row[1:] for row in plan.rows] == [
        (
            "Karin Ek",
            TODAY - timedelta(days=3),
            "Boka en APT om lärande",
            "Protokoll (https://intranat.example/apt)",
        )
    ]
    text = text_of(pypdf.PdfReader(io.BytesIO(pdf_of(kommun))))
    assert "Försenade åtgärder" in text and "Boka en APT om lärande" in text


def test_the_report_has_the_current_state_per_area(demo: Any) -> None:
    from staircase.domain.assessment import AreaAnswer

    core, _ = demo
    tree = core.units.tree()
    kommun = unit_named(core, "Norrby kommun")
    before = core.assessments.distribution(tree, kommun)
    unit = unit_named(core, "Förskolan Ekorren")  # the demo gives it no assessment
    area = core.assessments.model.areas[0].id
    core.assessments.save(BOSS, unit, {area: AreaAnswer("in_progress", "")}, {}, {})
    report = core.reports.build(tree, kommun, lang="en")
    section = next(s for s in report.sections if s.key == "assessment")
    assert section.text == (
        "Where the units place themselves in the eight areas of the "
        f"current-state assessment, by their latest one: {before.assessed + 1} of 8 units "
        "have made one.",
    )
    first = section.tables[0].rows[0]
    was = before.table.iloc[0]
    assert first[0].startswith("1. ")
    assert [c.title for c in section.tables[0].columns][1:] == [
        "Making it happen",
        "On the way",
        "Not started",
        "Not assessed",
    ]
    assert list(first[1:]) == [
        was["done"],
        was["in_progress"] + 1,
        was["not_started"],
        was["not_assessed"] - 1,
    ]
