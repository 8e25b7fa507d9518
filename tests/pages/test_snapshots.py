"""History page: the snapshot table, the diff of two snapshots, deleting with confirmation."""

from datetime import timedelta

from staircase.domain.model import Status
from staircase.domain.moments import now
from staircase.services import Actor, Lartrappan

PAGE = "pages/snapshots.py"


def two_snapshots(store: Lartrappan) -> int:
    unit = store.units.create(Actor(""), "Solgården")
    store.checklist.set_status(Actor(""), unit.id, "s1-goal-linked", Status.IN_PROGRESS)
    store.snapshots.save(Actor(""), unit.id, "Karin Ek", "Första", now() - timedelta(days=30))
    for pid in ("s1-goal-linked", "s1-anytime-anywhere", "s1-measure-effect", "s1-local-ownership"):
        store.checklist.set_status(Actor(""), unit.id, pid, Status.DONE)
    store.snapshots.save(Actor(""), unit.id, "Karin Ek", "Andra", now() - timedelta(days=1))
    return unit.id


def test_unit_without_snapshots_says_so(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Ny enhet")
    at = open_page(PAGE, unit.id)
    assert "inga ögonblicksbilder" in at.info[0].value


def test_table_lists_snapshots_newest_first_with_scores(open_page, store: Lartrappan):
    unit_id = two_snapshots(store)
    at = open_page(PAGE, unit_id)
    table = at.dataframe[0].value
    assert list(table["Kommentar"]) == ["Andra", "Första"]
    assert list(table["Uppnått steg"]) == [1, 0]
    assert list(table["Total mognad"]) == ["40 %", "5 %"]


def test_diff_shows_changed_practices_and_step_before_after(open_page, store: Lartrappan):
    unit_id = two_snapshots(store)
    at = open_page(PAGE, unit_id)
    assert at.metric[0].value == "1" and at.metric[0].delta == "1"
    assert at.metric[2].value == "4"
    diff = at.dataframe[1].value
    assert len(diff) == 4
    first = diff.iloc[0]
    assert (first["Före"], first["Efter"]) in {
        ("På väg", "Vi får det att hända"),
        ("I startblocken", "Vi får det att hända"),
    }
    # Comparing a snapshot with itself shows no changes.
    newest = store.snapshots.of_unit(unit_id)[0].id
    at.selectbox(key="snap_before").set_value(newest).run()
    assert "Inget arbetssätt har bytt status" in at.info[0].value


def test_delete_needs_confirmation(open_page, store: Lartrappan):
    unit_id = two_snapshots(store)
    at = open_page(PAGE, unit_id)
    delete = "FormSubmitter:snap_delete_form-Ta bort"
    at.button(key=delete).click().run()
    assert "Kryssa i rutan" in at.warning[0].value
    assert len(store.snapshots.of_unit(unit_id)) == 2
    target = store.snapshots.of_unit(unit_id)[1]
    at.selectbox(key="snap_del").set_value(target.id)
    at.checkbox(key="snap_del_confirm").check()
    at.button(key=delete).click().run()
    assert [s.id for s in store.snapshots.of_unit(unit_id)] != [] and target.id not in [
        s.id for s in store.snapshots.of_unit(unit_id)
    ]
    assert "borttagen" in at.success[0].value


def test_a_single_snapshot_is_shown_without_a_comparison(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Ensam")
    store.snapshots.save(Actor(""), unit.id, "Karin Ek", "Enda")
    at = open_page(PAGE, unit.id)
    assert "en enda ögonblicksbild" in at.info[0].value
    assert not at.metric
