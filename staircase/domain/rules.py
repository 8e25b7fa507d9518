"""Every rule and limit on what people type, in one place: the store, the CSV reader and the
widgets (`max_chars`) all read them from here.

Each `check_…` returns the problems it finds (empty: fine), so callers can collect every
problem of an input before refusing it.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from urllib.parse import urlsplit

from staircase.domain.model import Problem, Status

NAME_MAX = 80
"""A unit's name, and the name of whoever acts or saves a snapshot."""
NOTE_MAX = 2000
"""A practice's note, a snapshot's comment."""
TITLE_MAX = 200
"""The title of an organisation's own practice, in each language."""
PATH_SEPARATOR = " > "
"""How a unit path is written: 'Norrby kommun > Vård och omsorg > Hemtjänst Norr'."""
NOTE_WHITESPACE = frozenset("\t\n\r")
"""The only control characters a note or comment may hold (tabs and line breaks)."""


def name_key(name: str) -> str:
    """How unit names are told apart: case, surrounding spaces and the Unicode form aside
    ("å" typed as one code point or as "a" + a combining ring is the same name)."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


def slug(text: str, max_length: int = 40) -> str:
    """'Lärande på jobbet!' → 'larande-pa-jobbet': ASCII, lower case, dashes; '' if nothing."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:max_length].strip("-")


def has_control(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    """Whether `text` holds a control character (NUL, escape, …) other than `allowed`."""
    return _controls(allowed).search(text) is not None


@functools.cache
def _controls(allowed: frozenset[str]) -> re.Pattern[str]:
    """The control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F) but
    `allowed`, as one character class: searched in C, not character by character."""
    chars = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0)) if chr(c) not in allowed]
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def check_unit_name(name: str) -> list[Problem]:
    """What is wrong with a unit name, if anything (siblings are checked by the store)."""
    cleaned = name.strip()
    if not cleaned:
        return [Problem("unit.name_empty")]
    problems = []
    if len(cleaned) > NAME_MAX:
        problems.append(Problem("unit.name_too_long", {"max": NAME_MAX, "length": len(cleaned)}))
    if ">" in cleaned:
        problems.append(Problem("unit.name_has_separator"))
    if has_control(cleaned):
        problems.append(Problem("unit.name_control_char"))
    return problems


def check_person(name: str) -> list[Problem]:
    """Who acts or saved a snapshot: may be empty (the embedded mode asks no name)."""
    cleaned = name.strip()
    problems = []
    if len(cleaned) > NAME_MAX:
        problems.append(Problem("person.too_long", {"max": NAME_MAX, "length": len(cleaned)}))
    if has_control(cleaned):
        problems.append(Problem("person.control_char"))
    return problems


def check_note(note: str, key: str = "state.note_too_long") -> list[Problem]:
    """A note or comment: at most NOTE_MAX characters, no control characters but tabs and
    line breaks. `key` names the field in the too-long message."""
    cleaned = note.strip()
    problems = []
    if len(cleaned) > NOTE_MAX:
        problems.append(Problem(key, {"max": NOTE_MAX}))
    if has_control(cleaned, NOTE_WHITESPACE):
        problems.append(Problem("text.control_char"))
    return problems


def check_justified(status: Status, note: str) -> list[Problem]:
    """'Not applicable' needs a written justification in the note."""
    if Status(status) is Status.NOT_APPLICABLE and not note.strip():
        return [Problem("state.na_needs_note")]
    return []


def check_practice_title(title_sv: str, title_en: str) -> list[Problem]:
    if not title_sv.strip():
        return [Problem("practice.title_empty")]
    problems = []
    if len(title_sv.strip()) > TITLE_MAX or len(title_en.strip()) > TITLE_MAX:
        problems.append(Problem("practice.title_too_long", {"max": TITLE_MAX}))
    if has_control(title_sv) or has_control(title_en):
        problems.append(Problem("text.control_char"))
    return problems


# ---------------------------------------------------------------------------- the plan

URL_MAX = 2000
"""An evidence link: what browsers and servers reliably take."""
EVIDENCE_DESCRIPTION_MAX = TITLE_MAX
"""What an evidence link is: a short description, one line."""
URL_SCHEMES = ("http", "https")
_NOT_IN_URLS = frozenset('<>"`')
"""Characters a link may not hold as they are (RFC 3986): written %3C … by browsers."""
"""The only links a plan may hold: a page opened in the browser, never a script or a file."""


def check_owner(owner: str) -> list[Problem]:
    """Who owns a practice's next action: a person's name, or empty (nobody yet)."""
    cleaned = owner.strip()
    problems = []
    if len(cleaned) > NAME_MAX:
        problems.append(Problem("plan.owner_too_long", {"max": NAME_MAX, "length": len(cleaned)}))
    if has_control(cleaned):
        problems.append(Problem("plan.owner_control_char"))
    return problems


def check_action(action: str) -> list[Problem]:
    """A practice's next action: a note's limits, under its own name in the message."""
    return check_note(action, "plan.action_too_long")


def check_evidence_url(url: str) -> list[Problem]:
    """An evidence link: http(s) with a host, at most URL_MAX characters, no spaces, control
    characters or <>"` (a link is opened on click only, but never one that runs anything)."""
    cleaned = url.strip()
    if not cleaned:
        return [Problem("plan.url_empty")]
    if len(cleaned) > URL_MAX:
        return [Problem("plan.url_too_long", {"max": URL_MAX, "length": len(cleaned)})]
    if not cleaned.lower().startswith(tuple(f"{scheme}://" for scheme in URL_SCHEMES)):
        return [Problem("plan.url_not_http")]
    if has_control(cleaned) or any(c.isspace() or c in _NOT_IN_URLS for c in cleaned):
        return [Problem("plan.url_invalid")]
    try:
        host = urlsplit(cleaned).hostname
    except ValueError:  # an unclosed [IPv6] host, say
        return [Problem("plan.url_invalid")]
    if not host:
        return [Problem("plan.url_no_host")]
    return []


def check_evidence_description(description: str) -> list[Problem]:
    """What the link is: required, one line of at most EVIDENCE_DESCRIPTION_MAX characters."""
    cleaned = description.strip()
    if not cleaned:
        return [Problem("plan.description_empty")]
    problems = []
    if len(cleaned) > EVIDENCE_DESCRIPTION_MAX:
        problems.append(
            Problem(
                "plan.description_too_long",
                {"max": EVIDENCE_DESCRIPTION_MAX, "length": len(cleaned)},
            )
        )
    if has_control(cleaned):
        problems.append(Problem("text.control_char"))
    return problems


# ---------------------------------------------------------------------------- the handbook

AMBASSADOR_ROLE_MAX = TITLE_MAX
"""What an ambassador does or is ("APT-ansvarig", "undersköterska, nattpasset"): one line."""


def check_answer(text: str, key: str = "handbook.answer_too_long") -> list[Problem]:
    """An answer to a reflection question, or the unit's vision: a note's limits, under its
    own name in the message."""
    return check_note(text, key)


def check_ambassador(name: str, role: str) -> list[Problem]:
    """An ambassador: a name (required, one line of at most NAME_MAX characters) and a role
    (may be empty, one line of at most AMBASSADOR_ROLE_MAX)."""
    name, role = name.strip(), role.strip()
    problems = []
    if not name:
        problems.append(Problem("handbook.ambassador_name_empty"))
    elif len(name) > NAME_MAX:
        problems.append(
            Problem("handbook.ambassador_name_too_long", {"max": NAME_MAX, "length": len(name)})
        )
    if len(role) > AMBASSADOR_ROLE_MAX:
        problems.append(
            Problem(
                "handbook.ambassador_role_too_long",
                {"max": AMBASSADOR_ROLE_MAX, "length": len(role)},
            )
        )
    if has_control(name) or has_control(role):
        problems.append(Problem("handbook.ambassador_control_char"))
    return problems
