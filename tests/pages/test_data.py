"""Import and export page: the download's size, file and contents, uploads good and bad."""

import io
import tempfile
import zipfile
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from staircase import settings
from staircase.csv.format import COLUMNS
from staircase.i18n import file_size, number
from staircase.services import Actor, Lartrappan
from tests.pages.conftest import leaf

PAGE = "pages/data.py"


@pytest.fixture
def downloads(monkeypatch) -> list:
    """What the download button would send: its deferred callables, as registered."""
    captured: list = []
    original = MediaFileManager.add_deferred

    def capture(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        captured.append((file_name, data_callable))
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", capture)
    return captured


def size_caption(at) -> str:
    """The caption that tells the download's size (it names the file)."""
    found = [c.value for c in at.caption if "lartrappan-" in c.value]
    assert len(found) == 1, [c.value for c in at.caption]
    return found[0].replace("\\", "")  # md_escape's backslashes


def test_the_size_is_said_before_the_download(open_page, demo_store: Lartrappan, downloads):
    unit_id = leaf(demo_store, "Björkskolan")
    at = open_page(PAGE, unit_id)
    file_name, make = downloads[-1]
    body = demo_store.transfer.export_csv([unit_id])
    rows = len(body.splitlines()) - 1
    assert size_caption(at) == f"{file_name}: {rows} rader, {file_size(len(body), 'sv')}."
    assert make() == body

    at.segmented_control(key="data_scope").set_value("all").run()
    file_name, make = downloads[-1]
    body = demo_store.transfer.export_csv(None)
    rows = number(len(body.splitlines()) - 1, "sv")
    assert size_caption(at) == f"{file_name}: {rows} rader, {file_size(len(body), 'sv')}."
    assert make() == body


def test_the_size_in_english(open_page, demo_store: Lartrappan, downloads):
    unit_id = leaf(demo_store, "Björkskolan")
    at = open_page(PAGE, unit_id, lang="en")
    file_name, make = downloads[-1]
    body = demo_store.transfer.export_csv([unit_id], "plain", "en")
    rows = len(body.splitlines()) - 1
    assert size_caption(at) == f"{file_name}: {rows} rows, {file_size(len(body), 'en')}."
    assert make() == body


@pytest.fixture
def zip_everything(monkeypatch):
    """Every download over 0 MB comes zipped (settings are read anew for the test)."""
    monkeypatch.setenv("STAIRCASE_ZIP_DOWNLOADS_OVER_MB", "0")
    settings.current.cache_clear()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_large_download_is_made_first_then_comes_zipped(
    open_page, demo_store: Lartrappan, downloads, zip_everything, lang
):
    unit_id = leaf(demo_store, "Björkskolan")
    at = open_page(PAGE, unit_id, lang=lang)
    # Everything in Swedish; the unit in English (under AppTest, the data page's segmented
    # controls keep their value in English whatever set_value asks: the same on main).
    unit_ids = None if lang == "sv" else [unit_id]
    if unit_ids is None:
        at.segmented_control(key="data_scope").set_value("all").run()
    body = demo_store.transfer.export_csv(unit_ids, "plain", lang)
    size = demo_store.transfer.export_size(unit_ids, "plain", lang)
    # Before: the estimate, and a button that makes the file; no download button yet.
    caption = size_caption(at)
    about, more = ("omkring", "mer än") if lang == "sv" else ("about", "more than")
    assert f": {about} {file_size(size.zip_bytes, lang)} (" in caption
    assert f"{about} {file_size(len(body), lang)}, {more} 0 MB" in caption
    assert ("zip-fil" if lang == "sv" else "zip file") in caption
    assert downloads == []
    at.button(key="data_download_prepare").click().run()
    assert not at.exception
    file_name, make = downloads[-1]
    assert file_name.startswith("lartrappan-") and file_name.endswith(".zip")
    data = make()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (member,) = archive.namelist()
        assert member == file_name.removesuffix(".zip") + ".csv"
        assert archive.read(member) == body
    ready = "klar att laddas ned" if lang == "sv" else "ready to download"
    rows = number(size.rows, lang)
    words = "rader" if lang == "sv" else "rows"
    exact = file_size(len(data), lang)
    assert size_caption(at) == f"{file_name}: {exact} ({rows} {words}), {ready}."
    assert make() == data  # again, from the same file


@pytest.fixture
def temporaries(tmp_path: Path, monkeypatch) -> list:
    """Every temporary file the app opens (in a folder of the test's own)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    opened: list = []
    made = tempfile.TemporaryFile

    def recording(*args, **kwargs):
        opened.append(made(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", recording)
    return opened


def test_reruns_make_no_file_and_a_small_download_leaves_none(
    open_page, demo_store: Lartrappan, downloads, temporaries, tmp_path: Path
):
    at = open_page(PAGE, leaf(demo_store, "Björkskolan"))
    for scope in ("subtree", "all", "unit", "all"):
        at.segmented_control(key="data_scope").set_value(scope).run()
    assert temporaries == []  # the file is made on a click only
    _, make = downloads[-1]
    make()
    make()
    assert len(temporaries) == 2 and all(f.closed for f in temporaries)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_a_prepared_file_is_kept_while_it_is_wanted_and_closed_after(
    open_page, demo_store: Lartrappan, downloads, zip_everything, temporaries, tmp_path: Path
):
    unit_id = leaf(demo_store, "Björkskolan")
    at = open_page(PAGE, unit_id)
    at.segmented_control(key="data_scope").set_value("all").run()
    at.button(key="data_download_prepare").click().run()
    assert len(temporaries) == 1 and not temporaries[0].closed
    for _ in range(3):  # reruns and downloads read the same file; none is made
        at.run()
        downloads[-1][1]()
    assert len(temporaries) == 1 and not temporaries[0].closed
    # Another choice: the file goes.
    at.segmented_control(key="data_variant").set_value("excel_sv").run()
    assert temporaries[0].closed
    at.button(key="data_download_prepare").click().run()
    assert len(temporaries) == 2 and not temporaries[1].closed
    # New data: the file no longer holds everything, so it goes too.
    demo_store.snapshots.save(Actor("Test"), unit_id, "Test", "Ny")
    at.run()
    assert temporaries[1].closed
    assert at.button(key="data_download_prepare")  # offered again
    assert "klar att laddas ned" not in size_caption(at)
    # A small download (the unit alone, under the default limit) closes it as well.
    at.button(key="data_download_prepare").click().run()
    assert not temporaries[2].closed
    settings.current.cache_clear()
    import os

    os.environ.pop("STAIRCASE_ZIP_DOWNLOADS_OVER_MB", None)
    at.run()
    assert all(f.closed for f in temporaries)
    assert list((tmp_path / "tmp").iterdir()) == []


def test_export_of_one_unit_downloads_its_snapshots(open_page, demo_store: Lartrappan, downloads):
    unit_id = leaf(demo_store, "Björkskolan")
    open_page(PAGE, unit_id)
    file_name, make = downloads[-1]
    assert file_name.startswith("lartrappan-bjorkskolan-") and file_name.endswith(".csv")
    body = make().decode("utf-8")
    header, *rows = body.splitlines()
    assert header == ",".join(COLUMNS)
    assert len(rows) == 10 * len(demo_store.snapshots.of_unit(unit_id))
    assert all(
        r.startswith("Norrby kommun > Barn- och utbildningsförvaltningen > Björkskolan,")
        for r in rows
    )


def test_excel_variant_of_everything(open_page, demo_store: Lartrappan, downloads):
    at = open_page(PAGE, leaf(demo_store, "Björkskolan"))
    at.segmented_control(key="data_scope").set_value("all")
    at.segmented_control(key="data_variant").set_value("excel_sv").run()
    file_name, make = downloads[-1]
    assert file_name.endswith("-excel.csv")
    body = make()
    assert body.startswith(b"\xef\xbb\xbf") and b";" in body.splitlines()[0]
    assert body == demo_store.transfer.export_csv(None, "excel_sv")


def test_import_of_a_good_file_adds_its_snapshots(open_page, store: Lartrappan, tmp_path):
    from staircase.services.demo import load_demo

    source = Lartrappan(f"sqlite:///{tmp_path / 'source.db'}")
    load_demo(source)
    data = source.transfer.export_csv()
    store.units.create(Actor(""), "Befintlig")
    at = open_page(PAGE, None)
    at.file_uploader(key="data_upload").set_value(("export.csv", data, "text/csv"))
    at.run()
    at.button(key="data_import").click().run()
    assert not at.exception
    assert "Importen är klar" in at.success[0].value
    assert store.transfer.export_csv() == data  # the units, snapshots and statuses, exactly
    # The same file again creates no duplicates.
    at.button(key="data_import").click().run()
    assert "0 nya ögonblicksbilder" in at.success[0].value
    assert store.transfer.export_csv() == data
    source.close()


def test_a_broken_file_is_rejected_whole_with_row_numbers(open_page, store: Lartrappan):
    store.units.create(Actor(""), "Befintlig")
    rows = [
        "unit_path,taken_at,practice_id,status",
        "Ny enhet,2024-01-10,s1-goal-linked,done",
        "Ny enhet,2024-13-10,s1-anytime-anywhere,klar",
    ]
    at = open_page(PAGE, None)
    at.file_uploader(key="data_upload").set_value(
        ("trasig.csv", "\n".join(rows).encode(), "text/csv")
    )
    at.run()
    at.button(key="data_import").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "trasig" in errors and "Rad 3" in errors
    assert [u.name for u in store.units.tree().ordered()] == ["Befintlig"]
