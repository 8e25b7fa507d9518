"""The router: onboarding on an empty database, the language switch, the unit picker."""

from staircase.services import Lartrappan
from tests.pages.conftest import leaf


def test_empty_database_shows_onboarding_in_swedish(open_page):
    at = open_page()
    assert at.title[0].value == "Välkommen till Lärtrappan"
    labels = [b.label for b in at.button]
    assert "Skapa enheten" in labels and "Läs in demodata" in labels


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
