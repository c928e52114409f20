"""The native messaging wire format, the same in every browser: each message is its length in bytes as a
32-bit unsigned integer in the machine's byte order, then that many bytes of UTF-8 JSON.

Browsers send the host at most 4 GB and accept at most 1 MB from it; the host takes at most
``MAX_REQUEST_BYTES`` (the HTTP interface's 256 KB) and skips the rest of a longer message, so one
oversized request is refused without losing track of where the next one starts.
"""

from __future__ import annotations

import json
import struct
from typing import BinaryIO

MAX_REQUEST_BYTES = 256 * 1024
MAX_ANSWER_BYTES = 1024 * 1024  # what Chrome and Firefox accept from a host
_LENGTH = struct.Struct("=I")  # native byte order, standard size: what the browsers write


class FrameTooLarge(Exception):
    """A message longer than ``MAX_REQUEST_BYTES``; it has been read past and thrown away."""

    def __init__(self, length: int):
        super().__init__(f"the message is {length} bytes; at most {MAX_REQUEST_BYTES} are read")
        self.length = length


class BadFrame(Exception):
    """A message that is not UTF-8 JSON (the stream is still in step)."""


def _read_exactly(stream: BinaryIO, n: int) -> bytes | None:
    chunks, left = [], n
    while left:
        piece = stream.read(left)
        if not piece:
            return None
        chunks.append(piece)
        left -= len(piece)
    return b"".join(chunks)


def read_message(stream: BinaryIO):
    """The next message, parsed; None when the browser has closed the stream (at a message boundary or in
    the middle of one, which means the same: the browser is gone)."""
    head = _read_exactly(stream, _LENGTH.size)
    if head is None:
        return None
    (length,) = _LENGTH.unpack(head)
    if length > MAX_REQUEST_BYTES:
        left = length
        while left:
            piece = stream.read(min(left, 65536))
            if not piece:
                return None
            left -= len(piece)
        raise FrameTooLarge(length)
    raw = _read_exactly(stream, length)
    if raw is None:
        return None
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadFrame("the message is not UTF-8 JSON") from None


def encode_message(message) -> bytes:
    raw = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(raw) > MAX_ANSWER_BYTES:
        raise ValueError(f"an answer of {len(raw)} bytes is more than a browser accepts")
    return _LENGTH.pack(len(raw)) + raw


def write_message(stream: BinaryIO, message) -> None:
    stream.write(encode_message(message))
    stream.flush()
