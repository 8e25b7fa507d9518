"""Checklist: tick off the staircase's practices for the chosen unit, save a snapshot."""

import streamlit as st

from staircase.domain.access import Right
from staircase.ui import checklist, login, steering
from staircase.ui.context import actor, has_units_under, md_escape, tr, unit_link
from staircase.ui.widgets import chosen_unit, show_flash

core, tree, unit = chosen_unit()

st.title(tr("checklist.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
if has_units_under(tree, unit.id):  # its own checklist, if it also assesses itself
    st.info(tr("checklist.has_units_under"))
    unit_link(tree, unit.id, tr("checklist.open_organisation"), icon=":material/lan:")
show_flash()
steering.for_the_lead(core, tree, unit.id)  # its target and the open rounds that ask it
editable = login.may_on(actor(), Right.EDIT, unit.id, tree)  # a viewer sees it read-only
checklist.practices(core, unit.id, editable)  # a fragment: a tick reruns only this part
if editable:
    checklist.snapshot_form(core, unit.id)
