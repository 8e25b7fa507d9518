"""Vår handbok: the leader's own handbook of the chosen unit; compile and download it."""

import streamlit as st

from staircase.domain.access import Right
from staircase.ui import handbook, login
from staircase.ui.context import actor, md_escape, tr
from staircase.ui.widgets import chosen_unit, show_flash

core, tree, unit = chosen_unit()
catalogue = core.practices.catalogue(actor=actor())
book = core.handbook.of_unit(unit.id, actor=actor())  # read once: every section shows it

st.title(tr("handbook.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
show_flash()
st.caption(tr("handbook.intro"))
editable = login.may_on(actor(), Right.EDIT, unit.id, tree)  # a viewer sees it read-only
if not editable:
    st.info(tr("handbook.read_only"), icon=":material/visibility:")
handbook.vision(core, unit.id, book, editable)
handbook.questions(core, catalogue, unit.id, book, editable)
handbook.ambassadors(core, unit.id, book, editable)
handbook.summary(core, catalogue, unit.id, book, editable)
handbook.download(core, tree, unit)  # the compiled handbook, as PDF or Word
