"""The checklist's widgets: one row per practice, saved the moment it changes; the snapshot form.

Every change is written at once, per practice, by a widget callback. Widget values are
re-read from the database on each run whenever the stored value changed (our own save or a
colleague's), so a reload, a page switch or another person's edit never shows stale data.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from staircase.domain.catalogue import Catalogue, Practice
from staircase.domain.model import STEPS, ConflictError, PracticeState, Status, ValidationError
from staircase.domain.moments import format_moment, now, snapshot_moment
from staircase.domain.plan import PracticePlan, UnitPlan
from staircase.domain.rules import NOTE_MAX
from staircase.domain.scoring import Score
from staircase.i18n import percent, status_label
from staircase.services import Lartrappan
from staircase.services.checklist import Seen
from staircase.ui import plan as plan_ui
from staircase.ui.context import (
    actor,
    lang,
    md_escape,
    page_link,
    problems_text,
    show_problems,
    tr,
    user_name,
)
from staircase.ui.document import announce, queue_announcement
from staircase.ui.widgets import flash, score_metrics, show_stored

STATUS_ORDER = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE, Status.NOT_APPLICABLE)
STATUS_ICONS = {
    Status.NOT_STARTED: "○",
    Status.IN_PROGRESS: "◐",
    Status.DONE: "✔",
    Status.NOT_APPLICABLE: "–",
}


def _keys(unit_id: int, practice_id: str) -> tuple[str, str, str]:
    base = f"chk_{unit_id}_{practice_id}"
    return f"{base}_status", f"{base}_note", f"{base}_error"


def _revision_key(unit_id: int, practice_id: str) -> str:
    """The revision of the practice this session last showed: what its next write is based on."""
    return f"chk_{unit_id}_{practice_id}_revision"


def _conflict_key(unit_id: int, practice_id: str) -> str:
    return f"chk_{unit_id}_{practice_id}_conflict"


def _conflict_text(current: PracticeState) -> str:
    when = format_moment(current.updated_at)
    who = current.updated_by or tr("checklist.someone")
    # The core's conflict message (one wording everywhere), plus what this page does about it.
    return (
        tr("state.conflict", who=f"**{md_escape(who)}**", when=when)
        + " "
        + tr("checklist.conflict_shown")
    )


def _announce_conflict(title: str, current: PracticeState) -> None:
    """The conflict, for screen readers, through the page's status region: Streamlit's
    warning has role="alert", but a region that appears with its text already in it is
    often not read out (see staircase.ui.document)."""
    said = tr(
        "state.conflict",
        who=current.updated_by or tr("checklist.someone"),
        when=format_moment(current.updated_at),
    )
    queue_announcement(
        tr("checklist.conflict_announced", practice=title)
        + " "
        + said
        + " "
        + tr("checklist.conflict_shown")
    )


def _seen(unit_id: int, practice_id: str) -> Seen:
    """What this session's screen showed of the practice: its revision and its note."""
    _, note_key, _ = _keys(unit_id, practice_id)
    return Seen(
        revision=st.session_state.get(_revision_key(unit_id, practice_id)),
        note_shown=st.session_state.get(f"{note_key}_loaded", ""),
        note_typed=st.session_state.get(note_key),
    )


def _on_status(core: Lartrappan, unit_id: int, practice_id: str, stored: str, title: str) -> None:
    status_key, _, error_key = _keys(unit_id, practice_id)
    conflict_key = _conflict_key(unit_id, practice_id)
    if st.session_state.get(status_key) is None:
        # No choice: the control is `required`, so only a browser that lost its value sends
        # this; show the stored status again instead of failing the whole run (which would
        # also drop whatever else the person changed in it).
        st.session_state[status_key] = stored
        return
    try:
        stored_now = core.checklist.choose_status(
            actor(),
            unit_id,
            practice_id,
            Status(str(st.session_state.get(status_key))),
            _seen(unit_id, practice_id),
        )
        _saved(unit_id, practice_id, stored_now)
        # Nothing else tells a screen reader: the change shows only as the row's caption.
        status = status_label(stored_now.status, lang())
        queue_announcement(tr("checklist.saved_status", practice=title, status=status))
    except ConflictError as conflict:
        # Someone changed it since this page showed it: show theirs, say who and when; a
        # second click (now based on their revision) overwrites it deliberately.
        st.session_state[status_key] = conflict.current.status.value
        st.session_state[conflict_key] = _conflict_text(conflict.current)
        st.session_state.pop(error_key, None)
        _announce_conflict(title, conflict.current)
    except ValidationError as error:
        st.session_state[status_key] = stored  # the choice was not saved: show what is
        st.session_state[error_key] = problems_text(error)


def _on_note(core: Lartrappan, unit_id: int, practice_id: str, title: str) -> None:
    _, note_key, error_key = _keys(unit_id, practice_id)
    conflict_key = _conflict_key(unit_id, practice_id)
    seen = _seen(unit_id, practice_id)
    try:
        stored_now = core.checklist.set_note(
            actor(), unit_id, practice_id, seen.note_typed or "", based_on=seen.revision
        )
        _saved(unit_id, practice_id, stored_now)
        queue_announcement(tr("checklist.saved_note", practice=title))
    except ConflictError as conflict:
        # Keep what this session typed on screen (nothing is lost), show what is stored and
        # who stored it; "keep mine" then saves it over theirs.
        st.session_state[f"{note_key}_loaded"] = conflict.current.note
        st.session_state[conflict_key] = (
            _conflict_text(conflict.current)
            + "\n\n"
            + tr("checklist.conflict_note", note=md_escape(conflict.current.note) or "–")
        )
        st.session_state.pop(error_key, None)
        _announce_conflict(title, conflict.current)
    except ValidationError as error:
        st.session_state[error_key] = problems_text(error)


def _saved(unit_id: int, practice_id: str, stored: PracticeState) -> None:
    """Our own write is no conflict for a change handled later in the same run."""
    _, note_key, error_key = _keys(unit_id, practice_id)
    st.session_state[_revision_key(unit_id, practice_id)] = stored.revision
    st.session_state[f"{note_key}_loaded"] = stored.note
    st.session_state.pop(error_key, None)
    st.session_state.pop(_conflict_key(unit_id, practice_id), None)


def status_text(status: Status) -> str:
    return f"{STATUS_ICONS[status]} {status_label(status, lang())}"


def practice_row(
    core: Lartrappan,
    unit_id: int,
    practice: Practice,
    state: PracticeState,
    plan: PracticePlan | None = None,
    editable: bool = True,
) -> None:
    """Title, description and dimensions on the left; status, note and last change on the
    right (shown but disabled for someone who may only read); the practice's improvement
    plan under the row (when given)."""
    status_key, note_key, error_key = _keys(unit_id, practice.id)
    status_shown = show_stored(status_key, state.status.value)
    note_shown = show_stored(note_key, state.note)
    conflict_key = _conflict_key(unit_id, practice.id)
    st.session_state[_revision_key(unit_id, practice.id)] = state.revision
    with st.container(border=True, key=f"chk_row_{unit_id}_{practice.id}"):
        about, note = st.columns([3, 2], gap="medium")
        with about:
            st.markdown(f"**{md_escape(practice.title(lang()))}**")
            if practice.description(lang()):
                st.caption(md_escape(practice.description(lang())))
            dimensions = " · ".join(tr(f"dimension.{d.value}") for d in practice.dimensions)
            # The source says every step develops processes, people and systems; the tags
            # per practice are the product's reading (an organisation's own: its own).
            reading = "" if practice.custom else f" ({tr('checklist.dimensions_reading')})"
            st.caption(f"{tr('checklist.dimensions')}: {dimensions}{reading}")
            if practice.custom:
                st.badge(tr("checklist.own_practice"), color="violet")
        with note:
            st.text_area(
                tr("checklist.note_label"),
                note_shown,
                key=note_key,
                on_change=_on_note,
                args=(core, unit_id, practice.id, practice.title(lang())),
                height=90,
                max_chars=NOTE_MAX,
                disabled=not editable,
                placeholder=tr(
                    "checklist.na_placeholder"
                    if state.status is Status.NOT_APPLICABLE
                    else "checklist.note_placeholder"
                ),
                label_visibility="collapsed",
            )
        # The four statuses get the row's full width so none is cut off at 1280 px.
        st.segmented_control(
            tr("checklist.status_label", title=md_escape(practice.title(lang()))),
            options=[s.value for s in STATUS_ORDER],
            format_func=lambda value: status_text(Status(value)),
            default=status_shown,
            required=True,
            key=status_key,
            on_change=_on_status,
            args=(core, unit_id, practice.id, state.status.value, practice.title(lang())),
            label_visibility="collapsed",
            disabled=not editable,
        )
        if conflict_key in st.session_state:
            st.warning(st.session_state[conflict_key], icon=":material/group:")
            if st.session_state.get(note_key) != state.note:
                st.button(
                    tr("checklist.keep_my_note"),
                    key=f"chk_{unit_id}_{practice.id}_keep_note",
                    on_click=_on_note,
                    args=(core, unit_id, practice.id, practice.title(lang())),
                )
        if error_key in st.session_state:
            st.error(st.session_state[error_key])
        elif state.updated_at is not None:
            st.caption(
                tr(
                    "checklist.last_change",
                    when=format_moment(state.updated_at),
                    who=md_escape(state.updated_by) or tr("checklist.someone"),
                )
            )
    if plan is not None:  # under the row, not in it: the row stays status and note only
        with st.container(key=f"plan_box_{unit_id}_{practice.id}"):
            plan_ui.practice_plan(core, unit_id, practice, plan, state.status, editable)


def step_section(
    core: Lartrappan,
    unit_id: int,
    catalogue: Catalogue,
    score: Score,
    states: dict[str, PracticeState],
    step: int,
    plans: UnitPlan | None = None,
    editable: bool = True,
) -> None:
    """One step: its heading and completion bar, its feedback for the level it stands on
    (highlighted when it is the step to work on next), its practices, its reflection
    questions."""
    info = catalogue.step(step)
    step_score = score.of(step)
    st.subheader(f"{step}. {info.title(lang())}", anchor=f"step-{step}")
    st.progress(
        step_score.completion or 0.0,
        text=tr(
            "checklist.step_progress",
            percent=percent(step_score.completion, lang()),
            done=step_score.done,
            applicable=step_score.applicable,
        ),
    )
    st.caption(info.description(lang()))
    step_feedback(catalogue, score, step)
    for practice in catalogue.practices_of(step):
        practice_row(
            core,
            unit_id,
            practice,
            states.get(practice.id, PracticeState(practice.id)),
            plans.of(practice.id) if plans is not None else None,
            editable,
        )
    reflection(catalogue, step, unit_id)


def reflection(catalogue: Catalogue, step: int, unit_id: int) -> None:
    """The step's reflection questions, read-only, with a link to where they are answered:
    the unit's handbook (Vår handbok)."""
    info = catalogue.step(step)
    if info.reflection:
        with st.expander(tr("checklist.reflection")):
            st.markdown("\n".join(f"- {q.text(lang())}" for q in info.reflection))
            page_link(
                "pages/handbook.py",
                unit_id,
                tr("checklist.answer_in_handbook"),
                icon=":material/menu_book:",
            )


def starting_point(catalogue: Catalogue, unit_id: int) -> None:
    """Step 0, where the staircase starts: its description and its reflection questions
    (nothing to tick off)."""
    info = catalogue.step(0)
    st.subheader(f"0. {info.title(lang())}", anchor="step-0")
    st.caption(info.description(lang()))
    st.caption(tr("checklist.step0_note"))
    reflection(catalogue, 0, unit_id)


def levels_legend() -> None:
    """What each level of the scale means, where the levels are chosen: the top one means
    it has started to happen in everyday work, not that it is finished."""
    with st.container(border=True, key="chk_levels"):
        st.markdown(f"**{tr('checklist.levels_title')}**")
        st.markdown(
            "\n".join(
                f"- **{status_text(status)}**: {tr(f'status_help.{status.value}')}"
                for status in STATUS_ORDER
            )
        )


@st.fragment
def practices(core: Lartrappan, unit_id: int, editable: bool = True) -> None:
    """Scores, feedback and every practice row: what a tick changes, and nothing else.

    A fragment, so a tick or a note reruns only this part (not the router, the sidebar or the
    snapshot form); it re-reads the unit's state, so a colleague's edits show too.
    """
    view = core.checklist.of_unit(unit_id, actor=actor())
    catalogue, states, score = view.catalogue, view.states, view.score
    plans = core.plans.of_unit(unit_id, actor=actor())
    score_metrics(score, catalogue)
    feedback_box(catalogue, score)
    with st.expander(tr("checklist.how_scored")):
        st.markdown(tr("score.rule"))
    starting_point(catalogue, unit_id)
    levels_legend()
    for step in STEPS:
        step_section(core, unit_id, catalogue, score, states, step, plans, editable)
    plan_ui.open_actions(core, unit_id)  # in the fragment: a changed action shows at once
    announce()  # a status, note or plan saved by this run's callback, for screen readers


def focus_heading(catalogue: Catalogue, score: Score) -> str:
    focus = score.focus_step
    if score.step_reached == STEPS[-1]:
        return tr("checklist.feedback_top")
    return tr("checklist.feedback_next", step=focus, title=catalogue.step(focus).title(lang()))


def feedback_box(catalogue: Catalogue, score: Score) -> None:
    """Where the unit stands and which step to work on next; the feedback itself stands
    under each step, so that every step's text for its own level can be read."""
    link = f"[{tr('checklist.go_to_step')}](#step-{score.focus_step})"
    st.info(f"**{focus_heading(catalogue, score)}** · {link}", icon=":material/explore:")


def step_feedback(catalogue: Catalogue, score: Score, step: int) -> None:
    """The step's feedback text for the level it stands on. The step to work on next is
    highlighted; a completed step shows its congratulation; a step further up is quiet."""
    level = score.of(step).level
    heading = tr("checklist.feedback_level", level=status_label(level, lang()))
    text = catalogue.feedback_for(step, level)(lang())
    if step == score.focus_step:
        st.info(
            f"**{tr('checklist.focus_badge')} · {heading}**\n\n{text}", icon=":material/explore:"
        )
    elif level is Status.DONE:
        st.success(f"**{heading}**\n\n{text}", icon=":material/check_circle:")
    else:
        st.caption(f"**{heading}**: {text}")


def snapshot_form(core: Lartrappan, unit_id: int) -> None:
    """Save the working state as a dated snapshot; may be back-dated, never in the future."""
    with st.form("chk_snapshot_form", border=True):
        st.subheader(tr("snapshot.save_title"))
        st.caption(tr("snapshot.save_help"))
        day_col, time_col = st.columns(2)
        today = now().date()
        day = day_col.date_input(tr("snapshot.date"), value=today, max_value=today, key="chk_day")
        at = time_col.time_input(
            tr("snapshot.time"), value=None, key="chk_time", help=tr("snapshot.time_help")
        )
        if actor().signed_in:  # login mode: the name comes from the identity, not a field
            saved_by = user_name()
        else:
            saved_by = st.text_input(tr("snapshot.saved_by"), value=user_name(), key="chk_saved_by")
        comment = st.text_area(tr("snapshot.comment"), key="chk_comment", height=80)
        if not st.form_submit_button(tr("snapshot.save"), type="primary"):
            return
    try:
        chosen_day = day if isinstance(day, date) else today  # a cleared field means today
        taken_at = snapshot_moment(chosen_day, at, today)
        snapshot = core.snapshots.save(actor(), unit_id, saved_by, comment, taken_at)
    except ValidationError as error:
        show_problems(error)
        return
    # Only a saved snapshot empties the form; a rejected one keeps what was typed.
    for key in ("chk_day", "chk_time", "chk_comment"):
        st.session_state.pop(key, None)
    flash(tr("snapshot.saved", when=format_moment(snapshot.taken_at)))
    st.rerun()
