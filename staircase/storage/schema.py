"""The tables, and the version of their shape that this app writes."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from staircase.domain.rules import (
    AMBASSADOR_ROLE_MAX,
    EVIDENCE_DESCRIPTION_MAX,
    NAME_MAX,
    TITLE_MAX,
    URL_MAX,
)

UNITS_REVISION = "revision.units"
PRACTICES_REVISION = "revision.practices"
SNAPSHOTS_REVISION = "revision.snapshots"
"""Counters in `meta`, bumped by every write to the units, the own practices or the
snapshots, in the same transaction: a cached unit tree, catalogue or roll-up is reused while
its counters are unchanged, in this process and, with a shared database, across replicas."""
COUNTERS = (UNITS_REVISION, PRACTICES_REVISION, SNAPSHOTS_REVISION)

metadata = MetaData()
_STATUS_CHECK = "status IN ('not_started', 'in_progress', 'done', 'not_applicable')"

meta = Table(
    "meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(255), nullable=False),
)

unit = Table(
    "unit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(NAME_MAX), nullable=False),
    Column("parent_id", Integer, ForeignKey("unit.id", ondelete="RESTRICT"), nullable=True),
    Column("archived_at", DateTime, nullable=True),
    Column("created_at", DateTime, nullable=False),
    Index("ix_unit_parent", "parent_id"),
)

custom_practice = Table(
    "custom_practice",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("step", Integer, CheckConstraint("step BETWEEN 1 AND 3"), nullable=False),
    Column("dimensions", String(64), nullable=False),
    Column("title_sv", String(200), nullable=False),
    Column("title_en", String(200), nullable=False),
    Column("description_sv", Text, nullable=False, default=""),
    Column("description_en", Text, nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("archived_at", DateTime, nullable=True),
)

practice_state = Table(
    "practice_state",
    metadata,
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
    Column("practice_id", String(64), primary_key=True),
    Column("status", String(20), CheckConstraint(_STATUS_CHECK), nullable=False),
    Column("note", Text, nullable=False, default=""),
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", String(NAME_MAX), nullable=False, default=""),
    # Bumped by every write: a write that names the revision it was based on is refused
    # when someone else wrote in between (see ConflictError).
    Column("revision", Integer, nullable=False, default=0, server_default="0"),
)

snapshot = Table(
    "snapshot",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
    Column("taken_at", DateTime, nullable=False),
    Column("saved_by", String(NAME_MAX), nullable=False, default=""),
    Column("comment", Text, nullable=False, default=""),
    Column("catalogue_version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    # Its score, derived from its practice rows when it is stored (a snapshot never
    # changes): the organisation's roll-up over time reads these instead of every
    # practice row of every snapshot. A change of the scoring rule needs a migration.
    Column("step_reached", Integer, nullable=False, server_default="0"),
    Column("maturity", Float, nullable=True),
    # One snapshot per unit and moment: what makes re-importing a file a no-op.
    UniqueConstraint("unit_id", "taken_at", name="uq_snapshot_unit_time"),
)

snapshot_practice = Table(
    "snapshot_practice",
    metadata,
    Column(
        "snapshot_id",
        Integer,
        ForeignKey("snapshot.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("practice_id", String(64), primary_key=True),
    Column("step", Integer, CheckConstraint("step BETWEEN 1 AND 3"), nullable=False),
    Column("status", String(20), CheckConstraint(_STATUS_CHECK), nullable=False),
    Column("note", Text, nullable=False, default=""),
)

target = Table(
    "target",
    metadata,
    # Never updated: each setting is a new row, so the history is the table.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
    # None: the unit's own target cleared (the one inherited from above holds again).
    Column("step", Integer, CheckConstraint("step BETWEEN 1 AND 3"), nullable=True),
    Column("due", Date, nullable=True),
    Column("set_at", DateTime, nullable=False),
    Column("set_by", String(NAME_MAX), nullable=False, default=""),
    Index("ix_target_unit", "unit_id", "set_at"),
)

assessment_round = Table(
    "assessment_round",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(TITLE_MAX), nullable=False),
    Column("starts", Date, nullable=False),
    Column("due", Date, nullable=False),
    Column("opened_at", DateTime, nullable=False),
    Column("opened_by", String(NAME_MAX), nullable=False, default=""),
    Column("closed_at", DateTime, nullable=True),
    Column("closed_by", String(NAME_MAX), nullable=False, default=""),
    CheckConstraint("due >= starts", name="ck_round_window"),
    Index("ix_round_unit", "unit_id"),
)

round_answer = Table(
    "round_answer",
    metadata,
    # A closed round's frozen list: every unit asked, with its answer as it was (the
    # snapshot's id is kept without a key: deleting the snapshot later changes nothing here).
    Column(
        "round_id",
        Integer,
        ForeignKey("assessment_round.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("unit_id", Integer, primary_key=True),
    Column("snapshot_id", Integer, nullable=True),
    Column("taken_at", DateTime, nullable=True),
    Column("step_reached", Integer, nullable=True),
    Column("maturity", Float, nullable=True),
    Column("saved_by", String(NAME_MAX), nullable=False, default=""),
)
plan_item = Table(
    "plan_item",
    metadata,
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
    Column("practice_id", String(64), primary_key=True),
    Column("owner", String(NAME_MAX), nullable=False, default=""),
    Column("due", Date, nullable=True),
    Column("action", Text, nullable=False, default=""),
    Column("updated_at", DateTime, nullable=False),
    Column("updated_by", String(NAME_MAX), nullable=False, default=""),
    # As practice_state's: a write based on an older revision is refused (PlanConflictError).
    Column("revision", Integer, nullable=False, default=0, server_default="0"),
)
"""The improvement plan of each practice per unit: working material, not in snapshots."""

evidence = Table(
    "evidence",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
    Column("practice_id", String(64), nullable=False),
    Column("url", String(URL_MAX), nullable=False),
    Column("description", String(EVIDENCE_DESCRIPTION_MAX), nullable=False),
    Column("added_at", DateTime, nullable=False),
    Column("added_by", String(NAME_MAX), nullable=False, default=""),
    Index("ix_evidence_unit_practice", "unit_id", "practice_id"),
)
"""Links that show what a unit has done on a practice, with when they were added."""

_LEVEL_CHECK = "level IN ('not_started', 'in_progress', 'done')"

assessment = Table(
    "assessment",
    metadata,
    # The current-state assessment ("Nuläge"): dated and never changed, like a snapshot.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
    Column("taken_at", DateTime, nullable=False),
    Column("saved_by", String(NAME_MAX), nullable=False, default=""),
    Column("comment", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
    # One assessment per unit and moment: re-importing a file adds nothing.
    UniqueConstraint("unit_id", "taken_at", name="uq_assessment_unit_time"),
)

assessment_area = Table(
    "assessment_area",
    metadata,
    Column(
        "assessment_id",
        Integer,
        ForeignKey("assessment.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("area_id", String(64), primary_key=True),
    Column(
        "level",
        String(20),
        CheckConstraint(_LEVEL_CHECK, name="ck_assessment_level"),
        nullable=False,
    ),
    Column("note", Text, nullable=False, default=""),
)

assessment_answer = Table(
    "assessment_answer",
    metadata,
    Column(
        "assessment_id",
        Integer,
        ForeignKey("assessment.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("question_id", String(64), primary_key=True),
    Column("text", Text, nullable=False),
)

assessment_trait = Table(
    "assessment_trait",
    metadata,
    Column(
        "assessment_id",
        Integer,
        ForeignKey("assessment.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("trait_id", String(64), primary_key=True),
    Column(
        "rating",
        Integer,
        CheckConstraint("rating >= 1", name="ck_assessment_rating"),
        nullable=False,
    ),
)

# -- the leader's own handbook (issue #11, schema 6): working material of a unit, with its
# own who and when, not in snapshots

handbook_answer = Table(
    "handbook_answer",
    metadata,
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
    # A reflection question's id in the catalogue (a step's or the handbook's own).
    Column("question_id", String(64), primary_key=True),
    Column("text", Text, nullable=False, default=""),
    # As practice_state's: a write based on an older revision is refused.
    Column("revision", Integer, nullable=False, default=0, server_default="0"),
    Column("saved_by", String(NAME_MAX), nullable=False, default=""),
    Column("saved_at", DateTime, nullable=False),
)

handbook_vision = Table(
    "handbook_vision",
    metadata,
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
    Column("text", Text, nullable=False, default=""),
    Column("revision", Integer, nullable=False, default=0, server_default="0"),
    Column("saved_by", String(NAME_MAX), nullable=False, default=""),
    Column("saved_at", DateTime, nullable=False),
)

handbook_ambassador = Table(
    "handbook_ambassador",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), nullable=False),
    # A third party's name (personal data: see the README's personal-data section).
    Column("name", String(NAME_MAX), nullable=False),
    Column("role", String(AMBASSADOR_ROLE_MAX), nullable=False, default=""),
    Column("saved_by", String(NAME_MAX), nullable=False, default=""),
    Column("saved_at", DateTime, nullable=False),
    Index("ix_handbook_ambassador_unit", "unit_id"),
)

handbook_check = Table(
    "handbook_check",
    metadata,
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), primary_key=True),
    # A summary point's id in the catalogue's handbook.
    Column("point_id", String(64), primary_key=True),
    Column("done", Boolean, nullable=False, default=False),
    Column("saved_by", String(NAME_MAX), nullable=False, default=""),
    Column("saved_at", DateTime, nullable=False),
)

# -- who may do what (issue #15)

person = Table(
    "person",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # As granted (lower case); a pseudonym's placeholder once erased.
    Column("email", String(254), nullable=False),
    Column("name", String(NAME_MAX), nullable=False, default=""),
    # Bound at the first login: a later change of email at the provider keeps the roles.
    Column("issuer", String(255), nullable=True),
    Column("subject", String(255), nullable=True),
    Column("created_at", DateTime, nullable=False),
    Column("bound_at", DateTime, nullable=True),
    Column("erased_at", DateTime, nullable=True),
    UniqueConstraint("email", name="uq_person_email"),
    UniqueConstraint("issuer", "subject", name="uq_person_identity"),
)

role_grant = Table(
    "role_grant",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("person_id", Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False),
    Column(
        "role",
        String(16),
        CheckConstraint("role IN ('admin', 'manager', 'editor', 'viewer')"),
        nullable=False,
    ),
    # NULL: the whole database (admin); else the unit and everything under it.
    Column("unit_id", Integer, ForeignKey("unit.id", ondelete="CASCADE"), nullable=True),
    Column("granted_at", DateTime, nullable=False),
    Column("granted_by", String(NAME_MAX), nullable=False, default=""),
    Index("ix_role_grant_person", "person_id"),
)

audit = Table(
    "audit",
    metadata,
    # Append-only: written by the door in each write's own transaction; changed only by
    # `person erase` (names replaced by the pseudonym) and removed only by `audit prune`.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(NAME_MAX), nullable=False, default=""),
    Column("email", String(254), nullable=False, default=""),
    Column("action", String(64), nullable=False),
    # No foreign key: the record outlives what it describes.
    Column("unit_id", Integer, nullable=True),
    Column("before", Text, nullable=True),
    Column("after", Text, nullable=True),
    Index("ix_audit_at", "at"),
    Index("ix_audit_unit", "unit_id"),
    Index("ix_audit_email", "email"),
)
