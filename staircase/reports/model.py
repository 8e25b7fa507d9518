"""What a report says, in one language, before any format: sections of text, figures (a
vector picture, its one-sentence text alternative, its data as a table, and the figure for
an interactive page) and tables; plus the typed data a workbook needs."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

import pandas as pd

from staircase.domain.model import Lang

Cell = str | int | float | date | datetime | None
Kind = Literal["text", "int", "percent", "decimal", "date", "moment"]


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"


@dataclass(frozen=True)
class Table:
    """A table with a caption (what it shows), typed columns and rows of cells. A percent
    cell is a share 0–1; text cells are shown as they are, never interpreted."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    @staticmethod
    def from_frame(
        caption: str, frame: pd.DataFrame, kinds: dict[str, Kind] | None = None
    ) -> Table:
        """A frame's columns and rows (NaN becomes an empty cell)."""
        kinds = kinds or {}
        columns = tuple(Column(str(c), kinds.get(str(c), "text")) for c in frame.columns)
        rows = tuple(
            tuple(None if _blank(v) else _plain(v) for v in row)
            for row in frame.itertuples(index=False, name=None)
        )
        return Table(caption, columns, rows)


def _blank(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: Any) -> Cell:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()  # type: ignore[no-any-return]
    return value  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Figure:
    """A chart: drawn on the server as SVG (print and PDF), described in one sentence, its
    data as a table a screen reader can reach, and as a Plotly figure (its JSON) for the
    interactive page (None: the picture there too)."""

    title: str
    svg: str
    alt: str
    table: Table
    plotly: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    text: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class SnapshotRows:
    """The snapshots in scope over the period, one row each, read in batches when a
    renderer asks (a national scope has hundreds of thousands)."""

    columns: tuple[Column, ...]
    count: int
    batches: Callable[[], Iterator[Sequence[tuple[Cell, ...]]]]

    @staticmethod
    def none() -> SnapshotRows:
        """For a document without a list of snapshots (the leader's handbook)."""
        return SnapshotRows((), 0, lambda: iter(()))


@dataclass(frozen=True)
class WorkbookData:
    """What only the workbook shows as typed data: units per step per period (its native
    chart), the heatmap's statuses and the targets."""

    distribution: Table
    """Period, then units on step 0..3, not yet assessed, mean maturity (a share)."""
    heatmap: Table | None
    """Unit, step, maturity, then one column per practice with its status value
    (done, in_progress, not_started, not_applicable, or empty); None for one unit."""
    status_labels: dict[str, str] = field(default_factory=dict)
    """Status value → the symbol and word the sheet shows."""
    targets: Table | None = None

    @staticmethod
    def none() -> WorkbookData:
        """For a document no workbook is made of (the leader's handbook)."""
        return WorkbookData(Table("", (), ()), None)


@dataclass(frozen=True)
class Report:
    lang: Lang
    title: str
    unit: str
    """The unit's path."""
    kind: Literal["organisation", "unit", "handbook"]
    """A report of a unit with units under it or of one without; or a unit's handbook."""
    period_from: date
    period_to: date
    made_at: datetime
    made_by: str
    cover: tuple[str, ...]
    """Lines under the title: the unit, the period, when and by whom."""
    sections: tuple[Section, ...]
    workbook: WorkbookData
    snapshots: SnapshotRows

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]
