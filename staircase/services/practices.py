"""The catalogue as this organisation sees it: the shipped practices plus its own."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from staircase.domain.catalogue import Catalogue, Practice
from staircase.domain.model import STEPS, Dimension, Problem, Text, ValidationError
from staircase.domain.rules import NOTE_WHITESPACE, check_practice_title, has_control, slug
from staircase.services.door import Actor, Door
from staircase.storage import practices
from staircase.storage.database import Database
from staircase.storage.schema import PRACTICES_REVISION


class Practices:
    def __init__(self, db: Database, door: Door, shipped: Catalogue) -> None:
        self.db, self.door, self.shipped = db, door, shipped

    def catalogue(self, include_archived: bool = False, *, actor: Actor | None = None) -> Catalogue:
        """The shipped catalogue plus the organisation's own practices; cached until one of
        those is added or retired. Anyone with a role may read it."""
        with self.door.read(actor, anywhere=True) as conn:
            return self.catalogue_in(conn, include_archived)

    def catalogue_in(self, conn: Connection, include_archived: bool = False) -> Catalogue:
        """`catalogue` read in the caller's transaction."""
        return self.db.cached(
            conn,
            PRACTICES_REVISION,
            f"catalogue:{include_archived}",
            lambda c: self.shipped.with_custom(practices.load(c, include_archived)),
        )

    def active_ids(self, conn: Connection) -> set[str]:
        """The practices a working state may be set for: shipped and own, not retired."""
        return {*self.shipped.practice_ids, *practices.ids(conn, active_only=True)}

    def known_ids(self, conn: Connection) -> set[str]:
        """Every practice id this database knows, retired own practices included."""
        return {*self.shipped.practice_ids, *practices.ids(conn)}

    def add(
        self,
        actor: Actor,
        step: int,
        title_sv: str,
        title_en: str = "",
        description_sv: str = "",
        description_en: str = "",
        dimensions: Iterable[Dimension | str] = (),
    ) -> Practice:
        """Add one of the organisation's own practices to a step; its id comes from the title."""
        problems = []
        if step not in STEPS:
            problems.append(Problem("practice.bad_step", {"step": step}))
        problems += check_practice_title(title_sv, title_en)
        descriptions = (description_sv, description_en)
        if any(has_control(d, NOTE_WHITESPACE) for d in descriptions) and not any(
            p.key == "text.control_char" for p in problems
        ):
            problems.append(Problem("text.control_char"))
        dims = []
        for d in dimensions:
            try:
                dims.append(Dimension(d))
            except ValueError:
                problems.append(Problem("practice.bad_dimension", {"dimension": d}))
        if not dims and not any(p.key == "practice.bad_dimension" for p in problems):
            problems.append(Problem("practice.no_dimension"))
        if problems:
            raise ValidationError(problems)
        title = Text(title_sv.strip(), title_en.strip() or title_sv.strip())
        description = Text(description_sv.strip(), description_en.strip() or description_sv.strip())
        with self.door.write(actor, "practice.add", touches=[PRACTICES_REVISION]) as conn:
            new_id = practices.free_id(
                f"custom-{slug(title_sv) or 'practice'}", self.known_ids(conn)
            )
            practices.add(conn, new_id, step, dims, title, description)
            self.door.audit(conn, after={"id": new_id, "step": step, "title": title.sv})
        return self.catalogue(actor=actor).practice(new_id)

    def archive(self, actor: Actor, practice_id: str) -> None:
        """Retire an own practice: it leaves the checklist; snapshots keep it."""
        with self.door.write(actor, "practice.archive", touches=[PRACTICES_REVISION]) as conn:
            practices.archive(conn, practice_id)
            self.door.audit(conn, after={"id": practice_id, "archived": True})
