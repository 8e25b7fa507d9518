"""What the organisation page draws: the distribution over time, the tables of practices,
movers and follow-up, and the heatmap (colour and symbol in every cell, never colour alone).

No Streamlit here: frames, a Styler and Plotly figures in, out."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from pandas.io.formats.style import Styler

from staircase.domain.catalogue import Catalogue
from staircase.domain.model import Lang, Status
from staircase.domain.rollup import LEVELS, STATUS_ORDER, OverTime, Period
from staircase.domain.units import UnitTree
from staircase.i18n import percent, t
from staircase.views.charts import FONT, STEP_COLOURS, TEMPLATE, short_title

STATUS_SYMBOLS = {
    Status.DONE.value: "✓",
    Status.IN_PROGRESS.value: "◐",
    Status.NOT_STARTED.value: "○",
    Status.NOT_APPLICABLE.value: "–",
}
"""Each status's symbol beside its colour: the heatmap reads in black and white too."""
STATUS_BACKGROUNDS = {
    Status.DONE.value: "#B7E4C7",
    Status.IN_PROGRESS.value: "#FCE7A6",
    Status.NOT_STARTED.value: "#F4C7C3",
    Status.NOT_APPLICABLE.value: "#E9ECEF",
    "": "#FFFFFF",
}
"""Light backgrounds under dark text (contrast well above 4.5:1 for the text)."""
HEATMAP_PAGE = 50
"""Unit rows per page of the heatmap (≤ 500 cells drawn at once with 10 practices)."""


def period_label(period: Period, lang: Lang) -> str:
    """'2026-03', '2026 K1' / '2026 Q1', '2026 T1'."""
    if period.kind == "month":
        return f"{period.start.year}-{period.start.month:02d}"
    return t(f"org.period_label.{period.kind}", lang, year=period.start.year, n=period.number)


def period_labels(over: OverTime, lang: Lang) -> list[str]:
    return [period_label(p, lang) for p in over.periods]


def distribution_figure(
    labels: Sequence[str], table: pd.DataFrame, catalogue: Catalogue, lang: Lang
) -> go.Figure:
    """Units per step at the end of each period (stacked bars; the last bar is now), and
    the units not yet assessed, with the mean maturity as a line on a second axis: the
    interactive twin of `pictures.distribution_svg`, drawn when asked for."""
    labels = list(labels)
    fig = go.Figure(layout=dict(template=TEMPLATE))
    for step in LEVELS:
        name = t("org.step_n", lang, step=step, title=short_title(catalogue, step, lang))
        fig.add_bar(
            x=labels,
            y=table[f"step_{step}"].tolist(),
            name=name,
            marker_color=STEP_COLOURS[step],
            text=table[f"step_{step}"].tolist(),
            textposition="inside",
            hovertemplate=f"{name}: %{{y}}<extra>%{{x}}</extra>",
        )
    fig.add_bar(
        x=labels,
        y=table["not_assessed"].tolist(),
        name=t("org.not_assessed", lang),
        marker=dict(color="#FFFFFF", line=dict(color="#8A94A6", width=1.5), pattern_shape="/"),
        hovertemplate=f"{t('org.not_assessed', lang)}: %{{y}}<extra>%{{x}}</extra>",
    )
    mean = [None if math.isnan(v) else round(v * 100, 1) for v in table["maturity_mean"]]
    fig.add_scatter(
        x=labels,
        y=mean,
        name=t("org.maturity_mean", lang),
        yaxis="y2",
        mode="lines+markers",
        line=dict(color="#1F2A3C", width=2),
        hovertemplate=f"{t('org.maturity_mean', lang)}: %{{y:.0f}} %<extra>%{{x}}</extra>",
    )
    fig.update_layout(
        barmode="stack",
        height=400,
        font=FONT,
        margin=dict(l=10, r=10, t=30, b=10),
        legend=dict(orientation="h", y=-0.15),
        yaxis=dict(title=t("org.units_axis", lang), rangemode="tozero"),
        yaxis2=dict(
            title=t("org.maturity_axis", lang),
            overlaying="y",
            side="right",
            range=[0, 100],
            tickmode="array",
            tickvals=[0, 25, 50, 75, 100],
            ticksuffix=" %",
            showgrid=False,
        ),
    )
    return fig


def distribution_summary(
    labels: Sequence[str], table: pd.DataFrame, catalogue: Catalogue, lang: Lang
) -> str:
    """What the chart shows, in words (its text alternative): the first and the last
    period."""
    first, last = table.iloc[0], table.iloc[-1]

    def steps(row: pd.Series) -> str:
        return ", ".join(
            t("org.summary_step", lang, step=s, n=int(row[f"step_{s}"])) for s in LEVELS
        )

    return t(
        "org.chart_summary",
        lang,
        first=labels[0],
        last=labels[-1],
        first_steps=steps(first),
        last_steps=steps(last),
        first_mean=percent(_float(first["maturity_mean"]), lang),
        last_mean=percent(_float(last["maturity_mean"]), lang),
    )


def distribution_table(over: OverTime, lang: Lang) -> pd.DataFrame:
    """The chart's data, for reading instead of looking."""
    rows = []
    for period, row in zip(over.periods, over.table.itertuples(index=False), strict=True):
        rows.append(
            {
                t("org.period", lang): period_label(period, lang),
                **{
                    t("org.step_short", lang, step=s): int(getattr(row, f"step_{s}"))
                    for s in LEVELS
                },
                t("org.not_assessed", lang): int(row.not_assessed),
                t("org.maturity_mean", lang): percent(_float(row.maturity_mean), lang),
                t("org.maturity_median", lang): percent(_float(row.maturity_median), lang),
            }
        )
    return pd.DataFrame(rows)


def practice_codes(catalogue: Catalogue, practice_ids: Sequence[str]) -> dict[str, str]:
    """Practice id → a short column code: '1.1', '1.2', … per step (catalogue order)."""
    codes: dict[str, str] = {}
    per_step: dict[int, int] = {}
    steps = {p.id: p.step for p in catalogue.practices}
    for pid in practice_ids:
        step = steps.get(pid, 0)
        per_step[step] = per_step.get(step, 0) + 1
        codes[pid] = f"{step}.{per_step[step]}"
    return codes


def practice_title(catalogue: Catalogue, practice_id: str, lang: Lang) -> str:
    for p in catalogue.practices:
        if p.id == practice_id:
            return p.title(lang) or p.title.sv
    return practice_id


def practices_table(practices: pd.DataFrame, catalogue: Catalogue, lang: Lang) -> pd.DataFrame:
    """Each practice's share of units per status ('13 %'), weakest first."""
    rows = []
    for r in practices.itertuples(index=False):
        rows.append(
            {
                t("org.practice", lang): practice_title(catalogue, str(r.practice_id), lang),
                t("org.step", lang): int(r.step),
                **{
                    f"{STATUS_SYMBOLS[s.value]} {t(f'status.{s.value}', lang)}": percent(
                        float(getattr(r, s.value)), lang
                    )
                    for s in STATUS_ORDER
                },
                t("org.units", lang): int(r.units),
            }
        )
    return pd.DataFrame(rows)


def heatmap_frame(
    rows: pd.DataFrame,
    tree: UnitTree,
    catalogue: Catalogue,
    practice_ids: Sequence[str],
    lang: Lang,
    grouped: bool,
) -> pd.DataFrame:
    """The heatmap's rows as text: the unit, its step and maturity, then per practice the
    status (symbol and word) or, for a group, the share of points with its mean."""
    codes = practice_codes(catalogue, practice_ids)
    out = pd.DataFrame(
        {
            t("org.unit", lang): [
                tree.short_label(int(u)) if not grouped else tree.units[int(u)].name
                for u in rows["unit_id"]
            ]
        }
    )
    if grouped:
        out[t("org.units", lang)] = [
            f"{int(a)}/{int(n)}" for a, n in zip(rows["assessed"], rows["units"], strict=True)
        ]
        out[t("org.step", lang)] = [_decimal(v, lang) for v in rows["step_reached"]]
    else:
        out[t("org.step", lang)] = [
            "–" if pd.isna(v) else str(int(v)) for v in rows["step_reached"]
        ]
    out[t("org.maturity", lang)] = [percent(_float(v), lang) for v in rows["maturity"]]
    for pid in practice_ids:
        if grouped:
            out[codes[pid]] = [percent(_float(v), lang) for v in rows[pid]]
        else:
            out[codes[pid]] = [
                f"{STATUS_SYMBOLS[s]} {t(f'status_short.{s}', lang)}" if s else "·"
                for s in rows[pid]
            ]
    return out


def heatmap_style(
    frame: pd.DataFrame, rows: pd.DataFrame, codes: Sequence[str], grouped: bool
) -> Styler:
    """Background colours by status (units) or by share (groups), dark text throughout."""
    practice_columns = list(frame.columns[-len(codes) :]) if codes else []

    def colour(column: pd.Series) -> list[str]:
        pid = codes[practice_columns.index(column.name)]
        values = rows[pid].tolist()
        if grouped:
            return [f"background-color: {_share_colour(_float(v))}; color: #1F2A3C" for v in values]
        return [
            f"background-color: {STATUS_BACKGROUNDS.get(v, '#FFFFFF')}; color: #1F2A3C"
            for v in values
        ]

    return frame.style.apply(colour, subset=practice_columns)


def stale_table(stale: pd.DataFrame, tree: UnitTree, lang: Lang) -> pd.DataFrame:
    """Every unit of the follow-up list with its latest snapshot's date (or never)."""
    return pd.DataFrame(
        {
            t("org.unit", lang): [tree.label(int(u)) for u in stale["unit_id"]],
            t("org.last_snapshot", lang): [
                t("org.never", lang) if pd.isna(v) else v.strftime("%Y-%m-%d")
                for v in stale["last"]
            ],
        }
    )


def _share_colour(value: float | None) -> str:
    """White (0 %) to the done colour (100 %); light grey where nothing applies."""
    if value is None:
        return "#E9ECEF"
    low, high = (255, 255, 255), (0x8F, 0xD1, 0xA6)
    mixed = (round(a + (b - a) * value) for a, b in zip(low, high, strict=True))
    return "#{:02X}{:02X}{:02X}".format(*mixed)


def _float(value: Any) -> float | None:
    if value is None or pd.isna(value):
        return None
    return float(value)


def _decimal(value: Any, lang: Lang) -> str:
    if value is None or pd.isna(value):
        return "–"
    text = f"{float(value):.1f}"
    return text.replace(".", ",") if lang == "sv" else text
