"""The one-chart floor: a title and one Plotly chart of small, pre-aggregated data.

About what one of the app's charts draws (4 series × 60 months), with no database and
no aggregation: the cost of Streamlit plus Plotly alone.
"""

import pandas as pd
import plotly.express as px
import streamlit as st

months = pd.date_range("2021-01-01", periods=60, freq="MS")
frame = pd.DataFrame(
    {
        "month": list(months) * 4,
        "series": [s for s in ("Steg 1", "Steg 2", "Steg 3", "Mognad") for _ in months],
        "value": [(i % 60) / 60 for i in range(240)],
    }
)
st.title("Lärtrappan")
st.plotly_chart(px.line(frame, x="month", y="value", color="series"), key="floor_chart")
