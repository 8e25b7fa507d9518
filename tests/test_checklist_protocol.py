"""The checklist's write protocol, as the page and the CLI share it (services.checklist)."""

from __future__ import annotations

import pytest

from staircase.domain.model import ConflictError, Status, ValidationError
from staircase.services import Actor, Lartrappan
from staircase.services.checklist import Seen

ANNA, BO = Actor("Anna"), Actor("Bo")
P1 = "s1-goal-linked"


def test_after_losing_a_note_conflict_a_status_click_keeps_the_colleagues_note(
    store: Lartrappan,
) -> None:
    """Anna and Bo see the practice; Bo saves a note; Anna's note is refused (conflict) and
    stays in her field; her next status click must not send her note along over Bo's."""
    unit = store.units.create(ANNA, "Hemtjänst Norr").id
    shown = store.checklist.state(unit).get(P1)
    revision = shown.revision if shown else 0
    theirs = store.checklist.set_note(BO, unit, P1, "Bos anteckning", based_on=revision)
    with pytest.raises(ConflictError) as lost:
        store.checklist.set_note(ANNA, unit, P1, "Annas anteckning", based_on=revision)
    assert lost.value.current == theirs
    # Her page now shows Bo's revision and note, with her own text still in the field.
    seen = Seen(lost.value.current.revision, note_shown=theirs.note, note_typed="Annas anteckning")
    stored = store.checklist.choose_status(ANNA, unit, P1, Status.DONE, seen)
    assert (stored.status, stored.note, stored.updated_by) == (
        Status.DONE,
        "Bos anteckning",
        "Anna",
    )


def test_the_note_typed_for_not_applicable_goes_along_as_its_justification(
    store: Lartrappan,
) -> None:
    unit = store.units.create(ANNA, "LSS-boende").id
    seen = Seen(0, note_shown="", note_typed="Gäller inte oss: ingen egen personal")
    stored = store.checklist.choose_status(ANNA, unit, P1, Status.NOT_APPLICABLE, seen)
    assert (stored.status, stored.note) == (Status.NOT_APPLICABLE, seen.note_typed)


def test_not_applicable_without_a_typed_justification_is_refused_and_writes_nothing(
    store: Lartrappan,
) -> None:
    unit = store.units.create(ANNA, "LSS-boende").id
    with pytest.raises(ValidationError) as err:
        store.checklist.choose_status(ANNA, unit, P1, Status.NOT_APPLICABLE, Seen(0))
    assert err.value.problems[0].key == "state.na_needs_note"
    assert store.checklist.state(unit) == {}


def test_a_click_based_on_an_old_revision_is_a_conflict_and_a_second_click_wins(
    store: Lartrappan,
) -> None:
    unit = store.units.create(ANNA, "Skola").id
    store.checklist.choose_status(BO, unit, P1, Status.IN_PROGRESS, Seen(0))
    with pytest.raises(ConflictError) as err:
        store.checklist.choose_status(ANNA, unit, P1, Status.DONE, Seen(0))
    assert err.value.current.updated_by == "Bo"
    again = store.checklist.choose_status(
        ANNA, unit, P1, Status.DONE, Seen(err.value.current.revision)
    )
    assert (again.status, again.updated_by, again.revision) == (Status.DONE, "Anna", 2)
