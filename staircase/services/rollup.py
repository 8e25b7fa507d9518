"""Management's view: any unit with units under it, seen through them (the rule is in
`staircase.domain.rollup`).

Each part is read in one transaction and kept while the units, the own practices and the
snapshots are unchanged (their revision counters), so an unchanged organisation is not
read again on every rerun; a write anywhere makes the next call read afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Connection

from staircase.domain import rollup as rule
from staircase.domain.moments import now
from staircase.domain.rollup import MOVERS_MONTHS, OVER_TIME_MONTHS, Movers, OrganisationNow
from staircase.domain.units import UnitTree
from staircase.services.door import Actor, Door
from staircase.services.practices import Practices
from staircase.storage import rollup as queries
from staircase.storage.database import Database
from staircase.storage.schema import PRACTICES_REVISION, SNAPSHOTS_REVISION, UNITS_REVISION

T = TypeVar("T")
CACHED_PARTS = 64
"""Roll-up parts kept per process (the oldest used goes first)."""
_COUNTERS = (UNITS_REVISION, PRACTICES_REVISION, SNAPSHOTS_REVISION)


class Rollup:
    def __init__(self, db: Database, practices: Practices, door: Door | None = None) -> None:
        self.db, self.practices = db, practices
        self.door = door or Door(db)
        self._parts: OrderedDict[tuple[Any, ...], tuple[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def of_unit(
        self, tree: UnitTree, unit_id: int, at: date | None = None, *, actor: Actor | None = None
    ) -> OrganisationNow:
        """Where the unit and every unit under it stand at the end of `at` (default today)."""
        self._may_read(actor, unit_id)
        day = at or now().date()
        ids = tuple(u.id for u in tree.ordered(under=unit_id))

        def load(conn: Connection) -> OrganisationNow:
            # Archived own practices too: a snapshot may record one.
            catalogue = self.practices.catalogue_in(conn, include_archived=True)
            entries = queries.latest_entries(conn, ids, rule.day_end(day))
            if len(entries):
                entries["practice_id"] = entries["practice_id"].astype("category")
                entries["status"] = entries["status"].astype("category")
            scores = rule.unit_scores(entries)
            expected = _expected(tree, ids, set(scores["unit_id"]))
            return OrganisationNow(
                unit_id,
                day,
                ids,
                expected,
                catalogue,
                entries,
                scores,
                rule.distribution(scores, len(expected)),
                rule.practice_shares(entries, [p.id for p in catalogue.practices]),
            )

        return self._cached(("now", unit_id, day, ids), load)

    def expected(
        self, tree: UnitTree, unit_id: int, at: date | None = None, *, actor: Actor | None = None
    ) -> tuple[int, ...]:
        """The units under a unit (itself included) expected to assess themselves at the end
        of `at` (see `OrganisationNow.expected`), without reading their snapshots: the
        units without units under them, and those with that have a snapshot of their own."""
        self._may_read(actor, unit_id)
        day = at or now().date()
        ids = tuple(u.id for u in tree.ordered(under=unit_id))

        def load(conn: Connection) -> tuple[int, ...]:
            parents = {tree.units[u].parent_id for u in ids[1:]}
            gathering = [u for u in ids if u in parents]
            return _expected(tree, ids, queries.assessed_before(conn, gathering, rule.day_end(day)))

        return self._cached(("expected", unit_id, day, ids), load)

    def scores(
        self, tree: UnitTree, unit_id: int, at: date | None = None, *, actor: Actor | None = None
    ) -> pd.DataFrame:
        """Where each unit under a unit (itself included) stands at the end of `at`, by its
        latest snapshot's stored score: unit_id, step_reached, maturity (units without a
        snapshot absent); one index seek per unit, no practice rows."""
        self._may_read(actor, unit_id)
        day = at or now().date()
        ids = tuple(u.id for u in tree.ordered(under=unit_id))

        def load(conn: Connection) -> pd.DataFrame:
            found = queries.states_at(conn, ids, [rule.day_end(day)])
            return found[["unit_id", "step_reached", "maturity"]].reset_index(drop=True)

        return self._cached(("scores", unit_id, day, ids), load)

    def over_time(
        self,
        tree: UnitTree,
        unit_id: int,
        kind: rule.PeriodKind = "quarter",
        months: int = OVER_TIME_MONTHS,
        at: date | None = None,
        *,
        actor: Actor | None = None,
    ) -> rule.OverTime:
        """Where the units stood at the end of each period of the last `months` months."""
        self._may_read(actor, unit_id)
        day = at or now().date()
        ids = tuple(u.id for u in tree.ordered(under=unit_id))
        spans = rule.periods(kind, day, months)

        def load(conn: Connection) -> rule.OverTime:
            timeline = queries.states_at(conn, ids, [p.end for p in spans])
            leaves = set(_expected(tree, ids, set()))
            timeline["is_leaf"] = timeline["unit_id"].isin(leaves)
            return rule.over_time(timeline, len(leaves), spans)

        return self._cached(("over_time", unit_id, day, kind, months, ids), load)

    def movers(
        self,
        tree: UnitTree,
        unit_id: int,
        months: int = MOVERS_MONTHS,
        at: date | None = None,
        *,
        actor: Actor | None = None,
    ) -> Movers:
        """Who climbed and who stood still or fell back over the last `months` months."""
        day = at or now().date()
        since = rule.months_before(rule.day_end(day), months)
        current = self.of_unit(tree, unit_id, day, actor=actor)

        def load(conn: Connection) -> Movers:
            then = queries.states_at(conn, current.unit_ids, [since])
            table = rule.movers(current.scores, then)
            new = set(current.scores["unit_id"]) - set(then["unit_id"])
            return Movers(months, since, table, len(new))

        return self._cached(("movers", unit_id, day, months, current.unit_ids), load)

    def _may_read(self, actor: Actor | None, unit_id: int) -> None:
        """The unit and (scopes are whole subtrees) everything under it may be read."""
        with self.door.read(actor, unit=unit_id):
            pass

    def _cached(self, key: tuple[Any, ...], load: Callable[[Connection], T]) -> T:
        with self.db.read() as conn:
            revision = self.db.revisions(conn, _COUNTERS)
            with self._lock:
                found = self._parts.get(key)
                if found is not None and found[0] == revision:
                    self._parts.move_to_end(key)
                    return found[1]  # type: ignore[no-any-return]
            value = load(conn)  # read in the same transaction as the counters: consistent
        with self._lock:
            self._parts[key] = (revision, value)
            self._parts.move_to_end(key)
            while len(self._parts) > CACHED_PARTS:
                self._parts.popitem(last=False)
        return value


def _expected(tree: UnitTree, ids: tuple[int, ...], assessed: set[int]) -> tuple[int, ...]:
    """The units of `ids` expected to assess themselves (see `OrganisationNow.expected`)."""
    parents = {tree.units[u].parent_id for u in ids[1:]}
    return tuple(u for u in ids if u not in parents or u in assessed)
