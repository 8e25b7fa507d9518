"""Per-session context: the shared core, the language, the chosen unit, who is acting."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import streamlit as st

from staircase import settings
from staircase.domain.model import DEFAULT_LANG, LANGS, Lang, Unit, ValidationError
from staircase.domain.units import UnitTree
from staircase.i18n import problem_text, t
from staircase.services import Actor, Lartrappan, SchemaTooNewError

LANG_KEY = "lang"
UNIT_KEY = "unit"
ORG_KEY = "organisation"
USER_KEY = "user_name"
APP_PATH = Path(__file__).resolve().parents[2] / "app.py"


@st.cache_resource(show_spinner=False)
def _core(url: str) -> Lartrappan:
    # One core (one engine and connection pool) per database, shared by all sessions;
    # SQLAlchemy engines and the core's caches are thread-safe.
    return Lartrappan(url)


def get_core(*, in_page: bool = True) -> Lartrappan:
    """The shared core. Pages call it first; app.py (the router) passes in_page=False."""
    if in_page:
        _ensure_router()
    try:
        return _core(settings.current().database_url)
    except SchemaTooNewError as exc:  # left untouched: say so instead of a traceback
        st.error(tr("app.db_too_new", found=exc.found, known=exc.known))
        st.stop()


def _ensure_router() -> None:
    """Run pages through app.py's st.navigation, even when Streamlit runs a page file alone.

    While a `pages/` folder exists, Streamlit starts in its legacy multipage mode until some
    run calls st.navigation: the first request of a new server that deep-links to
    /progress, and every AppTest rerun, execute pages/progress.py on its own, without
    the router's sidebar, language and unit picker. Every page calls get_core() first, so
    here the router is run in its place (it runs this page in turn) and the lone run stops.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(APP_PATH), run_name="__main__")
        st.stop()


_RUN_TREE = "_unit_tree_of_this_run"


def share_unit_tree(tree: UnitTree) -> None:
    """The router hands the unit tree it loaded to the page of the same run."""
    st.session_state[_RUN_TREE] = tree


def unit_tree(core: Lartrappan) -> UnitTree:
    """The tree the router loaded in this run (taken once), else a fresh query.

    Callbacks write before the router runs and pages rerun after their own writes, so the
    router's tree is never older than the run that uses it.
    """
    return st.session_state.pop(_RUN_TREE, None) or core.units.tree()


def lang() -> Lang:
    chosen = st.session_state.get(LANG_KEY)
    return chosen if chosen in LANGS else DEFAULT_LANG


def tr(key: str, /, **params: Any) -> str:
    """`t` in the session's language."""
    return t(key, lang(), **params)


def user_name() -> str:
    return str(st.session_state.get(USER_KEY, "")).strip()


def actor() -> Actor:
    """Who acts in this session: the name typed in the sidebar (the embedded mode)."""
    return Actor(user_name())


def current_unit(tree: UnitTree) -> Unit | None:
    unit_id = st.session_state.get(UNIT_KEY)
    unit = tree.units.get(unit_id) if isinstance(unit_id, int) else None
    return unit if unit is not None and not unit.archived else None


def current_organisation(tree: UnitTree) -> int | None:
    """The organisation picked in the sidebar (the top of the chosen unit's tree)."""
    unit = current_unit(tree)
    return tree.root_of(unit.id) if unit is not None else None


def show_problems(error: ValidationError) -> None:
    """Render every problem of a rejected input as one error box."""
    lines = [md_escape(problem_text(p, lang())) for p in error.problems]
    st.error("\n".join(f"- {line}" for line in lines) if len(lines) > 1 else lines[0])


def problems_text(error: ValidationError) -> str:
    return "; ".join(problem_text(p, lang()) for p in error.problems)


_MARKDOWN_SPECIAL = "\\`*_[]()<>#!|~$:"


def md_escape(text: str) -> str:
    """User text made inert for st.markdown: no links, images, HTML or emphasis."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in text)
