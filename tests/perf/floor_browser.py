"""The browser floors, served by one `streamlit run`: ?floor=title (a title only, the
default), ?floor=chart (tests/perf/floor_chart.py) or ?floor=widget (a title and one
segmented control and a run counter, to time a rerun after a click)."""

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
        # A run counter: the benchmark waits for it to change, since a run this short can
        # start and end within one frame of the page (no visible 'running' state).
        st.session_state["floor_runs"] = st.session_state.get("floor_runs", 0) + 1
        st.caption(f"run {st.session_state['floor_runs']}")
