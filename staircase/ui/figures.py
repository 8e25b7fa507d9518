"""Figures (Plotly) and pictures (SVG) built once per distinct input and shared by every
session.

Building a Plotly figure (validating every property) costs tens of milliseconds; sending a
built one costs a few. A figure is keyed on a fingerprint of everything it is drawn from (the
data's values, the language, the labels), so a write that changes the data changes the key:
no stale chart, no invalidation to forget. The cache is bounded in size and age.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from staircase.domain.catalogue import Catalogue
from staircase.ui.context import md_escape

T = TypeVar("T")


def chart(build: Callable[..., T], *args: Any) -> T:
    """`build(*args)`, or the same figure built earlier from equal arguments."""
    return _built(f"{build.__module__}.{build.__qualname__}", fingerprint(args), build, args)


def picture(draw: Callable[..., str], describe: Callable[..., str], *args: Any) -> None:
    """An SVG picture, `draw(*args)`, as an image the width of the column, with its text
    alternative `describe(*args)`: no chart code runs in the browser."""
    st.image(chart(draw, *args), alt=chart(describe, *args), width="stretch")


TABLE_MAX = 200
"""A chart's figures up to this many rows are a plain table (HTML, read by screen readers);
more are a data grid (drawn on a canvas, light to send and to scroll)."""


def summary(text: str) -> None:
    """A chart's one-sentence text alternative, shown beside it (escaped: it may name units)."""
    st.caption(md_escape(text))


def figures_table(label: str, table: pd.DataFrame) -> None:
    """A chart's figures as a table a screen reader can reach, in an expander under it."""
    with st.expander(label):
        if len(table) <= TABLE_MAX:
            st.table(table, hide_index=True)
        else:
            st.dataframe(table, hide_index=True)


@st.cache_resource(max_entries=1000, ttl=timedelta(hours=12), show_spinner=False)
def _built(name: str, key: str, _build: Callable[..., Any], _args: tuple[Any, ...]) -> Any:
    # Shared read-only: st.plotly_chart copies a figure (to_dict) before sending it; a
    # picture is a string.
    return _build(*_args)


def fingerprint(value: Any) -> str:
    """A digest of `value`'s content: equal content, equal digest."""
    digest = hashlib.blake2b(digest_size=16)
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest: Any, value: Any) -> None:
    if isinstance(value, pd.DataFrame):
        digest.update(repr((list(value.columns), list(value.dtypes.astype(str)))).encode())
        digest.update(pd.util.hash_pandas_object(value, index=False).to_numpy().tobytes())
    elif isinstance(value, Catalogue):
        digest.update(repr((value.version, value.practices)).encode())
    elif isinstance(value, tuple | list):
        digest.update(b"(")
        for item in value:
            _feed(digest, item)
            digest.update(b",")
        digest.update(b")")
    else:
        digest.update(repr(value).encode())
