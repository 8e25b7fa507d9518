"""The sidebar every page shares: language, unit and who is editing."""

from __future__ import annotations

import streamlit as st

from staircase.model import LANGS
from staircase.store import UnitTree
from staircase.ui.context import LANG_KEY, UNIT_KEY, USER_KEY, tr

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


def language_picker() -> None:
    st.segmented_control(
        "Språk / Language",
        options=list(LANGS),
        format_func=LANGUAGE_NAMES.__getitem__,
        default="sv",
        required=True,
        key=LANG_KEY,
        bind="query-params",
    )


def unit_picker(tree: UnitTree) -> None:
    options = [u.id for u in tree.ordered()]
    if not options:
        return
    st.selectbox(
        tr("sidebar.unit"),
        options=options,
        format_func=tree.short_label,
        key=UNIT_KEY,
        bind="query-params",
        help=tr("sidebar.unit_help"),
    )


def user_field() -> None:
    st.text_input(
        tr("sidebar.user"), key=USER_KEY, max_chars=80, placeholder=tr("sidebar.user_placeholder")
    )
