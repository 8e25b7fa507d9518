"""The organisation: a unit with units under it, seen through them (management's page)."""

import streamlit as st

from staircase.ui import assessment, plan, steering
from staircase.ui import organisation as sections
from staircase.ui.context import actor, has_units_under, md_escape, tr, unit_link
from staircase.ui.report import report_section
from staircase.ui.widgets import chosen_unit

core, tree, unit = chosen_unit()
st.title(tr("org.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")

if not has_units_under(tree, unit.id):
    st.info(tr("org.no_units_under", unit=md_escape(unit.name)))
    unit_link(tree, unit.id, tr("org.open_checklist"), icon=":material/checklist:")
    if unit.parent_id is not None:
        parent = tree.units[unit.parent_id]
        unit_link(tree, parent.id, tr("org.open_parent", unit=parent.name), icon=":material/lan:")
    st.stop()

now = core.rollup.of_unit(tree, unit.id, actor=actor())
if unit.id in set(now.scores["unit_id"]):
    st.info(tr("org.also_assesses"))
sections.headline(now)
steering.targets_overview(core, tree, unit.id)
steering.rounds_overview(core, tree, unit.id)
sections.over_time(core, tree, now)
sections.practices(now)
sections.heatmap(now, tree)
sections.movers(core, tree, now)
sections.follow_up(tree, now)
plan.overdue_actions(core, unit.id)
assessment.organisation_section(core, tree, unit.id)
report_section(core, tree, unit)
