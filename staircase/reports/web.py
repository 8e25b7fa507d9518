"""The report as one self-contained web page: works offline (Plotly's code is inlined),
charts interactive, every chart's picture, words and figures there too."""

from __future__ import annotations

from functools import cache

from staircase.reports.html import document
from staircase.reports.model import Report


@cache
def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return str(get_plotlyjs())


def page(report: Report) -> str:
    interactive = any(f.plotly for f in report.figures)
    return document(report, interactive=True, plotly_js=_plotly_js() if interactive else "")
