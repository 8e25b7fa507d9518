"""Current-state assessments: storing one, reading them, each unit's latest, their levels
over time. SQL only; the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, insert, select

from staircase.domain.assessment import AreaAnswer, Assessment, AssessmentContent
from staircase.domain.model import NotFoundError, Problem
from staircase.domain.moments import now
from staircase.storage.bulk import id_slices
from staircase.storage.schema import (
    assessment,
    assessment_answer,
    assessment_area,
    assessment_trait,
    unit,
)

HISTORY_COLUMNS = ("unit_id", "assessment_id", "taken_at", "area_id", "level")


def at(conn: Connection, unit_id: int, taken_at: datetime) -> int | None:
    """The id of the unit's assessment of that moment, if there is one."""
    return conn.execute(
        select(assessment.c.id).where(
            assessment.c.unit_id == unit_id, assessment.c.taken_at == taken_at
        )
    ).scalar_one_or_none()


def insert_one(conn: Connection, head: Assessment, content: AssessmentContent) -> int:
    new_id: int = conn.execute(
        insert(assessment)
        .values(
            unit_id=head.unit_id,
            taken_at=head.taken_at,
            saved_by=head.saved_by,
            comment=head.comment,
            version=head.version,
            created_at=now(),
        )
        .returning(assessment.c.id)
    ).scalar_one()
    if content.areas:
        conn.execute(
            insert(assessment_area),
            [
                {"assessment_id": new_id, "area_id": a, "level": v.level, "note": v.note}
                for a, v in content.areas.items()
            ],
        )
    if content.answers:
        conn.execute(
            insert(assessment_answer),
            [
                {"assessment_id": new_id, "question_id": q, "text": text}
                for q, text in content.answers.items()
            ],
        )
    if content.traits:
        conn.execute(
            insert(assessment_trait),
            [
                {"assessment_id": new_id, "trait_id": tid, "rating": rating}
                for tid, rating in content.traits.items()
            ],
        )
    return new_id


def get(conn: Connection, assessment_id: int) -> Assessment:
    row = conn.execute(select(assessment).where(assessment.c.id == assessment_id)).first()
    if row is None:
        raise NotFoundError(Problem("assessment.unknown"))
    return _head(row)


def of_units(conn: Connection, unit_ids: Iterable[int] | None = None) -> list[Assessment]:
    """The assessments of the units (all when None), by unit, newest first."""
    query = select(assessment).order_by(assessment.c.unit_id, assessment.c.taken_at.desc())
    if unit_ids is None:
        return [_head(r) for r in conn.execute(query)]
    found: list[Assessment] = []
    for part in id_slices(unit_ids):
        found += [_head(r) for r in conn.execute(query.where(assessment.c.unit_id.in_(part)))]
    return found


def contents(conn: Connection, ids: Sequence[int]) -> dict[int, AssessmentContent]:
    """What each assessment holds, by id (every id given is in the result)."""
    areas: dict[int, dict[str, AreaAnswer]] = {i: {} for i in ids}
    answers: dict[int, dict[str, str]] = {i: {} for i in ids}
    traits: dict[int, dict[str, int]] = {i: {} for i in ids}
    for part in id_slices(ids):
        for r in conn.execute(
            select(assessment_area).where(assessment_area.c.assessment_id.in_(part))
        ):
            areas[r.assessment_id][r.area_id] = AreaAnswer(r.level, r.note)
        for r in conn.execute(
            select(assessment_answer).where(assessment_answer.c.assessment_id.in_(part))
        ):
            answers[r.assessment_id][r.question_id] = r.text
        for r in conn.execute(
            select(assessment_trait).where(assessment_trait.c.assessment_id.in_(part))
        ):
            traits[r.assessment_id][r.trait_id] = r.rating
    return {i: AssessmentContent(areas[i], answers[i], traits[i]) for i in ids}


def remove(conn: Connection, assessment_id: int) -> Assessment:
    """Delete an assessment (its rows go with it); returns what was deleted."""
    gone = get(conn, assessment_id)
    conn.execute(delete(assessment).where(assessment.c.id == assessment_id))
    return gone


def latest(
    conn: Connection, unit_ids: Sequence[int], before: datetime | None = None
) -> dict[int, Assessment]:
    """Each unit's latest assessment (taken before `before`, when given), by unit id; units
    without one are absent."""
    seek = assessment.alias("seek")
    newest = select(seek.c.id).where(seek.c.unit_id == unit.c.id)
    if before is not None:
        newest = newest.where(seek.c.taken_at < before)
    newest_id = (
        newest.order_by(seek.c.taken_at.desc()).limit(1).correlate_except(seek).scalar_subquery()
    )
    found: dict[int, Assessment] = {}
    for part in id_slices(unit_ids):
        rows = conn.execute(
            select(assessment)
            .select_from(unit)
            .join(assessment, assessment.c.id == newest_id)
            .where(unit.c.id.in_(part))
        )
        found.update({r.unit_id: _head(r) for r in rows})
    return found


def latest_levels(
    conn: Connection, unit_ids: Sequence[int], before: datetime | None = None
) -> dict[int, dict[str, str]]:
    """Each unit's latest assessment (taken before `before`, when given) as area id → level,
    by unit id; units without an assessment are absent (one that placed no area: empty)."""
    heads = latest(conn, unit_ids, before)
    unit_of = {h.id: u for u, h in heads.items()}
    found: dict[int, dict[str, str]] = {u: {} for u in heads}
    for part in id_slices(unit_of):
        rows = conn.execute(
            select(
                assessment_area.c.assessment_id, assessment_area.c.area_id, assessment_area.c.level
            ).where(assessment_area.c.assessment_id.in_(part))
        )
        for r in rows:
            found[unit_of[r.assessment_id]][r.area_id] = r.level
    return found


def history(conn: Connection, unit_ids: Sequence[int]) -> pd.DataFrame:
    """Every area level of every assessment of the units, oldest first: unit_id,
    assessment_id, taken_at, area_id, level (an assessment that placed no area is absent)."""
    rows: list[Any] = []
    for part in id_slices(unit_ids):
        rows += conn.execute(
            select(
                assessment.c.unit_id,
                assessment.c.id.label("assessment_id"),
                assessment.c.taken_at,
                assessment_area.c.area_id,
                assessment_area.c.level,
            )
            .join(assessment_area, assessment_area.c.assessment_id == assessment.c.id)
            .where(assessment.c.unit_id.in_(part))
        ).all()
    table = pd.DataFrame([tuple(r) for r in rows], columns=list(HISTORY_COLUMNS))
    return table.sort_values(["taken_at", "assessment_id", "area_id"], kind="stable").reset_index(
        drop=True
    )


def stored_moments(conn: Connection, unit_ids: Iterable[int]) -> dict[tuple[int, datetime], int]:
    """(unit, moment) → assessment id, for every assessment of the units."""
    found: dict[tuple[int, datetime], int] = {}
    for part in id_slices(unit_ids):
        rows = conn.execute(
            select(assessment.c.unit_id, assessment.c.taken_at, assessment.c.id).where(
                assessment.c.unit_id.in_(part)
            )
        )
        found.update({(r.unit_id, r.taken_at): r.id for r in rows})
    return found


def insert_many(
    conn: Connection, items: Sequence[tuple[Assessment, AssessmentContent]]
) -> list[int]:
    return [insert_one(conn, head, content) for head, content in items]


def _head(row: Any) -> Assessment:
    return Assessment(row.id, row.unit_id, row.taken_at, row.saved_by, row.comment, row.version)
