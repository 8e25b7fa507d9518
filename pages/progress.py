"""Progress: where the unit stands now, how it moved over time, and how units compare."""

import streamlit as st

from staircase.ui.context import lang, md_escape, tr
from staircase.ui.figures import chart
from staircase.ui.widgets import chosen_unit
from staircase.views import charts
from staircase.views.tables import overview_table

core, tree, unit = chosen_unit()
progress = core.progress.of_unit(tree, unit.id)
catalogue = progress.catalogue
# Only the unit's own organisation: the page's work doesn't grow with other organisations.
organisation = tree.root_of(unit.id)
labels = tree.short_labels(u.id for u in tree.ordered(under=organisation))

st.title(tr("progress.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")

st.plotly_chart(
    chart(charts.staircase_figure, progress.score, catalogue, lang(), unit.name),
    key="prog_staircase",
)
# Full width each: the step names on the step chart's axis need the room.
st.plotly_chart(
    chart(charts.progress_figure, progress.history, catalogue, lang()), key="prog_progress"
)
st.plotly_chart(
    chart(charts.step_reached_figure, progress.history, catalogue, lang()), key="prog_steps"
)

st.header(tr("progress.compare_title"))
chosen = st.multiselect(
    tr("progress.compare_units"),
    options=list(labels),
    default=progress.compared_by_default,
    format_func=labels.__getitem__,
    max_selections=10,
    key=f"prog_compare_{organisation}",  # one choice per organisation
)
metric = st.segmented_control(
    tr("progress.compare_metric"),
    options=["maturity", "step_reached"],
    format_func=lambda m: tr(f"score.{m}"),
    default="maturity",
    required=True,
    key="prog_metric",
)
st.plotly_chart(
    chart(
        charts.comparison_figure,
        core.snapshots.history(chosen),
        tree.short_labels(chosen),
        lang(),
        metric,
    ),
    key="prog_comparison",
)

scope, scope_ids = progress.overview_scope, progress.overview_ids
st.header(tr("progress.overview_title", unit=md_escape(tree.units[scope].name)))
st.plotly_chart(
    chart(
        charts.overview_figure, progress.overview, tree.short_labels(scope_ids), catalogue, lang()
    ),
    key="prog_overview",
)
st.dataframe(overview_table(progress.overview, tree, scope_ids, lang()), hide_index=True)
