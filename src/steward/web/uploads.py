"""Receive a file upload without holding it in memory.

A `multipart/form-data` body is parsed as it arrives (python-multipart's push parser) and the
file part is written chunk by chunk to a temporary file under `<data dir>/uploads/`, so a
version's source never has to fit in memory. The upload is refused with 413 as soon as it passes
`STEWARD_UPLOAD_MAX_BYTES`: as the file part begins when `Content-Length` already says so,
otherwise when the bytes received pass it, without reading the rest. (The form fields sent ahead
of the file, such as a page's CSRF token, are read first, so a page can still answer with its
own error message.) The sender's file name is kept only as a
label, cleaned; the temporary file's name is random and only its suffix (a known format) is
taken from the sender.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING

import anyio.to_thread
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from steward.errors import Invalid
from steward.store.ingest import FORMATS

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

FILE_PART = "file"
FIELDS_MAX_BYTES = 64 * 1024  # the other form fields together (notes, flags, the CSRF token)
OVERHEAD = 2 * FIELDS_MAX_BYTES  # the fields plus part headers and boundaries, generously
NAME_MAX = 200
_UNSAFE = re.compile(r"[^\w .()+-]+")


class UploadTooLarge(Invalid):
    code = "payload_too_large"
    status = 413


@dataclass
class Upload:
    """A received file (`path` is ours, temporary) and the text fields sent with it."""

    path: Path
    filename: str
    size: int
    fields: dict[str, str] = field(default_factory=dict)

    def flag(self, name: str) -> bool:
        return self.fields.get(name, "").strip().lower() in {"1", "true", "on", "yes"}

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def clean_filename(raw: str) -> str:
    """The sender's file name as a safe label: no folders, no control or odd characters.

    >>> clean_filename("C:\\\\Users\\\\me\\\\Town Data (2024).csv")
    'Town Data (2024).csv'
    >>> clean_filename("../../etc/passwd")
    'passwd'
    >>> clean_filename("\\x00;rm -rf.csv"), clean_filename("")
    ('_rm -rf.csv', 'upload')
    """
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", "".join(ch for ch in name if ch.isprintable())).strip(" .")
    if len(name) > NAME_MAX:
        stem, suffix = os.path.splitext(name)
        name = stem[: NAME_MAX - len(suffix)] + suffix
    return name or "upload"


def file_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        raise Invalid(f'cannot tell the format of "{name}"; expected one of {", ".join(FORMATS)}')
    return suffix


async def receive_upload(
    request: Request,
    folder: Path,
    max_bytes: int,
    *,
    before_file: Callable[[dict[str, str]], None] | None = None,
    fields: dict[str, str] | None = None,
) -> Upload:
    """Stream the request's multipart body; `before_file(fields)` runs as the file part starts
    (e.g. to check a CSRF token sent ahead of it). `fields`, when given, is filled with the text
    fields as they arrive, so they are known even when the upload fails. The caller deletes the
    file when done."""
    boundary = _boundary(request.headers.get("content-type"))
    declared = request.headers.get("content-length", "")
    folder.mkdir(parents=True, exist_ok=True)
    reader = _Reader(folder, max_bytes, before_file, {} if fields is None else fields)
    reader.declared = int(declared) if declared.isdigit() else None
    parser = MultipartParser(boundary, reader.callbacks())
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            await reader.flush()
        parser.finalize()
        await reader.flush()
        return reader.result()
    except BaseException:
        reader.abandon()
        raise
    finally:
        reader.close()


def _boundary(content_type: str | None) -> bytes:
    kind, options = parse_options_header(content_type)
    if kind != b"multipart/form-data" or not options.get(b"boundary"):
        raise Invalid(f"send the file as multipart/form-data, in a part named {FILE_PART!r}")
    return options[b"boundary"]


def _too_large(max_bytes: int) -> str:
    return f"the file is larger than this site accepts ({max_bytes:,} bytes)"


class _Reader:
    """The parser's callbacks: collect fields, spool the one file part to disk."""

    def __init__(
        self,
        folder: Path,
        max_bytes: int,
        before_file: Callable[[dict[str, str]], None] | None,
        fields: dict[str, str],
    ) -> None:
        self.folder, self.max_bytes, self.before_file = folder, max_bytes, before_file
        self.fields = fields
        self.declared: int | None = None
        self.field_bytes = 0
        self.headers: dict[str, bytes] = {}
        self.header_name = self.header_value = b""
        self.part_name: str | None = None
        self.value = bytearray()
        self.in_file = False
        self.handle: IO[bytes] | None = None
        self.path: Path | None = None
        self.filename = ""
        self.size = 0
        self.pending: list[bytes] = []

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self.part_begin,
            "on_header_field": self.header_field,
            "on_header_value": self.header_data,
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
        }

    def part_begin(self) -> None:
        self.headers, self.value, self.in_file, self.part_name = {}, bytearray(), False, None

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_name += data[start:end]

    def header_data(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def header_end(self) -> None:
        self.headers[self.header_name.decode("latin-1").lower()] = self.header_value
        self.header_name = self.header_value = b""

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get("content-disposition"))
        self.part_name = options.get(b"name", b"").decode("utf-8", "replace")
        if b"filename" not in options:
            return
        if self.part_name != FILE_PART or self.path is not None:
            raise Invalid(f"send exactly one file, in the part named {FILE_PART!r}")
        if not options[b"filename"]:  # what a browser sends when no file was chosen
            raise Invalid("choose a file to upload")
        self.filename = clean_filename(options[b"filename"].decode("utf-8", "replace"))
        suffix = file_suffix(self.filename)
        if self.before_file is not None:
            self.before_file(dict(self.fields))
        if self.declared is not None and self.declared > self.max_bytes + OVERHEAD:
            raise UploadTooLarge(_too_large(self.max_bytes))
        descriptor, name = tempfile.mkstemp(prefix="upload-", suffix=suffix, dir=self.folder)
        self.path, self.handle, self.in_file = Path(name), os.fdopen(descriptor, "wb"), True

    def part_data(self, data: bytes, start: int, end: int) -> None:
        if self.in_file:
            self.size += end - start
            if self.size > self.max_bytes:
                raise UploadTooLarge(_too_large(self.max_bytes))
            self.pending.append(data[start:end])
            return
        self.field_bytes += end - start
        if self.field_bytes > FIELDS_MAX_BYTES:
            raise Invalid("the form's text fields are too long")
        self.value += data[start:end]

    def part_end(self) -> None:
        if not self.in_file and self.part_name:
            self.fields[self.part_name] = self.value.decode("utf-8", "replace")

    async def flush(self) -> None:
        """Write what the last chunk carried, off the event loop."""
        if self.pending and self.handle is not None:
            chunks, self.pending = self.pending, []
            await anyio.to_thread.run_sync(self.handle.writelines, chunks)

    def result(self) -> Upload:
        if self.path is None:
            raise Invalid(f"no file was sent: put it in the part named {FILE_PART!r}")
        if self.size == 0:
            raise Invalid("the file is empty")
        assert self.handle is not None
        self.handle.flush()
        return Upload(self.path, self.filename, self.size, dict(self.fields))

    def abandon(self) -> None:
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self.handle is not None and not self.handle.closed:
            self.handle.close()
