"""Targets: where the chosen unit (and every unit under it) should stand, by when."""

import streamlit as st

from staircase.ui import steering
from staircase.ui.context import has_units_under, md_escape, tr
from staircase.ui.widgets import chosen_unit, show_flash

core, tree, unit = chosen_unit()
st.title(tr("target.page_title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
show_flash()
steering.target_section(core, tree, unit)
if has_units_under(tree, unit.id):
    steering.targets_overview(core, tree, unit.id)
