"""Checklist: tick off the staircase's practices for the chosen unit, save a snapshot."""

import streamlit as st

from staircase.ui import checklist
from staircase.ui.context import md_escape, tr
from staircase.ui.widgets import chosen_unit, show_flash

core, tree, unit = chosen_unit()

st.title(tr("checklist.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
show_flash()
checklist.practices(core, unit.id)  # a fragment: a tick reruns only this part
checklist.snapshot_form(core, unit.id)
