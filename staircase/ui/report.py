"""The report section of the roll-up and unit pages: pick the period, language and format,
make the report (with a status while it is built), download it."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

import streamlit as st

from staircase.domain.access import Right
from staircase.domain.model import LANGS, Lang, Unit
from staircase.domain.moments import now
from staircase.domain.units import UnitTree
from staircase.services import Lartrappan
from staircase.services.reports import FORMATS, MEDIA_TYPES, Format, filename, render
from staircase.ui import login
from staircase.ui.context import actor, lang, tr, user_name
from staircase.ui.download import Made, make_document, offer_document
from staircase.ui.widgets import option_label

_MADE = "report_made"
"""The last report this session made: (unit, bytes, file name, media type)."""


def report_section(core: Lartrappan, tree: UnitTree, unit: Unit) -> None:
    if not login.may_on(actor(), Right.EXPORT, unit.id, tree):  # reports: managers, admins
        return
    st.subheader(tr("report.ui.title"))
    st.caption(tr("report.ui.help"))
    today = now().date()
    with st.form(f"report_form_{unit.id}", enter_to_submit=False, border=True):
        left, middle, right = st.columns(3)
        span = left.date_input(
            tr("report.ui.period"),
            value=(today - timedelta(days=365) + timedelta(days=1), today),
            max_value=today,
            format="YYYY-MM-DD",
            key=f"report_period_{unit.id}",
        )
        language = middle.radio(
            tr("report.ui.language"),
            options=list(LANGS),
            index=list(LANGS).index(lang()),
            format_func=partial(option_label, "report.ui.lang_{}", lang()),
            horizontal=True,
            key=f"report_lang_{unit.id}_{lang()}",  # its labels are in the app's language
        )
        fmt = right.radio(
            tr("report.ui.format"),
            options=list(FORMATS),
            format_func=partial(option_label, "report.ui.format_{}", lang()),
            horizontal=True,
            key=f"report_format_{unit.id}_{lang()}",
        )
        if st.form_submit_button(tr("report.ui.make"), type="primary"):
            _make(core, tree, unit, span, language, fmt)  # radios: one of their options
    offer_document(_MADE, unit.id, "report.ui.download", key=f"report_download_{unit.id}")


def _make(
    core: Lartrappan,
    tree: UnitTree,
    unit: Unit,
    span: object,
    language: Lang,
    fmt: Format,
) -> None:
    if not isinstance(span, tuple) or len(span) != 2 or not all(isinstance(d, date) for d in span):
        st.error(tr("report.ui.period_incomplete"))
        return
    start, end = span

    def make(step: Callable[[str], None]) -> Made:
        step(tr("report.ui.step_content"))
        content = core.reports.build(
            tree, unit.id, start, end, language, user_name(), actor=actor()
        )
        step(tr("report.ui.step_render", format=tr(f"report.ui.format_{fmt}")))
        out = io.BytesIO()
        render(content, fmt, out)
        return out.getvalue(), filename(content, fmt), MEDIA_TYPES[fmt]

    make_document(
        _MADE,
        unit.id,
        make,
        making=tr("report.ui.making"),
        refused=tr("report.ui.refused"),
        ready_key="report.ui.ready",
    )
