"""The browser document around the app: its language (`<html lang>`), a status region for
screen readers and a visible focus ring.

Streamlit serves `<html lang="en">` whatever the app's language, and has no setting for it
(streamlit/streamlit#15726). A screen reader reads the page with the voice of that
attribute, so Swedish text read as English is hard to follow (WCAG 3.1.1, Language of Page).
"""

from __future__ import annotations

import html
import json

import streamlit as st

from staircase.domain.model import Lang
from staircase.i18n import t

# A live region outside Streamlit's React tree, made on the first load so that a screen
# reader already watches it when a message is written into it (a region that appears with
# its text is often not read). Visually hidden, not display:none, so it is still read.
_LIVE_REGION = """
  let live = document.getElementById("lartrappan-live");
  if (!live) {{
    live = document.createElement("div");
    live.id = "lartrappan-live";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    live.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;" +
      "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;";
    document.body.appendChild(live);
  }}"""

FOCUS_COLOUR = "#1f6f5c"
"""The focus ring's colour: the theme's primary colour, 6.0:1 on white (WCAG 1.4.11 asks
3:1 of what shows focus)."""

# A visible focus ring on whatever the keyboard reaches (WCAG 2.4.7, Focus Visible).
# Streamlit's own is a box-shadow of the primary colour at 50 % opacity (2.2:1 on white)
# on buttons, none at all on the sidebar's page links, and only a 1 px border colour on
# text fields. Text fields get the ring on their frame, drawn inside it: their container
# scrolls, which would clip a ring drawn outside.
_FOCUS_STYLE = """<style>
:focus-visible {
  outline: 3px solid FOCUS !important;
  outline-offset: 2px !important;
}
[data-testid="stTextAreaRootElement"]:focus-within,
[data-testid="stTextInputRootElement"]:focus-within,
[data-testid="stNumberInputContainer"]:focus-within {
  outline: 3px solid FOCUS !important;
  outline-offset: -3px !important;
}
[data-testid="stTextAreaRootElement"] :focus-visible,
[data-testid="stTextInputRootElement"] :focus-visible,
[data-testid="stNumberInputContainer"] :focus-visible {
  outline: none !important;
}
</style>""".replace("FOCUS", FOCUS_COLOUR)

# Runs in the app's own document (st.html is not iframed): it sets the attribute at once
# and keeps it if anything writes it back later. The element is hidden, so it takes no room.
_SCRIPT = (
    _FOCUS_STYLE.replace("{", "{{").replace("}", "}}")
    + """<div class="lartrappan-doc-lang" hidden data-lang={value}></div><script>
(() => {{"""
    + _LIVE_REGION
    + """
  const lang = {value};
  const root = document.documentElement;
  if (root.lang !== lang) root.lang = lang;
  if (window.__lartrappanLangObserver) window.__lartrappanLangObserver.disconnect();
  window.__lartrappanLangObserver = new MutationObserver(() => {{
    if (root.lang !== lang) root.lang = lang;
  }});
  window.__lartrappanLangObserver.observe(root, {{attributes: true, attributeFilter: ["lang"]}});
}})();
</script>"""
)


def set_document_language(lang: Lang) -> None:
    """Make `<html lang>` the app's language: on the first load and after every switch.

    Call it on every run, from the router: the element's content changes with the
    language, so Streamlit draws it again and its script runs again.
    """
    st.html(_SCRIPT.format(value=json.dumps(lang)), unsafe_allow_javascript=True)


_ANNOUNCE_KEY = "_lartrappan_announce"

# Writes the message into the live region; emptied first so the same words twice are read
# twice. The running number makes each message a new element, so its script runs.
_ANNOUNCE = (
    """<div hidden data-announcement={number}></div><script>
(() => {{"""
    + _LIVE_REGION
    + """
  live.textContent = "";
  setTimeout(() => {{ live.textContent = {message}; }}, 100);
}})();
</script>"""
)


def queue_announcement(message: str) -> None:
    """A message for screen readers (a change saved without anything else to see), read out
    through the page's status region the next time `announce` runs; for a callback."""
    number = int(st.session_state.get(_ANNOUNCE_KEY, (0, ""))[0]) + 1
    st.session_state[_ANNOUNCE_KEY] = (number, message)


def announce() -> None:
    """Read out the message queued since the last run, if any (polite: after what the screen
    reader is saying). Errors and conflicts need none of this: Streamlit's st.error and
    st.warning already carry role="alert", st.success and st.info role="status"."""
    number, message = st.session_state.get(_ANNOUNCE_KEY, (0, ""))
    if not message:
        return
    st.session_state[_ANNOUNCE_KEY] = (number, "")
    text = json.dumps(message).replace("<", "\\u003c")
    st.html(_ANNOUNCE.format(number=number, message=text), unsafe_allow_javascript=True)


def other_language_markup(lang: Lang) -> str:
    """The welcome page's hint about the language choice, which is written in the other
    language, marked with that language (WCAG 3.1.2, Language of Parts), so a screen reader
    reads it with the right voice. Markdown has no way to mark a language, so this is HTML:
    our own constant text (escaped all the same), never user text. It is the one
    `unsafe_allow_html` in the app, allowed by exactly this markup in
    tests/pages/test_untrusted_text.py."""
    other = "en" if lang == "sv" else "sv"
    return f'<span lang="{other}">{html.escape(t("welcome.language_hint", lang))}</span>'


def other_language_hint(lang: Lang) -> None:
    st.caption(other_language_markup(lang), unsafe_allow_html=True)
