"""The tables the pages show, as DataFrames with translated headers, and the snapshot diff."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from staircase.domain.catalogue import Catalogue, Practice
from staircase.domain.diff import SnapshotDiff
from staircase.domain.model import Lang, Snapshot, SnapshotEntry, Status
from staircase.domain.moments import MINUTE_FORMAT
from staircase.domain.units import UnitTree
from staircase.i18n import percent, status_label, t


def _title(catalogue: Catalogue, practice_id: str, lang: Lang) -> str:
    try:
        return catalogue.practice(practice_id).title(lang)
    except KeyError:
        return practice_id


def diff_table(diff: SnapshotDiff, catalogue: Catalogue, lang: Lang) -> pd.DataFrame:
    def label(status: Status | None) -> str:
        return status_label(status, lang) if status else t("diff.absent", lang)

    return pd.DataFrame(
        {
            t("table.step", lang): [c.step for c in diff.changes],
            t("table.practice", lang): [
                _title(catalogue, c.practice_id, lang) for c in diff.changes
            ],
            t("diff.before", lang): [label(c.before) for c in diff.changes],
            t("diff.after", lang): [label(c.after) for c in diff.changes],
            t("table.note", lang): [c.note_after for c in diff.changes],
        }
    )


def snapshot_table(
    snapshots: Sequence[Snapshot], history: pd.DataFrame, lang: Lang
) -> pd.DataFrame:
    """A unit's snapshots, newest first, with their step reached and maturity."""
    scores = history.set_index("snapshot_id") if not history.empty else pd.DataFrame()

    def scored(snapshot_id: int, column: str) -> object:
        return scores.at[snapshot_id, column] if snapshot_id in scores.index else None

    return pd.DataFrame(
        {
            t("table.taken_at", lang): [_when(s.taken_at) for s in snapshots],
            t("score.step_reached", lang): [scored(s.id, "step_reached") for s in snapshots],
            t("score.maturity", lang): [
                percent(_float(scored(s.id, "maturity")), lang) for s in snapshots
            ],
            t("table.saved_by", lang): [s.saved_by for s in snapshots],
            t("table.comment", lang): [s.comment for s in snapshots],
        }
    )


def overview_table(
    overview: pd.DataFrame, tree: UnitTree, unit_ids: Sequence[int], lang: Lang
) -> pd.DataFrame:
    """Each unit of a subtree with its latest snapshot's step and maturity (or none yet)."""
    latest: Mapping[int, pd.Series] = (
        {int(r.unit_id): r for _, r in overview.iterrows()} if not overview.empty else {}
    )
    rows = []
    for unit_id in unit_ids:
        row = latest.get(unit_id)
        rows.append(
            {
                t("table.unit", lang): tree.label(unit_id),
                t("score.step_reached", lang): (
                    str(int(row["step_reached"])) if row is not None else "–"
                ),
                t("score.maturity", lang): percent(
                    _float(row["maturity"]) if row is not None else None, lang
                ),
                t("table.latest_snapshot", lang): _when(row["taken_at"])
                if row is not None
                else "–",
            }
        )
    return pd.DataFrame(rows)


def _when(moment: object) -> str:
    """A date and time as the app shows them everywhere: 2025-03-12 09:30."""
    return pd.Timestamp(moment).strftime(MINUTE_FORMAT)  # type: ignore[arg-type]


def _float(value: object) -> float | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return float(value)  # type: ignore[arg-type]


def entries_table(
    entries: Sequence[SnapshotEntry], catalogue: Catalogue, lang: Lang
) -> pd.DataFrame:
    """What one snapshot recorded, practice by practice."""
    ordered = sorted(entries, key=lambda e: (e.step, e.practice_id))
    return pd.DataFrame(
        {
            t("table.step", lang): [e.step for e in ordered],
            t("table.practice", lang): [_title(catalogue, e.practice_id, lang) for e in ordered],
            t("table.status", lang): [status_label(e.status, lang) for e in ordered],
            t("table.note", lang): [e.note for e in ordered],
        }
    )


def units_table(tree: UnitTree, lang: Lang, under: int | None = None) -> pd.DataFrame:
    """Every unit (or `under` and the units below it), archived ones included."""
    units = tree.ordered(include_archived=True, under=under)
    return pd.DataFrame(
        {
            t("table.unit", lang): [tree.label(u.id) for u in units],
            t("table.state", lang): [
                t("units.archived" if u.archived else "units.active", lang) for u in units
            ],
        }
    )


def custom_practice_table(practices: Sequence[Practice], lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("table.step", lang): [p.step for p in practices],
            t("table.practice", lang): [p.title(lang) for p in practices],
            t("table.dimensions", lang): [
                ", ".join(t(f"dimension.{d.value}", lang) for d in p.dimensions) for p in practices
            ],
            t("table.id", lang): [p.id for p in practices],
        }
    )
