"""The `qimma` command. Each command lives in its own module and is registered here."""

from __future__ import annotations

import sys

import click
import typer

from qimma import __version__
from qimma.cli.common import err_console, state
from qimma.cli.forecast_cmd import forecast
from qimma.cli.report_cmd import report
from qimma.cli.sensitivity_cmd import sensitivity
from qimma.cli.serve_cmd import serve, user_app
from qimma.cli.whatif_cmd import whatif
from qimma.errors import QimmaError

app = typer.Typer(
    name="qimma",
    help="qimma (قمة): forecast multi-actor negotiations with published bargaining models.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"qimma {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """qimma (قمة): forecast multi-actor negotiations with published bargaining models."""


app.command()(forecast)
app.command()(report)
app.command()(serve)
app.add_typer(user_app, name="user")
app.command()(whatif)
app.command()(sensitivity)


def run(argv: list[str] | None = None) -> int:
    """Console entry point (the script calls sys.exit on the result).

    User errors print a bilingual message and give status 2, never a traceback."""
    try:
        app(args=argv, standalone_mode=False)
    except QimmaError as e:
        err_console.print(e.render(state["lang"]), markup=False, highlight=False)  # type: ignore[arg-type]
        return 2
    except click.exceptions.Exit as e:
        return int(e.exit_code)
    except click.exceptions.Abort:
        return 130
    except click.ClickException as e:
        e.show()
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(run())
