"""Widgets more than one page uses."""

from __future__ import annotations

import streamlit as st

from staircase.domain.catalogue import Catalogue
from staircase.domain.model import Unit
from staircase.domain.scoring import Score
from staircase.domain.units import UnitTree
from staircase.i18n import percent
from staircase.services import Lartrappan
from staircase.ui.context import current_unit, get_core, lang, md_escape, tr, unit_tree


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


def chosen_unit() -> tuple[Lartrappan, UnitTree, Unit]:
    """The core, the unit tree and the unit picked in the sidebar; stops the page if none."""
    core = get_core()
    tree = unit_tree(core)
    unit = current_unit(tree)
    if unit is None:
        st.info(tr("common.choose_unit"))
        st.stop()
    return core, tree, unit


_FLASH_KEY = "_flash"


def flash(message: str) -> None:
    """A success message to show after the rerun that follows a change."""
    st.session_state[_FLASH_KEY] = message


def show_flash() -> None:
    message = st.session_state.pop(_FLASH_KEY, None)
    if message:
        st.success(md_escape(message))
