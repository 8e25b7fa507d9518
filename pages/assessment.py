"""Nuläge: the unit's current-state assessment, area by area; save it; earlier ones over time."""

import streamlit as st

from staircase.ui import assessment
from staircase.ui.context import md_escape, tr
from staircase.ui.widgets import chosen_unit, show_flash

core, tree, unit = chosen_unit()
model = core.assessments.model

st.title(tr("assessment.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
show_flash()
assessment.introduction(model)  # an aid for reflection, not a scientific method
assessment.walk(model, unit.id)  # each area: questions, levels, the chosen one's feedback
assessment.save_form(core, model, unit.id)
assessment.history(core, model, unit.id)  # earlier ones, and the eight areas over time
