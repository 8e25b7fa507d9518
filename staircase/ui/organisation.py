"""The organisation page's sections: where the units stand, how that moved, the weakest
practices, the heatmap, the movers and the follow-up. Each unit shown links to its own page."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from staircase.domain.rollup import (
    HEATMAP_SORTS,
    LEVELS,
    MOVERS_MONTHS,
    OVER_TIME_MONTHS,
    PERIOD_KINDS,
    STALE_MONTHS,
    OrganisationNow,
)
from staircase.domain.units import UnitTree
from staircase.i18n import percent, t
from staircase.services import Lartrappan
from staircase.ui.context import actor, lang, md_escape, open_unit, tr, unit_link
from staircase.ui.figures import chart, picture
from staircase.ui.widgets import option_label
from staircase.views import organisation as views
from staircase.views import pictures

LIST_MAX = 10
"""Units listed by name (as links) in the movers' and follow-up lists; the rest in a table."""
WINDOWS = (12, 24, 36, 60)
"""Months the distribution over time can look back."""


def headline(now: OrganisationNow) -> None:
    """How many units stand on each step now, and their maturity."""
    dist = now.distribution
    st.subheader(tr("org.now_title"))
    st.caption(tr("org.now_help", assessed=dist.assessed, expected=dist.units_in_scope))
    columns = st.columns(len(LEVELS) + 2)
    for column, step in zip(columns, LEVELS, strict=False):
        column.metric(tr("org.step_short", step=step), dist.steps[step])
    columns[-2].metric(tr("org.maturity_mean"), percent(dist.maturity_mean, lang()))
    columns[-1].metric(tr("org.maturity_median"), percent(dist.maturity_median, lang()))
    if dist.not_assessed:
        st.caption(tr("org.not_assessed_count", n=dist.not_assessed))


def over_time(core: Lartrappan, tree: UnitTree, now: OrganisationNow) -> None:
    st.subheader(tr("org.over_time_title"))
    left, right = st.columns(2)
    kind = left.segmented_control(
        tr("org.period_kind"),
        options=list(PERIOD_KINDS),
        format_func=partial(option_label, "org.period_kind.{}", lang()),
        default="quarter",
        required=True,
        key="org_period_kind",
    )
    months = right.selectbox(
        tr("org.window"),
        options=list(WINDOWS),
        index=WINDOWS.index(OVER_TIME_MONTHS),
        key="org_window",  # plain numbers: the choice survives a change of language
    )
    over = core.rollup.over_time(tree, now.unit_id, kind, months, now.at, actor=actor())
    args = (views.period_labels(over, lang()), over.table, now.catalogue, lang())
    st.caption(views.distribution_summary(*args))
    interactive = st.toggle(
        tr("progress.interactive"),
        help=tr("progress.interactive_help"),
        key="org_interactive",
    )
    if interactive:  # Plotly's code loads only now: the first view stays light
        st.plotly_chart(
            chart(views.distribution_figure, *args),
            key="org_distribution",
            alt=chart(views.distribution_summary, *args),
        )
    else:
        picture(pictures.distribution_svg, views.distribution_summary, *args)
    with st.expander(tr("org.chart_data")):
        st.table(views.distribution_table(over, lang()), hide_index=True)


def practices(now: OrganisationNow) -> None:
    st.subheader(tr("org.practices_title"))
    st.caption(tr("org.practices_help"))
    # A plain table (HTML, no grid code to load): ten rows, read rather than explored.
    st.table(views.practices_table(now.practices, now.catalogue, lang()), hide_index=True)


def heatmap(now: OrganisationNow, tree: UnitTree) -> None:
    """Units × practices: the groups under the unit, each opening into its units."""
    st.subheader(tr("org.heatmap_title"))
    groups = now.groups(tree)
    grouped_view = any(tree.children(g) for g in groups)
    group_key = f"org_group_{now.unit_id}_{lang()}"  # "every part" is in the language
    left, right = st.columns(2)
    if grouped_view:
        options: list[int | None] = [None, *groups]
        if st.session_state.get(group_key) not in options:
            st.session_state[group_key] = None
        left.selectbox(
            tr("org.heatmap_group"),
            options=options,
            format_func=partial(_group_label, tree, t("org.heatmap_all_groups", lang())),
            key=group_key,
        )
    group = st.session_state.get(group_key) if grouped_view else None
    sort = right.selectbox(
        tr("org.heatmap_sort"),
        options=[f"{s}:{d}" for s in HEATMAP_SORTS for d in ("asc", "desc")],
        format_func=partial(option_label, "org.sort.{}", lang()),
        key=f"org_heatmap_sort_{lang()}",  # its labels are in the language: one per language
    )
    by, direction = sort.split(":")
    rows = now.heatmap(tree, group, by, direction == "desc")  # type: ignore[arg-type]
    grouped = grouped_view and group is None
    total = len(rows)
    if not grouped and total > views.HEATMAP_PAGE:
        pages = (total - 1) // views.HEATMAP_PAGE + 1
        page = st.number_input(
            tr("org.heatmap_page", pages=pages),
            min_value=1,
            max_value=pages,
            value=1,
            key=f"org_heatmap_page_{now.unit_id}_{group}",
        )
        start = (int(page) - 1) * views.HEATMAP_PAGE
        rows = rows.iloc[start : start + views.HEATMAP_PAGE].reset_index(drop=True)
    ids = now.practice_ids
    codes = views.practice_codes(now.catalogue, ids)
    frame = views.heatmap_frame(rows, tree, now.catalogue, ids, lang(), grouped)
    st.caption(tr("org.heatmap_help_groups" if grouped else "org.heatmap_help_units"))
    config = {
        codes[pid]: st.column_config.TextColumn(
            codes[pid], help=views.practice_title(now.catalogue, pid, lang())
        )
        for pid in ids
    }
    grid_key = f"org_heatmap_{now.unit_id}_{group}_{sort}"
    row_units = [int(u) for u in rows["unit_id"]]
    opens_group = [grouped and u != now.unit_id for u in row_units]
    st.dataframe(
        views.heatmap_style(frame, rows, ids, grouped),
        hide_index=True,
        column_config=config,
        on_select=partial(_row_chosen, grid_key, group_key, row_units, opens_group),
        selection_mode="single-row",
        key=grid_key,
    )
    target = st.session_state.pop(_OPEN_UNIT, None)
    if target is not None and target in tree.units:
        open_unit(tree, target)
    with st.expander(tr("org.heatmap_legend")):
        st.markdown(
            "\n".join(
                f"- **{codes[pid]}** {md_escape(views.practice_title(now.catalogue, pid, lang()))}"
                for pid in ids
            )
            + "\n\n"
            + "  \n".join(
                f"{views.STATUS_SYMBOLS[s]} {tr(f'status.{s}')}" for s in views.STATUS_SYMBOLS
            )
        )


def _group_label(tree: UnitTree, every: str, group: int | None) -> str:
    return every if group is None else tree.units[group].name


_OPEN_UNIT = "_org_open_unit"


def _row_chosen(
    grid_key: str, group_key: str, row_units: list[int], opens_group: list[bool]
) -> None:
    """A heatmap row was chosen: a group's row opens the group in the heatmap, a unit's row
    the unit's own page (after the callback: pages cannot be switched from one)."""
    rows = st.session_state[grid_key].selection.rows
    if not rows or rows[0] >= len(row_units):
        return
    index = rows[0]
    if opens_group[index]:
        st.session_state[group_key] = row_units[index]
    else:
        st.session_state[_OPEN_UNIT] = row_units[index]


def movers(core: Lartrappan, tree: UnitTree, now: OrganisationNow) -> None:
    st.subheader(tr("org.movers_title"))
    months = st.selectbox(
        tr("org.movers_months"),
        options=[3, 6, 12, 24, 36],
        index=[3, 6, 12, 24, 36].index(MOVERS_MONTHS),
        key="org_movers_months",
    )
    moved = core.rollup.movers(tree, now.unit_id, months, now.at, actor=actor())
    st.caption(tr("org.movers_help", since=moved.since.date().isoformat(), new=moved.new))
    st.markdown(f"**{tr('org.climbed')}**")
    _mover_links(tree, moved.climbed, "org.none_climbed")
    st.markdown(f"**{tr('org.still_or_back')}**")
    _mover_links(tree, moved.still_or_back, "org.none_still")


def _mover_links(tree: UnitTree, table: pd.DataFrame, empty_key: str) -> None:
    if table.empty:
        st.caption(tr(empty_key))
        return
    for r in table.head(LIST_MAX).itertuples(index=False):
        label = tr(
            "org.mover_line",
            unit=tree.units[int(r.unit_id)].name,
            step_then=int(r.step_then),
            step_now=int(r.step_now),
            then=percent(_num(r.maturity_then), lang()),
            now=percent(_num(r.maturity_now), lang()),
        )
        unit_link(tree, int(r.unit_id), label)
    if len(table) > LIST_MAX:
        st.caption(tr("org.and_more", n=len(table) - LIST_MAX))


def follow_up(tree: UnitTree, now: OrganisationNow) -> None:
    st.subheader(tr("org.stale_title"))
    months = st.number_input(
        tr("org.stale_months"),
        min_value=1,
        max_value=120,
        value=STALE_MONTHS,
        step=1,
        key="org_stale_months",
    )
    stale = now.stale(int(months))
    if stale.empty:
        st.success(tr("org.stale_none", months=int(months)))
        return
    st.caption(tr("org.stale_count", n=len(stale), months=int(months)))
    for r in stale.head(LIST_MAX).itertuples(index=False):
        when = tr("org.never") if pd.isna(r.last) else r.last.strftime("%Y-%m-%d")
        unit_link(
            tree,
            int(r.unit_id),
            tr("org.stale_line", unit=tree.units[int(r.unit_id)].name, last=when),
        )
    if len(stale) > LIST_MAX:
        st.dataframe(views.stale_table(stale, tree, lang()), hide_index=True)


def _num(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number
