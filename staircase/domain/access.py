"""Who may do what: roles granted on a unit (and everything under it) or on the whole
database, the right each action needs, and the scope a person's grants cover. Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from staircase.domain.model import Problem, ValidationError
from staircase.domain.units import UnitTree

EMAIL_MAX = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    EDITOR = "editor"
    VIEWER = "viewer"


class Right(StrEnum):
    READ = "read"
    """See a unit's checklist, progress, snapshots and roll-up."""
    EXPORT = "export"
    """Download the snapshots as CSV (and reports)."""
    EDIT = "edit"
    """Tick, notes, plans, save and delete snapshots, import snapshots into the scope."""
    MANAGE = "manage"
    """Set targets, open and close assessment rounds."""
    ADMIN = "admin"
    """The organisation's structure and catalogue, users, the audit trail, personal data."""
    SELF = "self"
    """What anyone signed in may do to their own record (bind it at first login)."""


RIGHTS: Mapping[Role, frozenset[Right]] = {
    Role.ADMIN: frozenset(Right),
    Role.MANAGER: frozenset({Right.READ, Right.EXPORT, Right.MANAGE, Right.SELF}),
    Role.EDITOR: frozenset({Right.READ, Right.EDIT, Right.SELF}),
    Role.VIEWER: frozenset({Right.READ, Right.SELF}),
}
"""The one table of what each role may do (the README's permission table is this)."""

ACTIONS: Mapping[str, Right] = {
    # the organisation's structure and catalogue
    "unit.create": Right.ADMIN,
    "unit.rename": Right.ADMIN,
    "unit.archive": Right.ADMIN,
    "unit.restore": Right.ADMIN,
    "practice.add": Right.ADMIN,
    "practice.archive": Right.ADMIN,
    # a unit's own work
    "state.status": Right.EDIT,
    "state.note": Right.EDIT,
    "state.replace": Right.EDIT,
    "snapshot.save": Right.EDIT,
    "snapshot.delete": Right.EDIT,
    "snapshot.import": Right.EDIT,
    # the improvement plan (issue #12 part 2, on main: Plans); plan.import also needs every
    # unit it touches in scope (see Transfer._check_scope for how)
    "plan.owner": Right.EDIT,
    "plan.due": Right.EDIT,
    "plan.action": Right.EDIT,
    "plan.evidence_add": Right.EDIT,
    "plan.evidence_remove": Right.EDIT,
    "plan.import": Right.EDIT,
    # the current-state assessment (Nuläge, on main: Assessments); assessment.import also
    # needs every unit it touches in scope, and creating a unit the whole database
    "assessment.save": Right.EDIT,
    "assessment.delete": Right.EDIT,
    "assessment.import": Right.EDIT,
    # the leader's own handbook ("Vår handbok", issue #11: Handbooks)
    "handbook.vision": Right.EDIT,
    "handbook.answer": Right.EDIT,
    "handbook.ambassador_add": Right.EDIT,
    "handbook.ambassador_edit": Right.EDIT,
    "handbook.ambassador_remove": Right.EDIT,
    "handbook.check": Right.EDIT,
    # management (issue #12: targets and rounds)
    "target.set": Right.MANAGE,
    "target.clear": Right.MANAGE,
    "round.open": Right.MANAGE,
    "round.close": Right.MANAGE,
    # users, the audit trail, personal data
    "user.grant": Right.ADMIN,
    "user.revoke": Right.ADMIN,
    "user.bind": Right.SELF,
    "audit.prune": Right.ADMIN,
    "person.erase": Right.ADMIN,
}
"""Every write's action name → the right it needs. `Door.write` refuses an action missing
here, so a new write cannot skip its permission: add one line."""


def right_of(action: str) -> Right:
    try:
        return ACTIONS[action]
    except KeyError:
        raise LookupError(
            f"The write {action!r} declares no right: add it to staircase.domain.access.ACTIONS"
        ) from None


@dataclass(frozen=True)
class Grant:
    """A role on a unit and everything under it; `unit_id` None: the whole database."""

    role: Role
    unit_id: int | None = None


@dataclass(frozen=True)
class Access:
    """What a signed-in person may do: their grants. No grants: nothing at all."""

    grants: tuple[Grant, ...] = ()

    def has(self, right: Right) -> bool:
        """Whether any grant gives the right somewhere."""
        return any(right in RIGHTS[g.role] for g in self.grants)

    def everywhere(self, right: Right) -> bool:
        """Whether a grant on the whole database gives the right."""
        return any(g.unit_id is None and right in RIGHTS[g.role] for g in self.grants)

    def may(self, right: Right, unit_id: int | None, tree: UnitTree) -> bool:
        """Whether the right holds on the unit (None: on the whole database)."""
        if self.everywhere(right):
            return True
        if unit_id is None or unit_id not in tree.units:
            return False
        roots = self.roots(right)
        current: int | None = unit_id
        while current is not None:
            if current in roots:
                return True
            current = tree.units[current].parent_id
        return False

    def roots(self, right: Right) -> set[int]:
        """The units whose subtrees the grants with this right cover."""
        return {g.unit_id for g in self.grants if g.unit_id is not None and right in RIGHTS[g.role]}

    def scope(self, right: Right, tree: UnitTree) -> set[int] | None:
        """The units the right covers; None: every unit."""
        if self.everywhere(right):
            return None
        out: set[int] = set()
        for root in self.roots(right):
            if root in tree.units:
                out.update(tree.subtree(root))
        return out


def visible_tree(tree: UnitTree, units: set[int] | None) -> UnitTree:
    """The tree cut down to `units` (None: all). A unit whose parent is cut off becomes a
    top of the tree, so nothing outside the scope shows, not even in a path."""
    if units is None:
        return tree
    from dataclasses import replace

    kept = {}
    for unit_id in units:
        unit = tree.units[unit_id]
        if unit.parent_id is not None and unit.parent_id not in units:
            unit = replace(unit, parent_id=None)
        kept[unit_id] = unit
    return UnitTree(kept)


class PermissionDenied(ValidationError):
    """The acting person lacks the right on that unit (or has not signed in)."""

    def __init__(self, action: str, unit: str = "") -> None:
        key = "access.denied_unit" if unit else "access.denied"
        super().__init__(
            Problem(key, {"action": action, "unit": unit} if unit else {"action": action})
        )


def normal_email(raw: str) -> str:
    """An email as grants store it (trimmed, lower case), or a ValidationError."""
    email = raw.strip().lower()
    if not email or len(email) > EMAIL_MAX or not _EMAIL.match(email):
        raise ValidationError(Problem("user.bad_email", {"email": raw.strip()[:EMAIL_MAX]}))
    return email


def parse_role(raw: str) -> Role:
    try:
        return Role(raw.strip().lower())
    except ValueError:
        raise ValidationError(
            Problem("user.bad_role", {"role": raw, "roles": ", ".join(r.value for r in Role)})
        ) from None


def roles_of(grants: Iterable[Grant]) -> set[Role]:
    return {g.role for g in grants}
