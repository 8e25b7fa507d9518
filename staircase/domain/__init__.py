"""The pure domain: units, rules and limits, scoring, the catalogue, diffs. No SQL, no streamlit."""
