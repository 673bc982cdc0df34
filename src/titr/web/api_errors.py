"""Every error as one JSON shape — ``{"error": …, "problems": [{field, message, fix}]}`` — with
the status that fits: 400 bad values for this scenario, 404 unknown id, 422 a request that does
not fit the schema, 429 busy. Never a traceback.
"""

from __future__ import annotations

import re
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from titr.model.errors import TitrError
from titr.web.compute import Failed, problems_of
from titr.web.jobs import Busy

RETRY_AFTER_S = 5


class ApiError(Exception):
    def __init__(self, status: int, error: str, field: str, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.status, self.error = status, error
        self.problems = [{"field": field, "message": message, "fix": fix}]


def not_found(field: str, message: str, fix: str) -> ApiError:
    return ApiError(404, "not found", field, message, fix)


def body(error: str, problems: list[dict[str, str]]) -> dict[str, Any]:
    return {"error": error, "problems": problems}


def _fix(err: dict[str, Any]) -> tuple[str, str]:
    """(message, fix) for one pydantic error."""
    kind, msg, ctx = err.get("type", ""), str(err.get("msg", "")), err.get("ctx") or {}
    msg = msg.removeprefix("Value error, ")
    if "; " in msg:
        what, fix = msg.split("; ", 1)
        return what, fix
    fixes = {
        "missing": "add this field",
        "extra_forbidden": "remove it (the fields are listed at /docs)",
        "greater_than_equal": f"use a value of at least {_g(ctx.get('ge'))}",
        "greater_than": f"use a value above {_g(ctx.get('gt'))}",
        "less_than_equal": f"use a value of at most {_g(ctx.get('le'))}",
        "less_than": f"use a value below {_g(ctx.get('lt'))}",
        "multiple_of": "give a whole number" if ctx.get("multiple_of") == 1 else
                       f"give a multiple of {_g(ctx.get('multiple_of'))}",
        "union_tag_not_found": "add this field",
        "string_pattern_mismatch": "use lower-case letters, digits and '-', e.g. "
                                   "middle-corridor",
        "literal_error": f"use one of {ctx.get('expected')}",
        "too_long": f"give at most {ctx.get('max_length')} items",
        "too_short": f"give at least {ctx.get('min_length')} items",
        "string_too_long": f"use at most {ctx.get('max_length')} characters",
        "string_too_short": f"use at least {ctx.get('min_length')} characters",
        "json_invalid": "send a valid JSON body",
        "model_attributes_type": "send a JSON object",
        "dict_type": "send a JSON object",
        "finite_number": "give a finite number",
    }
    if "fix" in err:
        return msg, f"use one of: {err['fix']}"
    if kind in fixes:
        return msg, fixes[kind]
    if kind.endswith(("_parsing", "_type")):
        return msg, "give a value of the type the schema asks for (see /docs)"
    return msg, "see /docs for this field"


def _g(x: Any) -> str:
    return f"{x:g}" if isinstance(x, int | float) else str(x)


def _where(err: dict[str, Any], scenarios: tuple[str, ...]) -> list[Any]:
    """The field of an error, without the tag that chose the body's model (its scenario, or
    a sweep's "scenario:lever"); a tag that matched nothing is its own field."""
    loc = list(err.get("loc", ()))
    tag = loc[1] if len(loc) > 1 and isinstance(loc[1], str) else ""
    if (tag in scenarios and len(scenarios) > 1) or tag.partition(":")[0] in scenarios:
        del loc[1]
    if err.get("type") == "union_tag_not_found":  # only a sweep's lever can be left out
        loc.append("vary")
    elif err.get("type") == "union_tag_invalid":
        found = str((err.get("ctx") or {}).get("tag", ""))
        loc.append("scenario" if found.partition(":")[0] not in scenarios else "vary")
    return loc


def validation_problems(errors: list[Any], scenarios: tuple[str, ...] = ()
                        ) -> list[dict[str, str]]:
    """One problem per pydantic error; ``scenarios`` (the server's) tell the tags that chose
    a body's model, to leave out of the field."""
    out = []
    for err in errors:
        loc = _where(err, scenarios)
        where = ".".join(str(p) for p in loc)
        if err.get("type") == "union_tag_invalid":
            err = _unknown_tag(err, loc[-1])
        elif err.get("type") == "union_tag_not_found":
            err = {**err, "msg": "the lever to vary is missing"}
        what, fix = _fix(err)
        if err.get("type") == "extra_forbidden" and "study" in loc[:-1]:
            what, fix = "not a lever of this scenario", ("use one of its own levers (GET "
                                                         "/api/scenarios/{name}: study = true)")
        out.append({"field": where or "request", "message": what, "fix": fix})
    return out


def _unknown_tag(err: dict[str, Any], field: str) -> dict[str, Any]:
    """A scenario the server does not offer, or a lever its scenario does not have."""
    ctx = err.get("ctx") or {}
    scenario, _, lever = str(ctx.get("tag")).partition(":")
    tags = [t.partition(":") for t in re.findall(r"'([^']*)'", str(ctx.get("expected_tags")))]
    if field == "vary":
        return {**err, "msg": f"no lever {lever!r} to vary in this scenario", "type": "",
                "ctx": {}, "fix": ", ".join(t[2] for t in tags if t[0] == scenario)}
    return {**err, "msg": f"no scenario {scenario!r} on this server", "type": "", "ctx": {},
            "fix": ", ".join(dict.fromkeys(t[0] for t in tags))}


def _allowed(request: Request) -> list[str]:
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
        match, _ = route.matches({**request.scope, "method": "POST"})
        if match != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return sorted(methods)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    async def invalid(request: Request, e: Exception) -> JSONResponse:
        assert isinstance(e, RequestValidationError)
        models = getattr(request.app.state, "request_models", None)
        problems = validation_problems(list(e.errors()),
                                       models.names if models is not None else ())
        return JSONResponse(body("invalid request", problems),
                            status_code=422)

    async def titr_error(_: Request, e: Exception) -> JSONResponse:
        problems = problems_of(e) if isinstance(e, TitrError) else \
            e.problems if isinstance(e, Failed) else []
        return JSONResponse(body("bad input for this scenario", problems), status_code=400)

    async def busy(_: Request, e: Exception) -> JSONResponse:
        return JSONResponse(body("busy", [{"field": "request", "message": str(e),
                                           "fix": f"try again in {RETRY_AFTER_S} s, or cancel "
                                                  "a running job"}]),
                            status_code=429, headers={"Retry-After": str(RETRY_AFTER_S)})

    async def api_error(_: Request, e: Exception) -> JSONResponse:
        assert isinstance(e, ApiError)
        return JSONResponse(body(e.error, e.problems), status_code=e.status)

    async def http_error(request: Request, e: Exception) -> JSONResponse:
        assert isinstance(e, HTTPException)
        if e.status_code == 413:
            return JSONResponse(body("request too large", [{
                "field": "body", "message": str(e.detail), "fix": "send a smaller request"}]),
                status_code=413)
        fix = "see /docs for the endpoints" if e.status_code in (404, 405) else ""
        headers = dict(e.headers or {})
        if e.status_code == 405:  # every method of the path, not just the first route's
            allowed = _allowed(request)
            headers["Allow"] = ", ".join(allowed)
            fix = f"use {' or '.join(allowed)}"
        return JSONResponse(body(str(e.detail).lower(), [{"field": "method", "message":
                                                          str(e.detail), "fix": fix}]
                                 if e.status_code == 405 else [{"field": "path", "message":
                                                                str(e.detail), "fix": fix}]),
                            status_code=e.status_code, headers=headers)

    async def broken(_: Request, e: Exception) -> JSONResponse:
        return JSONResponse(body("worker stopped", [{
            "field": "request", "message": "a worker process stopped while computing this",
            "fix": f"try again in {RETRY_AFTER_S} s"}]), status_code=503,
            headers={"Retry-After": str(RETRY_AFTER_S)})

    async def bug(_: Request, e: Exception) -> JSONResponse:
        # not bad input: a fault of the service; still one JSON message, never a traceback
        return JSONResponse(body("internal error", [{
            "field": "", "message": f"{type(e).__name__}: {e}",
            "fix": "report it with the request that caused it"}]), status_code=500)

    app.add_exception_handler(BrokenProcessPool, broken)
    app.add_exception_handler(Exception, bug)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(TitrError, titr_error)
    app.add_exception_handler(Failed, titr_error)
    app.add_exception_handler(Busy, busy)
    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(HTTPException, http_error)
