"""The figures of staircase/charts.py: traces, names, values, languages and the point budget."""

from __future__ import annotations

import ast
import re
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import Status
from staircase.i18n import strings, t
from staircase.services import Actor, Lartrappan
from staircase.views import charts
from staircase.views.charts import (
    MAX_POINTS,
    STEP_COLOURS,
    TEMPLATE,
    comparison_figure,
    overview_figure,
    point_count,
    progress_figure,
    step_reached_figure,
    thin,
)
from staircase.views.pictures import staircase_svg

CAT = load_catalogue()
D, P, N, NA = Status.DONE, Status.IN_PROGRESS, Status.NOT_STARTED, Status.NOT_APPLICABLE
STEP_NAMES = {
    "sv": [
        "Steg 1 – Målstyrt och flexibelt lärande",
        "Steg 2 – Lärande i arbetet",
        "Steg 3 – Delande av kunskap och erfarenhet",
    ],
    "en": [
        "Step 1 – Goal-driven and flexible learning",
        "Step 2 – Learning at work",
        "Step 3 – Sharing knowledge and experience",
    ],
}


def history_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": [1, 1, 1],
            "snapshot_id": [10, 11, 12],
            "taken_at": pd.to_datetime(["2024-01-10", "2024-03-05", "2024-06-20"]),
            "completion_1": [0.25, 0.75, 1.0],
            "completion_2": [0.0, 0.125, 0.5],
            "completion_3": [np.nan, 0.0, 0.5],
            "maturity": [0.1, 0.4, 0.7],
            "step_reached": [0, 0, 1],
        }
    )


def values(seq) -> list:
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in seq]


def annotation_texts(fig: go.Figure) -> list[str]:
    """Annotation texts with Plotly's line breaks taken out."""
    return [a.text.replace("<br>", " ") for a in fig.layout.annotations]


def synthetic_history(units: int, per_unit: int, start: str = "2019-01-01") -> pd.DataFrame:
    rng = np.random.default_rng(7)
    dates = pd.date_range(start, periods=per_unit, freq="MS")
    n = units * per_unit
    maturity = rng.uniform(0, 1, n)
    return pd.DataFrame(
        {
            "unit_id": np.repeat(np.arange(1, units + 1), per_unit),
            "snapshot_id": np.arange(n),
            "taken_at": np.tile(dates, units),
            "completion_1": maturity,
            "completion_2": maturity,
            "completion_3": maturity,
            "maturity": maturity,
            "step_reached": (maturity * 3.99).astype(int),
        }
    )


def overview_frame(n: int) -> pd.DataFrame:
    maturity = np.linspace(0, 1, n)
    return pd.DataFrame(
        {
            "unit_id": np.arange(1, n + 1),
            "snapshot_id": np.arange(1, n + 1),
            "taken_at": pd.Timestamp("2024-05-01"),
            "completion_1": maturity,
            "completion_2": maturity,
            "completion_3": maturity,
            "maturity": maturity,
            "step_reached": (maturity * 3.99).astype(int),
        }
    )


# ---------------------------------------------------------------------------- progress


def test_progress_figure_has_a_line_per_step_and_maturity_in_percent():
    fig = progress_figure(history_frame(), CAT, "sv")
    assert [tr.name for tr in fig.data] == [*STEP_NAMES["sv"], "Total mognad"]
    assert all(isinstance(tr, go.Scatter) and tr.mode == "lines+markers" for tr in fig.data)
    assert values(fig.data[0].y) == [25.0, 75.0, 100.0]
    assert values(fig.data[1].y) == [0.0, 12.5, 50.0]
    assert values(fig.data[2].y) == [None, 0.0, 50.0]  # nothing applicable: a gap
    assert values(fig.data[3].y) == pytest.approx([10.0, 40.0, 70.0])
    assert [pd.Timestamp(x) for x in fig.data[0].x] == list(history_frame()["taken_at"])
    assert fig.data[3].line.width > fig.data[0].line.width  # maturity stands out
    assert [fig.data[i].line.color for i in range(3)] == [STEP_COLOURS[s] for s in (1, 2, 3)]
    assert fig.layout.yaxis.title.text == "Genomfört"
    assert fig.layout.yaxis.ticksuffix == " %"
    assert tuple(fig.layout.yaxis.range) == (0, 104)
    assert fig.layout.xaxis.type == "date"
    assert fig.layout.xaxis.title.text == "Datum"
    assert fig.layout.title.text == "<b>Utveckling per steg över tid</b>"


def test_progress_figure_in_english():
    fig = progress_figure(history_frame(), CAT, "en")
    assert [tr.name for tr in fig.data] == [*STEP_NAMES["en"], "Overall maturity"]
    assert fig.layout.yaxis.title.text == "Completion"
    assert fig.layout.xaxis.title.text == "Date"
    assert "Progress per step over time" in fig.layout.title.text


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_empty_history_gives_a_message_not_an_error(lang):
    empty = history_frame().iloc[0:0]
    for make in (progress_figure, step_reached_figure):
        fig = make(empty, CAT, lang)
        assert len(fig.data) == 0
        assert annotation_texts(fig) == [t("chart.empty", lang)]
        note = fig.layout.annotations[0]
        assert (note.xref, note.yref, note.x, note.y) == ("paper", "paper", 0.5, 0.5)
    fig = comparison_figure(empty, {}, lang)
    assert annotation_texts(fig) == [t("chart.empty", lang)]
    fig = overview_figure(empty, {}, CAT, lang)
    assert annotation_texts(fig) == [t("chart.empty", lang)]
    assert t("chart.empty", "sv") != t("chart.empty", "en")


# ---------------------------------------------------------------------------- step reached


def test_step_reached_figure_is_a_step_line_with_named_steps():
    fig = step_reached_figure(history_frame(), CAT, "sv")
    assert len(fig.data) == 1
    line = fig.data[0]
    assert line.line.shape == "hv"
    assert list(line.y) == [0, 0, 1]
    assert list(line.marker.color) == [STEP_COLOURS[0], STEP_COLOURS[0], STEP_COLOURS[1]]
    axis = fig.layout.yaxis
    assert list(axis.tickvals) == [0, 1, 2, 3]
    assert list(axis.ticktext) == [
        "0 Utgångsläge",
        "1 Målstyrt och flexibelt lärande",
        "2 Lärande i arbetet",
        "3 Delande av kunskap och erfarenhet",
    ]
    assert tuple(axis.range) == (-0.2, 3.3)
    assert axis.title.text == "Uppnått steg"
    en = step_reached_figure(history_frame(), CAT, "en")
    assert en.layout.yaxis.ticktext[0] == "0 Starting point"
    assert en.layout.yaxis.title.text == "Step reached"


# ---------------------------------------------------------------------------- comparison


def two_units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": [1, 2, 1, 2],
            "snapshot_id": [1, 2, 3, 4],
            "taken_at": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-04-01", "2024-04-02"]),
            "completion_1": [0.5, 1.0, 1.0, 1.0],
            "completion_2": [0.0, 0.5, 0.25, 1.0],
            "completion_3": [0.0, 0.0, 0.0, 0.5],
            "maturity": [0.2, 0.6, 0.5, 0.9],
            "step_reached": [0, 1, 1, 2],
        }
    )


def test_comparison_of_maturity_has_one_named_line_per_unit():
    labels = {1: "Hemtjänst Norr", 2: "Hemtjänst Syd"}
    fig = comparison_figure(two_units(), labels, "sv")
    assert [tr.name for tr in fig.data] == ["Hemtjänst Norr", "Hemtjänst Syd"]
    assert values(fig.data[0].y) == pytest.approx([20.0, 50.0])
    assert values(fig.data[1].y) == pytest.approx([60.0, 90.0])
    assert [pd.Timestamp(x) for x in fig.data[1].x] == list(
        pd.to_datetime(["2024-01-02", "2024-04-02"])
    )
    assert fig.data[0].line.color != fig.data[1].line.color
    assert fig.layout.yaxis.title.text == "Total mognad"
    assert fig.layout.yaxis.ticksuffix == " %"
    assert fig.layout.showlegend is True
    en = comparison_figure(two_units(), labels, "en")
    assert en.layout.yaxis.title.text == "Overall maturity"
    assert "Overall maturity per unit" in en.layout.title.text


def test_comparison_of_step_reached_is_a_step_line():
    fig = comparison_figure(two_units(), {1: "A", 2: "B"}, "sv", metric="step_reached")
    assert [tr.name for tr in fig.data] == ["A", "B"]
    assert all(tr.line.shape == "hv" for tr in fig.data)
    assert list(fig.data[0].customdata) == [0, 1]
    assert list(fig.data[1].customdata) == [1, 2]
    # lines are nudged apart a little so equal steps stay visible, never by half a step
    assert [round(y) for y in fig.data[0].y] == [0, 1]
    assert [round(y) for y in fig.data[1].y] == [1, 2]
    assert list(fig.layout.yaxis.tickvals) == [0, 1, 2, 3]
    assert fig.layout.yaxis.title.text == "Uppnått steg"
    assert "Uppnått steg per enhet" in fig.layout.title.text


# ---------------------------------------------------------------------------- overview


def test_overview_bars_are_sorted_and_coloured_by_step_reached():
    frame = pd.DataFrame(
        {
            "unit_id": [1, 2, 3, 4],
            "taken_at": pd.to_datetime(["2024-01-01"] * 4),
            "completion_1": [1.0, 0.5, 1.0, np.nan],
            "completion_2": [0.5, 0.0, 1.0, np.nan],
            "completion_3": [0.0, 0.0, 0.5, np.nan],
            "maturity": [0.6, 0.2, 0.9, np.nan],
            "step_reached": [1, 0, 2, 3],
        }
    )
    labels = {1: "Norr", 2: "Syd", 3: "Väst", 4: "Öst"}
    fig = overview_figure(frame, labels, CAT, "sv")
    assert all(isinstance(tr, go.Bar) and tr.orientation == "h" for tr in fig.data)
    steps = [tr.meta["step"] for tr in fig.data]
    assert steps == [0, 1, 2, 3]
    assert [tr.name for tr in fig.data] == [
        "Steg 0 – Utgångsläge",
        *STEP_NAMES["sv"],
    ]
    assert [tr.marker.color for tr in fig.data] == [STEP_COLOURS[s] for s in steps]
    bars = {y: (x, tr.meta["step"]) for tr in fig.data for x, y in zip(tr.x, tr.y, strict=True)}
    assert bars == {
        "Väst": (90.0, 2),
        "Norr": (60.0, 1),
        "Syd": (20.0, 0),
        "Öst": (0.0, 3),
    }
    assert list(fig.layout.yaxis.categoryarray) == ["Väst", "Norr", "Syd", "Öst"]
    assert fig.layout.yaxis.autorange == "reversed"  # highest on top
    assert fig.data[-1].text == ("–",)
    assert fig.data[1].text == ("60 %",)
    assert fig.layout.legend.title.text == "Uppnått steg"
    assert fig.layout.xaxis.title.text == "Total mognad"
    en = overview_figure(frame, labels, CAT, "en")
    assert en.layout.legend.title.text == "Step reached"
    assert en.data[0].name == "Step 0 – Starting point"


# ---------------------------------------------------------------------------- point budget


def test_comparison_of_200_units_stays_within_the_point_budget():
    history = synthetic_history(200, 60)
    labels = {u: f"Enhet {u}" for u in range(1, 201)}
    for metric in ("maturity", "step_reached"):
        fig = comparison_figure(history, labels, "sv", metric=metric)
        assert len(fig.data) == 200
        assert {tr.name for tr in fig.data} == set(labels.values())
        assert 0 < point_count(fig) <= MAX_POINTS
        assert fig.layout.showlegend is False  # 200 names: in the hover, not a legend
        assert "Förenklad vy" in fig.layout.title.subtitle.text
        # each unit keeps its latest snapshot
        last = history.loc[history["unit_id"] == 5, "taken_at"].max()
        trace = next(tr for tr in fig.data if tr.name == "Enhet 5")
        assert pd.Timestamp(trace.x[-1]) == last


def test_comparison_of_thousands_of_units_is_capped():
    history = synthetic_history(1000, 6)
    fig = comparison_figure(history, {u: f"E{u}" for u in range(1, 1001)}, "en")
    assert point_count(fig) <= MAX_POINTS
    assert len(fig.data) == charts.MAX_COMPARED_UNITS
    assert "Showing 250 of 1,000 units" in fig.layout.title.subtitle.text


def test_overview_of_10000_units_shows_top_and_bottom():
    frame = overview_frame(10_000)
    labels = {u: f"Enhet {u}" for u in frame["unit_id"]}
    fig = overview_figure(frame, labels, CAT, "sv")
    assert point_count(fig) <= MAX_POINTS
    shown = list(fig.layout.yaxis.categoryarray)
    assert len(shown) == 2 * charts.OVERVIEW_EDGE
    assert shown[0] == "Enhet 10000" and shown[-1] == "Enhet 1"
    assert "De 25 högsta och 25 lägsta av 10\u00a0000 enheter" in fig.layout.title.subtitle.text
    en = overview_figure(frame, labels, CAT, "en")
    assert "The top 25 and bottom 25 of 10,000 units" in en.layout.title.subtitle.text
    small = overview_figure(overview_frame(10), labels, CAT, "sv")
    assert len(small.layout.yaxis.categoryarray) == 10
    assert not small.layout.title.subtitle.text


def test_progress_of_20000_snapshots_stays_within_the_point_budget():
    n = 20_000
    taken = pd.Timestamp("2020-01-01") + pd.to_timedelta(np.arange(n), unit="h")
    ramp = np.linspace(0, 1, n)
    history = pd.DataFrame(
        {
            "unit_id": 1,
            "snapshot_id": np.arange(n),
            "taken_at": taken,
            "completion_1": ramp,
            "completion_2": ramp,
            "completion_3": ramp,
            "maturity": ramp,
            "step_reached": (ramp * 3).astype(int),
        }
    )
    for fig in (progress_figure(history, CAT, "sv"), step_reached_figure(history, CAT, "sv")):
        assert 0 < point_count(fig) <= MAX_POINTS
        assert pd.Timestamp(fig.data[0].x[-1]) == taken[-1]  # the latest state is kept
        assert "Förenklad vy" in fig.layout.title.subtitle.text
    assert values(progress_figure(history, CAT, "sv").data[3].y)[-1] == pytest.approx(100.0)


def test_thin_keeps_the_latest_snapshot_per_period():
    history = synthetic_history(3, 60)  # monthly for 5 years
    assert len(thin(history, 10_000)) == 180  # fits: untouched
    assert "thinned_from" not in thin(history, 10_000).attrs
    out = thin(history, 90)  # 30 per unit: quarterly (20 per unit)
    assert out.groupby("unit_id").size().tolist() == [20, 20, 20]
    assert out.attrs["thinned_from"] == 180
    assert out["taken_at"].is_monotonic_increasing
    latest = out.groupby("unit_id")["taken_at"].max()
    assert (latest == history["taken_at"].max()).all()
    out = thin(history, 12, series=2)  # 2 rows per unit: finer than a year does not fit
    assert out.groupby("unit_id").size().max() <= 2
    with pytest.raises(ValueError):
        thin(history, 5, series=2)


# ---------------------------------------------------------------------------- with the store


@pytest.fixture
def chart_store(tmp_path: Path):
    s = Lartrappan(f"sqlite:///{tmp_path}/t.db")
    yield s
    s.close()


def test_figures_from_a_real_store(chart_store: Lartrappan):
    store = chart_store
    north = store.units.create(Actor(""), "Hemtjänst Norr")
    south = store.units.create(Actor(""), "Hemtjänst Syd")
    step1 = [p.id for p in CAT.practices_of(1)]
    base = datetime(2024, 1, 15, 9, 0)
    store.snapshots.save(Actor(""), north.id, taken_at=base)  # nothing started
    store.checklist.set_status(Actor(""), north.id, step1[0], D)
    store.checklist.set_status(Actor(""), north.id, step1[1], P)
    store.snapshots.save(Actor(""), north.id, taken_at=base + timedelta(days=60))
    for pid in step1:
        store.checklist.set_status(Actor(""), north.id, pid, D)
    store.snapshots.save(Actor(""), north.id, taken_at=base + timedelta(days=120))
    store.checklist.set_status(Actor(""), south.id, step1[0], D)
    store.snapshots.save(Actor(""), south.id, taken_at=base + timedelta(days=30))

    history = store.snapshots.history([north.id])
    fig = progress_figure(history, CAT, "sv")
    assert len(fig.data) == 4
    assert values(fig.data[0].y) == pytest.approx([0.0, 37.5, 100.0])
    assert values(fig.data[3].y) == pytest.approx([0.0, 15.0, 40.0])
    assert [pd.Timestamp(x) for x in fig.data[0].x] == [
        pd.Timestamp(base + timedelta(days=d)) for d in (0, 60, 120)
    ]
    assert list(step_reached_figure(history, CAT, "sv").data[0].y) == [0, 0, 1]

    both = store.snapshots.history([north.id, south.id])
    labels = {north.id: "Hemtjänst Norr", south.id: "Hemtjänst Syd"}
    fig = comparison_figure(both, labels, "sv")
    assert [tr.name for tr in fig.data] == ["Hemtjänst Norr", "Hemtjänst Syd"]
    assert values(fig.data[1].y) == pytest.approx([10.0])

    overview = store.snapshots.overview([north.id, south.id])
    fig = overview_figure(overview, labels, CAT, "en")
    assert list(fig.layout.yaxis.categoryarray) == ["Hemtjänst Norr", "Hemtjänst Syd"]
    assert {tr.meta["step"]: list(tr.x) for tr in fig.data} == {1: [40.0], 0: [10.0]}

    picture = staircase_svg(store.checklist.score(north.id), CAT, "sv", "Hemtjänst Norr")
    assert '<g data-role="position" data-step="1">' in picture

    empty = store.snapshots.history([store.units.create(Actor(""), "Ny enhet").id])
    assert annotation_texts(progress_figure(empty, CAT, "sv")) == [t("chart.empty", "sv")]


# ---------------------------------------------------------------------------- conventions


def all_figures() -> list[go.Figure]:
    h = history_frame()
    return [
        progress_figure(h, CAT, "sv"),
        step_reached_figure(h, CAT, "en"),
        comparison_figure(two_units(), {1: "A", 2: "B"}, "sv"),
        comparison_figure(two_units(), {1: "A", 2: "B"}, "en", metric="step_reached"),
        overview_figure(overview_frame(5), {}, CAT, "sv"),
    ]


def test_every_figure_follows_the_house_style():
    for fig in all_figures():
        # The light look of 'plotly_white' (white paper, pale grid), without its weight.
        assert fig.layout.template == TEMPLATE
        assert fig.layout.template.layout.plot_bgcolor == "white"
        assert len(fig.layout.template.to_plotly_json()["layout"]) < 10
        assert fig.layout.height and 360 <= fig.layout.height <= 1400
        assert all(tr.type in {"scatter", "bar"} for tr in fig.data)  # never WebGL
        assert fig.layout.font.size >= 13


def test_chart_labels_exist_in_both_languages_and_differ():
    keys = [k for k in strings() if k.startswith("chart.")]
    assert len(keys) >= 15
    for key in keys:
        assert strings()[key]["sv"].strip() and strings()[key]["en"].strip()
        if not re.sub(r"\{[^}]*\}|[\W_]|Lärtrappan", "", strings()[key]["sv"]):
            # only placeholders, punctuation and the product's name, which is not translated
            # ("{unit} {value} ({date})", "Lärtrappan – {unit}"): no words
            continue
        assert strings()[key]["sv"] != strings()[key]["en"], key


def test_charts_module_does_not_import_streamlit():
    source = Path(charts.__file__).read_text(encoding="utf-8")
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any(name.split(".")[0] == "streamlit" for name in imported)
    assert "Scattergl" not in source
