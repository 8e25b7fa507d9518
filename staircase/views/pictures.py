"""Pictures drawn on the server as SVG documents: no chart library in the browser.

Plotly's JavaScript is 4.7 MB, and evaluating it in a new tab takes Chromium longer than an
empty Streamlit page takes to load at all: one Plotly chart anywhere on a page makes the
page more than twice as slow to open as an empty one, however small the chart. A page whose
first view shows these pictures instead (as images) loads no charting code until the user
asks for an interactive chart.

No Streamlit here: data in, an SVG document (a string) out, and beside each picture its text
alternative (`*_alt`), which says in words what the picture shows. Colours, names and
ranges are those of the Plotly figures (`staircase.views.charts`), so both look alike.
Every text is escaped: unit names are user text.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import pandas as pd

from staircase.domain.catalogue import Catalogue
from staircase.domain.model import STEPS, Lang
from staircase.domain.scoring import Score
from staircase.i18n import percent, t
from staircase.views.charts import (
    FLAG_COLOUR,
    FONT,
    HEIGHT,
    INK,
    MATURITY_COLOUR,
    MUTED,
    STEP_COLOURS,
    TARGET_COLOUR,
    shade,
    short_title,
    step_name,
    thin,
    thinned_note,
    tint,
    wrap_lines,
)

WIDTH = 900
"""Every picture's own width (its viewBox); it scales to the column, text with it."""
STAIRCASE_HEIGHT = 380
GRID = "#EBF0F8"
MAX_POINTS = 2000
"""The most points (over all series) a picture draws: a picture the width of a column shows
no more, and long histories are thinned as the charts' are (`charts.thin`, with a note)."""
MARKERS_UP_TO = 60
"""Series of at most this many points get a marker on every point (the step line: 4×)."""

# The staircase, in fixed data coordinates so the picture never jumps between units.
STAIR_EDGES = (0.0, 2.5, 5.0, 7.5, 10.0)
"""x edges of the landing (step 0) and the blocks of steps 1, 2, 3."""
STAIR_HEIGHTS = (0.35, 1.3, 2.25, 3.2)
"""Height of the tread of step 0 (the landing), 1, 2 and 3."""
STAIR_X = tuple((a + b) / 2 for a, b in pairwise(STAIR_EDGES))
"""Centre of each step: where the flag stands and the labels go."""
STAIR_XRANGE = (-0.3, 10.3)
STAIR_YRANGE = (-1.0, 4.6)

_FAMILY = html.escape(str(FONT["family"]), quote=True)
_CHAR = 0.56
"""The average width of a character, in font sizes (for plates, margins and the legend)."""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _n(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR


@dataclass(frozen=True)
class _Area:
    """The plotting area in pixels and the data ranges it shows."""

    left: float
    top: float
    width: float
    height: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    def x(self, value: float) -> float:
        lo, hi = self.x_range
        return self.left + (value - lo) / (hi - lo) * self.width

    def y(self, value: float) -> float:
        lo, hi = self.y_range
        return self.top + (hi - value) / (hi - lo) * self.height

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def right(self) -> float:
        return self.left + self.width


def _text(
    x: float,
    y: float,
    lines: Sequence[str],
    size: float,
    colour: str,
    *,
    bold: bool = False,
    bold_first: bool = False,
    anchor: str = "middle",
    plate: float = 0.0,
    role: str = "",
) -> str:
    """Lines of text, the first one's top at y; with `plate`, on a white plate of that
    opacity (readable on any fill)."""
    step = size * 1.25
    out = []
    if plate:
        width = max(_text_width(line, size) for line in lines) + 12
        left = x - width / 2 if anchor == "middle" else x - 6
        out.append(
            f'<rect x="{_n(left)}" y="{_n(y - 3)}" width="{_n(width)}" '
            f'height="{_n(step * len(lines) + 6)}" rx="3" fill="#ffffff" fill-opacity="{plate}"/>'
        )
    heavy = ' font-weight="bold"'
    spans = "".join(
        f'<tspan x="{_n(x)}" y="{_n(y + size * 0.9 + i * step)}"'
        f"{heavy if bold or (bold_first and i == 0) else ''}>{_esc(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    data = f' data-role="{role}"' if role else ""
    out.append(
        f'<text font-size="{_n(size)}" fill="{colour}" text-anchor="{anchor}"{data}>{spans}</text>'
    )
    return "".join(out)


def _document(width: int, height: int, body: Iterable[str], role: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{_FAMILY}" data-picture="{role}">'
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>{"".join(body)}</svg>'
    )


def _heading(title: str, note: str = "") -> str:
    """The bold title at the top left, and a muted note under it."""
    out = _text(10, 8, [title], 18, INK, bold=True, anchor="start", role="title")
    if note:
        out += _text(10, 36, wrap_lines(note, 140), 13, MUTED, anchor="start", role="note")
    return out


def _empty(title: str, lang: Lang, height: int = HEIGHT) -> str:
    message = _text(
        WIDTH / 2,
        height / 2 - 20,
        wrap_lines(t("chart.empty", lang), 70, lines=3),
        15,
        MUTED,
        role="empty",
    )
    return _document(WIDTH, height, [_heading(title), message], "empty")


# ---------------------------------------------------------------------------- the staircase


def staircase_svg(
    score: Score,
    catalogue: Catalogue,
    lang: Lang,
    unit_name: str,
    target: tuple[int, str] | None = None,
) -> str:
    """The staircase: a landing and three rising blocks, each filled as far as the step is
    done and labelled with its completion and its practices in place, and a flag where the
    unit stands (on the step reached; 0 is the landing). With `target` (step, date), the
    target step is outlined in a dashed line and named in the subtitle."""
    height = STAIRCASE_HEIGHT
    area = _Area(10, 70, WIDTH - 20, height - 80, STAIR_XRANGE, STAIR_YRANGE)
    reached = score.step_reached
    gap = 0.04
    blocks: list[str] = [
        '<defs><pattern id="none" width="12" height="12" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="12" height="12" fill="#F2F4F7"/>'
        '<line x1="0" y1="0" x2="0" y2="12" stroke="#C9CFD8" stroke-width="2"/></pattern></defs>'
    ]
    labels: list[str] = []

    def block(step: int, top: float, role: str, **style: str | float) -> None:
        x0, x1 = STAIR_EDGES[step] + gap, STAIR_EDGES[step + 1] - gap
        attrs = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in style.items())
        left, upper = area.x(x0), area.y(top)
        blocks.append(
            f'<rect x="{_n(left)}" y="{_n(upper)}" width="{_n(area.x(x1) - left)}" '
            f'height="{_n(area.y(0) - upper)}" {attrs} data-role="{role}" data-step="{step}"/>'
        )

    def caption(step: int, colour: str) -> None:
        tick = " ✓" if 0 < step <= reached else ""
        title = wrap_lines(catalogue.step(step).title(lang), 30)
        labels.append(
            _text(
                area.x(STAIR_X[step]),
                area.y(-0.12),
                [t("score.step_n", lang, step=step) + tick, *title],
                13,
                colour,
                bold_first=True,
                role=f"caption-{step}",
            )
        )

    block(0, STAIR_HEIGHTS[0], "block", fill=tint(STEP_COLOURS[0], 0.55), stroke=STEP_COLOURS[0])
    caption(0, shade(STEP_COLOURS[0], 0.3))
    for step in STEPS:
        top, colour = STAIR_HEIGHTS[step], STEP_COLOURS[step]
        part = score.of(step)
        completion = part.completion
        x, label_y = area.x(STAIR_X[step]), area.y(top - 0.14)
        if completion is None:
            block(step, top, "block", fill="url(#none)", stroke="#B8BFCA", stroke_dasharray="2 3")
            labels.append(_text(x, label_y, ["–"], 22, MUTED, bold=True, role=f"completion-{step}"))
            labels.append(
                _text(x, label_y + 30, [t("chart.staircase.no_practices", lang)], 12, MUTED)
            )
            caption(step, MUTED)
            continue
        block(step, top, "block", fill=tint(colour, 0.85), stroke=colour, stroke_width=2)
        if completion > 0:
            block(step, top * completion, "fill", fill=colour)
        done = t("chart.staircase.in_place", lang, done=part.done, applicable=part.applicable)
        labels.append(
            _text(
                x,
                label_y,
                [percent(completion, lang)],
                22,
                INK,
                bold=True,
                plate=0.88,
                role=f"completion-{step}",
            )
            + _text(
                x, label_y + 34, wrap_lines(done, 28), 12, INK, plate=0.88, role=f"in-place-{step}"
            )
        )
        caption(step, shade(colour, 0.25))

    # The flag on the tread of the step reached, and who stands there.
    x, base = area.x(STAIR_X[reached]), area.y(STAIR_HEIGHTS[reached])
    pole_top = STAIR_HEIGHTS[reached] + 0.9
    pole = area.y(pole_top)
    flag = (
        f'<g data-role="position" data-step="{reached}">'
        f'<line x1="{_n(x)}" y1="{_n(base)}" x2="{_n(x)}" y2="{_n(pole)}" stroke="{INK}" '
        'stroke-width="3"/>'
        f'<polygon points="{_n(x)},{_n(pole)} {_n(area.x(STAIR_X[reached] + 0.55))},'
        f'{_n(area.y(pole_top - 0.16))} {_n(x)},{_n(area.y(pole_top - 0.32))}" '
        f'fill="{FLAG_COLOUR}" stroke="{FLAG_COLOUR}"/>'
        f'<circle cx="{_n(x)}" cy="{_n(base)}" r="6" fill="{INK}" stroke="#ffffff" '
        'stroke-width="2"/></g>'
    )
    who = wrap_lines(t("chart.staircase.here", lang, unit=unit_name), 32)
    flag += _text(x, pole - 8 - 15 * 1.25 * len(who), who, 15, INK, bold=True, plate=0.9)
    ground = (
        f'<line x1="{_n(area.left)}" y1="{_n(area.y(0))}" x2="{_n(area.right)}" '
        f'y2="{_n(area.y(0))}" stroke="#9AA3B2" stroke-width="2"/>'
    )
    heading = _heading(
        t("chart.staircase.title", lang, unit=unit_name),
        t(
            "chart.staircase.subtitle",
            lang,
            maturity=percent(score.maturity, lang),
            step=reached,
        )
        + _target_note(target, lang),
    )
    if target is not None:
        step = target[0]
        x0, x1 = area.x(STAIR_EDGES[step]), area.x(STAIR_EDGES[step + 1])
        upper = area.y(STAIR_HEIGHTS[step])
        blocks.append(
            f'<rect x="{_n(x0)}" y="{_n(upper)}" width="{_n(x1 - x0)}" '
            f'height="{_n(area.y(0) - upper)}" fill="none" stroke="{TARGET_COLOUR}" '
            f'stroke-width="3" stroke-dasharray="10 6" data-role="target" data-step="{step}"/>'
        )
    return _document(WIDTH, height, [heading, *blocks, ground, *labels, flag], "staircase")


def _target_note(target: tuple[int, str] | None, lang: Lang) -> str:
    if target is None:
        return ""
    return " · " + t("chart.target_note", lang, step=target[0], due=target[1])


def staircase_alt(
    score: Score,
    catalogue: Catalogue,
    lang: Lang,
    unit_name: str,
    target: tuple[int, str] | None = None,
) -> str:
    """What the staircase shows, in words: its title and subtitle and every step's state."""
    parts = [
        t("chart.staircase.title", lang, unit=unit_name) + ".",
        t(
            "chart.staircase.subtitle",
            lang,
            maturity=percent(score.maturity, lang),
            step=score.step_reached,
        )
        + _target_note(target, lang)
        + ".",
    ]
    for step in STEPS:
        part = score.of(step)
        if part.completion is None:
            state = t("chart.staircase.no_practices", lang)
        else:
            state = t(
                "chart.staircase.hover",
                lang,
                percent=percent(part.completion, lang),
                done=part.done,
                applicable=part.applicable,
            )
        parts.append(f"{step_name(catalogue, step, lang)}: {state}.")
    return " ".join(parts)


# ---------------------------------------------------------------------------- over time


_MONTHS = (1, 2, 3, 6, 12, 24, 60, 120)
_DAYS = (1, 2, 7, 14)
MAX_TICKS = 8


def date_ticks(first: pd.Timestamp, last: pd.Timestamp) -> list[tuple[pd.Timestamp, str]]:
    """Round dates between `first` and `last` and their labels, at most MAX_TICKS: days
    (YYYY-MM-DD), months (YYYY-MM) or years (YYYY), as the Plotly figures' date axis."""
    span = last - first
    for days in _DAYS:
        if span / pd.Timedelta(days=days) <= MAX_TICKS - 1:
            ticks = pd.date_range(first.normalize(), last, freq=f"{days}D")
            return [(d, d.strftime("%Y-%m-%d")) for d in ticks if d >= first]
    for months in _MONTHS:
        if span / pd.Timedelta(days=30.4 * months) <= MAX_TICKS - 1:
            start = pd.Timestamp(year=first.year, month=1, day=1)
            ticks = pd.date_range(start, last, freq=f"{months}MS")
            ticks = [d for d in ticks if d >= first and (d.year * 12 + d.month - 1) % months == 0]
            fmt = "%Y" if months >= 12 else "%Y-%m"
            return [(d, d.strftime(fmt)) for d in ticks]
    years = max(1, int(span.days / 365 / (MAX_TICKS - 1)) + 1)
    ticks = pd.date_range(pd.Timestamp(year=first.year, month=1, day=1), last, freq="YS")
    return [(d, d.strftime("%Y")) for d in ticks if d >= first and d.year % years == 0]


def _time_range(times: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    first, last = times.min(), times.max()
    pad = (last - first) * 0.03 if last > first else pd.Timedelta(days=15)
    return first - pad, last + pad


@dataclass(frozen=True)
class _Axis:
    title: str
    ticks: Sequence[tuple[float, str]]
    range: tuple[float, float]


def _time_frame(
    title: str,
    note: str,
    times: pd.Series,
    y: _Axis,
    lang: Lang,
    legend: Sequence[tuple[str, str, float]] = (),
) -> tuple[_Area, list[str]]:
    """A chart over time without its data: title, note, axes, grid and `legend` (name,
    colour, line width) under it. Returns the plotting area and the parts drawn."""
    lo, hi = _time_range(times)
    label_width = max((_text_width(label, 13) for _, label in y.ticks), default=0)
    left = 10 + 18 + 8 + label_width + 8  # margin, axis title, gap, labels, gap
    top = 92 if note else 70
    rows = _legend_rows(legend, WIDTH - 20)
    bottom = 22 + 24 + (len(rows) * 22 + 10 if rows else 0) + 10
    area = _Area(
        left,
        top,
        WIDTH - left - 20,
        HEIGHT - top - bottom,
        (lo.value / 1e9, hi.value / 1e9),
        y.range,
    )
    out = [_heading(title, note)]
    for value, label in y.ticks:
        py = area.y(value)
        out.append(
            f'<line x1="{_n(area.left)}" y1="{_n(py)}" x2="{_n(area.right)}" y2="{_n(py)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(_text(area.left - 8, py - 8, [label], 13, INK, anchor="end", role="y-tick"))
    middle = area.top + area.height / 2
    out.append(
        f'<text font-size="14" fill="{INK}" text-anchor="middle" data-role="y-title" '
        f'transform="translate(24 {_n(middle)}) rotate(-90)">{_esc(y.title)}</text>'
    )
    for when, label in date_ticks(lo, hi):
        out.append(
            _text(area.x(when.value / 1e9), area.bottom + 6, [label], 13, INK, role="x-tick")
        )
    out.append(
        _text(
            area.left + area.width / 2,
            area.bottom + 26,
            [t("chart.axis.date", lang)],
            14,
            INK,
            role="x-title",
        )
    )
    for row_index, row in enumerate(rows):
        x, ly = 10.0, area.bottom + 54 + row_index * 22
        for name, colour, width in row:
            out.append(
                f'<line x1="{_n(x)}" y1="{_n(ly + 8)}" x2="{_n(x + 26)}" y2="{_n(ly + 8)}" '
                f'stroke="{colour}" stroke-width="{width}"/>'
            )
            out.append(_text(x + 32, ly, [name], 13, INK, anchor="start", role="legend"))
            x += 32 + _text_width(name, 13) + 24
    return area, out


def _legend_rows(
    items: Sequence[tuple[str, str, float]], width: float
) -> list[list[tuple[str, str, float]]]:
    rows: list[list[tuple[str, str, float]]] = []
    used = width
    for item in items:
        need = 32 + _text_width(item[0], 13) + 24
        if used + need > width:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += need
    return rows


def _seconds(times: pd.Series) -> list[float]:
    return [ts.value / 1e9 for ts in pd.to_datetime(times)]


def _line(
    area: _Area,
    xs: Sequence[float],
    ys: Sequence[float | None],
    colour: str,
    width: float,
    *,
    role: str,
    steps: bool = False,
    marker: float = 0.0,
) -> str:
    """A polyline through the points, broken where y is missing; markers when asked."""
    segments: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if segments[-1]:
                segments.append([])
            continue
        px, py = area.x(x), area.y(y)
        if steps and segments[-1]:
            segments[-1].append((px, segments[-1][-1][1]))
        segments[-1].append((px, py))
    out = [f'<g data-role="{role}">']
    for segment in segments:
        if len(segment) > 1:
            points = " ".join(f"{_n(px)},{_n(py)}" for px, py in segment)
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="{width}" stroke-linejoin="round"/>'
            )
        if marker or len(segment) == 1:
            r = marker or width
            out += [
                f'<circle cx="{_n(px)}" cy="{_n(py)}" r="{r}" fill="{colour}"/>'
                for px, py in segment
            ]
    out.append("</g>")
    return "".join(out)


def _percentages(values: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) * 100 for v in values]


def progress_svg(history: pd.DataFrame, catalogue: Catalogue, lang: Lang) -> str:
    """One unit over time (as `charts.progress_figure`): each step's completion and the
    overall maturity, in percent."""
    title = t("chart.progress.title", lang)
    if history.empty:
        return _empty(title, lang)
    shown = thin(history, MAX_POINTS, series=len(STEPS) + 1)
    xs = _seconds(shown["taken_at"])
    marker = len(shown) <= MARKERS_UP_TO
    series = [
        (step_name(catalogue, step, lang), STEP_COLOURS[step], 2.5, f"completion_{step}")
        for step in STEPS
    ]
    series.append((t("score.maturity", lang), MATURITY_COLOUR, 4.0, "maturity"))
    axis = _Axis(
        t("chart.axis.completion", lang),
        [(v, f"{v} %") for v in (0, 25, 50, 75, 100)],
        (0, 104),
    )
    area, frame = _time_frame(
        title,
        thinned_note(shown, lang),
        shown["taken_at"],
        axis,
        lang,
        [(name, colour, width) for name, colour, width, _ in series],
    )
    lines = [
        _line(
            area,
            xs,
            _percentages(shown[column]),
            colour,
            width,
            role=column,
            marker=(width + 1) / 1.5 if marker else 0.0,
        )
        for _, colour, width, column in series
    ]
    return _document(WIDTH, HEIGHT, [*frame, *lines], "progress")


def step_reached_svg(
    history: pd.DataFrame,
    catalogue: Catalogue,
    lang: Lang,
    target: tuple[int, str] | None = None,
) -> str:
    """One unit's step reached over time (as `charts.step_reached_figure`): a step line,
    a dot per snapshot in the colour of its step, the steps named on the y axis; with
    `target` (step, date), a dashed line at the target step."""
    title = t("chart.step_reached.title", lang)
    if history.empty:
        return _empty(title, lang)
    shown = thin(history, MAX_POINTS)
    xs = _seconds(shown["taken_at"])
    steps = shown["step_reached"].astype(int).tolist()
    axis = _Axis(
        t("score.step_reached", lang),
        [(n, f"{n} {short_title(catalogue, n, lang)}") for n in (0, *STEPS)],
        (-0.2, 3.3),
    )
    legend = (
        [(t("chart.target_note", lang, step=target[0], due=target[1]), TARGET_COLOUR, 3.0)]
        if target is not None
        else []
    )
    area, frame = _time_frame(
        title, thinned_note(shown, lang), shown["taken_at"], axis, lang, legend
    )
    line = _line(
        area, xs, [float(s) for s in steps], MATURITY_COLOUR, 3, role="step_reached", steps=True
    )
    if target is not None:
        py = area.y(target[0])
        frame.append(
            f'<line x1="{_n(area.left)}" y1="{_n(py)}" x2="{_n(area.right)}" y2="{_n(py)}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="3" stroke-dasharray="10 6" '
            'data-role="target"/>'
        )
    dots = "".join(
        f'<circle cx="{_n(area.x(x))}" cy="{_n(area.y(s))}" r="5" fill="{STEP_COLOURS[s]}" '
        'stroke="#ffffff" stroke-width="1.5"/>'
        for x, s in zip(xs, steps, strict=True)
        if len(steps) <= 4 * MARKERS_UP_TO
    )
    return _document(
        WIDTH, HEIGHT, [*frame, line, f'<g data-role="dots">{dots}</g>'], "step_reached"
    )


def _date(value: object) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def progress_alt(history: pd.DataFrame, catalogue: Catalogue, lang: Lang) -> str:
    """The history in words: how many snapshots over which period, and every step's
    completion and the maturity at the first and the latest."""
    title = t("chart.progress.title", lang) + "."
    if history.empty:
        return f"{title} {t('chart.empty', lang)}"
    ordered = history.sort_values("taken_at", kind="stable")

    def values(row: pd.Series) -> str:
        parts = [
            f"{t('score.completion', lang, step=s)} {percent(_float(row[f'completion_{s}']), lang)}"
            for s in STEPS
        ]
        parts.append(f"{t('score.maturity', lang)} {percent(_float(row['maturity']), lang)}")
        return ", ".join(parts)

    first, last = ordered.iloc[0], ordered.iloc[-1]
    return " ".join(
        [
            title,
            t(
                "chart.alt.snapshots",
                lang,
                count=len(ordered),
                first=_date(first["taken_at"]),
                last=_date(last["taken_at"]),
            ),
            t("chart.alt.first", lang, date=_date(first["taken_at"]), values=values(first)),
            t("chart.alt.latest", lang, date=_date(last["taken_at"]), values=values(last)),
        ]
    )


ALT_CHANGES = 12
"""The step-reached text alternative names at most this many changes (the latest)."""


def step_reached_alt(
    history: pd.DataFrame,
    catalogue: Catalogue,
    lang: Lang,
    target: tuple[int, str] | None = None,
) -> str:
    """The step reached in words: where it started and every change since (the latest
    ALT_CHANGES), and the target."""
    title = t("chart.step_reached.title", lang) + _target_note(target, lang) + "."
    if history.empty:
        return f"{title} {t('chart.empty', lang)}"
    ordered = history.sort_values("taken_at", kind="stable")
    steps = ordered["step_reached"].astype(int)
    changed = ordered[steps.ne(steps.shift())]
    moves = [
        t("chart.alt.step_at", lang, date=_date(row.taken_at), step=int(row.step_reached))
        for row in changed.itertuples()
    ]
    if len(moves) > ALT_CHANGES:
        moves = ["…", *moves[-ALT_CHANGES:]]
    return f"{title} {'; '.join(moves)}."


def _float(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------- the organisation

NOT_ASSESSED_COLOUR = "#8A94A6"


def distribution_svg(
    labels: Sequence[str], table: pd.DataFrame, catalogue: Catalogue, lang: Lang
) -> str:
    """Units per step at the end of each period (as `organisation.distribution_figure`):
    a stacked bar per period (step 0 at the bottom, the units without a snapshot yet on
    top, outlined), each part with its count; the mean maturity as a line on the right
    axis. `labels`: one per period; `table`: `rule.OverTime.table`."""
    title = t("org.distribution_title", lang)
    if table.empty:
        return _empty(title, lang)
    parts = [*(f"step_{s}" for s in (0, *STEPS)), "not_assessed"]
    totals = table[parts].sum(axis=1)
    top_value = max(1.0, float(totals.max()))
    legend = [
        (t("org.step_n", lang, step=s, title=short_title(catalogue, s, lang)), STEP_COLOURS[s])
        for s in (0, *STEPS)
    ]
    not_assessed = t("org.not_assessed", lang)
    legend.append((not_assessed, NOT_ASSESSED_COLOUR))
    mean_name = t("org.maturity_mean", lang)
    rows = _legend_rows([(name, c, 12.0) for name, c in [*legend, (mean_name, INK)]], WIDTH - 20)
    left, right, top = 70.0, 70.0, 50.0
    bottom = 34 + len(rows) * 22 + 14
    area = _Area(
        left, top, WIDTH - left - right, HEIGHT - top - bottom, (0, len(labels)), (0, top_value)
    )
    out = [_heading(title)]
    ticks = _count_ticks(top_value)
    for value in ticks:
        py = area.y(value)
        out.append(
            f'<line x1="{_n(area.left)}" y1="{_n(py)}" x2="{_n(area.right)}" y2="{_n(py)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(_text(area.left - 8, py - 8, [str(value)], 13, INK, anchor="end"))
    for pct in (0, 25, 50, 75, 100):
        py = area.y(pct / 100 * top_value)
        out.append(_text(area.right + 8, py - 8, [f"{pct} %"], 13, INK, anchor="start"))
    out.append(
        f'<text font-size="14" fill="{INK}" text-anchor="middle" data-role="y-title" '
        f'transform="translate(20 {_n(area.top + area.height / 2)}) rotate(-90)">'
        f"{_esc(t('org.units_axis', lang))}</text>"
    )
    out.append(
        f'<text font-size="14" fill="{INK}" text-anchor="middle" data-role="y2-title" '
        f'transform="translate({_n(WIDTH - 14)} {_n(area.top + area.height / 2)}) '
        f'rotate(90)">{_esc(t("org.maturity_axis", lang))}</text>'
    )
    slot = area.width / len(labels)
    bar = min(64.0, slot * 0.7)
    bars = ['<g data-role="bars">']
    for k, label in enumerate(labels):
        x = area.left + slot * k + (slot - bar) / 2
        base = 0.0
        for part in parts:
            n = int(table[part].iloc[k])
            if not n:
                continue
            y_top, y_bottom = area.y(base + n), area.y(base)
            outlined = part == "not_assessed"
            colour = NOT_ASSESSED_COLOUR if outlined else STEP_COLOURS[int(part[-1])]
            fill = "#ffffff" if outlined else colour
            bars.append(
                f'<rect x="{_n(x)}" y="{_n(y_top)}" width="{_n(bar)}" '
                f'height="{_n(y_bottom - y_top)}" fill="{fill}" stroke="{colour}" '
                + (
                    'stroke-width="1.5" stroke-dasharray="4 3"/>'
                    if outlined
                    else 'stroke-width="0.5"/>'
                )
            )
            if y_bottom - y_top >= 16:
                ink = INK if outlined or part == "step_3" else "#ffffff"
                bars.append(
                    _text(x + bar / 2, (y_top + y_bottom) / 2 - 8, [str(n)], 13, ink, bold=True)
                )
            base += n
        bars.append(_text(x + bar / 2, area.bottom + 6, [label], 13, INK, role="x-tick"))
    bars.append("</g>")
    means = [None if pd.isna(v) else float(v) * top_value for v in table["maturity_mean"]]
    centres = [k + 0.5 for k in range(len(labels))]
    line = _line(area, centres, means, INK, 2.5, role="maturity_mean", marker=4.0)
    for row_index, row in enumerate(rows):
        x, ly = 10.0, area.bottom + 34 + row_index * 22
        for name, colour, _ in row:
            if name == mean_name:
                out.append(
                    f'<line x1="{_n(x)}" y1="{_n(ly + 8)}" x2="{_n(x + 26)}" '
                    f'y2="{_n(ly + 8)}" stroke="{colour}" stroke-width="2.5"/>'
                )
            elif name == not_assessed:
                out.append(
                    f'<rect x="{_n(x + 6)}" y="{_n(ly + 1)}" width="14" height="14" '
                    f'fill="#ffffff" stroke="{colour}" stroke-width="1.5" stroke-dasharray="4 3"/>'
                )
            else:
                out.append(
                    f'<rect x="{_n(x + 6)}" y="{_n(ly + 1)}" width="14" height="14" '
                    f'fill="{colour}" stroke="{colour}" stroke-width="1.5"/>'
                )
            out.append(_text(x + 32, ly, [name], 13, INK, anchor="start", role="legend"))
            x += 32 + _text_width(name, 13) + 24
    return _document(WIDTH, HEIGHT, [*out, *bars, line], "distribution")


def _count_ticks(top: float) -> list[int]:
    """Four or five round tick values from 0 to `top` units."""
    raw = top / 4
    magnitude = 10 ** max(0, len(str(int(raw))) - 1)
    step = max(1, next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))
    return list(range(0, int(top) + 1, step))


# ---------------------------------------------------------------------- a round's burn-up

BURN_UP_COLOUR = "#1F5FAD"


def burn_up_svg(table: pd.DataFrame, expected: int, lang: Lang) -> str:
    """An assessment round's burn-up: units answered by the end of each day of its window
    (`steering.burn_up`), up to a dashed line at the units asked."""
    title = t("chart.burn_up.title", lang)
    if table.empty:
        return _empty(title, lang)
    times = pd.to_datetime(table["day"])
    top = max(expected, int(table["answered"].max()), 1)
    axis = _Axis(
        t("chart.axis.units_answered", lang),
        [(v, str(v)) for v in _count_ticks(top)],
        (0, top * 1.06),
    )
    legend = [
        (t("chart.burn_up.answered", lang), BURN_UP_COLOUR, 3.0),
        (t("chart.burn_up.asked", lang, n=expected), MUTED, 2.0),
    ]
    area, frame = _time_frame(title, "", times, axis, lang, legend)
    xs = _seconds(times)
    line = _line(
        area,
        xs,
        [float(v) for v in table["answered"]],
        BURN_UP_COLOUR,
        3,
        role="answered",
        steps=True,
    )
    py = area.y(expected)
    goal = (
        f'<line x1="{_n(area.left)}" y1="{_n(py)}" x2="{_n(area.right)}" y2="{_n(py)}" '
        f'stroke="{MUTED}" stroke-width="2" stroke-dasharray="8 6" data-role="asked"/>'
    )
    return _document(WIDTH, HEIGHT, [*frame, goal, line], "burn_up")


def burn_up_alt(table: pd.DataFrame, expected: int, lang: Lang) -> str:
    if table.empty:
        return t("chart.empty", lang)
    last = table.iloc[-1]
    return t(
        "chart.burn_up.alt",
        lang,
        answered=int(last["answered"]),
        expected=expected,
        first=_date(table.iloc[0]["day"]),
        last=_date(last["day"]),
    )
