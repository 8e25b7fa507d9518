"""Snapshots on their way in from a file or the demo scenario, and what importing them did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from staircase.domain.model import SnapshotEntry


@dataclass(frozen=True)
class SnapshotRecord:
    """A snapshot read from a file, ready to import; `rows` are its file lines, for messages."""

    unit_path: tuple[str, ...]
    taken_at: datetime
    saved_by: str
    comment: str
    catalogue_version: int
    entries: tuple[SnapshotEntry, ...]
    rows: tuple[int, ...]
    new_practice_titles: Mapping[str, str]
    """Titles of custom practices the file uses, by id, for those this database lacks."""

    def content(self) -> tuple[object, ...]:
        """What makes two snapshots of a unit and moment the same snapshot."""
        return (
            self.saved_by,
            self.comment,
            self.catalogue_version,
            {(e.practice_id, e.step, e.status.value, e.note) for e in self.entries},
        )


@dataclass(frozen=True)
class ImportResult:
    units_created: int
    snapshots_created: int
    snapshots_skipped: int
    practices_created: int
