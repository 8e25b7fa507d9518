"""Lärtrappan: the maturity staircase of a learning organisation, as data, scores and history."""
