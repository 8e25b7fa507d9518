"""Steering's widgets: a unit's target (set, clear, history), how the units under a unit
stand against theirs, the assessment rounds (open, follow, close) and what a lead sees of
both on the checklist."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import streamlit as st

from staircase.domain.access import Right
from staircase.domain.model import STEPS, Lang, Unit, ValidationError
from staircase.domain.moments import format_moment, now
from staircase.domain.steering import RoundStatus, Target, TargetState
from staircase.domain.units import UnitTree
from staircase.i18n import t
from staircase.services import Lartrappan
from staircase.ui import login
from staircase.ui.context import actor, lang, md_escape, page_link, show_problems, tr, unit_link
from staircase.ui.document import queue_announcement
from staircase.ui.figures import picture
from staircase.ui.widgets import flash
from staircase.views import pictures
from staircase.views import steering as views

LIST_MAX = 10
"""Units listed by name (as links); the rest in a table."""
ROUNDS_PAGE = "pages/rounds.py"
TARGETS_PAGE = "pages/targets.py"


def _step_label(lang: Lang, step: int) -> str:
    return t("org.step_short", lang, step=step)


# ------------------------------------------------------------------------------ targets


def target_section(core: Lartrappan, tree: UnitTree, unit: Unit) -> None:
    """The unit's target: what holds now, a form to set it (for the unit and every unit
    under it), clearing its own, and the history."""
    current = core.targets.of_unit(tree, unit.id, actor=actor())
    st.subheader(tr("target.title"))
    st.markdown(f"**{md_escape(views.target_text(current, tree, unit.id, lang()))}**")
    st.caption(tr("target.rule"))
    manages = login.may_on(actor(), Right.MANAGE, unit.id, tree)  # managers and admins
    if manages:
        _target_form(core, tree, unit, current)
    own = current is not None and current.unit_id == unit.id
    if manages and own and st.button(tr("target.clear"), key=f"target_clear_{unit.id}"):
        try:
            core.targets.clear(actor(), unit.id)
        except ValidationError as exc:
            show_problems(exc)
        else:
            _done(tr("target.cleared_done"))
    history = core.targets.history(tree, unit.id, actor=actor())
    with st.expander(tr("target.history", n=len(history))):
        if history:
            st.dataframe(views.history_table(history, tree, lang()), hide_index=True)
        else:
            st.caption(tr("target.history_none"))


def _target_form(core: Lartrappan, tree: UnitTree, unit: Unit, current: Target | None) -> None:
    with st.form(f"target_form_{unit.id}", enter_to_submit=False):
        left, right = st.columns(2)
        step = left.selectbox(
            tr("target.step"),
            options=list(STEPS),
            index=(current.step - 1) if current is not None and current.step else 1,
            format_func=partial(_step_label, lang()),
            key=f"target_step_{unit.id}_{lang()}",
        )
        due = right.date_input(
            tr("target.due"),
            value=current.due if current is not None and current.due else _in_months(6),
            format="YYYY-MM-DD",
            key=f"target_due_{unit.id}",
        )
        if tree.children(unit.id):
            st.caption(tr("target.applies_below"))
        if st.form_submit_button(tr("target.save"), type="primary"):
            _set_target(core, unit, int(step), due)


def _set_target(core: Lartrappan, unit: Unit, step: int, due: date | None) -> None:
    if not isinstance(due, date):
        st.error(tr("target.due_missing"))
        return
    try:
        core.targets.set(actor(), unit.id, step, due)
    except ValidationError as exc:
        show_problems(exc)
        queue_announcement("; ".join(tr(p.key, **p.params) for p in exc.problems))
    else:
        _done(tr("target.saved", step=step, due=due.isoformat()))


def _done(message: str) -> None:
    flash(message)
    queue_announcement(message)
    st.rerun()


def _in_months(months: int) -> date:
    return now().date() + timedelta(days=round(months * 30.44))


def targets_overview(core: Lartrappan, tree: UnitTree, unit_id: int) -> None:
    """How the units under a unit stand against their targets; the ones behind first."""
    summary = core.targets.progress(tree, unit_id, actor=actor())
    st.subheader(tr("org.targets_title"))
    if summary.table.empty:
        st.caption(tr("org.targets_none"))
        page_link(TARGETS_PAGE, unit_id, tr("org.targets_set"), icon=":material/flag:")
        return
    columns = st.columns(4)
    for column, state in zip(
        columns, (TargetState.BEHIND, TargetState.ON_TRACK, TargetState.REACHED), strict=False
    ):
        column.metric(views.state_label(state, lang()), summary.count(state))
    columns[3].metric(tr("org.targets_without"), summary.without_target)
    st.caption(tr("target.rule"))
    behind = summary.behind
    if behind.empty:
        st.success(tr("org.targets_none_behind"))
    else:
        st.markdown(f"**{tr('org.targets_behind', n=len(behind))}**")
        for r in behind.head(LIST_MAX).itertuples(index=False):
            label = tr(
                "org.behind_line",
                unit=tree.units[int(r.unit_id)].name,
                step=int(r.step_reached),
                target=int(r.target_step),
                due=r.target_due.isoformat(),
                gap=int(r.gap),
            )
            unit_link(tree, int(r.unit_id), label)
    with st.expander(tr("org.targets_all", n=len(summary.table))):
        st.dataframe(views.targets_table(summary.table, tree, lang()), hide_index=True)


# -------------------------------------------------------------------------------- rounds


def open_round_form(core: Lartrappan, tree: UnitTree, unit: Unit) -> None:
    if not login.may_on(actor(), Right.MANAGE, unit.id, tree):  # managers and admins
        return
    with st.expander(tr("round.open_title"), expanded=False):
        st.caption(tr("round.rule"))
        with st.form(f"round_form_{unit.id}", enter_to_submit=False):
            name = st.text_input(tr("round.name"), max_chars=200, key=f"round_name_{unit.id}")
            left, right = st.columns(2)
            today = now().date()
            starts = left.date_input(
                tr("round.starts"), value=today, format="YYYY-MM-DD", key=f"round_start_{unit.id}"
            )
            due = right.date_input(
                tr("round.due"),
                value=today + timedelta(days=30),
                format="YYYY-MM-DD",
                key=f"round_due_{unit.id}",
            )
            if st.form_submit_button(tr("round.open"), type="primary"):
                if not isinstance(starts, date) or not isinstance(due, date):
                    st.error(tr("round.dates_missing"))
                    return
                try:
                    rnd = core.rounds.open(actor(), unit.id, name, starts, due)
                except ValidationError as exc:
                    show_problems(exc)
                else:
                    st.session_state[_chosen_key(unit.id)] = rnd.id
                    _done(tr("round.opened", name=rnd.name))


def _chosen_key(unit_id: int) -> str:
    return f"round_chosen_{unit_id}_{lang()}"  # its labels are in the app's language


def rounds_section(core: Lartrappan, tree: UnitTree, unit: Unit) -> None:
    """The rounds that concern the unit; the chosen one in full."""
    rounds = core.rounds.of_unit(tree, unit.id, actor=actor())
    if not rounds:
        st.info(tr("round.none"))
        return
    by_id = {r.id: r for r in rounds}
    key = _chosen_key(unit.id)
    if st.session_state.get(key) not in by_id:
        st.session_state[key] = next((r.id for r in rounds if r.is_open), rounds[0].id)
    chosen = st.selectbox(
        tr("round.choose"),
        options=list(by_id),
        index=list(by_id).index(st.session_state[key]),  # also its default (sidebar.py says why)
        format_func=partial(
            _round_label,
            {r.id: (r.name, str(r.starts), str(r.due), r.is_open) for r in rounds},
            lang(),
        ),
        key=key,
    )
    round_view(core, tree, int(chosen))
    with st.expander(tr("round.all", n=len(rounds))):
        st.dataframe(views.rounds_table(rounds, tree, lang()), hide_index=True)


def _round_label(rounds: dict[int, tuple[str, str, str, bool]], lang: Lang, round_id: int) -> str:
    name, starts, due, is_open = rounds[round_id]
    state = t("round.open_state", lang) if is_open else t("round.closed_short", lang)
    return f"{name} ({starts} – {due}, {state})"


def round_view(core: Lartrappan, tree: UnitTree, round_id: int) -> None:
    status = core.rounds.status(tree, round_id, actor=actor())
    rnd = status.round
    st.subheader(md_escape(rnd.name))
    st.caption(
        tr(
            "round.about",
            unit=md_escape(tree.label(rnd.unit_id)) if rnd.unit_id in tree.units else "–",
            starts=rnd.starts.isoformat(),
            due=rnd.due.isoformat(),
            by=md_escape(rnd.opened_by or "–"),
            at=format_moment(rnd.opened_at),
        )
    )
    if not rnd.is_open:
        st.info(
            tr(
                "round.closed_info",
                by=md_escape(rnd.closed_by or "–"),
                at=format_moment(rnd.closed_at),
            )
        )
    elif rnd.unit_id not in tree.units or tree.units[rnd.unit_id].archived:
        st.warning(tr("round.unit_archived"))
    columns = st.columns(3)
    columns[0].metric(tr("round.answered"), f"{status.answered} / {len(status.expected)}")
    columns[1].metric(tr("round.missing"), len(status.missing))
    days_left = (rnd.due - now().date()).days
    columns[2].metric(
        tr("round.days_left"),
        max(days_left, 0) if rnd.is_open else "–",
    )
    st.markdown(md_escape(views.completion_text(status, lang())))
    picture(
        pictures.burn_up_svg, pictures.burn_up_alt, status.burn_up, len(status.expected), lang()
    )
    st.caption(pictures.burn_up_alt(status.burn_up, len(status.expected), lang()))
    with st.expander(tr("round.figures")):
        st.table(views.burn_up_table(status, lang()), hide_index=True)
    _missing(tree, status)
    st.markdown(f"**{tr('round.result')}**")
    if status.previous is None:
        st.caption(tr("round.no_previous"))
    st.dataframe(views.result_table(status, lang()), hide_index=True)
    if rnd.is_open:
        _close(core, tree, status)


def _missing(tree: UnitTree, status: RoundStatus) -> None:
    st.markdown(f"**{tr('round.missing_title', n=len(status.missing))}**")
    if status.missing.empty:
        st.success(tr("round.all_answered"))
        return
    live = {u.id for u in tree.units.values() if not u.archived}
    for r in status.missing.head(LIST_MAX).itertuples(index=False):
        unit_id = int(r.unit_id)
        name = tree.units[unit_id].name if unit_id in tree.units else "–"
        label = (
            tr("round.missing_line", unit=name, who=r.last_saved_by)
            if r.last_saved_by
            else tr("round.missing_line_unknown", unit=name)
        )
        if unit_id in live:
            unit_link(tree, unit_id, label)
        else:
            st.markdown(md_escape(label))
    if len(status.missing) > LIST_MAX:
        st.dataframe(views.missing_table(status, tree, lang()), hide_index=True)


def _close(core: Lartrappan, tree: UnitTree, status: RoundStatus) -> None:
    rnd = status.round
    if not login.may_on(actor(), Right.MANAGE, rnd.unit_id, tree):  # managers and admins
        return
    st.markdown(f"**{tr('round.close_title')}**")
    sure = st.checkbox(
        tr("round.close_confirm", answered=status.answered, expected=len(status.expected)),
        key=f"round_close_sure_{rnd.id}",
    )
    if st.button(tr("round.close"), disabled=not sure, key=f"round_close_{rnd.id}"):
        try:
            core.rounds.close(actor(), tree, rnd.id)
        except ValidationError as exc:
            show_problems(exc)
        else:
            _done(tr("round.closed_done", name=rnd.name))


# ------------------------------------------------------------------- on the checklist


def for_the_lead(core: Lartrappan, tree: UnitTree, unit_id: int) -> None:
    """The unit's target and the open rounds that ask it, with whether it has answered."""
    target = core.targets.of_unit(tree, unit_id, actor=actor())
    if target is not None:
        summary = core.targets.progress(tree, unit_id, actor=actor())
        row = summary.table[summary.table["unit_id"] == unit_id]
        text = views.target_text(target, tree, unit_id, lang())
        line = (
            tr(
                "target.for_unit",
                target=text,
                state=views.state_label(row.iloc[0]["state"], lang()),
            )
            if len(row)
            else tr("target.for_unit_plain", target=text)  # a unit that gathers, not assessed
        )
        st.markdown(f":material/flag: {md_escape(line)}")
    rounds = core.rounds.open_for(tree, unit_id, actor=actor())
    if not rounds:
        return
    taken = [s.taken_at.date() for s in core.snapshots.of_unit(unit_id, actor=actor())]
    today = now().date()
    for rnd in rounds:
        answered = any(rnd.covers(day) for day in taken)
        key = "round.banner_answered" if answered else "round.banner"
        if not answered and rnd.due < today:
            key = "round.banner_overdue"
        message = tr(
            key,
            name=md_escape(rnd.name),
            starts=rnd.starts.isoformat(),
            due=rnd.due.isoformat(),
            days=max((rnd.due - today).days, 0),
        )
        (st.success if answered else st.warning)(message, icon=":material/event_available:")


def rounds_overview(core: Lartrappan, tree: UnitTree, unit_id: int) -> None:
    """On the organisation page: the open rounds that concern the unit, with completion."""
    rounds = [r for r in core.rounds.of_unit(tree, unit_id, actor=actor()) if r.is_open]
    st.subheader(tr("round.overview_title"))
    if not rounds:
        st.caption(tr("round.overview_none"))
    for rnd in rounds[:LIST_MAX]:
        status = core.rounds.status(tree, rnd.id, actor=actor())
        st.markdown(
            md_escape(
                tr(
                    "round.overview_line",
                    name=rnd.name,
                    unit=tree.units[rnd.unit_id].name,
                    due=rnd.due.isoformat(),
                    answered=status.answered,
                    expected=len(status.expected),
                )
            )
        )
    page_link(ROUNDS_PAGE, unit_id, tr("round.overview_open"), icon=":material/event_available:")
