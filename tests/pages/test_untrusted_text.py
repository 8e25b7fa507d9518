"""User text is shown as text everywhere: unit names, notes, snapshot comments, who saved,
the user's own name and an organisation's own practices never become HTML, Markdown links
or images, on any page, nor markup in a chart.

The test fills a database with the three payloads of issue #5 (and a few more) wherever
users can type, opens every page on AppTest and walks every element's protobuf message,
which is what the browser receives:

- every string that Streamlit renders as Markdown (bodies, labels, help, captions, alert
  texts, segmented-control options …) holds the payloads only backslash-escaped: no raw
  `<img`, `](javascript`, `![` …;
- no element has `allow_html` (st.markdown's unsafe_allow_html) but the welcome page's hint
  in the other language (`OWN_MARKUP`), and none is st.html but the app's own scripts (the
  page's language, screen-reader announcements; see `own_html`);
- the strings of every Plotly figure hold `<`, `>` and `&` of user text as entities (Plotly
  renders a subset of HTML in titles, labels, legends and hover texts);
- every SVG picture is well-formed and made of the app's own SVG elements only (user text
  escaped; an image cannot run script anyway).

Every view of a page is walked: as opened, with each toggle on, and with each tab of its
tabs that run only when open.

Strings Streamlit shows as plain text (select-box options, text-input values, table
cells) may hold a payload as it is: that is the user's text, shown as text.
"""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from staircase.domain.model import Status
from staircase.domain.moments import now
from staircase.services import Actor, Lartrappan
from staircase.ui import document

IMG = "<img src=x onerror=alert(1)>"
LINK = "[x](javascript:alert(1))"
PICTURE = "![](http://example.invalid/p.png)"
PAYLOADS = (IMG, LINK, PICTURE, "<script>alert(1)</script>", "<b>fet</b> <a href='x'>a</a>")
UNIT_NAMES = (LINK, PICTURE, IMG.rstrip(">"))
"""Root, middle and leaf. A unit name cannot hold '>' (it separates the levels of a path),
so the leaf's tag is unclosed."""
PAGES = (
    "pages/checklist.py",
    "pages/progress.py",
    "pages/snapshots.py",
    "pages/units.py",
    "pages/data.py",
)

# Raw (not backslash-escaped) markup: what Markdown would turn into HTML, a link or an image.
MARKDOWN_MARKUP = re.compile(
    r"(?<!\\)<(?:img|script|b|a)\b"  # an HTML tag
    r"|(?<!\\)\]\((?:javascript|http)"  # the ](…) of a link or image
    r"|(?<!\\)!\[",  # the ![ of an image
    re.IGNORECASE,
)
# Raw markup in a Plotly text: a tag other than the app's own <b>, <br>, <span style> and
# the <extra> of hover templates.
PLOTLY_MARKUP = re.compile(
    r"<(?!/?b>|br>|span style='font-size:\d+px'>|/span>|/?extra>)", re.IGNORECASE
)

PLAIN_TEXT_FIELDS = {
    # (element type, field): shown by Streamlit as plain text, never as Markdown
    ("selectbox", "options"),
    ("selectbox", "raw_value"),
    ("multiselect", "options"),
    ("multiselect", "raw_values"),
    ("text_input", "value"),
    ("text_input", "default"),
    ("text_area", "value"),
    ("text_area", "default"),
    ("plotly_chart", "spec"),  # checked below, as Plotly's own markup
    ("plotly_chart", "alt"),  # an attribute (aria-label)
    ("image", "imgs.alt"),  # an attribute
    ("image", "imgs.url"),  # a data: URL of a picture, checked below
}
SVG_ELEMENTS = {
    f"{{http://www.w3.org/2000/svg}}{tag}"
    for tag in [
        "svg",
        "defs",
        "pattern",
        "g",
        "rect",
        "line",
        "polyline",
        "polygon",
        "circle",
        "text",
        "tspan",
    ]
}


# ---------------------------------------------------------------------------- the data


def fill(store: Lartrappan) -> dict[str, int]:
    """Every place a user can type, filled with the payloads. Returns the unit ids by role."""
    own = store.practices.add(
        Actor(""),
        2,
        IMG,
        LINK,
        description_sv=PICTURE + " " + LINK,
        description_en=IMG,
        dimensions=["people"],
    )
    root = store.units.create(Actor(""), UNIT_NAMES[0])
    middle = store.units.create(Actor(""), UNIT_NAMES[1], root.id)
    leaf = store.units.create(Actor(""), UNIT_NAMES[2], middle.id)
    sibling = store.units.create(Actor(""), "Granne <img src=y onerror=alert(2)", middle.id)
    practices = [p.id for p in store.practices.catalogue().practices]
    for unit in (leaf, sibling):
        for i, pid in enumerate(practices):
            store.checklist.set_note(
                Actor(PAYLOADS[i % 3]), unit.id, pid, PAYLOADS[i % len(PAYLOADS)]
            )
            store.checklist.set_status(
                Actor(PAYLOADS[(i + 1) % 3]), unit.id, pid, Status.IN_PROGRESS
            )
        store.snapshots.save(Actor(""), unit.id, IMG, LINK, now() - timedelta(days=30))
        store.checklist.set_status(Actor(PICTURE), unit.id, practices[0], Status.DONE)
        store.checklist.set_status(Actor(IMG), unit.id, own.id, Status.NOT_APPLICABLE)
        store.snapshots.save(
            Actor(""), unit.id, PICTURE, IMG + "\n" + LINK, now() - timedelta(days=1)
        )
    return {"root": root.id, "middle": middle.id, "leaf": leaf.id}


@pytest.fixture
def payload_store(store: Lartrappan) -> tuple[Lartrappan, dict[str, int]]:
    return store, fill(store)


# ---------------------------------------------------------------------------- the checks


def strings(message: Message, path: str = "") -> Iterator[tuple[str, str]]:
    """Every string in a protobuf message, with the name of the field holding it."""
    for descriptor, value in message.ListFields():
        values = value if descriptor.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                yield from strings(item, f"{path}{descriptor.name}.")
            elif isinstance(item, str):
                yield f"{path}{descriptor.name}", item


def elements(at: AppTest) -> Iterator[Any]:
    """Every element and container on the page (main area and sidebar)."""
    yield from at._tree


def _own_html_patterns() -> list[re.Pattern[str]]:
    """The app's own st.html elements (staircase/ui/document.py): the page-language script
    for a known language, and a screen-reader announcement whose message is a JSON string
    with no `<` (so it cannot close the script; it is set as textContent, never as HTML)."""
    language = re.escape(document._SCRIPT.format(value="LANG")).replace("LANG", '"(sv|en)"')
    message = r'"(?:[^"\\<]|\\.)*"'
    announce = re.escape(document._ANNOUNCE.format(number="NUMBER", message="MESSAGE"))
    announce = announce.replace("NUMBER", r"\d+").replace("MESSAGE", message)
    return [re.compile(language), re.compile(announce)]


def own_html(body: str) -> bool:
    return any(p.fullmatch(body) for p in _own_html_patterns())


OWN_MARKUP = frozenset(document.other_language_markup(lang) for lang in ("sv", "en"))
"""The only Markdown the app lets hold HTML: the welcome page's hint in the other language,
our own constant text in a <span lang> (Markdown cannot mark a language; WCAG 3.1.2)."""


def offences(at: AppTest) -> list[str]:
    """Every place on the page where user text is rendered as markup."""
    found = []
    for node in elements(at):
        proto = getattr(node, "proto", None)
        if not isinstance(proto, Message):
            continue
        kind = getattr(node, "type", "?")
        if kind == "html":
            if own_html(proto.body):
                continue  # the app's own script: no user text as markup
            found.append(f"st.html element: {proto}")
        for field, text in strings(proto):
            top = field.split(".")[0]
            if top == "allow_html":
                continue
            if (kind, top) in PLAIN_TEXT_FIELDS or (kind, field) in PLAIN_TEXT_FIELDS:
                continue
            if MARKDOWN_MARKUP.search(text):
                found.append(f"{kind}.{field}: {text!r}")
        if getattr(proto, "allow_html", False) and getattr(proto, "body", "") not in OWN_MARKUP:
            found.append(f"{kind} has allow_html: {getattr(proto, 'body', '')!r}")
    for image in at.get("image"):
        for img in image.proto.imgs:
            found += picture_offences(img.url)
    for chart in at.get("plotly_chart"):
        found += [
            f"plotly {where}: {text!r}"
            for where, text in figure_strings(json.loads(chart.proto.spec))
            if PLOTLY_MARKUP.search(text)
        ]
    return found


def picture_offences(url: str) -> list[str]:
    prefix = "data:image/svg+xml;base64,"
    if not url.startswith(prefix):
        return [f"an image that is not an SVG picture: {url[:80]!r}"]
    svg = base64.b64decode(url[len(prefix) :]).decode("utf-8")
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as error:
        return [f"a picture that is not well-formed ({error}): {svg[:200]!r}"]
    return [f"a {e.tag} in a picture" for e in root.iter() if e.tag not in SVG_ELEMENTS]


def views(at: AppTest) -> Iterator[AppTest]:
    """The page as opened, with each toggle on, then with each tab of its keyed tabs open
    (tabs that run only when open: their content is not sent otherwise)."""
    yield at
    for toggle in list(at.toggle):
        toggle.set_value(True).run()
        yield at
    containers = [n for n in at._tree if getattr(n, "type", "") == "tab_container" and n.key]
    for container in containers:
        for label in [tab.label for tab in container.children.values()][1:]:
            at.session_state[container.key] = label
            at.run()
            assert not at.exception, [e.value for e in at.exception]
            yield at


def figure_strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from figure_strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from figure_strings(item, f"{where}[{i}]")


def shown(at: AppTest) -> str:
    """All the text of the page, for checking that the payloads are there (escaped)."""
    return "\n".join(
        text
        for node in elements(at)
        if isinstance(getattr(node, "proto", None), Message)
        for _, text in strings(node.proto)
    )


# ---------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_pages_show_user_text_as_text(
    payload_store: tuple[Lartrappan, dict[str, int]],
    open_page: Callable[..., AppTest],
    page: str,
    lang: str,
) -> None:
    _, units = payload_store
    at = open_page(page, units["leaf"], lang, user=PICTURE)
    charts = 0
    for view in views(at):
        charts += len(view.get("plotly_chart"))
        assert offences(view) == []
        # The payloads are on the page (escaped): the check above looked at them.
        text = shown(view)
        assert "javascript" in text and "example.invalid" in text and "onerror" in text
    if page == "pages/progress.py":  # every chart was looked at: the history, comparison, overview
        assert charts == 4


def submit(at: AppTest, form: str) -> AppTest:
    """Click the submit button of the form `form` and run."""
    button = next(b for b in at.button if (b.key or "").startswith(f"FormSubmitter:{form}-"))
    return button.click().run()


def test_messages_after_changes_show_user_text_as_text(
    payload_store: tuple[Lartrappan, dict[str, int]],
    open_page: Callable[..., AppTest],
) -> None:
    """The confirmations after creating and renaming a unit and adding an own practice
    repeat what the user typed: as text."""
    store, units = payload_store
    at = open_page("pages/units.py", units["leaf"], user=PICTURE)
    at.text_input(key="units_new_name").set_value(PICTURE + " ny")
    submit(at, "units_new_form")
    assert PICTURE + " ny" in {u.name for u in store.units.tree().units.values()}
    assert "example.invalid" in at.success[0].value
    assert offences(at) == []

    at.selectbox(key="units_ren_id").set_value(units["middle"])
    at.text_input(key="units_ren_name").set_value(LINK + " omdöpt")
    submit(at, "units_rename_form")
    assert store.units.tree().units[units["middle"]].name == LINK + " omdöpt"
    assert "javascript" in at.success[0].value
    assert offences(at) == []

    at.text_input(key="units_pr_tsv").set_value(IMG + " andra")
    at.multiselect(key="units_pr_dims").set_value(["people"])
    submit(at, "units_practice_form")
    assert IMG + " andra" in {p.title.sv for p in store.practices.catalogue().practices}
    assert "onerror" in at.success[0].value
    assert offences(at) == []


def test_a_rejected_upload_shows_its_name_and_values_as_text(
    payload_store: tuple[Lartrappan, dict[str, int]],
    open_page: Callable[..., AppTest],
) -> None:
    """The file name and the cell values quoted in the problems are the uploader's text."""
    _, units = payload_store
    at = open_page("pages/data.py", units["leaf"], user=PICTURE)
    body = "\n".join(
        [
            "unit_path,taken_at,practice_id,status",
            f"Ny,2025-01-01,{LINK},{IMG}",
            f"Ny,{PICTURE},s1-goal-linked,done",
        ]
    )
    at.file_uploader(key="data_upload").set_value((IMG + ".csv", body.encode(), "text/csv"))
    at.run()
    at.button(key="data_import").click().run()
    assert not at.exception
    errors = "\n".join(e.value for e in at.error)
    assert "onerror" in errors and "javascript" in errors and "example.invalid" in errors
    assert offences(at) == []


def test_deleting_a_snapshot_confirms_with_its_saver_as_text(
    payload_store: tuple[Lartrappan, dict[str, int]],
    open_page: Callable[..., AppTest],
) -> None:
    store, units = payload_store
    at = open_page("pages/snapshots.py", units["leaf"], user=PICTURE)
    before = len(store.snapshots.of_unit(units["leaf"]))
    at.checkbox(key="snap_del_confirm").check()
    submit(at, "snap_delete_form")
    assert len(store.snapshots.of_unit(units["leaf"])) == before - 1
    assert "example.invalid" in at.success[0].value
    assert offences(at) == []


def test_first_unit_named_with_markup_on_an_empty_database(
    store: Lartrappan, open_page: Callable[..., AppTest]
) -> None:
    at = open_page(user=PICTURE)
    assert offences(at) == []  # the welcome page: its hint's <span lang> is the one exception
    assert [c.proto.body for c in at.caption if c.proto.allow_html] == [
        document.other_language_markup("sv")
    ]
    at.text_input[0].set_value(IMG.rstrip(">"))
    submit(at, "welcome_create_form")
    assert not at.exception
    assert [u.name for u in store.units.tree().units.values()] == [IMG.rstrip(">")]
    assert offences(at) == []
    assert "onerror" in shown(at)
