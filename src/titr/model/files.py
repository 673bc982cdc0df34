"""The one way titr reads a file a user names: scenarios, their ``extends``, experiments, and
(via :func:`regular_file`) results databases; and the check of a place to write, made before
any work (:func:`writable_file`, :func:`writable_folder`).

A file must be a regular file (not a folder, a device such as ``/dev/zero``, a pipe, or a file
of ``/proc`` or ``/sys``), at most :data:`MAX_FILE_BYTES` long, and a TOML file must be named
``*.toml`` and be UTF-8 (a byte-order mark is fine). Anything else ends in one
:class:`TitrError` naming the file and the fix, and nothing of a file that is not TOML is ever
echoed back (a parse error names a line and a column, never the text there).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from titr.model.errors import Problem, TitrError, fail

MAX_FILE_BYTES = 1024 * 1024  # 1 MiB: five times the built-in scenario
MAX_DEPTH = 24  # tables and arrays inside each other; a scenario needs 5
_SYSTEM = ("/proc", "/sys", "/dev")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def regular_file(path: str | Path, what: str, fix: str) -> Path:
    """``path`` if it names a regular file that may be read; else one clear error.

    ``what`` names the kind of file ("scenario", "results database"), ``fix`` says what to give.
    """
    p = Path(path)
    try:
        real = p.resolve()
        st = os.stat(real)
    except FileNotFoundError:
        raise fail(f"{what} file not found", file=str(p), fix=fix) from None
    except (OSError, RuntimeError) as e:  # RuntimeError: a symlink loop
        raise fail(f"cannot read the {what} file: {getattr(e, 'strerror', None) or e}",
                   file=str(p), fix=fix) from None
    if stat.S_ISDIR(st.st_mode):
        raise fail(f"is a folder, not a {what} file", file=str(p), fix=fix)
    if not stat.S_ISREG(st.st_mode) or str(real).startswith(_SYSTEM):
        raise fail(f"is not a regular file (a device, a pipe or a system file), so it is not "
                   f"read as a {what}", file=str(p), fix=fix)
    return p


def read_bytes(path: Path, what: str, fix: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (read no further than that)."""
    regular_file(path, what, fix)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1)
    except OSError as e:
        raise fail(f"cannot read the {what} file: {e.strerror}", file=str(path),
                   fix="check the path and its permissions") from None
    if len(data) > limit:
        raise fail(f"the file is larger than {limit // 1024} KiB, the most titr reads as a "
                   f"{what}", file=str(path),
                   fix="check that it is the right file; split a large scenario into files "
                       "joined by extends")
    return data


def decode(data: bytes, file: str) -> str:
    """UTF-8 text (with or without a byte-order mark); other encodings are refused by line."""
    if data.startswith(_UTF16_BOMS):
        raise fail("the file is UTF-16, not UTF-8", file=file,
                   fix="save it as UTF-8 (in most editors: Save with encoding → UTF-8)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise TitrError(Problem(file, "", f"byte 0x{data[e.start]:02x} is not UTF-8 text (the "
                                "file may be binary or in another encoding)",
                                "save it as UTF-8 text", line)) from None


def read_toml(path: Path, what: str = "scenario") -> dict[str, Any]:
    """A TOML file → its tables, or one clear error (never a traceback)."""
    fix = f"give a {what} TOML file (*.toml)"
    if path.suffix.lower() != ".toml":
        regular_file(path, what, fix)  # a missing file says so first
        raise fail(f"{path.name!r} is not a .toml file, so it is not read as a {what}",
                   file=str(path), fix=fix)
    text = decode(read_bytes(path, what, fix), str(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise TitrError(Problem(str(path), "", f"TOML syntax error: {e}",
                                "correct the TOML syntax at that line",
                                int(m.group(1)) if m else None)) from None
    except RecursionError:
        raise too_deep(str(path)) from None
    if depth(data) > MAX_DEPTH:
        raise too_deep(str(path))
    return data


def too_deep(file: str) -> TitrError:
    return fail(f"tables or arrays are nested more than {MAX_DEPTH} levels deep", file=file,
                fix="flatten the data: a scenario nests at most 5 levels")


def depth(data: Any) -> int:
    """How deep dicts and lists nest inside each other (without recursion)."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        node, level = todo.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            todo.extend((v, level + 1) for v in (node.values() if isinstance(node, dict)
                                                 else node))
    return deepest


def lines_of(file: str) -> list[str]:
    """The lines of a file already read, for pointing a problem at its line ([] if unreadable)."""
    if not file:
        return []
    try:
        return decode(read_bytes(Path(file), "scenario", ""), file).splitlines()
    except TitrError:
        return []


def writable_file(path: str | Path, option: str, example: str) -> Path:
    """``path`` if a file can be written there (a missing folder would be made); else one
    clear error naming ``option``. The check leaves nothing behind."""
    p = Path(path)
    if p.is_dir():
        raise fail(f"{str(p)!r} is a folder; a file name is needed here", where=option,
                   fix=f"give a file inside it, e.g. {str(p / example)!r}")
    if p.exists() and not p.is_file():
        raise fail(f"{str(p)!r} is not a regular file", where=option, fix="give a file path")
    _probe(p.parent, option)
    return p


def writable_folder(path: str | Path, option: str) -> Path:
    """``path`` if files can be written into it (a missing one would be made); else one
    clear error naming ``option``."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise fail(f"{str(p)!r} is a file; a folder is needed here", where=option,
                   fix="give a folder path (it is created if missing)")
    _probe(p, option)
    return p


def _probe(folder: Path, option: str) -> None:
    """Can files be made in ``folder`` (or, if it is missing, in its nearest existing parent,
    where it would be made)? A temporary file is made and removed to find out."""
    existing = next(a for a in (folder.absolute(), *folder.absolute().parents) if a.exists())
    if not existing.is_dir():
        raise fail(f"{str(existing)!r} is a file, so nothing can be written under it",
                   where=option, fix="give a path inside a folder")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".titr-probe-", dir=existing)
        os.close(fd)
        os.unlink(tmp)
    except OSError as e:
        raise fail(f"cannot write in {str(existing)!r}: {e.strerror or e}", where=option,
                   fix="give a place you can write to (check permissions and free space)"
                   ) from None
