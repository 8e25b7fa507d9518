"""Every Plotly figure of the app, one function per kind: data in, `go.Figure` out.

No Streamlit here. Every label comes from `staircase.i18n.t` (keys `chart.*` in
`locales/charts.yaml`, plus the domain's `score.*` keys) and the step titles from the catalogue.
Completion and maturity are plotted as percentages (0-100) with a " %" suffix. No figure sends
more than `MAX_POINTS` points to the browser, whatever the size of the data: long series are
thinned to the latest snapshot per period (`thin`), many units are cut to the top and bottom.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go

from staircase.domain.catalogue import Catalogue
from staircase.domain.model import STEPS, Lang
from staircase.i18n import percent, t

MAX_POINTS = 5000
"""The most points (sum of len(x) over traces) any figure sends to the browser."""

STEP_COLOURS: Mapping[int, str] = {
    0: "#8A94A6",  # the starting point: slate grey
    1: "#3B7DD8",  # goal-driven and flexible learning: blue
    2: "#2A9D8F",  # learning in the work: teal
    3: "#E0A030",  # sharing knowledge and experience: amber
}
"""One colour per step, the same in every figure (distinguishable with colour-blindness)."""

TARGET_COLOUR = "#7A3E00"
"""A unit's target: a dark brown, apart from every step's colour (contrast 9:1 on white)."""
MATURITY_COLOUR = "#1F2A3C"
INK = "#1F2A3C"
MUTED = "#5B6577"
FLAG_COLOUR = "#D1495B"
UNIT_COLOURS = (
    "#3B7DD8",
    "#E0A030",
    "#2A9D8F",
    "#CC6677",
    "#6F4E9C",
    "#88A03C",
    "#44AACC",
    "#AA4499",
    "#8C6D46",
    "#5B6577",
)
"""Line colours for comparing units (distinct from one another, calm)."""

FONT = dict(family="Inter, 'Segoe UI', 'Helvetica Neue', Arial, sans-serif", size=14, color=INK)
HEIGHT = 420
_AXIS = dict(
    gridcolor="#EBF0F8",
    linecolor="#EBF0F8",
    zerolinecolor="#EBF0F8",
    zerolinewidth=2,
    ticks="",
    automargin=True,
    title=dict(standoff=15),
)
TEMPLATE = go.layout.Template(
    layout=dict(
        paper_bgcolor="white",
        plot_bgcolor="white",
        hovermode="closest",
        colorway=list(UNIT_COLOURS),
        xaxis=_AXIS,
        yaxis=_AXIS,
    )
)
"""The look of Plotly's 'plotly_white', reduced to what these charts use: the full template is
hundreds of properties that Plotly copies and validates for every figure (2-3x the time)."""
OVERVIEW_EDGE = 25
"""The overview shows every unit up to 2 × this many, then the top and bottom this many."""
MAX_COMPARED_UNITS = 250
"""The comparison shows at most this many units (so each keeps ≥ 20 points)."""
LEGEND_MAX_UNITS = 15
"""Above this many units the comparison hides its legend (names are in the hover)."""

_DAY_MS = 86_400_000
_PERIODS = ("D", "W", "M", "Q", "Y")


# ---------------------------------------------------------------------------- helpers


def point_count(fig: go.Figure) -> int:
    """The points a figure sends to the browser: the sum of len(x) over its traces."""
    total = 0
    for trace in fig.data:
        x = getattr(trace, "x", None)
        if x is not None:
            total += len(x)
    return total


def thin(
    history: pd.DataFrame,
    max_points: int,
    *,
    series: int = 1,
    unit_col: str = "unit_id",
    time_col: str = "taken_at",
) -> pd.DataFrame:
    """History cut so that rows × `series` (traces drawn per unit) stays ≤ `max_points`.

    Every unit gets an equal share of the budget. A unit whose series is too long keeps the
    latest snapshot per day, week, month, quarter or year (the finest period that fits), and
    failing that the latest per equal slice of its time span. Returns the kept rows sorted by
    time; `attrs["thinned_from"]` holds the original row count when anything was dropped.
    Raises ValueError when even one row per unit does not fit: cap the units first.
    """
    if history.empty:
        return history
    frame = history.copy()
    frame[time_col] = pd.to_datetime(frame[time_col])
    groups = frame[unit_col].nunique() if unit_col in frame else 1
    per_unit = max_points // (max(series, 1) * groups)
    if per_unit < 1:
        raise ValueError(
            f"{groups} units × {series} series do not fit in {max_points} points; cap the units"
        )
    if len(frame) <= per_unit:  # the common case: nothing to do
        return frame.sort_values(time_col, kind="stable")
    parts = [g for _, g in frame.groupby(unit_col, sort=False)] if unit_col in frame else [frame]
    kept = [_thin_one(g, per_unit, time_col) for g in parts]
    out = pd.concat(kept).sort_values(time_col, kind="stable")
    if len(out) < len(frame):
        out.attrs["thinned_from"] = len(frame)
    return out


def _thin_one(frame: pd.DataFrame, budget: int, time_col: str) -> pd.DataFrame:
    """One unit's rows cut to at most `budget`, keeping the latest per time bucket."""
    if len(frame) <= budget:
        return frame
    frame = frame.sort_values(time_col, kind="stable")
    times = frame[time_col]
    for period in _PERIODS:
        buckets = times.dt.to_period(period)
        if buckets.nunique() <= budget:
            return frame[~buckets.duplicated(keep="last")]
    start, span = times.iloc[0], times.iloc[-1] - times.iloc[0]
    slices = ((times - start) / span * budget).astype(int).clip(upper=budget - 1)
    return frame[~slices.duplicated(keep="last")]


def _esc(text: str) -> str:
    """User text (unit names) made safe for Plotly's HTML-like labels."""
    return html.escape(str(text), quote=False)


def wrap_lines(text: str, width: int, lines: int = 2) -> list[str]:
    """`text` in at most `lines` lines of about `width` characters, the last one shortened."""
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = [
            *parts[: lines - 1],
            textwrap.shorten(" ".join(parts[lines - 1 :]), width, placeholder=" …"),
        ]
    return parts


def _wrap(text: str, width: int, lines: int = 2) -> str:
    return "<br>".join(_esc(p) for p in wrap_lines(text, width, lines))


def _number(n: int, lang: Lang) -> str:
    """10000 → '10 000' (sv) / '10,000' (en)."""
    text = f"{n:,}"
    return text.replace(",", "\u00a0") if lang != "en" else text


def short_title(catalogue: Catalogue, step: int, lang: Lang) -> str:
    """A step's title up to any colon: 'Utgångsläge: kurskatalogen' → 'Utgångsläge'."""
    return catalogue.step(step).title(lang).split(":")[0].strip()


def step_name(catalogue: Catalogue, step: int, lang: Lang) -> str:
    """'Steg 1 – Målstyrt och flexibelt lärande': the legend name of a step."""
    return t("chart.series.step", lang, step=step, title=short_title(catalogue, step, lang))


def _step_ticks(catalogue: Catalogue, lang: Lang) -> dict[str, Any]:
    return dict(
        tickmode="array",
        tickvals=[0, *STEPS],
        ticktext=[f"{n} {_esc(short_title(catalogue, n, lang))}" for n in (0, *STEPS)],
        range=[-0.2, 3.3],
        zeroline=False,
    )


def _percent_axis(title: str) -> dict[str, Any]:
    return dict(
        title=dict(text=title),
        range=[0, 104],
        tickmode="linear",
        tick0=0,
        dtick=25,
        ticksuffix=" %",
        zeroline=False,
        fixedrange=True,
    )


def _date_axis(lang: Lang) -> dict[str, Any]:
    """ISO-style dates, the same in both languages (Plotly's month names are English only)."""
    return dict(
        title=dict(text=t("chart.axis.date", lang)),
        type="date",
        hoverformat="%Y-%m-%d",
        tickformatstops=[
            dict(dtickrange=[None, 28 * _DAY_MS], value="%Y-%m-%d"),
            dict(dtickrange=[28 * _DAY_MS, 365 * _DAY_MS], value="%Y-%m"),
            dict(dtickrange=[365 * _DAY_MS, None], value="%Y"),
        ],
        showgrid=False,
    )


def _base_layout(fig: go.Figure, lang: Lang, title: str, note: str = "", **extra: Any) -> None:
    fig.update_layout(
        template=TEMPLATE,
        font=FONT,
        title=dict(
            text=f"<b>{title}</b>",
            x=0,
            xanchor="left",
            y=0.98,
            yanchor="top",
            font=dict(size=18),
            subtitle=dict(text=note, font=dict(size=13, color=MUTED)),
        ),
        height=HEIGHT,
        margin=dict(l=10, r=20, t=92 if note else 70, b=10),
        legend=dict(
            orientation="h",
            x=0,
            xanchor="left",
            y=-0.16,
            yanchor="top",
            font=dict(size=13),
        ),
        hoverlabel=dict(namelength=-1, font=dict(size=13)),
        separators=", " if lang != "en" else ".,",
    )
    if extra:
        fig.update_layout(**extra)


def _empty(fig: go.Figure, lang: Lang, title: str) -> go.Figure:
    _base_layout(fig, lang, title)
    fig.update_layout(xaxis=dict(visible=False), yaxis=dict(visible=False))
    fig.add_annotation(
        text=_wrap(t("chart.empty", lang), 40, lines=3),  # fits a half-width column
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font=dict(size=15, color=MUTED),
    )
    return fig


def thinned_note(shown: pd.DataFrame, lang: Lang) -> str:
    total = shown.attrs.get("thinned_from")
    if not total:
        return ""
    return t("chart.thinned", lang, shown=_number(len(shown), lang), total=_number(total, lang))


def _pct(values: pd.Series) -> list[float | None]:
    """Fractions as percentages, NaN as None (a gap in the line)."""
    return [None if pd.isna(v) else float(v) * 100 for v in values]


def _dates(values: pd.Series) -> list[Any]:
    return list(pd.to_datetime(values).dt.to_pydatetime())


# ---------------------------------------------------------------------------- one unit


def progress_figure(history: pd.DataFrame, catalogue: Catalogue, lang: Lang) -> go.Figure:
    """One unit over time: each step's completion and the overall maturity, in percent."""
    fig = go.Figure()
    title = t("chart.progress.title", lang)
    if history.empty:
        return _empty(fig, lang, title)
    shown = thin(history, MAX_POINTS, series=len(STEPS) + 1)
    x = _dates(shown["taken_at"])
    for step in STEPS:
        fig.add_trace(
            go.Scatter(
                x=x,
                y=_pct(shown[f"completion_{step}"]),
                name=_esc(step_name(catalogue, step, lang)),
                mode="lines+markers",
                line=dict(color=STEP_COLOURS[step], width=2.5),
                marker=dict(size=6),
                hovertemplate="%{y:.0f} %<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=_pct(shown["maturity"]),
            name=t("score.maturity", lang),
            mode="lines+markers",
            line=dict(color=MATURITY_COLOUR, width=4),
            marker=dict(size=7),
            hovertemplate="<b>%{y:.0f} %</b><extra></extra>",
        )
    )
    _base_layout(
        fig,
        lang,
        title,
        thinned_note(shown, lang),
        xaxis=_date_axis(lang),
        yaxis=_percent_axis(t("chart.axis.completion", lang)),
        hovermode="x unified",
    )
    return fig


def step_reached_figure(
    history: pd.DataFrame,
    catalogue: Catalogue,
    lang: Lang,
    target: tuple[int, str] | None = None,
) -> go.Figure:
    """One unit's step reached over time, as a step line with the steps named on the y axis;
    with `target` (step, date), a dashed line at the target step."""
    fig = go.Figure()
    title = t("chart.step_reached.title", lang)
    if history.empty:
        return _empty(fig, lang, title)
    shown = thin(history, MAX_POINTS)
    steps = shown["step_reached"].astype(int).tolist()
    fig.add_trace(
        go.Scatter(
            x=_dates(shown["taken_at"]),
            y=steps,
            name=t("score.step_reached", lang),
            mode="lines+markers",
            line=dict(shape="hv", color=MATURITY_COLOUR, width=3),
            marker=dict(
                size=10,
                color=[STEP_COLOURS[s] for s in steps],
                line=dict(color="white", width=1.5),
            ),
            customdata=[_esc(short_title(catalogue, s, lang)) for s in steps],
            hovertemplate="%{x|%Y-%m-%d}: <b>%{y}</b> %{customdata}<extra></extra>",
            showlegend=False,
        )
    )
    _base_layout(
        fig,
        lang,
        title,
        thinned_note(shown, lang),
        xaxis=_date_axis(lang),
        yaxis=dict(title=dict(text=t("score.step_reached", lang)), **_step_ticks(catalogue, lang)),
    )
    if target is not None:
        fig.add_hline(
            y=target[0],
            line=dict(color=TARGET_COLOUR, width=3, dash="dash"),
            annotation_text=t("chart.target_note", lang, step=target[0], due=target[1]),
            annotation_position="top left",
        )
    return fig


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def tint(colour: str, amount: float) -> str:
    """The colour mixed with `amount` of white."""
    r, g, b = (round(v + (255 - v) * amount) for v in _rgb(colour))
    return f"#{r:02x}{g:02x}{b:02x}"


def shade(colour: str, amount: float) -> str:
    """The colour mixed with `amount` of black (darker text of the same hue)."""
    r, g, b = (round(v * (1 - amount)) for v in _rgb(colour))
    return f"#{r:02x}{g:02x}{b:02x}"


# ---------------------------------------------------------------------------- many units


def comparison_figure(
    history: pd.DataFrame,
    labels: Mapping[int, str],
    lang: Lang,
    metric: Literal["maturity", "step_reached"] = "maturity",
) -> go.Figure:
    """Several units over time: one line per unit, maturity in percent or the step reached."""
    fig = go.Figure()
    is_step = metric == "step_reached"
    title = t("chart.comparison.title_step" if is_step else "chart.comparison.title_maturity", lang)
    if history.empty:
        return _empty(fig, lang, title)
    order = _unit_order(history["unit_id"].unique(), labels)
    notes = []
    if len(order) > MAX_COMPARED_UNITS:
        keep = set(_top_and_bottom(history, metric, order, MAX_COMPARED_UNITS // 2))
        notes.append(
            t(
                "chart.comparison.capped",
                lang,
                shown=_number(len(keep), lang),
                total=_number(len(order), lang),
            )
        )
        order = [u for u in order if u in keep]
        history = history[history["unit_id"].isin(keep)]
    shown = thin(history, MAX_POINTS)
    notes.append(thinned_note(shown, lang))
    legend = len(order) <= LEGEND_MAX_UNITS
    if not legend:
        notes.append(t("chart.comparison.hover_hint", lang))
    offsets = _spread(len(order)) if is_step else [0.0] * len(order)
    by_unit = dict(tuple(shown.groupby("unit_id", sort=False)))
    for i, unit_id in enumerate(order):
        rows = by_unit.get(unit_id)
        if rows is None:
            continue
        name = _esc(labels.get(unit_id, f"#{unit_id}"))
        colour = UNIT_COLOURS[i % len(UNIT_COLOURS)]
        if is_step:
            steps = rows["step_reached"].astype(int).tolist()
            trace = go.Scatter(
                y=[s + offsets[i] for s in steps],
                customdata=steps,
                line=dict(shape="hv", color=colour, width=2.5),
                hovertemplate="%{fullData.name}<br>%{x|%Y-%m-%d}: <b>%{customdata}</b>"
                "<extra></extra>",
            )
        else:
            trace = go.Scatter(
                y=_pct(rows["maturity"]),
                line=dict(color=colour, width=2.5),
                hovertemplate="%{fullData.name}<br>%{x|%Y-%m-%d}: <b>%{y:.0f} %</b><extra></extra>",
            )
        trace.update(
            x=_dates(rows["taken_at"]),
            name=name,
            mode="lines+markers" if legend and len(rows) <= 60 else "lines",
            marker=dict(size=6),
            meta={"unit_id": int(unit_id)},
        )
        if not legend:  # many units: thin, see-through lines so the crowd reads as a band
            trace.update(line_width=1.2, opacity=0.55)
        fig.add_trace(trace)
    if is_step:
        yaxis = dict(title=dict(text=t("score.step_reached", lang)), **_step_ticks_plain())
    else:
        yaxis = _percent_axis(t("score.maturity", lang))
    _base_layout(
        fig,
        lang,
        title,
        " ".join(n for n in notes if n),
        xaxis=_date_axis(lang),
        yaxis=yaxis,
        showlegend=legend,
        hovermode="closest",
    )
    return fig


def _step_ticks_plain() -> dict[str, Any]:
    return dict(tickmode="array", tickvals=[0, *STEPS], range=[-0.3, 3.3], zeroline=False)


def _spread(n: int) -> list[float]:
    """Small vertical offsets so that units on the same step do not hide one another."""
    if n <= 1:
        return [0.0] * n
    step = min(0.06, 0.36 / (n - 1))
    return [(i - (n - 1) / 2) * step for i in range(n)]


def _unit_order(unit_ids: Sequence[int] | Any, labels: Mapping[int, str]) -> list[int]:
    """Units in the order of `labels` (the page's order), then any others by id."""
    present = {int(u) for u in unit_ids}
    ordered = [int(u) for u in labels if int(u) in present]
    return ordered + sorted(present - set(ordered))


def _top_and_bottom(history: pd.DataFrame, metric: str, order: list[int], n: int) -> list[int]:
    latest = (
        history.sort_values("taken_at", kind="stable")
        .drop_duplicates("unit_id", keep="last")
        .set_index("unit_id")[metric]
    )
    rank = {u: i for i, u in enumerate(order)}
    ranked = sorted(
        order,
        key=lambda u: (-_sort_value(latest.get(u)), rank[u]),
    )
    return ranked[:n] + ranked[-n:]


def _sort_value(value: Any) -> float:
    return -1.0 if value is None or pd.isna(value) else float(value)


def overview_figure(
    overview: pd.DataFrame,
    labels: Mapping[int, str],
    catalogue: Catalogue,
    lang: Lang,
) -> go.Figure:
    """The latest state of many units: maturity as horizontal bars, highest first, coloured by
    the step reached. Above 2 × OVERVIEW_EDGE units only the top and bottom ones are shown."""
    fig = go.Figure()
    title = t("chart.overview.title", lang)
    if overview.empty:
        return _empty(fig, lang, title)
    frame = overview.copy()
    frame["unit_id"] = frame["unit_id"].astype(int)
    frame["label"] = [_esc(labels.get(u, f"#{u}")) for u in frame["unit_id"]]
    if frame["label"].duplicated().any():  # bars are placed by label: keep them apart
        frame["label"] = [
            f"{lbl} (#{u})" for lbl, u in zip(frame["label"], frame["unit_id"], strict=True)
        ]
    frame["sort"] = [_sort_value(v) for v in frame["maturity"]]
    frame = frame.sort_values(["sort", "label"], ascending=[False, True], kind="stable")
    total = len(frame)
    note = ""
    capped = total > 2 * OVERVIEW_EDGE
    if capped:
        frame = pd.concat([frame.head(OVERVIEW_EDGE), frame.tail(OVERVIEW_EDGE)])
        note = t("chart.overview.capped", lang, n=OVERVIEW_EDGE, total=_number(total, lang))
    frame["step_reached"] = frame["step_reached"].astype(int)
    taken = pd.to_datetime(frame["taken_at"]).dt.strftime("%Y-%m-%d")
    frame["taken"] = taken
    hover = (
        "<b>%{y}</b><br>"
        + t("score.maturity", lang)
        + ": %{text}<br>"
        + t("score.step_reached", lang)
        + ": %{customdata[0]}<br>"
        + t("chart.hover.latest", lang)
        + ": %{customdata[1]}<extra></extra>"
    )
    for step in (0, *STEPS):
        rows = frame[frame["step_reached"] == step]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=[0.0 if pd.isna(v) else float(v) * 100 for v in rows["maturity"]],
                y=rows["label"].tolist(),
                orientation="h",
                name=_esc(step_name(catalogue, step, lang)),
                marker=dict(color=STEP_COLOURS[step]),
                text=[percent(None if pd.isna(v) else float(v), lang) for v in rows["maturity"]],
                textposition="outside",
                cliponaxis=False,
                customdata=list(
                    zip(
                        [_esc(step_name(catalogue, s, lang)) for s in rows["step_reached"]],
                        rows["taken"],
                        strict=True,
                    )
                ),
                hovertemplate=hover,
                meta={"step": step},
            )
        )
    if capped:  # a dashed line between the top and the bottom group
        fig.add_shape(
            type="line",
            xref="paper",
            x0=0,
            x1=1,
            y0=OVERVIEW_EDGE - 0.5,
            y1=OVERVIEW_EDGE - 0.5,
            line=dict(color=MUTED, width=1, dash="dash"),
        )
    bars = len(frame)
    _base_layout(
        fig,
        lang,
        title,
        note,
        height=max(HEIGHT, min(140 + 22 * bars, 1400)),
        barmode="overlay",
        bargap=0.25,
        xaxis=dict(**_percent_axis(t("score.maturity", lang)), side="top"),
        yaxis=dict(
            categoryorder="array",
            categoryarray=frame["label"].tolist(),
            autorange="reversed",
            automargin=True,
            title=None,
            tickfont=dict(size=12),
        ),
        legend=dict(
            title=dict(text=t("score.step_reached", lang)),
            orientation="h",
            x=0,
            y=-0.02 if bars > 12 else -0.1,
            yanchor="top",
        ),
    )
    fig.update_xaxes(range=[0, 112], title_standoff=6)
    return fig
