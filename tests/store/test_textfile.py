"""Hashing, encoding detection, transcoding, delimiter sniffing and line counting."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from steward.errors import Invalid
from steward.store import textfile
from steward.store.textfile import (
    BackgroundHash,
    choose_encoding,
    count_lines_before,
    detect_encoding,
    hash_file,
    parse_header,
    sniff_delimiter,
    transcode,
)


def encoding_of(path: Path) -> str:
    return detect_encoding(path, on_bytes=lambda _: None)


def test_hash_is_of_the_source_bytes(tmp_path: Path) -> None:
    data = b"a,b\n" + b"1,2\n" * 300_000
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    with BackgroundHash(path) as digest:
        assert digest.result() == hashlib.sha256(data).hexdigest()
    assert hash_file(path, threading.Event()) == hashlib.sha256(data).hexdigest()
    stopped = threading.Event()
    stopped.set()
    assert hash_file(path, stopped) == ""


def test_encoding_scan_reports_progress(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"a,b\n" * 1000)
    seen: list[int] = []
    assert detect_encoding(path, on_bytes=seen.append) == "utf-8"
    assert seen[-1] == 4000


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"name\nplain ascii\n", "utf-8"),
        ("name\ncaf\u00e9 \u2019quoted\u2019\n".encode(), "utf-8"),
        (b"\xef\xbb\xbfname\nx\n", "utf-8"),
        (b"name\nit\x92s caf\xe9\n", "cp1252"),
        ("name\nx\n".encode("utf-16"), "utf-16"),
        # Mostly UTF-8 with one damaged byte: the damaged row is a bad row, not mojibake.
        ("name\nS\u00e3o Paulo\nZ\u00fcrich\n".encode() + b"bad \x92 byte\n", "utf-8"),
    ],
)
def test_encoding_is_utf8_unless_invalid_bytes_dominate(
    tmp_path: Path, data: bytes, encoding: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    assert encoding_of(path) == encoding


def test_multibyte_characters_split_across_chunks_are_still_valid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(textfile, "CHUNK_BYTES", 7)
    path = tmp_path / "x.csv"
    path.write_bytes("h\n\u20ac\u20ac\u20ac\u20ac\u20ac\u20ac\n".encode())
    assert encoding_of(path) == "utf-8"


def test_choose_encoding() -> None:
    assert choose_encoding(multibyte=0, invalid=0) == "utf-8"
    assert choose_encoding(multibyte=0, invalid=3) == "cp1252"
    assert choose_encoding(multibyte=40, invalid=1) == "utf-8"


def test_transcode_cp1252_maps_windows_punctuation(tmp_path: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(b"it\x92s \x93quoted\x94 \x80 caf\xe9 \x81\r\n")
    transcode(source, target, "cp1252")
    expected = "it\u2019s \u201cquoted\u201d \u20ac caf\u00e9 \x81\r\n"
    assert target.read_bytes().decode("utf-8") == expected


@pytest.mark.parametrize(
    ("head", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a\tb\tc\n1\t2,5\t3\n", "\t"),
        ("a;b;c\n1;2,5;3\n4;5,0;6\n", ";"),
        ("a|b\n1|2\n", "|"),
        ('name,note\n"x","semi; colon; here"\n', ","),
        ("single column\nvalue\n", ","),
    ],
)
def test_sniff_delimiter(head: str, delimiter: str) -> None:
    assert sniff_delimiter(head, whole=True) == delimiter


def test_sniff_ignores_a_cut_last_line() -> None:
    assert sniff_delimiter("a;b\n1;2\n3;4\n5", whole=False) == ";"


def test_parse_header_keeps_quoted_text() -> None:
    assert parse_header('"Town","FIPS","a ""b"""\n', ",") == ["Town", "FIPS", 'a "b"']


def test_parse_header_rejects_empty_files() -> None:
    with pytest.raises(Invalid, match="file is empty"):
        parse_header(" \n\n", ",")
    with pytest.raises(Invalid, match="line 1: the header row is empty"):
        parse_header(",,\n1,2,3\n", ",")


def test_count_lines_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textfile, "CHUNK_BYTES", 4)
    path = tmp_path / "x.csv"
    path.write_bytes(b"ab\ncd\n\nef\n")
    assert count_lines_before(path, [0, 3, 6, 7, 8, 99]) == {0: 1, 3: 2, 6: 3, 7: 4, 8: 4, 99: 5}
