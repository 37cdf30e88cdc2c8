"""The `qimma` command. Each command lives in its own module, is listed here, and is imported only
when it runs (qimma.cli.lazy)."""

from __future__ import annotations

import os
import sys
from contextlib import AbstractContextManager, nullcontext
from typing import Any, ClassVar

import click
import typer

from qimma import __version__, i18n
from qimma.cli.common import err_console, show_progress, state
from qimma.cli.lazy import LazyCommand, LazyGroup
from qimma.cli.usage import usage_lang, usage_message
from qimma.errors import QimmaError

# typer >= 0.22 carries its own copy of click, whose usage errors are not click's classes.
try:
    from typer._click.exceptions import ClickException as _TyperClickException

    _USAGE_ERRORS: tuple[type[click.ClickException], ...] = (
        click.ClickException,
        _TyperClickException,  # type: ignore[assignment]
    )
except ImportError:  # an older typer that uses click itself
    _USAGE_ERRORS = (click.ClickException,)


def _cmd(target: str, short_help: str) -> LazyCommand:
    return LazyCommand(f"qimma.cli.{target}", short_help)


class QimmaCommands(LazyGroup):
    """qimma's commands in the order `qimma --help` lists them."""

    COMMANDS: ClassVar[dict[str, LazyCommand]] = {
        "forecast": _cmd(
            "forecast_cmd:forecast", "Forecast the outcome of each issue with every model."
        ),
        "backtest": _cmd(
            "backtest_cmd:backtest",
            "Backtest every model on DEU III: MAE, RMSE, median error, share within 10 points.",
        ),
        "report": _cmd(
            "report_cmd:report", "Write a self-contained HTML report and the same as PDF."
        ),
        "serve": _cmd(
            "serve_cmd:serve", "Start the web app (default scenario loaded on first start)."
        ),
        "validate": _cmd(
            "validate_cmd:validate",
            "Check a scenario file; list every problem with its line, field and fix "
            "(exit status 2).",
        ),
        "show": _cmd(
            "show_cmd:show",
            "Show a scenario's actors, issues (scales, anchors, status quo) and stances as tables.",
        ),
        "convert": _cmd(
            "convert_cmd:convert",
            "Convert a scenario to qimma's YAML format (never replaces a file without --force).",
        ),
        "evidence": _cmd(
            "corpus_cmd:evidence",
            "The passages about one stance (actor × issue), best first; * = cited by the scenario.",
        ),
        "whatif": _cmd(
            "whatif_cmd:whatif",
            "Compare the baseline with the scenario after pulling one or more levers.",
        ),
        "sensitivity": _cmd(
            "sensitivity_cmd:sensitivity",
            "Which uncertain inputs drive each outcome; signposts to watch; pivotal actors.",
        ),
        "editions": _cmd(
            "editions_cmd:editions",
            "Show the scenario's dated editions and how the forecast and each named outcome moved\n"
            "from one edition to the next, with the changed stances that moved them.",
        ),
        "log": _cmd(
            "log_cmd:log_app",
            "The forecast log: add forecasts, resolve them, score them. Stored in the qimma store "
            "(--store URL, else $QIMMA_STORE, else a SQLite file in your data folder).",
        ),
        "user": _cmd(
            "serve_cmd:user_app", "Manage web-app users (needed when serving beyond 127.0.0.1)."
        ),
        "corpus": _cmd(
            "corpus_cmd:corpus_app",
            "The evidence corpus: add documents, clean, search, estimative statements.",
        ),
    }

    def loading(self, name: str, args: list[str]) -> AbstractContextManager[Any]:
        """A line saying what qimma is doing while a command loads (the first second or so of a
        run): on a terminal only, never with --json or before --help."""
        if "--json" in args or "--help" in args or not show_progress(False):
            return nullcontext()
        return err_console.status(i18n.t("cli.loading", state["lang"], command=name))


app = typer.Typer(
    cls=QimmaCommands,
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


def run(argv: list[str] | None = None) -> int:
    """Console entry point (the script calls sys.exit on the result).

    User errors print a bilingual message and give status 2, never a traceback."""
    state["lang"] = usage_lang(sys.argv[1:] if argv is None else argv)
    try:
        app(args=argv, standalone_mode=False)
    except QimmaError as e:
        # soft_wrap: one problem per line, never broken inside a path or a message
        err_console.print(e.render(state["lang"]), markup=False, highlight=False, soft_wrap=True)  # type: ignore[arg-type]
        return 2
    except (click.exceptions.Exit, typer.Exit) as e:
        return int(e.exit_code)
    except (click.exceptions.Abort, typer.Abort):
        return 130
    except _USAGE_ERRORS as e:
        if state["lang"] == "ar":
            err_console.print(usage_message(e, "ar"), markup=False, highlight=False, soft_wrap=True)
        else:
            e.show()
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug in qimma, not the user's fault: say so plainly
        if os.environ.get("QIMMA_DEBUG"):
            raise
        msg = i18n.t("cli.internal_error", state["lang"], error=f"{type(e).__name__}: {e}")
        err_console.print(msg, markup=False, highlight=False, soft_wrap=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(run())
