"""Where a unit stands and how it moved, how it compares and where its units stand: what
the progress page shows, each part read when it is shown (the page opens its comparison and
its overview only on request) and nothing read twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from staircase.domain.catalogue import Catalogue
from staircase.domain.scoring import Score, score_working_state
from staircase.domain.units import UnitTree
from staircase.services.checklist import Checklist
from staircase.services.door import Actor
from staircase.services.practices import Practices
from staircase.services.snapshots import Snapshots

COMPARED_BY_DEFAULT = 5


@dataclass(frozen=True)
class UnitProgress:
    unit_id: int
    catalogue: Catalogue
    score: Score
    """The working state now."""
    history: pd.DataFrame
    """The unit's snapshots, scored, oldest first."""


@dataclass(frozen=True)
class Overview:
    scope: int
    """The unit whose units the overview covers (the unit, or its parent for a leaf)."""
    ids: list[int]
    """The units of the scope, in the tree's order."""
    latest: pd.DataFrame
    """The latest snapshot of each unit of the scope (units without snapshots are absent)."""


class Progress:
    def __init__(self, practices: Practices, checklist: Checklist, snapshots: Snapshots) -> None:
        self.practices, self.checklist, self.snapshots = practices, checklist, snapshots

    def of_unit(self, unit_id: int, *, actor: Actor | None = None) -> UnitProgress:
        """The unit's score now and its history."""
        catalogue = self.practices.catalogue(actor=actor)
        return UnitProgress(
            unit_id,
            catalogue,
            score_working_state(catalogue, self.checklist.state(unit_id, actor=actor)),
            self.snapshots.history([unit_id], actor=actor),
        )

    def overview(self, tree: UnitTree, unit_id: int, *, actor: Actor | None = None) -> Overview:
        """The latest state of the unit's units (of its parent's, for a leaf). `tree` is the
        tree the actor sees (`Units.tree(actor=…)`): a leaf at the top of their scope is
        shown on its own."""
        scope = tree.overview_scope(unit_id)
        ids = [u.id for u in tree.ordered(under=scope)]
        return Overview(scope, ids, self.snapshots.overview(ids, actor=actor))

    def compared_by_default(
        self, tree: UnitTree, unit: UnitProgress, *, actor: Actor | None = None
    ) -> list[int]:
        """A first comparison: the unit (if it has history) and its nearest units with
        snapshots."""
        return comparison_defaults(
            unit.unit_id, unit.history, self.overview(tree, unit.unit_id, actor=actor).latest
        )

    def comparison(
        self, unit: UnitProgress, unit_ids: Sequence[int], *, actor: Actor | None = None
    ) -> pd.DataFrame:
        """The history of the units (as `Snapshots.history`), the unit's own taken from
        `unit` rather than read again."""
        others = [i for i in dict.fromkeys(unit_ids) if i != unit.unit_id]
        frames = [self.snapshots.history(others, actor=actor)] if others else []
        if unit.unit_id in unit_ids:
            frames.append(unit.history)
        filled = [f for f in frames if not f.empty]
        if len(filled) > 1:
            return pd.concat(filled).sort_values(["taken_at", "unit_id"], ignore_index=True)
        if filled:
            return filled[0]
        return frames[0] if frames else unit.history.iloc[0:0]


def comparison_defaults(
    unit_id: int, history: pd.DataFrame, overview: pd.DataFrame, limit: int = COMPARED_BY_DEFAULT
) -> list[int]:
    """The unit (if it has history) and its nearest units with snapshots: a first comparison."""
    ids = [unit_id] if not history.empty else []
    ids += [int(i) for i in overview.get("unit_id", []) if int(i) != unit_id]
    return ids[:limit]
