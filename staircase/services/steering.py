"""Steering: management's targets per unit and its assessment rounds (the rules are in
`staircase.domain.steering`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import Connection

from staircase.domain import steering as rule
from staircase.domain.access import Right
from staircase.domain.model import Problem, ValidationError
from staircase.domain.moments import now
from staircase.domain.rollup import day_end
from staircase.domain.steering import Round, RoundStatus, Target, TargetSummary
from staircase.domain.units import UnitTree
from staircase.services.door import Actor, Door
from staircase.services.rollup import Rollup
from staircase.storage import steering as store
from staircase.storage import units
from staircase.storage.database import Database


class Targets:
    def __init__(self, db: Database, door: Door, rollup: Rollup) -> None:
        self.db, self.door, self.rollup = db, door, rollup

    def set(self, actor: Actor, unit_id: int, step: int, due: date) -> Target:
        """Set the target of a unit and, unless they have their own, every unit under it."""
        moment = now()
        if problems := rule.check_target(step, due, moment.date()):
            raise ValidationError(problems)
        with self.door.write(actor, "target.set", unit=unit_id) as conn:
            units.require_active(conn, unit_id)
            made = store.add_target(conn, unit_id, step, due, moment, actor.label)
            self.door.audit(conn, after={"step": step, "due": due})
            return made

    def clear(self, actor: Actor, unit_id: int) -> Target:
        """Remove a unit's own target: the one set above it (if any) holds again."""
        with self.door.write(actor, "target.clear", unit=unit_id) as conn:
            units.require_active(conn, unit_id)
            own = rule.current_targets(store.targets_of(conn, [unit_id])).get(unit_id)
            if own is None or own.step is None:
                raise ValidationError(Problem("target.no_own"))
            self.door.audit(conn, before={"step": own.step, "due": own.due})
            return store.add_target(conn, unit_id, None, None, now(), actor.label)

    def of_unit(self, tree: UnitTree, unit_id: int, *, actor: Actor | None = None) -> Target | None:
        """The target that holds for the unit (its own or inherited, also from above the
        actor's scope: the whole tree is read here, not the `tree` they see), if any."""
        with self.door.read(actor, unit=unit_id) as conn:
            whole = self.door.tree(conn)
            current = rule.current_targets(store.targets_of(conn, whole.lineage(unit_id)))
        return rule.effective_target(whole, unit_id, current)

    def history(self, tree: UnitTree, unit_id: int, *, actor: Actor | None = None) -> list[Target]:
        """Every setting that ever held for the unit (on it or a unit above), newest first."""
        with self.door.read(actor, unit=unit_id) as conn:
            found = store.targets_of(conn, self.door.tree(conn).lineage(unit_id))
        return sorted(found, key=lambda t: (t.set_at, t.id), reverse=True)

    def progress(
        self, tree: UnitTree, unit_id: int, at: date | None = None, *, actor: Actor | None = None
    ) -> TargetSummary:
        """How the units under a unit (those expected to assess themselves) stand against
        their targets at the end of `at` (default today)."""
        day = at or now().date()
        expected = self.rollup.expected(tree, unit_id, day, actor=actor)
        scores = self.rollup.scores(tree, unit_id, day, actor=actor)
        with self.door.read(actor, unit=unit_id) as conn:
            whole = self.door.tree(conn)  # targets inherited from above the actor's scope too
            # Targets set on any unit above or under it (a förvaltning's holds for its units).
            scope = set(whole.lineage(unit_id)) | {u.id for u in tree.ordered(under=unit_id)}
            current = rule.current_targets(
                t for t in store.targets_of(conn, sorted(scope)) if t.set_at <= day_end(day)
            )
        table = rule.target_progress(whole, expected, current, scores, day)
        return rule.summarise_targets(table, len(expected))


class Rounds:
    def __init__(self, db: Database, door: Door, rollup: Rollup) -> None:
        self.db, self.door, self.rollup = db, door, rollup

    def open(self, actor: Actor, unit_id: int, name: str, starts: date, due: date) -> Round:
        """Ask every unit under `unit_id` for a snapshot dated from `starts` to `due`."""
        moment = now()
        if problems := rule.check_round(name, starts, due, moment.date()):
            raise ValidationError(problems)
        with self.door.write(actor, "round.open", unit=unit_id) as conn:
            units.require_active(conn, unit_id)
            made = store.add_round(conn, unit_id, name.strip(), starts, due, moment, actor.label)
            self.door.audit(conn, after={"round_id": made.id, "name": made.name, "due": due})
            return made

    def close(self, actor: Actor, tree: UnitTree, round_id: int) -> RoundStatus:
        """Close a round: its units and their answers are frozen as they stand now."""
        moment = now()
        with self.db.read() as conn:
            rnd = store.get_round(conn, round_id)
        if rnd.unit_id not in tree.units or tree.units[rnd.unit_id].archived:
            # Its list would be empty: closing would freeze nothing. Restore the unit first.
            raise ValidationError(Problem("round.unit_archived_close", {"name": rnd.name}))
        expected = self._expected(tree, rnd, actor)
        with self.door.write(actor, "round.close", unit=rnd.unit_id) as conn:
            status = self._live(conn, rnd, expected, moment.date())
            self.door.audit(conn, after={"round_id": rnd.id, "answers": len(status.answers)})
            store.close_round(
                conn, rnd, expected, status.answers, _last(conn, expected), moment, actor.label
            )
        return self.status(tree, round_id, actor=actor)

    def get(self, round_id: int, *, actor: Actor | None = None) -> Round:
        with self.door.read(actor) as conn:
            found = store.get_round(conn, round_id)
            self.door.require(conn, actor, Right.READ, [found.unit_id])
            return found

    def of_unit(self, tree: UnitTree, unit_id: int, *, actor: Actor | None = None) -> list[Round]:
        """The rounds that concern a unit: opened on it, on a unit above it or under it;
        latest start first. Only those opened on a unit in the actor's scope (a round
        covers its unit and everything under it)."""
        with self.door.read(actor, unit=unit_id) as conn:
            whole = self.door.tree(conn)
            concern = set(whole.lineage(unit_id)) | set(whole.subtree(unit_id))
            visible = self.door.scope(conn, actor)
            if visible is not None:
                concern &= visible
            return store.rounds_of(conn, sorted(concern))

    def open_for(
        self, tree: UnitTree, unit_id: int, at: date | None = None, *, actor: Actor | None = None
    ) -> list[Round]:
        """The open rounds that ask this unit (opened on it or above it), earliest due first."""
        day = at or now().date()
        with self.door.read(actor, unit=unit_id) as conn:
            found = store.rounds_of(conn, self.door.tree(conn).lineage(unit_id))
        return sorted(
            (r for r in found if r.is_open and r.starts <= day), key=lambda r: (r.due, r.id)
        )

    def status(
        self, tree: UnitTree, round_id: int, at: date | None = None, *, actor: Actor | None = None
    ) -> RoundStatus:
        """Where a round stands: an open one now (or at the end of `at`), a closed one as
        frozen; with the unit's previous round for comparison. The round's unit (which it
        covers with everything under it) must be in the actor's scope."""
        day = at or now().date()
        with self.door.read(actor) as conn:
            rnd = store.get_round(conn, round_id)
            self.door.require(conn, actor, Right.READ, [rnd.unit_id])
            before = rule.previous_round(rnd, store.rounds_of(conn, [rnd.unit_id]))
        current = self._status(tree, rnd, day, actor)
        previous = self._status(tree, before, day, actor) if before is not None else None
        return RoundStatus(
            current.round,
            current.expected,
            current.answers,
            current.missing,
            current.burn_up,
            previous,
        )

    def _status(
        self, tree: UnitTree, rnd: Round, day: date, actor: Actor | None = None
    ) -> RoundStatus:
        if not rnd.is_open:
            with self.db.read() as conn:
                asked, answered, missing = store.frozen(conn, rnd.id)
            return rule.round_status(rnd, asked, answered, missing, day)
        expected = self._expected(tree, rnd, actor)
        with self.db.read() as conn:
            return self._live(conn, rnd, expected, day)

    def _expected(self, tree: UnitTree, rnd: Round, actor: Actor | None = None) -> tuple[int, ...]:
        if rnd.unit_id not in tree.units or tree.units[rnd.unit_id].archived:
            return ()
        return self.rollup.expected(tree, rnd.unit_id, actor=actor)

    @staticmethod
    def _live(conn: Connection, rnd: Round, expected: tuple[int, ...], day: date) -> RoundStatus:
        """The round as it stood at the end of `day`: the snapshots dated in its window up
        to then."""
        start = datetime.combine(rnd.starts, datetime.min.time())
        end = datetime.combine(min(rnd.due, day) + timedelta(days=1), datetime.min.time())
        in_window = store.snapshots_between(conn, expected, start, end)
        return rule.round_status(rnd, expected, in_window, _last(conn, expected), day)


def _last(conn: Connection, expected: Sequence[int]) -> pd.DataFrame:
    """Who saved each unit's latest snapshot at all (for the units that have not answered)."""
    return store.latest_saved_by(conn, list(expected))
