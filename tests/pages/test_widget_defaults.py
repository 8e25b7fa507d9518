"""The widgets saved as typed carry the stored value as their default.

The browser falls back to a widget's default when it redraws a widget whose value it has
lost, and sends that default with the next change anywhere in the fragment. With Streamlit
1.67 this happened when a plan's expander was opened (a fragment rerun) in about half of
the tries in tests/browser/test_plan.py: the row above it then sent an empty note and no
status with the next keystroke's rerun, and the practice's note was erased in the database
(audit: a `state.note` change to "" that nobody made). With the stored value as the default
such a fallback changes nothing (staircase.ui.widgets.show_stored). The sidebar likewise: its
unit picker's default was the first unit, Norrby kommun, which is what a whole-suite run of
the English progress journey showed instead of the unit the demo opened on. These tests fail
if a widget loses that default again; tests/browser/test_plan.py shows the whole case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from streamlit.testing.v1 import AppTest

from staircase.domain.model import Status
from staircase.services import Actor, Lartrappan
from staircase.ui.context import LANG_KEY, UNIT_KEY, USER_KEY
from tests.pages.test_checklist_plan import opened

P1, P2 = "s1-goal-linked", "s1-anytime-anywhere"


def chosen(at: AppTest, key: str) -> list[str]:
    """A segmented control's default, as the labels of the options it picks."""
    control = next(e for e in at.get("button_group") if e.proto.id.endswith(key))
    options = [option.content for option in control.proto.options]
    return [options[i] for i in control.proto.default]


def test_the_checklist_rows_default_to_the_stored_note_and_status(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Norr").id
    store.checklist.set_status(Actor(""), unit, P1, Status.IN_PROGRESS, note="Mål finns")
    at = open_page("pages/checklist.py", unit)
    assert at.text_area(key=f"chk_{unit}_{P1}_note").proto.default == "Mål finns"
    assert chosen(at, f"chk_{unit}_{P1}_status") == ["◐ På väg"]
    # A practice never touched: its default is the stored "not started", never no choice.
    assert at.text_area(key=f"chk_{unit}_{P2}_note").proto.default == ""
    assert chosen(at, f"chk_{unit}_{P2}_status") == ["○ I startblocken"]
    # After a save, the next run's default is the new stored value.
    at.text_area(key=f"chk_{unit}_{P1}_note").set_value("Mål finns för alla").run()
    assert at.text_area(key=f"chk_{unit}_{P1}_note").proto.default == "Mål finns för alla"


def test_an_open_plan_defaults_to_the_stored_owner_due_date_and_action(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Björkskolan").id
    store.plans.set_owner(Actor(""), unit, P1, "Karin Ek")
    store.plans.set_due(Actor(""), unit, P1, date(2027, 3, 31))
    store.plans.set_action(Actor(""), unit, P1, "Boka APT")
    at = opened(open_page("pages/checklist.py", unit), unit, P1)
    assert at.text_input(key=f"plan_{unit}_{P1}_owner").proto.default == "Karin Ek"
    assert list(at.date_input(key=f"plan_{unit}_{P1}_due").proto.default) == ["2027-03-31"]
    assert at.text_area(key=f"plan_{unit}_{P1}_action").proto.default == "Boka APT"


def test_the_handbook_defaults_to_the_stored_vision_answers_ambassadors_and_ticks(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Norr").id
    store.handbook.set_vision(Actor(""), unit, "Vi lär av varandra.")
    store.handbook.set_answer(Actor(""), unit, "learning-at-every-level", "Varje månad.")
    karin = store.handbook.add_ambassador(Actor(""), unit, "Karin Ek", "Handledare")
    store.handbook.check(Actor(""), unit, "safe-climate", True)
    at = open_page("pages/handbook.py", unit)
    assert at.text_area(key=f"hb_{unit}_vision").proto.default == "Vi lär av varandra."
    assert at.text_area(key=f"hb_{unit}_learning-at-every-level").proto.default == "Varje månad."
    assert at.text_input(key=f"hb_{unit}_amb_{karin.id}_name").proto.default == "Karin Ek"
    assert at.text_input(key=f"hb_{unit}_amb_{karin.id}_role").proto.default == "Handledare"
    assert at.checkbox(key=f"hb_{unit}_point_safe-climate").proto.default is True


def test_the_sidebar_defaults_to_the_chosen_unit_language_and_name(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    from staircase.services.demo import load_demo
    from tests.pages.conftest import leaf

    load_demo(store)
    unit = leaf(store, "Solgårdens särskilda boende")
    at = open_page("pages/checklist.py", unit, lang="en", user="Karin Ek")
    picker = at.selectbox(key=UNIT_KEY)
    assert picker.options[picker.proto.default] == picker.format_func(unit)
    assert chosen(at, LANG_KEY) == ["English"]
    assert at.text_input(key=USER_KEY).proto.default == "Karin Ek"
