"""Files a user names that are not what titr expects: each ends in one message with the file
and a fix, exit code 2, promptly — never a traceback, a hang or the file's content echoed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tiny_support import TINY
from titr.model import TitrError, load
from titr.model.files import MAX_DEPTH, MAX_FILE_BYTES

SECRET = "titr-secret-value-13"


def titr(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    # a hang would fail here rather than block the suite (not a timing assertion)
    return subprocess.run([sys.executable, "-m", "titr", *args], capture_output=True,
                          text=True, timeout=120, cwd=cwd,
                          env={**os.environ, "TITR_TEST_SECRET": SECRET})


def refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert "Fix:" in result.stderr, result.stderr
    for w in words:
        assert w in result.stderr, result.stderr
    assert "root:" not in result.stderr and SECRET not in result.stderr
    return result.stderr


def child(tmp_path: Path, extends: str, name: str = "child.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'extends = "{extends}"\nid = "child"\nname = "child"\n')
    return path


@pytest.mark.parametrize(("target", "words"), [
    ("/dev/zero", ["not a regular file"]),
    ("/proc/self/environ", ["not a regular file"]),
    ("/etc/passwd", ["not a .toml file"]),
    ("/etc", ["is a folder"]),
])
def test_system_files_are_refused_as_scenarios(target: str, words: list[str]) -> None:
    refused(titr("validate", target), *words)


@pytest.mark.parametrize("target", ["/dev/zero", "/proc/self/environ", "/etc/passwd",
                                    "/etc/hostname"])
def test_extends_reads_only_builtin_names_and_toml_files(tmp_path: Path, target: str) -> None:
    refused(titr("validate", str(child(tmp_path, target))), "extends")


def test_a_toml_link_to_a_system_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "env.toml").symlink_to("/proc/self/environ")
    refused(titr("validate", str(child(tmp_path, "env.toml"))), "not a regular file")


def test_a_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    refused(titr("validate", str(fifo)), "not a regular file")


def test_an_experiments_scenario_reads_only_toml_files(tmp_path: Path) -> None:
    exp = tmp_path / "exp.toml"
    exp.write_text('name = "x"\nscenario = "/etc/passwd"\nyears = [2030]\n')
    refused(titr("sweep", str(exp), "--out", str(tmp_path / "s.duckdb")), "not a .toml file")
    exp.write_text('name = "x"\nscenario = "/dev/zero"\nyears = [2030]\n')
    refused(titr("sweep", str(exp), "--out", str(tmp_path / "s.duckdb")), "regular file")


def test_an_experiment_that_is_a_device_is_refused(tmp_path: Path) -> None:
    refused(titr("sweep", "/dev/zero", "--out", str(tmp_path / "s.duckdb")), "regular file")


@pytest.mark.parametrize("target", ["/dev/zero", "/etc/passwd", "/etc"])
def test_results_files_must_be_regular_duckdb_files(tmp_path: Path, target: str) -> None:
    refused(titr("report", target, "-o", str(tmp_path / "r.html")))
    refused(titr("sweep", "summary", target))


def test_utf8_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + TINY.read_bytes())
    assert load(path).id == load(TINY).id


def test_utf16_is_refused_with_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "wide.toml"
    path.write_bytes(TINY.read_text().encode("utf-16"))
    err = refused(titr("validate", str(path)), "UTF-16", "save it as UTF-8")
    assert str(path) in err


def test_an_invalid_byte_is_reported_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(b'id = "x"\nname = "x"\nnote = "caf\xe9"\n')
    with pytest.raises(TitrError) as e:
        load(path)
    (p,) = e.value.problems
    assert p.line == 3 and "0xe9" in p.what and p.fix


def test_binary_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "garbage.toml"
    path.write_bytes(bytes(range(256)) * 4)
    refused(titr("validate", str(path)))


@pytest.mark.parametrize("doc", [
    "a = " + "[" * 2000 + "]" * 2000,  # deeper than the parser's recursion
    "a = " + "{b = " * 600 + "1" + "}" * 600,
    "a = " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5),  # parses, but too deep to use
])
def test_deep_nesting_is_refused(tmp_path: Path, doc: str) -> None:
    path = tmp_path / "deep.toml"
    path.write_text(doc)
    with pytest.raises(TitrError) as e:
        load(path)
    assert "nested more than" in str(e.value) and e.value.problems[0].fix


def test_a_file_over_the_size_cap_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text("".join(f"[t{i}]\n" for i in range(MAX_FILE_BYTES // 6)))
    assert path.stat().st_size > MAX_FILE_BYTES
    refused(titr("validate", str(path)), "larger than 1024 KiB")


def test_many_problems_are_reported_by_their_first_ones(tmp_path: Path) -> None:
    path = tmp_path / "tables.toml"
    path.write_text("".join(f"[t{i}]\n" for i in range(20_000)))
    with pytest.raises(TitrError) as e:
        load(path)
    problems = e.value.problems
    assert len(problems) <= 51
    assert "more problems" in problems[-1].what


def test_remove_given_as_one_string_removes_one_item(tmp_path: Path) -> None:
    base = load(TINY)
    link = base.links[-1].id
    path = tmp_path / "child.toml"
    path.write_text(f'extends = "{TINY}"\nremove = "links.{link}"\n')
    try:
        sc = load(path)
    except TitrError as e:  # dropping a link may leave demand without a path: still by id
        assert all(f"'{link[0]}'" not in p.what for p in e.problems), e
        assert not any("cannot remove" in p.what for p in e.problems), e
    else:
        assert link not in {x.id for x in sc.links}
        assert len(sc.links) == len(base.links) - 1


@pytest.mark.parametrize(("remove", "words"), [
    ("5", "list of"),
    ('["nodes"]', "not a collection and an item id"),
    ('["links.no-such-link"]', "no such item"),
    ('["bogus.x"]', "not a collection"),
])
def test_bad_remove_entries_get_a_message(tmp_path: Path, remove: str, words: str) -> None:
    path = tmp_path / "child.toml"
    path.write_text(f'extends = "{TINY}"\nremove = {remove}\n')
    with pytest.raises(TitrError) as e:
        load(path)
    (p,) = e.value.problems
    assert words in p.what and p.where == "remove" and p.fix


def test_remove_without_extends_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "lonely.toml"
    path.write_text('remove = ["links.a-b"]\n' + TINY.read_text())
    with pytest.raises(TitrError, match="extends none"):
        load(path)


def test_a_collection_of_the_wrong_shape_in_a_child_is_a_message(tmp_path: Path) -> None:
    path = tmp_path / "child.toml"
    path.write_text(f'extends = "{TINY}"\nlinks = 5\nnodes = [1, "x"]\n')
    with pytest.raises(TitrError) as e:
        load(path)
    assert all(p.fix for p in e.value.problems)


@pytest.mark.parametrize(("data", "words"), [
    ('name = "x"\nyears = [2022]\n'.encode("utf-16"), "UTF-16"),
    (b'name = "x"\nnote = "\xff"\n', "not UTF-8"),
    (b"a = " + b"[" * 3000 + b"]" * 3000, "nested more than"),
])
def test_experiment_files_take_the_same_reading_path(tmp_path: Path, data: bytes,
                                                     words: str) -> None:
    path = tmp_path / "exp.toml"
    path.write_bytes(data)
    refused(titr("sweep", str(path), "--out", str(tmp_path / "s.duckdb")), words)
