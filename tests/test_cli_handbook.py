"""`python -m staircase handbook --unit PATH --format pdf|docx FILE`: a unit's own handbook
on the command line, written whole or not at all."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import docx
import pypdf
import pytest

from staircase.__main__ import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, main
from staircase.services import Actor, Lartrappan

NORR = "Norrby kommun > Hemtjänst Norr"
VISION = "Hos oss lär vi av varandra varje dag, så att brukarna märker det."
ANSWER = "Vi tar upp lärandet i ledningsgruppen varje månad."


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("STAIRCASE_DB_URL", f"sqlite:///{tmp_path}/default.db")
    url = f"sqlite:///{tmp_path}/handbook.db"
    store = Lartrappan(url)
    try:
        root = store.units.create(Actor(""), "Norrby kommun").id
        north = store.units.create(Actor(""), "Hemtjänst Norr", root).id
        store.handbook.set_vision(Actor("Anna"), north, VISION)
        store.handbook.set_answer(Actor("Anna"), north, "learning-at-every-level", ANSWER)
        store.handbook.add_ambassador(Actor("Anna"), north, "Karin Ek", "APT-reflektion")
    finally:
        store.close()
    yield url


def test_the_handbook_as_pdf_holds_the_vision_and_an_answer(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "handbok.pdf"
    assert main(["--db", url, "handbook", "--unit", NORR, "--format", "pdf", str(out)]) == EXIT_OK
    assert f"Handboken för {NORR} skriven till {out}" in capsys.readouterr().out
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "Vår handbok: Hemtjänst Norr" in text
    assert VISION in text
    assert ANSWER in text
    assert "Karin Ek" in text
    assert not list(tmp_path.glob("*.part"))


def test_the_handbook_as_word_in_english_holds_the_vision_and_an_answer(
    url: str, tmp_path: Path
) -> None:
    out = tmp_path / "handbook.docx"
    argv = ["--db", url, "--lang", "en", "handbook", "--unit", NORR, "--format", "docx", str(out)]
    assert main(argv) == EXIT_OK
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [c.text for table in document.tables for row in table.rows for c in row.cells]
    assert paragraphs[0] == "Our handbook: Hemtjänst Norr"
    assert VISION in paragraphs
    assert ANSWER in cells
    assert "(not answered yet)" in cells
    assert {"Karin Ek", "APT-reflektion"} <= set(cells)
    assert document.core_properties.language == "en-GB"


def test_an_unknown_unit_is_refused_and_no_file_is_left(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "handbok.docx"
    argv = ["--db", url, "handbook", "--unit", "Norrby kommun > Ingen", "--format", "docx"]
    assert main([*argv, str(out)]) == EXIT_REJECTED
    assert "Norrby kommun > Ingen" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [tmp_path / "handbook.db"]


def test_a_format_other_than_pdf_or_docx_is_a_usage_error(url: str, tmp_path: Path) -> None:
    argv = ["--db", url, "handbook", "--unit", NORR, "--format", "xlsx", str(tmp_path / "x")]
    assert main(argv) == EXIT_USAGE
    assert main(["--db", url, "handbook", "--format", "pdf", str(tmp_path / "x")]) == EXIT_USAGE
    assert not (tmp_path / "x").exists()


def test_the_help_is_in_swedish_and_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, expected in (
        (["handbook", "--help"], "Sammanställer enhetens handbok"),
        (["--lang", "en", "handbook", "--help"], "Compiles the unit's handbook"),
    ):
        assert main(argv) == EXIT_OK
        assert expected in capsys.readouterr().out
