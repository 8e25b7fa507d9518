"""AppTest fixtures: the whole app (router + page) against a fresh database per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from staircase.services import Lartrappan

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Lartrappan]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("STAIRCASE_DB_URL", url)
    store = Lartrappan(url)
    yield store
    store.close()


@pytest.fixture
def demo_store(store: Lartrappan) -> Lartrappan:
    from staircase.services.demo import load_demo

    load_demo(store)
    return store


@pytest.fixture
def open_page(store: Lartrappan) -> Callable[..., AppTest]:
    """Start the app as a browser would, then go to `page` ('pages/x.py') for `unit_id`."""

    def open_page(
        page: str | None = None, unit_id: int | None = None, lang: str = "sv", user: str = ""
    ) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if lang != "sv":
            at.session_state["lang"] = lang
        if user:
            at.session_state["user_name"] = user
        if unit_id is not None:
            at.session_state["unit"] = unit_id
        at.run()
        if page is not None:
            at.switch_page(page)
        # Under AppTest every run after the first goes through staircase.ui.context's
        # router fallback, which gives the sidebar's widgets other ids than the first
        # run did; one more run makes the ids the tests click on the stable ones.
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def leaf(store: Lartrappan, name: str) -> int:
    """The id of the unit called `name` (unique in the demo data)."""
    tree = store.units.tree()
    return next(u.id for u in tree.units.values() if u.name == name)
