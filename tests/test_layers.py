"""The layers stay layers: what each package may import (read from the code, not trusted)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "staircase"

# package (or file group) → module prefixes it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": (
        "streamlit",
        "sqlalchemy",
        "staircase.storage",
        "staircase.services",
        "staircase.ui",
    ),
    "storage": ("streamlit", "staircase.services", "staircase.ui", "staircase.csv"),
    "services": ("streamlit", "staircase.ui"),
    "csv": ("streamlit", "sqlalchemy", "staircase.storage", "staircase.services", "staircase.ui"),
    "views": ("streamlit", "sqlalchemy", "staircase.storage", "staircase.services", "staircase.ui"),
    "ui": ("sqlalchemy", "staircase.storage"),
    "pages": ("sqlalchemy", "staircase.storage"),
}


def _files(group: str) -> list[Path]:
    if group == "pages":
        return [*sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
    return sorted((PACKAGE / group).rglob("*.py"))


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module a file imports (line, dotted name), including `from x import y` as x.y."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


@pytest.mark.parametrize("group", list(FORBIDDEN))
def test_no_layer_imports_what_it_must_not(group: str) -> None:
    files = _files(group)
    assert files, f"no files found for {group}: the test would check nothing"
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in files
        for line, name in imports(path)
        if any(name == p or name.startswith(p + ".") for p in FORBIDDEN[group])
    ]
    assert not bad, "\n".join(bad)


def test_the_import_scan_sees_both_import_forms(tmp_path: Path) -> None:
    source = tmp_path / "x.py"
    source.write_text("import sqlalchemy.orm\nfrom staircase import storage\n", encoding="utf-8")
    names = [name for _, name in imports(source)]
    assert "sqlalchemy.orm" in names and "staircase.storage" in names


def test_the_core_loads_without_streamlit() -> None:
    """What the CLI and scripts import never pulls streamlit in (not even indirectly)."""
    code = (
        "import sys, staircase.services, staircase.services.demo, staircase.csv.format, "
        "staircase.views.charts, staircase.views.pictures, staircase.views.tables, "
        "staircase.__main__; "
        "assert 'streamlit' not in sys.modules, 'streamlit was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_only_the_door_opens_write_transactions() -> None:
    """`Database.write()` is called in one place: services/door.py. Every other module writes
    on the connection the door hands it, so the actor (and later the permission check and
    the audit record) can never be skipped."""
    callers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "write"
                and isinstance(node.func.value, ast.Attribute | ast.Name)
                and (getattr(node.func.value, "attr", None) or getattr(node.func.value, "id", ""))
                in ("db", "database")
            ):
                callers.append(str(path.relative_to(ROOT)))
    assert callers == ["staircase/services/door.py"], callers


def bare_constants(source: str) -> list[int]:
    """Lines of a script's top-level bare constants after its docstring: Streamlit's
    "magic" writes each one on the page."""
    body = ast.parse(source).body
    return [
        node.lineno
        for node in body[1:]
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    ]


def test_no_page_script_has_a_stray_string_that_magic_would_show() -> None:
    # pages/audit.py had an attribute docstring under a constant, shown in English at the
    # top of the audit trail in both languages (stop 20).
    scripts = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    found = {s.name: lines for s in scripts if (lines := bare_constants(s.read_text()))}
    assert found == {}
    assert bare_constants('"""doc"""\nSHOWN = 500\n"""shown"""\n') == [3]  # the scan works
