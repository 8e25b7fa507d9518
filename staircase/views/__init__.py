"""Plotly figures and tables built from plain data, for pages and reports (no streamlit)."""
