"""What keeps other sites and oversized requests out of the service.

- Host names: only requests addressed to a trusted host are served (Starlette's
  ``TrustedHostMiddleware``): loopback names by default, plus the address ``titr serve``
  listens on and any ``--allow-host``. A page on another site cannot drive the loopback server
  through DNS rebinding, since its requests carry that site's host name.
- Bodies: at most :data:`MAX_BODY` bytes, counted on the bytes actually read, so a chunked body
  (no ``Content-Length``) is cut off as soon as it passes the limit rather than read whole.
- Pages: a Content-Security-Policy tells the browser to fetch nothing from other sites.
"""

from __future__ import annotations

from collections.abc import Iterable

import orjson
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


TOO_LARGE = orjson.dumps({"error": "request too large", "problems": [{
    "field": "body", "message": f"the body is over {MAX_BODY // 1024} KiB",
    "fix": "send a smaller request"}]})
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
       "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
       "connect-src 'self'; frame-src 'self'; frame-ancestors 'self'; base-uri 'self'; "
       "form-action 'self'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff")]


class BodyLimit:
    """Count the body's bytes as the app reads them; past the limit, the read raises
    :class:`BodyTooLarge` (a 413 through the app's error handlers). A ``Content-Length``
    over the limit (or not a number) is refused before anything is read. Every response
    gets the security headers (:data:`CSP`, no MIME sniffing).

    Plain ASGI, not ``BaseHTTPMiddleware``: no task or stream per request, so cheap reads
    stay cheap."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > self.limit):
                await _send_json(send, 413, TOO_LARGE)
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

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {name.lower() for name, _ in message.get("headers", ())}
                message["headers"] = [*message.get("headers", ()), *(
                    h for h in SECURITY_HEADERS if h[0] not in have)]
            await send(message)

        await self.app(scope, limited, secured)


async def _send_json(send: Send, status: int, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS]})
    await send({"type": "http.response.body", "body": body})


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
