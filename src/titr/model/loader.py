"""Reading scenario files: TOML, ``extends``, overrides, validation, and clear errors.

``load("middle-corridor")`` reads a built-in scenario; ``load("my.toml")`` a file, which may say
``extends = "middle-corridor"`` (or a path) and then add or override items by id. Items are
merged field by field, so a child can change one figure of a parent's link. A top-level
``remove = ["links.x"]`` drops items of the parent.
"""

from __future__ import annotations

import copy
import math
import re
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from titr.model.checks import check
from titr.model.errors import Problem, TitrError, fail
from titr.model.files import lines_of
from titr.model.files import read_toml as read_toml_file
from titr.model.network import DERIVED_FROM
from titr.model.overrides import apply_to_raw, parse_assignments
from titr.model.ranges import check_ranges
from titr.model.scenario import COLLECTIONS, Scenario

BUILTIN_PACKAGE = "titr.data"


def builtin_dir() -> Path:
    return Path(str(resources.files(BUILTIN_PACKAGE))) / "scenarios"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def resolve(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A built-in scenario's name or a file path → the file (a ``*.toml`` file only)."""
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
    """A scenario file's tables (see :mod:`titr.model.files` for what is refused)."""
    return read_toml_file(path, "scenario")


MAX_EXTENDS = 16  # files in one extends chain


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
        if "remove" in raw:
            raise fail("remove drops items of a parent scenario, but this file extends none",
                       where="remove", file=str(path),
                       fix='add extends = "middle-corridor" (or a .toml file), or drop remove')
        return raw, path
    names = ", ".join(builtin_names())
    if not isinstance(parent_name, str):
        raise fail("extends must be a scenario name or path", where="extends", file=str(path),
                   fix=f'write extends = "middle-corridor" (built-in: {names}) or a .toml path')
    if parent_name not in builtin_names() and not parent_name.lower().endswith(".toml"):
        raise fail("extends names neither a built-in scenario nor a .toml file", where="extends",
                   file=str(path), fix=f"use a built-in name ({names}) or a path ending in .toml")
    if len(_seen) + 1 >= MAX_EXTENDS:
        raise fail(f"the extends chain is longer than {MAX_EXTENDS} files", where="extends",
                   file=str(path), fix="join some of the files")
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
        if (_top and (key in COLLECTIONS or key == "sources") and isinstance(value, list)
                and isinstance(out.get(key, []), list)):
            out[key] = _merge_items(out.get(key, []), value)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value, file, _top=False)
        else:
            out[key] = copy.deepcopy(value)
    if _top:
        for target in removals(child.get("remove", []), file):
            _remove(out, target, file)
    return out


REMOVE_FIX = 'write remove = ["links.some-id"] (a collection and an item id)'


def removals(value: Any, file: str = "") -> list[str]:
    """``remove``'s targets: a list of "collection.id" (one string is read as a list of one)."""
    targets = [value] if isinstance(value, str) else value
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise fail("remove must be a list of \"collection.id\" strings", where="remove",
                   file=file, fix=REMOVE_FIX)
    return targets


def _remove(out: dict[str, Any], target: str, file: str) -> None:
    coll, _, item_id = target.partition(".")
    items = out.get(coll)
    if coll not in (*COLLECTIONS, "sources") or not item_id or not isinstance(items, list):
        raise fail(f"cannot remove {target!r}: not a collection and an item id",
                   where="remove", file=file, fix=REMOVE_FIX)
    kept = [it for it in items if not (isinstance(it, dict) and it.get("id") == item_id)]
    if len(kept) == len(items):
        raise fail(f"cannot remove {target!r}: no such item in the parent", where="remove",
                   file=file, fix=f"use the id of an item of {coll} in the parent")
    out[coll] = kept


def _merge_items(parent: list[Any], child: list[Any]) -> list[Any]:
    out = [copy.deepcopy(it) for it in parent]
    index = {it.get("id"): i for i, it in enumerate(out)
             if isinstance(it, dict) and isinstance(it.get("id"), str)}
    for it in child:
        key = it.get("id") if isinstance(it, dict) else None
        if isinstance(key, str) and key in index and isinstance(out[index[key]], dict):
            out[index[key]] = merge(out[index[key]], it, _top=False)
        else:
            out.append(copy.deepcopy(it))
    return out


MAX_PROBLEMS = 50  # a file with more problems is reported by its first ones


def validate_raw(raw: dict[str, Any], file: str = "", like: Scenario | None = None) -> Scenario:
    """A raw dict → a checked :class:`Scenario`, or :class:`TitrError` listing every problem.

    ``like`` (the scenario ``raw`` was derived from, e.g. by a what-if's levers): every item
    of the new scenario equal to one of ``like``'s is that very object (see
    :func:`_sharing_items`)."""
    raw = {k: v for k, v in raw.items() if k != "remove"}
    try:
        sc = Scenario.model_validate(raw)
    except ValidationError as e:
        errors = e.errors()
        problems = _one_per_field([_problem(err, raw, file) for err in errors])
        raise TitrError(_capped(_with_lines(problems[:MAX_PROBLEMS], file), len(problems),
                                file)) from None
    sc._path = file
    if like is not None:
        _sharing_items(sc, like)
        sc.shared_cache()[DERIVED_FROM] = like  # networks share items with like's too
    problems = check_ranges(sc) or check(sc)
    if problems:
        raise TitrError(_capped(_with_lines(problems[:MAX_PROBLEMS], file), len(problems),
                                file))
    return sc


# the collections of network items (what networks, legs and graphs are built from)
_SHARED_ITEMS = ("cargo", "nodes", "links", "sea_services", "fleets", "weather", "corridors",
                 "corridor_groups")


def _sharing_items(sc: Scenario, like: Scenario) -> None:
    """Replace each network item of ``sc`` equal to ``like``'s item of the same id (and the
    parameters, if equal) by ``like``'s very object, before any network is built: networks,
    legs and graphs kept by the objects they were built from (see titr.routing.graph) are then
    found for the items a change left alone. Equal objects: the scenario is the same."""
    for name in _SHARED_ITEMS:
        old = {it.id: it for it in getattr(like, name)}
        items = getattr(sc, name)
        for i, it in enumerate(items):
            same = old.get(it.id)
            if same is not None and same is not it and same == it:
                items[i] = same
    if sc.parameters == like.parameters:
        sc.parameters = like.parameters


def load(name_or_path: str | Path, overrides: dict[str, Any] | list[str] | None = None) -> (
        Scenario):
    """Read, merge, override and check a scenario. Raises :class:`TitrError` on bad input."""
    raw, path = read_raw(name_or_path)
    if overrides:
        apply_to_raw(raw, parse_assignments(overrides))
    return validate_raw(raw, str(path))


def _capped(problems: list[Problem], total: int, file: str) -> list[Problem]:
    if total <= len(problems):
        return problems
    return [*problems, Problem(file, "", f"… and {total - len(problems)} more problems",
                               "fix those above first, then validate again")]


# pydantic error type → how to fix it (ctx fills the braces)
_FIXES = {
    "missing": "add this field",
    "extra_forbidden": "remove it or check its spelling",
    "string_pattern_mismatch": "use lower-case letters, digits and '-'",
    "greater_than_equal": "give a value of at least {ge}",
    "greater_than": "give a value above {gt}",
    "less_than_equal": "give a value of at most {le}",
    "less_than": "give a value below {lt}",
    "literal_error": "use one of {expected}",
    "enum": "use one of {expected}",
    "too_short": "give at least {min_length} entries",
    "too_long": "give at most {max_length} entries",
    "int_from_float": "give a whole number",
    "finite_number": "give a finite number",
}


def fix_for(err: Any) -> str:
    kind, ctx = str(err["type"]), err.get("ctx") or {}
    if kind in _FIXES:
        try:
            return _FIXES[kind].format(**ctx)
        except (KeyError, IndexError):
            return _FIXES[kind].split(" {")[0]
    if kind.endswith(("_type", "_parsing")):
        return "give a value of the kind this field takes (see `titr schema`)"
    return "correct this value (see `titr schema` for the fields and their kinds)"


# pydantic names the branch of a union in an error's location ("function-after[…]", "str",
# "(figure)"): not a field of the file, so left out of what the user reads
_BRANCH = re.compile(r"^(\(.*\)|[a-z-]+\[.*\]|str|int|float|bool|none|list|dict)$")


def _problem(err: Any, raw: dict[str, Any], file: str) -> Problem:
    loc = [p for p in err["loc"] if not (isinstance(p, str) and _BRANCH.match(p))]
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
    fix = ""
    value = err.get("input")
    if err["type"] == "extra_forbidden":
        msg = "unknown field"
    elif isinstance(value, float) and not math.isfinite(value):
        msg, fix = f"{value} is not a finite number", "give a number"
    elif "; " in msg:  # our validators write "what is wrong; how to fix it"
        msg, fix = msg.split("; ", 1)
    return Problem(file, where, msg, fix or fix_for(err))


def _one_per_field(problems: list[Problem]) -> list[Problem]:
    """The first problem of each field: the branches of a union all fail on one value."""
    seen: set[str] = set()
    out = []
    for p in problems:
        if p.where not in seen:
            seen.add(p.where)
            out.append(p)
    return out


def _with_lines(problems: list[Problem], file: str) -> list[Problem]:
    """Point each problem at the line of its field in the file: the item's ``id = "…"`` line,
    then the first line of the item that sets the field (or the nearest enclosing one)."""
    lines = lines_of(file)
    out = []
    for p in problems:
        m = re.search(r"\[([a-z0-9-]+)\]", p.where)
        line = p.line
        if m and line is None:
            pat = re.compile(rf'^\s*id\s*=\s*"{re.escape(m.group(1))}"')
            line = next((i + 1 for i, t in enumerate(lines) if pat.search(t)), None)
            if line is not None:
                line = _field_line(lines, line, p.where[m.end():])
        out.append(Problem(p.file, p.where, p.what, p.fix, line))
    return out


def _field_line(lines: list[str], item_line: int, rest: str) -> int:
    """The line, within the item that starts at ``item_line``, of the most specific key of
    ``rest`` (".changes[0].value") written at the start of a line."""
    end = next((i for i in range(item_line, len(lines)) if lines[i].lstrip().startswith("[[")),
               len(lines))
    for key in reversed(re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)", rest)):
        k = re.escape(key)  # `key = …`, `key.sub = …` or a sub-table header `[links.key]`
        pat = re.compile(rf"^\s*({k}\s*[.=]|\[[^\[\]]*\.{k}\])")
        found = next((i + 1 for i in range(item_line - 1, end) if pat.search(lines[i])), None)
        if found is not None:
            return found
    return item_line
