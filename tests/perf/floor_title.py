"""The floor: a near-empty Streamlit page (a title only)."""

import streamlit as st

st.title("Lärtrappan")
