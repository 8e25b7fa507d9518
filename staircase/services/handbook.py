"""The leader's own handbook of a unit ("Vår handbok"): its vision, its answers to the
reflection questions, its ambassadors and its ticked summary points, each written through
the door; and the handbook compiled into one document (`document`), rendered as PDF or Word
(`render`).

Answers and the vision follow the checklist's conflict protocol: every write names the
revision the writer last saw (`based_on`); when someone else wrote in between, nothing is
written and HandbookConflictError carries what is stored now (who, when, what). None writes
whatever is stored (scripts, the CLI).

Like the improvement plan, the handbook is working material with its own who and when:
snapshots do not record it.
"""

from __future__ import annotations

from typing import IO, Literal

from sqlalchemy import Connection

from staircase.domain.catalogue import Catalogue
from staircase.domain.handbook import (
    Ambassador,
    Answer,
    HandbookConflictError,
    Tick,
    UnitHandbook,
)
from staircase.domain.model import Lang, NotFoundError, Problem, ValidationError
from staircase.domain.moments import now
from staircase.domain.rules import PATH_SEPARATOR, check_ambassador, check_answer, slug
from staircase.domain.units import UnitTree
from staircase.i18n import t
from staircase.reports.model import Report
from staircase.services.assessments import Assessments
from staircase.services.checklist import Checklist
from staircase.services.door import LATER, Actor, Door
from staircase.services.handbook_document import compile_document
from staircase.services.plans import Plans
from staircase.storage import handbook as stored
from staircase.storage import units as unit_rows
from staircase.storage.database import Database

Format = Literal["pdf", "docx"]
FORMATS: tuple[Format, ...] = ("pdf", "docx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class Handbooks:
    def __init__(
        self,
        db: Database,
        door: Door,
        catalogue: Catalogue,
        checklist: Checklist,
        plans: Plans,
        assessments: Assessments,
    ) -> None:
        self.db, self.door, self.catalogue = db, door, catalogue
        self.checklist, self.plans, self.assessments = checklist, plans, assessments

    # -- reading

    def of_unit(self, unit_id: int, *, actor: Actor | None = None) -> UnitHandbook:
        """Everything the unit's handbook holds, read as one moment."""
        with self.door.read(actor, unit=unit_id) as conn:
            return stored.load(conn, unit_id)

    # -- writing: the vision and the answers, saved as typed

    def set_vision(
        self, actor: Actor, unit_id: int, text: str, based_on: int | None = None
    ) -> Answer:
        """Set the unit's vision for learning ('' for none). Returns what is stored."""
        text = text.strip()
        if problems := check_answer(text, "handbook.vision_too_long"):
            raise ValidationError(problems)
        with self.door.write(actor, "handbook.vision", unit=unit_id) as conn:
            unit_rows.require_active(conn, unit_id)
            current = _fresh(stored.vision(conn, unit_id), based_on)
            saved = stored.write_answer(conn, unit_id, current, text, actor.label)
            self.door.audit(conn, before=current, after=saved)
            return saved

    def set_answer(
        self,
        actor: Actor,
        unit_id: int,
        question_id: str,
        text: str,
        based_on: int | None = None,
    ) -> Answer:
        """Set the unit's answer to a reflection question ('' for none): a step's question
        (step 0 included) or the handbook's own. Returns what is stored."""
        text = text.strip()
        problems = check_answer(text)
        if question_id not in {q.id for q in self.catalogue.all_questions}:
            problems.append(Problem("handbook.question_unknown", {"question_id": question_id}))
        if problems:
            raise ValidationError(problems)
        with self.door.write(actor, "handbook.answer", unit=unit_id) as conn:
            unit_rows.require_active(conn, unit_id)
            current = _fresh(stored.answer(conn, unit_id, question_id), based_on)
            saved = stored.write_answer(conn, unit_id, current, text, actor.label)
            self.door.audit(conn, before=current, after=saved)
            return saved

    # -- the ambassadors

    def add_ambassador(self, actor: Actor, unit_id: int, name: str, role: str = "") -> Ambassador:
        """Add someone who helps drive learning at the workplace (a name is required)."""
        name, role = name.strip(), role.strip()
        if problems := check_ambassador(name, role):
            raise ValidationError(problems)
        with self.door.write(actor, "handbook.ambassador_add", unit=unit_id) as conn:
            unit_rows.require_active(conn, unit_id)
            added = stored.add_ambassador(conn, unit_id, name, role, actor.label)
            self.door.audit(conn, after=added)
            return added

    def edit_ambassador(
        self, actor: Actor, ambassador_id: int, name: str, role: str = ""
    ) -> Ambassador:
        """Change an ambassador's name or role; one already removed is refused."""
        name, role = name.strip(), role.strip()
        if problems := check_ambassador(name, role):
            raise ValidationError(problems)
        with self.door.write(actor, "handbook.ambassador_edit", unit=LATER) as conn:
            current = self._ambassador(conn, actor, "handbook.ambassador_edit", ambassador_id)
            changed = stored.edit_ambassador(conn, current, name, role, actor.label)
            self.door.audit(conn, before=current, after=changed, unit=current.unit_id)
            return changed

    def remove_ambassador(self, actor: Actor, ambassador_id: int) -> None:
        """Remove an ambassador; one already removed (by a colleague, say) is refused."""
        with self.door.write(actor, "handbook.ambassador_remove", unit=LATER) as conn:
            current = self._ambassador(conn, actor, "handbook.ambassador_remove", ambassador_id)
            stored.remove_ambassador(conn, ambassador_id)
            self.door.audit(conn, before=current, unit=current.unit_id)

    def _ambassador(
        self, conn: Connection, actor: Actor, action: str, ambassador_id: int
    ) -> Ambassador:
        found = stored.get_ambassador(conn, ambassador_id)
        if found is None:
            raise NotFoundError(Problem("handbook.ambassador_unknown"))
        self.door.check(conn, actor, action, found.unit_id)
        unit_rows.require_active(conn, found.unit_id)
        return found

    # -- the summary points

    def check(self, actor: Actor, unit_id: int, point_id: str, done: bool) -> Tick:
        """Tick a summary point off (`done`) or on again."""
        if point_id not in {p.id for p in self.catalogue.handbook.summary}:
            raise ValidationError(Problem("handbook.point_unknown", {"point_id": point_id}))
        with self.door.write(actor, "handbook.check", unit=unit_id) as conn:
            unit_rows.require_active(conn, unit_id)
            before = stored.tick(conn, unit_id, point_id)
            saved = stored.set_tick(
                conn, unit_id, point_id, bool(done), actor.label, before is not None
            )
            self.door.audit(conn, before=before, after=saved)
            return saved

    # -- the compiled handbook

    def document(
        self,
        tree: UnitTree,
        unit_id: int,
        lang: Lang = "sv",
        made_by: str = "",
        *,
        actor: Actor | None = None,
    ) -> Report:
        """The unit's handbook as one document: a cover, its vision, where it stands on the
        staircase (step, maturity, the step's description and the feedback for its state),
        its latest current-state assessment, every question with its answer (unanswered
        ones said so), its ambassadors, the summary points with their ticks and its
        improvement plan. Anyone who may read the unit may make it (it holds what the
        handbook page shows them); every part is read as the actor."""
        if unit_id not in tree.units or tree.units[unit_id].archived:
            raise ValidationError(Problem("report.unit_unknown", {"unit": unit_id}))
        handbook = self.of_unit(unit_id, actor=actor)
        view = self.checklist.of_unit(unit_id, actor=actor)
        latest = self.assessments.latest([unit_id], actor=actor).get(unit_id)
        plan = self.plans.of_unit(unit_id, actor=actor)
        return compile_document(
            tree,
            unit_id,
            lang,
            made_by.strip(),
            now(),
            handbook,
            view.catalogue,
            view.score,
            self.assessments.model,
            latest,
            plan,
        )


def _fresh(current: Answer, based_on: int | None) -> Answer:
    """`current` (read in the writing transaction), or a conflict when the writer saw an
    older revision."""
    if based_on is not None and current.revision != based_on:
        raise HandbookConflictError(current)
    return current


def render(report: Report, fmt: Format, out: IO[bytes]) -> None:
    """Write the handbook in `fmt` to a binary file."""
    if fmt == "pdf":
        from staircase.reports import pdf

        pdf.write(report, out)
    elif fmt == "docx":
        from staircase.reports import docx

        docx.write(report, out)
    else:
        raise ValueError(fmt)


def filename(report: Report, fmt: Format) -> str:
    """'lartrappan-handbok-hemtjanst-norr-2026-11-30.docx' (handbook in English)."""
    word = t("handbook.file_word", report.lang)
    unit = slug(report.unit.split(PATH_SEPARATOR)[-1])
    return f"lartrappan-{word}-{unit}-{report.made_at.date().isoformat()}.{fmt}"
