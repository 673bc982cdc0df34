"""Fast JSON for the read endpoints: bodies encoded once with orjson and kept, so a page's
reads are answered on the event loop without recomputing or re-validating anything.

What a read needs is derived from things that do not change once made (a built-in scenario, a
finished run), so a body is built once per key: the first request builds it in a thread (the
event loop keeps answering), later ones get the stored bytes.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel

MAX_BODIES = 256


def dumps(obj: Any) -> bytes:
    """JSON bytes of plain values or pydantic models (NaN and infinity as null)."""
    if isinstance(obj, BaseModel):
        return obj.__pydantic_serializer__.to_json(obj)
    if isinstance(obj, list) and obj and isinstance(obj[0], BaseModel):
        return b"[" + b",".join(m.__pydantic_serializer__.to_json(m) for m in obj) + b"]"
    return orjson.dumps(obj, option=orjson.OPT_SERIALIZE_NUMPY)


def json_response(body: bytes, media_type: str = "application/json") -> Response:
    return Response(body, media_type=media_type)


class Bodies:
    """JSON bodies by key, built once (the oldest dropped beyond ``MAX_BODIES``)."""

    def __init__(self) -> None:
        self._bodies: OrderedDict[Hashable, bytes] = OrderedDict()
        self._building: dict[Hashable, asyncio.Future[bytes]] = {}

    async def get(self, key: Hashable, build: Callable[[], Any]) -> bytes:
        body = self._bodies.get(key)
        if body is not None:
            return body
        building = (id(asyncio.get_running_loop()), key)  # futures belong to their loop
        fut = self._building.get(building)
        if fut is None:  # one build per key; concurrent requests for it wait for the same
            fut = asyncio.ensure_future(asyncio.to_thread(lambda: dumps(build())))
            self._building[building] = fut
            fut.add_done_callback(lambda _: self._building.pop(building, None))
        body = await asyncio.shield(fut)
        self._bodies[key] = body
        while len(self._bodies) > MAX_BODIES:
            self._bodies.popitem(last=False)
        return body


async def bodies(request: Request) -> Bodies:
    """The app's bodies (one store per app, made on first use; async: no thread hop)."""
    store: Bodies | None = getattr(request.app.state, "bodies", None)
    if store is None:
        store = request.app.state.bodies = Bodies()
    return store
