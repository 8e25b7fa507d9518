"""Every text of the catalogue can be read in the app, in both languages.

The texts are found by walking data/catalogue.yaml itself (every mapping with an `sv` and an
`en` text), so a text added to the file later is checked too. The checklist is opened in a
few states a user reaches by clicking (nothing set, everything on the way, everything made to
happen), and the unit's handbook (Vår handbok) once: every step title, description and
reflection question (step 0 included), every practice's title and description, the
feedback of every step for every level, and the handbook's own questions and summary
points must show in some state. A text shown only in one language (or the other
language's text shown in its place) fails. (The current-state assessment's texts have the
same test in test_assessment.py.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from staircase.domain.catalogue import CATALOGUE_PATH, load_catalogue
from staircase.domain.model import Status
from staircase.i18n import status_label, t
from staircase.services import Actor, Lartrappan

PAGE = "pages/checklist.py"
HANDBOOK = "pages/handbook.py"


def _texts_in(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, str]]]:
    """(where, {sv, en}) for every bilingual text in the parsed YAML."""
    if isinstance(node, dict):
        if "sv" in node and "en" in node:
            yield where, node
            return
        for key, value in node.items():
            yield from _texts_in(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts_in(value, f"{where}[{i}]")


def catalogue_texts() -> list[tuple[str, dict[str, str]]]:
    with CATALOGUE_PATH.open(encoding="utf-8") as fh:
        return list(_texts_in(yaml.safe_load(fh)))


def _shown(at: AppTest) -> str:
    """Everything the page shows as text, markdown escapes taken out."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [str(e.value) for e in at.subheader]
    parts += [str(e.label) for e in at.expander]
    parts += [str(e.label) for e in at.text_area]  # the handbook's questions
    parts += [str(e.label) for e in at.checkbox]  # the handbook's summary points
    return "\n".join(parts).replace("\\", "")


def test_the_walk_finds_every_kind_of_text() -> None:
    """The walk sees what the catalogue model holds: 4 steps × (title, description,
    questions), 10 practices × (title, description), 3 steps × 3 levels of feedback, the
    handbook's questions and summary points."""
    cat = load_catalogue()
    found = dict(catalogue_texts())
    handbook = len(cat.handbook.questions) + len(cat.handbook.summary)
    expected = (
        2 * len(cat.steps)
        + len(cat.questions)
        + 2 * len(cat.practices)
        + len(cat.feedback)
        + handbook
    )
    assert handbook > 0
    assert len(cat.steps) == 4 and len(cat.feedback) == 9
    assert len(found) == expected
    assert {text["sv"] for text in found.values()} >= {
        cat.feedback_for(step, level).sv for step, level in cat.feedback
    }


def _states(store: Lartrappan, unit_id: int) -> Iterator[str]:
    """Set the unit to each state in turn (as clicks would) and say which."""
    cat = load_catalogue()
    yield "nothing set"
    for status in (Status.IN_PROGRESS, Status.DONE):
        for practice in cat.practices:
            store.checklist.set_status(Actor("Test"), unit_id, practice.id, status)
        yield status.value


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_catalogue_text_is_shown_in_some_state(
    open_page: Callable[..., AppTest], store: Lartrappan, lang: str
) -> None:
    unit = store.units.create(Actor(""), "Hemtjänst Norr")
    at = open_page(HANDBOOK, unit.id, lang=lang)
    assert not at.exception
    shown = _shown(at)
    for state in _states(store, unit.id):
        at = open_page(PAGE, unit.id, lang=lang)
        assert not at.exception, state
        shown += "\n" + _shown(at)
    other = "en" if lang == "sv" else "sv"
    texts = catalogue_texts()
    missing = [where for where, text in texts if text[lang] not in shown]
    assert not missing, f"never shown in {lang}: {missing}"
    foreign = [where for where, text in texts if text[other] != text[lang] and text[other] in shown]
    assert not foreign, f"shown in {other} on the {lang} page: {foreign}"


def test_a_completed_step_shows_its_own_feedback_while_the_next_is_the_focus(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    """Step 1 made to happen, step 2 on the way: step 1's congratulation and step 2's
    feedback for On the way both show, and step 2 is marked as the focus."""
    cat = load_catalogue()
    unit = store.units.create(Actor(""), "Björkskolan")
    for practice in cat.practices_of(1):
        store.checklist.set_status(Actor("Test"), unit.id, practice.id, Status.DONE)
    store.checklist.set_status(Actor("Test"), unit.id, "s2-performance", Status.IN_PROGRESS)
    at = open_page(PAGE, unit.id)
    done = cat.feedback_for(1, Status.DONE).sv
    assert any(done in s.value for s in at.success)
    focus = [i.value for i in at.info if cat.feedback_for(2, Status.IN_PROGRESS).sv in i.value]
    assert len(focus) == 1 and t("checklist.focus_badge", "sv") in focus[0]
    assert status_label(Status.IN_PROGRESS, "sv") in focus[0]
    quiet = cat.feedback_for(3, Status.NOT_STARTED).sv
    assert any(quiet in c.value for c in at.caption)  # the step above: shown, not highlighted
    assert any("Nästa steg: 2." in i.value and "(#step-2)" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_levels_are_explained_where_they_are_chosen(
    open_page: Callable[..., AppTest], store: Lartrappan, lang: str
) -> None:
    unit = store.units.create(Actor(""), "LSS-boende Linden")
    at = open_page(PAGE, unit.id, lang=lang)
    legend = "\n".join(m.value for m in at.markdown)
    for status in Status:
        assert status_label(status, lang) in legend
        assert t(f"status_help.{status.value}", lang) in legend
    # The top level means it has started to happen, not that it is finished.
    assert ("inte att ni är färdiga" if lang == "sv" else "not mean you are finished") in legend
    # The dimension tags are the product's reading, and say so.
    reading = t("checklist.dimensions_reading", lang)
    assert all(
        reading in c.value
        for c in at.caption
        if c.value.startswith(t("checklist.dimensions", lang))
    )


def test_each_steps_questions_link_to_where_they_are_answered(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    unit = store.units.create(Actor(""), "Anhörigstödet")
    at = open_page(PAGE, unit.id)
    links = [e for e in at.get("page_link") if "Vår handbok" in e.proto.label]
    assert len(links) == 4  # steps 0-3
    assert all(e.proto.page.endswith("handbook") for e in links)
