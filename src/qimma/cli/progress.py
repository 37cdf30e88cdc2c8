"""A progress bar with ETA on standard error, counting the real unit of work (proposals,
documents); silent when the output is for a program (--json) or not a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from qimma.cli.common import err_console, show_progress

if TYPE_CHECKING:
    from qimma.app.progress import ProgressEvent, ProgressFn

Tick = Callable[[int, int], None]  # (done, total): absolute counts


def _bar(*count: ProgressColumn) -> Progress:
    """The one look of qimma's progress bars on stderr: what is done, the bar, the count
    (`count` columns), time elapsed and the time left; gone when finished."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        *count,
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
    )


@contextmanager
def unit_progress(label: str, unit: str, enabled: bool = True) -> Iterator[Tick | None]:
    """Yields a `tick(done, total)` callback, or None when quiet (not a terminal, or off)."""
    if not show_progress(not enabled):
        yield None
        return
    with _bar(MofNCompleteColumn(), TextColumn(unit)) as prog:
        task = prog.add_task(label, total=None)

        def tick(done: int, total: int) -> None:
            prog.update(task, completed=done, total=total)

        yield tick


@contextmanager
def stage_progress(
    labels: dict[str, str], units: dict[str, str], enabled: bool
) -> Iterator[ProgressFn | None]:
    """A rich progress bar on stderr, drawn from the pipeline's progress events: the stage in
    the user's words, units done of the stage's total (draws, samples), and the time left.
    `labels` maps a stage to its words, `units` a unit of work to its words. Off (None): no
    callback at all."""
    if not enabled:
        yield None
        return
    with _bar(TextColumn("{task.completed:,.0f}/{task.total:,.0f} {task.fields[unit]}")) as prog:
        tasks: dict[str, Any] = {}

        def show(ev: ProgressEvent) -> None:
            if ev.stage == "done":
                return
            if ev.stage not in tasks:
                label = labels.get(ev.stage, ev.stage)
                unit = units.get(ev.unit, ev.unit)
                tasks[ev.stage] = prog.add_task(label, total=ev.total or 1, unit=unit)
            prog.update(tasks[ev.stage], completed=ev.done, total=ev.total or 1)

        yield show
