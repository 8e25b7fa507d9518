"""Checklist: tick off the staircase's practices for the chosen unit, save a snapshot."""

import streamlit as st

from staircase.model import STEPS
from staircase.store import score_working_state
from staircase.ui import checklist
from staircase.ui.context import current_unit, get_store, md_escape, tr
from staircase.ui.widgets import no_unit_notice, score_metrics

store = get_store()
tree = store.unit_tree()
unit = current_unit(tree)
if unit is None:
    no_unit_notice()
    st.stop()

catalogue = store.catalogue()
states = store.working_state(unit.id)
score = score_working_state(catalogue, states)

st.title(tr("checklist.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
score_metrics(score, catalogue)
checklist.feedback_box(catalogue, score)
with st.expander(tr("checklist.how_scored")):
    st.markdown(tr("score.rule"))

for step in STEPS:
    checklist.step_section(store, unit.id, catalogue, score, states, step)

checklist.snapshot_form(store, unit.id)
