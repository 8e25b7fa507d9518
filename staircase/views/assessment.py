"""The current-state assessment's picture and tables: the eight areas now and over time, as
an SVG drawn on the server with its one-sentence text alternative, and the same as a table.

No Streamlit: data in (`Assessments.history` of one unit), a string or a frame out.
Every cell has a symbol beside its colour (✓ ◐ ○ –), so the picture reads in black and
white too; every text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from staircase.domain.assessment import LEVELS, AreaDistribution, Assessment, AssessmentModel
from staircase.domain.model import Lang
from staircase.domain.moments import format_moment
from staircase.i18n import status_label, t
from staircase.views.charts import FONT, INK, MUTED
from staircase.views.organisation import STATUS_BACKGROUNDS, STATUS_SYMBOLS

MAX_COLUMNS = 12
"""The most assessments the picture shows (the latest); the table has them all."""
NOT_ASSESSED = ""
NOT_ASSESSED_FILL = "#E9ECEF"
_WIDTH = 900
_LEFT = 250.0
_TOP = 70.0
_ROW = 34.0
_FAMILY = html.escape(str(FONT["family"]), quote=True)


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _moments(history: pd.DataFrame) -> list[tuple[int, pd.Timestamp]]:
    """(assessment id, taken_at) of each assessment in the history, oldest first."""
    heads = history.drop_duplicates("assessment_id").sort_values(
        ["taken_at", "assessment_id"], kind="stable"
    )
    return [(int(r.assessment_id), pd.Timestamp(r.taken_at)) for r in heads.itertuples()]


def _levels(history: pd.DataFrame) -> dict[tuple[int, str], str]:
    return {
        (int(r.assessment_id), str(r.area_id)): str(r.level)
        for r in history.itertuples(index=False)
    }


def _fill(level: str) -> str:
    """The level's background; a grey one for an area not assessed (white would vanish)."""
    return STATUS_BACKGROUNDS[level] if level else NOT_ASSESSED_FILL


def _symbol(level: str) -> str:
    return STATUS_SYMBOLS.get(level, "–")


def levels_svg(history: pd.DataFrame, model: AssessmentModel, lang: Lang) -> str:
    """A grid: the eight areas as rows, the latest MAX_COLUMNS assessments as columns (the
    newest on the right: now), each cell the area's level then, coloured and with its symbol."""
    title = t("assessment.chart.title", lang)
    moments = _moments(history)
    if len(moments) > MAX_COLUMNS:
        title += " " + t("assessment.chart.older", lang, shown=MAX_COLUMNS, count=len(moments))
        moments = moments[-MAX_COLUMNS:]
    levels = _levels(history)
    height = int(_TOP + _ROW * len(model.areas) + 60)
    out = [
        f'<text x="10" y="26" font-size="18" font-weight="bold" fill="{INK}" '
        f'data-role="title">{_esc(title)}</text>'
    ]
    if not moments:
        out.append(
            f'<text x="{_WIDTH / 2}" y="{height / 2}" font-size="15" fill="{MUTED}" '
            f'text-anchor="middle" data-role="empty">{_esc(t("assessment.chart.empty", lang))}'
            "</text>"
        )
    cell = min(90.0, (_WIDTH - _LEFT - 10) / max(1, len(moments)))
    for k, (_, taken_at) in enumerate(moments):
        x = _LEFT + cell * k + cell / 2
        out.append(
            f'<text x="{x:.1f}" y="{_TOP - 10:.1f}" font-size="12" fill="{INK}" '
            f'text-anchor="middle" data-role="x-tick">{taken_at.strftime("%Y-%m-%d")}</text>'
        )
    for i, area in enumerate(model.areas):
        y = _TOP + _ROW * i
        out.append(
            f'<text x="{_LEFT - 10}" y="{y + _ROW / 2 + 5:.1f}" font-size="13" fill="{INK}" '
            f'text-anchor="end" data-role="area">{_esc(f"{i + 1}. {area.title(lang)}")}</text>'
        )
        for k, (aid, _) in enumerate(moments):
            level = levels.get((aid, area.id), NOT_ASSESSED)
            x = _LEFT + cell * k
            out.append(
                f'<rect x="{x + 2:.1f}" y="{y + 2:.1f}" width="{cell - 4:.1f}" '
                f'height="{_ROW - 4:.1f}" rx="3" fill="{_fill(level)}"'
                f' stroke="#FFFFFF" data-level="{level or "none"}"/>'
                f'<text x="{x + cell / 2:.1f}" y="{y + _ROW / 2 + 6:.1f}" font-size="16" '
                f'fill="{INK}" text-anchor="middle">{_symbol(level)}</text>'
            )
    legend_y = _TOP + _ROW * len(model.areas) + 30
    x = 10.0
    for level in (*[s.value for s in reversed(LEVELS)], NOT_ASSESSED):
        name = status_label(level, lang) if level else t("assessment.not_assessed", lang)
        label = f"{_symbol(level)} {name}"
        out.append(
            f'<rect x="{x:.1f}" y="{legend_y - 14:.1f}" width="18" height="18" rx="3" '
            f'fill="{_fill(level)}"/>'
            f'<text x="{x + 26:.1f}" y="{legend_y:.1f}" font-size="13" fill="{INK}" '
            f'data-role="legend">{_esc(label)}</text>'
        )
        x += 26 + len(label) * 7.5 + 24
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
        f'width="{_WIDTH}" height="{height}" font-family="{_FAMILY}" data-picture="assessment">'
        f'<rect width="{_WIDTH}" height="{height}" fill="#ffffff"/>{"".join(out)}</svg>'
    )


def levels_alt(history: pd.DataFrame, model: AssessmentModel, lang: Lang) -> str:
    """The picture in one sentence: how many assessments over which period, and how many
    areas stand on each level in the latest."""
    moments = _moments(history)
    if not moments:
        return t("assessment.chart.empty", lang)
    latest_id = moments[-1][0]
    levels = _levels(history)
    counts = dict.fromkeys([*(s.value for s in LEVELS), NOT_ASSESSED], 0)
    for area in model.areas:
        counts[levels.get((latest_id, area.id), NOT_ASSESSED)] += 1
    return t(
        "assessment.chart.alt",
        lang,
        count=len(moments),
        first=moments[0][1].strftime("%Y-%m-%d"),
        last=moments[-1][1].strftime("%Y-%m-%d"),
        done=counts["done"],
        in_progress=counts["in_progress"],
        not_started=counts["not_started"],
        not_assessed=counts[NOT_ASSESSED],
    )


def levels_table(history: pd.DataFrame, model: AssessmentModel, lang: Lang) -> pd.DataFrame:
    """The picture's data: one row per area, one column per assessment (oldest first),
    each cell the level's symbol and name."""
    moments = _moments(history)
    levels = _levels(history)
    area_col = t("assessment.col.area", lang)
    columns = [format_moment(m.to_pydatetime()) for _, m in moments]
    rows = []
    for i, area in enumerate(model.areas):
        row = {area_col: f"{i + 1}. {area.title(lang)}"}
        for column, (aid, _) in zip(columns, moments, strict=True):
            level = levels.get((aid, area.id), NOT_ASSESSED)
            name = status_label(level, lang) if level else t("assessment.not_assessed", lang)
            row[column] = f"{_symbol(level)} {name}"
        rows.append(row)
    return pd.DataFrame(rows, columns=[area_col, *columns])


def assessments_table(
    heads: Sequence[Assessment], history: pd.DataFrame, lang: Lang
) -> pd.DataFrame:
    """A unit's assessments, newest first: when, who, the comment, and how many areas stood
    on each level."""
    levels = history.groupby(["assessment_id", "level"]).size() if len(history) else None
    rows = []
    for head in heads:
        row: dict[str, str | int] = {
            t("assessment.col.taken_at", lang): format_moment(head.taken_at),
            t("assessment.col.saved_by", lang): head.saved_by,
            t("assessment.col.comment", lang): head.comment,
        }
        for status in reversed(LEVELS):
            found = levels.get((head.id, status.value), 0) if levels is not None else 0
            row[status_label(status, lang)] = int(found)
        rows.append(row)
    return pd.DataFrame(rows)


def distribution_table(
    distribution: AreaDistribution, model: AssessmentModel, lang: Lang
) -> pd.DataFrame:
    """The roll-up per area as a table for people: one row per area, the units on each
    level (the highest first) and the units that have not placed it."""
    counts = distribution.table.set_index("area_id")
    rows = []
    for i, area in enumerate(model.areas):
        row: dict[str, str | int] = {t("assessment.col.area", lang): f"{i + 1}. {area.title(lang)}"}
        for status in reversed(LEVELS):
            row[status_label(status, lang)] = int(counts.loc[area.id, status.value])
        row[t("assessment.not_assessed", lang)] = int(counts.loc[area.id, "not_assessed"])
        rows.append(row)
    return pd.DataFrame(rows)
