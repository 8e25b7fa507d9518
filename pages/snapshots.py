"""History: a unit's snapshots, what changed between two of them, and deleting one."""

import streamlit as st

from staircase.domain.access import Right
from staircase.domain.diff import diff_snapshots, maturity_change
from staircase.domain.model import ValidationError
from staircase.domain.moments import format_moment
from staircase.i18n import percent
from staircase.ui import login
from staircase.ui.context import actor, lang, md_escape, show_problems, tr
from staircase.ui.widgets import chosen_unit, flash, show_flash
from staircase.views.tables import diff_table, entries_table, snapshot_table

core, tree, unit = chosen_unit()

st.title(tr("snapshots.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
show_flash()

snapshots = core.snapshots.of_unit(unit.id, actor=actor())
if not snapshots:
    st.info(tr("snapshots.none"))
    st.stop()

catalogue = core.practices.catalogue(include_archived=True, actor=actor())
st.dataframe(
    snapshot_table(snapshots, core.snapshots.history([unit.id], actor=actor()), lang()),
    hide_index=True,
    key="snap_table",
)

by_id = {s.id: s for s in snapshots}


def describe(snapshot_id: int) -> str:
    s = by_id[snapshot_id]
    return format_moment(s.taken_at) + (f" · {s.saved_by}" if s.saved_by else "")


st.header(tr("snapshots.diff_title"))
ids = list(by_id)
if len(ids) == 1:
    after = ids[0]
    after_entries = core.snapshots.entries(after, actor=actor())
    st.info(tr("snapshots.only_one"))
else:
    older, newer = st.columns(2)
    before = older.selectbox(
        tr("snapshots.before"),
        ids,
        index=min(1, len(ids) - 1),
        format_func=describe,
        key="snap_before",
    )
    after = newer.selectbox(
        tr("snapshots.after"), ids, index=0, format_func=describe, key="snap_after"
    )
    after_entries = core.snapshots.entries(after, actor=actor())
    diff = diff_snapshots(core.snapshots.entries(before, actor=actor()), after_entries)
    reached, maturity, changed = st.columns(3)
    reached.metric(
        tr("score.step_reached"),
        diff.after.step_reached,
        delta=(diff.after.step_reached - diff.before.step_reached) or None,
        border=True,
    )
    maturity.metric(
        tr("score.maturity"),
        percent(diff.after.maturity, lang()),
        delta=percent(change, lang()) if (change := maturity_change(diff)) else None,
        border=True,
    )
    changed.metric(tr("snapshots.changed_count"), len(diff.changes), border=True)
    if diff.changes:
        st.dataframe(diff_table(diff, catalogue, lang()), hide_index=True, key="snap_diff")
    else:
        st.info(tr("snapshots.no_changes"))
with st.expander(tr("snapshots.contents", snapshot=md_escape(describe(after)))):
    st.dataframe(entries_table(after_entries, catalogue, lang()), hide_index=True)

if not login.may_on(actor(), Right.EDIT, unit.id, tree):  # deleting: editors and admins
    st.stop()
st.header(tr("snapshots.delete_title"))
with st.form("snap_delete_form"):
    target = st.selectbox(tr("snapshots.delete_which"), ids, format_func=describe, key="snap_del")
    confirmed = st.checkbox(tr("snapshots.delete_confirm"), key="snap_del_confirm")
    if st.form_submit_button(tr("snapshots.delete"), type="primary"):
        if not confirmed:
            st.warning(tr("snapshots.delete_needs_confirm"))
        else:
            try:
                core.snapshots.delete(actor(), target)
                flash(tr("snapshots.deleted", snapshot=describe(target)))
                st.rerun()
            except ValidationError as error:
                show_problems(error)
