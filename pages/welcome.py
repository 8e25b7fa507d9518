"""Onboarding on an empty database: create the first unit, or load demo data."""

import streamlit as st

from staircase.domain.model import ValidationError
from staircase.services.demo import load_demo
from staircase.ui.context import UNIT_KEY, actor, get_core, lang, show_problems, tr
from staircase.ui.document import other_language_hint

core = get_core()

st.title(tr("welcome.title"))
st.markdown(tr("welcome.intro"))

create, demo = st.columns(2, gap="large")
with create, st.container(border=True):
    st.subheader(tr("welcome.create_title"))
    with st.form("welcome_create_form"):
        name = st.text_input(tr("welcome.unit_name"), placeholder=tr("welcome.unit_placeholder"))
        if st.form_submit_button(tr("welcome.create"), type="primary"):
            try:
                st.session_state[UNIT_KEY] = core.units.create(actor(), name).id
                st.switch_page("pages/checklist.py")
            except ValidationError as error:
                show_problems(error)

with demo, st.container(border=True):
    st.subheader(tr("welcome.demo_title"))
    st.markdown(tr("welcome.demo_text"))
    if st.button(tr("welcome.load_demo"), key="welcome_demo"):
        try:
            with st.spinner(tr("welcome.loading_demo")):
                load_demo(core)
        except ValidationError as error:  # someone else filled the database meanwhile
            show_problems(error)
        else:
            st.session_state[UNIT_KEY] = core.units.tree(actor=actor()).first_leaf()
            st.switch_page("pages/checklist.py")

other_language_hint(lang())  # written in the other language: marked so
