"""The browser floors, served by one `streamlit run`: ?floor=title (a title only, the
default), ?floor=chart (tests/perf/floor_chart.py) or ?floor=widget (a title and one
segmented control, to time a rerun after a click)."""

import runpy
from pathlib import Path

import streamlit as st

kind = st.query_params.get("floor", "title")
if kind == "chart":
    runpy.run_path(str(Path(__file__).with_name("floor_chart.py")))
else:
    st.title("Lärtrappan")
    if kind == "widget":
        st.segmented_control(
            "Status", ["I startblocken", "På väg", "Vi får det att hända"], key="floor_status"
        )
