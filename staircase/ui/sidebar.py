"""The sidebar every page shares: language, unit and who is editing."""

from __future__ import annotations

import streamlit as st

from staircase.domain.model import LANGS
from staircase.domain.rules import NAME_MAX
from staircase.domain.units import UnitTree
from staircase.ui.context import (
    LANG_KEY,
    ORG_KEY,
    UNIT_KEY,
    USER_KEY,
    current_organisation,
    tr,
)

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


def language_picker() -> None:
    # Its value is set before it is drawn (context.follow_link), so it has no default.
    st.segmented_control(
        "Språk / Language",
        options=list(LANGS),
        format_func=LANGUAGE_NAMES.__getitem__,
        required=True,
        key=LANG_KEY,
    )


def unit_picker(tree: UnitTree) -> None:
    """The organisation (when there are several), then a unit of it.

    Only the chosen organisation's units are listed, so the picker stays as quick with ten
    thousand units in the database as with ten.
    """
    roots = [u.id for u in tree.roots()]
    if not roots:
        return
    organisation = current_organisation(tree)
    if organisation is not None:
        st.session_state[ORG_KEY] = organisation  # the unit decides, wherever it came from
    elif st.session_state.get(ORG_KEY) not in roots:
        st.session_state[ORG_KEY] = roots[0]
    if len(roots) > 1:
        st.selectbox(
            tr("sidebar.organisation"),
            options=roots,
            format_func=lambda i: tree.units[i].name,
            key=ORG_KEY,
            on_change=_organisation_changed,
        )
    st.selectbox(
        tr("sidebar.unit"),
        options=[u.id for u in tree.ordered(under=st.session_state[ORG_KEY])],
        format_func=tree.short_label,
        key=UNIT_KEY,
        help=tr("sidebar.unit_help"),
    )


def _organisation_changed() -> None:
    # Another organisation: start at its top unit.
    st.session_state[UNIT_KEY] = st.session_state[ORG_KEY]


def user_field() -> None:
    st.text_input(
        tr("sidebar.user"),
        key=USER_KEY,
        max_chars=NAME_MAX,
        placeholder=tr("sidebar.user_placeholder"),
    )
