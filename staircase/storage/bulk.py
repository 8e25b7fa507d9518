"""Moving many rows at once: IN lists of any length, bulk inserts, frames from queries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

import pandas as pd
from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Select,
    Table,
    TypeDecorator,
    func,
    insert,
    select,
    type_coerce,
)
from sqlalchemy.exc import DBAPIError

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

    On PostgreSQL with psycopg 3 one COPY (`copy_rows`) streams them all: with SQLAlchemy's
    executemany (batches of INSERT ... VALUES) an import there took several times as long
    as on SQLite, with COPY about as long.

    On SQLite the driver's executemany takes the tuples (SQLAlchemy's own executemany
    would first make and process a dict per row, half the time of it all), after the
    column types' own conversions (a DateTime's, for one), once per distinct value.
    Elsewhere SQLAlchemy's executemany, which batches rows where the driver would
    otherwise make a round trip per row.
    """
    if not rows:
        return
    dialect = conn.dialect
    if copies(conn):
        copy_rows(conn, table, columns, rows)
        return
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


def copies(conn: Connection) -> bool:
    """Whether `copy_rows` can write to this connection's database (PostgreSQL, psycopg 3)."""
    return conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"


def next_ids(conn: Connection, column: Column[Any], count: int) -> list[int]:
    """`count` new values of a PostgreSQL serial column, in order, drawn in one query: ids
    for rows that `copy_rows` then writes (a COPY returns nothing)."""
    if count == 0:
        return []
    table = column.table
    assert isinstance(table, Table)
    name = table.name if table.schema is None else f"{table.schema}.{table.name}"
    sequence = func.pg_get_serial_sequence(name, column.name)
    drawn = conn.execute(select(func.nextval(sequence)).select_from(func.generate_series(1, count)))
    return sorted(drawn.scalars())


def copy_rows(
    conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write rows (tuples in `columns` order) into `table` with PostgreSQL's COPY FROM STDIN,
    in the connection's own transaction; return how many. PostgreSQL with psycopg 3 only.

    One statement streams every row: no round trip per row or batch, no parameters to plan.
    It is part of the transaction `conn` is in, so a later failure, or this one, rolls it
    back with everything else. Values go as the column types bind them (their bind
    processors, where a type has one, then psycopg's text dumpers: a naive datetime as a
    timestamp, None as NULL, tabs, line breaks and backslashes escaped). A value the
    database refuses (a NUL character, text longer than its column, a broken constraint)
    raises SQLAlchemy's DataError or IntegrityError, as the same row INSERTed would.
    """
    dialect = conn.dialect
    quote = dialect.identifier_preparer
    statement = (
        f"COPY {quote.format_table(table)} ({', '.join(quote.quote(c) for c in columns)}) "
        "FROM STDIN"
    )
    converters = [
        (i, convert)
        for i, c in enumerate(columns)
        if (convert := table.c[c].type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    driver = conn.connection.driver_connection
    assert driver is not None, "an open connection has a driver connection"
    count = 0
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            write = copy.write_row
            for row in rows:
                if converters:
                    values = list(row)
                    for i, convert in converters:
                        values[i] = convert(values[i])
                    row = values
                write(row)
                count += 1
    except dialect.loaded_dbapi.Error as exc:
        # As SQLAlchemy itself raises a driver's error: IntegrityError, DataError, ...
        raise DBAPIError.instance(
            statement, None, exc, dialect.loaded_dbapi.Error, dialect=dialect
        ) from exc
    return count
