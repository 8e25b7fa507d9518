"""The leader's own handbook of a unit as one document (the report content model): built
from what the handbook, the checklist, the current-state assessment and the improvement plan
hold, in one language, before any format."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from staircase.domain.assessment import Assessment as StoredAssessment
from staircase.domain.assessment import AssessmentContent, AssessmentModel
from staircase.domain.catalogue import Catalogue, Question
from staircase.domain.handbook import Answer, UnitHandbook
from staircase.domain.model import STEPS, Lang, Status
from staircase.domain.moments import format_moment
from staircase.domain.plan import UnitPlan
from staircase.domain.scoring import Score
from staircase.domain.units import UnitTree
from staircase.i18n import percent, status_label, t
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
from staircase.services.reports import plan_table, steps_table
from staircase.views import pictures


def compile_document(
    tree: UnitTree,
    unit_id: int,
    lang: Lang,
    made_by: str,
    made_at: datetime,
    handbook: UnitHandbook,
    catalogue: Catalogue,
    score: Score,
    model: AssessmentModel,
    latest: tuple[StoredAssessment, AssessmentContent] | None,
    plan: UnitPlan,
) -> Report:
    unit = tree.units[unit_id]
    label = tree.label(unit_id)
    cover = (
        t("handbook.doc.cover_unit", lang, unit=label),
        t("handbook.doc.cover_date", lang, date=made_at.date().isoformat()),
        t("handbook.doc.cover_made", lang, by=made_by or "–"),
    )
    questions = [
        _questions(
            f"questions-{step.number}",
            t("handbook.doc.step_questions", lang, step=step.number, title=step.title(lang)),
            step.reflection,
            handbook,
            lang,
        )
        for step in catalogue.steps
    ]
    questions.append(
        _questions(
            "questions-handbook",
            t("handbook.questions_title", lang),
            catalogue.handbook.questions,
            handbook,
            lang,
        )
    )
    sections = (
        _vision(handbook.vision, lang),
        _staircase(catalogue, score, unit.name, lang),
        _assessment(model, latest, lang),
        *questions,
        _ambassadors(handbook, lang),
        _summary(catalogue, handbook, lang),
        Section(
            "plan",
            t("handbook.doc.plan_title", lang),
            (t("handbook.doc.plan_text", lang),),
            tables=(plan_table(plan, catalogue, lang),),
        ),
    )
    return Report(
        lang,
        t("handbook.doc.title", lang, unit=unit.name),
        label,
        "handbook",
        made_at.date(),
        made_at.date(),
        made_at,
        made_by,
        cover,
        sections,
        WorkbookData.none(),
        SnapshotRows.none(),
    )


def saved_line(at: datetime | None, by: str, lang: Lang) -> str:
    """'Sparad 2026-11-30 14:02 av Anna' ('' when never saved)."""
    if at is None:
        return ""
    return t("handbook.saved_line", lang, when=format_moment(at), who=by or "–")


def source_label(source: str, lang: Lang) -> str:
    """Where a question or point comes from, in words: a source document or Lärtrappan."""
    return t(f"handbook.source_{source}", lang)


def _vision(vision: Answer, lang: Lang) -> Section:
    lines = [vision.text] if vision.text else [t("handbook.doc.no_vision", lang)]
    if line := saved_line(vision.saved_at, vision.saved_by, lang):
        lines.append(line)
    return Section("vision", t("handbook.vision_title", lang), tuple(lines))


def _staircase(catalogue: Catalogue, score: Score, unit_name: str, lang: Lang) -> Section:
    """The step reached, the maturity, the step's description and the feedback for where
    the unit stands (as the checklist gives it), and the staircase as a picture."""
    reached = score.step_reached
    focus = score.focus_step
    heading = (
        t("checklist.feedback_top", lang)
        if reached == STEPS[-1]
        else t("checklist.feedback_next", lang, step=focus, title=catalogue.step(focus).title(lang))
    )
    return Section(
        "staircase",
        t("handbook.doc.staircase_title", lang),
        (
            t(
                "handbook.doc.step_reached",
                lang,
                step=reached,
                title=catalogue.step(reached).title(lang),
                maturity=percent(score.maturity, lang),
            ),
            catalogue.step(reached).description(lang),
            heading,
            catalogue.feedback_for(focus, score.of(focus).level)(lang),
        ),
        (
            Figure(
                t("chart.staircase.title", lang, unit=unit_name),
                pictures.staircase_svg(score, catalogue, lang, unit_name, None),
                pictures.staircase_alt(score, catalogue, lang, unit_name, None),
                steps_table(score, catalogue, lang),
            ),
        ),
    )


def _assessment(
    model: AssessmentModel,
    latest: tuple[StoredAssessment, AssessmentContent] | None,
    lang: Lang,
) -> Section:
    """The latest current-state assessment: per area the level chosen and its feedback."""
    title = t("handbook.doc.assessment_title", lang)
    if latest is None:
        return Section("assessment", title, (t("handbook.doc.no_assessment", lang),))
    head, content = latest
    rows: list[tuple[Cell, ...]] = []
    for area in model.areas:
        answer = content.areas.get(area.id)
        if answer is None:
            rows.append((area.title(lang), "–", ""))
            continue
        level = Status(answer.level)
        rows.append(
            (area.title(lang), status_label(level, lang), area.levels[level].feedback(lang))
        )
    return Section(
        "assessment",
        title,
        (
            t(
                "handbook.doc.assessment_text",
                lang,
                when=format_moment(head.taken_at),
                who=head.saved_by or "–",
            ),
            model.disclaimer(lang),
        ),
        tables=(
            Table(
                t("handbook.doc.assessment_caption", lang),
                (
                    Column(t("handbook.doc.col_area", lang)),
                    Column(t("handbook.doc.col_level", lang)),
                    Column(t("handbook.doc.col_feedback", lang)),
                ),
                tuple(rows),
            ),
        ),
    )


def _questions(
    key: str, title: str, questions: Sequence[Question], handbook: UnitHandbook, lang: Lang
) -> Section:
    """Each question with its answer; one never answered (or emptied) is said to be so."""
    unanswered = t("handbook.doc.unanswered", lang)
    rows = []
    for question in questions:
        answer = handbook.answer(question.id)
        rows.append(
            (
                question.text(lang),
                answer.text or unanswered,
                saved_line(answer.saved_at, answer.saved_by, lang),
                source_label(question.source, lang),
            )
        )
    return Section(
        key,
        title,
        tables=(
            Table(
                t("handbook.doc.questions_caption", lang, title=title),
                (
                    Column(t("handbook.doc.col_question", lang)),
                    Column(t("handbook.doc.col_answer", lang)),
                    Column(t("handbook.doc.col_saved", lang)),
                    Column(t("handbook.doc.col_source", lang)),
                ),
                tuple(rows),
            ),
        ),
    )


def _ambassadors(handbook: UnitHandbook, lang: Lang) -> Section:
    return Section(
        "ambassadors",
        t("handbook.ambassadors_title", lang),
        () if handbook.ambassadors else (t("handbook.no_ambassadors", lang),),
        tables=(
            Table(
                t("handbook.doc.ambassadors_caption", lang),
                (
                    Column(t("handbook.ambassador_name", lang)),
                    Column(t("handbook.ambassador_role", lang)),
                ),
                tuple((a.name, a.role) for a in handbook.ambassadors),
            ),
        ),
    )


def _summary(catalogue: Catalogue, handbook: UnitHandbook, lang: Lang) -> Section:
    rows = []
    for point in catalogue.handbook.summary:
        tick = handbook.tick(point.id)
        done = t("handbook.doc.done" if tick.done else "handbook.doc.not_done", lang)
        when = saved_line(tick.saved_at, tick.saved_by, lang)
        rows.append((point.text(lang), done, when))
    return Section(
        "summary",
        t("handbook.summary_title", lang),
        (t("handbook.summary_help", lang),),
        tables=(
            Table(
                t("handbook.doc.summary_caption", lang),
                (
                    Column(t("handbook.doc.col_point", lang)),
                    Column(t("handbook.doc.col_done", lang)),
                    Column(t("handbook.doc.col_saved", lang)),
                ),
                tuple(rows),
            ),
        ),
    )
