"""One input as a byte stream: gzip undone transparently, the head kept for sniffing.

Every reader gets an :class:`Input`: a buffered binary stream over the
(decompressed) content, the first bytes already read for kind detection and
served again, and a record of whether the stream broke (a truncated gzip
member, a read error). A broken stream ends like a normal one and
``Input.error`` says why, so streaming readers (JSON Lines, WARC, feeds) keep
what they read before the break and then report the rest as skipped, instead
of losing the whole file to an exception.

gzip is recognised by its magic bytes, not by the ``.gz`` suffix, so a
compressed file under any name (or on standard input) reads the same as the
plain one. ``io``/``gzip`` from the standard library do the work; this module
only adds the replayed head and the error capture, which they do not offer.
"""

from __future__ import annotations

import gzip
import io
import zlib
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 64 * 1024


class _Guarded(io.RawIOBase):
    """Reads ``stream``; a decompression or read error ends the stream and is kept in ``error``."""

    def __init__(self, stream: BinaryIO):
        self._stream = stream
        self.error: str | None = None
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.error is not None:
            return 0
        try:
            chunk = self._stream.read(len(buffer))
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            self.error = f"truncated or corrupt gzip stream ({exc})"
            return 0
        except OSError as exc:
            self.error = f"read error ({exc.strerror or exc})"
            return 0
        buffer[: len(chunk)] = chunk
        self.bytes_read += len(chunk)
        return len(chunk)


class _Prefixed(io.RawIOBase):
    """``prefix`` followed by ``stream``: gives back bytes already read for sniffing."""

    def __init__(self, prefix: bytes, stream: BinaryIO):
        self._prefix = prefix
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._prefix:
            n = min(len(buffer), len(self._prefix))
            buffer[:n] = self._prefix[:n]
            self._prefix = self._prefix[n:]
            return n
        chunk = self._stream.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


class Input:
    """A readable input: ``origin`` for messages, ``head`` for sniffing, ``stream`` to read."""

    def __init__(self, origin: str, raw: BinaryIO, name: str = "", size: int | None = None):
        self.origin = origin
        self.name = name or origin
        magic = _read_exactly(raw, 2)
        self.compressed = magic == GZIP_MAGIC
        self.size = None if self.compressed else size  # on-disk size when it is the content size
        inner: BinaryIO = _Prefixed(magic, raw)
        if self.compressed:
            inner = gzip.GzipFile(fileobj=inner, mode="rb")
        self._guard = _Guarded(inner)
        buffered = io.BufferedReader(self._guard, buffer_size=HEAD_BYTES)
        self.head = buffered.read(HEAD_BYTES)
        self.stream = io.BufferedReader(_Prefixed(self.head, buffered), buffer_size=HEAD_BYTES)

    @property
    def error(self) -> str | None:
        """Why the stream ended early, or None if it ended normally (so far)."""
        return self._guard.error

    def read_all(self, limit: int) -> bytes | None:
        """The whole content, or None if it is longer than ``limit`` bytes (reads at most limit+1)."""
        data = self.stream.read(limit + 1)
        return None if len(data) > limit else data


def _read_exactly(raw: BinaryIO, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = raw.read(n - len(data))
        if not chunk:
            break
        data += chunk
    return data
