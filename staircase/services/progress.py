"""Where a unit stands and how it moved: what the progress page shows, read in one go."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from staircase.domain.catalogue import Catalogue
from staircase.domain.scoring import Score, score_working_state
from staircase.domain.units import UnitTree
from staircase.services.checklist import Checklist
from staircase.services.practices import Practices
from staircase.services.snapshots import Snapshots

COMPARED_BY_DEFAULT = 5


@dataclass(frozen=True)
class UnitProgress:
    catalogue: Catalogue
    score: Score
    """The working state now."""
    history: pd.DataFrame
    """The unit's snapshots, scored, oldest first."""
    overview_scope: int
    """The unit whose units the overview covers (the unit, or its parent for a leaf)."""
    overview_ids: list[int]
    overview: pd.DataFrame
    """The latest snapshot of each unit of the overview."""
    compared_by_default: list[int]
    """The unit (when it has history) and the nearest units with snapshots."""


class Progress:
    def __init__(self, practices: Practices, checklist: Checklist, snapshots: Snapshots) -> None:
        self.practices, self.checklist, self.snapshots = practices, checklist, snapshots

    def of_unit(self, tree: UnitTree, unit_id: int) -> UnitProgress:
        catalogue = self.practices.catalogue()
        history = self.snapshots.history([unit_id])
        scope = tree.overview_scope(unit_id)
        ids = [u.id for u in tree.ordered(under=scope)]
        overview = self.snapshots.overview(ids)
        return UnitProgress(
            catalogue,
            score_working_state(catalogue, self.checklist.state(unit_id)),
            history,
            scope,
            ids,
            overview,
            comparison_defaults(unit_id, history, overview),
        )


def comparison_defaults(
    unit_id: int, history: pd.DataFrame, overview: pd.DataFrame, limit: int = COMPARED_BY_DEFAULT
) -> list[int]:
    """The unit (if it has history) and its nearest units with snapshots: a first comparison."""
    ids = [unit_id] if not history.empty else []
    ids += [int(i) for i in overview.get("unit_id", []) if int(i) != unit_id]
    return ids[:limit]
