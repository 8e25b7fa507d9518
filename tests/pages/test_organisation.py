"""The organisation page in AppTest: each view of the roll-up, in Swedish and English, with
numbers that match the core's roll-up and the unit pages."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime

from staircase.domain.model import PracticeState, Status
from staircase.i18n import percent
from staircase.services import Actor, Lartrappan
from tests.pages.conftest import leaf

PAGE = "pages/organisation.py"
ANNA = Actor("Anna")


def unit_named(store: Lartrappan, name: str) -> int:
    return next(u.id for u in store.units.tree().units.values() if u.name == name)


def table_with(at, column: str):
    """The first table (its frame) with a column whose name ends with `column`."""
    for frame in [*at.dataframe, *at.table]:
        if any(str(c).endswith(column) for c in frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with a column {column!r}")


def pictures(at) -> list[tuple[str, str]]:
    """(SVG, text alternative) of every picture on the page."""
    out = []
    for image in at.get("image"):
        for img in image.proto.imgs:
            assert img.url.startswith("data:image/svg+xml;base64,")
            out.append((base64.b64decode(img.url.split(",", 1)[1]).decode("utf-8"), img.alt))
    return out


def shown(markdown: str) -> str:
    """A label as the reader sees it: the markdown escapes that keep names inert undone."""
    return re.sub(r"\\(.)", r"\1", markdown)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_municipality_opens_on_its_roll_up_with_the_distribution_now(
    open_page, demo_store: Lartrappan
):
    kommun = unit_named(demo_store, "Norrby kommun")
    at = open_page(None, kommun)  # the unit's own page: no page named
    assert at.title[0].value == "Organisationen"
    now = demo_store.rollup.of_unit(demo_store.units.tree(), kommun)
    shown = metrics(at)
    assert [int(shown[f"Steg {s}"]) for s in range(4)] == [
        now.distribution.steps[s] for s in range(4)
    ]
    assert sum(now.distribution.steps.values()) == 8
    assert shown["Mognad, medelvärde"] == f"{round(now.distribution.maturity_mean * 100)} %"


def test_the_distribution_over_time_is_a_picture_first_and_a_chart_on_request(
    open_page, demo_store: Lartrappan
):
    kommun = unit_named(demo_store, "Norrby kommun")
    at = open_page(PAGE, kommun)
    assert at.get("plotly_chart") == []  # no Plotly on the first view
    ((svg, alt),) = pictures(at)
    assert 'data-picture="distribution"' in svg
    assert alt.startswith("Enheter per steg vid slutet av varje period")
    assert "2026 K4: steg 0: 1, steg 1: 3, steg 2: 3, steg 3: 1" in alt  # now, as the metrics
    at.toggle(key="org_interactive").set_value(True).run()
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    step_bars = [t for t in figure["data"] if t["type"] == "bar"]
    assert len(step_bars) == 5  # steps 0-3 and "no snapshot yet"
    quarters = step_bars[0]["x"]
    assert len(quarters) == 8 and all(" K" in q for q in quarters)  # 24 months of quarters
    assert sum(bar["y"][-1] for bar in step_bars[:4]) == 8  # every assessed unit, now
    at.segmented_control(key="org_period_kind").set_value("tertial").run()
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert all(" T" in x for x in figure["data"][0]["x"])
    assert len(figure["data"][0]["x"]) == 6


def test_the_practices_come_weakest_first(open_page, demo_store: Lartrappan):
    kommun = unit_named(demo_store, "Norrby kommun")
    at = open_page(PAGE, kommun)
    table = table_with(at, "Vi får det att hända")
    done = table.columns[2]
    assert done.endswith("Vi får det att hända")
    assert len(table) == 10
    now = demo_store.rollup.of_unit(demo_store.units.tree(), kommun)
    scores = list(now.practices["score"])
    assert scores == sorted(scores)
    assert table[done].iloc[0] == percent(float(now.practices["done"].iloc[0]), "sv")


def test_the_heatmap_rolls_up_the_forvaltningar_then_opens_one_into_its_units(
    open_page, demo_store: Lartrappan
):
    kommun = unit_named(demo_store, "Norrby kommun")
    skola = unit_named(demo_store, "Barn- och utbildningsförvaltningen")
    at = open_page(PAGE, kommun)
    heat = table_with(at, "1.1")  # a Styler: its frame
    assert list(heat["Enhet"]) == sorted(heat["Enhet"])  # by name, the förvaltningar
    assert "Barn- och utbildningsförvaltningen" in set(heat["Enhet"])
    assert all(cell.endswith("%") or cell == "–" for cell in heat["1.1"])
    at.selectbox(key=f"org_group_{kommun}_sv").set_value(skola).run()
    heat = table_with(at, "1.1")
    assert "Björkskolan · Barn- och utbildningsförvaltningen" in set(heat["Enhet"])
    symbols = {cell.split(" ")[0] for column in ("1.1", "2.1", "3.1") for cell in heat[column]}
    assert symbols <= {"✓", "◐", "○", "–", "·"} and symbols & {"✓", "◐", "○"}
    at.selectbox(key="org_heatmap_sort_sv").set_value("maturity:asc").run()
    heat = table_with(at, "1.1")
    maturity = [int(m.rstrip(" %")) for m in heat["Mognad"] if m != "–"]
    assert maturity == sorted(maturity)


def test_a_forvaltning_whose_units_have_no_units_shows_unit_rows_at_once(
    open_page, demo_store: Lartrappan
):
    skola = unit_named(demo_store, "Barn- och utbildningsförvaltningen")
    at = open_page(PAGE, skola)
    assert f"org_group_{skola}_sv" not in [box.key for box in at.selectbox]
    heat = table_with(at, "1.1")
    assert any("Björkskolan" in name for name in heat["Enhet"])
    assert "Steg" in heat.columns and "Enheter" not in heat.columns


def test_movers_and_follow_up_list_units_as_links_to_their_pages(open_page, demo_store: Lartrappan):
    kommun = unit_named(demo_store, "Norrby kommun")
    quiet = leaf(demo_store, "Björkskolan")
    # Björkskolan falls back: a snapshot now, worse than its last one.
    demo_store.checklist.replace(
        ANNA,
        quiet,
        [
            PracticeState(p.id, Status.NOT_STARTED)
            for p in demo_store.practices.catalogue().practices
        ],
    )
    demo_store.snapshots.save(ANNA, quiet, "Anna", "Omtag")
    at = open_page(PAGE, kommun)
    links = at.get("page_link")
    labels = [shown(link.proto.label) for link in links]
    back = [label for label in labels if label.startswith("Björkskolan:")]
    assert back, labels
    assert all(link.proto.query_string.startswith("unit=") for link in links)
    # A new unit without any snapshot is listed for follow-up as never assessed.
    new = demo_store.units.create(ANNA, "Fritidsgården", kommun).id
    at = open_page(PAGE, kommun)
    stale = [link for link in at.get("page_link") if "(senast" in link.proto.label]
    assert [shown(link.proto.label) for link in stale] == ["Fritidsgården (senast aldrig)"]
    assert stale[0].proto.query_string.startswith(f"unit={new}&")


def test_a_unit_without_units_under_it_points_to_its_checklist_and_its_parent(
    open_page, demo_store: Lartrappan
):
    unit = leaf(demo_store, "Hemtjänst Norr")
    at = open_page(PAGE, unit)
    assert at.info and "inga enheter under sig" in at.info[0].value
    assert not at.get("plotly_chart")
    targets = [link.proto.page for link in at.get("page_link")]
    assert len(targets) == 2


def test_a_unit_that_also_assesses_itself_is_counted_and_says_so(open_page, demo_store: Lartrappan):
    kommun = unit_named(demo_store, "Norrby kommun")
    demo_store.snapshots.save(ANNA, kommun, "Anna", "", datetime(2026, 1, 15, 10, 0))
    at = open_page(PAGE, kommun)
    assert any("egna ögonblicksbilder" in info.value for info in at.info)
    assert sum(int(v) for k, v in metrics(at).items() if k.startswith("Steg ")) == 9


def test_the_page_speaks_english(open_page, demo_store: Lartrappan):
    kommun = unit_named(demo_store, "Norrby kommun")
    at = open_page(PAGE, kommun, lang="en")
    assert at.title[0].value == "The organisation"
    assert {"Step 0", "Maturity, mean"} <= set(metrics(at))
    ((svg, alt),) = pictures(at)
    assert "2026 Q4" in svg and alt.startswith("Units per step at the end of each period")
    assert table_with(at, "Making it happen").columns[2].endswith("Making it happen")


def test_the_roll_up_shows_the_current_state_per_area(open_page, demo_store: Lartrappan):
    from staircase.domain.assessment import AreaAnswer

    kommun = unit_named(demo_store, "Norrby kommun")
    area = demo_store.assessments.model.areas[1]
    before = demo_store.assessments.distribution(demo_store.units.tree(), kommun).table
    demo_store.assessments.save(  # the demo gives Förskolan Ekorren no assessment
        ANNA, leaf(demo_store, "Förskolan Ekorren"), {area.id: AreaAnswer("done", "")}, {}, {}
    )
    at = open_page(PAGE, kommun)
    assert "Nuläge per område" in [s.value for s in at.subheader]
    table = table_with(at, "Område")
    row = table.iloc[1]
    assert str(row.iloc[0]).startswith("2. ")
    assert row["Vi får det att hända"] == before.iloc[1]["done"] + 1
    assert row["Inte bedömt"] == before.iloc[1]["not_assessed"] - 1
