"""Targets and rounds as tables people read: translated headers, dates as text, a symbol
beside every state (never colour alone)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from staircase.domain.model import Lang
from staircase.domain.moments import format_moment
from staircase.domain.steering import LEVELS, Round, RoundStatus, Target, TargetState
from staircase.domain.units import UnitTree
from staircase.i18n import percent, t


def state_label(state: TargetState | str, lang: Lang) -> str:
    return t(f"target.state.{TargetState(state).value}", lang)


def target_text(target: Target | None, tree: UnitTree, unit_id: int, lang: Lang) -> str:
    """'Step 2 by 2027-06-30 (set on Förvaltning)' or that there is none."""
    if target is None or target.step is None or target.due is None:
        return t("target.none", lang)
    text = t("target.line", lang, step=target.step, due=target.due.isoformat())
    if target.unit_id != unit_id:
        text += " " + t("target.inherited", lang, unit=tree.units[target.unit_id].name)
    return text


def targets_table(table: pd.DataFrame, tree: UnitTree, lang: Lang) -> pd.DataFrame:
    """`TargetSummary.table` for reading: unit, target, reached, state, gap, days left."""
    return pd.DataFrame(
        {
            t("org.unit", lang): [tree.label(int(u)) for u in table["unit_id"]],
            t("target.col.target", lang): [
                t("target.line", lang, step=int(s), due=d.isoformat())
                for s, d in zip(table["target_step"], table["target_due"], strict=True)
            ],
            t("target.col.reached", lang): [int(s) for s in table["step_reached"]],
            t("target.col.state", lang): [state_label(s, lang) for s in table["state"]],
            t("target.col.gap", lang): [int(g) for g in table["gap"]],
            t("target.col.days_left", lang): [int(d) for d in table["days_left"]],
        }
    )


def history_table(history: Sequence[Target], tree: UnitTree, lang: Lang) -> pd.DataFrame:
    """Every setting that held for a unit, newest first: when, by whom, on which unit, what."""
    return pd.DataFrame(
        {
            t("target.col.set_at", lang): [format_moment(h.set_at) for h in history],
            t("target.col.set_by", lang): [h.set_by or "–" for h in history],
            t("target.col.set_on", lang): [tree.label(h.unit_id) for h in history],
            t("target.col.target", lang): [
                t("target.cleared", lang)
                if h.step is None or h.due is None
                else t("target.line", lang, step=h.step, due=h.due.isoformat())
                for h in history
            ],
        }
    )


def rounds_table(rounds: Sequence[Round], tree: UnitTree, lang: Lang) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("round.col.name", lang): [r.name for r in rounds],
            t("round.col.unit", lang): [tree.label(r.unit_id) for r in rounds],
            t("round.col.window", lang): [f"{r.starts} – {r.due}" for r in rounds],
            t("round.col.state", lang): [
                t("round.open_state", lang)
                if r.is_open
                else t("round.closed_state", lang, when=format_moment(r.closed_at))
                for r in rounds
            ],
        }
    )


def burn_up_table(status: RoundStatus, lang: Lang) -> pd.DataFrame:
    """The burn-up's figures: one row per day on which the count changed (and the last)."""
    table = status.burn_up
    if table.empty:
        return pd.DataFrame(columns=[t("chart.axis.date", lang), t("round.col.answered", lang)])
    changed = table[table["answered"].diff().fillna(1).ne(0) | (table.index == table.index[-1])]
    return pd.DataFrame(
        {
            t("chart.axis.date", lang): [d.isoformat() for d in changed["day"]],
            t("round.col.answered", lang): [
                f"{int(n)} / {len(status.expected)}" for n in changed["answered"]
            ],
        }
    )


def missing_table(status: RoundStatus, tree: UnitTree, lang: Lang) -> pd.DataFrame:
    missing = status.missing
    return pd.DataFrame(
        {
            t("org.unit", lang): [tree.label(int(u)) for u in missing["unit_id"]],
            t("round.col.last_saved_by", lang): [
                str(n) if n else "–" for n in missing["last_saved_by"]
            ],
        }
    )


def result_table(status: RoundStatus, lang: Lang) -> pd.DataFrame:
    """Units per step among the answers, and the answers in all: this round beside the
    previous one."""
    labels = [t("org.step_short", lang, step=s) for s in LEVELS] + [t("round.answered_total", lang)]
    columns: dict[str, list[object]] = {t("round.col.step", lang): list(labels)}
    columns[status.round.name] = [*(status.steps[s] for s in LEVELS), status.answered]
    if status.previous is not None:
        before = status.previous
        name = before.round.name
        if name == status.round.name:
            name = f"{name} ({before.round.starts.isoformat()})"
        columns[name] = [*(before.steps[s] for s in LEVELS), before.answered]
    return pd.DataFrame(columns)


def completion_text(status: RoundStatus, lang: Lang) -> str:
    return t(
        "round.completion",
        lang,
        answered=status.answered,
        expected=len(status.expected),
        share=percent(status.share, lang),
    )
