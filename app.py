"""Lärtrappan: the router. Page config, language, unit picker and the page list."""

import streamlit as st

from staircase.domain.access import Right
from staircase.ui import context, document, login, sidebar

st.set_page_config(page_title="Lärtrappan", page_icon="🪜", layout="wide")
context.leave_legacy_pages_mode()  # before any widget: see its docstring

core = context.get_core(in_page=False)
tr = context.tr
login.gate(core)  # login mode: only a signed-in person with a role gets past
actor = context.actor()
tree = core.units.tree(actor=actor)  # only what the person may see
context.share_unit_tree(tree)
ready = bool(tree.units)  # an empty database shows only the onboarding


def page(path: str, title: str, icon: str, default: bool = False) -> st.Page:
    return st.Page(
        path, title=title, icon=icon, default=default, visibility="visible" if ready else "hidden"
    )


def admin_pages() -> list[st.Page]:
    """The administration section: only what the person's roles reach."""
    pages = []
    if login.may_everywhere(actor, Right.ADMIN):
        pages.append(page("pages/units.py", tr("nav.units"), ":material/account_tree:"))
    if login.may(actor, Right.EXPORT) or login.may(actor, Right.EDIT):
        pages.append(page("pages/data.py", tr("nav.data"), ":material/import_export:"))
    if actor.access is not None and actor.access.everywhere(Right.ADMIN):
        pages.append(page("pages/users.py", tr("nav.users"), ":material/group:"))
        pages.append(page("pages/audit.py", tr("nav.audit"), ":material/policy:"))
    return pages


context.follow_link(tree)  # ?unit=<id>&lang=sv|en, on the session's first run
with st.sidebar:
    sidebar.language_picker()
    if ready:
        sidebar.unit_picker(tree)
        if actor.access is None:  # the embedded mode: a typed name; login mode: st.user's
            sidebar.user_field()
    login.sidebar_identity(actor)
    document.set_document_language(context.lang())  # <html lang>: Streamlit has no setting
shown = context.current_unit(tree)
# A unit with units under it opens on its roll-up; a unit without, on its checklist.
gathers = shown is not None and context.has_units_under(tree, shown.id)

welcome = st.Page(
    "pages/welcome.py",
    title=tr("nav.welcome"),
    icon=":material/waving_hand:",
    default=not ready,
    visibility="hidden" if ready else "visible",
)
# "/" opens the chosen unit's own page; every page keeps an address of its own
# (/organisation, /checklist), whichever unit is chosen.
home = st.Page(
    "pages/home.py", title=tr("nav.home"), default=ready, visibility="hidden", url_path="home"
)
navigation = st.navigation(
    {
        tr("nav.section_start"): [welcome, home],
        tr("nav.section_unit"): [
            organisation := page(
                context.ORGANISATION_PAGE,
                tr("nav.organisation"),
                ":material/lan:",
            ),
            checklist := page(
                context.CHECKLIST_PAGE,
                tr("nav.checklist"),
                ":material/checklist:",
            ),
            page("pages/assessment.py", tr("nav.assessment"), ":material/assignment:"),
            page("pages/handbook.py", tr("nav.handbook"), ":material/menu_book:"),
            page("pages/progress.py", tr("nav.progress"), ":material/trending_up:"),
            page("pages/snapshots.py", tr("nav.snapshots"), ":material/history:"),
        ],
        tr("nav.section_steering"): [
            page("pages/targets.py", tr("nav.targets"), ":material/flag:"),
            page("pages/rounds.py", tr("nav.rounds"), ":material/event_available:"),
        ],
        **({tr("nav.section_admin"): admin} if (admin := admin_pages()) else {}),
        tr("nav.section_about"): [
            st.Page(
                "pages/accessibility.py",
                title=tr("nav.accessibility"),
                icon=":material/accessibility_new:",
                url_path="accessibility",
            ),
        ],
    },
    # Every page listed: an admin's 13 pages are over Streamlit's default of twelve, which
    # hid the admin pages behind a "View 3 more" button (in English, whatever the language).
    expanded=True,
)
# The address: a link to this view (after st.navigation, which sets the page's address).
context.show_link(shown.id if shown is not None else None)
context.follow_unit_home(
    shown.id if shown is not None else None, navigation, checklist, organisation, gathers
)
with context.routing():
    navigation.run()
