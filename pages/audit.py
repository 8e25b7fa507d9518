"""The audit trail (login mode, admins): every change, filtered by unit, person and period;
exported as CSV."""

from datetime import date, timedelta

import streamlit as st

from staircase.domain.model import ValidationError
from staircase.domain.moments import now
from staircase.i18n import action_label
from staircase.ui.context import actor, get_core, lang, show_problems, tr, unit_tree
from staircase.ui.widgets import scope_label

SHOWN = 500  # records shown on the page (the CSV holds every one that matches)


core = get_core()
tree = unit_tree(core)
who = actor()

st.title(tr("audit.title"))
st.caption(tr("audit.help"))
unit_col, person_col = st.columns(2)
unit = unit_col.selectbox(
    tr("audit.unit"),
    [None, *(u.id for u in tree.ordered(include_archived=True))],
    format_func=lambda i: tr("audit.all_units") if i is None else tree.label(i),
    key="audit_unit",
)
person = person_col.text_input(tr("audit.person"), max_chars=254, key="audit_person")
today = now().date()
period = st.date_input(
    tr("audit.period"),
    value=(today - timedelta(days=30), today),
    max_value=today,
    format="YYYY-MM-DD",
    key="audit_period",
)
since, until = (*period, None, None)[:2] if isinstance(period, tuple) else (period, None)
filters = {
    "unit_id": unit,
    "person": person.strip() or None,
    "since": since if isinstance(since, date) else None,
    "until": until if isinstance(until, date) else None,
}
try:
    records = core.audit.records(who, limit=SHOWN, **filters)
except ValidationError as error:  # not an admin: the service says so
    show_problems(error)
    st.stop()

st.download_button(
    tr("audit.download"),
    data=lambda: core.audit.export_csv(who, **filters),
    file_name=f"lartrappan-audit-{today.isoformat()}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
    key="audit_download",
)
if not records:
    st.info(tr("audit.none"))
    st.stop()
st.caption(tr("audit.shown", count=len(records), max=SHOWN))

st.dataframe(
    [
        {
            tr("audit.at"): r.at,
            tr("audit.who"): r.actor or r.email or tr("audit.no_name"),
            tr("audit.action"): action_label(r.action, lang()),  # the CSV keeps the id
            # a change with no unit (users, roles, own practices) is the whole database's
            tr("audit.unit_column"): scope_label(tree, r.unit_id),
            tr("audit.before"): r.before or "",
            tr("audit.after"): r.after or "",
        }
        for r in records
    ],
    hide_index=True,
    key="audit_table",
)
