"""Checklist page: ticking, in progress, not applicable, notes, scores, snapshots."""

from datetime import timedelta

from staircase.domain.model import Status
from staircase.domain.moments import now
from staircase.services import Actor, Lartrappan

PAGE = "pages/checklist.py"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def status_key(unit_id: int, practice_id: str) -> str:
    return f"chk_{unit_id}_{practice_id}_status"


def note_key(unit_id: int, practice_id: str) -> str:
    return f"chk_{unit_id}_{practice_id}_note"


def test_ticking_practices_persists_each_and_updates_step_and_completion(
    open_page, store: Lartrappan
):
    unit = store.units.create(Actor(""), "Hemtjänst Norr")
    at = open_page(PAGE, unit.id)
    assert metrics(at)["Uppnått steg"] == "0 av 3"
    step_one = [p.id for p in store.practices.catalogue().practices_of(1)]
    for pid in step_one[:3]:
        at.segmented_control(key=status_key(unit.id, pid)).set_value("done").run()
    assert metrics(at)["Steg 1"] == "75 %"
    assert metrics(at)["Uppnått steg"] == "0 av 3"
    at.segmented_control(key=status_key(unit.id, step_one[3])).set_value("in_progress").run()
    assert metrics(at)["Steg 1"] == "88 %"  # 3.5 of 4
    at.segmented_control(key=status_key(unit.id, step_one[3])).set_value("done").run()
    assert metrics(at)["Uppnått steg"] == "1 av 3"
    assert metrics(at)["Total mognad"] == "40 %"
    state = store.checklist.state(unit.id)
    assert {pid: state[pid].status for pid in step_one} == dict.fromkeys(step_one, Status.DONE)
    # A fresh session (a reload) shows what was saved.
    again = open_page(PAGE, unit.id)
    assert again.segmented_control(key=status_key(unit.id, step_one[0])).value == "done"
    assert metrics(again)["Uppnått steg"] == "1 av 3"


def test_not_applicable_needs_a_justification(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "LSS-boende Linden")
    pid = "s2-just-in-time"
    at = open_page(PAGE, unit.id)
    at.segmented_control(key=status_key(unit.id, pid)).set_value("not_applicable").run()
    assert any("motivering" in e.value for e in at.error)
    assert at.segmented_control(key=status_key(unit.id, pid)).value == "not_started"
    assert pid not in store.checklist.state(unit.id)
    # With a justification written in the note, the same choice is saved.
    at.text_area(key=note_key(unit.id, pid)).set_value("Små boenden, stödet ges på plats")
    at.segmented_control(key=status_key(unit.id, pid)).set_value("not_applicable").run()
    assert not at.error
    saved = store.checklist.state(unit.id)[pid]
    assert saved.status is Status.NOT_APPLICABLE
    assert saved.note == "Små boenden, stödet ges på plats"
    # N/A is left out of the denominator: step 2 now has 3 applicable practices.
    assert "0 av 3 aktuella" in at.get("progress")[1].proto.text


def test_note_is_saved_and_shows_who_changed_it(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Björkskolan")
    at = open_page(PAGE, unit.id)
    at.sidebar.text_input(key="user_name").set_value("Karin Ek")
    at.text_area(key=note_key(unit.id, "s1-goal-linked")).set_value(
        "Kompetensplan klar i maj"
    ).run()
    state = store.checklist.state(unit.id)["s1-goal-linked"]
    assert (state.note, state.updated_by) == ("Kompetensplan klar i maj", "Karin Ek")
    assert any("av Karin Ek" in c.value for c in at.caption)


def test_a_colleagues_change_shows_after_the_next_rerun(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Förskolan Ekorren")
    at = open_page(PAGE, unit.id)
    store.checklist.set_status(Actor("Kollega"), unit.id, "s1-anytime-anywhere", Status.DONE)
    at.run()
    assert at.segmented_control(key=status_key(unit.id, "s1-anytime-anywhere")).value == "done"


def test_saving_a_snapshot_records_the_working_state(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Anhörigstödet")
    store.checklist.set_status(Actor(""), unit.id, "s1-goal-linked", Status.DONE)
    at = open_page(PAGE, unit.id)
    at.text_input(key="chk_saved_by").set_value("Ahmed Hassan")
    at.text_area(key="chk_comment").set_value("Genomgång på APT")
    at.button(key="FormSubmitter:chk_snapshot_form-Spara ögonblicksbild").click().run()
    assert any("är sparad" in s.value for s in at.success)
    [snapshot] = store.snapshots.of_unit(unit.id)
    assert (snapshot.saved_by, snapshot.comment) == ("Ahmed Hassan", "Genomgång på APT")
    entries = {e.practice_id: e.status for e in store.snapshots.entries(snapshot.id)}
    assert entries["s1-goal-linked"] is Status.DONE and len(entries) == 10


def test_a_snapshot_can_be_back_dated(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Vuxenutbildningen")
    at = open_page(PAGE, unit.id)
    earlier = (now() - timedelta(days=40)).date()
    at.date_input(key="chk_day").set_value(earlier)
    at.button(key="FormSubmitter:chk_snapshot_form-Spara ögonblicksbild").click().run()
    [snapshot] = store.snapshots.of_unit(unit.id)
    assert snapshot.taken_at.date() == earlier


def test_a_status_click_keeps_a_colleagues_newer_note(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Hemtjänst Söder")
    pid = "s1-goal-linked"
    store.checklist.set_note(Actor(""), unit.id, pid, "Min gamla anteckning")
    at = open_page(PAGE, unit.id)
    store.checklist.set_note(Actor("Kollega"), unit.id, pid, "Kollegans nya anteckning")
    at.segmented_control(key=status_key(unit.id, pid)).set_value("done").run()
    assert "Kollega" in " ".join(w.value for w in at.warning)  # changed since shown: warned
    assert store.checklist.state(unit.id)[pid].status is Status.NOT_STARTED
    at.segmented_control(key=status_key(unit.id, pid)).set_value("done").run()
    state = store.checklist.state(unit.id)[pid]
    assert (state.status, state.note) == (Status.DONE, "Kollegans nya anteckning")


def test_a_rejected_snapshot_keeps_the_comment(open_page, store: Lartrappan):
    unit = store.units.create(Actor(""), "Solgården")
    store.snapshots.save(
        Actor(""),
        unit.id,
        taken_at=(now() - timedelta(days=3)).replace(hour=12, minute=0, second=0),
    )
    at = open_page(PAGE, unit.id)
    at.date_input(key="chk_day").set_value((now() - timedelta(days=3)).date())
    at.text_area(key="chk_comment").set_value("Viktig kommentar")
    at.button(key="FormSubmitter:chk_snapshot_form-Spara ögonblicksbild").click().run()
    assert any("finns redan" in e.value for e in at.error)
    assert at.text_area(key="chk_comment").value == "Viktig kommentar"
    assert len(store.snapshots.of_unit(unit.id)) == 1


def test_a_click_on_a_practice_a_colleague_changed_meanwhile_warns_instead_of_overwriting(
    open_page, store: Lartrappan
):
    unit = store.units.create(Actor(""), "Hemtjänst Norr")
    pid = "s1-goal-linked"
    anna = open_page(PAGE, unit.id)
    anna.sidebar.text_input(key="user_name").set_value("Anna").run()
    # Bo, in another session, ticks the practice after Anna's page showed it.
    bo = open_page(PAGE, unit.id)
    bo.sidebar.text_input(key="user_name").set_value("Bo").run()
    bo.segmented_control(key=status_key(unit.id, pid)).set_value("done").run()

    anna.segmented_control(key=status_key(unit.id, pid)).set_value("in_progress").run()
    assert store.checklist.state(unit.id)[pid].status is Status.DONE  # Bo's tick is kept
    warning = " ".join(w.value for w in anna.warning)
    assert "Bo" in warning and "sparades inte" in warning
    assert anna.segmented_control(key=status_key(unit.id, pid)).value == "done"

    # Having seen it, Anna's second click overwrites deliberately.
    anna.segmented_control(key=status_key(unit.id, pid)).set_value("in_progress").run()
    state = store.checklist.state(unit.id)[pid]
    assert (state.status, state.updated_by) == (Status.IN_PROGRESS, "Anna")
    assert not anna.warning


def test_a_note_a_colleague_changed_meanwhile_is_not_overwritten_and_mine_is_kept(
    open_page, store: Lartrappan
):
    unit = store.units.create(Actor(""), "Björkskolan")
    pid = "s2-performance"
    anna = open_page(PAGE, unit.id)
    store.checklist.set_note(Actor("Bo"), unit.id, pid, "Bos plan")  # after Anna's page loaded

    anna.text_area(key=note_key(unit.id, pid)).set_value("Annas plan").run()
    assert store.checklist.state(unit.id)[pid].note == "Bos plan"
    warning = " ".join(w.value for w in anna.warning)
    assert "Bo" in warning and "Bos plan" in warning
    assert anna.text_area(key=note_key(unit.id, pid)).value == "Annas plan"  # nothing lost

    anna.button(key=f"chk_{unit.id}_{pid}_keep_note").click().run()
    assert store.checklist.state(unit.id)[pid].note == "Annas plan"
    assert not anna.warning
