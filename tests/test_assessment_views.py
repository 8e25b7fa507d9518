"""The Nuläge picture, its text alternative and its tables, from plain data."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd

from staircase.domain.assessment import (
    DISTRIBUTION_COLUMNS,
    AreaDistribution,
    Assessment,
    load_assessment_model,
)
from staircase.views import assessment as views

MODEL = load_assessment_model()
A1, A8 = "a1-learning-organisation", "a8-measurement"
COLUMNS = ["unit_id", "assessment_id", "taken_at", "area_id", "level"]


def _history(rows: list[tuple[int, datetime, str, str]]) -> pd.DataFrame:
    return pd.DataFrame([(7, a, when, area, lvl) for a, when, area, lvl in rows], columns=COLUMNS)


def test_an_empty_history_says_so_in_the_picture_and_its_alternative() -> None:
    empty = _history([])
    assert 'data-role="empty"' in views.levels_svg(empty, MODEL, "sv")
    assert views.levels_alt(empty, MODEL, "en") == (
        "Current state in the eight areas: no assessments yet."
    )
    assert list(views.levels_table(empty, MODEL, "sv").columns) == ["Område"]


def test_the_picture_has_a_cell_per_area_and_assessment_with_symbol_and_level() -> None:
    march, june = datetime(2025, 3, 1, 9), datetime(2025, 6, 1, 9)
    history = _history(
        [(1, march, A1, "not_started"), (2, june, A1, "done"), (2, june, A8, "in_progress")]
    )
    svg = views.levels_svg(history, MODEL, "sv")
    assert svg.count("data-level=") == 16
    assert svg.count('data-level="done"') == 1 and svg.count('data-level="none"') == 13
    assert "2025-03-01" in svg and "2025-06-01" in svg
    assert "1. Lärande organisation" in svg and "8. Mätning och uppföljning" in svg
    assert views.levels_alt(history, MODEL, "sv") == (
        "Nuläge i de åtta områdena enligt 2 bedömningar från 2025-03-01 till 2025-06-01. "
        "Senast: 1 Vi får det att hända, 1 På väg, 0 I startblocken och 6 inte bedömda."
    )


def test_the_picture_shows_the_latest_twelve_and_says_so_while_the_table_has_all() -> None:
    start = datetime(2024, 1, 1, 12)
    history = _history(
        [(k, start + timedelta(days=30 * k), A1, "in_progress") for k in range(1, 15)]
    )
    svg = views.levels_svg(history, MODEL, "en")
    assert "(the latest 12 of 14 assessments)" in svg
    assert svg.count('data-level="in_progress"') == 12
    table = views.levels_table(history, MODEL, "en")
    assert len(table.columns) == 1 + 14 and len(table) == 8
    assert table.iloc[0, -1] == "◐ On the way" and table.iloc[1, -1] == "– Not assessed"


def test_the_assessments_table_counts_the_areas_per_level() -> None:
    when = datetime(2025, 3, 1, 9)
    heads = [Assessment(2, 7, when, "Anna", "APT", 1), Assessment(1, 7, when, "", "", 1)]
    history = _history([(2, when, A1, "done"), (2, when, A8, "done")])
    table = views.assessments_table(heads, history, "sv")
    assert list(table.columns) == [
        "Datum",
        "Sparad av",
        "Kommentar",
        "Vi får det att hända",
        "På väg",
        "I startblocken",
    ]
    assert table.iloc[0].tolist() == ["2025-03-01 09:00", "Anna", "APT", 2, 0, 0]
    assert table.iloc[1].tolist()[3:] == [0, 0, 0]


def test_the_distribution_table_names_the_areas_and_levels() -> None:
    rows = [
        {"area_id": a.id, "not_started": 1, "in_progress": 2, "done": 3, "not_assessed": 4}
        for a in MODEL.areas
    ]
    distribution = AreaDistribution(1, (1, 2), 2, pd.DataFrame(rows, columns=DISTRIBUTION_COLUMNS))
    table = views.distribution_table(distribution, MODEL, "en")
    assert list(table.columns) == [
        "Area",
        "Making it happen",
        "On the way",
        "Not started",
        "Not assessed",
    ]
    assert table.iloc[0].tolist() == ["1. Learning organisation", 3, 2, 1, 4]
    assert len(table) == 8
