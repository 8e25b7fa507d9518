"""Bringing a database made by an older version of the app up to this one: an ordered list
of named steps, each run once, all in the transaction that opens the database."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, bindparam, insert, inspect, select, update

from staircase.domain.scoring import score_frame
from staircase.storage.schema import (
    COUNTERS,
    meta,
    metadata,
    practice_state,
    snapshot,
    snapshot_practice,
)

_RESCORE_BATCH = 5_000
"""Snapshots scored per round trip when a migration scores the stored ones."""


@dataclass(frozen=True)
class Migration:
    version: int
    """The schema version the step brings the database to."""
    name: str
    apply: Callable[[Connection], None]


def _practice_state_revision(conn: Connection) -> None:
    conn.exec_driver_sql(
        "ALTER TABLE practice_state ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"
    )
    # Every stored row has been written at least once; 0 means "no row yet".
    conn.execute(update(practice_state).values(revision=1))


def _snapshot_scores(conn: Connection) -> None:
    if not inspect(conn).has_table("snapshot"):
        return  # made whole, with the columns, by create_all after the steps
    conn.exec_driver_sql("ALTER TABLE snapshot ADD COLUMN step_reached INTEGER NOT NULL DEFAULT 0")
    conn.exec_driver_sql("ALTER TABLE snapshot ADD COLUMN maturity FLOAT")
    ids = list(conn.execute(select(snapshot.c.id).order_by(snapshot.c.id)).scalars())
    sp = snapshot_practice.c
    store = (
        update(snapshot)
        .where(snapshot.c.id == bindparam("sid"))
        .values(step_reached=bindparam("reached"), maturity=bindparam("mat"))
    )
    for i in range(0, len(ids), _RESCORE_BATCH):
        part = ids[i : i + _RESCORE_BATCH]
        rows = conn.execute(
            select(sp.snapshot_id, sp.step, sp.status).where(
                sp.snapshot_id.between(part[0], part[-1])
            )
        ).all()
        entries = pd.DataFrame([tuple(r) for r in rows], columns=["snapshot_id", "step", "status"])
        scored = score_frame(entries, by=["snapshot_id"])
        values = [
            {
                "sid": int(r.snapshot_id),
                "reached": int(r.step_reached),
                "mat": None if pd.isna(r.maturity) else float(r.maturity),
            }
            for r in scored.itertuples(index=False)
        ]
        if values:
            conn.execute(store, values)


def _new_tables(conn: Connection) -> None:
    """Nothing to change in what exists: `create_or_migrate` creates the new tables after
    the steps."""


MIGRATIONS: tuple[Migration, ...] = (
    Migration(2, "practice_state.revision: conflict detection", _practice_state_revision),
    Migration(3, "snapshot.step_reached, maturity: the roll-up over time", _snapshot_scores),
    Migration(
        4,
        "target, assessment_round, round_answer, plan_item, evidence: steering the climb; "
        "assessment, assessment_area, assessment_answer, assessment_trait: the current state",
        _new_tables,
    ),
    # New tables only: create_all after the steps makes them.
    Migration(5, "person, role_grant, audit: who may do what", lambda conn: None),
    Migration(
        6,
        "handbook_answer, handbook_vision, handbook_ambassador, handbook_check: "
        "the leader's own handbook",
        _new_tables,
    ),
)
"""Version 1 is the first release; append a step for every change of the schema."""
SCHEMA_VERSION = MIGRATIONS[-1].version


class SchemaTooNewError(RuntimeError):
    """The database was made by a newer version of the app; refusing to touch it."""

    def __init__(self, found: int, known: int = SCHEMA_VERSION) -> None:
        self.found = found
        self.known = known
        super().__init__(
            f"The database has schema version {found}; this app knows {known}. Upgrade the app."
        )


def stored_version(conn: Connection) -> int | None:
    """The schema version the database says it has; None for an empty database."""
    if not inspect(conn).has_table("meta"):
        return None
    found = conn.execute(
        select(meta.c.value).where(meta.c.key == "schema_version")
    ).scalar_one_or_none()
    return None if found is None else int(found)


def is_current(conn: Connection) -> bool:
    """Whether the database has this app's schema and every counter, so opening it has
    nothing to write. Refuses a newer one (SchemaTooNewError)."""
    found = stored_version(conn)
    if found is not None and found > SCHEMA_VERSION:
        raise SchemaTooNewError(found)
    if found != SCHEMA_VERSION:
        return False
    present = set(conn.execute(select(meta.c.key)).scalars())
    return all(key in present for key in COUNTERS)


def create_or_migrate(conn: Connection) -> list[str]:
    """Create the schema in an empty database, or run the steps an older one lacks (in the
    caller's transaction: all or none). Refuses a newer one before changing anything.
    Returns the names of the steps run."""
    found = stored_version(conn)
    if found is not None and found > SCHEMA_VERSION:
        raise SchemaTooNewError(found)
    ran: list[str] = []
    if found is None:
        metadata.create_all(conn)
        conn.execute(insert(meta).values(key="schema_version", value=str(SCHEMA_VERSION)))
    else:
        for step in MIGRATIONS:
            if step.version > found:
                step.apply(conn)
                ran.append(step.name)
        metadata.create_all(conn)  # tables a step added in full are there already: no-op
        conn.execute(
            update(meta).where(meta.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
        )
    present = set(conn.execute(select(meta.c.key)).scalars())
    for key in COUNTERS:
        if key not in present:
            conn.execute(insert(meta).values(key=key, value="0"))
    return ran
