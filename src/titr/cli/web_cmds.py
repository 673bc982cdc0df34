"""The web service: titr serve."""

from __future__ import annotations

from typing import Annotated

import typer

from titr.cli.common import console, err_console, friendly
from titr.model.errors import fail

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@friendly
def serve(host: Annotated[str, typer.Option(help="address to listen on; keep 127.0.0.1 "
                                            "unless others must reach it")] = "127.0.0.1",
          port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port")] = 8000,
          jobs: Annotated[int, typer.Option(min=1, max=16, help="simulation and sweep jobs "
                                            "running at once")] = 2,
          workers: Annotated[int, typer.Option(min=1, max=16, help="processes computing "
                                               "assessments")] = 2,
          allow_host: Annotated[list[str] | None, typer.Option(
              "--allow-host", help="another host name the server answers to, e.g. the name "
              "others use to reach it (repeatable; loopback names and --host always)")] = None,
          scheduler: Annotated[str | None, typer.Option(
              help="a Dask scheduler, e.g. tcp://10.0.0.5:8786: simulation and sweep jobs "
              "run on its workers instead of local processes")] = None,
          scenario: Annotated[list[str] | None, typer.Option(
              "--scenario", "-s", help="a scenario file to offer besides the built-in ones "
              "(repeatable); the page opens on the first")] = None,
          ) -> None:
    """Serve the workbench page and its JSON API (docs at /docs) with uvicorn."""
    import uvicorn

    from titr.web.app import create_app
    from titr.web.guard import trusted_hosts
    from titr.web.limits import Limits
    from titr.web.served import serve_files

    if host not in LOOPBACK:
        err_console.print(f"warning: listening on {host}: anyone who can reach it can run "
                          "assessments and jobs (there is no login)")
    for name in allow_host or []:
        wild = "*" in name[1:] or (name.startswith("*") and name not in ("*",) and
                                   not name.startswith("*."))
        if not name.strip() or "/" in name or " " in name.strip() or wild:
            raise fail(f"{name!r} is not a host name", where="--allow-host",
                       fix="give a name or address, e.g. --allow-host titr.example.org (or "
                           "*.example.org for its subdomains)")
    hosts = trusted_hosts(host, allow_host or [])
    offered = serve_files(scenario or [])  # checked now: a bad file stops here, exit 2
    app = create_app(Limits(max_jobs=jobs, pool_workers=workers), warm=True, hosts=hosts,
                     scheduler=scheduler, first=offered[0].id if offered else None)
    console.print(f"titr: open http://{host}:{port}/  (API docs: /docs; Ctrl-C stops)"
                  + (f"; jobs run on the Dask cluster at {scheduler}" if scheduler else ""))
    # uvloop and httptools (both pinned) when installed; a stop waits at most 5 s for
    # requests in flight (an assessment queued behind 50 others would keep it for minutes)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False,
                timeout_graceful_shutdown=5)
