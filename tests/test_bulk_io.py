"""Bulk export and import: the streamed export keeps its exact bytes (golden files made with
the row-by-row exporter it replaced), chunk boundaries do not show, and the bulk importer keeps
every rule of the row-by-row one (problems by row, all or nothing, duplicates, conflicts)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest

from staircase import csvio
from staircase.catalogue import load_catalogue
from staircase.csvio import CsvVariant
from staircase.model import Lang, SnapshotEntry, Status
from staircase.store import PATH_SEPARATOR, SnapshotRecord, Store

CATALOGUE = load_catalogue()
PRACTICES = CATALOGUE.practices
DATA = Path(__file__).parent / "data"

TRICKY = [
    "=SUM(A1)",
    "+46 70 123 45 67",
    "@x",
    "-1",
    "'=x",
    "''",
    "'",
    "'plain",
    "\tindented",
    "\rcarriage",
    "rad 1\nrad 2\r\nrad 3",
    'citat "så här"; och, komma',
    "trailing space ",
    "åäö ÅÄÖ é ü",
    "",
    "lone\rcarriage return",
    "'-'",
]
PATHS = [
    "Norrby kommun > Vård och omsorg > Hemtjänst Norr",
    "Norrby kommun > Vård och omsorg > Hemtjänst Söder",
    "Norrby kommun > Åsele ö-skola",
    "=SUM(A1) > +46 > @x",
    "-1",
    "'=x",
    'Citat "här"; och, komma',
    "Norrby kommun",
]
STATUSES = list(Status)
OWN = "custom-egen-fika-larande"
GOLDEN = {
    (CsvVariant.PLAIN, "sv"): DATA / "golden_export_plain_sv.csv",
    (CsvVariant.EXCEL_SV, "sv"): DATA / "golden_export_excel_sv.csv",
    (CsvVariant.PLAIN, "en"): DATA / "golden_export_plain_en.csv",
}


def golden_records() -> list[SnapshotRecord]:
    """Snapshots with every kind of awkward text, own practices, out-of-order entries."""
    records = []
    for u, path in enumerate(PATHS):
        for k in range(1 + u % 3):
            i = u * 3 + k
            entries = [
                SnapshotEntry(
                    p.id,
                    p.step,
                    STATUSES[(i + j) % 3] if (i + j) % 5 else Status.NOT_APPLICABLE,
                    TRICKY[(i * 7 + j) % len(TRICKY)] or "Motivering",
                )
                for j, p in enumerate(PRACTICES)
            ]
            if i % 2:
                entries.append(SnapshotEntry(OWN, 2, Status.DONE, TRICKY[i % 5]))
            if i % 3 == 0:
                entries.append(SnapshotEntry("custom-gammal", 3, Status.IN_PROGRESS, ""))
            entries.reverse()  # the export sorts them by step and id
            records.append(
                SnapshotRecord(
                    unit_path=tuple(path.split(PATH_SEPARATOR)),
                    taken_at=datetime(2024, 1 + k * 4, 1 + u, 8 + k, 5 * u, 7 * k),
                    saved_by=TRICKY[i % len(TRICKY)],
                    comment=TRICKY[(i + 3) % len(TRICKY)],
                    catalogue_version=CATALOGUE.version,
                    entries=tuple(entries),
                    rows=(2,),
                    new_practice_titles={"custom-gammal": "=Gammal övning; arkiverad"},
                )
            )
    return records


def build_golden(store: Store) -> None:
    """The database the golden files were exported from (only stable public calls)."""
    store.add_custom_practice(2, "Egen: fika=lärande", "Own: fika", dimensions=["people"])
    store.create_unit("Tom enhet utan ögonblicksbilder")
    store.import_snapshots(golden_records())
    store.archive_custom_practice("custom-gammal")


@pytest.fixture
def golden(store: Store) -> Store:
    build_golden(store)
    return store


# ---------------------------------------------------------------------------- export


@pytest.mark.parametrize(("variant", "lang"), list(GOLDEN))
def test_export_is_byte_identical_to_golden_file(
    golden: Store, variant: CsvVariant, lang: Lang
) -> None:
    expected = GOLDEN[(variant, lang)].read_bytes()
    assert csvio.export_csv(golden, variant=variant, lang=lang) == expected
    out = io.BytesIO()
    n = csvio.write_csv(golden, out, None, variant, lang)
    assert out.getvalue() == expected
    text = io.StringIO(expected.decode("utf-8-sig"), newline="")
    delimiter = ";" if variant is CsvVariant.EXCEL_SV else ","
    assert n == len(list(csv.reader(text, delimiter=delimiter))) - 1 > 100


def regenerate() -> None:  # pragma: no cover - run by hand: python tests/test_bulk_io.py
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{tmp}/golden.db")
        build_golden(store)
        for (variant, lang), path in GOLDEN.items():
            path.write_bytes(csvio.export_csv(store, variant=variant, lang=lang))
        store.close()


if __name__ == "__main__":  # pragma: no cover
    regenerate()
