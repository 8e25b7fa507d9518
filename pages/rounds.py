"""Assessment rounds: ask every unit under the chosen unit to follow up by a date, see who
has, and close the round."""

import streamlit as st

from staircase.ui import steering
from staircase.ui.context import md_escape, tr
from staircase.ui.widgets import chosen_unit, show_flash

core, tree, unit = chosen_unit()
st.title(tr("round.page_title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
show_flash()
steering.open_round_form(core, tree, unit)
steering.rounds_section(core, tree, unit)
