"""Users (login mode, admins): who has which role where; grant and revoke by email."""

from functools import partial

import streamlit as st

from staircase.domain.access import Role
from staircase.domain.model import ValidationError
from staircase.ui.context import actor, get_core, md_escape, show_problems, tr, unit_tree
from staircase.ui.widgets import flash, scope_label, show_flash

core = get_core()
tree = unit_tree(core)
who = actor()

st.title(tr("users.title"))
st.caption(tr("users.help"))
show_flash()
try:
    grants = core.people.grants(actor=who)
except ValidationError as error:  # not an admin: the service says so
    show_problems(error)
    st.stop()


where = partial(scope_label, tree)
st.dataframe(
    [
        {
            tr("users.email"): g.email,
            tr("users.name"): g.name or tr("users.not_signed_in"),
            tr("users.role"): tr(f"role.{g.role.value}"),
            tr("users.unit"): where(g.unit_id),
        }
        for g in grants
    ],
    hide_index=True,
    key="users_table",
)

if st.session_state.pop("users_granted", False):
    st.session_state["users_email"] = ""  # set before the field is drawn: the browser clears it
with st.form("users_grant_form"):
    st.subheader(tr("users.grant_title"))
    email = st.text_input(tr("users.email"), max_chars=254, key="users_email")
    roles = [Role.VIEWER, Role.EDITOR, Role.MANAGER, Role.ADMIN]  # least right first
    role = st.selectbox(
        tr("users.role"),
        roles,
        format_func=lambda r: tr(f"role.{r.value}"),
        help=tr("users.role_help"),
        key="users_role",
    )
    unit = st.selectbox(
        tr("users.unit"),
        [None, *(u.id for u in tree.ordered())],
        format_func=where,
        key="users_unit",
        help=tr("users.unit_help"),
    )
    if st.form_submit_button(tr("users.grant"), type="primary"):
        try:
            core.people.grant(who, email, role, unit)
        except ValidationError as error:
            show_problems(error)
        else:
            flash(tr("users.granted", email=md_escape(email.strip().lower())))
            st.session_state["users_granted"] = True  # the next grant starts empty
            st.rerun()

if grants:
    st.subheader(tr("users.revoke_title"))
    # The options are the grants themselves (email, role, unit), so a list that another
    # admin changed in the meantime still revokes the grant chosen; a chosen grant that is
    # gone by the click is no choice at all (no default), never another one. (Positions as
    # options revoked the wrong grant: Streamlit matched the old position to a new label.)
    listed = {(g.email, g.role.value, g.unit_id): g for g in grants}
    chosen = st.selectbox(
        tr("users.which"),
        list(listed),  # the grants themselves, never positions in a list that may move
        index=None,
        placeholder=tr("users.choose"),
        format_func=lambda k: f"{k[0]} · {tr(f'role.{k[1]}')} · {where(k[2])}",
        key="users_revoke_which",
    )
    if st.button(tr("users.revoke"), key="users_revoke"):
        g = listed.get(chosen) if chosen is not None else None
        if g is None:
            st.warning(tr("users.choose_first"))
            st.stop()
        try:
            core.people.revoke(who, g.email, g.role, g.unit_id)
        except ValidationError as error:
            show_problems(error)
        else:
            st.session_state.pop("users_revoke_which", None)
            flash(tr("users.revoked", email=md_escape(g.email)))
            st.rerun()
