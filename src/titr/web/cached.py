"""Fast reads: JSON encoded once with orjson and kept, and repeated GETs answered before
routing.

What most reads return is derived from things that do not change once made (a scenario the
server offers, a finished run), so a body is built once per key (:class:`Bodies`): the first
request builds it in a thread (the event loop keeps answering), later ones get the stored
bytes. A route that answers such a read also files the bytes under the request's path and
query (:class:`HotReads`); the next identical GET is then answered by :class:`Hot`, a plain
ASGI layer in front of the router, with no routing, dependencies or validation — and with an
``ETag``, so a browser that has the body gets a bare 304. Reads of state that changes (health,
the lists of runs and jobs) file a cheap function instead of bytes.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel
from starlette.types import ASGIApp, Receive, Scope, Send

MAX_BODIES = 256
MAX_HOT = 512


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


@dataclass
class Entry:
    """A read answered before routing: fixed ``body`` bytes (with their ETag) or bytes that
    ``make`` returns each time; ``alive`` False drops it (the route then answers, e.g. 404)."""

    media_type: bytes
    body: bytes = b""
    etag: bytes = b""
    make: Callable[[], bytes] | None = None
    alive: Callable[[], bool] | None = None


class HotReads:
    """Entries by (path, query string), the oldest dropped beyond ``MAX_HOT``."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, bytes], Entry] = OrderedDict()

    def put(self, request: Request, entry: Entry) -> None:
        if entry.make is None and not entry.etag:
            entry.etag = b'"' + hashlib.blake2b(entry.body, digest_size=10).hexdigest().encode() \
                + b'"'
        self._entries[(request.scope["path"], request.scope["query_string"])] = entry
        while len(self._entries) > MAX_HOT:
            self._entries.popitem(last=False)

    def get(self, path: str, query: bytes) -> Entry | None:
        entry = self._entries.get((path, query))
        if entry is not None and entry.alive is not None and not entry.alive():
            del self._entries[(path, query)]
            return None
        return entry


def hot_reads(request: Request) -> HotReads:
    store: HotReads = request.app.state.hot_reads
    return store


class Hot:
    """Answer GETs filed in the app's :class:`HotReads` (``app.state.hot_reads``) without
    routing them; everything else goes on to the app."""

    def __init__(self, app: ASGIApp, store: HotReads) -> None:
        self.app, self.store = app, store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        entry = self.store.get(scope["path"], scope["query_string"]) \
            if scope["type"] == "http" and scope["method"] == "GET" else None
        if entry is None:
            await self.app(scope, receive, send)
            return
        headers = [(b"content-type", entry.media_type)]
        status, body = 200, entry.body
        if entry.make is not None:
            body = entry.make()
            headers.append((b"cache-control", b"no-store"))
        else:
            headers += [(b"etag", entry.etag), (b"cache-control", b"no-cache")]
            if any(k == b"if-none-match" and entry.etag in v for k, v in scope["headers"]):
                status, body = 304, b""
        headers.append((b"content-length", b"%d" % len(body)))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def bodies(request: Request) -> Bodies:
    """The app's bodies (one store per app, made on first use; async: no thread hop)."""
    store: Bodies | None = getattr(request.app.state, "bodies", None)
    if store is None:
        store = request.app.state.bodies = Bodies()
    return store


def fixed(request: Request, body: bytes, media_type: str = "application/json",
                alive: Callable[[], bool] | None = None) -> Response:
    """Answer with ``body`` and file it for the next identical GET."""
    hot_reads(request).put(request, Entry(media_type.encode(), body, alive=alive))
    return json_response(body, media_type)


def made(request: Request, make: Callable[[], bytes]) -> Response:
    """Answer with ``make()`` and file ``make`` for the next identical GET."""
    hot_reads(request).put(request, Entry(b"application/json", make=make))
    return json_response(make())
