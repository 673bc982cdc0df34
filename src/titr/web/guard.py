"""What keeps other sites and oversized requests out of the service.

- Host names: only requests addressed to a trusted host are served (Starlette's
  ``TrustedHostMiddleware``): loopback names by default, plus the address ``titr serve``
  listens on and any ``--allow-host``. A page on another site cannot drive the loopback server
  through DNS rebinding, since its requests carry that site's host name.
- Bodies: at most :data:`MAX_BODY` bytes, counted on the bytes actually read, so a chunked body
  (no ``Content-Length``) is cut off as soon as it passes the limit rather than read whole.
"""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 64 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
ANY_ADDRESS = ("0.0.0.0", "::", "")


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(413, f"the body is over {MAX_BODY // 1024} KiB")


class BodyLimit:
    """Count the body's bytes as the app reads them; past the limit, the read raises
    :class:`BodyTooLarge` (a 413 through the app's error handlers)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        await self.app(scope, limited, send)


def trusted_hosts(listen: str = "127.0.0.1", extra: Iterable[str] = ()) -> list[str]:
    """Loopback names, the address the server listens on (unless it is "any"), and ``extra``."""
    hosts = [*LOOPBACK_HOSTS]
    if listen not in ANY_ADDRESS:
        hosts.append(listen)
    hosts += [h.strip().lower() for h in extra if h.strip()]
    return list(dict.fromkeys(hosts))


def install(app: FastAPI, hosts: list[str]) -> None:
    """Put ``app`` behind the host check and the body limit (the host check runs first)."""
    app.add_middleware(BodyLimit)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
