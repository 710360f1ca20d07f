"""Names as the file system gives them, and text safe for a terminal.

A POSIX file name is bytes. Python hands a name that is not valid UTF-8 over
with "surrogate escapes" (``latin1_\\udce9.txt``), which no JSON writer, HTML
page or database accepts. And a name may hold control characters: an escape
sequence in a file name would retitle or clear the user's terminal when
printed. So every origin is made shown-safe once, when read:

- a byte that is not UTF-8 becomes ``\\xNN`` (``latin1_\\xe9\\xff.txt``, as
  ``ls -b`` shows it), and a control character becomes ``\\xNN`` (C0, DEL) or
  ``\\uNNNN`` (C1, the bidirectional overrides); :func:`original_name`
  turns the shown name back into the name on disk;
- metadata read from inside a file (title, outlet, URL, date) loses its
  control characters, and text loses lone surrogates (a JSON record may
  carry ``"\\ud800"``), which become U+FFFD.

:func:`for_terminal` escapes control characters in anything else printed to
a terminal.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from newstrace.model import Document, Skipped

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _is_control(ch: str) -> bool:
    code = ord(ch)
    return code < 0x20 or 0x7F <= code <= 0x9F or ch in _BIDI


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (Python's surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def _needs_escape(ch: str) -> bool:
    return _is_control(ch) or 0xD800 <= ord(ch) <= 0xDFFF


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(_BIDI)) + "]")


def shown_name(name: str) -> str:
    """``name`` as valid UTF-8 without control characters: each such character escaped."""
    if not _UNSAFE.search(name):
        return name
    return _UNSAFE.sub(lambda m: _escape(m.group()), name)


_ESCAPED = re.compile(r"\\x([0-9a-f]{2})|\\u([0-9a-f]{4})")


def original_name(shown: str) -> str:
    """The name :func:`shown_name` escaped (as Python's ``os`` functions take it)."""

    def back(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            code = int(match.group(1), 16)
            return chr(code) if code < 0x80 else chr(0xDC00 + code)
        return chr(int(match.group(2), 16))

    return _ESCAPED.sub(back, shown)


def for_terminal(text: str, keep_newlines: bool = False) -> str:
    """``text`` with control characters shown escaped (newlines and tabs kept if asked)."""
    if not _UNSAFE.search(text):
        return text
    kept = "\n\t" if keep_newlines else ""
    return "".join(_escape(ch) if _needs_escape(ch) and ch not in kept else ch for ch in text)


_PICTURES = {code: 0x2400 + code for code in range(0x20) if chr(code) not in "\n\t"}
_PICTURES[0x7F] = 0x2421
_PICTURES.update(dict.fromkeys(range(0x80, 0xA0), 0xFFFD))
_PICTURES.update({ord(ch): 0xFFFD for ch in _BIDI})
_PICTURES.update(dict.fromkeys(range(0xD800, 0xE000), 0xFFFD))


def pictured(text: str) -> str:
    """``text`` with each control character replaced by one visible character (its Unicode
    control picture, ``\x1b`` -> U+241B), newlines and tabs kept: the length is unchanged, so
    spans into the text stay valid. For article text on a terminal."""
    return text.translate(_PICTURES)


def terminal_copy(value: Any) -> Any:
    """A copy of a report (or any of its parts) with every string :func:`pictured`."""
    if isinstance(value, str):
        return pictured(value)
    if isinstance(value, list):
        return [terminal_copy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(terminal_copy(v) for v in value)
    if isinstance(value, dict):
        return {k: terminal_copy(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: terminal_copy(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.init and f.name not in ("annotations", "raw")
        }
        return dataclasses.replace(value, **changes)
    return value


def plain(text: str | None) -> str | None:
    """Metadata from inside a file: control characters dropped, lone surrogates replaced."""
    if text is None or not _UNSAFE.search(text):
        return text
    return "".join(
        "\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ("" if _is_control(ch) else ch) for ch in text
    )


def _no_surrogates(text: str | None) -> str | None:
    if text is None or not re.search("[\ud800-\udfff]", text):
        return text
    return re.sub("[\ud800-\udfff]", "\ufffd", text)


def made_safe(item: Document | Skipped) -> Document | Skipped:
    """The document or skip with its origin shown-safe and its metadata and text valid UTF-8."""
    item.origin = shown_name(item.origin)
    if isinstance(item, Skipped):
        item.error = shown_name(item.error)
        return item
    item.title = plain(item.title)
    item.source = plain(item.source)
    item.url = plain(item.url)
    item.published = plain(item.published)
    item.raw = _no_surrogates(item.raw)
    item.text = _no_surrogates(item.text) or ""
    return item
