"""Units: the tree as stored, creating, renaming and archiving them, and paths to ids."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, insert, select, update

from staircase.domain.model import NotFoundError, Problem, Unit, ValidationError
from staircase.domain.moments import now
from staircase.domain.rules import check_unit_name, name_key, same_name
from staircase.domain.units import UnitTree
from staircase.storage.bulk import copies, copy_rows, next_ids
from staircase.storage.schema import unit


def load_tree(conn: Connection) -> UnitTree:
    rows = conn.execute(select(unit.c.id, unit.c.name, unit.c.parent_id, unit.c.archived_at))
    return UnitTree(
        {r.id: Unit(r.id, r.name, r.parent_id, r.archived_at is not None) for r in rows}
    )


def any_unit(conn: Connection) -> bool:
    return conn.execute(select(unit.c.id).limit(1)).first() is not None


def require_active(conn: Connection, unit_id: int) -> None:
    """Refuse a unit that does not exist or is archived (nothing may be written to it)."""
    found = conn.execute(select(unit.c.archived_at).where(unit.c.id == unit_id)).first()
    if found is None:
        raise NotFoundError(Problem("unit.unknown"))
    if found.archived_at is not None:
        raise ValidationError(Problem("unit.archived"))


def create(conn: Connection, name: str, parent_id: int | None) -> Unit:
    name = name.strip()
    problems = check_unit_name(name)
    if parent_id is not None:
        parent = conn.execute(select(unit.c.archived_at).where(unit.c.id == parent_id)).first()
        if parent is None:
            problems.append(Problem("unit.parent_unknown"))
        elif parent.archived_at is not None:
            problems.append(Problem("unit.parent_archived"))
    if not problems:
        problems += _sibling_clash(conn, name, parent_id, None)
    if problems:
        raise ValidationError(problems)
    new_id = conn.execute(
        insert(unit).values(name=name, parent_id=parent_id, created_at=now()).returning(unit.c.id)
    ).scalar_one()
    return Unit(new_id, name, parent_id, False)


def rename(conn: Connection, unit_id: int, name: str) -> None:
    name = name.strip()
    row = conn.execute(select(unit.c.parent_id).where(unit.c.id == unit_id)).first()
    if row is None:
        raise NotFoundError(Problem("unit.unknown"))
    problems = check_unit_name(name) or _sibling_clash(conn, name, row.parent_id, unit_id)
    if problems:
        raise ValidationError(problems)
    conn.execute(update(unit).where(unit.c.id == unit_id).values(name=name))


def set_archived(conn: Connection, unit_id: int, archived: bool) -> None:
    """Archive (or restore) a unit together with every unit under it."""
    tree = load_tree(conn)
    if unit_id not in tree.units:
        raise NotFoundError(Problem("unit.unknown"))
    if not archived:
        parent = tree.units[unit_id].parent_id
        if parent is not None and tree.units[parent].archived:
            raise ValidationError(Problem("unit.parent_archived"))
    conn.execute(
        update(unit)
        .where(unit.c.id.in_(tree.subtree(unit_id)))
        .values(archived_at=now() if archived else None)
    )


def _sibling_clash(
    conn: Connection, name: str, parent_id: int | None, unit_id: int | None
) -> list[Problem]:
    parent_clause = (
        unit.c.parent_id.is_(None) if parent_id is None else unit.c.parent_id == parent_id
    )
    siblings = conn.execute(select(unit.c.id, unit.c.name).where(parent_clause))
    if any(r.id != unit_id and same_name(r.name, name) for r in siblings):
        return [Problem("unit.name_taken", {"name": name})]
    return []


class UnitPaths:
    """Unit paths → unit ids, creating the missing units: every unit read once, up front.

    Names match as in `UnitTree.find` (case and Unicode form aside; of two such siblings
    the first by name). Units are created in the order their paths first come, parents
    first, as one at a time would. `ensure` gives a missing unit a stand-in id (-1, -2, ...)
    and `write` creates them all, in bulk where the database allows (PostgreSQL: their ids
    drawn in one query, the rows in one COPY), and says which id each stand-in became.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        rows = conn.execute(select(unit.c.id, unit.c.name, unit.c.parent_id, unit.c.archived_at))
        self.children: dict[tuple[int | None, str], int] = {}
        self.archived: set[int] = set()
        self.existing: set[int] = set()
        for r in sorted(rows, key=lambda r: r.name.casefold()):
            self.children.setdefault((r.parent_id, name_key(r.name)), r.id)
            self.existing.add(r.id)
            if r.archived_at is not None:
                self.archived.add(r.id)
        self.paths: dict[tuple[str, ...], int] = {}
        self.new: list[tuple[str, int | None]] = []
        """(name, parent id or stand-in) of each unit to create; stand-in -n is the n-th."""
        self.created_at = now()

    @property
    def created(self) -> int:
        return len(self.new)

    def ensure(self, path: Sequence[str]) -> int:
        key = tuple(name.casefold() for name in path)
        found = self.paths.get(key)
        if found is not None:
            return found
        parent: int | None = None
        for name in path:
            child = self.children.get((parent, name_key(name)))
            if child is None:
                child = self._create(name, parent)
            parent = child
        assert parent is not None, "a unit path has at least one name"
        self.paths[key] = parent
        return parent

    def _create(self, name: str, parent: int | None) -> int:
        name = name.strip()
        problems = check_unit_name(name)
        if parent in self.archived:
            problems.append(Problem("unit.parent_archived"))
        if problems:
            raise ValidationError(problems)
        self.new.append((name, parent))
        stand_in = -len(self.new)
        self.children[(parent, name_key(name))] = stand_in
        return stand_in

    def write(self) -> dict[int, int]:
        """Create the units `ensure` found missing, in order; stand-in id → the unit's id."""
        ids: dict[int, int] = {}
        if not self.new:
            return ids

        def parent_id(parent: int | None) -> int | None:
            return parent if parent is None or parent > 0 else ids[parent]

        if copies(self.conn):
            drawn = next_ids(self.conn, unit.c.id, len(self.new))
            ids.update({-n: new_id for n, new_id in enumerate(drawn, start=1)})
            copy_rows(
                self.conn,
                unit,
                ("id", "name", "parent_id", "created_at"),
                [
                    (ids[-n], name, parent_id(parent), self.created_at)
                    for n, (name, parent) in enumerate(self.new, start=1)
                ],
            )
            return ids
        statement = insert(unit).returning(unit.c.id)
        for n, (name, parent) in enumerate(self.new, start=1):
            ids[-n] = self.conn.execute(
                statement,
                {"name": name, "parent_id": parent_id(parent), "created_at": self.created_at},
            ).scalar_one()
        return ids
