"""Progress page: the staircase and the history as pictures first, the interactive charts
(comparison, overview, and the history on request) in tabs that run only when open; checked
in the pictures' text alternatives and the figure JSON."""

import base64
import json
from datetime import date

from streamlit.testing.v1 import AppTest

from staircase.services import Actor, Lartrappan
from tests.pages.conftest import leaf

PAGE = "pages/progress.py"


def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def pictures(at) -> list[tuple[str, str]]:
    """(SVG, text alternative) of every picture on the page."""
    out = []
    for image in at.get("image"):
        for img in image.proto.imgs:
            assert img.url.startswith("data:image/svg+xml;base64,")
            svg = base64.b64decode(img.url.split(",", 1)[1]).decode("utf-8")
            out.append((svg, img.alt))
    return out


def open_tab(at: AppTest, label: str) -> AppTest:
    at.session_state["prog_tab"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def named(figure: dict, name: str) -> dict:
    return next(trace for trace in figure["data"] if trace.get("name") == name)


def test_first_view_draws_pictures_and_no_chart(open_page, demo_store: Lartrappan):
    unit_id = leaf(demo_store, "Hemtjänst Norr")
    at = open_page(PAGE, unit_id)
    assert figures(at) == []  # no Plotly on the first view: it alone costs over 2x a page
    assert [tab.label for tab in at.tabs] == ["Över tid", "Jämför enheter", "Översikt"]
    (staircase, alt), (progress, progress_alt), (steps, steps_alt) = pictures(at)
    assert 'data-picture="staircase"' in staircase and "Hemtjänst Norr" in staircase
    assert alt.startswith("Lärtrappan – Hemtjänst Norr.")
    assert 'data-picture="progress"' in progress and 'data-picture="step_reached"' in steps
    snapshots = demo_store.snapshots.of_unit(unit_id)
    assert f"{len(snapshots)} ögonblicksbilder" in progress_alt
    assert steps_alt.startswith("Uppnått steg över tid.")
    assert at.dataframe.len == 0 and at.multiselect.len == 0  # the other tabs did not run


def test_interactive_history_has_one_point_per_snapshot_per_line(open_page, demo_store):
    unit_id = leaf(demo_store, "Hemtjänst Norr")
    snapshots = demo_store.snapshots.of_unit(unit_id)
    at = open_page(PAGE, unit_id)
    at.toggle(key="prog_interactive").set_value(True).run()
    progress, steps = figures(at)
    ((staircase, _),) = pictures(at)  # the history pictures gave way to the charts
    assert 'data-picture="staircase"' in staircase
    maturity = named(progress, "Total mognad")
    assert len(maturity["x"]) == len(snapshots)
    history = demo_store.snapshots.history([unit_id])
    assert maturity["y"] == [m * 100 for m in history["maturity"]]
    assert list(steps["data"][0]["y"]) == list(history["step_reached"])
    charts = at.get("plotly_chart")
    assert charts[0].proto.alt.startswith("Utveckling per steg över tid.")  # the pictures' alts
    assert charts[1].proto.alt.startswith("Uppnått steg över tid.")
    # the choice stays while the user looks at another tab
    open_tab(at, "Översikt")
    open_tab(at, "Över tid")
    assert len(figures(at)) == 2


def test_comparison_draws_one_line_per_chosen_unit(open_page, demo_store: Lartrappan):
    a, b = leaf(demo_store, "Björkskolan"), leaf(demo_store, "Anhörigstödet")
    at = open_tab(open_page(PAGE, a), "Jämför enheter")
    root = demo_store.units.tree().root_of(a)
    at.multiselect(key=f"prog_compare_{root}").set_value([a, b]).run()
    (comparison,) = figures(at)
    lines = [t for t in comparison["data"] if t.get("x")]
    assert len(lines) == 2
    assert {len(t["x"]) for t in lines} == {
        len(demo_store.snapshots.of_unit(a)),
        len(demo_store.snapshots.of_unit(b)),
    }
    at.segmented_control(key="prog_metric").set_value("step_reached").run()
    (comparison,) = figures(at)
    assert max(max(t["y"]) for t in comparison["data"] if t.get("y")) <= 3
    # the choice stays while the user looks at another tab
    open_tab(at, "Över tid")
    open_tab(at, "Jämför enheter")
    assert at.multiselect(key=f"prog_compare_{root}").value == [a, b]
    assert at.segmented_control(key="prog_metric").value == "step_reached"


def test_overview_covers_the_units_siblings(open_page, demo_store: Lartrappan):
    unit_id = leaf(demo_store, "Björkskolan")
    at = open_tab(open_page(PAGE, unit_id), "Översikt")
    table = at.table[-1].value  # the chart's figures: every unit, with or without snapshots
    assert len(table) == 4  # the administration and its three units
    assert table["Enhet"].str.contains("Björkskolan").any()
    (overview,) = figures(at)
    bars = {y for trace in overview["data"] for y in trace["y"]}
    assert len(bars) == 3 and any("Björkskolan" in y for y in bars)  # units with snapshots


def test_chart_labels_follow_the_language(open_page, demo_store: Lartrappan):
    unit_id = leaf(demo_store, "Hemtjänst Norr")
    swedish = pictures(open_page(PAGE, unit_id))[1]
    english_page = open_page(PAGE, unit_id, lang="en")
    english = pictures(english_page)[1]
    assert "Total mognad" in swedish[0] and "Total mognad" not in english[0]
    assert "Overall maturity" in english[0] and "Overall maturity" in english[1]
    assert [tab.label for tab in english_page.tabs] == ["Over time", "Compare units", "Overview"]


def test_a_unit_without_snapshots_still_renders(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Tom enhet")
    at = open_page(PAGE, unit.id)
    assert len(pictures(at)) == 3
    for tab in ("Jämför enheter", "Översikt"):
        assert len(figures(open_tab(at, tab))) == 1


def test_switching_to_another_organisation_after_comparing_shows_its_own_units(
    open_page, demo_store: Lartrappan
):
    a, b = leaf(demo_store, "Björkskolan"), leaf(demo_store, "Anhörigstödet")
    norrby = demo_store.units.tree().root_of(a)
    other = demo_store.units.create(Actor(""), "Söderby kommun")
    demo_store.units.create(Actor(""), "Hamnskolan", other.id)
    at = open_tab(open_page(PAGE, a), "Jämför enheter")
    at.multiselect(key=f"prog_compare_{norrby}").set_value([a, b]).run()
    at.sidebar.selectbox(key="organisation").set_value(other.id).run()
    assert not at.exception
    compare = at.multiselect(key=f"prog_compare_{other.id}")
    assert set(compare.options) == {"Söderby kommun", "Hamnskolan · Söderby kommun"}
    assert not set(compare.value) & {a, b}


def expander_tables(at: AppTest, label: str) -> list:
    """The tables inside the expanders labelled `label`: a chart's figures."""
    return [
        table.value
        for expander in at.expander
        if expander.label == label
        for table in expander.table
    ]


def captions(at: AppTest) -> list[str]:
    return [c.value.replace("\\", "") for c in at.caption]  # unescaped (unit names are)


def test_every_chart_has_a_sentence_beside_it_and_its_figures_as_a_table(
    open_page, demo_store: Lartrappan
):
    """WCAG 1.1.1: what each chart shows, in words a screen reader reads and in a plain
    table (HTML, not a canvas), whichever way the chart is drawn."""
    unit_id = leaf(demo_store, "Björkskolan")
    snapshots = demo_store.snapshots.of_unit(unit_id)
    at = open_page(PAGE, unit_id)
    said = captions(at)
    score = demo_store.checklist.score(unit_id)
    assert any(c.startswith(f"Uppnått steg {score.step_reached} av 3, total mognad") for c in said)
    assert any(c.startswith(f"{len(snapshots)} ögonblicksbilder från") for c in said)
    (staircase,) = expander_tables(at, "Diagrammets siffror")
    assert len(staircase) == 3 and "Arbetssätt: Vi får det att hända" in staircase.columns
    (history,) = expander_tables(at, "Diagrammens siffror")
    assert len(history) == len(snapshots)
    assert list(history.columns)[-2:] == ["Total mognad", "Uppnått steg"]
    # The interactive charts keep both.
    at.toggle(key="prog_interactive").set_value(True).run()
    assert any(c.startswith(f"{len(snapshots)} ögonblicksbilder från") for c in captions(at))
    assert len(expander_tables(at, "Diagrammens siffror")[0]) == len(snapshots)

    # The comparison: each unit's latest value in the sentence, every point in the table,
    # and the sentence as the chart's own alt.
    other = leaf(demo_store, "Anhörigstödet")
    open_tab(at, "Jämför enheter")
    root = demo_store.units.tree().root_of(unit_id)
    at.multiselect(key=f"prog_compare_{root}").set_value([unit_id, other]).run()
    (sentence,) = [c for c in captions(at) if "senaste värde" in c]
    assert sentence.startswith("Total mognad per enhet över tid, 2 enheter, senaste värde: ")
    assert "Björkskolan" in sentence and "Anhörigstödet" in sentence
    assert at.get("plotly_chart")[0].proto.alt.replace("\\", "") == sentence
    _, points = expander_tables(at, "Diagrammets siffror")
    assert len(points) == len(snapshots) + len(demo_store.snapshots.of_unit(other))
    assert list(points.columns) == ["Enhet", "Datum", "Total mognad"]
    at.segmented_control(key="prog_metric").set_value("step_reached").run()
    assert any(c.startswith("Uppnått steg per enhet över tid, 2 enheter") for c in captions(at))
    assert list(expander_tables(at, "Diagrammets siffror")[1].columns)[-1] == "Uppnått steg"

    # The overview: how many units have a snapshot, the highest and the lowest.
    open_tab(at, "Översikt")
    (sentence,) = [c for c in captions(at) if "har en ögonblicksbild" in c]
    assert sentence.startswith("3 av 4 enheter har en ögonblicksbild; högst total mognad har ")
    assert at.get("plotly_chart")[0].proto.alt.replace("\\", "") == sentence
    assert len(expander_tables(at, "Diagrammets siffror")[1]) == 4


def test_the_organisations_chart_has_a_sentence_and_its_figures_as_a_table(
    open_page, demo_store: Lartrappan
):
    root = demo_store.units.tree().roots()[0].id
    at = open_page("pages/organisation.py", root)
    assert any(c.startswith("Enheter per steg vid slutet av varje period") for c in captions(at))
    (table,) = expander_tables(at, "Diagrammets siffror")
    assert len(table) > 1 and "Period" in table.columns


def test_the_staircase_sentence_names_the_units_target(open_page, demo_store: Lartrappan):
    unit_id = leaf(demo_store, "Björkskolan")
    demo_store.targets.set(Actor(""), unit_id, 3, date(2030, 6, 30))
    at = open_page(PAGE, unit_id)
    (sentence,) = [c for c in captions(at) if c.startswith("Uppnått steg")]
    assert sentence.endswith("Mål: steg 3 senast 2030-06-30.")
