"""The plan beyond the checklist: the organisation page's overdue actions, and the plan CSV's
download and upload on the data page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from staircase.domain.moments import now
from staircase.services import Actor, Lartrappan
from tests.pages.conftest import leaf
from tests.pages.test_untrusted_text import IMG, offences

P1 = "s1-goal-linked"


@pytest.fixture
def downloads(monkeypatch) -> list:
    """What the download buttons would send: (file name, deferred callable), as registered."""
    captured: list = []
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured.append((file_name, data_callable))
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return captured


def test_the_organisation_lists_its_overdue_actions_with_a_summary(
    open_page, demo_store: Lartrappan
):
    today = now().date()
    school = leaf(demo_store, "Björkskolan")
    care = leaf(demo_store, "Hemtjänst Norr")
    demo_store.plans.set_action(Actor(""), school, P1, "Skolans försenade")
    demo_store.plans.set_due(Actor(""), school, P1, today - timedelta(days=10))
    demo_store.plans.set_owner(Actor(""), school, P1, IMG)
    demo_store.checklist.set_status(Actor(""), school, P1, "in_progress")  # open
    demo_store.plans.set_action(Actor(""), care, P1, "I dag: inte försenad än")
    demo_store.plans.set_due(Actor(""), care, P1, today)
    demo_store.checklist.set_status(Actor(""), care, P1, "in_progress")
    top = next(u.id for u in demo_store.units.tree().roots() if u.name == "Norrby kommun")
    at = open_page("pages/organisation.py", top)
    assert not at.exception
    assert any(s.value == "Försenade åtgärder" for s in at.subheader)
    table = next(t.value for t in at.table if "Nästa åtgärd" in t.value.columns)
    assert list(table["Nästa åtgärd"]) == ["Skolans försenade"]
    assert list(table["Läge"]) == ["Försenad"]
    assert "Björkskolan" in table["Enhet"][0]
    assert any("1 försenade åtgärder i 1 enheter" in c.value for c in at.caption)
    assert offences(at) == []


def test_no_overdue_actions_says_so(open_page, demo_store: Lartrappan):
    top = next(u.id for u in demo_store.units.tree().roots() if u.name == "Norrby kommun")
    at = open_page("pages/organisation.py", top, lang="en")
    assert any(c.value.startswith("No overdue actions today") for c in at.caption)


def test_the_data_page_downloads_the_plan_of_the_chosen_scope(
    open_page, demo_store: Lartrappan, downloads
):
    unit_id = leaf(demo_store, "Björkskolan")
    demo_store.plans.set_owner(Actor(""), unit_id, P1, "Karin Ek")
    at = open_page("pages/data.py", unit_id)
    assert not [d for d in downloads if "plan" in (d[0] or "")]  # closed: nothing made
    at.session_state["data_plan"] = True
    at.run()
    file_name, make = next(d for d in reversed(downloads) if "plan" in (d[0] or ""))
    assert file_name.startswith("lartrappan-plan-bjorkskolan-") and file_name.endswith(".csv")
    header, *rows = make().decode("utf-8").splitlines()
    assert header == "unit_path,practice_id,practice_title,owner,due,next_action"
    assert len(rows) == 10 and ",Karin Ek,," in rows[0]


def test_the_data_page_imports_owners_in_bulk(open_page, demo_store: Lartrappan):
    unit_id = leaf(demo_store, "Björkskolan")
    path = demo_store.units.tree().label(unit_id)
    data = f"unit_path;practice_id;owner\n{path};{P1};Karin Ek\n{path};s2-performance;Bo\n"
    at = open_page("pages/data.py", unit_id)
    at.session_state["data_plan"] = True
    at.run()
    at.file_uploader(key="data_plan_upload").set_value(("agare.csv", data.encode(), "text/csv"))
    at.session_state["data_plan"] = True
    at.run()
    at.session_state["data_plan"] = True
    at.button(key="data_plan_import").click().run()
    assert not at.exception
    assert "planen ändrades för 2 arbetssätt" in at.success[0].value
    plans = demo_store.plans.of_unit(unit_id)
    assert (plans.of(P1).item.owner, plans.of("s2-performance").item.owner) == ("Karin Ek", "Bo")


def test_the_data_page_refuses_a_bad_plan_file_whole(open_page, demo_store: Lartrappan):
    unit_id = leaf(demo_store, "Björkskolan")
    path = demo_store.units.tree().label(unit_id)
    data = f"unit_path,practice_id,due\n{path},{P1},2027-01-01\n{path},s2-performance,i morgon\n"
    at = open_page("pages/data.py", unit_id)
    at.session_state["data_plan"] = True
    at.run()
    at.file_uploader(key="data_plan_upload").set_value(("plan.csv", data.encode(), "text/csv"))
    at.session_state["data_plan"] = True
    at.run()
    at.session_state["data_plan"] = True
    at.button(key="data_plan_import").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "plan.csv" in errors and "Rad 3, kolumn due" in errors
    assert demo_store.plans.of_unit(unit_id).plans == {}


def test_a_long_overdue_list_shows_the_oldest_and_says_how_many_more(
    open_page, store: Lartrappan, monkeypatch
):
    from staircase.ui import plan as plan_ui

    monkeypatch.setattr(plan_ui, "OVERDUE_SHOWN", 2)
    top = store.units.create(Actor(""), "Norrby kommun").id
    for i in range(3):
        unit = store.units.create(Actor(""), f"Enhet {i}", top).id
        store.plans.set_action(Actor(""), unit, P1, f"Åtgärd {i}")
        store.plans.set_due(Actor(""), unit, P1, now().date() - timedelta(days=10 - i))
    at = open_page("pages/organisation.py", top)
    table = next(t.value for t in at.table if "Nästa åtgärd" in t.value.columns)
    assert list(table["Nästa åtgärd"]) == ["Åtgärd 0", "Åtgärd 1"]
    assert any("1 till är försenade" in c.value for c in at.caption)
