"""Nuläge: the unit's current-state assessment, area by area; save it; earlier ones over time."""

import streamlit as st

from staircase.domain.access import Right
from staircase.ui import assessment, login
from staircase.ui.context import actor, md_escape, tr
from staircase.ui.widgets import chosen_unit, show_flash

core, tree, unit = chosen_unit()
model = core.assessments.model

st.title(tr("assessment.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
show_flash()
assessment.introduction(model)  # an aid for reflection, not a scientific method
assessment.walk(model, unit.id)  # each area: questions, levels, the chosen one's feedback
# Saving and deleting: for those who may edit the unit (the service refuses the rest anyway).
may_edit = login.may_on(actor(), Right.EDIT, unit.id, tree)
if may_edit:
    assessment.save_form(core, model, unit.id)
# Earlier ones, and the eight areas over time.
assessment.history(core, model, unit.id, may_delete=may_edit)
