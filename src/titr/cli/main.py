"""The ``titr`` command: a thin face over the public functions of the layers above."""

from __future__ import annotations

from typing import Annotated

import typer

from titr.cli import assess_cmds, backtest_cmds, report_cmds, scenario_cmds, sim_cmds
from titr.cli.common import configure_logging
from titr.cli.sweep_cmds import app as sweep_app
from titr.cli.web_cmds import serve

app = typer.Typer(
    name="titr",
    help="titr — a digital twin of a freight corridor (built in: the Middle Corridor).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _options(verbose: Annotated[int, typer.Option(
        "--verbose", "-v", count=True,
        help="say what titr skips or assumes (-v), and details (-vv), on stderr")] = 0,
             ) -> None:
    configure_logging(verbose)


app.command()(assess_cmds.assess)
app.command()(assess_cmds.projects)
app.command()(assess_cmds.calibrate)
app.command()(backtest_cmds.backtest)
app.command()(sim_cmds.simulate)
app.command()(sim_cmds.closure)
app.command()(scenario_cmds.validate)
app.command()(scenario_cmds.schema)
app.command()(scenario_cmds.sources)
app.command()(scenario_cmds.show)
app.command()(scenario_cmds.routes)
app.command()(report_cmds.report)
app.command()(report_cmds.export)
app.command()(serve)
app.add_typer(sweep_app, name="sweep")


def run() -> None:
    app()
