"""An organisation's own practices (the shipped ones live in data/catalogue.yaml)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select, update

from staircase.domain.catalogue import Practice
from staircase.domain.model import Dimension, NotFoundError, Problem, Text
from staircase.domain.moments import now
from staircase.storage.schema import custom_practice


def load(conn: Connection, include_archived: bool) -> list[Practice]:
    query = select(custom_practice).order_by(custom_practice.c.created_at)
    if not include_archived:
        query = query.where(custom_practice.c.archived_at.is_(None))
    return [_practice(r) for r in conn.execute(query).mappings()]


def ids(conn: Connection, active_only: bool = False) -> set[str]:
    query = select(custom_practice.c.id)
    if active_only:
        query = query.where(custom_practice.c.archived_at.is_(None))
    return set(conn.execute(query).scalars())


def add(
    conn: Connection,
    practice_id: str,
    step: int,
    dimensions: Sequence[Dimension],
    title: Text,
    description: Text,
) -> None:
    conn.execute(
        insert(custom_practice).values(
            id=practice_id,
            step=step,
            dimensions=",".join(d.value for d in dimensions),
            title_sv=title.sv,
            title_en=title.en,
            description_sv=description.sv,
            description_en=description.en,
            created_at=now(),
        )
    )


def add_many(conn: Connection, titles: Iterable[tuple[str, str, int]]) -> None:
    """Own practices an import brings (id, title, step): one dimension, the title in both
    languages, until someone describes them."""
    for practice_id, title, step in titles:
        add(conn, practice_id, step, (Dimension.PROCESSES,), Text(title, title), Text("", ""))


def archive(conn: Connection, practice_id: str) -> None:
    done = conn.execute(
        update(custom_practice).where(custom_practice.c.id == practice_id).values(archived_at=now())
    )
    if not done.rowcount:
        raise NotFoundError(Problem("practice.unknown", {"practice_id": practice_id}))


def free_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _practice(row: Any) -> Practice:
    return Practice(
        id=row["id"],
        step=row["step"],
        dimensions=tuple(Dimension(d) for d in row["dimensions"].split(",") if d),
        title=Text(row["title_sv"], row["title_en"]),
        description=Text(row["description_sv"], row["description_en"]),
        custom=True,
    )
