"""The management report of a unit and everything under it over a period: its content
built once (`build`), from what the roll-up, the targets and the rounds compute, then
rendered as PDF, workbook or web page (`render`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import IO, Literal

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from staircase.domain.access import Right
from staircase.domain.catalogue import Catalogue
from staircase.domain.model import STEPS, Lang, Problem, ValidationError
from staircase.domain.moments import format_moment, now
from staircase.domain.plan import OpenAction, UnitPlan
from staircase.domain.rollup import (
    LEVELS,
    OrganisationNow,
    PeriodKind,
    heatmap_units,
    months_before,
)
from staircase.domain.rules import PATH_SEPARATOR, slug
from staircase.domain.scoring import Score, score_working_state
from staircase.domain.steering import TargetState, TargetSummary
from staircase.domain.units import UnitTree
from staircase.i18n import percent, t
from staircase.reports.model import (
    Cell,
    Column,
    Figure,
    Report,
    Section,
    SnapshotRows,
    Table,
    WorkbookData,
)
from staircase.services.assessments import Assessments
from staircase.services.checklist import Checklist
from staircase.services.door import Actor
from staircase.services.plans import Plans
from staircase.services.practices import Practices
from staircase.services.rollup import Rollup
from staircase.services.steering import Rounds, Targets
from staircase.storage import snapshots as snapshot_rows
from staircase.storage.database import Database
from staircase.views import assessment as assessment_views
from staircase.views import charts, pictures
from staircase.views import organisation as org_views
from staircase.views import steering as steering_views

Format = Literal["pdf", "xlsx", "html"]
FORMATS: tuple[Format, ...] = ("pdf", "xlsx", "html")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
}
DEFAULT_MONTHS = 12
"""The period when none is given: the last twelve months."""
MAX_MONTHS = 120
LIST_MAX = 15
"""Movers and units behind listed in the body (all of them are in the appendix)."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def months(self) -> int:
        """Its length in whole months (at least one): what the roll-up over time and the
        movers look back (2025-11-16 – 2026-11-15 is twelve, as is 2025-12-01 – 2026-11-30)."""
        return max(1, round(((self.end - self.start).days + 1) / 30.44))


def period(start: date | None, end: date | None, today: date) -> Period:
    """The report's period: to the end of `end` (default today), from `start` (default
    twelve months before); refused when it ends in the future, starts after it ends or
    spans more than ten years."""
    end = end or today
    start = start or _months_back(end, DEFAULT_MONTHS)
    problems = []
    if end > today:
        problems.append(Problem("report.future", {"date": end.isoformat()}))
    if start > end:
        problems.append(
            Problem("report.start_after_end", {"start": start.isoformat(), "end": end.isoformat()})
        )
    elif Period(start, end).months > MAX_MONTHS:
        problems.append(Problem("report.too_long", {"max": MAX_MONTHS // 12}))
    if problems:
        raise ValidationError(problems)
    return Period(start, end)


def _months_back(day: date, months: int) -> date:
    """The day after the same day `months` months earlier: a period of whole months."""
    return months_before(datetime.combine(day, time()), months).date() + timedelta(days=1)


class Reports:
    def __init__(
        self,
        db: Database,
        practices: Practices,
        checklist: Checklist,
        rollup: Rollup,
        targets: Targets,
        rounds: Rounds,
        plans: Plans,
        assessments: Assessments,
    ) -> None:
        self.db, self.practices, self.checklist = db, practices, checklist
        self.rollup, self.targets, self.rounds, self.plans = rollup, targets, rounds, plans
        self.assessments = assessments

    def build(
        self,
        tree: UnitTree,
        unit_id: int,
        start: date | None = None,
        end: date | None = None,
        lang: Lang = "sv",
        made_by: str = "",
        *,
        actor: Actor | None = None,
    ) -> Report:
        """The report's content for a unit and everything under it (or, for a unit without
        units under it, for the unit itself) over the period. Needs the right to export
        (reports) on the unit; every part is read as the actor."""
        with self.rollup.door.read(actor, unit=unit_id, right=Right.EXPORT):
            pass
        made = now()
        span = period(start, end, made.date())
        if unit_id not in tree.units or tree.units[unit_id].archived:
            raise ValidationError(Problem("report.unit_unknown", {"unit": unit_id}))
        gathers = any(not u.archived for u in tree.children(unit_id))
        catalogue = self.practices.catalogue(actor=actor)
        if gathers:
            sections, workbook = self._organisation(tree, unit_id, span, catalogue, lang, actor)
            ids = list(self.rollup.of_unit(tree, unit_id, span.end, actor=actor).unit_ids)
        else:
            sections, workbook = self._unit(tree, unit_id, span, catalogue, lang, actor)
            ids = [unit_id]
        label = tree.label(unit_id)
        cover = (
            t("report.cover.unit" if gathers else "report.cover.unit_alone", lang, unit=label),
            t("report.cover.period", lang, start=span.start.isoformat(), end=span.end.isoformat()),
            t("report.cover.made", lang, at=format_moment(made), by=made_by.strip() or "–"),
        )
        return Report(
            lang,
            t("report.title", lang, unit=tree.units[unit_id].name),
            label,
            "organisation" if gathers else "unit",
            span.start,
            span.end,
            made,
            made_by.strip(),
            cover,
            tuple(sections),
            workbook,
            self._snapshot_rows(tree, ids, span, lang),
        )

    # ------------------------------------------------------------------ an organisation

    def _organisation(
        self,
        tree: UnitTree,
        unit_id: int,
        span: Period,
        catalogue: Catalogue,
        lang: Lang,
        actor: Actor | None = None,
    ) -> tuple[list[Section], WorkbookData]:
        now_ = self.rollup.of_unit(tree, unit_id, span.end, actor=actor)
        kind: PeriodKind = "month" if span.months <= 12 else "quarter"
        over = self.rollup.over_time(tree, unit_id, kind, span.months, span.end, actor=actor)
        moved = self.rollup.movers(tree, unit_id, span.months, span.end, actor=actor)
        targets = self.targets.progress(tree, unit_id, span.end, actor=actor)
        labels = org_views.period_labels(over, lang)
        dist = now_.distribution
        first, last = over.table.iloc[0], over.table.iloc[-1]
        standing = Section(
            "now",
            t("report.now.title", lang),
            (
                t(
                    "report.now.text",
                    lang,
                    assessed=dist.assessed,
                    expected=dist.units_in_scope,
                    mean=percent(dist.maturity_mean, lang),
                    median=percent(dist.maturity_median, lang),
                ),
                t(
                    "report.now.change",
                    lang,
                    first=labels[0],
                    last=labels[-1],
                    mean_then=percent(_float(first["maturity_mean"]), lang),
                    mean_now=percent(_float(last["maturity_mean"]), lang),
                ),
            ),
            (
                Figure(
                    t("org.distribution_title", lang),
                    pictures.distribution_svg(labels, over.table, catalogue, lang),
                    org_views.distribution_summary(labels, over.table, catalogue, lang),
                    Table.from_frame(
                        t("report.figures_of", lang, chart=t("org.distribution_title", lang)),
                        org_views.distribution_table(over, lang),
                    ),
                    _json(org_views.distribution_figure(labels, over.table, catalogue, lang)),
                ),
            ),
            (_steps_table(now_, first, labels[0], lang),),
        )
        sections = [
            standing,
            _targets_section(targets, tree, lang),
            Section(
                "practices",
                t("report.practices.title", lang),
                (t("report.practices.text", lang),),
                tables=(
                    Table.from_frame(
                        t("report.practices.caption", lang),
                        org_views.practices_table(now_.practices, catalogue, lang),
                    ),
                ),
            ),
            _movers_section(moved.climbed, moved.still_or_back, moved.months, tree, lang),
        ]
        sections.append(_overdue_section(self.plans.overdue(unit_id, span.end, actor=actor), lang))
        sections.append(self._assessment_section(tree, unit_id, span, lang, actor))
        if (round_section := self._round_section(tree, unit_id, span, lang, actor)) is not None:
            sections.append(round_section)
        sections.append(_appendix(now_, targets, tree, lang))
        workbook = WorkbookData(
            _distribution_data(over.table, labels, lang),
            _heatmap_data(now_, tree, catalogue, lang),
            {
                s: f"{org_views.STATUS_SYMBOLS[s]} {t(f'status.{s}', lang)}"
                for s in org_views.STATUS_SYMBOLS
            },
            _targets_data(targets, tree, lang),
        )
        return sections, workbook

    def _assessment_section(
        self, tree: UnitTree, unit_id: int, span: Period, lang: Lang, actor: Actor | None = None
    ) -> Section:
        """Nuläge: per area, the units on each level by their latest assessment."""
        distribution = self.assessments.distribution(tree, unit_id, span.end, actor=actor)
        table = assessment_views.distribution_table(distribution, self.assessments.model, lang)
        return Section(
            "assessment",
            t("assessment.org_title", lang),
            (
                t(
                    "assessment.org_help",
                    lang,
                    assessed=distribution.assessed,
                    expected=len(distribution.expected),
                ),
            ),
            tables=(Table.from_frame(t("assessment.org_caption", lang), table),)
            if distribution.assessed
            else (),
        )

    def _round_section(
        self, tree: UnitTree, unit_id: int, span: Period, lang: Lang, actor: Actor | None = None
    ) -> Section | None:
        """The latest round that asked the unit's units (opened on it or above it) and started
        by the period's end; else the latest one opened under it."""
        above = set(tree.lineage(unit_id))
        rounds = [
            r for r in self.rounds.of_unit(tree, unit_id, actor=actor) if r.starts <= span.end
        ]
        rounds.sort(key=lambda r: r.unit_id not in above)  # stable: latest first within each
        if not rounds:
            return None
        status = self.rounds.status(tree, rounds[0].id, span.end, actor=actor)
        rnd = status.round
        expected = len(status.expected)
        state = (
            t("round.open_state", lang)
            if rnd.is_open
            else t("round.closed_state", lang, when=format_moment(rnd.closed_at))
        )
        return Section(
            "round",
            t("report.round.title", lang, name=rnd.name),
            (
                t(
                    "report.round.text",
                    lang,
                    unit=tree.label(rnd.unit_id),
                    starts=rnd.starts.isoformat(),
                    due=rnd.due.isoformat(),
                    state=state,
                ),
                steering_views.completion_text(status, lang),
            ),
            (
                Figure(
                    t("chart.burn_up.title", lang),
                    pictures.burn_up_svg(status.burn_up, expected, lang),
                    pictures.burn_up_alt(status.burn_up, expected, lang),
                    Table.from_frame(
                        t("report.figures_of", lang, chart=t("chart.burn_up.title", lang)),
                        steering_views.burn_up_table(status, lang),
                    ),
                ),
            ),
            (
                Table.from_frame(
                    t("round.result", lang), steering_views.result_table(status, lang)
                ),
                Table.from_frame(
                    t("round.missing_title", lang, n=len(status.missing)),
                    steering_views.missing_table(status, tree, lang),
                ),
            ),
        )

    # ---------------------------------------------------------------------- one unit

    def _unit(
        self,
        tree: UnitTree,
        unit_id: int,
        span: Period,
        catalogue: Catalogue,
        lang: Lang,
        actor: Actor | None = None,
    ) -> tuple[list[Section], WorkbookData]:
        unit = tree.units[unit_id]
        states = self.checklist.state(unit_id, actor=actor)
        plan = self.plans.of_unit(unit_id, actor=actor)
        score = score_working_state(catalogue, states)
        target = self.targets.of_unit(tree, unit_id, actor=actor)
        shown_target = (
            (target.step, target.due.isoformat())
            if target is not None and target.step is not None and target.due is not None
            else None
        )
        with self.db.read() as conn:
            history = snapshot_rows.history(conn, [unit_id])
        if len(history):
            within = (history["taken_at"] >= _start(span)) & (history["taken_at"] < _end(span))
            history = history[within].reset_index(drop=True)
        steps = steps_table(score, catalogue, lang)
        staircase = Section(
            "staircase",
            t("report.unit.now_title", lang),
            (steering_views.target_text(target, tree, unit_id, lang),),
            (
                Figure(
                    t("chart.staircase.title", lang, unit=unit.name),
                    pictures.staircase_svg(score, catalogue, lang, unit.name, shown_target),
                    pictures.staircase_alt(score, catalogue, lang, unit.name, shown_target),
                    steps,
                ),
            ),
        )
        history_table = Table(
            t("report.unit.history_caption", lang),
            (
                Column(t("report.col.taken_at", lang), "moment"),
                Column(t("org.step", lang), "int"),
                Column(t("org.maturity", lang), "percent"),
            ),
            tuple(
                (
                    pd.Timestamp(r.taken_at).to_pydatetime(),
                    int(r.step_reached),
                    _float(r.maturity),
                )
                for r in history.itertuples(index=False)
            ),
        )
        over_time = Section(
            "history",
            t("report.unit.history_title", lang),
            (t("report.unit.history_text", lang, n=len(history)),),
            (
                Figure(
                    t("chart.progress.title", lang),
                    pictures.progress_svg(history, catalogue, lang),
                    pictures.progress_alt(history, catalogue, lang),
                    history_table,
                    _json(charts.progress_figure(history, catalogue, lang)),
                ),
                Figure(
                    t("chart.step_reached.title", lang),
                    pictures.step_reached_svg(history, catalogue, lang, shown_target),
                    pictures.step_reached_alt(history, catalogue, lang, shown_target),
                    history_table,
                    _json(charts.step_reached_figure(history, catalogue, lang, shown_target)),
                ),
            ),
        )
        practices = Section(
            "practices",
            t("report.unit.practices_title", lang),
            tables=(
                Table(
                    t("report.unit.practices_caption", lang),
                    (
                        Column(t("org.practice", lang)),
                        Column(t("org.step", lang), "int"),
                        Column(t("report.col.status", lang)),
                        Column(t("report.col.note", lang)),
                        Column(t("report.col.changed", lang)),
                    ),
                    tuple(
                        (
                            p.title(lang) or p.title.sv,
                            p.step,
                            _status_text(
                                states[p.id].status.value if p.id in states else "not_started", lang
                            ),
                            states[p.id].note if p.id in states else "",
                            _changed(states.get(p.id)),
                        )
                        for p in catalogue.practices
                    ),
                ),
                plan_table(plan, catalogue, lang),
            ),
        )
        workbook = WorkbookData(
            _history_distribution(history_table, lang),
            None,
            {},
            None,
        )
        return [staircase, over_time, practices], workbook

    # --------------------------------------------------------------------- snapshots

    def _snapshot_rows(
        self, tree: UnitTree, ids: Sequence[int], span: Period, lang: Lang
    ) -> SnapshotRows:
        start, end = _start(span), _end(span)
        with self.db.read() as conn:
            count = snapshot_rows.count_between(conn, ids, start, end)
        columns = (
            Column(t("org.unit", lang)),
            Column(t("report.col.taken_at", lang), "moment"),
            Column(t("report.col.saved_by", lang)),
            Column(t("org.step", lang), "int"),
            Column(t("org.maturity", lang), "percent"),
            Column(t("report.col.comment", lang)),
        )
        labels: dict[int, str] = {}

        def batches() -> Iterator[Sequence[tuple[Cell, ...]]]:
            with self.db.read() as conn:
                for batch in snapshot_rows.heads_between(conn, ids, start, end):
                    out = []
                    for unit_id, taken_at, saved_by, step, maturity, comment in batch:
                        if unit_id not in labels:
                            labels[unit_id] = tree.label(unit_id)
                        out.append(
                            (labels[unit_id], taken_at, saved_by, int(step), maturity, comment)
                        )
                    yield out

        return SnapshotRows(columns, count, batches)


# ---------------------------------------------------------------------------- helpers


def _start(span: Period) -> datetime:
    return datetime.combine(span.start, time())


def _end(span: Period) -> datetime:
    return datetime.combine(span.end + timedelta(days=1), time())


def _json(figure: go.Figure) -> str:
    return str(pio.to_json(figure, validate=False))


def _float(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if number != number else number


def _status_text(status: str, lang: Lang) -> str:
    return f"{org_views.STATUS_SYMBOLS[status]} {t(f'status.{status}', lang)}"


def _changed(state: object) -> str:
    if state is None:
        return ""
    when = format_moment(getattr(state, "updated_at", None))
    who = getattr(state, "updated_by", "")
    return f"{when} {who}".strip()


def _steps_table(now_: OrganisationNow, first: pd.Series, first_label: str, lang: Lang) -> Table:
    """Units per step at the period's start and now, and the change."""
    dist = now_.distribution
    rows: list[tuple[Cell, ...]] = []
    for s in LEVELS:
        then = int(first[f"step_{s}"])
        rows.append((t("org.step_short", lang, step=s), then, dist.steps[s], dist.steps[s] - then))
    then_na = int(first["not_assessed"])
    rows.append(
        (t("org.not_assessed", lang), then_na, dist.not_assessed, dist.not_assessed - then_na)
    )
    return Table(
        t("report.now.steps_caption", lang),
        (
            Column(t("org.step", lang)),
            Column(first_label, "int"),
            Column(t("report.col.now", lang), "int"),
            Column(t("report.col.change", lang), "int"),
        ),
        tuple(rows),
    )


def _targets_section(summary: TargetSummary, tree: UnitTree, lang: Lang) -> Section:
    text = (
        t(
            "summary.targets",
            lang,
            behind=summary.count(TargetState.BEHIND),
            on_track=summary.count(TargetState.ON_TRACK),
            reached=summary.count(TargetState.REACHED),
            without=summary.without_target,
        ),
        t("target.rule", lang),
    )
    behind = summary.behind
    tables: tuple[Table, ...] = ()
    if len(behind):
        tables = (
            Table.from_frame(
                t("report.targets.behind_caption", lang, n=len(behind)),
                steering_views.targets_table(behind, tree, lang),
            ),
        )
    return Section("targets", t("org.targets_title", lang), text, (), tables)


def _movers_section(
    climbed: pd.DataFrame, still: pd.DataFrame, months: int, tree: UnitTree, lang: Lang
) -> Section:
    def table(frame: pd.DataFrame, caption: str) -> Table:
        return Table(
            caption,
            (
                Column(t("org.unit", lang)),
                Column(t("report.col.step_then", lang), "int"),
                Column(t("report.col.step_now", lang), "int"),
                Column(t("report.col.maturity_then", lang), "percent"),
                Column(t("report.col.maturity_now", lang), "percent"),
            ),
            tuple(
                (
                    tree.label(int(r.unit_id)),
                    int(r.step_then),
                    int(r.step_now),
                    _float(r.maturity_then),
                    _float(r.maturity_now),
                )
                for r in frame.head(LIST_MAX).itertuples(index=False)
            ),
        )

    return Section(
        "movers",
        t("report.movers.title", lang),
        (t("report.movers.text", lang, months=months, n=LIST_MAX),),
        tables=(
            table(climbed, t("org.climbed", lang)),
            table(still, t("org.still_or_back", lang)),
        ),
    )


def steps_table(score: Score, catalogue: Catalogue, lang: Lang) -> Table:
    """A unit's steps: each step's completion and how many of its practices are in place
    (the staircase picture's figures; also in the leader's handbook)."""
    return Table(
        t("report.unit.steps_caption", lang),
        (
            Column(t("org.step", lang)),
            Column(t("report.unit.completion", lang), "percent"),
            Column(t("report.unit.in_place", lang)),
        ),
        tuple(
            (
                charts.step_name(catalogue, s, lang),
                score.of(s).completion,
                f"{score.of(s).done} / {score.of(s).applicable}",
            )
            for s in STEPS
        ),
    )


def plan_table(plan: UnitPlan, catalogue: Catalogue, lang: Lang) -> Table:
    """The unit's improvement plan: each practice that has one, with its evidence (also in
    the leader's handbook)."""
    rows: list[tuple[Cell, ...]] = []
    for p in catalogue.practices:
        part = plan.of(p.id)
        if not (part.item.revision or part.evidence):
            continue
        links = "; ".join(f"{e.description} ({e.url})" for e in part.evidence)
        rows.append(
            (p.title(lang) or p.title.sv, part.item.owner, part.item.due, part.item.action, links)
        )
    return Table(
        t("report.unit.plan_caption", lang),
        (
            Column(t("org.practice", lang)),
            Column(t("report.col.owner", lang)),
            Column(t("report.col.due", lang), "date"),
            Column(t("report.col.action", lang)),
            Column(t("report.col.evidence", lang)),
        ),
        tuple(rows),
    )


def _overdue_section(actions: Sequence[OpenAction], lang: Lang) -> Section:
    """The open actions of the improvement plans whose due date passed before the period's
    end, earliest first."""
    return Section(
        "actions",
        t("report.actions.title", lang),
        (t("report.actions.text", lang, n=len(actions)),),
        tables=(
            Table(
                t("report.actions.caption", lang),
                (
                    Column(t("org.unit", lang)),
                    Column(t("org.practice", lang)),
                    Column(t("report.col.owner", lang)),
                    Column(t("report.col.due", lang), "date"),
                    Column(t("report.col.action", lang)),
                ),
                tuple(
                    (a.unit_path, a.practice_title(lang), a.owner, a.due, a.action) for a in actions
                ),
            ),
        ),
    )


def _appendix(now_: OrganisationNow, targets: TargetSummary, tree: UnitTree, lang: Lang) -> Section:
    scores = now_.scores.set_index("unit_id") if len(now_.scores) else pd.DataFrame()
    by_unit = targets.table.set_index("unit_id") if len(targets.table) else pd.DataFrame()
    rows: list[tuple[Cell, ...]] = []
    for u in now_.expected:
        assessed = u in scores.index
        has_target = u in by_unit.index
        rows.append(
            (
                tree.label(u),
                int(scores.at[u, "step_reached"]) if assessed else None,
                _float(scores.at[u, "maturity"]) if assessed else None,
                pd.Timestamp(scores.at[u, "taken_at"]).date() if assessed else None,
                t(
                    "target.line",
                    lang,
                    step=int(by_unit.at[u, "target_step"]),
                    due=by_unit.at[u, "target_due"].isoformat(),
                )
                if has_target
                else "",
                steering_views.state_label(str(by_unit.at[u, "state"]), lang) if has_target else "",
            )
        )
    return Section(
        "appendix",
        t("report.appendix.title", lang),
        (t("report.appendix.text", lang, n=len(rows)),),
        tables=(
            Table(
                t("report.appendix.caption", lang),
                (
                    Column(t("org.unit", lang)),
                    Column(t("org.step", lang), "int"),
                    Column(t("org.maturity", lang), "percent"),
                    Column(t("org.last_snapshot", lang), "date"),
                    Column(t("target.col.target", lang)),
                    Column(t("target.col.state", lang)),
                ),
                tuple(rows),
            ),
        ),
    )


def _distribution_data(table: pd.DataFrame, labels: Sequence[str], lang: Lang) -> Table:
    return Table(
        t("org.distribution_title", lang),
        (
            Column(t("org.period", lang)),
            *(Column(t("org.step_short", lang, step=s), "int") for s in LEVELS),
            Column(t("org.not_assessed", lang), "int"),
            Column(t("org.maturity_mean", lang), "percent"),
        ),
        tuple(
            (
                label,
                *(int(getattr(r, f"step_{s}")) for s in LEVELS),
                int(r.not_assessed),
                _float(r.maturity_mean),
            )
            for label, r in zip(labels, table.itertuples(index=False), strict=True)
        ),
    )


def _history_distribution(history: Table, lang: Lang) -> Table:
    """For one unit, the workbook's chart data is its history: date, step, maturity."""
    return Table(history.caption, history.columns, history.rows)


def _heatmap_data(now_: OrganisationNow, tree: UnitTree, catalogue: Catalogue, lang: Lang) -> Table:
    # With no snapshot in scope, the catalogue's practices (the columns are still there).
    practice_ids = now_.practice_ids or [p.id for p in catalogue.practices]
    rows = heatmap_units(now_.entries, list(now_.expected), practice_ids)
    codes = org_views.practice_codes(catalogue, practice_ids)
    titles = {pid: org_views.practice_title(catalogue, pid, lang) for pid in practice_ids}
    return Table(
        t("report.heatmap.caption", lang),
        (
            Column(t("org.unit", lang)),
            Column(t("org.step", lang), "int"),
            Column(t("org.maturity", lang), "percent"),
            *(Column(f"{codes[pid]} {titles[pid]}") for pid in practice_ids),
        ),
        tuple(
            (
                tree.label(int(r[0])),
                None if pd.isna(r[1]) else int(r[1]),
                _float(r[2]),
                *(str(v) for v in r[3:]),
            )
            for r in rows.itertuples(index=False, name=None)
        ),
    )


def _targets_data(summary: TargetSummary, tree: UnitTree, lang: Lang) -> Table:
    return Table(
        t("org.targets_title", lang),
        (
            Column(t("org.unit", lang)),
            Column(t("target.step", lang), "int"),
            Column(t("target.due", lang), "date"),
            Column(t("target.col.reached", lang), "int"),
            Column(t("target.col.state", lang)),
            Column(t("target.col.gap", lang), "int"),
            Column(t("target.col.days_left", lang), "int"),
        ),
        tuple(
            (
                tree.label(int(r.unit_id)),
                int(r.target_step),
                r.target_due,
                int(r.step_reached),
                steering_views.state_label(str(r.state), lang),
                int(r.gap),
                int(r.days_left),
            )
            for r in summary.table.itertuples(index=False)
        ),
    )


def render(report: Report, fmt: Format, out: IO[bytes]) -> None:
    """Write the report in `fmt` to a binary file."""
    if fmt == "pdf":
        from staircase.reports import pdf

        pdf.write(report, out)
    elif fmt == "html":
        from staircase.reports import web

        out.write(web.page(report).encode("utf-8"))
    elif fmt == "xlsx":
        from staircase.reports import workbook

        workbook.write(report, out)
    else:
        raise ValueError(fmt)


def filename(report: Report, fmt: Format) -> str:
    """'lartrappan-rapport-norrby-kommun-2026-11-30.pdf' (report-en in English)."""
    word = "rapport" if report.lang == "sv" else "report"
    return (
        f"lartrappan-{word}-{slug(report.unit.split(PATH_SEPARATOR)[-1])}-{report.period_to}.{fmt}"
    )
