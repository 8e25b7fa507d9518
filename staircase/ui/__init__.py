"""The Streamlit side of the app: cached resources, session helpers and shared widgets.

The only package module (besides app.py and pages/) that imports streamlit.
"""
