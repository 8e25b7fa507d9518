"""Domain helpers in staircase.model and the export scopes of a unit tree."""

from datetime import date, datetime, time

from staircase.domain.moments import snapshot_moment
from staircase.services import Actor, Lartrappan

TODAY = date(2026, 11, 23)


def test_today_without_a_time_means_now():
    assert snapshot_moment(TODAY, None, TODAY) is None


def test_an_earlier_day_without_a_time_means_noon():
    assert snapshot_moment(date(2026, 3, 1), None, TODAY) == datetime(2026, 3, 1, 12, 0)


def test_a_given_time_is_kept_on_any_day():
    assert snapshot_moment(TODAY, time(9, 30), TODAY) == datetime(2026, 11, 23, 9, 30)
    assert snapshot_moment(date(2025, 1, 2), time(8, 0), TODAY) == datetime(2025, 1, 2, 8, 0)


def test_export_scopes(store: Lartrappan):
    root = store.units.create(Actor(""), "Kommun")
    child = store.units.create(Actor(""), "Skola", root.id)
    grandchild = store.units.create(Actor(""), "Klass", child.id)
    tree = store.units.tree()
    assert tree.export_scope(child.id, "unit") == [child.id]
    assert tree.export_scope(child.id, "subtree") == [child.id, grandchild.id]
    assert tree.export_scope(child.id, "all") is None
    assert tree.export_scope(None, "unit") is None
