"""The in-app download of an export (issue #13): its size told in advance, its file (the CSV,
or zipped when large) made through a temporary file that does not outlive it."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import pytest

from staircase import i18n, settings
from staircase.csv import writer
from staircase.csv.format import CsvVariant
from staircase.services import Actor, Lartrappan
from staircase.services import transfer as transfer_module
from staircase.services.demo import load_demo


@pytest.fixture
def demo(store: Lartrappan) -> Lartrappan:
    load_demo(store)
    return store


def _leaf(store: Lartrappan, name: str) -> int:
    return next(u.id for u in store.units.tree().units.values() if u.name == name)


@pytest.mark.parametrize("variant", list(CsvVariant))
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_small_export_is_sized_exactly(demo: Lartrappan, variant: CsvVariant, lang: str) -> None:
    for unit_ids in (None, [_leaf(demo, "Björkskolan")]):
        data = demo.transfer.export_csv(unit_ids, variant, lang)  # type: ignore[arg-type]
        size = demo.transfer.export_size(unit_ids, variant, lang)  # type: ignore[arg-type]
        assert size.exact
        assert size.csv_bytes == len(data)
        assert size.rows == len(data.splitlines()) - 1
        assert not size.zipped and size.download_bytes == size.csv_bytes


def test_a_large_export_is_estimated_from_a_sample_of_its_units(
    demo: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer_module, "EXACT_ROWS", 50)
    monkeypatch.setattr(transfer_module, "SAMPLE_UNITS", 3)
    data = demo.transfer.export_csv()
    size = demo.transfer.export_size()
    assert not size.exact
    assert size.rows == len(data.splitlines()) - 1  # counted, not estimated
    assert abs(size.csv_bytes - len(data)) < 0.15 * len(data)
    packed = len(_zip(demo, None))
    assert abs(size.zip_bytes - packed) < 0.5 * packed


def test_the_size_follows_the_data(demo: Lartrappan) -> None:
    unit_id = _leaf(demo, "Björkskolan")
    before = demo.transfer.export_size([unit_id])
    demo.snapshots.save(Actor("Test"), unit_id, "Test", "En till")
    after = demo.transfer.export_size([unit_id])
    assert after.rows == before.rows + 10
    assert after.csv_bytes == len(demo.transfer.export_csv([unit_id]))


def test_a_download_over_the_limit_comes_zipped(
    demo: Lartrappan, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = demo.transfer.export_size()
    assert settings.current().zip_downloads_over_mb == 50
    assert not everything.zipped and everything.zip_over_mb == 50
    limit_mb = (everything.csv_bytes - 1) / (1024 * 1024)
    monkeypatch.setenv("STAIRCASE_ZIP_DOWNLOADS_OVER_MB", str(limit_mb))
    settings.current.cache_clear()
    assert demo.transfer.export_size().zipped
    assert demo.transfer.export_size().download_bytes == demo.transfer.export_size().zip_bytes
    one = demo.transfer.export_size([_leaf(demo, "Björkskolan")])
    assert not one.zipped  # the same limit: a smaller export stays a CSV


@pytest.mark.parametrize("variant", list(CsvVariant))
def test_the_zip_holds_the_csv_exactly(demo: Lartrappan, variant: CsvVariant) -> None:
    data = demo.transfer.download(None, variant, "sv", zipped=True, member="lartrappan-alla.csv")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["lartrappan-alla.csv"]
        assert archive.read("lartrappan-alla.csv") == demo.transfer.export_csv(None, variant)
        assert archive.infolist()[0].compress_type == zipfile.ZIP_DEFLATED
    assert len(data) < len(demo.transfer.export_csv(None, variant)) / 5


def test_a_download_not_zipped_is_the_csv(demo: Lartrappan) -> None:
    unit_ids = [_leaf(demo, "Björkskolan")]
    data = demo.transfer.download(unit_ids, CsvVariant.EXCEL_SV, "en", zipped=False, member="x")
    assert data == demo.transfer.export_csv(unit_ids, CsvVariant.EXCEL_SV, "en")


def _zip(store: Lartrappan, unit_ids: Any) -> bytes:
    return store.transfer.download(unit_ids, CsvVariant.PLAIN, "sv", zipped=True, member="a.csv")


class Temporaries:
    """Every temporary file `Transfer.download` opens, in a folder of the test's own."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.files = folder, []

    def open_fds(self) -> int:
        return len(os.listdir("/proc/self/fd")) if Path("/proc/self/fd").exists() else 0


@pytest.fixture
def temporaries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Temporaries:
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    seen = Temporaries(folder)
    made = tempfile.TemporaryFile

    def recording(*args: Any, **kwargs: Any) -> Any:
        file = made(*args, **kwargs)
        seen.files.append(file)
        return file

    monkeypatch.setattr(tempfile, "TemporaryFile", recording)
    return seen


@pytest.mark.parametrize("zipped", [False, True])
def test_the_temporary_file_is_gone_after_a_download(
    demo: Lartrappan, temporaries: Temporaries, zipped: bool
) -> None:
    fds = temporaries.open_fds()
    for _ in range(3):
        demo.transfer.download(None, CsvVariant.PLAIN, "sv", zipped=zipped, member="a.csv")
    assert len(temporaries.files) == 3
    assert all(f.closed for f in temporaries.files)
    assert list(temporaries.folder.iterdir()) == []
    assert temporaries.open_fds() == fds


def test_the_temporary_file_is_gone_when_the_export_fails(
    demo: Lartrappan, temporaries: Temporaries, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(export: Any, out: Any, *args: Any, **kwargs: Any) -> int:
        out.write(b"half a file")
        raise OSError("the database went away")

    monkeypatch.setattr(writer, "write_csv", broken)
    fds = temporaries.open_fds()
    for zipped in (False, True):
        with pytest.raises(OSError, match="went away"):
            demo.transfer.download(None, CsvVariant.PLAIN, "sv", zipped=zipped, member="a.csv")
    assert len(temporaries.files) == 2 and all(f.closed for f in temporaries.files)
    assert list(temporaries.folder.iterdir()) == []
    assert temporaries.open_fds() == fds


def test_sizing_writes_no_file(demo: Lartrappan, temporaries: Temporaries) -> None:
    demo.transfer.export_size()
    demo.transfer.export_size([_leaf(demo, "Björkskolan")], CsvVariant.EXCEL_SV, "en")
    assert temporaries.files == [] and list(temporaries.folder.iterdir()) == []


def test_the_file_name_says_zip_when_zipped(demo: Lartrappan) -> None:
    tree = demo.units.tree()
    unit_id = _leaf(demo, "Björkskolan")
    plain = demo.transfer.export_filename(tree, unit_id, "unit", CsvVariant.PLAIN, "sv")
    zipped = demo.transfer.export_filename(
        tree, unit_id, "unit", CsvVariant.EXCEL_SV, "sv", zipped=True
    )
    assert plain.startswith("lartrappan-bjorkskolan-") and plain.endswith(".csv")
    assert zipped.startswith("lartrappan-bjorkskolan-") and zipped.endswith("-excel.zip")


@pytest.mark.parametrize(
    ("size", "sv", "en"),
    [
        (0, "0\u00a0B", "0\u00a0B"),
        (1023, "1023\u00a0B", "1023\u00a0B"),
        (3500, "3,4\u00a0kB", "3.4\u00a0kB"),
        (41 * 1024**2, "41\u00a0MB", "41\u00a0MB"),
        (1_358_256_348, "1,3\u00a0GB", "1.3\u00a0GB"),
    ],
)
def test_file_sizes_read_as_people_read_them(size: int, sv: str, en: str) -> None:
    assert i18n.file_size(size, "sv") == sv
    assert i18n.file_size(size, "en") == en


def test_numbers_have_the_language_s_thousands_separator() -> None:
    assert i18n.number(6_000_000, "sv") == "6\u00a0000\u00a0000"
    assert i18n.number(6_000_000, "en") == "6,000,000"
    assert i18n.number(12, "sv") == "12"


def test_a_prepared_file_is_open_at_its_start_until_closed(
    demo: Lartrappan, temporaries: Temporaries
) -> None:
    fds = temporaries.open_fds()
    file = demo.transfer.prepare_download(None, CsvVariant.PLAIN, "sv", zipped=True, member="a.csv")
    assert not file.closed and file.tell() == 0
    with zipfile.ZipFile(io.BytesIO(file.read())) as archive:
        assert archive.read("a.csv") == demo.transfer.export_csv()
    file.close()
    assert all(f.closed for f in temporaries.files)
    assert list(temporaries.folder.iterdir()) == []
    assert temporaries.open_fds() == fds
