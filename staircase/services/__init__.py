"""The use cases the pages and the CLI share, over one database.

`Lartrappan(url)` opens the database (creating or migrating its schema) and offers one
service per concern: `units`, `practices`, `checklist`, `snapshots`, `transfer`,
`progress`, `rollup` (management's view of a unit and everything under it), `plans` (the
improvement plan per practice), `targets` and `rounds` (steering: where units should stand
by when, and follow-ups by a date), `reports` (the management report), `assessments` (the
current-state assessment, "Nuläge"), `handbook` (the leader's own handbook per unit: vision,
answers, ambassadors, summary ticks, and the compiled document), `people` (roles, sign-in,
personal data), `audit` (the audit trail). Every write names its `Actor` and passes the one
`Door`, which checks the actor's rights and records the write; every read of a unit's data
takes `actor=` and passes it too.
"""

from __future__ import annotations

from staircase import settings
from staircase.domain.assessment import load_assessment_model
from staircase.domain.catalogue import Catalogue, load_catalogue
from staircase.services.assessments import Assessments
from staircase.services.audit import AuditTrail
from staircase.services.checklist import Checklist
from staircase.services.door import Actor, Door
from staircase.services.handbook import Handbooks
from staircase.services.people import Identity, People
from staircase.services.plans import Plans
from staircase.services.practices import Practices
from staircase.services.progress import Progress
from staircase.services.reports import Reports
from staircase.services.rollup import Rollup
from staircase.services.snapshots import Snapshots
from staircase.services.steering import Rounds, Targets
from staircase.services.transfer import Transfer
from staircase.services.units import Units
from staircase.storage.database import Database
from staircase.storage.migrations import SchemaTooNewError

__all__ = ["Actor", "Door", "Identity", "Lartrappan", "SchemaTooNewError"]


class Lartrappan:
    """The application core. Thread-safe: share one per process and database."""

    def __init__(
        self,
        url: str | None = None,
        shipped: Catalogue | None = None,
        door: type[Door] = Door,
        login: bool = False,
    ) -> None:
        """`login`: every read and write must come from a signed-in actor (login mode)."""
        config = settings.current()
        self.db = Database(url or config.database_url, config.busy_timeout_s)
        self.url = self.db.url
        self.shipped = shipped or load_catalogue()
        self.door = door(self.db, login=login)
        self.units = Units(self.db, self.door)
        self.practices = Practices(self.db, self.door, self.shipped)
        self.checklist = Checklist(self.db, self.door, self.practices)
        self.snapshots = Snapshots(self.db, self.door, self.practices)
        self.transfer = Transfer(self.db, self.door, self.practices, self.units)
        self.progress = Progress(self.practices, self.checklist, self.snapshots)
        self.rollup = Rollup(self.db, self.practices, self.door)
        self.plans = Plans(self.db, self.door, self.practices, self.units)
        self.targets = Targets(self.db, self.door, self.rollup)
        self.rounds = Rounds(self.db, self.door, self.rollup)
        self.assessments = Assessments(self.db, self.door, self.rollup, load_assessment_model())
        self.reports = Reports(
            self.db,
            self.practices,
            self.checklist,
            self.rollup,
            self.targets,
            self.rounds,
            self.plans,
            self.assessments,
        )
        self.handbook = Handbooks(
            self.db, self.door, self.shipped, self.checklist, self.plans, self.assessments
        )
        self.people = People(self.db, self.door)
        self.audit = AuditTrail(self.db, self.door)

    def close(self) -> None:
        self.db.close()
