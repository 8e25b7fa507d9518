"""Performance benchmark of issue #4: national-scale data, the Streamlit floor, ratios.

Not part of the default test run (pytest collects only test_*.py files). Run it with
`python3 -m tests.perf.bench` (see the README's "Performance" section).
"""
