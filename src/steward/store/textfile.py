"""Byte-level work on source files: hashing, encoding detection, transcoding, sniffing.

Everything streams in fixed-size chunks, so a file of any size is read with bounded memory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from steward.errors import Invalid

CHUNK_BYTES = 1 << 20
SNIFF_BYTES = 1 << 20
DELIMITERS = (",", "\t", ";", "|")
_SNIFF_ROWS = 200
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # how surrogateescape spells an invalid byte


_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # Excel's "Unicode Text" export


def detect_encoding(path: Path, on_bytes: Callable[[int], None]) -> str:
    """ "utf-8", "utf-16" (by its byte order mark) or "cp1252", from one pass over the bytes.

    ASCII chunks, nearly all of a typical file, are recognised without decoding.
    """
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    done = extra = invalid = 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            if done == 0 and chunk.startswith(_UTF16_MARKS):
                return "utf-16"
            done += len(chunk)
            if not (chunk.isascii() and not decoder.getstate()[0]):
                decoded = decoder.decode(chunk)
                # Bytes beyond one per character are valid multi-byte UTF-8 sequences.
                extra += len(chunk) - len(decoded)
                if not decoded.isascii():
                    invalid += len(_ESCAPED_BYTE.findall(decoded))
            on_bytes(done)
    tail = decoder.decode(b"", final=True)
    extra -= len(tail)
    invalid += len(_ESCAPED_BYTE.findall(tail))
    return choose_encoding(extra, invalid)


def hash_file(path: Path, stop: threading.Event) -> str:
    """Hex SHA-256 of the file's bytes ('' if `stop` is set before the end)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_BYTES):
            if stop.is_set():
                return ""
            digest.update(chunk)  # releases the GIL: this runs beside DuckDB's work
    return digest.hexdigest()


class BackgroundHash:
    """Hash a file on a second thread while the ingest works; `result()` waits for it."""

    def __init__(self, path: Path) -> None:
        self.stop = threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="steward-hash")
        self.future = self.pool.submit(hash_file, path, self.stop)

    def result(self) -> str:
        return self.future.result()

    def __enter__(self) -> BackgroundHash:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop.set()  # an ingest that failed need not wait for the whole file
        self.pool.shutdown(wait=True)


def choose_encoding(multibyte: int, invalid: int) -> str:
    """UTF-8 unless invalid bytes outnumber real multi-byte characters.

    A cp1252 export has stray high bytes (0x92 for a right quote) and almost never a valid UTF-8
    sequence; a UTF-8 file with a few damaged rows has many of them. The damaged rows of the
    latter are reported as bad rows rather than decoded as mojibake.
    """
    return "cp1252" if invalid > multibyte else "utf-8"


def _cp1252_table() -> dict[int, str]:
    table = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue  # the five bytes cp1252 leaves undefined keep their Latin-1 meaning
    return table


_CP1252 = _cp1252_table()


def _decode_cp1252(chunk: bytes) -> str:
    return chunk.decode("latin-1").translate(_CP1252)


def transcode(source: Path, target: Path, encoding: str) -> None:
    """Rewrite a cp1252 or UTF-16 file as UTF-8, the one encoding the rest of the ingest reads.

    (DuckDB reads no cp1252 without an extension it would have to download.)
    """
    decode = (
        _decode_cp1252 if encoding == "cp1252" else codecs.getincrementaldecoder(encoding)().decode
    )
    with source.open("rb") as reader, target.open("w", encoding="utf-8", newline="") as writer:
        try:
            while chunk := reader.read(CHUNK_BYTES):
                writer.write(decode(chunk))
        except UnicodeDecodeError as error:
            raise Invalid(f"file is not valid {encoding} text") from error


def read_head(path: Path) -> tuple[str, bool]:
    """The first SNIFF_BYTES of a UTF-8 file as text, and whether that is the whole file."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES + 1)
    whole = len(head) <= SNIFF_BYTES
    return head[:SNIFF_BYTES].decode("utf-8-sig", errors="replace"), whole


def sniff_delimiter(head: str, whole: bool) -> str:
    """The delimiter that splits the first rows into the most consistent number of fields.

    >>> sniff_delimiter("a;b;c\\n1;2,5;3\\n", True)
    ';'
    """
    if not whole and "\n" in head:
        head = head[: head.rindex("\n")]  # the last line may be cut short
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, strict=False)
        widths = [len(row) for _, row in zip(range(_SNIFF_ROWS), reader, strict=False) if row]
        if not widths or widths[0] < 2:
            continue
        score = (sum(width == widths[0] for width in widths) / len(widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def parse_header(head: str, delimiter: str) -> list[str]:
    """The header fields, or `Invalid` when the file holds no text at all."""
    if not head.strip():
        raise Invalid("file is empty")
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, strict=True)
    try:
        row = next(reader, [])
    except csv.Error as error:
        raise Invalid("line 1: the header row is not valid CSV (check its quotes)") from error
    if not any(field.strip() for field in row):
        raise Invalid("line 1: the header row is empty")
    return row


def count_lines_before(path: Path, offsets: list[int]) -> dict[int, int]:
    """Map each byte offset to the 1-based number of the physical line it falls on."""
    lines: dict[int, int] = {}
    pending = deque(sorted(set(offsets)))
    newlines = consumed = 0
    with path.open("rb") as stream:
        while pending and (chunk := stream.read(CHUNK_BYTES)):
            while pending and pending[0] <= consumed + len(chunk):
                offset = pending.popleft()
                lines[offset] = newlines + chunk.count(b"\n", 0, offset - consumed) + 1
            newlines += chunk.count(b"\n")
            consumed += len(chunk)
    lines.update((offset, newlines + 1) for offset in pending)
    return lines
