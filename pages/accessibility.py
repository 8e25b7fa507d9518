"""The accessibility statement (tillgänglighetsredogörelse), in the session's language."""

import streamlit as st

from staircase.ui.context import tr

st.title(tr("a11y.title"))
st.markdown(tr("a11y.intro"))
for part in ("status", "limits", "tested", "report", "supervision"):
    st.header(tr(f"a11y.{part}_title"))
    st.markdown(tr(f"a11y.{part}"))
