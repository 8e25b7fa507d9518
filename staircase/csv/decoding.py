"""From the bytes of an uploaded file to text the reader takes line by line: which encodings
are read, how a file that is not text is told apart, and which delimiter it uses."""

from __future__ import annotations

import codecs
import io
from typing import TextIO

from staircase.domain.model import Problem, ValidationError


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), or UTF-16 with a BOM; anything else names the line."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ValidationError(Problem("csv.encoding_unsupported", {"encoding": "UTF-32"}))
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding, key = "utf-16", "csv.not_utf16"
    else:
        encoding, key = "utf-8", "csv.not_utf8"
        data = data.removeprefix(codecs.BOM_UTF8)
        nul = data.find(b"\x00")
        if nul >= 0:  # a binary file, or UTF-16 without its byte-order mark
            before = data[:nul].decode(encoding, errors="replace")
            raise ValidationError(Problem("csv.binary", row=line_of(before, len(before))))
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(encoding, errors="replace")
        raise ValidationError(Problem(key, row=line_of(before, len(before)))) from None
    if "\x00" in text:
        raise ValidationError(Problem("csv.binary", row=line_of(text, text.index("\x00"))))
    return text


def text_lines(data: bytes) -> TextIO:
    """The text `decode` found in `data`, to read line by line (CR, LF and CRLF ends kept,
    as csv wants them), decoded as it is read rather than all at once."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-16", newline="")
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")


def line_of(text: str, position: int) -> int:
    """The 1-based line of `position`, counting CRLF, LF and CR line ends (as csv does)."""
    before = text[:position]
    return before.count("\n") + before.count("\r") - before.count("\r\n") + 1


def detect_delimiter(text: str) -> str:
    """Comma or semicolon: whichever occurs more often, outside quotes, on the header line."""
    counts = {",": 0, ";": 0}
    quoted = content = False
    for char in text[:1_000_000]:
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            if content:
                break  # the end of the header (blank lines before it are skipped)
        elif char in counts:
            counts[char] += 1
        if not char.isspace():
            content = True
    return ";" if counts[";"] > counts[","] else ","
