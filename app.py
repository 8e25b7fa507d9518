"""Lärtrappan: the router. Page config, language, unit picker and the page list."""

import streamlit as st

from staircase.ui import context, sidebar

st.set_page_config(page_title="Lärtrappan", page_icon="🪜", layout="wide")

store = context.get_store()
tr = context.tr

with st.sidebar:
    sidebar.language_picker()

if not store.has_units():
    pages: list[st.Page] | dict[str, list[st.Page]] = [
        st.Page("pages/welcome.py", title=tr("nav.welcome"), icon="👋", default=True)
    ]
else:
    with st.sidebar:
        sidebar.unit_picker(store.unit_tree())
        sidebar.user_field()
    pages = {
        tr("nav.section_unit"): [
            st.Page("pages/checklist.py", title=tr("nav.checklist"), icon="✅", default=True),
            st.Page("pages/progress.py", title=tr("nav.progress"), icon="📈"),
            st.Page("pages/snapshots.py", title=tr("nav.snapshots"), icon="🗂️"),
        ],
        tr("nav.section_admin"): [
            st.Page("pages/units.py", title=tr("nav.units"), icon="🏛️"),
            st.Page("pages/data.py", title=tr("nav.data"), icon="⇅"),
        ],
    }

st.navigation(pages).run()
