"""Read a top-level JSON array item by item, with bounded memory and line numbers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from steward.errors import Invalid

_READ_CHARS = 1 << 20
MAX_ITEM_CHARS = 64 << 20  # one object larger than this is not tabular data
_WHITESPACE = " \t\r\n"


class _Cursor:
    """A sliding window over the text that keeps the line number of its position."""

    def __init__(self, stream: TextIO) -> None:
        self.stream, self.text, self.pos, self.line, self.eof = stream, "", 0, 1, False

    def fill(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(_READ_CHARS)
        if not chunk:
            self.eof = True
            return False
        self.text, self.pos = self.text[self.pos :] + chunk, 0
        return True

    def advance(self, end: int) -> None:
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end

    def peek(self) -> str:
        """The next non-whitespace character ('' at the end of the file)."""
        while True:
            end = self.pos
            while end < len(self.text) and self.text[end] in _WHITESPACE:
                end += 1
            self.advance(end)
            if self.pos < len(self.text) or not self.fill():
                return self.text[self.pos : self.pos + 1]

    def fail(self, problem: str) -> Invalid:
        return Invalid(f"line {self.line}: {problem}", data={"line": self.line})


def _decode(cursor: _Cursor, decoder: json.JSONDecoder) -> Any:
    while True:
        try:
            value, end = decoder.raw_decode(cursor.text, cursor.pos)
        except json.JSONDecodeError as error:
            if len(cursor.text) - cursor.pos < MAX_ITEM_CHARS and cursor.fill():
                continue
            raise cursor.fail(f"invalid JSON ({error.msg})") from error
        # A number cut at the window's edge parses; make sure it really ends there.
        if end < len(cursor.text) or not cursor.fill():
            cursor.advance(end)
            return value


def iter_array(path: Path) -> Iterator[tuple[int, Any]]:
    """Yield (line, item) for each item of the file's top-level array."""
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8-sig", newline="") as stream:
        cursor = _Cursor(stream)
        try:
            if cursor.peek() != "[":
                raise cursor.fail("a JSON file must hold an array of objects")
            cursor.advance(cursor.pos + 1)
            if cursor.peek() == "]":
                cursor.advance(cursor.pos + 1)
            else:
                yield from _items(cursor, decoder)
            if cursor.peek():
                raise cursor.fail("unexpected text after the JSON array")
        except UnicodeDecodeError as error:
            raise Invalid("file is not valid UTF-8 text") from error


def _items(cursor: _Cursor, decoder: json.JSONDecoder) -> Iterator[tuple[int, Any]]:
    while True:
        cursor.peek()  # skip to the item, so its line is the one reported
        line = cursor.line
        yield line, _decode(cursor, decoder)
        separator = cursor.peek()
        cursor.advance(cursor.pos + 1)
        if separator == "]":
            return
        if separator != ",":
            raise cursor.fail("expected ',' or ']' in the JSON array")
