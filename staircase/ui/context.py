"""Per-session context: the shared core, the language, the chosen unit, who is acting."""

from __future__ import annotations

import runpy
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import CodeType, FrameType
from typing import Any, NoReturn

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
SIGNED_IN_KEY = "_signed_in_actor"
"""Login mode: the actor `login.gate` made of st.user and their roles, this run."""
APP_PATH = Path(__file__).resolve().parents[2] / "app.py"


@st.cache_resource(show_spinner=False)
def _core(url: str, login: bool = False) -> Lartrappan:
    # One core (one engine and connection pool) per database, shared by all sessions;
    # SQLAlchemy engines and the core's caches are thread-safe. In login mode it refuses
    # every read and write that does not come from a signed-in actor.
    return Lartrappan(url, login=login)


def login_mode() -> bool:
    """Whether the secrets (the project's or the user's .streamlit/secrets.toml) hold an
    [auth] section: then the app asks everyone to log in."""
    try:
        return bool(st.secrets.load_if_toml_exists()) and "auth" in st.secrets
    except Exception:  # an unreadable secrets file: Streamlit reports it itself
        return False


def get_core(*, in_page: bool = True) -> Lartrappan:
    """The shared core. Pages call it first; app.py (the router) passes in_page=False."""
    if in_page:
        _ensure_router()
    try:
        return _core(settings.current().database_url, login_mode())
    except SchemaTooNewError as exc:  # left untouched: say so instead of a traceback
        st.error(tr("app.db_too_new", found=exc.found, known=exc.known))
        st.stop()


_ROUTING = "_router_is_running"
_ROUTED_BEFORE = "_router_has_run"


def leave_legacy_pages_mode() -> None:
    """Rerun at once when this run is Streamlit's legacy multipage mode; app.py calls it first.

    The client's layout keeps the page scripts in `pages/` beside app.py, and such a folder
    makes Streamlit run each session that starts before any session has called
    st.navigation in its legacy mode: app.py, or a page script alone, runs as a page of a
    navigation Streamlit builds from the folder, under another page hash than every later
    run. Its widgets then get other ids, so a name typed in that first run was dropped by the
    next one, and a page run alone had no sidebar. That navigation has already switched the
    mode off for the process, so a rerun, before any widget is drawn, is a normal run.
    Only a session's first run can be such a run (the mode is off from the first
    st.navigation on), so the rerun never drops a click. AppTest, which runs every run in
    that mode, consistently, is left alone after its first run.
    """
    if not st.session_state.get(_ROUTED_BEFORE) and _legacy_run() and not _under_apptest():
        _rerun_in_navigation_mode()


def _rerun_in_navigation_mode() -> NoReturn:
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False  # for the whole process, as st.navigation does
    st.rerun()


def _legacy_run() -> bool:
    return _on_stack(lambda code: code.co_name == "_mpa_v1")  # the pages/ folder's runner


def _under_apptest() -> bool:
    return _on_stack(lambda code: "streamlit/testing/" in code.co_filename.replace("\\", "/"))


def _on_stack(test: Callable[[CodeType], bool]) -> bool:
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if test(frame.f_code):
            return True
        frame = frame.f_back
    return False


@contextmanager
def routing() -> Iterator[None]:
    """app.py runs the chosen page inside this: a page run outside it ran without the router."""
    st.session_state[_ROUTING] = st.session_state[_ROUTED_BEFORE] = True
    try:
        yield
    finally:
        st.session_state.pop(_ROUTING, None)


def _ensure_router() -> None:
    """A page script run without the router: on a session's first run (a fresh server, see
    `leave_legacy_pages_mode`) rerun; later (AppTest runs the page file itself on every
    rerun) run the router in its place, which runs this page in turn."""
    if st.session_state.get(_ROUTING):
        return
    if not st.session_state.get(_ROUTED_BEFORE) and not _under_apptest():
        _rerun_in_navigation_mode()
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
    return st.session_state.pop(_RUN_TREE, None) or core.units.tree(actor=actor())


LINK_UNIT = "unit"
LINK_LANG = "lang"
_LINK_FOLLOWED = "_link_followed"
_LINK_SHOWN = "_unit_in_address"
"""The unit id `show_link` last wrote into the address."""


def follow_link(tree: UnitTree) -> None:
    """Open the view the address names: `?unit=<id>&lang=sv|en`.

    On a session's first run both are read; later, the unit is read again whenever the
    address names another unit than the one `show_link` last wrote there: a link inside the
    app (`unit_link`, a drill-down) has moved to it. The router calls this before the
    sidebar's widgets. A value that names no unit to show (see `UnitTree.resolve_link`) or
    no language is ignored: the session starts as a bare address does, in Swedish on the
    first unit. Otherwise later runs keep the session's own choices; `show_link` then writes
    them into the address.
    """
    raw_unit = st.query_params.get(LINK_UNIT)
    if not st.session_state.get(_LINK_FOLLOWED):
        st.session_state[_LINK_FOLLOWED] = True
        wanted = st.query_params.get(LINK_LANG)
        if wanted in LANGS:
            st.session_state[LANG_KEY] = wanted
        _open(tree.resolve_link(raw_unit))
    elif raw_unit is not None and raw_unit != st.session_state.get(_LINK_SHOWN):
        _open(tree.resolve_link(raw_unit))
    if st.session_state.get(LANG_KEY) not in LANGS:
        st.session_state[LANG_KEY] = DEFAULT_LANG


def _open(unit_id: int | None) -> None:
    if unit_id is not None:
        st.session_state[UNIT_KEY] = unit_id


_LAST_UNIT = "_unit_of_last_run"


def follow_unit_home(
    unit_id: int | None,
    current: st.Page,
    checklist: st.Page,
    organisation: st.Page,
    gathers: bool,
) -> None:
    """When the session has just moved to another unit, from the checklist or the roll-up,
    go to that unit's own one of the two (its roll-up when it has units under it)."""
    moved = unit_id != st.session_state.get(_LAST_UNIT, unit_id)
    st.session_state[_LAST_UNIT] = unit_id
    if not moved or _under_apptest():
        # AppTest runs every page through the router fallback (`_ensure_router`), where a
        # page switch from the router drops the session's widget state; the browser tests
        # (tests/browser/test_organisation.py) cover the switch.
        return
    if gathers and current.url_path == checklist.url_path:
        st.switch_page(organisation)
    if not gathers and current.url_path == organisation.url_path:
        st.switch_page(checklist)


ORGANISATION_PAGE = "pages/organisation.py"
CHECKLIST_PAGE = "pages/checklist.py"


def has_units_under(tree: UnitTree, unit_id: int) -> bool:
    return any(not child.archived for child in tree.children(unit_id))


def home_page(tree: UnitTree, unit_id: int) -> str:
    """Where a unit opens: the roll-up for a unit with units under it, else its checklist."""
    return ORGANISATION_PAGE if has_units_under(tree, unit_id) else CHECKLIST_PAGE


def unit_link(tree: UnitTree, unit_id: int, label: str, **kwargs: Any) -> None:
    """A link that opens the unit's own page in this session (a drill-down)."""
    page_link(home_page(tree, unit_id), unit_id, label, **kwargs)


def page_link(page: str, unit_id: int, label: str, **kwargs: Any) -> None:
    """A link to `page` for the unit, in this session, with an address that says which.
    The label is shown as it is (it holds unit and person names: never markup)."""
    st.page_link(
        page,
        label=md_escape(label),
        query_params={LINK_UNIT: str(unit_id), LINK_LANG: lang()},
        **kwargs,
    )


def open_unit(tree: UnitTree, unit_id: int) -> NoReturn:
    """Go to the unit's own page now (as `unit_link` does on a click)."""
    st.switch_page(
        home_page(tree, unit_id), query_params={LINK_UNIT: str(unit_id), LINK_LANG: lang()}
    )


def show_link(unit_id: int | None) -> None:
    """Keep the address a link to what the session shows: `?unit=<id>&lang=<code>`.

    Written only when it differs, so an unchanged run sends nothing; a bad value from the
    address is replaced here too. Other parameters are left as they are.
    """
    wanted: dict[str, str] = {LINK_LANG: lang()}
    if unit_id is not None:
        wanted[LINK_UNIT] = str(unit_id)
    current = st.query_params.to_dict()
    if st.session_state.get(_LINK_SHOWN) != wanted.get(LINK_UNIT):
        # Another unit than this session's address showed: a link inside the app moves
        # Streamlit's own copy of the address but not the browser's, so write it all.
        current = {}
    st.session_state[_LINK_SHOWN] = wanted.get(LINK_UNIT)
    changes = {k: v for k, v in wanted.items() if current.get(k) != v}
    if changes:
        st.query_params.update(changes)
    if unit_id is None and LINK_UNIT in current:
        del st.query_params[LINK_UNIT]


def lang() -> Lang:
    chosen = st.session_state.get(LANG_KEY)
    return chosen if chosen in LANGS else DEFAULT_LANG


def tr(key: str, /, **params: Any) -> str:
    """`t` in the session's language."""
    return t(key, lang(), **params)


def user_name() -> str:
    signed_in = st.session_state.get(SIGNED_IN_KEY)
    if isinstance(signed_in, Actor):
        return signed_in.label
    return str(st.session_state.get(USER_KEY, "")).strip()


def actor() -> Actor:
    """Who acts in this session: in login mode the signed-in person with their roles (see
    `login.gate`), else the name typed in the sidebar (the embedded mode)."""
    signed_in = st.session_state.get(SIGNED_IN_KEY)
    return signed_in if isinstance(signed_in, Actor) else Actor(user_name())


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
