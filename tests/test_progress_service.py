"""The progress service: each part of the page read on its own, and nothing read twice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from staircase.domain.catalogue import load_catalogue
from staircase.domain.model import Status
from staircase.services import Actor, Lartrappan

A = Actor("Anna")
CAT = load_catalogue()


@pytest.fixture
def units(store: Lartrappan) -> dict[str, int]:
    """An administration with three units; two have history."""
    admin = store.units.create(A, "Förvaltningen")
    ids = {"admin": admin.id}
    for name in ("Norr", "Syd", "Tom"):
        ids[name] = store.units.create(A, name, admin.id).id
    step1 = [p.id for p in CAT.practices_of(1)]
    start = datetime(2024, 1, 15, 9, 0)
    for i, name in enumerate(("Norr", "Syd")):
        store.snapshots.save(A, ids[name], taken_at=start + timedelta(days=i))
        store.checklist.set_status(A, ids[name], step1[i], Status.DONE)
        store.snapshots.save(A, ids[name], taken_at=start + timedelta(days=40 + i))
    return ids


def test_of_unit_reads_the_score_and_the_history(store: Lartrappan, units: dict[str, int]):
    progress = store.progress.of_unit(units["Norr"])
    assert progress.unit_id == units["Norr"]
    assert progress.score.maturity == store.checklist.score(units["Norr"]).maturity
    pd.testing.assert_frame_equal(progress.history, store.snapshots.history([units["Norr"]]))


def test_overview_and_defaults_cover_the_units_siblings(store: Lartrappan, units: dict[str, int]):
    tree = store.units.tree()
    overview = store.progress.overview(tree, units["Norr"])
    assert overview.scope == units["admin"]
    assert set(overview.ids) == set(units.values())
    assert set(overview.latest["unit_id"]) == {units["Norr"], units["Syd"]}
    norr = store.progress.of_unit(units["Norr"])
    assert store.progress.compared_by_default(tree, norr) == [units["Norr"], units["Syd"]]
    empty = store.progress.of_unit(units["Tom"])  # no history: not compared with itself
    assert store.progress.compared_by_default(tree, empty) == [units["Norr"], units["Syd"]]


def test_comparison_takes_the_units_own_history_rather_than_reading_it_again(
    store: Lartrappan, units: dict[str, int], monkeypatch: pytest.MonkeyPatch
):
    norr, syd, tom = units["Norr"], units["Syd"], units["Tom"]
    progress = store.progress.of_unit(norr)
    expected = store.snapshots.history([norr, syd, tom])
    asked: list[list[int]] = []
    read = store.snapshots.history

    def history(unit_ids, *, actor=None):
        asked.append(list(unit_ids))
        return read(unit_ids, actor=actor)

    monkeypatch.setattr(store.snapshots, "history", history)
    pd.testing.assert_frame_equal(store.progress.comparison(progress, [norr, syd, tom]), expected)
    assert asked == [[syd, tom]]  # the unit's own history came from `progress`
    asked.clear()
    assert store.progress.comparison(progress, [norr]) is progress.history
    assert asked == []
    pd.testing.assert_frame_equal(
        store.progress.comparison(progress, [syd]), read([syd]), check_like=True
    )
    assert store.progress.comparison(progress, []).empty
    assert store.progress.comparison(store.progress.of_unit(tom), [tom]).empty
