"""The roll-up as data for other systems (JSON, CSV) and as text for a terminal: what
`python -m staircase summary` prints."""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from typing import Any

from staircase.csv.format import escape_cell, format_row
from staircase.domain.assessment import DISTRIBUTION_COLUMNS, AreaDistribution, AssessmentModel
from staircase.domain.model import Lang
from staircase.domain.moments import FILE_FORMAT
from staircase.domain.rollup import LEVELS, STALE_MONTHS, STATUS_ORDER, OrganisationNow
from staircase.domain.steering import STATE_ORDER, RoundStatus, TargetSummary
from staircase.domain.units import UnitTree
from staircase.i18n import t

CSV_COLUMNS = ("section", "id", "name", "step", "measure", "value")


def summary(
    now: OrganisationNow,
    tree: UnitTree,
    lang: Lang,
    stale_months: int = STALE_MONTHS,
    targets: TargetSummary | None = None,
    rounds: Sequence[RoundStatus] = (),
    assessment: tuple[AssessmentModel, AreaDistribution] | None = None,
) -> dict[str, Any]:
    """The roll-up as plain data: counts, shares (0–1) and maturity (0–1), `None` where
    there is nothing to count; with the units' standing against their targets, the
    open rounds' completion and the current-state assessment per area when given."""
    dist = now.distribution
    titles = {p.id: p.title(lang) or p.title.sv for p in now.catalogue.practices}
    practices = [
        {
            "id": str(r.practice_id),
            "step": int(r.step),
            "title": titles.get(str(r.practice_id), str(r.practice_id)),
            "units": int(r.units),
            **{s.value: float(getattr(r, s.value)) for s in STATUS_ORDER},
            "score": _number(r.score),
        }
        for r in now.practices.itertuples(index=False)
    ]
    stale = [
        {
            "id": int(r.unit_id),
            "path": tree.label(int(r.unit_id)),
            "last_snapshot": None if _missing(r.last) else r.last.strftime(FILE_FORMAT),
        }
        for r in now.stale(stale_months).itertuples(index=False)
    ]
    return {
        "unit": {"id": now.unit_id, "path": tree.label(now.unit_id)},
        "at": now.at.isoformat(),
        "units": dist.assessed,
        "units_expected": dist.units_in_scope,
        "units_not_assessed": dist.not_assessed,
        "steps": {str(s): dist.steps[s] for s in LEVELS},
        "maturity_mean": dist.maturity_mean,
        "maturity_median": dist.maturity_median,
        "practices": practices,
        "stale": {"months": stale_months, "units": stale},
        "targets": _targets(targets, tree),
        "rounds": [_round(r, tree) for r in rounds],
        "assessment": _assessment(assessment, lang),
    }


LEVEL_KEYS = DISTRIBUTION_COLUMNS[1:]
"""not_started, in_progress, done, not_assessed: units per level in an area."""


def _assessment(
    given: tuple[AssessmentModel, AreaDistribution] | None, lang: Lang
) -> dict[str, Any]:
    if given is None:
        return {}
    model, dist = given
    titles = {a.id: a.title(lang) for a in model.areas}
    return {
        "assessed": dist.assessed,
        "expected": len(dist.expected),
        "areas": [
            {"id": str(r["area_id"]), "title": titles[str(r["area_id"])]}
            | {k: int(r[k]) for k in LEVEL_KEYS}
            for r in dist.table.to_dict("records")
        ],
    }


def _targets(targets: TargetSummary | None, tree: UnitTree) -> dict[str, Any]:
    if targets is None:
        return {}
    return {
        **{s.value: targets.count(s) for s in STATE_ORDER},
        "without_target": targets.without_target,
        "behind_units": [
            {
                "id": int(r.unit_id),
                "path": tree.label(int(r.unit_id)),
                "step": int(r.step_reached),
                "target_step": int(r.target_step),
                "target_due": r.target_due.isoformat(),
                "gap": int(r.gap),
            }
            for r in targets.behind.itertuples(index=False)
        ],
    }


def _round(status: RoundStatus, tree: UnitTree) -> dict[str, Any]:
    rnd = status.round
    return {
        "id": rnd.id,
        "name": rnd.name,
        "unit": tree.label(rnd.unit_id),
        "starts": rnd.starts.isoformat(),
        "due": rnd.due.isoformat(),
        "answered": status.answered,
        "expected": len(status.expected),
    }


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_csv(data: dict[str, Any]) -> str:
    """One value per row (section, id, name, step, measure, value): a long table that a
    spreadsheet pivots; text cells made inert as in the snapshot export."""
    rows: list[tuple[Any, ...]] = [
        ("summary", data["unit"]["id"], data["unit"]["path"], "", "at", data["at"]),
        *(
            ("summary", "", "", "", key, data[key])
            for key in ("units", "units_expected", "units_not_assessed")
        ),
        *(("steps", "", "", step, "units", n) for step, n in data["steps"].items()),
        ("summary", "", "", "", "maturity_mean", data["maturity_mean"]),
        ("summary", "", "", "", "maturity_median", data["maturity_median"]),
    ]
    for p in data["practices"]:
        for measure in ("units", *(s.value for s in STATUS_ORDER), "score"):
            rows.append(("practice", p["id"], p["title"], p["step"], measure, p[measure]))
    for u in data["stale"]["units"]:
        rows.append(("stale", u["id"], u["path"], "", "last_snapshot", u["last_snapshot"]))
    targets = data["targets"]
    for key in (*(s.value for s in STATE_ORDER), "without_target") if targets else ():
        rows.append(("targets", "", "", "", key, targets[key]))
    for u in targets.get("behind_units", []):
        for measure in ("target_step", "target_due", "gap"):
            rows.append(("behind", u["id"], u["path"], u["step"], measure, u[measure]))
    for r in data["rounds"]:
        for measure in ("starts", "due", "answered", "expected"):
            rows.append(("round", r["id"], r["name"], "", measure, r[measure]))
    assessment = data["assessment"]
    for key in ("assessed", "expected") if assessment else ():
        rows.append(("assessment", "", "", "", key, assessment[key]))
    for a in assessment.get("areas", []):
        for level in LEVEL_KEYS:
            rows.append(("area", a["id"], a["title"], "", level, a[level]))
    out = io.StringIO()
    out.write(format_row(CSV_COLUMNS, ",", "\n"))
    for row in rows:
        out.write(format_row((_cell(v) for v in row), ",", "\n"))  # format_row quotes
    return out.getvalue()


def as_table(data: dict[str, Any], lang: Lang) -> str:
    """The roll-up for a person at a terminal."""

    def tr(key: str, **params: Any) -> str:
        return t(f"summary.{key}", lang, **params)

    lines = [
        tr("title", unit=data["unit"]["path"], at=data["at"]),
        tr("units", units=data["units"], expected=data["units_expected"]),
        tr(
            "maturity",
            mean=_percent(data["maturity_mean"]),
            median=_percent(data["maturity_median"]),
        ),
        "",
        tr("steps"),
        *(f"  {tr('step', step=s)}: {n}" for s, n in data["steps"].items()),
        "",
        tr("practices"),
    ]
    statuses = [s.value for s in STATUS_ORDER]
    head = [tr("practice"), *(t(f"status.{s}", lang) for s in statuses), tr("units_column")]
    table = [
        [
            f"{p['step']} {p['title']}",
            *(_percent(p[s]) for s in statuses),
            str(p["units"]),
        ]
        for p in data["practices"]
    ]
    widths = [max(len(str(r[i])) for r in [head, *table]) for i in range(len(head))]
    for r in [head, *table]:
        lines.append("  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    lines += ["", tr("stale", months=data["stale"]["months"], count=len(data["stale"]["units"]))]
    for u in data["stale"]["units"]:
        last = u["last_snapshot"] or tr("never")
        lines.append(f"  {u['id']:>6}  {u['path']}  ({last})")
    targets = data["targets"]
    if targets:
        lines += [
            "",
            tr(
                "targets",
                behind=targets["behind"],
                on_track=targets["on_track"],
                reached=targets["reached"],
                without=targets["without_target"],
            ),
        ]
        for u in targets["behind_units"]:
            lines.append(
                "  "
                + tr(
                    "behind_line",
                    id=u["id"],
                    path=u["path"],
                    step=u["step"],
                    target=u["target_step"],
                    due=u["target_due"],
                    gap=u["gap"],
                )
            )
    for r in data["rounds"]:
        lines += [
            "",
            tr("round", **{k: r[k] for k in ("name", "unit", "due", "answered", "expected")}),
        ]
    assessment = data["assessment"]
    if assessment:
        lines += ["", tr("assessment", **{k: assessment[k] for k in ("assessed", "expected")})]
        head = [
            tr("area"),
            *(
                t("assessment.not_assessed" if k == "not_assessed" else f"status.{k}", lang)
                for k in LEVEL_KEYS
            ),
        ]
        table = [[a["title"], *(str(a[k]) for k in LEVEL_KEYS)] for a in assessment["areas"]]
        widths = [max(len(str(r[i])) for r in [head, *table]) for i in range(len(head))]
        for r in [head, *table]:
            lines.append("  " + "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    return "\n".join(lines) + "\n"


def _number(value: Any) -> float | None:
    return None if _missing(value) else float(value)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except TypeError:
        return False


def _percent(value: float | None) -> str:
    return "–" if value is None or math.isnan(value) else f"{value * 100:.0f} %"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, int):
        return str(value)
    return escape_cell(str(value))  # a name like "=SUM(…)" stays text in a spreadsheet
