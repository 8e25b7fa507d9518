"""The download of an export: its size said beside the button before it starts, the file
made only when the button is clicked, and zipped when large (issue #13).

Streamlit (1.50 and later, read in 1.67) keeps every download's bytes in the server's
memory: `st.download_button` reads data of any kind (bytes, a file object, or what a
callable returns) whole into bytes (`runtime/download_data_util.py`), and its media file
storage holds them (`runtime/memory_media_file_storage.py`, the only storage it has) and
serves them from there (`web/server/starlette/starlette_routes.py`, the media route). So the
file is made by a callable (run on the click, not on every rerun of the page) into a
temporary file and read back once (`Transfer.download`), and an export whose CSV would be
larger than `settings.zip_downloads_over_mb` comes zipped: the CSV deflates about 33-fold,
so the bytes Streamlit holds stay small at any scale the app is used at.
"""

from __future__ import annotations

import streamlit as st

from staircase.csv.format import CsvVariant
from staircase.domain.model import Lang
from staircase.domain.units import UnitTree
from staircase.i18n import file_size, number
from staircase.services import Lartrappan
from staircase.services.transfer import ExportSize, Scope
from staircase.ui.context import lang, md_escape, tr


def export_download(
    core: Lartrappan,
    tree: UnitTree,
    unit_id: int | None,
    scope: Scope,
    variant: CsvVariant,
    *,
    key: str = "data_download",
) -> None:
    """The size of the export (the unit, it with the units under it, or everything), then
    its download button."""
    language = lang()
    unit_ids = tree.export_scope(unit_id, scope)
    size = core.transfer.export_size(unit_ids, variant, language)
    csv_name = core.transfer.export_filename(tree, unit_id, scope, variant, language)
    file_name = core.transfer.export_filename(
        tree, unit_id, scope, variant, language, zipped=size.zipped
    )
    st.caption(size_text(size, file_name, language))
    st.download_button(
        tr("data.download"),
        data=lambda: core.transfer.download(
            unit_ids, variant, language, zipped=size.zipped, member=csv_name
        ),
        file_name=file_name,
        mime="application/zip" if size.zipped else "text/csv",
        type="primary",
        icon=":material/download:",
        on_click="ignore",
        key=key,
    )


def size_text(size: ExportSize, file_name: str, language: Lang) -> str:
    """'lartrappan-alla-2026-11-30.zip: omkring 41 MB (6 000 000 rader). Som CSV …'."""
    name, rows = md_escape(file_name), number(size.rows, language)
    if size.zipped:
        return tr(
            "data.size_zipped",
            name=name,
            rows=rows,
            size=file_size(size.zip_bytes, language),
            csv_size=file_size(size.csv_bytes, language),
            max_mb=f"{size.zip_over_mb:g}",
        )
    key = "data.size" if size.exact else "data.size_about"
    return tr(key, name=name, rows=rows, size=file_size(size.csv_bytes, language))
