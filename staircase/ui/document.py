"""The browser document around the app: its language (`<html lang>`).

Streamlit serves `<html lang="en">` whatever the app's language, and has no setting for it
(streamlit/streamlit#15726). A screen reader reads the page with the voice of that
attribute, so Swedish text read as English is hard to follow (WCAG 3.1.1, Language of Page).
"""

from __future__ import annotations

import json

import streamlit as st

from staircase.domain.model import Lang

# Runs in the app's own document (st.html is not iframed): it sets the attribute at once
# and keeps it if anything writes it back later. The element is hidden, so it takes no room.
_SCRIPT = """<div class="lartrappan-doc-lang" hidden data-lang={value}></div><script>
(() => {{
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


def set_document_language(lang: Lang) -> None:
    """Make `<html lang>` the app's language: on the first load and after every switch.

    Call it on every run, from the router: the element's content changes with the
    language, so Streamlit draws it again and its script runs again.
    """
    st.html(_SCRIPT.format(value=json.dumps(lang)), unsafe_allow_javascript=True)
