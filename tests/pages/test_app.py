"""The router: onboarding on an empty database, the language switch, the unit picker."""

import pytest
from streamlit.testing.v1 import AppTest

from staircase.services import Actor, Lartrappan
from tests.pages.conftest import APP, leaf


def test_empty_database_shows_onboarding_in_swedish(open_page):
    at = open_page()
    assert at.title[0].value == "Välkommen till Lärtrappan"
    labels = [b.label for b in at.button]
    assert "Skapa enheten" in labels and "Läs in exempeldata" in labels


def test_onboarding_creates_the_first_unit_and_opens_its_checklist(open_page, store: Lartrappan):
    at = open_page()
    at.text_input[0].set_value("Hemtjänst Norr")
    at.button(key="FormSubmitter:welcome_create_form-Skapa enheten").click().run()
    assert not at.exception
    assert [u.name for u in store.units.tree().ordered()] == ["Hemtjänst Norr"]
    assert at.title[0].value == "Checklista"
    assert len(at.main.segmented_control) == 10  # one status control per shipped practice


def test_onboarding_rejects_an_empty_name_and_creates_nothing(open_page, store: Lartrappan):
    at = open_page()
    at.text_input[0].set_value("   ")
    at.button(key="FormSubmitter:welcome_create_form-Skapa enheten").click().run()
    assert "Namnet får inte vara tomt." in at.error[0].value
    assert not store.units.any()
    assert at.title[0].value == "Välkommen till Lärtrappan"


def test_onboarding_loads_demo_data_and_shows_a_demo_units_checklist(open_page, store: Lartrappan):
    at = open_page()
    at.button(key="welcome_demo").click().run()
    assert not at.exception
    assert len(store.units.tree().units) >= 8
    assert at.title[0].value == "Checklista"
    unit_id = at.session_state["unit"]
    assert not store.units.tree().children(unit_id)  # a unit with history, not the municipality
    assert store.snapshots.of_unit(unit_id)


def test_language_switch_translates_navigation_and_page(open_page, demo_store: Lartrappan):
    at = open_page(unit_id=leaf(demo_store, "Hemtjänst Norr"))
    assert at.title[0].value == "Checklista"
    at.sidebar.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == "Checklist"
    assert [m.label for m in at.metric][:2] == ["Step reached", "Overall maturity"]
    status_options = at.segmented_control[0].options
    assert any("Making it happen" in o for o in status_options)
    at.sidebar.segmented_control(key="lang").set_value("sv").run()
    assert at.title[0].value == "Checklista"
    assert any("Vi får det att hända" in o for o in at.segmented_control[0].options)


# ---------------------------------------------------------------- links: ?unit=<id>&lang=


def _second_organisation(store: Lartrappan) -> tuple[int, int]:
    """Söderby kommun with one school, beside the demo's Norrby kommun: (its id, the school's)."""
    soderby = store.units.create(Actor(""), "Söderby kommun")
    return soderby.id, store.units.create(Actor(""), "Skola Syd", soderby.id).id


def _opened(query: dict[str, str]) -> AppTest:
    """A fresh session opening the app at `/?<query>`."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_link_opens_a_unit_of_another_organisation_in_its_language(demo_store: Lartrappan):
    soderby, school = _second_organisation(demo_store)
    at = _opened({"unit": str(school), "lang": "en"})
    assert at.session_state["unit"] == school
    assert at.sidebar.selectbox(key="organisation").value == soderby
    assert at.sidebar.selectbox(key="unit").value == school
    assert at.title[0].value == "Checklist"
    assert at.query_params == {"unit": str(school), "lang": "en"}


def test_the_address_follows_what_the_session_shows(demo_store: Lartrappan):
    _, school = _second_organisation(demo_store)
    at = _opened({"unit": str(school), "lang": "en"})
    hemtjanst = leaf(demo_store, "Hemtjänst Norr")
    at.sidebar.selectbox(key="organisation").set_value(demo_store.units.tree().root_of(hemtjanst))
    at.run()
    at.sidebar.selectbox(key="unit").set_value(hemtjanst).run()
    at.sidebar.segmented_control(key="lang").set_value("sv").run()
    assert at.session_state["unit"] == hemtjanst  # the old link in the address no longer wins
    assert at.query_params == {"unit": str(hemtjanst), "lang": "sv"}


@pytest.mark.parametrize(
    ("unit", "lang"),
    [("abc", "xx"), ("999999", "EN"), ("<script>", "<img src=x>"), ("9" * 3000, "sv" * 1500)],
)
def test_a_bad_link_opens_the_first_unit_in_swedish_and_is_replaced(
    demo_store: Lartrappan, unit: str, lang: str
):
    at = _opened({"unit": unit, "lang": lang})
    first = demo_store.units.tree().roots()[0].id
    # The first unit is the municipality: it opens on its roll-up.
    assert at.session_state["unit"] == first and at.title[0].value == "Organisationen"
    assert at.query_params == {"unit": str(first), "lang": "sv"}


def test_a_link_to_an_archived_unit_opens_the_first_unit(demo_store: Lartrappan):
    _, school = _second_organisation(demo_store)
    demo_store.units.set_archived(Actor(""), school, True)
    at = _opened({"unit": str(school)})
    assert at.session_state["unit"] == demo_store.units.tree().roots()[0].id


def test_a_link_into_an_empty_database_opens_the_onboarding_in_its_language(store: Lartrappan):
    at = _opened({"unit": "1", "lang": "en"})
    assert at.title[0].value == "Welcome to Lärtrappan"
    assert at.query_params == {"lang": "en"}  # no unit to link to yet
