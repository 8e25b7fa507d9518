"""The unit tree: every unit with its path, children and subtree, built from one query."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from staircase.domain.model import Unit
from staircase.domain.rules import PATH_SEPARATOR, same_name

LINK_ID_MAX_DIGITS = 18
"""The longest `?unit=` a link may carry (a 64-bit id); a longer value is not even parsed."""


@dataclass(frozen=True)
class UnitTree:
    """All units, with their paths and subtrees; built from one query."""

    units: Mapping[int, Unit]

    def path(self, unit_id: int) -> tuple[str, ...]:
        names: list[str] = []
        current: int | None = unit_id
        while current is not None:
            u = self.units[current]
            names.append(u.name)
            current = u.parent_id
        return tuple(reversed(names))

    def lineage(self, unit_id: int) -> list[int]:
        """The unit, then each unit above it up to its organisation."""
        chain = [unit_id]
        while (parent := self.units[chain[-1]].parent_id) is not None:
            chain.append(parent)
        return chain

    def label(self, unit_id: int) -> str:
        return PATH_SEPARATOR.join(self.path(unit_id))

    def short_label(self, unit_id: int) -> str:
        """'Hemtjänst Norr · Vård och omsorg': the name first, then where it sits."""
        unit = self.units[unit_id]
        if unit.parent_id is None:
            return unit.name
        return f"{unit.name} · {self.units[unit.parent_id].name}"

    @cached_property
    def _children(self) -> dict[int | None, list[Unit]]:
        """Parent id → its units sorted by name: built once, so walks stay linear."""
        index: dict[int | None, list[Unit]] = {}
        for u in sorted(self.units.values(), key=lambda u: u.name.casefold()):
            index.setdefault(u.parent_id, []).append(u)
        return index

    def children(self, unit_id: int | None) -> list[Unit]:
        return self._children.get(unit_id, [])

    def subtree(self, unit_id: int) -> list[int]:
        """The unit and all its descendants, depth first."""
        out = [unit_id]
        for child in self.children(unit_id):
            out.extend(self.subtree(child.id))
        return out

    def export_scope(self, unit_id: int | None, scope: str) -> list[int] | None:
        """The units an export covers: 'unit', 'subtree' (it and all under it), 'all' (None)."""
        if scope == "all" or unit_id is None:
            return None
        return [unit_id] if scope == "unit" else self.subtree(unit_id)

    @cached_property
    def _orders(self) -> dict[tuple[int | None, bool], tuple[Unit, ...]]:
        # Walks already made, by (root, include_archived): a cached tree answers each once.
        return {}

    def ordered(self, include_archived: bool = False, under: int | None = None) -> tuple[Unit, ...]:
        """Every unit (or `under` and every unit below it), depth first by name: the order
        of every unit list in the app. Computed once per tree."""
        key = (under, include_archived)
        if key not in self._orders:
            out: list[Unit] = []

            def walk(parent: int | None) -> None:
                for child in self.children(parent):
                    if include_archived or not child.archived:
                        out.append(child)
                        walk(child.id)

            if under is None:
                walk(None)
            elif include_archived or not self.units[under].archived:
                out.append(self.units[under])
                walk(under)
            self._orders[key] = tuple(out)
        return self._orders[key]

    def overview_scope(self, unit_id: int) -> int:
        """The unit an overview of `unit_id` covers: the unit itself when it has units under
        it (or is an organisation), else its parent (a unit among its siblings)."""
        u = self.units[unit_id]
        return unit_id if self.children(unit_id) or u.parent_id is None else u.parent_id

    def short_labels(self, unit_ids: Iterable[int]) -> dict[int, str]:
        """Unit id → `short_label`, in the order given."""
        return {i: self.short_label(i) for i in unit_ids}

    def root_of(self, unit_id: int) -> int:
        """The top of the unit's tree: its organisation (municipality, region, ...)."""
        while (parent := self.units[unit_id].parent_id) is not None:
            unit_id = parent
        return unit_id

    def roots(self, include_archived: bool = False) -> list[Unit]:
        return [u for u in self.children(None) if include_archived or not u.archived]

    def resolve_link(self, raw: str | None) -> int | None:
        """The unit a link names (`?unit=<id>`), or None when the value is not the id of a
        unit to show: anything but 1-18 ASCII digits, an unknown id, an archived unit."""
        if raw is None or not 0 < len(raw) <= LINK_ID_MAX_DIGITS:
            return None
        if not (raw.isascii() and raw.isdigit()):  # no sign, spaces, '1e3' or '١٢'
            return None
        unit = self.units.get(int(raw))
        return unit.id if unit is not None and not unit.archived else None

    def find(self, path: Sequence[str]) -> int | None:
        parent: int | None = None
        for name in path:
            match = [u for u in self.children(parent) if same_name(u.name, name)]
            if not match:
                return None
            parent = match[0].id
        return parent

    def first_leaf(self) -> int | None:
        """The first unit (in tree order) without children: where a newcomer looks first."""
        units = self.ordered()
        for unit in units:
            if not self.children(unit.id):
                return unit.id
        return units[0].id if units else None

    def archive_choices(self, organisation: int | None) -> list[int]:
        """What can be archived or restored from an organisation's view: its units, archived
        ones included, and every archived organisation (to restore one)."""
        units = (
            [u.id for u in self.ordered(include_archived=True, under=organisation)]
            if organisation is not None
            else []
        )
        return units + [u.id for u in self.roots(include_archived=True) if u.archived]
