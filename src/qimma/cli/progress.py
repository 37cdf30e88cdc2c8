"""A progress bar with ETA on standard error, counting the real unit of work (proposals,
documents); silent when the output is for a program (--json) or not a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from qimma.cli.common import err_console

Tick = Callable[[int, int], None]  # (done, total): absolute counts


@contextmanager
def unit_progress(label: str, unit: str, enabled: bool = True) -> Iterator[Tick | None]:
    """Yields a `tick(done, total)` callback, or None when quiet (not a terminal, or off)."""
    if not (enabled and err_console.is_terminal):
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    ) as prog:
        task = prog.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            prog.update(task, completed=done, total=total)

        yield tick
