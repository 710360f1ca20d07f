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
plain one. ``io`` and ``zlib`` from the standard library do the work; this
module adds the replayed head, the error capture, and a gzip reader that does
not lose the bytes before a break (``gzip.GzipFile`` does, see ``_Gunzip``).
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

ByteStream = BinaryIO | io.RawIOBase
"""Anything read as bytes: an open file, or one of the wrapping streams below."""

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 64 * 1024
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_COMPRESSED_CHUNK = 64 * 1024
_MAX_DECOMPRESSED_STEP = 1 << 20
_READ_STEP = 256 * 1024


class _Guarded(io.RawIOBase):
    """Reads ``stream``; a decompression or read error ends the stream and is kept in ``error``."""

    def __init__(self, stream: ByteStream):
        self._stream = stream
        self.error: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.error is not None:
            return 0
        try:
            n = _readinto(self._stream, buffer)
        except (EOFError, zlib.error) as exc:
            self.error = f"truncated or corrupt gzip stream ({exc})"
            return 0
        except OSError as exc:
            self.error = f"read error ({exc.strerror or exc})"
            return 0
        return n


class _Prefixed(io.RawIOBase):
    """``prefix`` followed by ``stream``: gives back bytes already read for sniffing."""

    def __init__(self, prefix: bytes, stream: ByteStream):
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
        return _readinto(self._stream, buffer)


def _readinto(stream: ByteStream, buffer) -> int:
    """Read into ``buffer`` without an intermediate copy where the stream allows it."""
    readinto = getattr(stream, "readinto", None)
    if readinto is not None:
        return readinto(buffer) or 0
    chunk = stream.read(len(buffer))
    buffer[: len(chunk)] = chunk
    return len(chunk)


class _Gunzip(io.RawIOBase):
    """gzip (multi-member) decompression that hands out every byte before a break.

    ``gzip.GzipFile`` buffers: when a stream is cut, the read that hits the
    cut raises and the bytes it had already decompressed are lost — possibly
    whole records just before the break. Here a truncated stream raises only
    on a read with nothing left to give. Output is produced in bounded steps,
    so a small compressed input cannot balloon into memory at once.
    """

    def __init__(self, raw: ByteStream):
        self._raw = raw
        self._decompressor = zlib.decompressobj(_GZIP_WBITS)
        self._input = b""
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._pending:
            self._pending = memoryview(self._decompress_more())
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _decompress_more(self) -> bytes:
        while True:
            if self._decompressor.eof:
                rest = self._decompressor.unused_data or self._raw.read(_COMPRESSED_CHUNK)
                if not rest:
                    return b""
                self._decompressor = zlib.decompressobj(_GZIP_WBITS)
                self._input = rest
            if not self._input:
                self._input = self._raw.read(_COMPRESSED_CHUNK)
                if not self._input:
                    raise EOFError("the compressed stream ends before its end marker")
            out = self._decompressor.decompress(self._input, _MAX_DECOMPRESSED_STEP)
            self._input = self._decompressor.unconsumed_tail
            if out:
                return out


class Input:
    """A readable input: ``origin`` for messages, ``head`` for sniffing, ``stream`` to read."""

    def __init__(self, origin: str, raw: ByteStream, name: str = "", size: int | None = None):
        self.origin = origin
        self.name = name or origin
        magic = _read_exactly(raw, 2)
        self.compressed = magic == GZIP_MAGIC
        self.size = None if self.compressed else size  # on-disk size when it is the content size
        inner: ByteStream = _Prefixed(magic, raw)
        if self.compressed:
            inner = _Gunzip(inner)
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
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            # in steps: BufferedReader.read(n) allocates n bytes up front, whatever the input's size
            chunk = self.stream.read(min(_READ_STEP, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        return None if total > limit else b"".join(chunks)


def _read_exactly(raw: ByteStream, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = raw.read(n - len(data))
        if not chunk:
            break
        data += chunk
    return data
