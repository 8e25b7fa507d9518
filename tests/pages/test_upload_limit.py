"""An upload over the limit: the uploader announces the limit of server.maxUploadSize (the
config) and the page refuses a larger file itself, with sizes, writing nothing."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from staircase.csv import checks as csvchecks
from staircase.services import Actor, Lartrappan

PAGE = "pages/data.py"
MB = 1024 * 1024


def test_uploader_announces_the_importers_limit(open_page: Callable[..., AppTest]) -> None:
    at = open_page(PAGE)
    uploader = at.file_uploader(key="data_upload")
    assert uploader.proto.max_upload_size_mb * MB == csvchecks.MAX_IMPORT_BYTES
    assert "50 MB" in " ".join(c.value for c in at.caption)


def test_an_oversized_upload_is_refused_with_sizes_and_changes_nothing(
    open_page: Callable[..., AppTest], store: Lartrappan
) -> None:
    """A file one byte over the limit (as if the server's own check were off or larger):
    a clear message, and the database is untouched."""
    store.units.create(Actor(""), "Befintlig")
    header = b"unit_path,taken_at,practice_id,status\n"
    rows = b"".join(
        b"Ny enhet,2024-01-10," + pid.encode() + b",done\n"
        for pid in ("s1-goal-linked", "s1-anytime-anywhere", "s1-measure-effect")
    )
    data = header + rows
    data += b" " * (csvchecks.MAX_IMPORT_BYTES + 1 - len(data))
    at = open_page(PAGE)
    at.file_uploader(key="data_upload").set_value(("stor.csv", data, "text/csv"))
    at.run()
    at.button(key="data_import").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "stor.csv" in errors
    assert "52 428 801" in errors and "50 MB" in errors
    assert [u.name for u in store.units.tree().ordered()] == ["Befintlig"]
    assert not at.success
