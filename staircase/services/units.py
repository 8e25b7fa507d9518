"""Units: the tree everyone navigates, and creating, renaming and archiving its units."""

from __future__ import annotations

from sqlalchemy import Connection

from staircase.domain.model import Unit
from staircase.domain.units import UnitTree
from staircase.services.door import Actor, Door
from staircase.storage import units
from staircase.storage.database import Database
from staircase.storage.schema import UNITS_REVISION


class Units:
    def __init__(self, db: Database, door: Door) -> None:
        self.db, self.door = db, door

    def tree(self) -> UnitTree:
        """Every unit; reused (one small query) until a unit is created, renamed or archived."""
        with self.db.read() as conn:
            return self.tree_in(conn)

    def tree_in(self, conn: Connection) -> UnitTree:
        """`tree` read in the caller's transaction."""
        return self.db.cached(conn, UNITS_REVISION, "unit_tree", units.load_tree)

    def any(self) -> bool:
        """Whether the database has any unit at all (else the app shows its onboarding)."""
        with self.db.read() as conn:
            return units.any_unit(conn)

    def create(self, actor: Actor, name: str, parent_id: int | None = None) -> Unit:
        with self.door.write(actor, "unit.create", touches=[UNITS_REVISION]) as conn:
            return units.create(conn, name, parent_id)

    def rename(self, actor: Actor, unit_id: int, name: str) -> None:
        with self.door.write(actor, "unit.rename", touches=[UNITS_REVISION]) as conn:
            units.rename(conn, unit_id, name)

    def set_archived(self, actor: Actor, unit_id: int, archived: bool) -> None:
        """Archive (or restore) a unit together with every unit under it, in one transaction."""
        action = "unit.archive" if archived else "unit.restore"
        with self.door.write(actor, action, touches=[UNITS_REVISION]) as conn:
            units.set_archived(conn, unit_id, archived)
