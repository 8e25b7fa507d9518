"""Progress: where the unit stands now, how it moved over time, and how units compare.

The first view draws no chart in the browser: the staircase and the history are pictures
drawn on the server (a Plotly chart anywhere on the page costs more than the page's whole
budget, in evaluating Plotly's code). The interactive charts load when asked for: each tab
runs, and sends its content, only when it is open.
"""

import streamlit as st

from staircase.ui.context import actor, lang, md_escape, tr
from staircase.ui.figures import chart, figures_table, picture, summary
from staircase.ui.report import report_section
from staircase.ui.widgets import chosen_unit
from staircase.views import chart_text as text
from staircase.views import charts, pictures
from staircase.views.tables import overview_table

core, tree, unit = chosen_unit()
progress = core.progress.of_unit(unit.id, actor=actor())
catalogue = progress.catalogue
target = core.targets.of_unit(tree, unit.id, actor=actor())
shown_target = (
    (target.step, target.due.isoformat()) if target and target.step and target.due else None
)

st.title(tr("progress.title"))
st.markdown(f"#### {md_escape(tree.label(unit.id))}")
summary(text.staircase_summary(progress.score, lang(), shown_target))
picture(
    pictures.staircase_svg,
    pictures.staircase_alt,
    progress.score,
    catalogue,
    lang(),
    unit.name,
    shown_target,
)
figures_table(tr("chart.text.data"), text.staircase_table(progress.score, catalogue, lang()))

over_time, comparison, overview = st.tabs(
    [tr("progress.tab_history"), tr("progress.compare_title"), tr("progress.tab_overview")],
    on_change="rerun",
    key="prog_tab",
)
if over_time.open:
    with over_time:
        interactive = st.toggle(
            tr("progress.interactive"),
            help=tr("progress.interactive_help"),
            key="prog_interactive",
            persist_state="page",
        )
        summary(text.history_summary(progress.history, lang()))
        for figure, drawing, describe, key in (
            (charts.progress_figure, pictures.progress_svg, pictures.progress_alt, "prog_progress"),
            (
                charts.step_reached_figure,
                pictures.step_reached_svg,
                pictures.step_reached_alt,
                "prog_steps",
            ),
        ):
            args = (progress.history, catalogue, lang())
            if key == "prog_steps":
                args += (shown_target,)
            if interactive:
                st.plotly_chart(chart(figure, *args), key=key, alt=chart(describe, *args))
            else:
                picture(drawing, describe, *args)
        figures_table(
            tr("chart.text.history_data"),
            chart(text.history_table, progress.history, catalogue, lang()),
        )

if comparison.open:
    with comparison:
        # Only the unit's own organisation: the page's work doesn't grow with other ones.
        organisation = tree.root_of(unit.id)
        labels = tree.short_labels(u.id for u in tree.ordered(under=organisation))
        chosen = st.multiselect(
            tr("progress.compare_units"),
            options=list(labels),
            default=core.progress.compared_by_default(tree, progress, actor=actor()),
            format_func=labels.__getitem__,
            max_selections=10,
            key=f"prog_compare_{organisation}",  # one choice per organisation
            persist_state="page",
        )
        metric = st.segmented_control(
            tr("progress.compare_metric"),
            options=["maturity", "step_reached"],
            format_func=lambda m: tr(f"score.{m}"),
            default="maturity",
            required=True,
            key="prog_metric",
            persist_state="page",
        )
        compared = (
            core.progress.comparison(progress, chosen, actor=actor()),
            tree.short_labels(chosen),
            lang(),
        )
        summary(text.comparison_summary(*compared, metric))
        st.plotly_chart(
            chart(charts.comparison_figure, *compared, metric),
            key="prog_comparison",
            alt=text.comparison_summary(*compared, metric),
        )
        figures_table(tr("chart.text.data"), text.comparison_table(*compared, metric))

if overview.open:
    with overview:
        units = core.progress.overview(tree, unit.id, actor=actor())
        st.subheader(tr("progress.overview_title", unit=md_escape(tree.units[units.scope].name)))
        labels = tree.short_labels(units.ids)
        summary(text.overview_summary(units.latest, labels, lang()))
        st.plotly_chart(
            chart(charts.overview_figure, units.latest, labels, catalogue, lang()),
            key="prog_overview",
            alt=text.overview_summary(units.latest, labels, lang()),
        )
        # Every unit, with its figures.
        figures_table(tr("chart.text.data"), overview_table(units.latest, tree, units.ids, lang()))

report_section(core, tree, unit)
