"""The download of an export: its size said beside the button before it starts, the file
made only when asked for, and zipped when large (issue #13).

Streamlit (1.50 and later, read in 1.67) keeps every download's bytes in the server's
memory: `st.download_button` reads data of any kind (bytes, a file object, or what a
callable returns) whole into bytes (`runtime/download_data_util.py`), and its media file
storage holds them (`runtime/memory_media_file_storage.py`, the only storage it has) and
serves them from there (`web/server/starlette/starlette_routes.py`, the media route). So the
file is made by a callable (run on the click, not on every rerun of the page) into a
temporary file and read back once (`Transfer.download`), and an export whose CSV would be
larger than `settings.zip_downloads_over_mb` comes zipped: the CSV deflates about 33-fold,
so the bytes Streamlit holds stay small at any scale the app is used at.

A zipped (large) export takes minutes at national scale, and Streamlit's browser side waits
at most 180 s for a deferred download's file, so a large file is made first, in a script
run of its own ("Ta fram filen", with a spinner; a script run has no such limit), into a
temporary file kept for the session; the download button then only reads that file. The
file goes when the choice (units, format, language) or the data changes, and with the
session (it has no name on disk, and closes when the session's state is dropped).

A compiled document (the management report, the leader's handbook) is small (kilobytes to a
few megabytes) but takes seconds to make: `make_document` makes it on request, with a
status naming each step, into one slot of the session's state per kind (a new one replaces
the last, so a session holds at most one of each), and `offer_document` gives its download
button with its name and size.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

import streamlit as st

from staircase.csv.format import CsvVariant
from staircase.domain.model import Lang, ValidationError
from staircase.domain.units import UnitTree
from staircase.i18n import file_size, number
from staircase.reports.pdf import PdfError
from staircase.services import Lartrappan
from staircase.services.transfer import ExportSize, Scope
from staircase.ui.context import actor, lang, md_escape, show_problems, tr
from staircase.ui.document import queue_announcement

Made = tuple[bytes, str, str]
"""A compiled document: its bytes, its file name, its media type."""

PREPARED = "_download_prepared"
"""Session state: the `Prepared` file of a large export."""


@dataclass
class Prepared:
    """A large export's file, made for this session."""

    key: tuple[object, ...]
    """What it is the file of: the units, the format, the language, the data's revision and
    the file's name (it has the day in it)."""
    file: BinaryIO
    size: int
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self) -> bytes:
        """The file's bytes (for the download button; a closed file raises ValueError, which
        the button shows as a failed download)."""
        with self.lock:
            self.file.seek(0)
            return self.file.read()


def drop_prepared() -> None:
    """Close and forget this session's prepared file, if any."""
    prepared = st.session_state.pop(PREPARED, None)
    if prepared is not None:
        with prepared.lock:
            prepared.file.close()


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
    its download button. Everything is read as the signed-in person (their export right)."""
    language, who = lang(), actor()
    unit_ids = tree.export_scope(unit_id, scope)
    size = core.transfer.export_size(unit_ids, variant, language, actor=who)
    csv_name = core.transfer.export_filename(tree, unit_id, scope, variant, language)
    file_name = core.transfer.export_filename(
        tree, unit_id, scope, variant, language, zipped=size.zipped
    )
    if not size.zipped:
        drop_prepared()
        st.caption(size_text(size, file_name, language))
        st.download_button(
            tr("data.download"),
            data=lambda: core.transfer.download(
                unit_ids, variant, language, zipped=False, member=csv_name, actor=who
            ),
            file_name=file_name,
            mime="text/csv",
            type="primary",
            icon=":material/download:",
            on_click="ignore",
            key=key,
        )
        return
    ids = None if unit_ids is None else tuple(unit_ids)
    wanted = (ids, variant, language, size.revision, file_name)
    prepared = st.session_state.get(PREPARED)
    if prepared is not None and prepared.key != wanted:
        drop_prepared()
        prepared = None
    if prepared is None:
        st.caption(size_text(size, file_name, language))
        if not st.button(tr("data.prepare"), icon=":material/archive:", key=f"{key}_prepare"):
            return
        with st.spinner(tr("data.preparing"), show_time=True):
            file = core.transfer.prepare_download(
                unit_ids, variant, language, zipped=True, member=csv_name, actor=who
            )
        file.seek(0, 2)
        st.session_state[PREPARED] = Prepared(wanted, file, file.tell())
        st.rerun()  # drawn anew: the file's size and its download button
    st.caption(
        tr(
            "data.size_ready",
            name=md_escape(file_name),
            rows=number(size.rows, language),
            size=file_size(prepared.size, language),
        )
    )
    st.download_button(
        tr("data.download"),
        data=prepared.read,
        file_name=file_name,
        mime="application/zip",
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


def make_document(
    slot: str,
    unit_id: int,
    make: Callable[[Callable[[str], None]], Made],
    *,
    making: str,
    refused: str,
    ready_key: str,
) -> None:
    """Make a document for the unit with a status while it is made (`make(step)` says each
    step it starts, and returns the document), and keep it in the session's `slot` (the
    last one made there is dropped). A refusal or a failed layout is shown, and the slot
    kept as it was."""
    with st.status(making, expanded=False) as status:
        try:
            data, name, media = make(lambda label: status.update(label=label))
        except ValidationError as exc:
            status.update(label=refused, state="error", expanded=True)
            show_problems(exc)
            return
        except PdfError as exc:
            status.update(label=refused, state="error", expanded=True)
            st.error(tr("report.ui.pdf_failed", reason=str(exc)))
            return
        st.session_state[slot] = (unit_id, data, name, media)
        status.update(label=tr(ready_key, name=name), state="complete")
    queue_announcement(tr(ready_key, name=name))


def offer_document(slot: str, unit_id: int, label_key: str, *, key: str) -> None:
    """The download button of the document in `slot`, when it was made for the unit: its
    label `label_key` says the file's name and size."""
    made = st.session_state.get(slot)
    if made is None or made[0] != unit_id:
        return
    _, data, name, media = made
    st.download_button(
        tr(label_key, name=name, size=file_size(len(data), lang())),
        data=data,
        file_name=name,
        mime=media,
        icon=":material/download:",
        on_click="ignore",
        key=key,
    )
