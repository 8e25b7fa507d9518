"""The improvement plan per practice (services.plans): each rule, each refusal writes nothing,
the conflict protocol per field, open and overdue actions at the date boundary, evidence."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from staircase.domain.model import NotFoundError, Status, ValidationError
from staircase.domain.plan import PlanConflictError, PlanItem
from staircase.domain.rules import EVIDENCE_DESCRIPTION_MAX, NAME_MAX, NOTE_MAX, URL_MAX
from staircase.services import Actor, Lartrappan

ANNA, BO = Actor("Anna"), Actor("Bo")
P1, P2, P3 = "s1-goal-linked", "s1-anytime-anywhere", "s2-performance"
TODAY = date(2027, 3, 15)


def keys(err: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [p.key for p in err.value.problems]


def nothing_stored(store: Lartrappan, unit: int) -> bool:
    return store.plans.of_unit(unit).plans == {}


# ---------------------------------------------------------------------------- each field


def test_each_field_is_saved_on_its_own_and_keeps_the_others(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Hemtjänst Norr").id
    store.plans.set_owner(ANNA, unit, P1, "  Karin Ek ")
    store.plans.set_due(BO, unit, P1, date(2027, 4, 30))
    stored = store.plans.set_action(ANNA, unit, P1, "Boka APT om kompetensplanen\n")
    assert stored == PlanItem(
        P1,
        "Karin Ek",
        date(2027, 4, 30),
        "Boka APT om kompetensplanen",
        stored.updated_at,
        "Anna",
        3,
    )
    assert store.plans.of_unit(unit).of(P1).item == stored
    cleared = store.plans.set_due(BO, unit, P1, None)
    assert (cleared.owner, cleared.due, cleared.action, cleared.updated_by) == (
        "Karin Ek",
        None,
        "Boka APT om kompetensplanen",
        "Bo",
    )
    assert store.plans.of_unit(unit).of(P2).item == PlanItem(P2)  # untouched: empty


def test_a_due_date_in_the_past_is_allowed(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    assert store.plans.set_due(ANNA, unit, P1, date(2020, 1, 31)).due == date(2020, 1, 31)


def test_the_plan_is_not_in_snapshots(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    store.plans.set_action(ANNA, unit, P1, "Något att göra")
    snapshot = store.snapshots.save(ANNA, unit)
    entries = {e.practice_id: e for e in store.snapshots.entries(snapshot.id)}
    assert entries[P1].note == "" and entries[P1].status is Status.NOT_STARTED


# ---------------------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("owner", "key"),
    [
        ("x" * (NAME_MAX + 1), "plan.owner_too_long"),
        ("Karin\x00Ek", "plan.owner_control_char"),
        ("Karin\nEk", "plan.owner_control_char"),
    ],
)
def test_a_bad_owner_is_refused_and_nothing_written(
    store: Lartrappan, owner: str, key: str
) -> None:
    unit = store.units.create(ANNA, "Skola").id
    with pytest.raises(ValidationError) as err:
        store.plans.set_owner(ANNA, unit, P1, owner)
    assert keys(err) == [key]
    assert nothing_stored(store, unit)


def test_the_longest_owner_is_accepted(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    assert store.plans.set_owner(ANNA, unit, P1, "x" * NAME_MAX).owner == "x" * NAME_MAX


@pytest.mark.parametrize(
    ("action", "key"),
    [("x" * (NOTE_MAX + 1), "plan.action_too_long"), ("Boka\x1b[31m", "text.control_char")],
)
def test_a_bad_action_is_refused_and_nothing_written(
    store: Lartrappan, action: str, key: str
) -> None:
    unit = store.units.create(ANNA, "Skola").id
    with pytest.raises(ValidationError) as err:
        store.plans.set_action(ANNA, unit, P1, action)
    assert keys(err) == [key]
    assert nothing_stored(store, unit)


def test_an_action_may_have_line_breaks_and_the_longest_is_accepted(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    assert store.plans.set_action(ANNA, unit, P1, "Ett\nTvå").action == "Ett\nTvå"
    assert len(store.plans.set_action(ANNA, unit, P1, "x" * NOTE_MAX).action) == NOTE_MAX


def test_a_due_that_is_not_a_date_is_refused(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    with pytest.raises(ValidationError) as err:
        store.plans.set_due(ANNA, unit, P1, "2027-01-01")  # type: ignore[arg-type]
    assert keys(err) == ["plan.due_invalid"]
    assert nothing_stored(store, unit)


def test_a_plan_for_an_unknown_practice_or_an_archived_unit_is_refused(
    store: Lartrappan,
) -> None:
    unit = store.units.create(ANNA, "Skola").id
    with pytest.raises(ValidationError) as err:
        store.plans.set_owner(ANNA, unit, "s9-nothing", "Karin")
    assert keys(err) == ["practice.unknown"]
    store.units.set_archived(ANNA, unit, True)
    with pytest.raises(ValidationError) as err:
        store.plans.set_owner(ANNA, unit, P1, "Karin")
    assert keys(err) == ["unit.archived"]
    with pytest.raises(ValidationError) as err:
        store.plans.add_evidence(ANNA, unit, P1, "https://x.se", "Protokoll")
    assert keys(err) == ["unit.archived"]
    with pytest.raises(NotFoundError):
        store.plans.set_owner(ANNA, 999, P1, "Karin")
    assert nothing_stored(store, unit)


# ---------------------------------------------------------------------------- conflicts


@pytest.mark.parametrize(
    ("field", "mine", "theirs"),
    [
        ("owner", "Anna", "Bo"),
        ("due", date(2027, 5, 1), date(2027, 6, 1)),
        ("action", "Annas åtgärd", "Bos åtgärd"),
    ],
)
def test_each_field_written_on_an_old_revision_is_a_conflict_and_a_second_write_wins(
    store: Lartrappan, field: str, mine: object, theirs: object
) -> None:
    unit = store.units.create(ANNA, "Hemtjänst Norr").id
    setter = {
        "owner": store.plans.set_owner,
        "due": store.plans.set_due,
        "action": store.plans.set_action,
    }[field]
    shown = store.plans.of_unit(unit).of(P1).item.revision  # 0: nothing yet
    bos = setter(BO, unit, P1, theirs, based_on=shown)  # type: ignore[operator]
    with pytest.raises(PlanConflictError) as lost:
        setter(ANNA, unit, P1, mine, based_on=shown)  # type: ignore[operator]
    assert lost.value.current == bos
    assert lost.value.problems[0].key == "plan.conflict"
    assert lost.value.problems[0].params["who"] == "Bo"
    assert store.plans.of_unit(unit).of(P1).item == bos  # nothing written
    again = setter(ANNA, unit, P1, mine, based_on=lost.value.current.revision)  # type: ignore[operator]
    stored = {"owner": again.owner, "due": again.due, "action": again.action}[field]
    assert (stored, again.updated_by, again.revision) == (mine, "Anna", 2)


def test_a_write_based_on_the_current_revision_is_no_conflict(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    first = store.plans.set_owner(ANNA, unit, P1, "Anna", based_on=0)
    second = store.plans.set_due(BO, unit, P1, TODAY, based_on=first.revision)
    assert (second.owner, second.due, second.revision) == ("Anna", TODAY, 2)


# ---------------------------------------------------------------------------- evidence


def test_evidence_is_added_listed_oldest_first_and_removed(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    one = store.plans.add_evidence(
        ANNA, unit, P1, " https://intranet.norrby.se/apt ", "APT-protokoll"
    )
    two = store.plans.add_evidence(BO, unit, P1, "http://wiki.example.org/x?y=1#z", "Wiki")
    store.plans.add_evidence(BO, unit, P2, "https://a.se", "Annat")
    plan = store.plans.of_unit(unit).of(P1)
    assert [e.id for e in plan.evidence] == [one.id, two.id]
    assert (one.url, one.description, one.added_by) == (
        "https://intranet.norrby.se/apt",
        "APT-protokoll",
        "Anna",
    )
    assert plan.item == PlanItem(P1)  # evidence alone writes no plan item
    store.plans.remove_evidence(ANNA, one.id)
    assert [e.id for e in store.plans.of_unit(unit).of(P1).evidence] == [two.id]
    with pytest.raises(NotFoundError) as err:
        store.plans.remove_evidence(ANNA, one.id)
    assert keys(err) == ["plan.evidence_unknown"]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("", "plan.url_empty"),
        ("javascript:alert(1)", "plan.url_not_http"),
        ("data:text/html,<script>alert(1)</script>", "plan.url_not_http"),
        ("ftp://files.norrby.se/x", "plan.url_not_http"),
        ("intranet.norrby.se/apt", "plan.url_not_http"),
        ("https:/intranet", "plan.url_not_http"),
        ("https://", "plan.url_no_host"),
        ("https://a b.se", "plan.url_invalid"),
        ("https://x.se/\x00", "plan.url_invalid"),
        ('https://x.se/"><img>', "plan.url_invalid"),
        ("https://x.se/" + "a" * URL_MAX, "plan.url_too_long"),
    ],
)
def test_a_bad_evidence_url_is_refused_and_nothing_written(
    store: Lartrappan, url: str, key: str
) -> None:
    unit = store.units.create(ANNA, "Skola").id
    with pytest.raises(ValidationError) as err:
        store.plans.add_evidence(ANNA, unit, P1, url, "Protokoll")
    assert keys(err) == [key]
    assert nothing_stored(store, unit)


@pytest.mark.parametrize(
    ("description", "key"),
    [
        ("  ", "plan.description_empty"),
        ("x" * (EVIDENCE_DESCRIPTION_MAX + 1), "plan.description_too_long"),
        ("Rad ett\nrad två", "text.control_char"),
    ],
)
def test_a_bad_evidence_description_is_refused_and_nothing_written(
    store: Lartrappan, description: str, key: str
) -> None:
    unit = store.units.create(ANNA, "Skola").id
    with pytest.raises(ValidationError) as err:
        store.plans.add_evidence(ANNA, unit, P1, "https://x.se", description)
    assert keys(err) == [key]
    assert nothing_stored(store, unit)


def test_the_longest_url_and_description_are_accepted(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    url = "https://x.se/" + "a" * (URL_MAX - len("https://x.se/"))
    added = store.plans.add_evidence(ANNA, unit, P1, url, "d" * EVIDENCE_DESCRIPTION_MAX)
    assert store.plans.of_unit(unit).of(P1).evidence == (added,)


# ---------------------------------------------------------------------------- open, overdue


def _organisation(store: Lartrappan) -> dict[str, int]:
    top = store.units.create(ANNA, "Norrby kommun").id
    admin = store.units.create(ANNA, "Vård och omsorg", top).id
    north = store.units.create(ANNA, "Hemtjänst Norr", admin).id
    south = store.units.create(ANNA, "Hemtjänst Söder", admin).id
    school = store.units.create(ANNA, "Skola", top).id
    return {"top": top, "admin": admin, "north": north, "south": south, "school": school}


def _plan(store: Lartrappan, unit: int, pid: str, action: str, due: date | None) -> None:
    store.plans.set_action(ANNA, unit, pid, action)
    store.plans.set_due(ANNA, unit, pid, due)


def test_open_actions_leave_out_practices_done_or_not_applicable_and_empty_actions(
    store: Lartrappan,
) -> None:
    unit = store.units.create(ANNA, "Skola").id
    _plan(store, unit, P1, "Öppen, utan datum", None)
    _plan(store, unit, P2, "Klar praktik", TODAY)
    _plan(store, unit, P3, "Öppen, i tid", TODAY)
    _plan(store, unit, "s1-measure-effect", "Ej aktuell", TODAY)
    store.plans.set_owner(ANNA, unit, "s1-local-ownership", "Bara en ägare")  # no action
    store.checklist.set_status(ANNA, unit, P2, Status.DONE)
    store.checklist.set_status(
        ANNA, unit, "s1-measure-effect", Status.NOT_APPLICABLE, note="Gäller inte"
    )
    store.checklist.set_status(ANNA, unit, P3, Status.IN_PROGRESS)
    found = store.plans.open_actions(unit, TODAY)
    assert [(a.practice_id, a.action, a.overdue) for a in found] == [
        (P3, "Öppen, i tid", False),  # due first, those without a date last
        (P1, "Öppen, utan datum", False),
    ]
    assert found[0].practice_title.sv and found[0].unit_path == "Skola"


def test_due_today_is_not_overdue_due_yesterday_is(store: Lartrappan) -> None:
    units = _organisation(store)
    _plan(store, units["north"], P1, "I går", TODAY - timedelta(days=1))
    _plan(store, units["north"], P2, "I dag", TODAY)
    _plan(store, units["south"], P1, "I förrgår", TODAY - timedelta(days=2))
    _plan(store, units["school"], P1, "Skolans, förra året", date(2026, 3, 15))
    _plan(store, units["south"], P3, "Utan datum", None)
    overdue = store.plans.overdue(units["top"], TODAY)
    assert [(a.unit_name, a.action) for a in overdue] == [
        ("Skola", "Skolans, förra året"),
        ("Hemtjänst Söder", "I förrgår"),
        ("Hemtjänst Norr", "I går"),
    ]
    assert all(a.overdue for a in overdue)
    assert overdue[1].unit_path == "Norrby kommun > Vård och omsorg > Hemtjänst Söder"
    # Only what is under the unit asked about; the unit itself included.
    assert [a.action for a in store.plans.overdue(units["north"], TODAY)] == ["I går"]
    assert [a.action for a in store.plans.overdue(units["admin"], TODAY)] == [
        "I förrgår",
        "I går",
    ]
    # The next day, today's is overdue too.
    assert "I dag" in {a.action for a in store.plans.overdue(units["top"], TODAY + timedelta(1))}
    # Ticking the practice off closes its action.
    store.checklist.set_status(ANNA, units["north"], P1, Status.DONE)
    assert "I går" not in {a.action for a in store.plans.overdue(units["top"], TODAY)}


def test_overdue_leaves_out_archived_units(store: Lartrappan) -> None:
    units = _organisation(store)
    _plan(store, units["north"], P1, "Norr", date(2026, 1, 1))
    _plan(store, units["school"], P1, "Skola", date(2026, 1, 1))
    store.units.set_archived(ANNA, units["admin"], True)
    assert [a.action for a in store.plans.overdue(units["top"], TODAY)] == ["Skola"]


# ---------------------------------------------------------------------------- the door


def test_every_plan_write_is_made_in_the_actors_name(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    with pytest.raises(ValidationError):
        store.plans.set_owner(Actor("x" * 81), unit, P1, "Karin")
    assert nothing_stored(store, unit)
    assert store.plans.set_owner(BO, unit, P1, "Karin").updated_by == "Bo"
    assert store.plans.add_evidence(BO, unit, P1, "https://x.se", "X").added_by == "Bo"


def test_the_first_write_of_a_plan_is_revision_one(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    first = store.plans.set_owner(ANNA, unit, P1, "Karin")
    assert first.revision == 1 and isinstance(first.updated_at, datetime)
