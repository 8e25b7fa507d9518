"""Progress: where the unit stands now, how it moved over time, and how units compare."""

import streamlit as st

from staircase import charts
from staircase.store import score_working_state
from staircase.tables import overview_table
from staircase.ui.context import lang, md_escape, tr
from staircase.ui.figures import chart
from staircase.ui.widgets import chosen_unit, comparison_defaults

store, tree, unit = chosen_unit()
catalogue = store.catalogue()
# Only the unit's own organisation: the page's work doesn't grow with other organisations.
organisation = tree.root_of(unit.id)
labels = tree.short_labels(u.id for u in tree.ordered(under=organisation))

st.title(tr("progress.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")

score = score_working_state(catalogue, store.working_state(unit.id))
st.plotly_chart(
    chart(charts.staircase_figure, score, catalogue, lang(), unit.name), key="prog_staircase"
)

history = store.history([unit.id])
# Full width each: the step names on the step chart's axis need the room.
st.plotly_chart(chart(charts.progress_figure, history, catalogue, lang()), key="prog_progress")
st.plotly_chart(chart(charts.step_reached_figure, history, catalogue, lang()), key="prog_steps")

scope = tree.overview_scope(unit.id)
scope_ids = [u.id for u in tree.ordered(under=scope)]
overview = store.unit_overview(scope_ids)

st.header(tr("progress.compare_title"))
chosen = st.multiselect(
    tr("progress.compare_units"),
    options=list(labels),
    default=comparison_defaults(unit.id, history, overview),
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
compared = store.history(chosen)
st.plotly_chart(
    chart(
        charts.comparison_figure,
        compared,
        tree.short_labels(chosen),
        lang(),
        metric,
    ),
    key="prog_comparison",
)

st.header(tr("progress.overview_title", unit=md_escape(tree.units[scope].name)))
st.plotly_chart(
    chart(charts.overview_figure, overview, tree.short_labels(scope_ids), catalogue, lang()),
    key="prog_overview",
)
st.dataframe(overview_table(overview, tree, scope_ids, lang()), hide_index=True)
