"""Bytes to text, robustly: BOM, then UTF-8, then the declared charset, then a guess.

UTF-8 goes before the declared charset because pages that declare
ISO-8859-1 but are really UTF-8 are common, and a strict UTF-8 decode of text
in any other encoding almost never succeeds by accident. charset-normalizer
guesses the rest; when it cannot, or the result is full of control
characters, the input is not text and :class:`NotText` says so.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_MAX_CONTROL_SHARE = 0.01


class NotText(ValueError):
    """The bytes are not text in any encoding we can recognise."""


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` announces."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def declared_charset(head: bytes) -> str | None:
    """The charset an HTML ``<meta>`` or XML declaration near the start names."""
    match = _XML_ENCODING.search(head[:1024]) or _META_CHARSET.search(head[:8192])
    return match.group(1).decode("ascii", "replace").lower() if match else None


def decode_bytes(data: bytes, declared: str | None = None) -> str:
    """``data`` as text; raises :class:`NotText` when it is not text."""
    text = _decode(data, declared or declared_charset(data))
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) > _MAX_CONTROL_SHARE * len(sample):
        raise NotText("binary data, not text (control characters)")
    return text


def _decode(data: bytes, declared: str | None) -> str:
    bom = bom_encoding(data)
    if bom:
        try:
            return data.decode(bom)
        except UnicodeDecodeError as exc:
            raise NotText(f"undecodable {bom} text ({exc.reason} at byte {exc.start})") from None
    if b"\x00" in data[:65536]:
        raise NotText("binary data, not text (contains NUL bytes)")
    for encoding in ("utf-8", declared):
        if not encoding:
            continue
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    guess = charset_normalizer.from_bytes(data).best()
    if guess is None:
        raise NotText("undecodable: not text in any known encoding")
    return str(guess)
