"""Login mode: on exactly when Streamlit's secrets hold an `[auth]` section; then who acts
comes from `st.user` (OpenID Connect, through `st.login`/`st.logout`), and their rights from
the roles granted in the database. Without it, the embedded mode: no login, a typed name."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import streamlit as st

from staircase.domain.access import Right, Role
from staircase.domain.units import UnitTree
from staircase.services import Actor, Identity, Lartrappan
from staircase.ui.context import SIGNED_IN_KEY, login_mode, md_escape, tr


def gate(core: Lartrappan) -> None:
    """In login mode, before anything is read: someone not signed in sees only the login
    page, someone without a role only the "ask your administrator" page (each stops the
    run); a person with a role becomes this run's actor. The embedded mode passes."""
    if not login_mode():
        st.session_state.pop(SIGNED_IN_KEY, None)
        return
    if not st.user.is_logged_in:
        st.session_state.pop(SIGNED_IN_KEY, None)
        st.title(tr("login.title"))
        st.write(tr("login.intro"))
        st.button(tr("login.button"), type="primary", on_click=st.login, key="login_button")
        _stop()
    actor = core.people.sign_in(
        Identity(
            issuer=str(st.user.get("iss") or ""),
            subject=str(st.user.get("sub") or ""),
            # Entra ID sends `email` only as an optional claim; its UPN is the usual fallback
            email=str(st.user.get("email") or st.user.get("preferred_username") or ""),
            name=str(st.user.get("name") or ""),
        )
    )
    st.session_state[SIGNED_IN_KEY] = actor
    if actor.access is None or not actor.access.grants:
        st.title(tr("login.no_role_title"))
        st.write(tr("login.no_role", email=md_escape(actor.email or "?")))
        st.button(tr("login.logout"), on_click=st.logout, key="login_logout_norole")
        _stop()


# Every page script, found once per process (the login page shows on many runs).
PAGE_SCRIPTS = tuple(sorted(p.name for p in (Path(__file__).parents[2] / "pages").glob("*.py")))


def _stop() -> NoReturn:
    """End the run with no page list. The first session after a server start has its first
    run in Streamlit's pages/-folder mode, which lists the page files in the sidebar (in
    English, to someone not signed in); a hidden navigation replaces that list. It names
    every page script, so an address such as /checklist is still a page, not "not found"."""
    st.navigation(
        [st.Page(f"pages/{name}", default=name == "home.py") for name in PAGE_SCRIPTS],
        position="hidden",
    )
    st.stop()


def may(actor: Actor, right: Right) -> bool:
    """Whether the actor has the right somewhere (what the navigation shows)."""
    return actor.access is None or actor.access.has(right)


def may_on(actor: Actor, right: Right, unit_id: int, tree: UnitTree) -> bool:
    """Whether the actor has the right on the unit (`tree`: the one they see, which holds
    every unit of their scope with its parents up to the scope's top)."""
    return actor.access is None or actor.access.may(right, unit_id, tree)


def may_everywhere(actor: Actor, right: Right) -> bool:
    return actor.access is None or actor.access.everywhere(right)


def sidebar_identity(actor: Actor) -> None:
    """Which mode is on, and in login mode who is signed in, with what roles, and log out."""
    if actor.access is None:
        st.caption(tr("login.mode_embedded"))
        return
    roles = sorted({g.role for g in actor.access.grants}, key=list(Role).index)
    st.caption(tr("login.mode_login"))
    st.markdown(
        tr(
            "login.signed_in_as",
            name=md_escape(actor.label or actor.email),
            roles=", ".join(tr(f"role.{r.value}") for r in roles),
        )
    )
    st.button(tr("login.logout"), on_click=st.logout, key="login_logout")
