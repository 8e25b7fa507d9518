"""The improvement plan on the checklist: owner, due date and next action saved per field,
conflicts, evidence links shown as text and opened only by a button, the open actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from streamlit.testing.v1 import AppTest

from staircase.domain.model import Status
from staircase.domain.moments import now
from staircase.services import Actor, Lartrappan
from tests.pages.test_untrusted_text import IMG, LINK, PICTURE, offences, shown

PAGE = "pages/checklist.py"
P1, P2 = "s1-goal-linked", "s2-performance"


def key(unit_id: int, practice_id: str, part: str) -> str:
    return f"plan_{unit_id}_{practice_id}_{part}"


def opened(at: AppTest, unit_id: int, practice_id: str) -> AppTest:
    """The practice's plan open, as a click on its expander opens it. (AppTest does not send
    an expander's state back: every run of a test opens it again.)"""
    at.session_state[key(unit_id, practice_id, "open")] = True
    return at.run()


def test_the_plan_runs_only_when_opened_and_shows_a_summary_when_closed(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Norr").id
    store.plans.set_owner(Actor(""), unit, P1, "Karin Ek")
    store.plans.set_action(Actor(""), unit, P1, "Boka APT")
    store.plans.set_due(Actor(""), unit, P1, now().date() - timedelta(days=1))
    # A practice ticked off has no open action: its passed date is no longer late.
    store.plans.set_action(Actor(""), unit, P2, "Gjort")
    store.plans.set_due(Actor(""), unit, P2, now().date() - timedelta(days=1))
    store.checklist.set_status(Actor(""), unit, P2, Status.DONE)
    at = open_page(PAGE, unit)
    labels = [e.label for e in at.expander if e.label == "Förbättringsplan"]
    assert len(labels) == len(store.practices.catalogue().practices)
    summaries = [c.value for c in at.caption if c.value.startswith("Förbättringsplan: ")]
    assert summaries[0].startswith("Förbättringsplan: Karin Ek · försenad, skulle vara klar")
    assert "klart senast" in summaries[1] and "försenad" not in summaries[1]
    assert not [t for t in at.text_input if (t.key or "").startswith("plan_")]
    opened(at, unit, P1)
    assert at.text_input(key=key(unit, P1, "owner")).value == "Karin Ek"
    assert at.text_area(key=key(unit, P1, "action")).value == "Boka APT"


def test_owner_due_and_action_are_saved_per_field_and_shown_again(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Björkskolan").id
    at = open_page(PAGE, unit, user="Karin Ek")
    opened(at, unit, P1).text_input(key=key(unit, P1, "owner")).set_value("Ahmed Hassan").run()
    item = store.plans.of_unit(unit).of(P1).item
    assert (item.owner, item.due, item.action, item.updated_by) == (
        "Ahmed Hassan",
        None,
        "",
        "Karin Ek",
    )
    opened(at, unit, P1).date_input(key=key(unit, P1, "due")).set_value(date(2027, 3, 31)).run()
    opened(at, unit, P1).text_area(key=key(unit, P1, "action")).set_value("Boka APT").run()
    item = store.plans.of_unit(unit).of(P1).item
    assert (item.owner, item.due, item.action) == ("Ahmed Hassan", date(2027, 3, 31), "Boka APT")
    assert not at.exception and not at.error
    # Cleared: the date input is clearable.
    opened(at, unit, P1).date_input(key=key(unit, P1, "due")).set_value(None).run()
    assert store.plans.of_unit(unit).of(P1).item.due is None
    # A fresh session (a reload) shows what was saved.
    again = opened(open_page(PAGE, unit), unit, P1)
    assert again.text_input(key=key(unit, P1, "owner")).value == "Ahmed Hassan"
    assert again.text_area(key=key(unit, P1, "action")).value == "Boka APT"
    assert any("Planen ändrad" in c.value and "Karin Ek" in c.value for c in again.caption)


def test_a_refused_owner_keeps_what_was_typed_and_says_why(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Skola").id
    at = opened(open_page(PAGE, unit), unit, P1)
    at.text_input(key=key(unit, P1, "owner")).set_value("Karin\tEk").run()
    opened(at, unit, P1)
    assert any("styrtecken" in e.value for e in at.error)
    assert at.text_input(key=key(unit, P1, "owner")).value == "Karin\tEk"
    assert store.plans.of_unit(unit).plans == {}


def test_a_field_a_colleague_changed_meanwhile_is_not_overwritten_and_mine_is_kept(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Söder").id
    anna = opened(open_page(PAGE, unit, user="Anna"), unit, P1)
    store.plans.set_action(Actor("Bo"), unit, P1, "Bos åtgärd")  # after Anna's page loaded

    anna.text_input(key=key(unit, P1, "owner")).set_value("Anna").run()
    opened(anna, unit, P1)
    assert store.plans.of_unit(unit).of(P1).item.owner == ""  # not saved
    warning = " ".join(w.value for w in anna.warning)
    assert "Bo" in warning and "sparades inte" in warning
    assert anna.text_input(key=key(unit, P1, "owner")).value == "Anna"  # nothing lost
    assert anna.text_area(key=key(unit, P1, "action")).value == "Bos åtgärd"  # theirs shown

    anna.button(key=key(unit, P1, "keep")).click().run()
    opened(anna, unit, P1)
    item = store.plans.of_unit(unit).of(P1).item
    assert (item.owner, item.action, item.updated_by) == ("Anna", "Bos åtgärd", "Anna")
    assert not anna.warning


def test_evidence_links_are_text_and_open_only_by_a_button(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Skola").id
    at = opened(open_page(PAGE, unit, user=PICTURE), unit, P1)
    url = "https://intranet.norrby.se/apt?x=1&y=%3Cimg%3E"
    at.text_input(key=key(unit, P1, "url")).set_value(url)
    at.text_input(key=key(unit, P1, "text")).set_value(f"{LINK} {IMG} {PICTURE}")
    button = next(
        b
        for b in at.button
        if (b.key or "").startswith("FormSubmitter:" + key(unit, P1, "link_form"))
    )
    button.click().run()
    opened(at, unit, P1)
    [link] = store.plans.of_unit(unit).of(P1).evidence
    assert (link.url, link.description, link.added_by) == (url, f"{LINK} {IMG} {PICTURE}", PICTURE)
    # The description is plain text, the link a button with a fixed label.
    assert any("javascript" in m.value and "onerror" in m.value for m in at.markdown)
    [opener] = [b for b in at.get("link_button") if b.proto.url == url]
    assert opener.proto.label == "Öppna länken"
    assert offences(at) == []
    assert "javascript" in shown(at) and "onerror" in shown(at)
    # The form was emptied for the next link.
    assert at.text_input(key=key(unit, P1, "url")).value == ""
    # Removed with its button.
    at.button(key=key(unit, P1, f"remove_{link.id}")).click().run()
    assert store.plans.of_unit(unit).of(P1).evidence == ()


def test_a_link_that_is_not_http_is_refused_and_nothing_is_stored(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Skola").id
    at = opened(open_page(PAGE, unit), unit, P1)
    at.text_input(key=key(unit, P1, "url")).set_value("javascript:alert(1)")
    at.text_input(key=key(unit, P1, "text")).set_value("Protokoll")
    button = next(
        b
        for b in at.button
        if (b.key or "").startswith("FormSubmitter:" + key(unit, P1, "link_form"))
    )
    button.click().run()
    opened(at, unit, P1)
    assert any("https://" in e.value for e in at.error)
    assert at.text_input(key=key(unit, P1, "url")).value == "javascript:alert(1)"  # kept
    assert store.plans.of_unit(unit).plans == {}
    assert not at.get("link_button")


def test_the_open_actions_list_the_units_actions_and_marks_the_overdue_in_words(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Norr").id
    yesterday = now().date() - timedelta(days=1)
    store.plans.set_action(Actor(""), unit, P1, "Försenad sak")
    store.plans.set_due(Actor(""), unit, P1, yesterday)
    store.plans.set_owner(Actor(""), unit, P1, IMG)
    store.plans.set_action(Actor(""), unit, P2, "I tid")
    store.plans.set_due(Actor(""), unit, P2, now().date())
    store.plans.set_action(Actor(""), unit, "s1-measure-effect", "Klar redan")
    store.checklist.set_status(Actor(""), unit, "s1-measure-effect", Status.DONE)
    at = open_page(PAGE, unit)
    assert any(s.value == "Öppna åtgärder" for s in at.subheader)
    table = at.table[0].value
    assert list(table["Nästa åtgärd"]) == ["Försenad sak", "I tid"]
    assert list(table["Läge"]) == ["Försenad", ""]
    assert any("2 öppna åtgärder, varav 1 försenade" in c.value for c in at.caption)
    assert offences(at) == []  # the owner's payload is inert in the table
    en = open_page(PAGE, unit, lang="en")
    assert any(s.value == "Open actions" for s in en.subheader)
    assert list(en.table[0].value["State"]) == ["Overdue", ""]


def test_no_open_actions_says_so(open_page: Callable[..., AppTest], store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Skola").id
    at = open_page(PAGE, unit)
    assert any("Inga öppna åtgärder" in c.value for c in at.caption)
