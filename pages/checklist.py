"""Checklist: tick off the staircase's practices for the chosen unit, save a snapshot."""

import streamlit as st

from staircase.model import STEPS
from staircase.store import score_working_state
from staircase.ui import checklist
from staircase.ui.context import md_escape, tr
from staircase.ui.widgets import chosen_unit, score_metrics, show_flash

store, tree, unit = chosen_unit()

catalogue = store.catalogue()
states = store.working_state(unit.id)
score = score_working_state(catalogue, states)

st.title(tr("checklist.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
show_flash()
score_metrics(score, catalogue)
checklist.feedback_box(catalogue, score)
with st.expander(tr("checklist.how_scored")):
    st.markdown(tr("score.rule"))

for step in STEPS:
    checklist.step_section(store, unit.id, catalogue, score, states, step)

checklist.snapshot_form(store, unit.id)
