"""A version file is either whole or absent, whatever goes wrong during the ingest."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from steward.errors import Invalid
from steward.store import ingest_file, writer


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A dataset directory already holding version 1."""
    directory = tmp_path / "datasets" / "abc"
    directory.mkdir(parents=True)
    (directory / "v1.parquet").write_bytes(b"version one")
    return directory


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "source.csv"
    path.write_text("n,t\n" + "".join(f"{i},row {i}\n" for i in range(3000)))
    return path


def assert_untouched(store: Path) -> None:
    assert sorted(p.name for p in store.iterdir()) == ["v1.parquet"]
    assert (store / "v1.parquet").read_bytes() == b"version one"


def test_failed_rename_leaves_nothing(
    store: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        ingest_file(source, store / "v2.parquet")
    assert_untouched(store)


def test_failure_in_the_middle_of_writing_leaves_nothing(
    store: Path, source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "ROW_GROUP_ROWS", 100)
    monkeypatch.setattr(writer, "_BATCH_ROWS", 100)
    writes = 0
    real_write = pq.ParquetWriter.write_table

    def fail_on_third(self: pq.ParquetWriter, *args: object, **kwargs: object) -> None:
        nonlocal writes
        writes += 1
        if writes == 3:
            raise RuntimeError("device error")
        real_write(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", fail_on_third)
    with pytest.raises(RuntimeError, match="device error"):
        ingest_file(source, store / "v2.parquet")
    assert writes == 3
    assert_untouched(store)


def test_invalid_file_leaves_nothing(store: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n3\n")
    with pytest.raises(Invalid):
        ingest_file(bad, store / "v2.parquet")
    assert_untouched(store)


def test_interrupt_from_the_progress_callback_leaves_nothing(store: Path, source: Path) -> None:
    def interrupt(done: int, total: int) -> None:
        if done > total // 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest_file(source, store / "v2.parquet", progress=interrupt)
    assert_untouched(store)


def test_success_adds_exactly_the_new_version(store: Path, source: Path) -> None:
    result = ingest_file(source, store / "v2.parquet")
    assert sorted(p.name for p in store.iterdir()) == ["v1.parquet", "v2.parquet"]
    assert result.row_count == pq.ParquetFile(store / "v2.parquet").metadata.num_rows == 3000


def test_destination_directory_is_created(tmp_path: Path, source: Path) -> None:
    destination = tmp_path / "new" / "dataset" / "v1.parquet"
    ingest_file(source, destination)
    assert destination.is_file()


def test_a_killed_ingest_leaves_no_file_at_the_destination(store: Path, source: Path) -> None:
    # The child kills itself with SIGKILL half way through writing: no cleanup code runs.
    script = textwrap.dedent(
        """
        import os, signal, sys
        from pathlib import Path
        from steward.store import ingest_file, writer

        writer.ROW_GROUP_ROWS = writer._BATCH_ROWS = 100

        def die(done, total):
            if done > total // 2:
                os.kill(os.getpid(), signal.SIGKILL)

        ingest_file(Path(sys.argv[1]), Path(sys.argv[2]), progress=die)
        """
    )
    child = subprocess.run(
        [sys.executable, "-c", script, str(source), str(store / "v2.parquet")], check=False
    )
    assert child.returncode == -9
    assert not (store / "v2.parquet").exists()
    assert (store / "v1.parquet").read_bytes() == b"version one"
    leftovers = [p.name for p in store.iterdir() if p.name != "v1.parquet"]
    assert all(name.startswith(".v2.parquet.tmp-") for name in leftovers)
