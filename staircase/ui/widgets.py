"""Widgets more than one page uses."""

from __future__ import annotations

import streamlit as st

from staircase.catalogue import Catalogue
from staircase.i18n import percent
from staircase.scoring import Score
from staircase.store import UnitTree
from staircase.ui.context import lang, md_escape, tr


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


def no_unit_notice() -> None:
    st.info(tr("common.choose_unit"))


def comparison_defaults(tree: UnitTree, unit_id: int, limit: int = 5) -> list[int]:
    """The unit and its nearest relatives (siblings, else children): a sensible first comparison."""
    unit = tree.units[unit_id]
    relatives = tree.children(unit.parent_id) if unit.parent_id is not None else []
    if len(relatives) < 2:
        relatives = tree.children(unit_id)
    ids = [unit_id, *(u.id for u in relatives if u.id != unit_id and not u.archived)]
    return ids[:limit]


_FLASH_KEY = "_flash"


def flash(message: str) -> None:
    """A success message to show after the rerun that follows a change."""
    st.session_state[_FLASH_KEY] = message


def show_flash() -> None:
    message = st.session_state.pop(_FLASH_KEY, None)
    if message:
        st.success(md_escape(message))
