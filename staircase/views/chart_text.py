"""The progress page's charts in words and in tables: what a screen reader (or anyone who
would rather read than look) gets beside each chart.

Each chart has a one-sentence summary shown beside it and its figures as a plain table
(WCAG 1.1.1; the pictures' `alt` texts in `staircase.views.pictures` say the same at more
length). No Streamlit here: data in, a sentence or a DataFrame out. Unit names are user
text: the caller escapes a sentence before showing it as Markdown; table cells are text.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from staircase.domain.catalogue import Catalogue
from staircase.domain.model import STEPS, Lang
from staircase.domain.scoring import Score
from staircase.i18n import percent, t
from staircase.views.charts import step_name

DATE = "%Y-%m-%d"


def _date(value: object) -> str:
    return pd.Timestamp(value).strftime(DATE)  # type: ignore[arg-type]


def _float(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- the staircase


def staircase_summary(score: Score, lang: Lang, target: tuple[int, str] | None = None) -> str:
    """One sentence: the step reached, the overall maturity and each step's completion;
    and the target (step, date) when the unit has one, as the picture shows it."""
    steps = ", ".join(
        t("chart.text.step_value", lang, step=s, value=percent(score.of(s).completion, lang))
        for s in STEPS
    )
    said = t(
        "chart.text.staircase",
        lang,
        step=score.step_reached,
        maturity=percent(score.maturity, lang),
        steps=steps,
    )
    if target is None:
        return said
    return f"{said} {t('chart.target_note', lang, step=target[0], due=target[1])}."


def staircase_table(score: Score, catalogue: Catalogue, lang: Lang) -> pd.DataFrame:
    """Each step: its completion and how many of its applicable practices are in place."""
    rows = []
    for step in STEPS:
        part = score.of(step)
        rows.append(
            {
                t("table.step", lang): step_name(catalogue, step, lang),
                t("chart.axis.completion", lang): percent(part.completion, lang),
                t("chart.text.in_place", lang): t(
                    "chart.text.of", lang, done=part.done, applicable=part.applicable
                ),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- over time


def history_summary(history: pd.DataFrame, lang: Lang) -> str:
    """One sentence: how many snapshots, over which period, and the maturity and the step
    reached at the first and the latest."""
    if history.empty:
        return t("chart.empty", lang)
    ordered = history.sort_values("taken_at", kind="stable")
    first, last = ordered.iloc[0], ordered.iloc[-1]
    return t(
        "chart.text.history",
        lang,
        count=len(ordered),
        first=_date(first["taken_at"]),
        last=_date(last["taken_at"]),
        maturity_first=percent(_float(first["maturity"]), lang),
        maturity_last=percent(_float(last["maturity"]), lang),
        step_first=int(first["step_reached"]),
        step_last=int(last["step_reached"]),
    )


def history_table(history: pd.DataFrame, catalogue: Catalogue, lang: Lang) -> pd.DataFrame:
    """Every snapshot, oldest first (as the charts over time): each step's completion, the
    overall maturity and the step reached."""
    ordered = history.sort_values("taken_at", kind="stable")
    rows = []
    for _, row in ordered.iterrows():
        rows.append(
            {
                t("table.taken_at", lang): _date(row["taken_at"]),
                **{
                    step_name(catalogue, s, lang): percent(_float(row[f"completion_{s}"]), lang)
                    for s in STEPS
                },
                t("score.maturity", lang): percent(_float(row["maturity"]), lang),
                t("score.step_reached", lang): str(int(row["step_reached"])),
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- many units


def _value(row: pd.Series, metric: str, lang: Lang) -> str:
    if metric == "step_reached":
        return t("chart.text.step", lang, step=int(row["step_reached"]))
    return percent(_float(row["maturity"]), lang)


def comparison_summary(
    history: pd.DataFrame, labels: Mapping[int, str], lang: Lang, metric: str = "maturity"
) -> str:
    """One sentence: the units compared and each one's latest value."""
    if history.empty:
        return t("chart.empty", lang)
    latest = history.sort_values("taken_at", kind="stable").drop_duplicates("unit_id", keep="last")
    order = {unit_id: i for i, unit_id in enumerate(labels)}
    latest = latest.assign(_order=[order.get(int(u), len(order)) for u in latest["unit_id"]])
    values = "; ".join(
        t(
            "chart.text.unit_value",
            lang,
            unit=labels.get(int(row["unit_id"]), f"#{int(row['unit_id'])}"),
            value=_value(row, metric, lang),
            date=_date(row["taken_at"]),
        )
        for _, row in latest.sort_values("_order", kind="stable").iterrows()
    )
    title = t(
        "chart.comparison.title_step"
        if metric == "step_reached"
        else "chart.comparison.title_maturity",
        lang,
    )
    return t("chart.text.comparison", lang, title=title, n=len(latest), values=values)


def comparison_table(
    history: pd.DataFrame, labels: Mapping[int, str], lang: Lang, metric: str = "maturity"
) -> pd.DataFrame:
    """Every point of the comparison: unit, date and value, unit by unit, oldest first."""
    column = t("score.step_reached" if metric == "step_reached" else "score.maturity", lang)
    unit, date = t("table.unit", lang), t("table.taken_at", lang)
    if history.empty:
        return pd.DataFrame(columns=[unit, date, column])
    order = {unit_id: i for i, unit_id in enumerate(labels)}
    frame = history.assign(_order=[order.get(int(u), len(order)) for u in history["unit_id"]])
    frame = frame.sort_values(["_order", "unit_id", "taken_at"], kind="stable")
    return pd.DataFrame(
        {
            unit: [labels.get(int(u), f"#{int(u)}") for u in frame["unit_id"]],
            date: [_date(v) for v in frame["taken_at"]],
            column: [
                str(int(v)) if metric == "step_reached" else percent(_float(v), lang)
                for v in frame["step_reached" if metric == "step_reached" else "maturity"]
            ],
        }
    )


def overview_summary(overview: pd.DataFrame, labels: Mapping[int, str], lang: Lang) -> str:
    """One sentence: how many units have a snapshot, and the highest and lowest maturity."""
    total = len(labels)
    if overview.empty:
        return t("chart.text.overview_none", lang, total=total)
    scored = overview.dropna(subset=["maturity"]).sort_values(
        "maturity", ascending=False, kind="stable"
    )
    if scored.empty:
        return t("chart.text.overview_none", lang, total=total)
    top, bottom = scored.iloc[0], scored.iloc[-1]

    def name(row: pd.Series) -> str:
        return labels.get(int(row["unit_id"]), f"#{int(row['unit_id'])}")

    return t(
        "chart.text.overview",
        lang,
        assessed=len(overview),
        total=total,
        top=name(top),
        top_value=percent(_float(top["maturity"]), lang),
        bottom=name(bottom),
        bottom_value=percent(_float(bottom["maturity"]), lang),
    )
