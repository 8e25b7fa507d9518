"""Moving many rows at once: IN lists of any length, bulk inserts, frames from queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import Connection, DateTime, Select, Table, TypeDecorator, insert, type_coerce

IN_LIST_MAX = 5_000
"""Ids per IN list: far below SQLite's 32,766 bound parameters and PostgreSQL's 65,535."""
INSERT_BATCH = 50_000
"""Rows per multi-row insert of an import (memory stays flat, round trips few)."""
_MOMENT_CACHE = 4_096


class _Moment(TypeDecorator[datetime]):
    """A DateTime read in bulk: the driver's value → datetime conversion is memoised.

    A snapshot's moment repeats on each of its practice rows, and on SQLite the conversion
    (a string parse in Python) costs more than reading the row; remembering the last few
    thousand raw values makes it once per snapshot. Any dialect: it wraps the dialect's own
    converter, whatever the driver returns.
    """

    impl = DateTime
    cache_ok = True

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        # Overridden (rather than process_result_value) to wrap the dialect's converter itself.
        convert = super().result_processor(dialect, coltype)
        return None if convert is None else lru_cache(maxsize=_MOMENT_CACHE)(convert)


def moment(column: Any) -> Any:
    """`column` (a DateTime) read through `_Moment`, under its own name."""
    return type_coerce(column, _Moment()).label(column.name)


def id_slices(ids: Iterable[int]) -> list[list[int]]:
    """Distinct ids, sorted, in slices short enough for one IN list on any database."""
    ordered = sorted(set(ids))
    return [ordered[i : i + IN_LIST_MAX] for i in range(0, len(ordered), IN_LIST_MAX)]


def frame(conn: Connection, shape: Select[Any], queries: Sequence[Select[Any]]) -> pd.DataFrame:
    """The rows of the queries as one frame, with the columns of `shape`.

    Built from plain tuples: given SQLAlchemy rows, pandas probes each one for attributes,
    which costs more than reading them.
    """
    rows = [tuple(r) for query in queries for r in conn.execute(query)]
    return pd.DataFrame(rows, columns=list(shape.selected_columns.keys()))


def slices(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def insert_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Insert many rows (tuples in `columns` order) in one statement executed many times.

    On SQLite the driver's executemany takes the tuples (SQLAlchemy's own executemany
    would first make and process a dict per row, half the time of it all), after the
    column types' own conversions (a DateTime's, for one), once per distinct value.
    Elsewhere SQLAlchemy's executemany, which batches rows where the driver would
    otherwise make a round trip per row.
    """
    if not rows:
        return
    dialect = conn.dialect
    if dialect.name == "sqlite":
        compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
        if compiled.positiontup == list(columns):
            converters = [
                table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns
            ]
            for i, convert in enumerate(converters):
                if convert is not None:
                    converted = {v: convert(v) for v in {row[i] for row in rows}}
                    rows = [(*row[:i], converted[row[i]], *row[i + 1 :]) for row in rows]
            conn.exec_driver_sql(str(compiled), list(rows))
            return
    conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
