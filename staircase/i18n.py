"""UI strings in Swedish and English: `t(key, lang, **params)`.

The strings live in `staircase/locales/*.yaml`, one file per area of the app; every key holds
an `sv` and an `en` text with the same `{placeholders}`. Keys are unique across files.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from staircase.domain.model import DEFAULT_LANG, LANGS, Lang, Problem, Status

LOCALES = Path(__file__).resolve().parent / "locales"


@cache
def strings() -> Mapping[str, Mapping[str, str]]:
    """Every key → {lang: text}, merged from the locale files; checked once per process."""
    merged: dict[str, Mapping[str, str]] = {}
    for path in sorted(LOCALES.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            data = yaml.safe_load(fh) or {}
        for key, texts in data.items():
            if key in merged:
                raise ValueError(f"{path.name}: key {key!r} is defined twice")
            if not isinstance(texts, Mapping) or any(
                not isinstance(texts.get(lang), str) for lang in LANGS
            ):
                raise ValueError(f"{path.name}: {key!r} needs an 'sv' and an 'en' text")
            if placeholders(texts["sv"]) != placeholders(texts["en"]):
                raise ValueError(f"{path.name}: {key!r} has different placeholders per language")
            merged[key] = texts
    return merged


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def t(key: str, lang: Lang = DEFAULT_LANG, /, **params: Any) -> str:
    """The text of `key` in `lang`, with `params` filled in."""
    text = strings()[key][lang if lang in LANGS else DEFAULT_LANG]
    return text.format(**params) if params else text


def status_label(status: Status | str, lang: Lang) -> str:
    return t(f"status.{Status(status).value}", lang)


def action_label(action: str, lang: Lang) -> str:
    """An audited write's action (`unit.create`, `state.note`, …) in words; an action this
    version has no words for (one a later version wrote) as its id."""
    key = f"audit.action.{action}"
    return t(key, lang) if key in strings() else action


def percent(value: float | None, lang: Lang) -> str:
    """0.75 → '75 %' (Swedish puts a space before the sign, as does this English UI)."""
    # Half rounds up (62.5 → 63), as Plotly's hover labels do; round() would give 62.
    return "–" if value is None else f"{math.floor(value * 100 + 0.5)} %"


def number(n: int, lang: Lang) -> str:
    """10000 → '10 000' (sv, with a no-break space) / '10,000' (en)."""
    text = f"{n:,}"
    return text if lang == "en" else text.replace(",", "\u00a0")


def file_size(size: int, lang: Lang) -> str:
    """A file's size as people read it: '172 B', '3.4 kB', '41 MB', '1.3 GB' (',' in
    Swedish). Powers of 1024, as the upload limit's MB and most file managers count."""
    value, unit = float(size), "B"
    for larger in ("kB", "MB", "GB", "TB"):
        if value < 1024:
            break
        value, unit = value / 1024, larger
    if unit == "B":
        return f"{size}\u00a0B"
    text = f"{value:.1f}" if value < 10 else number(round(value), lang)
    return f"{text if lang == 'en' else text.replace('.', ',')}\u00a0{unit}"


def problem_text(problem: Problem, lang: Lang) -> str:
    """A problem as one line saying what is wrong and where (row, column)."""
    message = t(problem.key, lang, **problem.params)
    where = []
    if problem.row is not None:
        where.append(t("problem.row", lang, row=problem.row))
    if problem.column is not None:
        where.append(t("problem.column", lang, column=problem.column))
    return f"{', '.join(where)}: {message}" if where else message
