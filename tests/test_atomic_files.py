"""Every file titr writes is written whole or not at all (titr.model.atomic_files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from titr.model.atomic_files import atomic_path, atomic_write, write_text_atomic


def test_a_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.txt"
    write_text_atomic(target, "one")
    write_text_atomic(target, "two")
    assert target.read_text(encoding="utf-8") == "two"
    assert [p.name for p in target.parent.iterdir()] == ["out.txt"]


def test_a_failed_write_keeps_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def half(p: Path) -> None:
        p.write_text("half", encoding="utf-8")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        atomic_write(target, half)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_the_temporary_path_is_beside_the_target_and_free(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "r.duckdb") as tmp:
        assert tmp.parent == tmp_path and not tmp.exists()  # DuckDB creates it
        tmp.write_bytes(b"x")
    assert (tmp_path / "r.duckdb").read_bytes() == b"x"
