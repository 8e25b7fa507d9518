"""Import and export page: the download's file and contents, uploads good and bad."""

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

from staircase.csv.format import COLUMNS
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
