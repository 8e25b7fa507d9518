"""The SVG pictures of staircase/views/pictures.py: what they draw, their text alternatives,
both languages, user text escaped, and a size that does not grow with the history."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import Status
from staircase.domain.scoring import score
from staircase.i18n import t
from staircase.views import pictures
from staircase.views.charts import STEP_COLOURS
from staircase.views.pictures import (
    MAX_TICKS,
    STAIR_HEIGHTS,
    date_ticks,
    progress_alt,
    progress_svg,
    staircase_alt,
    staircase_svg,
    step_reached_alt,
    step_reached_svg,
)
from tests.test_charts import history_frame

CAT = load_catalogue()
D, P, N, NA = Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE
SVG = "{http://www.w3.org/2000/svg}"


def scored(s1: list[Status], s2: list[Status], s3: list[Status]):
    return score([(1, s) for s in s1] + [(2, s) for s in s2] + [(3, s) for s in s3])


def parse(svg: str) -> ET.Element:
    """The picture as XML: it must be well-formed (user text escaped), or this raises."""
    return ET.fromstring(svg)


def texts(root: ET.Element, role: str | None = None) -> list[str]:
    """The texts (lines joined by spaces), of one data-role or all."""
    return [
        " ".join("".join(span.itertext()) for span in text.iter(f"{SVG}tspan"))
        or "".join(text.itertext())
        for text in root.iter(f"{SVG}text")
        if role is None or text.get("data-role") == role
    ]


def with_role(root: ET.Element, role: str, **attrs: str) -> list[ET.Element]:
    return [
        e
        for e in root.iter()
        if e.get("data-role") == role and all(e.get(f"data-{k}") == v for k, v in attrs.items())
    ]


# ---------------------------------------------------------------------------- staircase


@pytest.mark.parametrize(
    ("statuses", "reached"),
    [
        (([D, P, N, D], [P, N, N, N], [N, N]), 0),
        (([D, D, D, D], [D, P, N, N], [N, N]), 1),
        (([D, D, D, D], [D, D, NA, D], [D, D]), 3),
    ],
)
def test_staircase_marks_the_step_reached(statuses, reached):
    s = scored(*statuses)
    assert s.step_reached == reached
    root = parse(staircase_svg(s, CAT, "sv", "Hemtjänst Norr"))
    (flag,) = with_role(root, "position")
    assert flag.get("data-step") == str(reached)
    assert "Här står Hemtjänst Norr nu" in texts(root)
    assert any(f"uppnått steg: {reached} av 3" in x for x in texts(root, "note"))
    # the steps reached are ticked, the others not; the landing never
    captions = {i: texts(root, f"caption-{i}")[0] for i in range(4)}
    assert [captions[i].split()[1] for i in range(4)] == ["0", "1", "2", "3"]
    assert ["✓" in captions[i] for i in range(1, 4)] == [i <= reached for i in range(1, 4)]
    assert "✓" not in captions[0]


def test_staircase_blocks_are_filled_to_their_completion():
    s = scored([D, D, P, N], [P, N, N, N], [D, D])  # 62.5 %, 12.5 %, 100 %
    root = parse(staircase_svg(s, CAT, "sv", "Enhet"))
    assert texts(root, "completion-1") == ["63 %"]  # half rounds up
    assert texts(root, "completion-2") == ["13 %"]
    assert texts(root, "completion-3") == ["100 %"]
    assert texts(root, "in-place-1") == ["2 av 4 arbetssätt på nivån Vi får det att hända"]
    for step, completion in ((1, 0.625), (2, 0.125), (3, 1.0)):
        (block,) = with_role(root, "block", step=str(step))
        (filled,) = with_role(root, "fill", step=str(step))
        assert float(filled.get("height", 0)) / float(block.get("height", 1)) == pytest.approx(
            completion, abs=0.01
        )
        assert filled.get("fill") == STEP_COLOURS[step]
        assert block.get("stroke") == STEP_COLOURS[step]
    # blocks rise with the steps
    heights = [float(with_role(root, "block", step=str(i))[0].get("height", 0)) for i in range(4)]
    assert heights == sorted(heights)
    assert heights[3] / heights[1] == pytest.approx(STAIR_HEIGHTS[3] / STAIR_HEIGHTS[1], 0.01)
    # nothing done in a step: an empty block, no fill
    empty = parse(staircase_svg(scored([N] * 4, [N] * 4, [N, N]), CAT, "sv", "Enhet"))
    assert with_role(empty, "fill") == []
    assert texts(empty, "completion-1") == ["0 %"]
    assert "Målstyrt och flexibelt lärande" in texts(root, "caption-1")[0]
    assert "Utgångsläge" in texts(root, "caption-0")[0]


def test_staircase_greys_out_a_step_with_no_applicable_practices():
    s = scored([D, D, D, D], [D, P, N, N], [NA, NA])
    root = parse(staircase_svg(s, CAT, "sv", "Enhet"))
    assert texts(root, "completion-3") == ["–"]
    assert "Inga aktuella arbetssätt" in texts(root)
    (block,) = with_role(root, "block", step="3")
    assert block.get("fill") == "url(#none)"
    assert with_role(root, "fill", step="3") == []
    assert "No applicable practices" in texts(parse(staircase_svg(s, CAT, "en", "Unit")))


def test_staircase_escapes_the_unit_name_and_speaks_both_languages():
    s = scored([D] * 4, [D] * 4, [D] * 2)
    root = parse(staircase_svg(s, CAT, "en", "B < C & D"))
    assert texts(root, "title") == ["Lärtrappan – B < C & D"]
    assert "B < C & D is here" in texts(root)
    assert any("Overall maturity 100 %" in x for x in texts(root, "note"))
    sv = parse(staircase_svg(scored([N] * 4, [N] * 4, [N] * 2), CAT, "sv", "A"))
    assert any("Total mognad 0 %" in x for x in texts(sv, "note"))
    assert root.get("viewBox") == sv.get("viewBox")  # a fixed picture: it never jumps


def test_staircase_alt_says_what_the_picture_shows():
    s = scored([D, D, P, N], [P, N, N, N], [NA, NA])
    alt = staircase_alt(s, CAT, "sv", "Hemtjänst Norr")
    assert "Lärtrappan – Hemtjänst Norr" in alt
    assert "uppnått steg: 0 av 3" in alt
    assert (
        "Steg 1 – Målstyrt och flexibelt lärande: 63 % – "
        "2 av 4 arbetssätt på nivån Vi får det att hända" in alt
    )
    assert "Steg 3 – Delande av kunskap och erfarenhet: Inga aktuella arbetssätt" in alt
    english = staircase_alt(s, CAT, "en", "Hemtjänst Norr")
    assert "2 of 4 practices at Making it happen" in english and "arbetssätt" not in english


# ---------------------------------------------------------------------------- over time


def points(line: ET.Element) -> list[list[tuple[float, float]]]:
    """Each polyline of a series as its points."""
    return [
        [tuple(map(float, p.split(","))) for p in poly.get("points", "").split()]  # type: ignore[misc]
        for poly in line.iter(f"{SVG}polyline")
    ]


def test_progress_picture_has_a_line_per_step_and_maturity():
    root = parse(progress_svg(history_frame(), CAT, "sv"))
    assert texts(root, "title") == ["Utveckling per steg över tid"]
    assert texts(root, "legend") == [
        "Steg 1 – Målstyrt och flexibelt lärande",
        "Steg 2 – Lärande i arbetet",
        "Steg 3 – Delande av kunskap och erfarenhet",
        "Total mognad",
    ]
    assert texts(root, "y-tick") == ["0 %", "25 %", "50 %", "75 %", "100 %"]
    assert texts(root, "y-title") == ["Genomfört"] and texts(root, "x-title") == ["Datum"]
    (step1,) = with_role(root, "completion_1")
    ((a, b, c),) = points(step1)
    assert a[0] < b[0] < c[0]  # oldest first, left to right
    assert a[1] > b[1] > c[1]  # 25 %, 75 %, 100 %: higher up
    (maturity,) = with_role(root, "maturity")
    assert float(maturity[0].get("stroke-width", 0)) > float(step1[0].get("stroke-width", 0))
    # nothing applicable in step 3 at first: a gap, the line starts at the second snapshot
    (step3,) = with_role(root, "completion_3")
    assert [len(p) for p in points(step3)] == [2]
    assert [e.get("stroke") for e in (step1[0], step3[0])] == [STEP_COLOURS[1], STEP_COLOURS[3]]
    english = parse(progress_svg(history_frame(), CAT, "en"))
    assert texts(english, "legend")[-1] == "Overall maturity"
    assert texts(english, "y-title") == ["Completion"]


def test_step_reached_picture_is_a_step_line_with_named_steps():
    root = parse(step_reached_svg(history_frame(), CAT, "sv"))
    assert texts(root, "y-tick") == [
        "0 Utgångsläge",
        "1 Målstyrt och flexibelt lärande",
        "2 Lärande i arbetet",
        "3 Delande av kunskap och erfarenhet",
    ]
    (line,) = with_role(root, "step_reached")
    (steps,) = points(line)
    assert len(steps) == 5  # 3 snapshots: each move goes across, then up
    assert steps[2][1] == steps[3][1] and steps[3][0] == steps[4][0]
    (dots,) = with_role(root, "dots")
    assert [c.get("fill") for c in dots] == [STEP_COLOURS[0], STEP_COLOURS[0], STEP_COLOURS[1]]
    assert texts(parse(step_reached_svg(history_frame(), CAT, "en")), "y-title") == ["Step reached"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_empty_history_gives_a_message_not_an_error(lang):
    empty = history_frame().iloc[0:0]
    for draw, describe in (
        (progress_svg, progress_alt),
        (step_reached_svg, step_reached_alt),
    ):
        root = parse(draw(empty, CAT, lang))
        assert " ".join(texts(root, "empty")) == t("chart.empty", lang)
        assert t("chart.empty", lang) in describe(empty, CAT, lang)


def test_history_alts_say_when_and_what():
    h = history_frame()
    alt = progress_alt(h, CAT, "sv")
    assert "3 ögonblicksbilder från 2024-01-10 till 2024-06-20" in alt
    assert "Den första (2024-01-10): Steg 1 25 %, Steg 2 0 %, Steg 3 –, Total mognad 10 %" in alt
    assert "Den senaste (2024-06-20): Steg 1 100 %" in alt
    assert "3 snapshots from 2024-01-10 to 2024-06-20" in progress_alt(h, CAT, "en")
    assert step_reached_alt(h, CAT, "sv") == (
        "Uppnått steg över tid. 2024-01-10 steg 0; 2024-06-20 steg 1."
    )
    many = synthetic(40)
    changes = step_reached_alt(many, CAT, "en")
    assert changes.count("step ") == pictures.ALT_CHANGES and "…" in changes


def synthetic(n: int, freq: str = "MS") -> pd.DataFrame:
    rng = np.random.default_rng(7)
    maturity = rng.uniform(0, 1, n)
    return pd.DataFrame(
        {
            "unit_id": 1,
            "snapshot_id": np.arange(n),
            "taken_at": pd.date_range("2010-01-01", periods=n, freq=freq),
            "completion_1": maturity,
            "completion_2": maturity,
            "completion_3": maturity,
            "maturity": maturity,
            "step_reached": np.arange(n) % 4,
        }
    )


def test_a_long_history_is_thinned_and_the_picture_stays_small():
    long = synthetic(20_000, freq="D")
    for draw in (progress_svg, step_reached_svg):
        svg = draw(long, CAT, "sv")
        assert len(svg) < 100_000
        root = parse(svg)
        assert any("Förenklad vy" in x for x in texts(root, "note"))
        drawn = sum(len(line) for e in root.iter() for line in points(e) if e.get("data-role"))
        assert drawn <= 2 * pictures.MAX_POINTS  # a step line has two points per snapshot


@pytest.mark.parametrize(
    ("first", "last", "label"),
    [
        ("2024-01-10", "2024-01-12", "2024-01-11"),
        ("2024-01-10", "2024-03-20", "2024-01-24"),
        ("2024-01-10", "2024-06-20", "2024-02"),
        ("2021-01-08", "2025-12-11", "2023"),
        ("1990-01-01", "2025-12-11", "2000"),
    ],
)
def test_date_ticks_are_round_and_few(first, last, label):
    ticks = date_ticks(pd.Timestamp(first), pd.Timestamp(last))
    assert 1 <= len(ticks) <= MAX_TICKS
    assert label in [text for _, text in ticks]
    assert all(pd.Timestamp(first) <= when <= pd.Timestamp(last) for when, _ in ticks)


# ---------------------------------------------------------------- the organisation


def distribution_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "step_0": [5, 3],
            "step_1": [0, 2],
            "step_2": [0, 1],
            "step_3": [0, 0],
            "not_assessed": [2, 1],
            "maturity_mean": [0.2, float("nan")],
            "maturity_median": [0.2, float("nan")],
        }
    )


def test_the_distribution_stacks_every_units_count_per_period():
    svg = pictures.distribution_svg(["2026 K1", "2026 K2"], distribution_table(), CAT, "sv")
    root = ET.fromstring(svg)
    bars = root.find(f"{SVG}g[@data-role='bars']")
    assert bars is not None
    rects = bars.findall(f"{SVG}rect")
    # Period 1: step 0 and not assessed; period 2: steps 0, 1, 2 and not assessed.
    assert len(rects) == 2 + 4
    fills = [r.get("fill") for r in rects]
    assert fills[:2] == [STEP_COLOURS[0], "#ffffff"]
    assert rects[1].get("stroke-dasharray")  # "no snapshot yet" is outlined, dashed
    heights = [float(r.get("height")) for r in rects[2:]]
    assert heights[0] == pytest.approx(3 / 2 * heights[1])  # 3 units against 2
    labels = [s.text for s in bars.iter(f"{SVG}tspan")]
    assert labels.count("2026 K1") == 1 and {"5", "3", "2"} <= set(labels)
    # The mean is a line with a gap where no unit had a maturity.
    mean = root.find(f"{SVG}g[@data-role='maturity_mean']")
    assert mean is not None and len(mean.findall(f"{SVG}circle")) == 1


def test_the_distribution_escapes_and_speaks_english():
    svg = pictures.distribution_svg(["<b>Q1</b>"], distribution_table().iloc[:1], CAT, "en")
    assert "<b>" not in svg and "&lt;b&gt;Q1&lt;/b&gt;" in svg
    assert "Units per step at the end of each period" in svg
    assert 'data-picture="empty"' in pictures.distribution_svg([], pd.DataFrame(), CAT, "sv")
