"""The words right (issue #11): "praktik" means internship (and "praktiker" practitioners) to
a Swedish reader and is in none of the sources; the Swedish UI says "arbetssätt". Levels
are named by their labels, not by "på plats"/"in place"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from staircase.domain.assessment import ASSESSMENT_PATH
from staircase.domain.catalogue import CATALOGUE_PATH
from staircase.domain.model import Status
from staircase.i18n import status_label, strings, t

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile("praktik", re.IGNORECASE)


def _swedish(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """(where, text) for every Swedish text of a bilingual YAML file ({sv, en} mappings)."""
    if isinstance(node, dict):
        if isinstance(node.get("sv"), str):
            yield where, node["sv"]
        for key, value in node.items():
            if key not in ("sv", "en"):
                yield from _swedish(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _swedish(value, f"{where}[{i}]")


def _all_strings(node: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _all_strings(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _all_strings(value, f"{where}[{i}]")


def test_no_swedish_locale_text_says_praktik() -> None:
    found = [key for key, texts in strings().items() if WORD.search(texts["sv"])]
    assert not found, found


@pytest.mark.parametrize("path", [CATALOGUE_PATH, ASSESSMENT_PATH], ids=lambda p: p.name)
def test_no_swedish_model_text_says_praktik(path: Path) -> None:
    with path.open(encoding="utf-8") as fh:
        texts = list(_swedish(yaml.safe_load(fh)))
    assert len(texts) > 20  # the walk found the texts
    found = [where for where, text in texts if WORD.search(text)]
    assert not found, found


def test_no_demo_note_or_comment_says_praktik() -> None:
    with (ROOT / "data" / "demo.yaml").open(encoding="utf-8") as fh:
        found = [w for w, text in _all_strings(yaml.safe_load(fh)) if WORD.search(text)]
    assert not found, found


def test_the_readme_names_no_swedish_ui_element_praktik() -> None:
    """The README is in English and names the Swedish UI in *italics* or **bold**."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = re.findall(r"\*\*([^*\n]+)\*\*|\*([^*\n]+)\*", readme)
    assert len(names) > 50
    found = [bold or italic for bold, italic in names if WORD.search(bold or italic)]
    assert not found, found
    assert "Enheter och arbetssätt" in readme  # the page's name, as the UI says it


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_scoring_rule_and_the_step_progress_name_the_level(lang: str) -> None:
    """Not "på plats"/"in place", which the user cannot map to a level."""
    made_it = status_label(Status.DONE, lang)
    rule = t("score.rule", lang)
    progress = t("checklist.step_progress", lang, percent="75 %", done=3, applicable=4)
    for text in (
        rule,
        progress,
        t("chart.staircase.hover", lang, percent="", done=1, applicable=2),
    ):
        assert made_it in text
        assert "på plats" not in text and "in place" not in text


def test_one_word_for_the_same_thing() -> None:
    swedish = "\n".join(texts["sv"] for texts in strings().values())
    assert "Steg uppnått" not in swedish  # "Uppnått steg", as the charts say
    assert not re.search("demodata", swedish, re.IGNORECASE)  # "exempeldata", as the CLI says
    assert "nästa steg?" not in t("checklist.note_placeholder", "sv")  # not the staircase's steg
