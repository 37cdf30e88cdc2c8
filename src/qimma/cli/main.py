"""The `qimma` command. Each command lives in its own module, is listed here, and is imported only
when it runs (qimma.cli.lazy)."""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import threading
from contextlib import AbstractContextManager, nullcontext
from typing import Any, ClassVar

import click
import typer

from qimma import __version__, i18n
from qimma.cli.common import Lang, LangOption, err_console, show_progress, state
from qimma.cli.help import group_lang, help_text, render_help
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


def _cmd(name: str, target: str, preload: tuple[str, ...] = ()) -> LazyCommand:
    # the one-line help `qimma --help` lists: the first paragraph of the word table's text
    return LazyCommand(f"qimma.cli.{target}", help_text(name, "en").split("\n\n")[0], preload)


class QimmaCommands(LazyGroup):
    """qimma's commands in the order `qimma --help` lists them; help from the word table."""

    COMMANDS: ClassVar[dict[str, LazyCommand]] = {
        "forecast": _cmd("forecast", "forecast_cmd:forecast"),
        "backtest": _cmd("backtest", "backtest_cmd:backtest"),
        "report": _cmd("report", "report_cmd:report", ("qimma.cli.report_run",)),
        "serve": _cmd("serve", "serve_cmd:serve"),
        "validate": _cmd("validate", "validate_cmd:validate"),
        "show": _cmd("show", "show_cmd:show"),
        "convert": _cmd("convert", "convert_cmd:convert"),
        "evidence": _cmd("evidence", "corpus_cmd:evidence"),
        "whatif": _cmd("whatif", "whatif_cmd:whatif"),
        "sensitivity": _cmd("sensitivity", "sensitivity_cmd:sensitivity"),
        "editions": _cmd("editions", "editions_cmd:editions"),
        "log": _cmd("log", "log_cmd:log_app"),
        "user": _cmd("user", "serve_cmd:user_app"),
        "corpus": _cmd("corpus", "corpus_cmd:corpus_app"),
    }

    def format_help(self, ctx: Any, formatter: Any) -> None:
        render_help(self, ctx, state["lang"])

    def loading(self, name: str, args: list[str]) -> AbstractContextManager[Any]:
        """A line saying what qimma is doing while a command loads (the first second or so of a
        run): on a terminal only, never with --json or before --help."""
        if "--json" in args or "--help" in args or not show_progress(False):
            return nullcontext()
        return err_console.status(i18n.t("cli.loading", state["lang"], command=name))


app = typer.Typer(
    cls=QimmaCommands,
    name="qimma",
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
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True),
    lang: Lang = LangOption,
) -> None:
    """qimma: forecast multi-actor negotiations (help texts: the word table's `help`)."""
    group_lang(ctx, lang)


def run(argv: list[str] | None = None) -> int:
    """Console entry point (the script calls sys.exit on the result).

    User errors print a bilingual message and give status 2, never a traceback. Called as the
    console script (no `argv`), the process ends as soon as its output is out (`exit_now`)."""
    status = _run(argv)
    if argv is None:
        exit_now(status)
    return status


def exit_now(status: int) -> None:
    """End the process once its output is written: flush, run the atexit handlers, then leave
    without the interpreter's teardown, which frees every object of every module one by one (the
    scenario, NumPy, Numba's compiled code, the word tables): 0.3 CPU s, 2–4.6 s of waiting
    after the last line on a loaded machine (#15, docs/performance.md). Only when the main
    thread is the last one: a command that leaves threads running ends the ordinary way."""
    if threading.active_count() > 1:
        return
    for stream in (sys.stdout, sys.stderr):
        # closed, or a broken pipe: nothing more can be written
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(status)


def _run(argv: list[str] | None) -> int:
    state["lang"] = usage_lang(sys.argv[1:] if argv is None else argv)
    try:
        app(args=argv, prog_name="qimma", standalone_mode=False)
    except QimmaError as e:
        # soft_wrap: one problem per line, never broken inside a path or a message
        err_console.print(e.render(state["lang"]), markup=False, highlight=False, soft_wrap=True)  # type: ignore[arg-type]
        return 2
    except (click.exceptions.Exit, typer.Exit) as e:
        return int(e.exit_code)
    except (click.exceptions.Abort, typer.Abort):
        return 130
    except _USAGE_ERRORS as e:
        if type(e).__name__ == "NoArgsIsHelpError":
            return 2  # the command's help is printed already, in the user's language
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
