"""The demo scenario file and its loader: what it checks, and the calendar it draws from."""

from __future__ import annotations

import copy
import random
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from staircase.domain.catalogue import load_catalogue, parse_catalogue
from staircase.domain.demo_scenario import (
    DEFAULT_PATH,
    HOLIDAYS,
    ScenarioError,
    follow_up_days,
    load_scenario,
    parse_scenario,
)
from staircase.domain.model import Status

TODAY = date(2024, 5, 15)
HEMTJANST = "Norrby kommun > Vård- och omsorgsförvaltningen > Hemtjänst Norr"
LINDEN = "Norrby kommun > Vård- och omsorgsförvaltningen > LSS-boende Linden"


@pytest.fixture(scope="module")
def shipped_raw() -> dict[str, Any]:
    with DEFAULT_PATH.open(encoding="utf-8") as fh:
        document: dict[str, Any] = yaml.load(
            fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        )
    return document


@pytest.fixture
def raw(shipped_raw: dict[str, Any]) -> dict[str, Any]:
    """The shipped scenario as parsed YAML, a fresh copy to spoil."""
    return copy.deepcopy(shipped_raw)


def unit(raw: dict[str, Any], last_name: str) -> dict[str, Any]:
    return next(u for u in raw["units"] if u["path"][-1] == last_name)


def rejected(raw: dict[str, Any]) -> str:
    """The message of the ScenarioError that parsing `raw` raises."""
    with pytest.raises(ScenarioError) as raised:
        parse_scenario(raw, load_catalogue(), source="demo.yaml")
    assert isinstance(raised.value, ValueError)
    message = str(raised.value)
    assert message.startswith("demo.yaml:")
    return message


# ------------------------------------------------------------------ the shipped file


def test_the_shipped_scenario_loads_and_uses_the_catalogues_ids():
    scenario = load_scenario()
    catalogue = load_catalogue()
    assert len(scenario.units) == 10
    assert {u.path[0] for u in scenario.units} == {"Norrby kommun", "Region Norrland Syd"}
    used = {c.practice for u in scenario.units for c in u.changes}
    assert used == set(catalogue.practice_ids)  # every arbetssätt plays a part, none invented
    assert all(u.leads[0][0] == 0 for u in scenario.units)
    assert scenario.first_comments and scenario.later_comments


def test_the_shipped_file_says_version_1_and_documents_its_schema():
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["version"] == 1
    header = text[: text.index("\nversion:")]
    for key in ("version", "comments", "path", "snapshots", "months", "leads", "events"):
        assert f"{key}:" in header, key
    for status in Status:
        assert status.value in header
    assert "praktik" not in text.casefold()  # the sources say arbetssätt


def test_not_applicable_is_justified_in_the_shipped_file():
    scenario = load_scenario()
    na = [c for u in scenario.units for c in u.changes if c.status is Status.NOT_APPLICABLE]
    assert na and all(c.note and len(c.note) > 40 for c in na)


# ------------------------------------------------------------------------ validation


def test_rejects_an_unknown_practice_id_naming_the_unit_and_the_change(raw):
    unit(raw, "Hemtjänst Norr")["changes"][3]["practice"] = "s1-goal-linkd"
    message = rejected(raw)
    assert HEMTJANST in message and "changes[3]" in message
    assert "unknown practice id 's1-goal-linkd'" in message


@pytest.mark.parametrize("practice", ["custom-lasombud", "S1-GOAL-LINKED", 12, ["s1-goal-linked"]])
def test_rejects_any_id_the_catalogue_lacks(raw, practice):
    unit(raw, "Björkskolan")["changes"].append(
        {"at": 0.5, "practice": practice, "status": "done", "note": "Läsombud"}
    )
    message = rejected(raw)
    assert "Björkskolan" in message and f"unknown practice id {practice!r}" in message


def test_rejects_a_status_that_is_not_an_enum_value(raw):
    unit(raw, "LSS-boende Linden")["changes"][1]["status"] = "klar"  # the Swedish word
    message = rejected(raw)
    assert LINDEN in message and "changes[1]" in message and "'klar'" in message
    assert "not_started, in_progress, done, not_applicable" in message


@pytest.mark.parametrize("at", [1.5, -0.1, "0.5", True, None])
def test_rejects_a_position_outside_0_to_1(raw, at):
    unit(raw, "Hemtjänst Norr")["changes"][0]["at"] = at
    message = rejected(raw)
    assert HEMTJANST in message and "changes[0]" in message and f"position {at!r}" in message


@pytest.mark.parametrize("where", ["leads", "events"])
def test_rejects_a_lead_or_event_position_out_of_range(raw, where):
    unit(raw, "Solgårdens särskilda boende")[where][-1]["at"] = 1.2
    message = rejected(raw)
    assert "Solgårdens särskilda boende" in message and f"{where}[" in message
    assert "position 1.2" in message


@pytest.mark.parametrize("key", ["path", "snapshots", "months", "leads", "changes"])
def test_rejects_a_unit_missing_a_key(raw, key):
    del unit(raw, "Anhörigstödet")[key]
    message = rejected(raw)
    assert f"missing key '{key}'" in message
    if key != "path":
        assert "Anhörigstödet" in message


@pytest.mark.parametrize("key", ["at", "practice"])
def test_rejects_a_change_missing_a_key(raw, key):
    del unit(raw, "Anhörigstödet")["changes"][2][key]
    message = rejected(raw)
    assert "Anhörigstödet" in message and "changes[2]" in message
    assert f"missing key '{key}'" in message


@pytest.mark.parametrize("key", ["version", "comments", "units"])
def test_rejects_a_file_missing_a_top_level_key(raw, key):
    del raw[key]
    assert f"missing key '{key}'" in rejected(raw)


def test_rejects_an_unknown_key_a_typo_would_make(raw):
    hem = unit(raw, "Hemtjänst Norr")
    hem["chnages"] = hem.pop("changes")
    message = rejected(raw)
    assert "unknown key 'chnages'" in message and "missing key 'changes'" in message


@pytest.mark.parametrize("version", [2, 0, "1", 1.0, True, None])
def test_rejects_a_version_other_than_1(raw, version):
    raw["version"] = version
    assert f"version: {version!r} is not supported" in rejected(raw)


def test_rejects_not_applicable_without_a_note(raw):
    linden = unit(raw, "LSS-boende Linden")
    na = next(c for c in linden["changes"] if c.get("status") == "not_applicable")
    del na["note"]
    message = rejected(raw)
    assert LINDEN in message and "s2-just-in-time is not_applicable without a note" in message


def test_rejects_a_later_change_that_empties_the_justification(raw):
    linden = unit(raw, "LSS-boende Linden")
    linden["changes"].append({"at": 0.9, "practice": "s2-just-in-time", "note": ""})
    assert "not_applicable without a note" in rejected(raw)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("snapshots", [9, 8], "snapshots [9, 8] must be [min, max]"),
        ("snapshots", [1, 1], "snapshots [1, 1]"),
        ("snapshots", [8, 12], "12 follow-ups over 24 months are more than one every 70"),
        ("snapshots", "8", "snapshots '8'"),
        ("months", 6, "months 6 must be a whole number from 12 to 36"),
        ("months", "24", "months '24'"),
        ("path", "Norrby kommun > Hemtjänst Norr", "must be a list of unit names"),
        ("path", ["Norrby kommun", ""], "must be a list of unit names"),
        ("leads", [], "leads: expected a non-empty list"),
        ("leads", [{"at": 0.2, "name": "Karin Ek"}], "the first lead must be at 0.0"),
        ("leads", [{"at": 0.0, "name": " "}], "name must be a non-empty text"),
        ("changes", [], "changes: expected a non-empty list"),
    ],
)
def test_rejects_wrong_types_and_ranges(raw, field, value, expected):
    unit(raw, "Hemtjänst Norr")[field] = value
    assert expected in rejected(raw)


def test_rejects_a_change_with_neither_status_nor_note(raw):
    unit(raw, "Björkskolan")["changes"].append({"at": 0.5, "practice": "s2-performance"})
    assert "a change needs a status, a note or both" in rejected(raw)


def test_rejects_a_note_that_is_not_text(raw):
    unit(raw, "Björkskolan")["changes"][0]["note"] = ["en", "lista"]
    assert "note must be a text" in rejected(raw)


def test_rejects_the_same_path_twice_and_a_unit_under_another(raw):
    twice = copy.deepcopy(unit(raw, "Björkskolan"))
    below = copy.deepcopy(unit(raw, "Björkskolan"))
    below["path"] = [*below["path"], "Klass 7A"]
    raw["units"] += [twice, below]
    message = rejected(raw)
    assert "the path is used twice" in message
    assert "lies under Norrby kommun > Barn- och utbildningsförvaltningen > Björkskolan" in message


def test_rejects_a_comment_with_an_unknown_placeholder(raw):
    raw["comments"]["later"].append("Uppföljning i {manad}")
    assert "only {month} may stand in braces" in rejected(raw)


def test_reports_every_problem_at_once(raw):
    unit(raw, "Hemtjänst Norr")["changes"][0]["practice"] = "okänd"
    unit(raw, "Björkskolan")["changes"][0]["status"] = "klar"
    message = rejected(raw)
    assert "'okänd'" in message and "'klar'" in message


def test_load_scenario_reads_a_file_and_names_it(tmp_path: Path, raw):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    assert load_scenario(good) == load_scenario()
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nunits: [\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad\.yaml"):
        load_scenario(bad)
    listing = tmp_path / "list.yaml"
    listing.write_text("- 1\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="must be a YAML mapping"):
        load_scenario(listing)


def test_checks_ids_against_the_catalogue_it_is_given():
    shipped = load_catalogue()
    with DEFAULT_PATH.parent.joinpath("catalogue.yaml").open(encoding="utf-8") as fh:
        raw_catalogue = yaml.safe_load(fh)
    raw_catalogue["practices"] = [
        p for p in raw_catalogue["practices"] if p["id"] != "s2-just-in-time"
    ]
    smaller = parse_catalogue(raw_catalogue)
    with pytest.raises(ScenarioError, match="'s2-just-in-time'"):
        load_scenario(catalogue=smaller)
    with pytest.raises(ScenarioError, match="s2-just-in-time"):  # and build checks it again
        load_scenario(catalogue=shipped).build(smaller, TODAY, 2014)


# ------------------------------------------------------------------------- building


def test_build_is_deterministic_and_every_snapshot_is_before_today():
    scenario, catalogue = load_scenario(), load_catalogue()
    a = scenario.build(catalogue, TODAY, 2014)
    assert a == scenario.build(catalogue, TODAY, 2014)
    assert a.records != scenario.build(catalogue, TODAY, 2015).records
    assert a.records != scenario.build(catalogue, TODAY + timedelta(days=1), 2014).records
    assert all(r.taken_at.date() < TODAY for r in a.records)
    assert set(a.final) == {u.path for u in scenario.units}


def test_final_state_is_the_latest_snapshot_of_each_unit():
    data = load_scenario().build(load_catalogue(), TODAY, 2014)
    for path, final in data.final.items():
        latest = max((r for r in data.records if r.unit_path == path), key=lambda r: r.taken_at)
        assert final.lead == latest.saved_by
        assert [(p.practice_id, p.status, p.note) for p in final.practices] == [
            (e.practice_id, e.status, e.note) for e in latest.entries
        ]


def test_changes_apply_in_order_and_unchanged_fields_carry_over():
    solgarden = next(u for u in load_scenario().units if u.path[-1].startswith("Solgården"))
    before, after = solgarden.state_at(0.7), solgarden.state_at(1.0)
    assert before["s2-learning-in-roles"][0] is Status.DONE
    status, note = after["s2-learning-in-roles"]
    assert status is Status.IN_PROGRESS and note.startswith("Sju av tolv")
    assert "s3-sharing-culture" not in after  # never touched: not started, no note
    assert solgarden.lead_at(0.5) != solgarden.lead_at(1.0)


@pytest.mark.parametrize(
    ("months", "count"),
    [(12, 5), (14, 6), (24, 6), (24, 9), (36, 15)],  # 2nd, 4th, 5th: as often as the file allows
)
def test_follow_up_days_on_every_day_of_three_years(months, count):
    start = date(2023, 1, 1)
    for offset in range(3 * 365):
        today = start + timedelta(days=offset)
        days = follow_up_days(random.Random(offset), today, months, count)
        where = (today, days)
        assert len(days) == count, where
        assert all(b - a >= timedelta(days=30) for a, b in pairwise(days)), where
        assert days[-1] < today and days[-1] >= today - timedelta(days=62), where
        start_of_history = today - timedelta(days=round(months * 365.25 / 12))
        assert start_of_history - timedelta(days=3) <= days[0], where
        assert days[0] <= start_of_history + timedelta(days=45), where
        for day in days:
            assert day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS, where
            assert day.month != 7, where
            assert not (day.month == 6 and 19 <= day.day <= 25 and day.weekday() == 4), where


# ------------------------------------------------------------------ demo assessments


def test_assessments_are_optional(raw):
    del raw["assessments"]
    assert parse_scenario(raw, load_catalogue()).assessments == ()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("path", ["Norrby kommun", "Ingenstans"], "is not the path of one of the units"),
        ("at", 1.5, "position 1.5 must be a number from 0 to 1"),
        ("levels", {"a1-learning-organisation": "halfway"}, "levels: expected area id"),
        ("levels", {}, "levels: expected area id"),
        ("traits", {"a2-openness": "high"}, "traits: expected trait id → a whole number"),
        ("comment", 7, "comment: expected a text"),
        ("levles", {}, "unknown key 'levles'"),
    ],
)
def test_rejects_a_malformed_assessment_naming_where(raw, field, value, expected):
    raw["assessments"][1][field] = value
    message = rejected(raw)
    assert "assessments[1]" in message and expected in message


def test_an_assessment_is_dated_at_its_units_follow_up_by_its_lead():
    scenario = load_scenario()
    data = scenario.build(load_catalogue(), TODAY, 7)
    by_unit = {}
    for record in data.records:
        by_unit.setdefault(record.unit_path, []).append(record)
    for made in data.assessments:
        snapshot = next(
            r for r in by_unit[made.unit_path] if r.taken_at.date() == made.taken_at.date()
        )
        assert made.taken_at > snapshot.taken_at  # later at the same meeting
        assert made.saved_by == snapshot.saved_by
    latest = [a for a in data.assessments if a.comment == "Inför verksamhetsplanen"]
    assert latest and latest[0].taken_at.date() == by_unit[latest[0].unit_path][-1].taken_at.date()


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("path", ["Norrby kommun"], "is not the path of one of the units"),
        ("vision", ["a", "list"], "vision: expected a text"),
        ("answers", {"where-we-learn-today": 3}, "answers: expected question id → text"),
        ("ambassadors", [{"role": "utan namn"}], "ambassadors: expected a list of {name, role}"),
        ("ticked", "safe-climate", "ticked: expected a list of summary point ids"),
        ("visoin", "", "unknown key 'visoin'"),
    ],
)
def test_rejects_a_malformed_handbook_naming_where(raw, field, value, expected):
    raw["handbooks"][0][field] = value
    message = rejected(raw)
    assert "handbooks[0]" in message and expected in message
