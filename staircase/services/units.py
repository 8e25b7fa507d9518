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

    def tree(self, *, actor: Actor | None = None) -> UnitTree:
        """Every unit the actor may see (see `visible_tree`); the whole tree is reused (one
        small query) until a unit is created, renamed or archived."""
        with self.door.read(actor) as conn:
            return self.door.visible(conn, actor)

    def tree_in(self, conn: Connection) -> UnitTree:
        """`tree` read in the caller's transaction."""
        return self.db.cached(conn, UNITS_REVISION, "unit_tree", units.load_tree)

    def any(self, *, actor: Actor | None = None) -> bool:
        """Whether the database has any unit at all (else the app shows its onboarding)."""
        with self.door.read(actor, anywhere=True) as conn:
            return units.any_unit(conn)

    def create(self, actor: Actor, name: str, parent_id: int | None = None) -> Unit:
        with self.door.write(
            actor, "unit.create", touches=[UNITS_REVISION], unit=parent_id
        ) as conn:
            made = units.create(conn, name, parent_id)
            self.door.audit(conn, after={"name": made.name, "parent_id": parent_id}, unit=made.id)
            return made

    def rename(self, actor: Actor, unit_id: int, name: str) -> None:
        with self.door.write(actor, "unit.rename", touches=[UNITS_REVISION], unit=unit_id) as conn:
            before = self.tree_in(conn).units.get(unit_id)
            units.rename(conn, unit_id, name)
            self.door.audit(
                conn, before={"name": before.name if before else None}, after={"name": name}
            )

    def set_archived(self, actor: Actor, unit_id: int, archived: bool) -> None:
        """Archive (or restore) a unit together with every unit under it, in one transaction."""
        action = "unit.archive" if archived else "unit.restore"
        with self.door.write(actor, action, touches=[UNITS_REVISION], unit=unit_id) as conn:
            units.set_archived(conn, unit_id, archived)
            self.door.audit(conn, before={"archived": not archived}, after={"archived": archived})
