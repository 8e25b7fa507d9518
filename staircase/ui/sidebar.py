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


# The sidebar's widgets get their value through session state (set before they are drawn:
# context.follow_link, a unit chosen on another page) and that same value as their default:
# a browser that lost a widget's value falls back to its default and sends it with the next
# click (see widgets.show_stored), which with no default here would switch the unit to the
# first one, the language to none, or clear the name typed in.


def language_picker() -> None:
    st.segmented_control(
        "Språk / Language",
        options=list(LANGS),
        format_func=LANGUAGE_NAMES.__getitem__,
        default=st.session_state.get(LANG_KEY),
        required=True,
        key=LANG_KEY,
    )


def _index(options: list[int], key: str) -> int:
    """The position of the option session state holds for `key` (the first if none)."""
    chosen = st.session_state.get(key)
    return options.index(chosen) if chosen in options else 0


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
            index=_index(roots, ORG_KEY),
            format_func=lambda i: tree.units[i].name,
            key=ORG_KEY,
            on_change=_organisation_changed,
        )
    units = [u.id for u in tree.ordered(under=st.session_state[ORG_KEY])]
    st.selectbox(
        tr("sidebar.unit"),
        options=units,
        index=_index(units, UNIT_KEY),
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
        st.session_state.get(USER_KEY, ""),
        key=USER_KEY,
        max_chars=NAME_MAX,
        placeholder=tr("sidebar.user_placeholder"),
    )
