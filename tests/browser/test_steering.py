"""Steering in Chromium: management sets a target for a förvaltning and opens a round, a
lead sees both on the checklist and saves a snapshot, and the round shows 1 of N with the
unit on track."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from staircase.domain.moments import now
from tests.browser.test_journeys import TIMEOUT, go_to, idle, load_demo, metric, title
from tests.browser.test_organisation import pick_unit

pytestmark = pytest.mark.browser


def test_target_round_snapshot_and_the_round_counts_it(start_app, new_page):
    page = new_page(height=1400)
    load_demo(page, start_app())
    main = page.locator('[data-testid="stMain"]')

    # Management: a target for the förvaltning and everything under it.
    pick_unit(page, "Vård- och omsorgsförvaltningen")
    go_to(page, "Mål")
    expect(main.get_by_text("Inget mål är satt.")).to_be_visible(timeout=TIMEOUT)
    main.get_by_role("button", name="Spara målet").click()
    expect(main.get_by_text("Målet är sparat: steg 2")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    expect(
        main.locator("strong").filter(has_text=re.compile(r"^Steg 2 senast \d{4}-"))
    ).to_be_visible()

    # … and a round.
    go_to(page, "Uppföljningsomgångar")
    main.get_by_text("Öppna en ny omgång").click()
    main.get_by_label("Namn").fill("Vårens uppföljning 2027")
    main.get_by_role("button", name="Öppna omgången").click()
    expect(main.get_by_role("heading", name="Vårens uppföljning 2027")).to_be_visible(
        timeout=TIMEOUT
    )
    idle(page)
    expect(metric(page, "Har svarat")).to_have_text("0 / 3", timeout=TIMEOUT)

    # A lead: the checklist shows the target and the open round; a snapshot answers it.
    pick_unit(page, "Solgårdens särskilda boende")
    go_to(page, "Checklista")
    expect(main.get_by_text(re.compile(r"Mål: Steg 2 senast .* – → i fas"))).to_be_visible(
        timeout=TIMEOUT
    )
    banner = main.locator('[data-testid="stAlert"]').filter(has_text="Vårens uppföljning 2027")
    expect(banner).to_contain_text("Enheten har inte svarat ännu", timeout=TIMEOUT)
    form = main.locator('[data-testid="stForm"]')
    form.get_by_label("Kommentar").fill("Vårens genomgång")
    form.get_by_role("button", name="Spara ögonblicksbild").click()
    expect(main.get_by_text("är sparad")).to_be_visible(timeout=TIMEOUT)
    idle(page)
    expect(banner).to_contain_text("enheten har svarat", timeout=TIMEOUT)

    # Management again: the round counts it, the unit is on track.
    pick_unit(page, "Vård- och omsorgsförvaltningen")
    go_to(page, "Uppföljningsomgångar")
    expect(metric(page, "Har svarat")).to_have_text("1 / 3", timeout=TIMEOUT)
    expect(main.get_by_text("Har inte svarat (2)")).to_be_visible()
    burn_up = main.locator('[data-testid="stImage"] img').first
    expect(burn_up).to_have_attribute(
        "alt",
        re.compile(rf"till {now().date().isoformat()} har 1 av 3 tillfrågade"),
        timeout=TIMEOUT,
    )
    go_to(page, "Organisationen")
    expect(title(page)).to_have_text("Organisationen")
    expect(
        main.get_by_text(re.compile("Vårens uppföljning 2027 .*: 1 av 3 har svarat"))
    ).to_be_visible(timeout=TIMEOUT)
    expect(metric(page, "! efter")).to_have_text("0")
