"""Demo data: load the fictional scenario of data/demo.yaml into an empty database.

Two years of follow-ups for Norrby kommun and Region Norrland Syd, both invented; the
scenario, its schema and its story are in data/demo.yaml, and
staircase/domain/demo_scenario.py turns it into snapshots. The same seed and day always
give the same database. The units above the assessed ones (förvaltningar, the
municipality, the region) get no snapshots of their own: the comparison and subtree views
aggregate their units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from staircase.domain.demo_scenario import load_scenario
from staircase.domain.model import Problem, ValidationError
from staircase.domain.moments import now
from staircase.services.door import Actor

if TYPE_CHECKING:
    from staircase.services import Lartrappan

DEMO_ACTOR = Actor("Lärtrappan demo")
"""Who imports the demo's snapshots; each unit's working state is set by its own lead."""


@dataclass(frozen=True)
class DemoSummary:
    units: int
    snapshots: int
    assessments: int = 0


def load_demo(core: Lartrappan, today: date | None = None, seed: int = 2014) -> DemoSummary:
    """Fill an empty database with the demo organisations; refuse one that has units.

    Snapshots end shortly before `today` (default: the current date; never later than it).
    """
    if core.units.any():
        raise ValidationError(Problem("demo.not_empty"))
    real_today = now().date()
    today = min(today or real_today, real_today)
    data = load_scenario(catalogue=core.shipped).build(core.shipped, today, seed)
    result = core.transfer.import_records(DEMO_ACTOR, data.records)
    tree = core.units.tree()
    for path, final in data.final.items():
        unit_id = tree.find(path)
        assert unit_id is not None  # import_records just created it
        core.checklist.replace(Actor(final.lead), unit_id, final.practices)
    for made in data.assessments:
        core.assessments.save(
            Actor(made.saved_by),
            tree.find(made.unit_path) or 0,  # a unit of the scenario: created above
            made.areas,
            made.traits,
            answers={},
            saved_by=made.saved_by,
            comment=made.comment,
            taken_at=made.taken_at,
        )
    for book in data.handbooks:
        unit_id = tree.find(book.path) or 0  # a unit of the scenario: created above
        lead = Actor(data.final[book.path].lead)
        if book.vision:
            core.handbook.set_vision(lead, unit_id, book.vision)
        for question_id, text in book.answers.items():
            core.handbook.set_answer(lead, unit_id, question_id, text)
        for name, role in book.ambassadors:
            core.handbook.add_ambassador(lead, unit_id, name, role)
        for point_id in book.ticked:
            core.handbook.check(lead, unit_id, point_id, True)
    return DemoSummary(
        units=result.units_created,
        snapshots=result.snapshots_created,
        assessments=len(data.assessments),
    )
