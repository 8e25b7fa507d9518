"""Widgets more than one page uses."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from staircase.catalogue import Catalogue
from staircase.i18n import percent
from staircase.model import Unit
from staircase.scoring import Score
from staircase.store import Store, UnitTree
from staircase.ui.context import current_unit, get_store, lang, md_escape, tr, unit_tree


def first_leaf(tree: UnitTree) -> int | None:
    """The first unit (in tree order) without children: where a newcomer should look first."""
    units = tree.ordered()
    for unit in units:
        if not tree.children(unit.id):
            return unit.id
    return units[0].id if units else None


def score_metrics(score: Score, catalogue: Catalogue) -> None:
    """Step reached, overall maturity and each step's completion, in one row."""
    columns = st.columns(5)
    reached = score.step_reached
    columns[0].metric(
        tr("score.step_reached"),
        tr("checklist.step_of", step=reached),
        help=catalogue.step(reached).title(lang()),
        border=True,
    )
    columns[1].metric(
        tr("score.maturity"), percent(score.maturity, lang()), help=tr("score.rule"), border=True
    )
    for column, step_score in zip(columns[2:], score.steps, strict=True):
        column.metric(
            tr("score.completion", step=step_score.step),
            percent(step_score.completion, lang()),
            help=catalogue.step(step_score.step).title(lang()),
            border=True,
        )


def chosen_unit() -> tuple[Store, UnitTree, Unit]:
    """The store, the unit tree and the unit picked in the sidebar; stops the page if none."""
    store = get_store()
    tree = unit_tree(store)
    unit = current_unit(tree)
    if unit is None:
        st.info(tr("common.choose_unit"))
        st.stop()
    return store, tree, unit


def comparison_defaults(
    unit_id: int, history: pd.DataFrame, overview: pd.DataFrame, limit: int = 5
) -> list[int]:
    """The unit (if it has history) and its nearest units with snapshots: a first comparison."""
    ids = [unit_id] if not history.empty else []
    ids += [int(i) for i in overview.get("unit_id", []) if int(i) != unit_id]
    return ids[:limit]


_FLASH_KEY = "_flash"


def flash(message: str) -> None:
    """A success message to show after the rerun that follows a change."""
    st.session_state[_FLASH_KEY] = message


def show_flash() -> None:
    message = st.session_state.pop(_FLASH_KEY, None)
    if message:
        st.success(md_escape(message))
