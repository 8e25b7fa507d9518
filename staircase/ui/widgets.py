"""Widgets more than one page uses."""

from __future__ import annotations

from typing import TypeVar

import streamlit as st

from staircase.domain.catalogue import Catalogue
from staircase.domain.model import Lang, Unit
from staircase.domain.scoring import Score
from staircase.domain.units import UnitTree
from staircase.i18n import percent, t
from staircase.services import Lartrappan
from staircase.ui.context import current_unit, get_core, lang, md_escape, tr, unit_tree

T = TypeVar("T")


def scope_label(tree: UnitTree, unit_id: int | None) -> str:
    """Where a role or a change applies: a unit's path, or the whole database (None); "?"
    for a unit the tree no longer holds."""
    if unit_id is None:
        return tr("users.everywhere")
    return tree.label(unit_id) if unit_id in tree.units else "?"


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


def show_stored(key: str, stored: T) -> T:
    """Show the stored value in the widget `key` unless it hasn't changed since this session
    last loaded it: a rejected edit (with its error) or one refused as a conflict stays on
    screen instead of being silently wiped.

    Returns `stored`, to be given to the widget as its default too (`value=`, `default=`).
    The browser falls back to a widget's default when it redraws a widget it has lost the
    value of (seen with Streamlit 1.67: opening a plan's expander, a fragment rerun, left
    the row above it in that state), and sends that default with the next change anywhere
    in the fragment; a default of "" or no choice then reads as the person clearing the
    note or the status, and was saved as such. With the stored value as the default the
    fallback changes nothing. (A key makes the widget's identity independent of its
    default, so the default changing with each save does not redraw the widget.)"""
    loaded = f"{key}_loaded"
    if key not in st.session_state or st.session_state.get(loaded) != stored:
        st.session_state[key] = stored
        st.session_state[loaded] = stored
    return stored


def option_label(pattern: str, language: Lang, option: str) -> str:
    """An option's label in the language the widget was drawn in (a format_func is also
    called outside the script run, by AppTest and the browser, where the session's language
    is not at hand): `partial(option_label, "report.ui.format_{}", lang())`."""
    return t(pattern.format(option.replace(":", "_")), language)


_FLASH_KEY = "_flash"


def flash(message: str) -> None:
    """A success message to show after the rerun that follows a change."""
    st.session_state[_FLASH_KEY] = message


def show_flash() -> None:
    message = st.session_state.pop(_FLASH_KEY, None)
    if message:
        st.success(md_escape(message))
