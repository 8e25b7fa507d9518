"""Vår handbok in AppTest: the vision and the answers saved as typed and shown again, a
colleague's change not overwritten, ambassadors and the summary, read-only for a viewer, and
the compiled handbook offered for download."""

from __future__ import annotations

import io
from collections.abc import Callable

import docx
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from staircase.domain.access import Access, Grant, Role
from staircase.services import Actor, Lartrappan
from staircase.ui import login
from staircase.ui.context import SIGNED_IN_KEY

PAGE = "pages/handbook.py"
Q = "learning-at-every-level"
STEP0_Q = "where-we-learn-today"
POINT = "safe-climate"


def key(unit_id: int, part: str) -> str:
    return f"hb_{unit_id}_{part}"


def test_the_vision_and_an_answer_are_saved_as_typed_and_shown_again(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Norr").id
    at = open_page(PAGE, unit, user="Karin Ek")
    assert at.title[0].value == "Vår handbok"
    at.text_area(key=key(unit, "vision")).set_value("Vi lär av varandra varje dag.").run()
    at.text_area(key=key(unit, Q)).set_value("Ledningsgruppen varje månad.").run()
    at.text_area(key=key(unit, STEP0_Q)).set_value("Mest på APT.").run()  # step 0 too
    assert not at.exception and not at.error
    book = store.handbook.of_unit(unit)
    assert (book.vision.text, book.vision.saved_by) == ("Vi lär av varandra varje dag.", "Karin Ek")
    assert book.answer(Q).text == "Ledningsgruppen varje månad."
    assert book.answer(STEP0_Q).text == "Mest på APT."
    # A fresh session (a reload) shows what was saved, who saved it and where each
    # question comes from.
    again = open_page(PAGE, unit)
    assert again.text_area(key=key(unit, "vision")).value == "Vi lär av varandra varje dag."
    assert again.text_area(key=key(unit, Q)).value == "Ledningsgruppen varje månad."
    captions = [c.value for c in again.caption]
    assert any(c.startswith("Sparad ") and "Karin Ek" in c for c in captions)
    assert "Lärtrappans egen fråga" in captions
    assert any(c.startswith("Källa: Adda, Kicka igång") for c in captions)


def test_a_too_long_answer_is_refused_and_what_was_typed_stays(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Skola").id
    at = open_page(PAGE, unit)
    at.text_area(key=key(unit, Q)).set_value("Svar\x00").run()
    assert any("styrtecken" in e.value for e in at.error)
    assert at.text_area(key=key(unit, Q)).value == "Svar\x00"
    assert store.handbook.of_unit(unit).answer(Q).revision == 0


def test_an_answer_a_colleague_changed_meanwhile_is_not_overwritten_and_mine_is_kept(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Söder").id
    anna = open_page(PAGE, unit, user="Anna")
    store.handbook.set_answer(Actor("Bo"), unit, Q, "Bos svar")  # after Anna's page loaded

    anna.text_area(key=key(unit, Q)).set_value("Annas svar").run()
    assert store.handbook.of_unit(unit).answer(Q).text == "Bos svar"  # not saved
    warning = " ".join(w.value for w in anna.warning)
    assert "Bo" in warning and "sparades inte" in warning and "Bos svar" in warning
    assert anna.text_area(key=key(unit, Q)).value == "Annas svar"  # nothing lost

    anna.button(key=key(unit, f"{Q}_keep")).click().run()
    answer = store.handbook.of_unit(unit).answer(Q)
    assert (answer.text, answer.saved_by) == ("Annas svar", "Anna")
    assert not anna.warning


def test_ambassadors_are_added_changed_and_removed_and_an_empty_name_is_refused(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Norr").id
    at = open_page(PAGE, unit, user="Anna")
    at.text_input(key=key(unit, "amb_new_role")).set_value("APT-reflektion")
    next(b for b in at.button if b.label == "Lägg till ambassadören").click().run()
    assert any("saknar namn" in e.value and "Våra ambassadörer" in e.value for e in at.error)
    assert store.handbook.of_unit(unit).ambassadors == ()
    at.text_input(key=key(unit, "amb_new_name")).set_value("Karin Ek")
    next(b for b in at.button if b.label == "Lägg till ambassadören").click().run()
    [karin] = store.handbook.of_unit(unit).ambassadors
    assert (karin.name, karin.role, karin.saved_by) == ("Karin Ek", "APT-reflektion", "Anna")
    assert not at.error
    at.text_input(key=key(unit, f"amb_{karin.id}_role")).set_value("Handledare").run()
    assert store.handbook.of_unit(unit).ambassadors[0].role == "Handledare"
    at.button(key=key(unit, f"amb_{karin.id}_remove")).click().run()
    assert store.handbook.of_unit(unit).ambassadors == ()


def test_a_summary_point_is_ticked_with_who(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Skola").id
    at = open_page(PAGE, unit, user="Anna")
    at.checkbox(key=key(unit, f"point_{POINT}")).check().run()
    tick = store.handbook.of_unit(unit).tick(POINT)
    assert (tick.done, tick.saved_by) == (True, "Anna")


def test_a_viewer_reads_the_handbook_without_changing_it(
    open_page: Callable[..., AppTest], store: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = store.units.create(Actor(""), "Norrby kommun").id
    unit = store.units.create(Actor(""), "Hemtjänst Norr", root).id
    store.handbook.set_vision(Actor("Anna"), unit, "Annas vision")
    store.handbook.add_ambassador(Actor("Anna"), unit, "Karin Ek", "APT")
    viewer = Actor("Vera", "vera@norrby.se", Access((Grant(Role.VIEWER, root),)))
    # Signed in as a viewer (what login.gate does in login mode, without a provider).
    monkeypatch.setattr(
        login, "gate", lambda core: st.session_state.update({SIGNED_IN_KEY: viewer})
    )
    at = open_page(PAGE, unit)
    assert not at.exception, [e.value for e in at.exception]
    assert at.text_area(key=key(unit, "vision")).value == "Annas vision"
    assert all(a.disabled for a in at.text_area)
    assert all(t.disabled for t in at.text_input)
    assert all(c.disabled for c in at.checkbox)
    labels = {b.label for b in at.button}
    assert not labels & {"Lägg till ambassadören", "Ta bort"}
    assert any("inte ändra" in i.value for i in at.info)
    # The download is offered to readers too: it holds what the page shows them.
    assert any(b.label == "Sammanställ handboken" for b in at.button)


def test_the_compiled_handbook_is_offered_for_download(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Norr").id
    store.handbook.set_vision(Actor("Anna"), unit, "Vi lär av varandra varje dag.")
    at = open_page(PAGE, unit, user="Anna Lind")
    at.radio(key=key(unit, "doc_format_sv")).set_value("docx")
    at.radio(key=key(unit, "doc_lang_sv")).set_value("en")
    next(b for b in at.button if b.label == "Sammanställ handboken").click().run()
    assert not at.exception, [e.value for e in at.exception]
    made_for, data, name, media = at.session_state["handbook_made"]
    assert made_for == unit and name.startswith("lartrappan-handbook-hemtjanst-norr-")
    assert name.endswith(".docx") and "wordprocessingml" in media
    assert name in at.get("download_button")[-1].proto.label
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Our handbook: Hemtjänst Norr"
    assert "Vi lär av varandra varje dag." in texts
    assert "Compiled by: Anna Lind" in texts
    assert at.status[0].label == f"Handboken är klar: {name}"


def test_the_page_is_in_english_too(open_page: Callable[..., AppTest], store: Lartrappan) -> None:
    unit = store.units.create(Actor(""), "Skola").id
    at = open_page(PAGE, unit, lang="en")
    assert at.title[0].value == "Our handbook"
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:2] == ["Our vision for learning", "Leadership and ambassadors"]
    assert "Lärtrappan's own question" in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_user_text_on_the_handbook_page_is_shown_as_text(
    open_page: Callable[..., AppTest], store: Lartrappan, lang: str
) -> None:
    from tests.pages.test_untrusted_text import IMG, LINK, PICTURE, offences, shown

    unit = store.units.create(Actor(""), "Hemtjänst Norr").id
    store.handbook.set_vision(Actor(PICTURE), unit, f"{IMG} {LINK}")
    store.handbook.set_answer(Actor(LINK), unit, Q, PICTURE)
    store.handbook.add_ambassador(Actor(IMG), unit, IMG, LINK)
    store.handbook.check(Actor(PICTURE), unit, POINT, True)
    at = open_page(PAGE, unit, lang, user=PICTURE)
    assert offences(at) == []
    text = shown(at)
    assert "javascript" in text and "example.invalid" in text and "onerror" in text
