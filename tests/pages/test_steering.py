"""Targets and assessment rounds in AppTest: set a target (and refuse a bad one), open a round,
follow it, close it; what a lead sees on the checklist; the roll-up's targets section."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from staircase.domain.moments import now
from staircase.domain.steering import TargetState
from staircase.services import Actor, Lartrappan
from staircase.storage import steering as store
from tests.pages.conftest import leaf
from tests.pages.test_organisation import metrics, pictures

BOSS = Actor("Chef Ek")
TODAY = now().date()


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def texts(at) -> str:
    """Everything written on the page, markdown escapes undone."""
    return re.sub(
        r"\\(.)",
        r"\1",
        "\n".join(
            [m.value for m in at.markdown]
            + [c.value for c in at.caption]
            + [i.value for i in at.info]
            + [w.value for w in at.warning]
            + [s.value for s in at.success]
        ),
    )


def test_management_sets_a_target_for_a_forvaltning_and_its_units_inherit_it(
    open_page, demo_store: Lartrappan
):
    forv = leaf(demo_store, "Vård- och omsorgsförvaltningen")
    at = open_page("pages/targets.py", forv, user="Chef Ek")
    assert at.title[0].value == "Mål"
    assert "Inget mål är satt." in texts(at)
    due = TODAY + timedelta(days=120)
    at.selectbox(key=f"target_step_{forv}_sv").set_value(3)
    at.date_input(key=f"target_due_{forv}").set_value(due)
    at.button[0].click().run()  # the form's submit button
    assert not errors(at)
    tree = demo_store.units.tree()
    assert demo_store.targets.of_unit(tree, forv).step == 3
    child = tree.children(forv)[0].id
    assert demo_store.targets.of_unit(tree, child).unit_id == forv
    assert f"Steg 3 senast {due.isoformat()}" in texts(at)
    # The units under it against the target: those on step 3 reached it, the rest on track.
    shown = metrics(at)
    organisation = demo_store.rollup.of_unit(tree, forv)
    on_three = int((organisation.scores["step_reached"] == 3).sum())
    assert shown["✓ nått"] == str(on_three)
    assert shown["→ i fas"] == str(len(organisation.expected) - on_three)
    assert shown["! efter"] == "0"
    assert demo_store.targets.history(tree, forv)[0].set_by == "Chef Ek"


def test_a_target_date_in_the_past_is_refused_with_a_message_and_nothing_saved(
    open_page, demo_store: Lartrappan
):
    unit = leaf(demo_store, "Hemtjänst Norr")
    at = open_page("pages/targets.py", unit, lang="en")
    yesterday = TODAY - timedelta(days=1)
    at.date_input(key=f"target_due_{unit}").set_value(yesterday)
    at.button[0].click().run()
    assert errors(at) == [
        f"The target date {yesterday.isoformat()} has already passed; choose today or a later date."
    ]
    assert demo_store.targets.history(demo_store.units.tree(), unit) == []


def test_a_round_is_opened_followed_and_closed_from_the_rounds_page(
    open_page, demo_store: Lartrappan
):
    forv = leaf(demo_store, "Vård- och omsorgsförvaltningen")
    tree = demo_store.units.tree()
    expected = demo_store.rollup.of_unit(tree, forv).expected
    at = open_page("pages/rounds.py", forv, user="Chef Ek")
    assert "Ingen uppföljningsomgång gäller den här enheten ännu." in texts(at)
    at.text_input(key=f"round_name_{forv}").input("Vårens uppföljning 2027")
    at.date_input(key=f"round_start_{forv}").set_value(TODAY)
    at.date_input(key=f"round_due_{forv}").set_value(TODAY + timedelta(days=30))
    at.button[0].click().run()
    assert not errors(at)
    assert at.subheader[0].value == "Vårens uppföljning 2027"
    assert metrics(at)["Har svarat"] == f"0 / {len(expected)}"
    svg, alt = pictures(at)[0]
    assert 'data-picture="burn_up"' in svg
    assert alt == f"Från {TODAY} till {TODAY} har 0 av {len(expected)} tillfrågade enheter svarat."
    # A lead answers; the page counts it.
    demo_store.snapshots.save(BOSS, expected[0], "Lena", "")
    at.run()
    assert metrics(at)["Har svarat"] == f"1 / {len(expected)}"
    # Closing needs the confirmation tick.
    close = next(b for b in at.button if b.label == "Stäng omgången")
    assert close.disabled
    next(c for c in at.checkbox if c.key.startswith("round_close_sure_")).check().run()
    next(b for b in at.button if b.label == "Stäng omgången").click().run()
    assert not errors(at)
    rnd = demo_store.rounds.of_unit(tree, forv)[0]
    assert not rnd.is_open and rnd.closed_by == "Chef Ek"
    assert "Omgången stängdes av Chef Ek" in texts(at)


def test_a_round_whose_due_date_precedes_its_start_is_refused(open_page, demo_store):
    forv = leaf(demo_store, "Vård- och omsorgsförvaltningen")
    at = open_page("pages/rounds.py", forv)
    at.text_input(key=f"round_name_{forv}").input("Höst")
    at.date_input(key=f"round_start_{forv}").set_value(TODAY + timedelta(days=10))
    at.date_input(key=f"round_due_{forv}").set_value(TODAY + timedelta(days=5))
    at.button[0].click().run()
    assert len(errors(at)) == 1 and "ligger före startdagen" in errors(at)[0]
    assert demo_store.rounds.of_unit(demo_store.units.tree(), forv) == []


def test_the_lead_sees_the_target_and_the_open_round_on_the_checklist(
    open_page, demo_store: Lartrappan
):
    unit = leaf(demo_store, "Hemtjänst Norr")
    tree = demo_store.units.tree()
    parent = tree.units[unit].parent_id
    due = TODAY + timedelta(days=60)
    demo_store.targets.set(BOSS, parent, 3, due)
    demo_store.rounds.open(
        BOSS, parent, "Vår 2027", TODAY - timedelta(days=3), TODAY + timedelta(days=9)
    )
    at = open_page("pages/checklist.py", unit)
    shown = texts(at)
    table = demo_store.targets.progress(tree, unit).table
    state = {"reached": "✓ nått", "on_track": "→ i fas"}[table.iloc[0]["state"]]
    assert (
        f"Mål: Steg 3 senast {due.isoformat()} (satt på {tree.units[parent].name}) – {state}"
        in shown
    )
    warning = at.warning[0].value
    assert "Vår 2027" in warning and "9 dagar kvar" in warning and "inte svarat" in warning
    demo_store.snapshots.save(
        BOSS, unit, "Lena", "", taken_at=datetime.combine(TODAY - timedelta(days=1), time(9))
    )
    at.run()
    # (the completed steps' feedback below shows as success boxes too)
    assert not at.warning and any("enheten har svarat" in s.value for s in at.success)


def test_the_roll_up_lists_the_units_behind_their_target(open_page, demo_store: Lartrappan):
    kommun = leaf(demo_store, "Norrby kommun")
    demo_store.targets.set(BOSS, kommun, 3, TODAY)
    at = open_page(None, kommun)
    assert "Mot målen" in [s.value for s in at.subheader]
    tree = demo_store.units.tree()
    summary = demo_store.targets.progress(tree, kommun)
    assert metrics(at)["→ i fas"] == str(summary.count(TargetState.ON_TRACK))
    assert metrics(at)["! efter"] == "0"  # the target day itself is in time
    assert metrics(at)["Utan mål"] == "0"
    # A target whose date has passed: the units short of it are behind, listed as links
    # to their pages, most steps to go first.
    forv = leaf(demo_store, "Socialförvaltningen")
    with demo_store.db.write() as conn:
        store.add_target(conn, forv, 3, TODAY - timedelta(days=1), now() - timedelta(days=90), "x")
    at.run()
    behind = demo_store.targets.progress(tree, kommun).behind
    assert metrics(at)["! efter"] == str(len(behind)) != "0"
    links = [link for link in at.get("page_link") if "målet var steg 3" in link.proto.label]
    assert [link.proto.query_string.split("&")[0] for link in links] == [
        f"unit={u}" for u in behind["unit_id"]
    ]
    assert list(behind["gap"]) == sorted(behind["gap"], reverse=True)


def test_user_text_on_the_rounds_page_is_never_markup(open_page, demo_store: Lartrappan):
    forv = leaf(demo_store, "Vård- och omsorgsförvaltningen")
    name = "[Logga in](https://phish.example) ![](https://evil.example/p.png)"
    demo_store.rounds.open(Actor(name[:80]), forv, name, TODAY, TODAY + timedelta(days=9))
    at = open_page("pages/rounds.py", forv)
    assert at.subheader[0].value == name.replace("[", "\\[").replace("]", "\\]").replace(
        "(", "\\("
    ).replace(")", "\\)").replace("!", "\\!").replace(":", "\\:")
    shown = [c.value for c in at.caption]
    assert all("](https" not in c for c in shown)


def test_the_progress_page_shows_the_target_on_the_staircase_and_the_step_chart(
    open_page, demo_store: Lartrappan
):
    unit = leaf(demo_store, "Björkskolan")
    due = TODAY + timedelta(days=200)
    demo_store.targets.set(BOSS, unit, 3, due)
    at = open_page("pages/progress.py", unit, lang="en")
    drawn = pictures(at)
    staircase, staircase_alt = drawn[0]
    assert 'data-role="target" data-step="3"' in staircase
    assert f"Target: step 3 by {due.isoformat()}" in staircase_alt
    steps, steps_alt = drawn[2]
    assert 'data-role="target"' in steps and f"Target: step 3 by {due.isoformat()}" in steps_alt
    # Without a target, neither shows one.
    other = open_page("pages/progress.py", leaf(demo_store, "Vuxenutbildningen"), lang="en")
    assert all('data-role="target"' not in svg for svg, _ in pictures(other))
