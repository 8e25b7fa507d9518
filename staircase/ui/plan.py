"""The improvement plan's widgets: each practice's plan on the checklist (owner, due date,
next action, evidence links), the unit's open actions, the organisation's overdue actions.

Each field is saved the moment it changes, by a widget callback, with the checklist's
conflict protocol: the write names the revision this session showed; when a colleague wrote
in between, nothing is saved, the stored value and who stored it are shown, what was typed
stays on screen, and "keep mine" saves it over theirs. Links are shown as text and opened
only by a button with a fixed label: never rendered as Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from staircase.domain.catalogue import Practice
from staircase.domain.model import Status, ValidationError
from staircase.domain.moments import format_moment, now
from staircase.domain.plan import (
    OpenAction,
    PlanConflictError,
    PlanItem,
    PracticePlan,
    is_open,
    is_overdue,
)
from staircase.domain.rules import EVIDENCE_DESCRIPTION_MAX, NAME_MAX, NOTE_MAX, URL_MAX
from staircase.services import Lartrappan
from staircase.ui.context import actor, lang, md_escape, problems_text, tr
from staircase.ui.document import queue_announcement
from staircase.ui.widgets import show_stored

FIELDS = ("owner", "due", "action")
OVERDUE_SHOWN = 50
"""Overdue actions listed on the organisation page, oldest first (a table of a national
organisation's every late action would be most of the page's time)."""
DAY_FORMAT = "YYYY-MM-DD"


def _key(unit_id: int, practice_id: str, part: str) -> str:
    return f"plan_{unit_id}_{practice_id}_{part}"


def _stored(item: PlanItem, field: str) -> Any:
    return {"owner": item.owner, "due": item.due, "action": item.action}[field]


def _shown(field: str, value: Any) -> str:
    if field == "due":
        return value.isoformat() if isinstance(value, date) else "–"
    return md_escape(str(value)) or "–"


def _on_field(core: Lartrappan, unit_id: int, practice_id: str, field: str, title: str) -> None:
    """Save one field of the practice's plan (a widget's on_change, or "keep mine")."""
    key = _key(unit_id, practice_id, field)
    error_key = _key(unit_id, practice_id, "error")
    conflict_key = _key(unit_id, practice_id, "conflict")
    value = st.session_state.get(key)
    based_on = st.session_state.get(_key(unit_id, practice_id, "revision"))
    setters: dict[str, Callable[..., PlanItem]] = {
        "owner": core.plans.set_owner,
        "due": core.plans.set_due,
        "action": core.plans.set_action,
    }
    setter = setters[field]
    try:
        stored = setter(
            actor(), unit_id, practice_id, value if field == "due" else value or "", based_on
        )
    except PlanConflictError as conflict:
        # Keep what this session typed in this field (marked as seen, so the next run
        # leaves it); the other fields show what is stored; say who stored it.
        current = conflict.current
        st.session_state[f"{key}_loaded"] = _stored(current, field)
        st.session_state[conflict_key] = (
            tr(
                "plan.conflict",
                who=f"**{md_escape(current.updated_by or tr('checklist.someone'))}**",
                when=format_moment(current.updated_at),
            )
            + "\n\n"
            + tr(f"plan.stored_{field}", value=_shown(field, _stored(current, field)))
        )
        st.session_state[_key(unit_id, practice_id, "conflict_field")] = field
        st.session_state.pop(error_key, None)
        return
    except ValidationError as error:
        st.session_state[error_key] = problems_text(error)
        return
    st.session_state[_key(unit_id, practice_id, "revision")] = stored.revision
    for other in FIELDS:
        st.session_state[f"{_key(unit_id, practice_id, other)}_loaded"] = _stored(stored, other)
    st.session_state.pop(error_key, None)
    st.session_state.pop(conflict_key, None)
    queue_announcement(tr("plan.saved", practice=title))


def _on_add_link(core: Lartrappan, unit_id: int, practice_id: str) -> None:
    url_key, text_key = _key(unit_id, practice_id, "url"), _key(unit_id, practice_id, "text")
    error_key = _key(unit_id, practice_id, "link_error")
    try:
        core.plans.add_evidence(
            actor(),
            unit_id,
            practice_id,
            str(st.session_state.get(url_key) or ""),
            str(st.session_state.get(text_key) or ""),
        )
    except ValidationError as error:
        st.session_state[error_key] = problems_text(error)  # what was typed stays
        return
    st.session_state[url_key] = st.session_state[text_key] = ""
    st.session_state.pop(error_key, None)
    queue_announcement(tr("plan.link_added"))


def _on_remove_link(core: Lartrappan, unit_id: int, practice_id: str, evidence_id: int) -> None:
    error_key = _key(unit_id, practice_id, "link_error")
    try:
        core.plans.remove_evidence(actor(), evidence_id)
    except ValidationError as error:
        st.session_state[error_key] = problems_text(error)
        return
    st.session_state.pop(error_key, None)
    queue_announcement(tr("plan.link_removed"))


def summary(plan: PracticePlan, status: Status, today: date) -> str:
    """What the plan holds, in one line shown above it while it is closed ('' for nothing)."""
    item = plan.item
    parts = [md_escape(item.owner)] if item.owner else []
    if item.due:
        late = is_open(item, status) and is_overdue(item.due, today)
        key = "plan.due_overdue" if late else "plan.due_on"
        parts.append(tr(key, due=item.due.isoformat()))
    if plan.evidence:
        parts.append(tr("plan.links_count", n=len(plan.evidence)))
    return tr("plan.summary", details=" · ".join(parts)) if parts else ""


def practice_plan(
    core: Lartrappan,
    unit_id: int,
    practice: Practice,
    plan: PracticePlan,
    status: Status,
    editable: bool = True,
) -> None:
    """The practice's plan, in an expander that runs (and sends) its widgets only when open;
    `status` (the practice's) says whether its action is still open. Not `editable` (someone
    who may only read): the fields are shown disabled, no link is added or removed."""
    item = plan.item
    title = practice.title(lang())
    st.session_state[_key(unit_id, practice.id, "revision")] = item.revision
    shown = {
        field: show_stored(_key(unit_id, practice.id, field), _stored(item, field))
        for field in FIELDS
    }
    if line := summary(plan, status, now().date()):
        st.caption(line)
    # A fixed label: the expander's identity includes it, so a label that changed with a
    # save would close the plan under the person filling it in.
    opened = st.expander(
        tr("plan.title"),
        key=_key(unit_id, practice.id, "open"),
        on_change="rerun",
        icon=":material/flag:",
    )
    if not opened.open:
        return
    args = (core, unit_id, practice.id)
    with opened:
        owner, due = st.columns([3, 2])
        owner.text_input(
            tr("plan.owner"),
            shown["owner"],
            key=_key(unit_id, practice.id, "owner"),
            on_change=_on_field,
            args=(*args, "owner", title),
            max_chars=NAME_MAX,
            placeholder=tr("plan.owner_placeholder"),
            disabled=not editable,
        )
        due.date_input(
            tr("plan.due"),
            shown["due"],
            key=_key(unit_id, practice.id, "due"),
            on_change=_on_field,
            args=(*args, "due", title),
            format=DAY_FORMAT,
            min_value=date(2000, 1, 1),
            max_value=date(2100, 12, 31),
            help=tr("plan.due_help"),
            disabled=not editable,
        )
        st.text_area(
            tr("plan.action"),
            shown["action"],
            key=_key(unit_id, practice.id, "action"),
            on_change=_on_field,
            args=(*args, "action", title),
            max_chars=NOTE_MAX,
            height=80,
            placeholder=tr("plan.action_placeholder"),
            disabled=not editable,
        )
        _messages(core, unit_id, practice.id, item, title)
        _evidence(core, unit_id, practice.id, plan, editable)


def _messages(core: Lartrappan, unit_id: int, practice_id: str, item: PlanItem, title: str) -> None:
    conflict_key = _key(unit_id, practice_id, "conflict")
    error_key = _key(unit_id, practice_id, "error")
    if conflict_key in st.session_state:
        st.warning(st.session_state[conflict_key], icon=":material/group:")
        field = st.session_state.get(_key(unit_id, practice_id, "conflict_field"), "owner")
        if st.session_state.get(_key(unit_id, practice_id, field)) != _stored(item, field):
            st.button(
                tr("plan.keep_mine"),
                key=_key(unit_id, practice_id, "keep"),
                on_click=_on_field,
                args=(core, unit_id, practice_id, field, title),
            )
    if error_key in st.session_state:
        st.error(st.session_state[error_key])
    elif item.updated_at is not None:
        st.caption(
            tr(
                "plan.last_change",
                when=format_moment(item.updated_at),
                who=md_escape(item.updated_by) or tr("checklist.someone"),
            )
        )


def _evidence(
    core: Lartrappan, unit_id: int, practice_id: str, plan: PracticePlan, editable: bool = True
) -> None:
    """The links: description as text, when added, a button that opens the link (and, for
    who may edit, one that removes it, and the form adding one)."""
    st.markdown(f"**{tr('plan.evidence')}**")
    if not plan.evidence:
        st.caption(tr("plan.no_evidence"))
    for link in plan.evidence:
        text, open_it, remove = st.columns([6, 2, 2], vertical_alignment="center")
        text.markdown(md_escape(link.description))  # inert: shown as the text typed
        text.caption(
            tr(
                "plan.link_added_on",
                when=format_moment(link.added_at),
                who=md_escape(link.added_by) or tr("checklist.someone"),
            )
        )
        open_it.link_button(
            tr("plan.open_link"),
            link.url,
            key=_key(unit_id, practice_id, f"link_{link.id}"),
            icon=":material/open_in_new:",
        )
        if not editable:
            continue
        remove.button(
            tr("plan.remove_link"),
            key=_key(unit_id, practice_id, f"remove_{link.id}"),
            on_click=_on_remove_link,
            args=(core, unit_id, practice_id, link.id),
            icon=":material/delete:",
        )
    if not editable:
        return
    with st.form(_key(unit_id, practice_id, "link_form"), border=False):
        url, text = st.columns(2)
        url.text_input(
            tr("plan.link_url"),
            key=_key(unit_id, practice_id, "url"),
            max_chars=URL_MAX,
            placeholder="https://",
        )
        text.text_input(
            tr("plan.link_text"),
            key=_key(unit_id, practice_id, "text"),
            max_chars=EVIDENCE_DESCRIPTION_MAX,
        )
        st.form_submit_button(
            tr("plan.add_link"), on_click=_on_add_link, args=(core, unit_id, practice_id)
        )
    error_key = _key(unit_id, practice_id, "link_error")
    if error_key in st.session_state:
        st.error(st.session_state[error_key])


# ---------------------------------------------------------------------------- lists


def actions_table(actions: list[OpenAction], with_unit: bool) -> pd.DataFrame:
    """The actions as a table whose cells are inert text (st.table renders Markdown)."""
    rows = []
    for a in actions:
        row = {}
        if with_unit:
            row[tr("plan.col_unit")] = md_escape(a.unit_path)
        row[tr("plan.col_practice")] = md_escape(a.practice_title(lang()))
        row[tr("plan.col_owner")] = md_escape(a.owner) or "–"
        row[tr("plan.col_due")] = a.due.isoformat() if a.due else "–"
        row[tr("plan.col_state")] = tr("plan.overdue") if a.overdue else ""
        row[tr("plan.col_action")] = md_escape(a.action)
        rows.append(row)
    return pd.DataFrame(rows)


def open_actions(core: Lartrappan, unit_id: int) -> None:
    """The unit's open actions: earliest due first, overdue ones marked in words."""
    actions = core.plans.open_actions(unit_id, now().date(), actor=actor())
    st.subheader(tr("plan.open_title"), anchor="open-actions")
    if not actions:
        st.caption(tr("plan.open_none"))
        return
    late = sum(a.overdue for a in actions)
    st.caption(tr("plan.open_summary", n=len(actions), late=late))
    st.table(actions_table(actions, with_unit=False), hide_index=True)


def overdue_actions(core: Lartrappan, unit_id: int) -> None:
    """The overdue actions of the unit and every unit under it, with a one-line summary:
    for the organisation page."""
    today = now().date()
    actions = core.plans.overdue(unit_id, today, actor=actor())
    st.subheader(tr("plan.overdue_title"), anchor="overdue-actions")
    if not actions:
        st.caption(tr("plan.overdue_none", today=today.isoformat()))
        return
    units = len({a.unit_id for a in actions})
    oldest = min(a.due for a in actions if a.due is not None)
    st.caption(
        tr(
            "plan.overdue_summary",
            n=len(actions),
            units=units,
            oldest=oldest.isoformat(),
            days=(today - oldest).days,
        )
    )
    shown = actions[:OVERDUE_SHOWN]
    st.table(actions_table(shown, with_unit=True), hide_index=True)
    if len(actions) > len(shown):
        st.caption(tr("plan.overdue_more", shown=len(shown), more=len(actions) - len(shown)))
