"""UI strings: both languages, same placeholders, and every key the code uses exists."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from staircase.domain.model import LANGS, Problem, Status
from staircase.i18n import LOCALES, placeholders, problem_text, status_label, strings, t

ROOT = Path(__file__).resolve().parent.parent


def test_every_key_has_swedish_and_english_with_the_same_placeholders() -> None:
    table = strings()
    assert table, "no strings loaded"
    assert list(LOCALES.glob("*.yaml")), "no locale files"
    for key, texts in table.items():
        assert set(LANGS) <= set(texts), key
        for lang in LANGS:
            assert isinstance(texts[lang], str), (key, lang)
            assert texts[lang].strip(), (key, lang)
        assert placeholders(texts["sv"]) == placeholders(texts["en"]), key


def test_every_status_has_its_label() -> None:
    assert [status_label(s, "sv") for s in Status] == [
        "I startblocken",
        "På väg",
        "Vi får det att hända",
        "Ej aktuellt",
    ]
    assert [status_label(s.value, "en") for s in Status] == [
        "Not started",
        "On the way",
        "Making it happen",
        "Not applicable",
    ]


def _python_files() -> list[Path]:
    files = [*sorted((ROOT / "staircase").rglob("*.py")), *sorted((ROOT / "pages").rglob("*.py"))]
    if (ROOT / "app.py").exists():
        files.append(ROOT / "app.py")
    return files


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal_keys(tree: ast.AST) -> list[tuple[str, int, str]]:
    """(function, line, key) for t("key", ...) and Problem("key", ...) / Problem(key="...")."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or _name(node.func) not in ("t", "Problem"):
            continue
        candidates: list[ast.expr] = node.args[:1]
        candidates += [kw.value for kw in node.keywords if kw.arg == "key"]
        for arg in candidates:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.append((_name(node.func) or "", node.lineno, arg.value))
    return found


def test_literal_keys_in_the_code_exist() -> None:
    files = _python_files()
    assert any(f.name == "rules.py" for f in files)
    table = strings()
    used: list[str] = []
    missing = []
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for func, line, key in _literal_keys(tree):
            used.append(key)
            if key not in table:
                missing.append(f"{path.relative_to(ROOT)}:{line}: {func}({key!r})")
    assert not missing, "keys used in the code but missing from the locale files:\n" + "\n".join(
        missing
    )
    # the scan really finds the keys (guards against a scanner that finds nothing)
    assert {"unit.name_empty", "state.na_needs_note", "import.conflict"} <= set(used)


def test_the_scanner_sees_the_forms_it_claims_to() -> None:
    source = (
        't("a.b")\n'
        'i18n.t("c.d", lang, n=1)\n'
        'Problem("e.f", {"x": 1}, row=2)\n'
        'model.Problem(key="g.h")\n'
        "t(key)\n"
        't(f"status.{s}")\n'
        'other("i.j")\n'
    )
    assert [k for _, _, k in _literal_keys(ast.parse(source))] == ["a.b", "c.d", "e.f", "g.h"]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("sv", "Rad 7, kolumn note: Anteckningen får vara högst 2000 tecken."),
        ("en", "Row 7, column note: The note may be at most 2000 characters."),
    ],
)
def test_problem_text_names_row_and_column(lang: str, expected: str) -> None:
    problem = Problem("state.note_too_long", {"max": 2000}, row=7, column="note")
    assert problem_text(problem, lang) == expected  # type: ignore[arg-type]


def test_problem_text_with_only_a_row_only_a_column_or_neither() -> None:
    assert problem_text(Problem("unit.name_empty", row=3), "sv") == (
        "Rad 3: Namnet får inte vara tomt."
    )
    assert problem_text(Problem("unit.name_empty", column="unit_path"), "en") == (
        "column unit_path: The name must not be empty."
    )
    assert problem_text(Problem("unit.name_empty"), "en") == "The name must not be empty."
    assert problem_text(Problem("unit.name_taken", {"name": "Åre"}), "sv") == (
        "Det finns redan en enhet som heter ”Åre” på samma nivå."
    )


def test_t_formats_parameters_and_falls_back_to_swedish() -> None:
    assert t("score.step_n", "sv", step=2) == "Steg 2"
    assert t("score.step_n", "en", step=2) == "Step 2"
    assert t("status.done") == "Vi får det att hända"  # Swedish is the default
    assert t("status.done", "de") == "Vi får det att hända"  # type: ignore[arg-type]
    assert t("score.step_n", "fr", step=3) == "Steg 3"  # type: ignore[arg-type]
    with pytest.raises(KeyError):
        t("no.such.key", "sv")


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"a.yaml": 'x.y: {sv: "Ett", en: "One"}\n', "b.yaml": 'x.y: {sv: "Två", en: "Two"}\n'},
            "defined twice",
        ),
        ({"a.yaml": 'x.y: {sv: "Bara svenska"}\n'}, "needs an 'sv' and an 'en'"),
        ({"a.yaml": 'x.y: {sv: "Steg {step}", en: "Step {n}"}\n'}, "different placeholders"),
    ],
)
def test_strings_rejects_broken_locale_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], message: str
) -> None:
    import staircase.i18n as i18n

    for name, content in files.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    strings.cache_clear()
    try:
        with pytest.raises(ValueError, match=message):
            strings()
    finally:
        monkeypatch.undo()
        strings.cache_clear()
    assert "status.done" in strings()
