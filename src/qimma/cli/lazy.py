"""Commands loaded when they run: `qimma forecast` imports the forecast command and what it needs,
not the web app, the PDF writer or the store of every other command (#15: the first output within
2 s).

A command is named by where it lives ("qimma.cli.forecast_cmd:forecast", a function or a Typer
sub-app) and its one-line help, which `qimma --help` lists without importing anything
(tests/test_cli_lazy.py checks that each line is the command's own first help paragraph)."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, ClassVar

import typer
import typer.main
from typer.core import TyperGroup


@dataclass(frozen=True)
class LazyCommand:
    target: str  # "package.module:attribute": a command function or a typer.Typer sub-app
    short_help: str  # the first paragraph of its help, as `qimma --help` lists it
    # modules the command imports only when it runs (not for its --help: `report --help` without
    # Plotly, Matplotlib and WeasyPrint), loaded while the command says it is loading
    preload: tuple[str, ...] = ()


HELP_FLAGS = ("--help",)


def preload(spec: LazyCommand, args: list[str]) -> None:
    """Import the modules `spec` runs with, unless `args` only ask for its help."""
    if any(a in HELP_FLAGS for a in args):
        return
    for module in spec.preload:
        importlib.import_module(module)


def load(name: str, spec: LazyCommand) -> Any:
    """The click command of `spec`, importing its module (and what that module imports)."""
    from qimma.cli.help import QimmaCommand, group_lang, use_table_help

    module, attr = spec.target.split(":")
    obj = getattr(importlib.import_module(module), attr)
    if isinstance(obj, typer.Typer):
        if obj.registered_callback is None:  # `qimma log --lang ar --help`, as add_typer did
            obj.callback()(group_lang)
        use_table_help(obj)  # its help and its subcommands' from the word table
        group = typer.main.get_group(obj)  # as add_typer would: no completion options
        group.name = name
        return group
    single = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    single.command(name=name, cls=QimmaCommand)(obj)
    return typer.main.get_command(single)


class LazyCommands(Mapping[str, Any]):
    """Command name -> click command, each built on first access."""

    def __init__(self, specs: dict[str, LazyCommand]) -> None:
        self.specs = specs
        self.loaded: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self.loaded:
            self.loaded[name] = load(name, self.specs[name])
        return self.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.specs)

    def __len__(self) -> int:
        return len(self.specs)

    def __contains__(self, name: object) -> bool:
        return name in self.specs


class _Listed(typer.core.TyperCommand):
    """A command as the group's help lists it: its name and one line, nothing imported."""


class LazyGroup(TyperGroup):
    """A typer group whose commands come from `COMMANDS` (set by the subclass) on first use."""

    COMMANDS: ClassVar[dict[str, LazyCommand]] = {}

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = LazyCommands(self.COMMANDS)  # type: ignore[assignment]
        self._listing = False

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.COMMANDS:
            return None
        if self._listing and cmd_name not in self.commands.loaded:  # type: ignore[attr-defined]
            return _Listed(name=cmd_name, short_help=self.COMMANDS[cmd_name].short_help)
        return self.commands[cmd_name]

    def loading(self, name: str, args: list[str]) -> AbstractContextManager[Any]:
        """What is shown while command `name` (with its arguments `args`) is imported: nothing
        here; a subclass says it on a terminal."""
        return nullcontext()

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        if name in self.COMMANDS and name not in self.commands.loaded:  # type: ignore[attr-defined]
            with self.loading(name, args[1:]):
                found = super().resolve_command(ctx, args)
                preload(self.COMMANDS[name], args[1:])
                return found
        return super().resolve_command(ctx, args)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False
