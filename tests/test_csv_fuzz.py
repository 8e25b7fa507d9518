"""Fuzzing the CSV import (issue #5, "bad input"): whatever the bytes, `import_csv` either
imports the whole file or raises ValidationError naming rows and columns. Never another
exception, never a partial write.

The inputs:

- random bytes, and byte soup made of CSV's own characters (`test_random_bytes…`);
- structurally valid files (`documents`: 1-3 snapshots with tricky unit names, notes with
  quotes, line breaks, delimiters, formula characters and HTML/Markdown payloads) changed by
  mutations that keep them valid (`BENIGN`: reordered, extra, re-spelt or dropped optional
  columns, UTF-8 with BOM, UTF-16, semicolons, CR or CRLF line ends, blank lines, shuffled
  rows, statuses and dates in other accepted spellings, a snapshot already stored …): the
  import must succeed and the database then holds exactly the snapshots of the file;
- the same plus exactly one breaking mutation (`BREAKING`: missing or duplicated columns,
  impossible, malformed and future dates, unknown ids and statuses, duplicate and
  conflicting rows, huge fields, wrong encodings, short rows, stray quotes, a conflict with a
  stored snapshot …): the import must be rejected with a problem naming exactly the row
  (the line the record starts on, header = 1) and column of the damage;
- any stack of mutations plus byte-level damage: either outcome, each checked.

"Nothing written" is checked on the database FILE, byte for byte: each example works on a
copy of a seeded SQLite database; before and after the import the WAL is checkpointed
(`PRAGMA wal_checkpoint(TRUNCATE)`: every committed page is in the main file, the WAL is
empty) and the main file hashed. A rolled-back transaction never reaches the main file, so
the hashes are equal; any commit, even one undone by a later delete, changes them. That is
stricter than comparing `iterdump()` (which would miss a write that was undone by a second
write) and cheaper on each example.

Run `python -m pytest tests/test_csv_fuzz.py --hypothesis-show-statistics` to see how many
examples each property ran.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import re
import shutil
import sqlite3
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from sqlalchemy import select

from staircase import i18n
from staircase.csv import checks
from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import Problem, SnapshotEntry, Status, ValidationError
from staircase.domain.moments import now
from staircase.domain.records import SnapshotRecord
from staircase.services import Actor, Lartrappan
from staircase.storage.schema import snapshot, snapshot_practice

CATALOGUE = load_catalogue()
SHIPPED = {p.id: p.step for p in CATALOGUE.practices}
STOCKHOLM = ZoneInfo("Europe/Stockholm")

# The documented format (README), written out here rather than taken from staircase.csv.
COLUMNS = (
    "unit_path",
    "taken_at",
    "saved_by",
    "comment",
    "catalogue_version",
    "step",
    "practice_id",
    "practice_title",
    "status",
    "note",
)
REQUIRED = ("unit_path", "taken_at", "practice_id", "status")
OPTIONAL = tuple(c for c in COLUMNS if c not in REQUIRED)
ESCAPED = ("unit_path", "saved_by", "comment", "practice_title", "note")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# What the seeded database holds before every example.
SEED_PATH = ("Norrby kommun", "Vård och omsorg", "Hemtjänst Norr")
SEED_AT = datetime(2024, 5, 6, 7, 8, 9)
ARCHIVED = "Arkiv"
KNOWN_CUSTOM = ("custom-fika", 2)
NEW_CUSTOM = ("custom-ny-praktik", 3)
NEW_TITLE = "=Ny praktik <b>fet</b> [x](javascript:alert(1))"

PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![](http://example.invalid/p.png)",
    '=HYPERLINK("http://example.invalid","klicka")',
    "=1+1",
    "+46 70 123 45 67",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "'=x",
    "''",
    "'",
)

# Problems that concern the whole file and so have no row; all others name one.
FILE_LEVEL = {"csv.empty", "csv.encoding_unsupported", "csv.too_large", "csv.more_problems"}
# Problems about a whole line or record, or the header: a row but no single column.
NO_COLUMN = {
    "csv.no_rows",
    "csv.not_utf8",
    "csv.not_utf16",
    "csv.binary",
    "csv.unclosed_quote",
    "csv.field_far_too_long",
    "csv.malformed",
    "csv.missing_columns",
    "csv.field_count",
    "csv.snapshot_incomplete",
    "import.conflict",
}


# ---------------------------------------------------------------------------- the database


def key_of(path: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """How the app matches unit names: trimmed, NFC, case-insensitive."""
    return tuple(unicodedata.normalize("NFC", n.strip()).casefold() for n in path)


@dataclass
class Snap:
    """A snapshot as the test means it: what the database must hold after importing it."""

    path: tuple[str, ...]
    taken_at: datetime
    saved_by: str
    comment: str
    entries: dict[str, tuple[int, str, str]]
    """practice id → (step, status code, note)."""
    is_seed: bool = False

    @property
    def key(self) -> tuple[tuple[str, ...], datetime]:
        return key_of(self.path), self.taken_at

    def content(self) -> tuple[Any, ...]:
        return (self.saved_by, self.comment, 1, frozenset((p, *e) for p, e in self.entries.items()))


SEED = Snap(
    SEED_PATH,
    SEED_AT,
    "Karin Ek",
    "Första, på APT",
    {
        **{pid: (step, "done", "") for pid, step in SHIPPED.items()},
        "s2-performance": (2, "not_applicable", "Sköts av regionen"),
        KNOWN_CUSTOM[0]: (KNOWN_CUSTOM[1], "in_progress", "=fika varje fredag"),
    },
    is_seed=True,
)


def db_snapshots(store: Lartrappan) -> dict[tuple[tuple[str, ...], datetime], tuple[Any, ...]]:
    """Every stored snapshot: (unit key, moment) → (saved_by, comment, version, entries)."""
    tree = store.units.tree()
    with store.db.engine.connect() as conn:
        entries: dict[int, set[tuple[str, int, str, str]]] = {}
        for r in conn.execute(select(snapshot_practice)):
            entries.setdefault(r.snapshot_id, set()).add((r.practice_id, r.step, r.status, r.note))
        return {
            (key_of(tree.path(s.unit_id)), s.taken_at): (
                s.saved_by,
                s.comment,
                s.catalogue_version,
                frozenset(entries.get(s.id, ())),
            )
            for s in conn.execute(select(snapshot))
        }


def seed(store: Lartrappan) -> None:
    store.practices.add(Actor(""), KNOWN_CUSTOM[1], "Fika", dimensions=["people"])
    root = store.units.create(Actor(""), SEED_PATH[0])
    store.units.create(Actor(""), "Skola", root.id)
    archived = store.units.create(Actor(""), ARCHIVED)
    store.units.create(Actor(""), "Gammal enhet", archived.id)
    store.units.set_archived(Actor(""), archived.id, True)
    store.transfer.import_records(
        Actor(""),
        [
            SnapshotRecord(
                unit_path=SEED.path,
                taken_at=SEED.taken_at,
                saved_by=SEED.saved_by,
                comment=SEED.comment,
                catalogue_version=1,
                entries=tuple(
                    SnapshotEntry(pid, step, Status(status), text)
                    for pid, (step, status, text) in SEED.entries.items()
                ),
                rows=(1,),
                new_practice_titles={},
            )
        ],
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded database file, checkpointed and closed: every example starts from a copy."""
    path = tmp_path_factory.mktemp("fuzz") / "template.db"
    store = Lartrappan(f"sqlite:///{path}")
    seed(store)
    fingerprint(path)
    store.close()
    assert db_snapshots_of(path) == {SEED.key: SEED.content()}
    return path


def db_snapshots_of(path: Path) -> dict[Any, Any]:
    store = Lartrappan(f"sqlite:///{path}")
    try:
        return db_snapshots(store)
    finally:
        store.close()


@contextmanager
def copy_of(template: Path) -> Iterator[tuple[Lartrappan, Path]]:
    """A fresh store on a copy of the template, in a directory of its own (one per example:
    hypothesis runs many examples in one call of the test function)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "db.sqlite"
        shutil.copyfile(template, path)
        store = Lartrappan(f"sqlite:///{path}")
        try:
            yield store, path
        finally:
            store.close()


def fingerprint(path: Path) -> str:
    """SHA-256 of the main database file after moving every committed page into it."""
    con = sqlite3.connect(path)
    try:
        busy, _, _ = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        con.close()
    assert busy == 0, "the checkpoint could not finish: a connection is still writing"
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    return hashlib.sha256(path.read_bytes()).hexdigest()


def attempt(store: Lartrappan, path: Path, data: bytes) -> Any:
    """Import `data`: the ImportResult, or the problems of a rejection (checked: named rows
    and columns, texts in both languages, the database file unchanged). Anything else that
    import_csv raises propagates and fails the test."""
    before = fingerprint(path)
    try:
        result = store.transfer.import_csv(Actor(""), data)
    except ValidationError as error:
        assert fingerprint(path) == before, "a rejected import changed the database file"
        check_problems(error.problems, data)
        return error.problems
    return result


def check_problems(problems: list[Problem], data: bytes) -> None:
    assert problems, "a ValidationError without problems"
    last_line = data.count(b"\n") + data.count(b"\r") + 1
    for p in problems:
        assert isinstance(p, Problem), p
        for lang in ("sv", "en"):
            assert i18n.problem_text(p, lang).strip()
        if p.key in FILE_LEVEL:
            continue
        assert isinstance(p.row, int) and 1 <= p.row <= last_line, ("no usable row", p)
        if p.key not in NO_COLUMN:
            assert p.column, ("no column", p)


# ---------------------------------------------------------------------------- text strategies

_NAME_ALPHABET = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZåäöÅÄÖéüßİ漢🙂0123456789"
    " =+-@'\"!#$%&()*,./:;<?[\\]^_`{|}~"
)
_TEXT_ALPHABET = _NAME_ALPHABET + ">\n\r\t\u2028\u2029\ufeff\u200b"
"""What a note or comment may hold: tabs and line breaks, but no other control characters
(Python's own line breaks among them, such as U+000B, U+001C and U+0085: see CONTROLS)."""
CONTROLS = "\x01\x07\x08\x0b\x0c\x1b\x1c\x1e\x1f\x7f\x85\x9f"
"""Control characters refused in any text (NUL aside: it makes the file binary)."""


def _clean_name(name: str) -> str:
    return name.strip()


unit_names = (
    st.one_of(
        st.text(st.sampled_from(_NAME_ALPHABET), min_size=1, max_size=16),
        st.sampled_from(
            [
                "Norrby kommun",
                "NORRBY KOMMUN",
                "vård och omsorg",
                "Skola",
                "Hemtjänst Norr",
                "<img src=x onerror=alert(1)",
                "[x](javascript:alert(1))",
                "![](http://example.invalid/p.png)",
                "=SUM(A1)",
                "+46",
                "-1",
                "@x",
                "'=x",
                "Straße",
                "STRASSE",
                "Skola Å",
                "skola a\u030a",  # the same name, as macOS writes it (decomposed)
            ]
        ),
    )
    .map(_clean_name)
    .filter(bool)
)
unit_paths = (
    st.lists(unit_names, min_size=1, max_size=3)
    .map(tuple)
    .filter(lambda p: key_of(p)[0] != ARCHIVED.casefold())
)
texts = st.one_of(
    st.just(""),
    st.sampled_from(PAYLOADS),
    st.text(st.sampled_from(_TEXT_ALPHABET), max_size=24),
)
names = st.one_of(  # saved_by: no control characters at all, so no tab or CR
    st.just(""),
    st.sampled_from([p for p in PAYLOADS if p[:1] not in "\t\r"]),
    st.text(st.sampled_from(_NAME_ALPHABET)),
)
moments = st.builds(
    lambda day, seconds, whole: (
        datetime(2000, 1, 1)
        + timedelta(days=day, seconds=(seconds // 60) * 60 if whole else seconds)
    ),
    st.integers(0, 9_400),  # up to 2025-09
    st.integers(0, 86_399),
    st.booleans(),
) | st.builds(lambda day: datetime(2000, 1, 1) + timedelta(days=day), st.integers(0, 9_400))


@st.composite
def snaps(draw: Any, path: tuple[str, ...], taken_at: datetime) -> Snap:
    entries: dict[str, tuple[int, str, str]] = {}
    extras = draw(st.sets(st.sampled_from([KNOWN_CUSTOM, NEW_CUSTOM]), max_size=2))
    for pid, step in [*SHIPPED.items(), *sorted(extras)]:
        status = draw(st.sampled_from([s.value for s in Status]))
        text = draw(texts)
        if status == "not_applicable" and not text.strip():
            text = "Motivering: " + text
        entries[pid] = (step, status, text)
    saved_by = draw(names)[:80]
    comment = draw(texts)
    return Snap(path, taken_at, saved_by, comment, entries)


# ---------------------------------------------------------------------------- documents


@dataclass(eq=False)
class Row:
    """One record of the file. `cells` hold values as meant (escaping happens on writing)."""

    snap: Snap | None
    cells: dict[str, str]
    extra: dict[str, str] = field(default_factory=dict)
    trailing: list[str] = field(default_factory=list)
    drop_last: int = 0
    raw: str | None = None
    """Written as is instead of the cells (a deliberately malformed line), without newline."""


@dataclass
class Doc:
    snaps: list[Snap]
    rows: list[Row]
    header: list[str] = field(default_factory=lambda: list(COLUMNS))
    spelling: dict[str, str] = field(default_factory=dict)
    """How a header key is written (default: the key itself)."""
    delimiter: str = ","
    newline: str = "\n"
    encoding: str = "utf-8"
    quote_all: bool = False
    blanks: dict[int, list[str]] = field(default_factory=dict)
    """Record index (0 = the header) → blank lines written before it."""
    new_title: str = NEW_TITLE
    expect: Callable[[Rendered], tuple[set[str], int | None, str | None]] | None = None
    """The breaking mutation's problem: (allowed keys, row or None for 'any', column)."""
    label: str = ""

    def has(self, column: str) -> bool:
        return column in self.header

    def rows_of(self, s: Snap) -> list[Row]:
        return [r for r in self.rows if r.snap is s]


def rows_for(s: Snap, title: str = NEW_TITLE) -> list[Row]:
    return [
        Row(
            s,
            {
                "unit_path": " > ".join(s.path),
                "taken_at": s.taken_at.strftime("%Y-%m-%dT%H:%M:%S"),
                "saved_by": s.saved_by,
                "comment": s.comment,
                "catalogue_version": "1",
                "step": str(step),
                "practice_id": pid,
                "practice_title": title if pid == NEW_CUSTOM[0] else PAYLOADS[len(pid) % 6],
                "status": status,
                "note": text,
            },
        )
        for pid, (step, status, text) in s.entries.items()
    ]


@st.composite
def documents(draw: Any) -> Doc:
    paths = draw(st.lists(unit_paths, min_size=1, max_size=3, unique_by=key_of))
    taken = [draw(moments.filter(lambda m: m != SEED_AT)) for _ in paths]
    found = [draw(snaps(p, m)) for p, m in zip(paths, taken, strict=True)]
    return Doc(found, [row for s in found for row in rows_for(s)])


@dataclass
class Rendered:
    text: str
    data: bytes
    header_line: int
    starts: dict[int, int]
    positions: dict[str, int]

    def line(self, row: Row) -> int:
        return self.starts[id(row)]


_BREAK = re.compile(r"\r\n|\r|\n")


def breaks(text: str) -> int:
    """Line breaks as the csv module counts them (CRLF, CR and LF each end a line)."""
    return len(_BREAK.findall(text))


def escape(value: str) -> str:
    """OWASP's advice, as the README states it: a leading ' before a formula-looking text
    (and before a text that already starts with ' and one of those, or another ')."""
    if value[:1] in FORMULA_START or (value[:1] == "'" and value[1:2] in (*FORMULA_START, "'")):
        return "'" + value
    return value


def render(doc: Doc) -> Rendered:
    def field_text(value: str) -> str:
        if doc.quote_all or any(c in value for c in (doc.delimiter, '"', "\r", "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value

    def record(values: list[str]) -> str:
        return doc.delimiter.join(field_text(v) for v in values) + doc.newline

    parts: list[str] = []
    line = 1
    starts: dict[int, int] = {}

    def emit(text: str) -> None:
        nonlocal line
        parts.append(text)
        line += breaks(text)

    for blank in doc.blanks.get(0, []):
        emit(blank.format(d=doc.delimiter) + doc.newline)
    header_line = line
    emit(record([doc.spelling.get(k, k) for k in doc.header]))
    for index, row in enumerate(doc.rows, 1):
        for blank in doc.blanks.get(index, []):
            emit(blank.format(d=doc.delimiter) + doc.newline)
        starts[id(row)] = line
        if row.raw is not None:
            emit(row.raw + doc.newline)
            continue
        values = []
        for k in doc.header:
            base = k.split("#")[0]  # 'note#2': a duplicated column
            value = row.extra.get(k, "") if k.startswith("extra") else row.cells.get(base, "")
            if base == "unit_path":  # trimmed before the escape is removed: names are trimmed
                lead = len(value) - len(value.lstrip())
                value = value[:lead] + escape(value[lead:])
            elif base in ESCAPED:
                value = escape(value)
            values.append(value)
        values = values[: len(values) - row.drop_last] + row.trailing
        emit(record(values))
    for blank in doc.blanks.get(len(doc.rows) + 1, []):
        emit(blank.format(d=doc.delimiter) + doc.newline)
    text = "".join(parts)
    return Rendered(
        text,
        encode(text, doc.encoding),
        header_line,
        starts,
        {k: i for i, k in enumerate(doc.header, 1)},
    )


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if encoding == "utf-16-le-bom":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    if encoding in ("latin-1", "cp1252"):
        return text.encode(encoding, errors="replace")
    return text.encode(encoding)  # utf-8, utf-16-le (no BOM), utf-32 (with BOM)


# ---------------------------------------------------------------------------- benign mutations
# Each takes hypothesis' `draw` and the document, and keeps the file valid: the database must
# afterwards hold exactly doc.snaps (updated where a mutation changes what is meant).

Draw = Callable[..., Any]


def reorder_columns(draw: Draw, doc: Doc) -> None:
    doc.header = list(draw(st.permutations(doc.header)))


def extra_column(draw: Draw, doc: Doc) -> str:
    name = f"extra{len(doc.header)}"
    spelt = draw(st.sampled_from(["Kommentar 2", "Övrigt", "", "X", "notes", "unit path 2", "id"]))
    doc.header.insert(draw(st.integers(0, len(doc.header))), name)
    doc.spelling[name] = spelt
    for row in doc.rows:
        row.extra[name] = draw(texts)
    return name


def header_spelling(draw: Draw, doc: Doc) -> None:
    for k in doc.header:
        if k in COLUMNS:
            doc.spelling[k] = draw(
                st.sampled_from(
                    [
                        k,
                        k.upper(),
                        k.title(),
                        k.replace("_", " "),
                        k.replace("_", "-").upper(),
                        f"  {k} ",
                    ]
                )
            )


def drop_optional_column(draw: Draw, doc: Doc) -> None:
    with_seed = any(s.is_seed for s in doc.snaps)
    candidates = [c for c in ("catalogue_version", "practice_title") if doc.has(c)]
    if not with_seed:
        candidates += [c for c in ("saved_by", "comment") if doc.has(c)]
        if doc.has("note") and not any(
            e[1] == "not_applicable" for s in doc.snaps for e in s.entries.values()
        ):
            candidates.append("note")
    if doc.has("step") and not any(NEW_CUSTOM[0] in s.entries for s in doc.snaps):
        candidates.append("step")
    if not candidates:
        return
    column = draw(st.sampled_from(candidates))
    doc.header.remove(column)
    for s in doc.snaps:
        if column == "saved_by":
            s.saved_by = ""
        elif column == "comment":
            s.comment = ""
        elif column == "note":
            s.entries = {p: (step, status, "") for p, (step, status, _) in s.entries.items()}
    if column == "practice_title":
        doc.new_title = NEW_CUSTOM[0]  # a new own practice is then named by its id


def status_spelling(draw: Draw, doc: Doc) -> None:
    for row in doc.rows:
        meant = row.snap.entries.get(_pid(row)) if row.snap is not None else None
        if meant is not None and draw(st.booleans()):
            code = meant[1]
            sv = i18n.t(f"status.{code}", "sv")
            en = i18n.t(f"status.{code}", "en")
            row.cells["status"] = draw(
                st.sampled_from(
                    [
                        code.upper(),
                        code.replace("_", " "),
                        code.replace("_", "-").title(),
                        sv,
                        sv.upper(),
                        sv.lower(),
                        en,
                        en.upper(),
                        "  " + en.lower().replace(" ", "   ") + " ",
                    ]
                )
            )


def _local(moment: datetime, offset: timedelta) -> str | None:
    """`moment` (Stockholm) written with a UTC offset, if that reads back as the same moment."""
    aware = moment.replace(tzinfo=STOCKHOLM)
    if aware.astimezone(UTC).astimezone(STOCKHOLM).replace(tzinfo=None) != moment:
        return None  # a time that does not exist, or exists twice, when the clocks change
    shifted = aware.astimezone(timezone(offset))
    suffix = "Z" if not offset else shifted.strftime("%z")
    suffix = suffix if suffix == "Z" else f"{suffix[:3]}:{suffix[3:]}"
    return shifted.strftime("%Y-%m-%dT%H:%M:%S") + suffix


def date_spelling(draw: Draw, doc: Doc) -> None:
    for row in doc.rows:
        if row.snap is None or not draw(st.booleans()):
            continue
        m = row.snap.taken_at
        options = [
            m.strftime("%Y-%m-%d %H:%M:%S"),
            m.strftime("%Y-%m-%dt%H:%M:%S"),
            " " + m.strftime("%Y-%m-%dT%H:%M:%S") + " ",
        ]
        if m.second == 0:
            options += [m.strftime("%Y-%m-%d %H:%M"), m.strftime("%Y-%m-%dT%H:%M")]
        if m.time() == datetime.min.time():
            options.append(m.strftime("%Y-%m-%d"))
        for offset in (timedelta(0), timedelta(hours=-5), timedelta(hours=5, minutes=30)):
            written = _local(m, offset)
            if written:
                options += [written, written.lower()]
        row.cells["taken_at"] = draw(st.sampled_from(options))


def semicolons(draw: Draw, doc: Doc) -> None:
    doc.delimiter = ";"


def line_ends(draw: Draw, doc: Doc) -> None:
    doc.newline = draw(st.sampled_from(["\r\n", "\r"]))


def blank_lines(draw: Draw, doc: Doc) -> None:
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(doc.rows) + 1))
        doc.blanks.setdefault(where, []).append(
            draw(st.sampled_from(["", " ", "\t", "{d}{d}{d}", " {d}"]))  # {d}: the delimiter
        )


def shuffle_rows(draw: Draw, doc: Doc) -> None:
    doc.rows = list(draw(st.permutations(doc.rows)))


def quote_everything(draw: Draw, doc: Doc) -> None:
    doc.quote_all = True


def good_encoding(draw: Draw, doc: Doc) -> None:
    doc.encoding = draw(st.sampled_from(["utf-8-sig", "utf-16-le-bom", "utf-16-be-bom"]))


def padded_cells(draw: Draw, doc: Doc) -> None:
    for row in doc.rows:
        if row.snap is None or not draw(st.booleans()):
            continue
        row.cells["unit_path"] = draw(
            st.sampled_from(
                [
                    ">".join(row.snap.path),
                    "  " + "  >  ".join(row.snap.path) + "  ",
                    " > ".join(n.upper() if draw(st.booleans()) else n for n in row.snap.path),
                ]
            )
        )
        row.cells["practice_id"] = draw(
            st.sampled_from([row.cells["practice_id"].upper(), f" {row.cells['practice_id']} "])
        )
        row.cells["status"] = f" {row.cells['status']}\t"
        row.cells["catalogue_version"] = draw(st.sampled_from(["", "1", "01", " 1 "]))
        if row.cells["practice_id"].strip().lower() in SHIPPED:
            row.cells["step"] = draw(
                st.sampled_from(["", row.cells["step"], f" {row.cells['step']}"])
            )


def trailing_empty_fields(draw: Draw, doc: Doc) -> None:
    for row in doc.rows:
        if draw(st.booleans()):
            row.trailing = draw(st.sampled_from([[""], ["", ""], [" "], ["", "\t"]]))


def stored_snapshot_again(draw: Draw, doc: Doc) -> None:
    """The seeded snapshot, identical: skipped, not a conflict."""
    if any(s.is_seed for s in doc.snaps) or any(
        not doc.has(c) for c in ("saved_by", "comment", "note")
    ):
        return
    doc.snaps.append(SEED)
    rows = rows_for(SEED)
    for row in rows:
        row.cells["unit_path"] = " > ".join(n.lower() for n in SEED.path)
    at = draw(st.integers(0, len(doc.rows)))
    doc.rows[at:at] = rows


BENIGN: list[Callable[[Draw, Doc], None]] = [
    reorder_columns,
    extra_column,
    header_spelling,
    drop_optional_column,
    status_spelling,
    date_spelling,
    semicolons,
    line_ends,
    blank_lines,
    shuffle_rows,
    quote_everything,
    good_encoding,
    padded_cells,
    trailing_empty_fields,
    stored_snapshot_again,
]


# ---------------------------------------------------------------------------- breaking mutations
# Each breaks the file in one place and says which problem must name it.


def _pick_row(draw: Draw, doc: Doc) -> Row:
    return draw(st.sampled_from([r for r in doc.rows if r.snap is not None and r.raw is None]))


def _expect(keys: set[str], row: Row | None, column: str | None) -> Callable[..., Any]:
    return lambda r: (keys, r.line(row) if row is not None else None, column)


def missing_required(draw: Draw, doc: Doc) -> None:
    present = [c for c in REQUIRED if doc.has(c)]
    if present:
        doc.header.remove(draw(st.sampled_from(present)))
    doc.expect = lambda r: ({"csv.missing_columns"}, r.header_line, None)


def duplicated_column(draw: Draw, doc: Doc) -> None:
    known = [k for k in doc.header if k in COLUMNS]
    if not known:
        return missing_required(draw, doc)
    column = draw(st.sampled_from(known))
    twin = f"{column}#2"
    doc.header.insert(draw(st.integers(0, len(doc.header))), twin)
    doc.spelling[twin] = column.upper()
    doc.expect = lambda r: ({"csv.duplicate_column"}, r.header_line, column)


IMPOSSIBLE_DATES = [
    "2026-02-30",
    "2025-02-29",
    "2024-13-01",
    "2024-00-10",
    "2024-04-31T10:00:00",
    "2024-01-01T24:00",
    "2024-01-01 23:60",
    "2024-01-01T10:00:61",
    "0000-01-01",
]
MALFORMED_DATES = [
    "04/03/2025",
    "2025-3-4",
    "4 mars 2025",
    "20250304",
    "2025-03-04T10",
    "igår",
    "2025-03-04T10:15:00.123",
    "2025/03/04",
    "2025-03-04T10:15:00+0100",
    "٢٠٢٥-٠٣-٠٤",
    "2025-03-04 kl 10",
]


def bad_date(draw: Draw, doc: Doc) -> None:
    row = _pick_row(draw, doc)
    kind = draw(st.sampled_from(["impossible", "format", "future"]))
    if kind == "impossible":
        row.cells["taken_at"] = draw(st.sampled_from(IMPOSSIBLE_DATES))
        key = "csv.date_impossible"
    elif kind == "format":
        row.cells["taken_at"] = draw(st.sampled_from(MALFORMED_DATES))
        key = "csv.date_format"
    else:
        later = now() + timedelta(days=draw(st.integers(1, 4000)))
        row.cells["taken_at"] = draw(
            st.sampled_from([later.strftime("%Y-%m-%dT%H:%M:%S"), later.strftime("%Y-%m-%d")])
        )
        key = "csv.date_future"
    doc.expect = _expect({key}, row, "taken_at")


def unknown_practice(draw: Draw, doc: Doc) -> None:
    row = _pick_row(draw, doc)
    row.cells["practice_id"] = draw(
        st.sampled_from(
            [
                "s1-goal-linkd",
                "s4-anything",
                "goal-linked",
                "1",
                "s1_goal_linked",
                "custom-Ö",
                "egen praktik",
                "<img src=x>",
                "S9-X",
            ]
        )
    )
    doc.expect = _expect(
        {"csv.practice_unknown", "csv.practice_unknown_suggest"}, row, "practice_id"
    )


def unknown_status(draw: Draw, doc: Doc) -> None:
    row = _pick_row(draw, doc)
    row.cells["status"] = draw(
        st.sampled_from(
            [
                "fertig",
                "hecho",
                "terminé",
                "klar",
                "ja",
                "1",
                "✓",
                "done!",
                "Färdig",
                "not started yet",
                "på väg!",
                "In Arbeit",
                "<b>done</b>",
            ]
        )
    )
    doc.expect = _expect({"csv.status_unknown"}, row, "status")


def na_without_note(draw: Draw, doc: Doc) -> None:
    row = _pick_row(draw, doc)
    row.cells["status"] = draw(st.sampled_from(["not_applicable", "Ej aktuellt", "NOT APPLICABLE"]))
    row.cells["note"] = draw(st.sampled_from(["", "   ", "\n", "\t"]))
    doc.expect = _expect({"csv.na_needs_note"}, row, "note")


def duplicate_row(draw: Draw, doc: Doc) -> None:
    """The same practice twice in a snapshot: an exact copy, or one with another status."""
    row = _pick_row(draw, doc)
    twin = copy.deepcopy(row)
    twin.snap = row.snap
    if draw(st.booleans()):
        twin.cells["status"] = (
            "done" if row.cells["status"].strip().lower() != "done" else "in_progress"
        )
        twin.cells["note"] = "annan anteckning"
    at = draw(st.integers(doc.rows.index(row) + 1, len(doc.rows)))
    doc.rows.insert(at, twin)
    doc.expect = _expect({"csv.duplicate_practice"}, twin, "practice_id")


def disagreeing_row(draw: Draw, doc: Doc) -> None:
    """One row of a snapshot with another saved_by or comment than its first row."""
    columns = [c for c in ("saved_by", "comment") if doc.has(c)]
    if not columns:
        return duplicate_row(draw, doc)
    column = draw(st.sampled_from(columns))
    s = draw(st.sampled_from(doc.snaps))
    row = doc.rows_of(s)[-1]
    current = row.cells[column]
    changed = current + "x" if len(current) < 60 and draw(st.booleans()) else "Någon annan"
    row.cells[column] = changed if changed != current else "Någon tredje"
    doc.expect = _expect({"csv.snapshot_disagrees"}, row, column)


def huge_field(draw: Draw, doc: Doc) -> None:
    row = _pick_row(draw, doc)
    size = draw(st.integers(checks.MAX_FIELD_CHARS + 1, 40_000))
    column = draw(st.sampled_from([c for c in (*ESCAPED, "extra") if c == "extra" or doc.has(c)]))
    if column == "extra":
        name = extra_column(draw, doc)
        row.extra[name] = "x" * size
        doc.expect = lambda r: ({"csv.field_too_long"}, r.line(row), str(r.positions[name]))
        return
    row.cells[column] = "ö" * size
    doc.expect = _expect({"csv.field_too_long"}, row, column)


def far_too_long_field(draw: Draw, doc: Doc) -> None:
    """A field longer than the csv module's own limit (131,072 characters)."""
    row = _pick_row(draw, doc)
    column = draw(st.sampled_from([c for c in ("note", "comment") if doc.has(c)] or ["unit_path"]))
    row.cells[column] = "y" * draw(st.integers(131_073, 200_000))
    doc.expect = _expect({"csv.field_far_too_long"}, row, None)


def long_text(draw: Draw, doc: Doc) -> None:
    row = _pick_row(draw, doc)
    columns = [c for c in ("note", "comment", "saved_by") if doc.has(c)]
    if not columns:
        return bad_date(draw, doc)
    column = draw(st.sampled_from(columns))
    limit = 80 if column == "saved_by" else 2000
    row.cells[column] = "å" * draw(st.integers(limit + 1, min(checks.MAX_FIELD_CHARS, limit * 3)))
    doc.expect = _expect({f"csv.{column}_too_long"}, row, column)


def control_character(draw: Draw, doc: Doc) -> None:
    """A control character in a note or comment (where only tabs and line breaks may be),
    or in saved_by (where none may be), as the core refuses them."""
    columns = [c for c in ("note", "comment", "saved_by") if doc.has(c)]
    if not columns:
        return bad_unit_path(draw, doc)
    column = draw(st.sampled_from(columns))
    row = _pick_row(draw, doc)
    refused = CONTROLS + "\t\r\n" if column == "saved_by" else CONTROLS
    current = row.cells[column]
    at = draw(st.integers(0, len(current)))
    row.cells[column] = current[:at] + draw(st.sampled_from(refused)) + current[at:]
    doc.expect = _expect({"csv.control_char"}, row, column)


def short_or_long_row(draw: Draw, doc: Doc) -> None:
    row = _pick_row(draw, doc)
    if draw(st.booleans()):
        # Keep a non-blank field: a line of blank fields is skipped as an empty line.
        values = [row.cells.get(k.split("#")[0], "") for k in doc.header]
        first = next(i for i, v in enumerate(values) if v.strip())
        row.drop_last = draw(st.integers(1, len(doc.header) - 1 - first))
        row.trailing = []
    else:
        row.trailing = ["", draw(st.sampled_from(["x", "done", "=1+1"]))]
    doc.expect = _expect({"csv.field_count"}, row, None)


def stray_quote(draw: Draw, doc: Doc) -> None:
    """A quote that is never closed (a last line), or text after a closing quote."""
    row = Row(None, {})
    if draw(st.booleans()):
        row.raw = '"Norrby kommun' + doc.delimiter + "2020-01-01" + doc.delimiter + "s1-goal-linked"
        doc.rows.append(row)
        doc.expect = _expect({"csv.unclosed_quote"}, row, None)
    else:
        row.raw = '"Norrby kommun"x' + doc.delimiter + "2020-01-01"
        doc.rows.insert(draw(st.integers(0, len(doc.rows))), row)
        doc.expect = _expect({"csv.malformed"}, row, None)


def bad_unit_path(draw: Draw, doc: Doc) -> None:
    row = _pick_row(draw, doc)
    path, key = draw(
        st.sampled_from(
            [
                ("A >  > B", "csv.unit_path_empty_level"),
                ("A >", "csv.unit_path_empty_level"),
                ("> A", "csv.unit_path_empty_level"),
                ("A > " + "x" * 81, "csv.unit_name_too_long"),
                ("A > Rad\x07ett", "csv.unit_name_control_char"),
                ("A\tB", "csv.unit_name_control_char"),
                ("A > B\nC", "csv.unit_name_control_char"),
                ("   ", "csv.required_empty"),
            ]
        )
    )
    row.cells["unit_path"] = path
    doc.expect = _expect({key}, row, "unit_path")


def _pid(row: Row) -> str:
    return row.cells.get("practice_id", "").strip().lower()


def bad_step(draw: Draw, doc: Doc) -> None:
    if "step" not in doc.header:
        doc.header.append("step")
    row = draw(st.sampled_from([r for r in doc.rows if _pid(r) in SHIPPED]))
    right = SHIPPED[_pid(row)]
    if draw(st.booleans()):
        row.cells["step"] = str(draw(st.sampled_from([s for s in (1, 2, 3) if s != right])))
        doc.expect = _expect({"csv.step_mismatch"}, row, "step")
    else:
        row.cells["step"] = draw(st.sampled_from(["4", "0", "x", "1.0", "-1", "²"]))
        doc.expect = _expect({"csv.step_invalid"}, row, "step")


def bad_version(draw: Draw, doc: Doc) -> None:
    if "catalogue_version" not in doc.header:
        doc.header.append("catalogue_version")
    row = _pick_row(draw, doc)
    value, key = draw(
        st.sampled_from(
            [
                ("0", "csv.version_invalid"),
                ("x", "csv.version_invalid"),
                ("-1", "csv.version_invalid"),
                ("1.0", "csv.version_invalid"),
                ("2", "csv.version_too_new"),
                ("999999999", "csv.version_too_new"),
            ]
        )
    )
    row.cells["catalogue_version"] = value
    doc.expect = _expect({key}, row, "catalogue_version")


def empty_required(draw: Draw, doc: Doc) -> None:
    row = _pick_row(draw, doc)
    column = draw(st.sampled_from(REQUIRED))
    # (A tab would be written as "'\t" in a text column: a value, not a blank.)
    row.cells[column] = draw(st.sampled_from(["", " ", "  "] if column in ESCAPED else ["", "\t"]))
    doc.expect = _expect({"csv.required_empty"}, row, column)


def own_practice_without_step(draw: Draw, doc: Doc) -> None:
    if "step" not in doc.header:
        doc.header.append("step")
    s = draw(st.sampled_from(doc.snaps))
    row = Row(s, dict(doc.rows_of(s)[0].cells, practice_id="custom-utan-steg", step=""))
    doc.rows.insert(doc.rows.index(doc.rows_of(s)[-1]) + 1, row)
    doc.expect = _expect({"csv.step_required"}, row, "step")


def wrong_encoding(draw: Draw, doc: Doc) -> None:
    kind = draw(st.sampled_from(["latin-1", "cp1252", "utf-16-le", "utf-32", "nul"]))
    if kind in ("latin-1", "cp1252"):
        doc.encoding = kind
        s = draw(st.sampled_from(doc.snaps))
        for row in doc.rows_of(s):  # a Swedish name makes sure there is a non-ASCII byte
            row.cells["unit_path"] = "Örebro > " + row.cells["unit_path"]

        def at_first_bad_byte(r: Rendered) -> tuple[set[str], int | None, str | None]:
            try:
                r.data.decode("utf-8")
            except UnicodeDecodeError as exc:
                return {"csv.not_utf8"}, breaks(r.data[: exc.start].decode("latin-1")) + 1, None
            raise AssertionError("the file was meant to be undecodable")

        doc.expect = at_first_bad_byte
    elif kind == "utf-16-le":
        doc.encoding = kind
        doc.expect = lambda r: ({"csv.binary"}, None, None)
    elif kind == "utf-32":
        doc.encoding = kind
        doc.expect = lambda r: ({"csv.encoding_unsupported"}, None, None)
    else:
        row = _pick_row(draw, doc)
        row.cells["practice_id"] = row.cells["practice_id"] + "\x00"

        def at_nul(r: Rendered) -> tuple[set[str], int | None, str | None]:
            return {"csv.binary"}, breaks(r.text[: r.text.index("\x00")]) + 1, None

        doc.expect = at_nul


def conflict_with_stored(draw: Draw, doc: Doc) -> None:
    """A snapshot at the seeded unit and moment whose content differs: nothing is written."""
    if any(s.is_seed for s in doc.snaps):
        return duplicate_row(draw, doc)
    s = draw(st.sampled_from(doc.snaps))
    rows = doc.rows_of(s)
    path = " > ".join(n.upper() if draw(st.booleans()) else n for n in SEED_PATH)
    for row in rows:
        row.cells["unit_path"] = path
        row.cells["taken_at"] = SEED_AT.strftime("%Y-%m-%d %H:%M:%S")
        row.cells["saved_by"] = "Någon annan"  # differs from the stored snapshot
    doc.expect = lambda r: ({"import.conflict"}, min(r.line(x) for x in rows), None)


def under_archived_unit(draw: Draw, doc: Doc) -> None:
    s = draw(st.sampled_from(doc.snaps))
    rows = doc.rows_of(s)
    path = draw(
        st.sampled_from([f"{ARCHIVED} > Ny enhet", f"{ARCHIVED.lower()} > Gammal enhet > Ny"])
    )
    for row in rows:
        row.cells["unit_path"] = path
    doc.expect = lambda r: ({"csv.unit_parent_archived"}, min(r.line(x) for x in rows), "unit_path")


BREAKING: list[Callable[[Draw, Doc], None]] = [
    missing_required,
    duplicated_column,
    bad_date,
    unknown_practice,
    unknown_status,
    na_without_note,
    duplicate_row,
    disagreeing_row,
    huge_field,
    far_too_long_field,
    long_text,
    control_character,
    short_or_long_row,
    stray_quote,
    bad_unit_path,
    bad_step,
    bad_version,
    empty_required,
    own_practice_without_step,
    wrong_encoding,
    conflict_with_stored,
    under_archived_unit,
]


def damage(draw: Draw, data: bytes) -> bytes:
    """Byte-level damage: cut, overwrite, insert or repeat a stretch of the file."""
    if not data:
        return draw(st.binary(max_size=64))
    at = draw(st.integers(0, len(data)))
    kind = draw(st.sampled_from(["cut", "overwrite", "insert", "repeat", "bom"]))
    if kind == "cut":
        return data[:at]
    if kind == "overwrite":
        return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 8 :]
    if kind == "insert":
        chunk = draw(
            st.binary(max_size=8) | st.sampled_from([b'"', b"\r", b"\n", b",", b";", b"\x00"])
        )
        return data[:at] + chunk + data[at:]
    if kind == "repeat":
        end = draw(st.integers(at, len(data)))
        return data[:end] + data[at:end] + data[end:]
    return data[:at] + codecs.BOM_UTF8 + data[at:]


# ---------------------------------------------------------------------------- the properties

FUZZ = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def expected_after(doc: Doc) -> dict[Any, Any]:
    return {SEED.key: SEED.content(), **{s.key: s.content() for s in doc.snaps}}


@settings(FUZZ, max_examples=200)
@given(st.data())
def test_valid_files_import_completely(template: Path, data: st.DataObject) -> None:
    """Valid files, however they are spelt: imported whole, exactly as meant."""
    doc = data.draw(documents(), label="document")
    for mutation in data.draw(some(BENIGN, 6), label="mutations"):
        mutation(data.draw, doc)
    rendered = render(doc)
    note(repr(rendered.data[:2000]))
    with copy_of(template) as (store, path):
        result = attempt(store, path, rendered.data)
        assert not isinstance(result, list), [i18n.problem_text(p, "en") for p in result]
        new = [s for s in doc.snaps if not s.is_seed]
        assert result.snapshots_created == len(new)
        assert result.snapshots_skipped == len(doc.snaps) - len(new)
        assert db_snapshots(store) == expected_after(doc)
        own = {p.id: p for p in store.practices.catalogue().practices if p.custom}
        if any(NEW_CUSTOM[0] in s.entries for s in new):
            assert result.practices_created == 1
            assert (own[NEW_CUSTOM[0]].step, own[NEW_CUSTOM[0]].title.sv) == (
                NEW_CUSTOM[1],
                doc.new_title,
            )
        else:
            assert result.practices_created == 0 and NEW_CUSTOM[0] not in own


def some(mutations: list[Callable[[Draw, Doc], None]], most: int) -> st.SearchStrategy[Any]:
    """Up to `most` of the mutations, in any order (each as likely as the others)."""
    return st.tuples(st.permutations(mutations), st.integers(0, most)).map(lambda p: p[0][: p[1]])


@pytest.mark.parametrize("breaking", BREAKING, ids=lambda m: m.__name__)
@settings(FUZZ, max_examples=15)
@given(data=st.data())
def test_one_broken_thing_is_named_and_nothing_is_written(
    template: Path, breaking: Callable[[Draw, Doc], None], data: st.DataObject
) -> None:
    """A valid file with one thing broken: rejected, naming that row and column."""
    doc = data.draw(documents(), label="document")
    for mutation in data.draw(some(BENIGN, 3), label="benign"):
        mutation(data.draw, doc)
    breaking(data.draw, doc)
    assert doc.expect is not None
    rendered = render(doc)
    keys, row, column = doc.expect(rendered)
    note(f"expected {keys} at row {row}, column {column}")
    note(repr(rendered.data[:3000]))
    with copy_of(template) as (store, path):
        problems = attempt(store, path, rendered.data)
        assert isinstance(problems, list), "a broken file was imported"
        found = [(p.key, p.row, p.column) for p in problems]
        assert any(k in keys and (row is None or r == row) and c == column for k, r, c in found), (
            keys,
            row,
            column,
            found,
        )
        assert db_snapshots(store) == {SEED.key: SEED.content()}


@settings(FUZZ, max_examples=200)
@given(st.data())
def test_anything_goes_either_whole_or_nothing(template: Path, data: st.DataObject) -> None:
    """Any mix of mutations and byte damage: a whole import, or a rejection naming rows."""
    doc = data.draw(documents(), label="document")
    for mutation in data.draw(some([*BENIGN, *BREAKING], 5), label="mutations"):
        mutation(data.draw, doc)
    blob = render(doc).data
    for _ in range(data.draw(st.integers(0, 3), label="damage")):
        blob = damage(data.draw, blob)
    note(repr(blob[:3000]))
    with copy_of(template) as (store, path):
        before = db_snapshots(store)
        outcome = attempt(store, path, blob)
        after = db_snapshots(store)
        if isinstance(outcome, list):
            event(f"rejected: {outcome[0].key}")
            assert after == before
            return
        event("imported")
        check_complete_import(before, after, outcome)


def check_complete_import(before: dict[Any, Any], after: dict[Any, Any], result: Any) -> None:
    """What an accepted file must leave: the old snapshots untouched, as many new ones as
    reported, each with every shipped practice and a note on each 'not applicable'."""
    assert {k: after[k] for k in before} == before
    new = {k: v for k, v in after.items() if k not in before}
    assert len(new) == result.snapshots_created
    for _saved_by, _comment, version, entries in new.values():
        assert version == 1
        assert set(SHIPPED) <= {e[0] for e in entries}
        for _pid, step, status, text in entries:
            assert step in (1, 2, 3) and status in {s.value for s in Status}
            assert status != "not_applicable" or text.strip()


_csv_bytes = st.lists(
    st.sampled_from(
        [
            b",",
            b";",
            b'"',
            b"\n",
            b"\r\n",
            b"\r",
            b" ",
            b"'",
            b"=",
            b"a",
            b"\xc3\xa5",
            b"\xe5",
            b"\x00",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"unit_path",
            b"taken_at",
            b"practice_id",
            b"status",
            b"2024-01-01",
            b"s1-goal-linked",
            b"done",
            b">",
        ]
    ),
    max_size=60,
).map(b"".join)


@settings(FUZZ, max_examples=300)
@given(st.binary(max_size=2000) | _csv_bytes)
def test_random_bytes_are_rejected_cleanly(template: Path, blob: bytes) -> None:
    with copy_of(template) as (store, path):
        before = db_snapshots(store)
        outcome = attempt(store, path, blob)
        if isinstance(outcome, list):
            return
        check_complete_import(before, db_snapshots(store), outcome)


# ---------------------------------------------------------------------------- the corpus

NASTY = Path(__file__).parent / "data" / "nasty"
Outcome = int | list[tuple[str, int | None, str | None]]
"""Accepted with this many new snapshots, or rejected with exactly these problems."""


def _every_row(key: str, column: str, rows: range = range(2, 12)) -> list[Any]:
    return [(key, row, column) for row in rows]


CORPUS: dict[str, Outcome] = {
    "empty.csv": [("csv.empty", None, None)],
    "only_blank_lines.csv": [("csv.empty", None, None)],
    "header_only.csv": [("csv.no_rows", 1, None)],
    "header_and_blank_lines.csv": [("csv.no_rows", 1, None)],
    "png_image.csv": [("csv.binary", 3, None)],
    "random_bytes.csv": [("csv.not_utf8", 1, None)],
    "utf16_le_bom.csv": 1,
    "utf16_be_bom.csv": 1,
    "utf16_without_bom.csv": [("csv.binary", 1, None)],
    "utf32.csv": [("csv.encoding_unsupported", None, None)],
    "excel_unicode_text_tabs.txt": [("csv.missing_columns", 1, None)],
    "latin1.csv": [("csv.not_utf8", 12, None)],
    "windows1252_semicolon.csv": [("csv.not_utf8", 2, None)],
    "missing_status_column.csv": [("csv.missing_columns", 1, None)],
    "duplicated_column.csv": [("csv.duplicate_column", 1, "status")],
    "reordered_columns.csv": 1,
    "extra_columns.csv": 1,
    "only_required_columns.csv": 1,
    "quotes_and_newlines.csv": 1,
    "enormous_field.csv": [("csv.field_too_long", 6, "note")],
    "unknown_practice_id.csv": [
        ("csv.snapshot_incomplete", 2, None),
        ("csv.practice_unknown_suggest", 8, "practice_id"),
        ("csv.practice_unknown", 12, "practice_id"),
    ],
    "statuses_any_case_and_language.csv": 1,
    "statuses_other_languages.csv": _every_row("csv.status_unknown", "status", range(2, 6)),
    "dates_other_formats.csv": 2,
    "dates_day_first.csv": _every_row("csv.date_format", "taken_at"),
    "date_impossible.csv": _every_row("csv.date_impossible", "taken_at"),
    "date_future.csv": _every_row("csv.date_future", "taken_at"),
    "duplicate_rows.csv": [("csv.duplicate_practice", 12, "practice_id")],
    "conflicting_rows_same_snapshot.csv": [
        ("csv.snapshot_disagrees", 7, "saved_by"),
        ("csv.duplicate_practice", 12, "practice_id"),
    ],
    "conflicts_with_stored.csv": [("import.conflict", 2, None)],
    "formula_cells.csv": 1,
    "html_and_markdown_payloads.csv": 1,
    "unclosed_quote.csv": [("csv.unclosed_quote", 12, None)],
    "text_after_quote.csv": [("csv.malformed", 5, None)],
    "short_row.csv": [("csv.field_count", 6, None)],
    "excel_semicolon_bom_crlf.csv": 1,
    "own_practice_without_step.csv": [("csv.step_required", 12, "step")],
    "not_applicable_without_note.csv": [
        ("csv.na_needs_note", 9, "note"),
        ("csv.na_needs_note", 11, "note"),
    ],
    "nul_byte.csv": [("csv.binary", 8, None)],
    "old_mac_cr_line_ends.csv": 1,
    "unit_path_empty_level.csv": _every_row("csv.unit_path_empty_level", "unit_path"),
    "control_characters.csv": [
        ("csv.control_char", 5, "note"),
        ("csv.control_char", 8, "note"),
        ("csv.control_char", 10, "note"),
    ],
}
PRELOAD = {"conflicts_with_stored.csv": "quotes_and_newlines.csv"}
"""Files imported first, into the empty database, for the file that needs stored data."""


@contextmanager
def empty_store() -> Iterator[tuple[Lartrappan, Path]]:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "db.sqlite"
        store = Lartrappan(f"sqlite:///{path}")
        try:
            yield store, path
        finally:
            store.close()


def test_the_corpus_has_an_expected_outcome_for_every_file() -> None:
    files = {p.name for p in NASTY.iterdir()} - {"README.md"}
    assert files == set(CORPUS)
    readme = (NASTY / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in files), "every file is listed in README.md"


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_nasty_file(name: str) -> None:
    expected = CORPUS[name]
    data = (NASTY / name).read_bytes()
    with empty_store() as (store, path):
        if name in PRELOAD:
            store.transfer.import_csv(Actor(""), (NASTY / PRELOAD[name]).read_bytes())
        before = db_snapshots(store)
        outcome = attempt(store, path, data)
        if isinstance(expected, int):
            assert not isinstance(outcome, list), [(p.key, p.row, p.column) for p in outcome]
            assert outcome.snapshots_created == expected
            after = db_snapshots(store)
            assert len(after) == len(before) + expected
            check_complete_import(before, after, outcome)
        else:
            assert isinstance(outcome, list), f"{name} was imported"
            assert sorted((p.key, p.row or 0, p.column or "") for p in outcome) == sorted(
                (k, r or 0, c or "") for k, r, c in expected
            )
            assert db_snapshots(store) == before


def _imported(name: str) -> dict[Any, Any]:
    with empty_store() as (store, _):
        store.transfer.import_csv(Actor(""), (NASTY / name).read_bytes())
        return db_snapshots(store)


def _notes(name: str) -> dict[str, str]:
    (content,) = _imported(name).values()
    return {pid: text for pid, _step, _status, text in content[3]}


def test_quotes_and_line_breaks_inside_fields_are_kept_exactly() -> None:
    notes = _notes("quotes_and_newlines.csv")
    assert notes["s1-goal-linked"] == 'Citat "så här", med komma, och; semikolon'
    assert notes["s1-anytime-anywhere"] == "Rad 1\nRad 2\r\nRad 3"
    assert notes["s1-measure-effect"] == "  inledande och avslutande mellanslag  "
    assert notes["s2-performance"] == "Bara CR:\rhär"


def test_formula_escapes_are_removed_on_import() -> None:
    ((key, content),) = _imported("formula_cells.csv").items()
    assert key[0] == ("=sum(a1)", "+46")
    assert content[:2] == ("@Åsa", "-1")
    notes = {pid: text for pid, _step, _status, text in content[3]}
    assert notes["s1-goal-linked"] == "=1+1"
    assert notes["s1-anytime-anywhere"] == "'=x"
    assert notes["s1-measure-effect"] == "+46 70"
    assert notes["s1-local-ownership"] == "\tTab"
    assert notes["s2-performance"] == "\rCR"
    assert notes["s2-learning-in-roles"] == "'"
    assert notes["s2-just-in-time"] == "'plain"


def test_html_and_markdown_are_stored_as_plain_text() -> None:
    ((key, content),) = _imported("html_and_markdown_payloads.csv").items()
    assert key[0] == ("norrby kommun", "<img src=x onerror=alert(1)")
    assert content[:2] == ("[x](javascript:alert(1))", "![](http://example.invalid/p.png)")
    notes = {pid: text for pid, _step, _status, text in content[3]}
    assert notes["s1-goal-linked"] == "<img src=x onerror=alert(1)>"
    assert notes["s1-local-ownership"] == "<script>alert(1)</script>"


def test_other_date_spellings_name_the_same_moment() -> None:
    moments = sorted(taken_at for _, taken_at in _imported("dates_other_formats.csv"))
    assert moments == [datetime(2025, 3, 4, 10, 15), datetime(2025, 3, 5)]


def test_statuses_in_any_case_and_either_language() -> None:
    (content,) = _imported("statuses_any_case_and_language.csv").values()
    statuses = {pid: status for pid, _step, status, _text in content[3]}
    assert [statuses[pid] for pid in SHIPPED] == [
        "done",
        "in_progress",
        "done",
        "done",
        "not_started",
        "in_progress",
        "not_applicable",
        "in_progress",
        "not_started",
        "not_applicable",
    ]


# ---------------------------------------------------------------------------- a million rows


@pytest.mark.slow
def test_a_million_rows_with_the_last_one_broken_are_rejected_naming_it() -> None:
    """100,000 valid snapshots (1,000,000 rows, about 45 MB) and one bad status on the very
    last row: the whole file is rejected, naming that row, and nothing is written."""
    lines = ["unit_path,taken_at,practice_id,status\n"]
    start = datetime(2020, 1, 1, 8, 0)
    for i in range(100_000):
        stamp = (start + timedelta(minutes=i // 100)).strftime("%Y-%m-%d %H:%M")
        lines.extend(f"Enhet {i % 100},{stamp},{pid},done\n" for pid in SHIPPED)
    lines[-1] = lines[-1].replace(",done", ",klar")
    data = "".join(lines).encode()
    assert len(lines) == 1_000_001 and len(data) < checks.MAX_IMPORT_BYTES
    del lines
    with empty_store() as (store, path):
        problems = attempt(store, path, data)
        assert isinstance(problems, list)
        assert [(p.key, p.row, p.column) for p in problems] == [
            ("csv.status_unknown", 1_000_001, "status")
        ]
        assert not store.units.any()


# ---------------------------------------------------------------------------- the size limit


def test_upload_limit_of_streamlit_is_the_importers_own() -> None:
    import tomllib

    config = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"
    with config.open("rb") as fh:
        max_upload_mb = tomllib.load(fh)["server"]["maxUploadSize"]
    # Streamlit counts megabytes of 1024 × 1024 bytes.
    assert max_upload_mb * 1024 * 1024 == checks.MAX_IMPORT_BYTES


def test_an_oversized_file_is_refused_with_sizes_and_writes_nothing() -> None:
    checks.check_import_size(checks.MAX_IMPORT_BYTES)  # exactly the limit is fine
    with pytest.raises(ValidationError) as caught:
        checks.check_import_size(checks.MAX_IMPORT_BYTES + 1)
    (problem,) = caught.value.problems
    assert problem.key == "csv.too_large"
    sv, en = (i18n.problem_text(problem, lang) for lang in ("sv", "en"))
    assert "52 428 801" in sv and "50 MB" in sv
    assert "52 428 801" in en and "50 MB" in en
    with empty_store() as (store, path):
        oversized = (NASTY / "only_required_columns.csv").read_bytes()
        oversized += b" " * (checks.MAX_IMPORT_BYTES + 1 - len(oversized))
        problems = attempt(store, path, oversized)
        assert [p.key for p in problems] == ["csv.too_large"]
        assert not store.units.any()


# ---------------------------------------------------------------------------- found by fuzzing


def _minimal(unit: str, when: str, status: str = "done") -> str:
    return "".join(f"{unit},{when},{pid},{status}\n" for pid in SHIPPED)


def test_one_unit_spelt_in_two_unicode_forms_is_one_unit() -> None:
    """'Å' as one code point (Windows, Linux) and as 'A' + combining ring (macOS) is the
    same unit to the store; the file's snapshots must be grouped the same way. Before the
    fix, two such snapshots at one moment were reported as a conflict with a stored
    snapshot (or the second was silently 'skipped') instead of as duplicate rows."""
    header = "unit_path,taken_at,practice_id,status\n"
    composed, decomposed = "Skola Å", "Skola A\u030a"
    same_moment = header + _minimal(composed, "2025-01-01") + _minimal(decomposed, "2025-01-01")
    with empty_store() as (store, path):
        problems = attempt(store, path, same_moment.encode())
        assert isinstance(problems, list)
        assert {(p.key, p.row, p.column) for p in problems} == {
            ("csv.duplicate_practice", row, "practice_id") for row in range(12, 22)
        }
    two_moments = header + _minimal(composed, "2025-01-01") + _minimal(decomposed, "2025-01-02")
    with empty_store() as (store, path):
        result = attempt(store, path, two_moments.encode())
        assert (result.units_created, result.snapshots_created) == (1, 2)
