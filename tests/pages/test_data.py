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
def test_a_large_download_comes_zipped_and_says_so(
    open_page, demo_store: Lartrappan, downloads, zip_everything, lang
):
    unit_id = leaf(demo_store, "Björkskolan")
    at = open_page(PAGE, unit_id, lang=lang)
    # Everything in Swedish; the unit in English (under AppTest, the data page's segmented
    # controls keep their value in English whatever set_value asks: the same on main).
    unit_ids = None if lang == "sv" else [unit_id]
    if unit_ids is None:
        at.segmented_control(key="data_scope").set_value("all").run()
    file_name, make = downloads[-1]
    assert file_name.startswith("lartrappan-") and file_name.endswith(".zip")
    body = demo_store.transfer.export_csv(unit_ids, "plain", lang)
    with zipfile.ZipFile(io.BytesIO(make())) as archive:
        (member,) = archive.namelist()
        assert member == file_name.removesuffix(".zip") + ".csv"
        assert archive.read(member) == body
    caption = size_caption(at)
    size = demo_store.transfer.export_size(unit_ids, "plain", lang)
    if lang == "sv":
        assert caption.startswith(f"{file_name}: omkring {file_size(size.zip_bytes, 'sv')} (")
        assert f"omkring {file_size(len(body), 'sv')}, mer än 0 MB" in caption
        assert "zip-fil" in caption
    else:
        assert caption.startswith(f"{file_name}: about {file_size(size.zip_bytes, 'en')} (")
        assert f"about {file_size(len(body), 'en')}, more than 0 MB" in caption
        assert "zip file" in caption


def test_reruns_make_no_file_and_a_download_leaves_none(
    open_page, demo_store: Lartrappan, downloads, zip_everything, tmp_path: Path, monkeypatch
):
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    opened: list = []
    made = tempfile.TemporaryFile

    def recording(*args, **kwargs):
        opened.append(made(*args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", recording)
    at = open_page(PAGE, leaf(demo_store, "Björkskolan"))
    for scope in ("subtree", "all", "unit", "all"):
        at.segmented_control(key="data_scope").set_value(scope).run()
    assert opened == [] and list(folder.iterdir()) == []  # the file is made on a click only
    _, make = downloads[-1]
    make()
    make()
    assert len(opened) == 2 and all(f.closed for f in opened)
    assert list(folder.iterdir()) == []


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
