"""Reading scenario files: TOML, ``extends``, overrides, validation, and clear errors.

``load("middle-corridor")`` reads a built-in scenario; ``load("my.toml")`` a file, which may say
``extends = "middle-corridor"`` (or a path) and then add or override items by id. Items are
merged field by field, so a child can change one figure of a parent's link. A top-level
``remove = ["links.x"]`` drops items of the parent.
"""

from __future__ import annotations

import copy
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from titr.model.checks import check
from titr.model.errors import Problem, TitrError, fail
from titr.model.overrides import apply_to_raw, parse_assignments
from titr.model.scenario import COLLECTIONS, Scenario

BUILTIN_PACKAGE = "titr.data"


def builtin_dir() -> Path:
    return Path(str(resources.files(BUILTIN_PACKAGE))) / "scenarios"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def resolve(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A built-in scenario's name or a file path → the file."""
    text = str(name_or_path)
    if text in builtin_names():
        return builtin_dir() / f"{text}.toml"
    path = Path(text)
    if not path.is_absolute() and relative_to is not None and not path.exists():
        path = relative_to / path
    if not path.exists():
        raise fail(f"no scenario {text!r}", where="scenario",
                   fix=f"give a TOML file path or a built-in name ({', '.join(builtin_names())})")
    return path


def read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise fail(f"cannot read the file: {e.strerror}", file=str(path),
                   fix="check the path and permissions") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise TitrError(Problem(str(path), "", f"TOML syntax error: {e}",
                                "correct the TOML syntax at that line",
                                int(m.group(1)) if m else None)) from None


def read_raw(name_or_path: str | Path, _seen: tuple[Path, ...] = ()) -> tuple[dict[str, Any],
                                                                               Path]:
    """The raw dict of a scenario with its ``extends`` chain merged in."""
    path = resolve(name_or_path, _seen[-1].parent if _seen else None).resolve()
    if path in _seen:
        raise fail("scenarios extend each other in a circle", where="extends", file=str(path),
                   fix="remove one of the extends")
    raw = read_toml(path)
    parent_name = raw.get("extends")
    if parent_name is None:
        return raw, path
    if not isinstance(parent_name, str):
        raise fail("extends must be a scenario name or path", where="extends", file=str(path),
                   fix='write extends = "middle-corridor"')
    parent, _ = read_raw(parent_name, (*_seen, path))
    return merge(parent, raw, str(path)), path


def merge(parent: dict[str, Any], child: dict[str, Any], file: str = "",
          _top: bool = True) -> dict[str, Any]:
    """Child over parent: tables merge, lists of items merge by id, other values replace.

    Only the scenario's top-level collections merge by id; inside an item, a list (a link's
    ``cargo``, a node's ``handling``) or a string (a node's ``weather``) is replaced whole.
    """
    out = copy.deepcopy(parent)
    for key, value in child.items():
        if _top and key == "remove":
            continue
        if _top and (key in COLLECTIONS or key == "sources"):
            out[key] = _merge_items(out.get(key, []), value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value, file, _top=False)
        else:
            out[key] = copy.deepcopy(value)
    if not _top:
        return out
    for target in child.get("remove", []):
        coll, _, item_id = str(target).partition(".")
        before = len(out.get(coll, []))
        out[coll] = [it for it in out.get(coll, []) if it.get("id") != item_id]
        if len(out[coll]) == before:
            raise fail(f"cannot remove {target!r}: no such item in the parent", where="remove",
                       file=file, fix="write remove = [\"collection.id\"]")
    return out


def _merge_items(parent: list[Any], child: list[Any]) -> list[Any]:
    out = [copy.deepcopy(it) for it in parent]
    index = {it.get("id"): i for i, it in enumerate(out) if isinstance(it, dict)}
    for it in child:
        key = it.get("id") if isinstance(it, dict) else None
        if key in index:
            out[index[key]] = merge(out[index[key]], it, _top=False)
        else:
            out.append(copy.deepcopy(it))
    return out


def validate_raw(raw: dict[str, Any], file: str = "") -> Scenario:
    """A raw dict → a checked :class:`Scenario`, or :class:`TitrError` listing every problem."""
    raw = {k: v for k, v in raw.items() if k != "remove"}
    try:
        sc = Scenario.model_validate(raw)
    except ValidationError as e:
        raise TitrError([_problem(err, raw, file) for err in e.errors()]) from None
    sc._path = file
    problems = check(sc)
    if problems:
        raise TitrError(_with_lines(problems, file))
    return sc


def load(name_or_path: str | Path, overrides: dict[str, Any] | list[str] | None = None) -> (
        Scenario):
    """Read, merge, override and check a scenario. Raises :class:`TitrError` on bad input."""
    raw, path = read_raw(name_or_path)
    if overrides:
        apply_to_raw(raw, parse_assignments(overrides))
    return validate_raw(raw, str(path))


def _problem(err: Any, raw: dict[str, Any], file: str) -> Problem:
    loc = list(err["loc"])
    where, node = "", raw
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
            label = node.get("id", node.get("year", part)) if isinstance(node, dict) else part
            where += f"[{label}]"
        else:
            node = node.get(part) if isinstance(node, dict) else None  # type: ignore[assignment]
            where += f".{part}" if where else str(part)
    msg = str(err["msg"]).removeprefix("Value error, ")
    fix = {"missing": "add this field", "extra_forbidden": "remove it or check its spelling",
           "string_pattern_mismatch": "use lower-case letters, digits and '-'"}.get(err["type"],
                                                                                   "")
    if err["type"] == "extra_forbidden":
        msg = "unknown field"
    elif "; " in msg and not fix:  # our validators write "what is wrong; how to fix it"
        msg, fix = msg.split("; ", 1)
    p = Problem(file, where, msg, fix)
    return _with_lines([p], file)[0]


def _with_lines(problems: list[Problem], file: str) -> list[Problem]:
    """Point each problem at the line of its item's ``id = "…"`` in the file, when found."""
    try:
        lines = Path(file).read_text(encoding="utf-8").splitlines() if file else []
    except OSError:
        lines = []
    out = []
    for p in problems:
        m = re.search(r"\[([a-z0-9-]+)\]", p.where)
        line = p.line
        if m and line is None:
            pat = re.compile(rf'^\s*id\s*=\s*"{re.escape(m.group(1))}"')
            line = next((i + 1 for i, t in enumerate(lines) if pat.search(t)), None)
        out.append(Problem(p.file, p.where, p.what, p.fix, line))
    return out
