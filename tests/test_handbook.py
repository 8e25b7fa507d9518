"""The leader's own handbook (services.handbook): the vision and the answers saved with the
conflict protocol, ambassadors, the summary ticks, every refusal writing nothing, the audit
record of each write, the scope, personal data, and the compiled document."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from staircase.domain.access import Access, Grant, PermissionDenied, Role
from staircase.domain.assessment import AreaAnswer
from staircase.domain.handbook import VISION, Answer, HandbookConflictError, UnitHandbook
from staircase.domain.model import NotFoundError, Status, ValidationError
from staircase.domain.rules import NAME_MAX, NOTE_MAX
from staircase.services import Actor, Lartrappan
from staircase.services.door import SYSTEM

ANNA, BO = Actor("Anna"), Actor("Bo")
STEP0_Q = "where-we-learn-today"
OWN_Q = "learning-at-every-level"
POINT = "safe-climate"
P1 = "s1-goal-linked"


def keys(err: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [p.key for p in err.value.problems]


def empty(store: Lartrappan, unit: int) -> bool:
    return store.handbook.of_unit(unit) == UnitHandbook()


# ---------------------------------------------------------------------------- the vision


def test_the_vision_is_saved_with_who_and_when_and_read_back(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Hemtjänst Norr").id
    saved = store.handbook.set_vision(ANNA, unit, "  Vi lär av varandra varje dag.\n")
    assert (saved.question_id, saved.text, saved.saved_by, saved.revision) == (
        VISION,
        "Vi lär av varandra varje dag.",
        "Anna",
        1,
    )
    assert saved.saved_at is not None
    assert store.handbook.of_unit(unit).vision == saved
    again = store.handbook.set_vision(BO, unit, "Ny vision", based_on=1)
    assert (again.text, again.saved_by, again.revision) == ("Ny vision", "Bo", 2)


def test_a_vision_written_on_an_old_revision_is_a_conflict_and_nothing_is_written(
    store: Lartrappan,
) -> None:
    unit = store.units.create(ANNA, "Skola").id
    store.handbook.set_vision(ANNA, unit, "Annas", based_on=0)
    with pytest.raises(HandbookConflictError) as err:
        store.handbook.set_vision(BO, unit, "Bos", based_on=0)  # Bo loaded it before Anna saved
    assert keys(err) == ["handbook.conflict_vision"]
    assert err.value.problems[0].params["who"] == "Anna"
    assert err.value.current.text == "Annas"
    assert store.handbook.of_unit(unit).vision.text == "Annas"
    # Bo read what is stored and writes over it deliberately.
    assert store.handbook.set_vision(BO, unit, "Bos", based_on=1).text == "Bos"


# ---------------------------------------------------------------------------- answers


def test_answers_are_saved_per_question_step_0_and_the_handbooks_own_included(
    store: Lartrappan,
) -> None:
    unit = store.units.create(ANNA, "Hemtjänst Norr").id
    first = store.handbook.set_answer(ANNA, unit, STEP0_Q, "Mest på APT.", based_on=0)
    store.handbook.set_answer(BO, unit, OWN_Q, "Ledningsgruppen varje månad.")
    handbook = store.handbook.of_unit(unit)
    assert handbook.answer(STEP0_Q) == first
    assert (first.text, first.saved_by, first.revision) == ("Mest på APT.", "Anna", 1)
    assert handbook.answer(OWN_Q).saved_by == "Bo"
    assert handbook.answer("goals-in-the-plan") == Answer("goals-in-the-plan")  # never answered
    # Emptying an answer is a write like any other.
    assert store.handbook.set_answer(ANNA, unit, STEP0_Q, "  ", based_on=1).text == ""


def test_an_answer_written_on_an_old_revision_is_a_conflict_and_a_second_write_wins(
    store: Lartrappan,
) -> None:
    unit = store.units.create(ANNA, "Hemtjänst Söder").id
    store.handbook.set_answer(ANNA, unit, OWN_Q, "Annas svar", based_on=0)
    with pytest.raises(HandbookConflictError) as err:
        store.handbook.set_answer(BO, unit, OWN_Q, "Bos svar", based_on=0)
    assert keys(err) == ["handbook.conflict"]
    assert err.value.current == store.handbook.of_unit(unit).answer(OWN_Q)
    assert store.handbook.of_unit(unit).answer(OWN_Q).text == "Annas svar"
    # Another question is not affected by the first one's revision.
    store.handbook.set_answer(BO, unit, STEP0_Q, "Annat svar", based_on=0)
    stored = store.handbook.set_answer(BO, unit, OWN_Q, "Bos svar", based_on=1)
    assert (stored.text, stored.revision) == ("Bos svar", 2)


@pytest.mark.parametrize(
    ("question", "text", "expected"),
    [
        (OWN_Q, "x" * (NOTE_MAX + 1), "handbook.answer_too_long"),
        (OWN_Q, "Svar\x00", "text.control_char"),
        ("no-such-question", "Svar", "handbook.question_unknown"),
    ],
    ids=["too-long", "control-char", "unknown-question"],
)
def test_a_bad_answer_is_refused_and_nothing_written(
    store: Lartrappan, question: str, text: str, expected: str
) -> None:
    unit = store.units.create(ANNA, "Skola").id
    with pytest.raises(ValidationError) as err:
        store.handbook.set_answer(ANNA, unit, question, text)
    assert expected in keys(err)
    assert empty(store, unit)


def test_the_longest_answer_and_vision_with_line_breaks_are_accepted(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    text = "Rad ett\n" + "x" * (NOTE_MAX - 8)
    assert store.handbook.set_answer(ANNA, unit, OWN_Q, text).text == text
    assert store.handbook.set_vision(ANNA, unit, text).text == text
    with pytest.raises(ValidationError) as err:
        store.handbook.set_vision(ANNA, unit, text + "xx")
    assert keys(err) == ["handbook.vision_too_long"]


def test_nothing_is_written_to_an_unknown_or_archived_unit(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Arkiverad").id
    store.units.set_archived(ANNA, unit, True)
    for write in (
        lambda: store.handbook.set_vision(ANNA, unit, "V"),
        lambda: store.handbook.set_answer(ANNA, unit, OWN_Q, "S"),
        lambda: store.handbook.add_ambassador(ANNA, unit, "Karin Ek"),
        lambda: store.handbook.check(ANNA, unit, POINT, True),
    ):
        with pytest.raises(ValidationError) as err:
            write()
        assert keys(err) == ["unit.archived"]
    assert empty(store, unit)
    with pytest.raises(NotFoundError):
        store.handbook.set_vision(ANNA, 9999, "V")


# ---------------------------------------------------------------------------- ambassadors


def test_ambassadors_are_added_edited_and_removed(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Hemtjänst Norr").id
    karin = store.handbook.add_ambassador(ANNA, unit, " Karin Ek ", " APT-reflektion ")
    olle = store.handbook.add_ambassador(BO, unit, "Olle Berg")
    assert [(a.name, a.role, a.saved_by) for a in store.handbook.of_unit(unit).ambassadors] == [
        ("Karin Ek", "APT-reflektion", "Anna"),
        ("Olle Berg", "", "Bo"),
    ]
    changed = store.handbook.edit_ambassador(BO, karin.id, "Karin Ek", "Handledare")
    assert (changed.id, changed.role, changed.saved_by) == (karin.id, "Handledare", "Bo")
    store.handbook.remove_ambassador(ANNA, olle.id)
    assert [a.name for a in store.handbook.of_unit(unit).ambassadors] == ["Karin Ek"]
    with pytest.raises(NotFoundError) as err:
        store.handbook.edit_ambassador(ANNA, olle.id, "Olle", "")
    assert keys(err) == ["handbook.ambassador_unknown"]
    with pytest.raises(NotFoundError):
        store.handbook.remove_ambassador(ANNA, olle.id)


@pytest.mark.parametrize(
    ("name", "role", "expected"),
    [
        ("   ", "Roll", "handbook.ambassador_name_empty"),
        ("x" * (NAME_MAX + 1), "", "handbook.ambassador_name_too_long"),
        ("Karin", "x" * 201, "handbook.ambassador_role_too_long"),
        ("Karin\nEk", "", "handbook.ambassador_control_char"),
    ],
    ids=["empty-name", "name-too-long", "role-too-long", "line-break"],
)
def test_a_bad_ambassador_is_refused_with_what_and_where_and_nothing_written(
    store: Lartrappan, name: str, role: str, expected: str
) -> None:
    unit = store.units.create(ANNA, "Skola").id
    with pytest.raises(ValidationError) as err:
        store.handbook.add_ambassador(ANNA, unit, name, role)
    assert keys(err) == [expected]
    assert empty(store, unit)
    kept = store.handbook.add_ambassador(ANNA, unit, "Karin Ek", "Roll")
    with pytest.raises(ValidationError):
        store.handbook.edit_ambassador(ANNA, kept.id, name, role)
    assert store.handbook.of_unit(unit).ambassadors == (kept,)


def test_the_empty_name_message_says_what_and_where() -> None:
    from staircase.i18n import t

    assert "Namn" in t("handbook.ambassador_name_empty", "sv")
    assert "Våra ambassadörer" in t("handbook.ambassador_name_empty", "sv")
    assert "Our ambassadors" in t("handbook.ambassador_name_empty", "en")


# ---------------------------------------------------------------------------- summary ticks


def test_summary_points_are_ticked_and_unticked_with_who_and_when(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Hemtjänst Norr").id
    assert not store.handbook.of_unit(unit).tick(POINT).done
    ticked = store.handbook.check(ANNA, unit, POINT, True)
    assert (ticked.done, ticked.saved_by) == (True, "Anna")
    store.handbook.check(BO, unit, POINT, False)
    stored = store.handbook.of_unit(unit).tick(POINT)
    assert (stored.done, stored.saved_by) == (False, "Bo")
    with pytest.raises(ValidationError) as err:
        store.handbook.check(ANNA, unit, "no-such-point", True)
    assert keys(err) == ["handbook.point_unknown"]


# ---------------------------------------------------------------------------- door, audit


def test_every_write_leaves_an_audit_record_with_before_and_after(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Hemtjänst Norr").id
    store.handbook.set_vision(ANNA, unit, "V1")
    store.handbook.set_vision(ANNA, unit, "V2")
    store.handbook.set_answer(ANNA, unit, OWN_Q, "Svar")
    karin = store.handbook.add_ambassador(ANNA, unit, "Karin Ek", "APT")
    store.handbook.edit_ambassador(ANNA, karin.id, "Karin Ek", "Handledare")
    store.handbook.remove_ambassador(ANNA, karin.id)
    store.handbook.check(ANNA, unit, POINT, True)
    records = list(reversed(store.audit.records(unit_id=unit)))
    assert [r.action for r in records[1:]] == [
        "handbook.vision",
        "handbook.vision",
        "handbook.answer",
        "handbook.ambassador_add",
        "handbook.ambassador_edit",
        "handbook.ambassador_remove",
        "handbook.check",
    ]
    assert all(r.unit_id == unit and r.actor == "Anna" for r in records[1:])
    second = records[2]
    assert json.loads(second.before or "")["text"] == "V1"
    assert json.loads(second.after or "")["text"] == "V2"
    edit = records[5]
    assert json.loads(edit.before or "")["role"] == "APT"
    assert json.loads(edit.after or "")["role"] == "Handledare"
    assert json.loads(records[6].before or "")["name"] == "Karin Ek"


def test_a_refused_write_leaves_no_audit_record(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    before = len(store.audit.records())
    with pytest.raises(ValidationError):
        store.handbook.add_ambassador(ANNA, unit, "")
    with pytest.raises(HandbookConflictError):
        store.handbook.set_vision(ANNA, unit, "V", based_on=3)
    assert len(store.audit.records()) == before


def test_an_editor_writes_only_in_scope_and_a_viewer_only_reads(store: Lartrappan) -> None:
    root = store.units.create(SYSTEM, "Norrby kommun").id
    mine = store.units.create(SYSTEM, "Hemtjänst", root).id
    other = store.units.create(SYSTEM, "Skola", root).id
    editor = Actor("Eva", "eva@norrby.se", Access((Grant(Role.EDITOR, mine),)))
    viewer = Actor("Vera", "vera@norrby.se", Access((Grant(Role.VIEWER, root),)))
    store.handbook.set_answer(editor, mine, OWN_Q, "Evas svar")
    with pytest.raises(PermissionDenied):
        store.handbook.set_answer(editor, other, OWN_Q, "Utanför")
    with pytest.raises(PermissionDenied):
        store.handbook.of_unit(other, actor=editor)
    with pytest.raises(PermissionDenied):
        store.handbook.set_vision(viewer, mine, "Läsaren")
    assert store.handbook.of_unit(mine, actor=viewer).answer(OWN_Q).text == "Evas svar"
    assert empty(store, other)


# ---------------------------------------------------------------------------- personal data


def test_the_register_extract_lists_and_erasure_pseudonymises_handbook_names(
    store: Lartrappan,
) -> None:
    unit = store.units.create(SYSTEM, "Hemtjänst").id
    anna = Actor("Anna Lind")
    store.handbook.set_vision(anna, unit, "V")
    store.handbook.set_answer(anna, unit, OWN_Q, "S")
    store.handbook.check(anna, unit, POINT, True)
    store.handbook.add_ambassador(SYSTEM, unit, "Anna Lind", "APT")
    extract = store.people.extract(None, "anna@norrby.se", ["Anna Lind"])["authored"]
    for table in ("handbook_vision", "handbook_answer", "handbook_check", "handbook_ambassador"):
        assert extract[table], table
    pseudonym = store.people.erase(SYSTEM, "anna@norrby.se", ["Anna Lind"])
    handbook = store.handbook.of_unit(unit)
    assert handbook.vision.saved_by == pseudonym
    assert handbook.answer(OWN_Q).saved_by == pseudonym
    assert handbook.tick(POINT).saved_by == pseudonym
    assert handbook.ambassadors[0].name == pseudonym
    assert (handbook.vision.text, handbook.answer(OWN_Q).text) == ("V", "S")  # kept


# ---------------------------------------------------------------------------- the document


def _texts(report) -> str:  # type: ignore[no-untyped-def]
    parts = [report.title, *report.cover]
    for section in report.sections:
        parts += [section.title, *section.text]
        for table in (*section.tables, *(f.table for f in section.figures)):
            parts += [str(c) for row in table.rows for c in row]
    return "\n".join(parts)


def test_the_document_compiles_everything_the_handbook_holds(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Hemtjänst Norr").id
    store.handbook.set_vision(ANNA, unit, "Vi lär av varandra varje dag.")
    store.handbook.set_answer(ANNA, unit, OWN_Q, "Ledningsgruppen varje månad.")
    store.handbook.add_ambassador(ANNA, unit, "Karin Ek", "APT-reflektion")
    store.handbook.check(ANNA, unit, POINT, True)
    store.checklist.set_status(ANNA, unit, P1, Status.DONE)
    store.plans.set_owner(ANNA, unit, P1, "Olle Berg")
    store.plans.set_action(ANNA, unit, P1, "Boka en APT om målen")
    store.assessments.save(
        ANNA,
        unit,
        {"a1-learning-organisation": AreaAnswer("in_progress")},
        {},
        {},
        taken_at=datetime(2026, 1, 10, 9, 0),
    )
    report = store.handbook.document(store.units.tree(), unit, "sv", "Anna")
    assert [s.key for s in report.sections] == [
        "vision",
        "staircase",
        "assessment",
        "questions-0",
        "questions-1",
        "questions-2",
        "questions-3",
        "questions-handbook",
        "ambassadors",
        "summary",
        "plan",
    ]
    text = _texts(report)
    assert report.cover[0] == "Enhet: Hemtjänst Norr" and "Anna" in report.cover[2]
    for expected in (
        "Vi lär av varandra varje dag.",
        "Ledningsgruppen varje månad.",
        "(inte besvarad ännu)",  # every other question, listed as unanswered
        "Karin Ek",
        "APT-reflektion",
        "✓ Ja",
        "Olle Berg",
        "Boka en APT om målen",
        "Vi har nått steg 0",
        "Lärtrappans egen fråga",
    ):
        assert expected in text, expected
    catalogue = store.practices.catalogue()
    feedback = catalogue.feedback_for(1, Status.IN_PROGRESS).sv  # step 1 begun
    assert feedback in report.sections[1].text
    area = store.assessments.model.area("a1-learning-organisation")
    assert area.levels[Status.IN_PROGRESS].feedback.sv in text
    questions = sum(len(s.tables[0].rows) for s in report.sections if s.key.startswith("quest"))
    assert questions == len(catalogue.all_questions)
    english = store.handbook.document(store.units.tree(), unit, "en", "Anna")
    assert english.title == "Our handbook: Hemtjänst Norr"
    assert "(not answered yet)" in _texts(english)


def test_the_document_of_an_empty_handbook_says_what_is_missing(store: Lartrappan) -> None:
    unit = store.units.create(ANNA, "Skola").id
    text = _texts(store.handbook.document(store.units.tree(), unit))
    assert "Ingen vision är skriven ännu." in text
    assert "Inget nuläge är sparat ännu" in text
    assert "Inga ambassadörer ännu." in text
    with pytest.raises(ValidationError):
        store.handbook.document(store.units.tree(), 9999)


def test_every_source_has_its_words_in_both_languages() -> None:
    from staircase.domain.catalogue import SOURCES
    from staircase.services.handbook_document import source_label

    for source in SOURCES:
        assert source_label(source, "sv").strip() and source_label(source, "en").strip()
    assert source_label("own", "sv") == "Lärtrappans egen fråga"
