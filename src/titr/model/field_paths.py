"""Dotted paths into a scenario's raw data: ``links.dostyk-moyinty.capacity``.

Lists of items are addressed by item id, dicts by key. Used by ``--set`` overrides and by
projects' changes, so that both address fields the same way.
"""

from __future__ import annotations

from typing import Any

from titr.model.errors import fail


def split(path: str) -> list[str]:
    parts = [p for p in path.strip().split(".") if p]
    if len(parts) < 2:
        raise fail(f"path {path!r} is too short",
                   fix="write collection.id.field, e.g. fleets.<fleet id>.vessels")
    return parts


def find_item(items: list[dict[str, Any]], item_id: str) -> dict[str, Any] | None:
    for it in items:
        if isinstance(it, dict) and it.get("id") == item_id:
            return it
    return None


def locate(data: dict[str, Any], parts: list[str], path: str) -> tuple[Any, str | int]:
    """The container holding the last part of the path, and the key into it."""
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        node = _step(node, part, path, parts[: i + 1])
    last = parts[-1]
    if isinstance(node, list):
        item = find_item(node, last)
        if item is None:
            raise _missing(path, parts, node)
        return node, node.index(item)
    if not isinstance(node, dict):
        raise fail(f"{'.'.join(parts[:-1])!r} has no fields", where=path)
    return node, last


def get(data: dict[str, Any], path: str) -> Any:
    container, key = locate(data, split(path), path)
    if isinstance(container, dict) and key not in container:
        raise fail(f"no field {key!r} at {path!r}", where=path,
                   fix=f"use one of: {', '.join(sorted(container))}")
    return container[key]


def _step(node: Any, part: str, path: str, done: list[str]) -> Any:
    if isinstance(node, dict):
        if part not in node:
            raise fail(f"no field {part!r} in {'.'.join(done[:-1]) or 'the scenario'}",
                       where=path, fix=f"use one of: {', '.join(sorted(map(str, node)))}")
        return node[part]
    if isinstance(node, list):
        item = find_item(node, part)
        if item is None:
            raise _missing(path, done, node)
        return item
    raise fail(f"{'.'.join(done[:-1])!r} has no fields", where=path)


def _missing(path: str, parts: list[str], items: list[Any]) -> Exception:
    ids = [str(it.get("id")) for it in items if isinstance(it, dict) and "id" in it]
    shown = ", ".join(ids[:12]) + (" …" if len(ids) > 12 else "")
    return fail(f"no item {parts[-1]!r} in {'.'.join(parts[:-1])}", where=path,
                fix=f"use an existing id ({shown})" if ids else "check the path")
