"""Shared fixtures: a fresh SQLite store per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from staircase.store import Store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A Store on an empty database file of its own, closed after the test."""
    s = Store(f"sqlite:///{tmp_path}/test.db")
    try:
        yield s
    finally:
        s.close()
