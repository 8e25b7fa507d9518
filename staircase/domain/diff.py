"""What changed between two snapshots of a unit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from staircase.domain.model import SnapshotEntry, Status
from staircase.domain.scoring import Score, score


@dataclass(frozen=True)
class Change:
    practice_id: str
    step: int
    before: Status | None
    after: Status | None
    note_after: str


@dataclass(frozen=True)
class SnapshotDiff:
    """What changed between two snapshots of a unit."""

    changes: tuple[Change, ...]
    before: Score
    after: Score


def diff_snapshots(before: Sequence[SnapshotEntry], after: Sequence[SnapshotEntry]) -> SnapshotDiff:
    """Practices whose status differs (or that exist in only one of them), in step order."""
    old = {e.practice_id: e for e in before}
    new = {e.practice_id: e for e in after}
    changes = []
    for pid in sorted(old.keys() | new.keys(), key=lambda p: ((old.get(p) or new[p]).step, p)):
        a, b = old.get(pid), new.get(pid)
        if a is not None and b is not None and a.status == b.status:
            continue
        changes.append(
            Change(
                pid,
                (b or a).step,  # type: ignore[union-attr]
                a.status if a else None,
                b.status if b else None,
                b.note if b else "",
            )
        )
    return SnapshotDiff(
        tuple(changes),
        score((e.step, e.status) for e in before),
        score((e.step, e.status) for e in after),
    )


def maturity_change(diff: SnapshotDiff) -> float | None:
    """How much overall maturity moved; None when it did not, or is undefined on a side."""
    before, after = diff.before.maturity, diff.after.maturity
    if before is None or after is None or after == before:
        return None
    return after - before
