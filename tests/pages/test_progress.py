"""Progress page: the staircase and the history as pictures first, the interactive charts
(comparison, overview, and the history on request) in tabs that run only when open; checked
in the pictures' text alternatives and the figure JSON."""

import base64
import json

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
    table = at.dataframe[0].value
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
