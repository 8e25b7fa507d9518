"""The shared figure cache: built once per distinct data, rebuilt as soon as the data differs."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from staircase.domain.catalogue import load_catalogue
from staircase.ui.figures import chart, fingerprint

CAT = load_catalogue()
built: list[tuple[int, ...]] = []


def line(frame: pd.DataFrame, title: str) -> go.Figure:
    built.append(tuple(frame["y"]))
    return go.Figure(go.Scatter(x=frame["x"], y=frame["y"]), layout={"title": title})


def test_equal_data_reuses_the_figure_and_changed_data_rebuilds_it() -> None:
    built.clear()
    frame = pd.DataFrame({"x": [1, 2, 3], "y": [10, 20, 30]})
    first = chart(line, frame, "sv")
    assert chart(line, frame.copy(), "sv") is first  # equal content: no rebuild
    assert built == [(10, 20, 30)]

    changed = frame.assign(y=[10, 20, 31])  # e.g. a new snapshot moved one value
    assert list(chart(line, changed, "sv").data[0].y) == [10, 20, 31]
    assert chart(line, frame, "en") is not first  # another language is another figure
    assert built == [(10, 20, 30), (10, 20, 31), (10, 20, 30)]


def test_fingerprints_tell_content_apart() -> None:
    a = pd.DataFrame({"unit_id": [1, 2], "maturity": [0.5, 0.75]})
    assert fingerprint(a) == fingerprint(a.copy())
    assert fingerprint(a) != fingerprint(a.assign(maturity=[0.5, 0.7]))
    assert fingerprint(a) != fingerprint(a.rename(columns={"maturity": "step"}))
    assert fingerprint(({1: "A"}, "sv")) != fingerprint(({1: "B"}, "sv"))
    assert fingerprint((CAT, "sv")) == fingerprint((load_catalogue(), "sv"))
