"""The `qimma` command. Each command lives in its own module and is registered here."""

from __future__ import annotations

import os
import sys

import click
import typer

from qimma import __version__, i18n
from qimma.cli.backtest_cmd import backtest
from qimma.cli.common import Lang, LangOption, err_console, state
from qimma.cli.convert_cmd import convert
from qimma.cli.corpus_cmd import corpus_app, evidence
from qimma.cli.editions_cmd import editions
from qimma.cli.forecast_cmd import forecast
from qimma.cli.help import group_lang, use_table_help
from qimma.cli.log_cmd import log_app
from qimma.cli.report_cmd import report
from qimma.cli.sensitivity_cmd import sensitivity
from qimma.cli.serve_cmd import serve, user_app
from qimma.cli.show_cmd import show
from qimma.cli.usage import usage_lang, usage_message
from qimma.cli.validate_cmd import validate
from qimma.cli.whatif_cmd import whatif
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

app = typer.Typer(
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


app.command()(forecast)
app.command()(backtest)
app.add_typer(log_app, name="log")
app.command()(report)
app.command()(serve)
app.add_typer(user_app, name="user")
app.command()(validate)
app.command()(show)
app.command()(convert)
app.add_typer(corpus_app, name="corpus")
app.command()(evidence)
app.command()(whatif)
app.command()(sensitivity)
app.command()(editions)
# every --help from the word table, in the language of the command line
use_table_help(app)


def run(argv: list[str] | None = None) -> int:
    """Console entry point (the script calls sys.exit on the result).

    User errors print a bilingual message and give status 2, never a traceback."""
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
