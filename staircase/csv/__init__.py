"""The CSV format of snapshots: writing, reading and validating it (no streamlit, no SQL)."""
