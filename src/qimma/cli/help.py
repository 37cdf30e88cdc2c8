"""`--help` in the user's language.

Every help text lives in the word table (`help` section: a command's description under its path,
`forecast` or `log.add`; an option's under `forecast.model`, or under `all.model` when every
command says the same of it), the words around them (Usage, Options, default, the value kinds)
in the `helpfmt` section. The commands' docstrings keep only their examples, command lines that
read the same in every language. Typer builds the commands; this module only renders their help
(`QimmaCommand`, `QimmaGroup`), in the language the command line asked for before parsing
(`--lang ar`, `QIMMA_LANG=ar`).
"""

from __future__ import annotations

import re
import textwrap
from enum import Enum
from pathlib import PurePath
from typing import Any

import typer
from rich.table import Table
from rich.text import Text
from typer.core import TyperArgument, TyperCommand, TyperGroup

from qimma import i18n
from qimma.cli.common import Lang, LangOption

# Codes inside a help text: `marked` spans, options, $VARIABLES and UPPER placeholders, paths and
# URLs, file names and extensions. In Arabic they are isolated left to right (so that bidi keeps
# `--model compromise,median` in one piece); everything else is prose and must be Arabic.
CODE = re.compile(
    r"`[^`]+`|--?[A-Za-z][\w-]*|\$?\b[A-Z][A-Z0-9_]+\b"
    r"|[A-Za-z0-9_:.*@+…-]*/[A-Za-z0-9_:.*@+…/-]*[A-Za-z0-9_*…]"
    r"|[A-Za-z0-9_*-]*\.[A-Za-z][A-Za-z0-9]*(?:/\.[A-Za-z]+)?"
)
LRI, PDI = "\u2066", "\u2069"


def _lang() -> str:
    from qimma.cli.common import state

    return state["lang"]


def help_key(ctx: Any) -> str:
    """'qimma', 'forecast', 'log.add': a command's place in the `help` section."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name)
        ctx = ctx.parent
    return ".".join(reversed(names)) or "qimma"


def help_text(key: str, lang: str, fallback: str | None = None) -> str:
    """The table's text for `key` in `lang`, codes isolated in Arabic ('' when there is none)."""
    words = i18n.table(lang)["help"]
    text = words.get(key, fallback or "")
    if lang == "ar":
        return CODE.sub(lambda m: LRI + m[0].strip("`") + PDI, text)
    return text.replace("`", "")


def param_help(key: str, param: Any, lang: str) -> str:
    """An option's or argument's text: its own key under the command, else the shared one."""
    words = i18n.table(lang)["help"]
    own = f"{key}.{param.name}"
    return help_text(own if own in words else f"all.{param.name}", lang, param.help)


def _type_word(param: Any, ctx: Any, lang: str) -> str:
    if getattr(param, "is_flag", False):
        return ""
    shown = param.display_type(ctx)[1:-1]
    if "|" in shown:  # choices: codes the user types
        return f"<{LRI}{shown}{PDI}>" if lang == "ar" else f"<{shown}>"
    more = shown.startswith("list[") or getattr(param, "nargs", 1) == -1
    kind = shown.removeprefix("list[").removesuffix("]").removesuffix(" range").lower()
    word = i18n.table(lang)["helpfmt"].get(f"type_{kind}", kind)
    lo, hi = getattr(param, "min", None), getattr(param, "max", None)
    bounds = (
        f" {'' if lo is None else lo}–{'' if hi is None else hi}"
        if (lo, hi) != (None, None)
        else ""
    )
    return f"<{word}>" + ("..." if more else "") + bounds


def _default(param: Any) -> str:
    value = param.default
    if getattr(param, "is_flag", False):
        if not param.secondary_opts:
            return ""
        return (param.opts if value else param.secondary_opts)[0]
    if value in (None, "", [], ()) or callable(value):
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    return str(value) if not isinstance(value, PurePath) else value.as_posix()


def _notes(param: Any, lang: str) -> str:
    w = i18n.words("helpfmt", lang)
    notes = []
    if param.required:
        notes.append(w["required"])
    if getattr(param, "multiple", False):
        notes.append(w["repeat"])
    if default := _default(param):
        code = f"{LRI}{default}{PDI}" if lang == "ar" else default
        notes.append(w["default"].format(value=code))
    if isinstance(getattr(param, "envvar", None), str):
        code = f"{LRI}{param.envvar}{PDI}" if lang == "ar" else param.envvar
        notes.append(w["env"].format(name=code))
    return f" [{i18n.t('common.list_sep', lang).join(notes)}]" if notes else ""


def _name(param: Any) -> str:
    if isinstance(param, TyperArgument):
        return param.name.upper() + ("..." if param.nargs == -1 else "")
    return ", ".join([*param.opts, *param.secondary_opts])


def _rows(cmd: Any, ctx: Any, key: str, lang: str, arguments: bool) -> list[Any]:
    """One entry per argument or option: its name and kind, then its text indented below."""
    rows = []
    for p in cmd.get_params(ctx):
        if getattr(p, "hidden", False) or isinstance(p, TyperArgument) != arguments:
            continue
        own = i18n.t("helpfmt.help_option", lang) if p.name == "help" else None
        text = own or param_help(key, p, lang)
        head = Text("  ")
        head.append(_name(p), style="bold cyan")
        if kind := _type_word(p, ctx, lang):
            head.append(f"  {kind}", style="yellow")
        rows += [head, text + _notes(p, lang)]
    return rows


def _usage(cmd: Any, ctx: Any, lang: str) -> str:
    w = i18n.words("helpfmt", lang)
    pieces = [ctx.command_path, w["options_metavar"]]
    for p in cmd.params:
        if isinstance(p, TyperArgument):
            name = _name(p)
            pieces.append(name if p.required else f"[{name}]")
    if isinstance(cmd, TyperGroup):
        pieces.append(w["command_metavar"])
    return f"{w['usage']}: " + " ".join(pieces)


def _examples(cmd: Any) -> list[str]:
    """The command lines of the command's docstring (the same in every language)."""
    return [ln.strip() for ln in (cmd.help or "").splitlines() if ln.strip().startswith("qimma ")]


def render_help(cmd: Any, ctx: Any, lang: str) -> None:
    """Print `cmd`'s help: usage, description, examples, arguments, options, subcommands."""
    from qimma.cli.common import console as out

    w = i18n.words("helpfmt", lang)
    key = help_key(ctx)
    out.print(Text(_usage(cmd, ctx, lang), style="bold"))
    for para in help_text(key, lang).split("\n\n"):
        out.print()
        out.print(Text(para))
    if examples := _examples(cmd):
        out.print()
        out.print(Text(f"{w['examples']}:", style="bold"))
        for line in examples:
            out.print(Text(f"  {line}"), soft_wrap=True)
    for arguments, title in ((True, w["arguments"]), (False, w["options"])):
        if rows := _rows(cmd, ctx, key, lang, arguments):
            out.print()
            out.print(Text(f"{title}:", style="bold"))
            for head, text in zip(rows[::2], rows[1::2], strict=True):
                out.print(head)
                indent = " " * 6
                wrapped = textwrap.fill(
                    text, max(out.width - 1, 40), initial_indent=indent, subsequent_indent=indent
                )
                out.print(Text(wrapped), soft_wrap=True)
    if isinstance(cmd, TyperGroup):
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold cyan")
        grid.add_column(ratio=1)
        for name in cmd.list_commands(ctx):
            sub = name if key == "qimma" else f"{key}.{name}"
            grid.add_row(f"  {name}", help_text(sub, lang).split("\n\n")[0])
        out.print()
        out.print(Text(f"{w['commands']}:", style="bold"))
        out.print(grid)


class QimmaCommand(TyperCommand):
    """A typer command whose help comes from the word table, in the user's language."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        render_help(self, ctx, _lang())


class QimmaGroup(TyperGroup):
    """A typer group whose help comes from the word table, in the user's language."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        render_help(self, ctx, _lang())


def group_lang(ctx: typer.Context, lang: Lang = LangOption) -> None:
    """`--lang` given to a group (`qimma --lang ar --help`, `qimma log --lang ar add ...`): its
    help in that language, and the default of its subcommands' own `--lang`."""
    names = getattr(ctx.command, "commands", {})
    ctx.default_map = {**(ctx.default_map or {}), **{n: {"lang": lang.value} for n in names}}


def use_table_help(app: typer.Typer) -> typer.Typer:
    """Make every command and group of `app` render its help with `render_help`; every group
    without its own callback takes `--lang` (`group_lang`)."""
    app.info.cls = QimmaGroup
    for command in app.registered_commands:
        command.cls = QimmaCommand
    for group in app.registered_groups:
        sub = group.typer_instance
        if sub is not None:
            if sub.registered_callback is None:
                sub.callback()(group_lang)
            use_table_help(sub)
    return app
