"""The leader's own handbook page ("Vår handbok"): the vision, the reflection questions per
step and the handbook's own, the ambassadors, the summary checklist, and the download of
the compiled handbook.

The vision and each answer are saved the moment they change (a widget callback), with the
checklist's conflict protocol: the write names the revision this session showed; when a
colleague saved in between, nothing is saved, what is stored and who stored it are shown,
what was typed stays on screen, and "keep mine" saves it over theirs. Someone who may only
read sees every field disabled and no buttons that change anything.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import partial

import streamlit as st

from staircase.domain.catalogue import Catalogue, Question
from staircase.domain.handbook import VISION, Answer, HandbookConflictError, UnitHandbook
from staircase.domain.model import LANGS, Lang, Unit, ValidationError
from staircase.domain.moments import format_moment
from staircase.domain.rules import AMBASSADOR_ROLE_MAX, NAME_MAX, NOTE_MAX
from staircase.domain.units import UnitTree
from staircase.services import Lartrappan
from staircase.services.handbook import FORMATS, MEDIA_TYPES, Format, filename, render
from staircase.services.handbook_document import saved_line, source_label
from staircase.ui.context import actor, lang, md_escape, problems_text, tr, user_name
from staircase.ui.document import queue_announcement
from staircase.ui.download import Made, make_document, offer_document
from staircase.ui.widgets import option_label, show_stored

MADE = "handbook_made"
"""The last handbook this session compiled: (unit, bytes, file name, media type). One at a
time: a new one replaces it, so a session holds at most one document's bytes."""


def _key(unit_id: int, part: str) -> str:
    return f"hb_{unit_id}_{part}"


# ---------------------------------------------------------------------------- texts


def _on_text(core: Lartrappan, unit_id: int, question_id: str, what: str) -> None:
    """Save the vision or one answer (a text area's on_change, or "keep mine")."""
    key = _key(unit_id, question_id)
    text = str(st.session_state.get(key) or "")
    based_on = st.session_state.get(f"{key}_revision")
    try:
        if question_id == VISION:
            saved = core.handbook.set_vision(actor(), unit_id, text, based_on)
        else:
            saved = core.handbook.set_answer(actor(), unit_id, question_id, text, based_on)
    except HandbookConflictError as conflict:
        # Keep what this session typed (marked as seen, so the next run leaves it) and say
        # who saved what in between.
        current = conflict.current
        st.session_state[f"{key}_loaded"] = current.text
        message = "conflict_vision" if question_id == VISION else "conflict"
        st.session_state[f"{key}_conflict"] = (
            tr(
                f"handbook.{message}",
                who=f"**{md_escape(current.saved_by or tr('checklist.someone'))}**",
                when=format_moment(current.saved_at),
            )
            + "\n\n"
            + tr("handbook.stored_text", text=md_escape(current.text) or "–")
        )
        st.session_state.pop(f"{key}_error", None)
        return
    except ValidationError as error:
        st.session_state[f"{key}_error"] = problems_text(error)
        return
    st.session_state[f"{key}_revision"] = saved.revision
    st.session_state[f"{key}_loaded"] = saved.text
    st.session_state.pop(f"{key}_error", None)
    st.session_state.pop(f"{key}_conflict", None)
    queue_announcement(tr("handbook.saved", what=what))


def text_field(
    core: Lartrappan,
    unit_id: int,
    stored: Answer,
    label: str,
    editable: bool,
    *,
    help: str | None = None,
    placeholder: str | None = None,
) -> None:
    """A text area saved as typed, with its conflict, its error or who saved it last.
    `label`: plain text (shown escaped)."""
    key = _key(unit_id, stored.question_id)
    st.session_state[f"{key}_revision"] = stored.revision
    st.text_area(
        md_escape(label),
        show_stored(key, stored.text),
        key=key,
        on_change=_on_text,
        args=(core, unit_id, stored.question_id, label),
        max_chars=NOTE_MAX,
        height=100,
        help=help,
        placeholder=placeholder,
        disabled=not editable,
    )
    if f"{key}_conflict" in st.session_state:
        st.warning(st.session_state[f"{key}_conflict"], icon=":material/group:")
        if st.session_state.get(key) != stored.text:
            st.button(
                tr("handbook.keep_mine"),
                key=f"{key}_keep",
                on_click=_on_text,
                args=(core, unit_id, stored.question_id, label),
            )
    if f"{key}_error" in st.session_state:
        st.error(st.session_state[f"{key}_error"])
    elif line := saved_line(stored.saved_at, md_escape(stored.saved_by), lang()):
        st.caption(line)


def vision(core: Lartrappan, unit_id: int, handbook: UnitHandbook, editable: bool) -> None:
    st.subheader(tr("handbook.vision_title"), anchor="vision")
    text_field(
        core,
        unit_id,
        handbook.vision,
        tr("handbook.vision_label"),
        editable,
        help=tr("handbook.vision_help"),
        placeholder=tr("handbook.vision_placeholder"),
    )


def _question(
    core: Lartrappan, unit_id: int, question: Question, handbook: UnitHandbook, editable: bool
) -> None:
    text = question.text(lang())
    # The question is the field's label: what a screen reader says on entering it.
    text_field(core, unit_id, handbook.answer(question.id), text, editable)
    st.caption(source_label(question.source, lang()))  # discreetly: where it comes from


def questions(
    core: Lartrappan,
    catalogue: Catalogue,
    unit_id: int,
    handbook: UnitHandbook,
    editable: bool,
) -> None:
    """The handbook's own questions on leadership and ambassadors, then each step's
    (step 0 included), each step in an expander of its own."""
    st.subheader(tr("handbook.questions_title"), anchor="questions")
    st.caption(tr("handbook.questions_help"))
    for question in catalogue.handbook.questions:
        _question(core, unit_id, question, handbook, editable)
    for step in catalogue.steps:
        label = tr("handbook.step_questions", step=step.number, title=step.title(lang()))
        with st.expander(label, key=_key(unit_id, f"step_{step.number}")):
            for question in step.reflection:
                _question(core, unit_id, question, handbook, editable)


# ---------------------------------------------------------------------------- ambassadors


def _on_ambassador(core: Lartrappan, unit_id: int, ambassador_id: int) -> None:
    key = _key(unit_id, f"amb_{ambassador_id}")
    try:
        changed = core.handbook.edit_ambassador(
            actor(),
            ambassador_id,
            str(st.session_state.get(f"{key}_name") or ""),
            str(st.session_state.get(f"{key}_role") or ""),
        )
    except ValidationError as error:
        st.session_state[f"{key}_error"] = problems_text(error)  # what was typed stays
        return
    st.session_state.pop(f"{key}_error", None)
    queue_announcement(tr("handbook.ambassador_changed", name=changed.name))


def _on_remove(core: Lartrappan, unit_id: int, ambassador_id: int) -> None:
    try:
        core.handbook.remove_ambassador(actor(), ambassador_id)
    except ValidationError as error:
        st.session_state[_key(unit_id, "amb_error")] = problems_text(error)
        return
    queue_announcement(tr("handbook.ambassador_removed"))


def _on_add(core: Lartrappan, unit_id: int) -> None:
    name_key, role_key = _key(unit_id, "amb_new_name"), _key(unit_id, "amb_new_role")
    try:
        added = core.handbook.add_ambassador(
            actor(),
            unit_id,
            str(st.session_state.get(name_key) or ""),
            str(st.session_state.get(role_key) or ""),
        )
    except ValidationError as error:
        st.session_state[_key(unit_id, "amb_error")] = problems_text(error)  # typed stays
        return
    st.session_state[name_key] = st.session_state[role_key] = ""
    st.session_state.pop(_key(unit_id, "amb_error"), None)
    queue_announcement(tr("handbook.ambassador_added", name=added.name))


def ambassadors(core: Lartrappan, unit_id: int, handbook: UnitHandbook, editable: bool) -> None:
    """Each ambassador's name and role (changed as typed), removed by a button; a form adds
    one."""
    st.subheader(tr("handbook.ambassadors_title"), anchor="ambassadors")
    st.caption(tr("handbook.ambassadors_help"))
    if not handbook.ambassadors:
        st.caption(tr("handbook.no_ambassadors"))
    for person in handbook.ambassadors:
        key = _key(unit_id, f"amb_{person.id}")
        name, role, remove = st.columns([3, 4, 2], vertical_alignment="bottom")
        args = (core, unit_id, person.id)
        name.text_input(
            tr("handbook.ambassador_name"),
            show_stored(f"{key}_name", person.name),
            key=f"{key}_name",
            on_change=_on_ambassador,
            args=args,
            max_chars=NAME_MAX,
            disabled=not editable,
        )
        role.text_input(
            tr("handbook.ambassador_role"),
            show_stored(f"{key}_role", person.role),
            key=f"{key}_role",
            on_change=_on_ambassador,
            args=args,
            max_chars=AMBASSADOR_ROLE_MAX,
            disabled=not editable,
        )
        if editable:
            remove.button(
                tr("handbook.ambassador_remove"),
                key=f"{key}_remove",
                on_click=_on_remove,
                args=args,
                icon=":material/delete:",
            )
        if f"{key}_error" in st.session_state:
            st.error(st.session_state[f"{key}_error"])
    if not editable:
        return
    with st.form(_key(unit_id, "amb_form"), border=True, enter_to_submit=False):
        name, role = st.columns([3, 4])
        name.text_input(
            tr("handbook.ambassador_name"), key=_key(unit_id, "amb_new_name"), max_chars=NAME_MAX
        )
        role.text_input(
            tr("handbook.ambassador_role"),
            key=_key(unit_id, "amb_new_role"),
            max_chars=AMBASSADOR_ROLE_MAX,
            placeholder=tr("handbook.ambassador_role_placeholder"),
        )
        st.form_submit_button(tr("handbook.ambassador_add"), on_click=_on_add, args=(core, unit_id))
    if _key(unit_id, "amb_error") in st.session_state:
        st.error(st.session_state[_key(unit_id, "amb_error")])


# ---------------------------------------------------------------------------- the summary


def _on_tick(core: Lartrappan, unit_id: int, point_id: str, text: str) -> None:
    key = _key(unit_id, f"point_{point_id}")
    done = bool(st.session_state.get(key))
    try:
        core.handbook.check(actor(), unit_id, point_id, done)
    except ValidationError as error:
        st.session_state[f"{key}_error"] = problems_text(error)
        return
    st.session_state.pop(f"{key}_error", None)
    queue_announcement(tr("handbook.checked" if done else "handbook.unchecked", point=text))


def summary(
    core: Lartrappan, catalogue: Catalogue, unit_id: int, handbook: UnitHandbook, editable: bool
) -> None:
    """The handbook's summary points as a checklist, each with who ticked it when."""
    st.subheader(tr("handbook.summary_title"), anchor="summary")
    st.caption(tr("handbook.summary_help"))
    for point in catalogue.handbook.summary:
        key = _key(unit_id, f"point_{point.id}")
        tick = handbook.tick(point.id)
        text = point.text(lang())
        st.checkbox(
            md_escape(text),
            show_stored(key, tick.done),
            key=key,
            on_change=_on_tick,
            args=(core, unit_id, point.id, text),
            disabled=not editable,
        )
        if f"{key}_error" in st.session_state:
            st.error(st.session_state[f"{key}_error"])
        elif line := saved_line(tick.saved_at, md_escape(tick.saved_by), lang()):
            st.caption(line)
    sources = sorted({point.source for point in catalogue.handbook.summary})
    st.caption(" · ".join(source_label(source, lang()) for source in sources))


# ---------------------------------------------------------------------------- download


def download(core: Lartrappan, tree: UnitTree, unit: Unit) -> None:
    """Pick the language and the format, compile the handbook (with a status while it is
    made), then download it."""
    st.subheader(tr("handbook.download_title"), anchor="download")
    st.caption(tr("handbook.download_help"))
    with st.form(_key(unit.id, "download_form"), enter_to_submit=False, border=True):
        left, right = st.columns(2)
        language = left.radio(
            tr("handbook.language"),
            options=list(LANGS),
            index=list(LANGS).index(lang()),
            format_func=partial(option_label, "handbook.lang_{}", lang()),
            horizontal=True,
            key=_key(unit.id, f"doc_lang_{lang()}"),  # its labels are in the app's language
        )
        fmt = right.radio(
            tr("handbook.format"),
            options=list(FORMATS),
            format_func=partial(option_label, "handbook.format_{}", lang()),
            horizontal=True,
            key=_key(unit.id, f"doc_format_{lang()}"),
        )
        if st.form_submit_button(tr("handbook.make"), type="primary"):
            _make(core, tree, unit, language, fmt)  # radios: one of their options
    offer_document(MADE, unit.id, "report.ui.download", key=_key(unit.id, "download"))


def _make(core: Lartrappan, tree: UnitTree, unit: Unit, language: Lang, fmt: Format) -> None:
    def make(step: Callable[[str], None]) -> Made:
        content = core.handbook.document(tree, unit.id, language, user_name(), actor=actor())
        step(tr("report.ui.step_render", format=tr(f"handbook.format_{fmt}")))
        out = io.BytesIO()
        render(content, fmt, out)
        return out.getvalue(), filename(content, fmt), MEDIA_TYPES[fmt]

    make_document(
        MADE,
        unit.id,
        make,
        making=tr("handbook.making"),
        refused=tr("handbook.refused"),
        ready_key="handbook.ready",
    )
