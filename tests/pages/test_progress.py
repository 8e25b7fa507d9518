"""Progress page: staircase, history, comparison and overview, checked in the figure JSON."""

import json

from staircase.services import Actor, Lartrappan
from tests.pages.conftest import leaf

PAGE = "pages/progress.py"


def figures(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def named(figure: dict, name: str) -> dict:
    return next(trace for trace in figure["data"] if trace.get("name") == name)


def test_unit_history_has_one_point_per_snapshot_per_line(open_page, demo_store: Lartrappan):
    unit_id = leaf(demo_store, "Hemtjänst Norr")
    snapshots = demo_store.snapshots.of_unit(unit_id)
    at = open_page(PAGE, unit_id)
    staircase, progress, steps, _comparison, _overview = figures(at)
    maturity = named(progress, "Total mognad")
    assert len(maturity["x"]) == len(snapshots)
    history = demo_store.snapshots.history([unit_id])
    assert maturity["y"] == [m * 100 for m in history["maturity"]]
    step_line = steps["data"][0]
    assert list(step_line["y"]) == list(history["step_reached"])
    assert "Hemtjänst Norr" in json.dumps(staircase, ensure_ascii=False)


def test_comparison_draws_one_line_per_chosen_unit(open_page, demo_store: Lartrappan):
    a, b = leaf(demo_store, "Björkskolan"), leaf(demo_store, "Anhörigstödet")
    at = open_page(PAGE, a)
    root = demo_store.units.tree().root_of(a)
    at.multiselect(key=f"prog_compare_{root}").set_value([a, b]).run()
    comparison = figures(at)[3]
    lines = [t for t in comparison["data"] if t.get("x")]
    assert len(lines) == 2
    assert {len(t["x"]) for t in lines} == {
        len(demo_store.snapshots.of_unit(a)),
        len(demo_store.snapshots.of_unit(b)),
    }
    at.segmented_control(key="prog_metric").set_value("step_reached").run()
    comparison = figures(at)[3]
    assert max(max(t["y"]) for t in comparison["data"] if t.get("y")) <= 3


def test_overview_covers_the_units_siblings(open_page, demo_store: Lartrappan):
    unit_id = leaf(demo_store, "Björkskolan")
    at = open_page(PAGE, unit_id)
    table = at.dataframe[0].value
    assert len(table) == 4  # the administration and its three units
    assert table["Enhet"].str.contains("Björkskolan").any()


def test_chart_labels_follow_the_language(open_page, demo_store: Lartrappan):
    unit_id = leaf(demo_store, "Hemtjänst Norr")
    swedish = json.dumps(figures(open_page(PAGE, unit_id))[1], ensure_ascii=False)
    english = json.dumps(figures(open_page(PAGE, unit_id, lang="en"))[1], ensure_ascii=False)
    assert "Total mognad" in swedish and "Total mognad" not in english
    assert "Overall maturity" in english


def test_a_unit_without_snapshots_still_renders(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Tom enhet")
    at = open_page(PAGE, unit.id)
    assert len(figures(at)) == 5


def test_switching_to_another_organisation_after_comparing_shows_its_own_units(
    open_page, demo_store: Lartrappan
):
    a, b = leaf(demo_store, "Björkskolan"), leaf(demo_store, "Anhörigstödet")
    norrby = demo_store.units.tree().root_of(a)
    other = demo_store.units.create(Actor(""), "Söderby kommun")
    demo_store.units.create(Actor(""), "Hamnskolan", other.id)
    at = open_page(PAGE, a)
    at.multiselect(key=f"prog_compare_{norrby}").set_value([a, b]).run()
    at.sidebar.selectbox(key="organisation").set_value(other.id).run()
    assert not at.exception
    compare = at.multiselect(key=f"prog_compare_{other.id}")
    assert set(compare.options) == {"Söderby kommun", "Hamnskolan · Söderby kommun"}
    assert not set(compare.value) & {a, b}
