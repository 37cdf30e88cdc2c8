"""Progress of a run in its real unit of work (models, draws, samples), with an estimate of the
time left. The pipeline reports; the command line draws a bar, the web app stores it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressEvent:
    stage: str  # forecast | montecarlo | whatif | sensitivity | signposts | backtest | done
    done: int  # units of this stage done
    total: int  # units of this stage (0 when unknown)
    unit: str  # models | draws | samples | steps
    fraction: float  # of the whole run, 0..1
    eta: float | None  # seconds left for the whole run; None until it can be estimated

    def note(self) -> str:
        """'draws 400/2000': the stage's unit and count (what the web page shows)."""
        return f"{self.unit} {self.done}/{self.total}" if self.total else self.stage


ProgressFn = Callable[[ProgressEvent], None]


class Tracker:
    """Maps each stage's units onto the run's fraction: stages are given weights up front."""

    def __init__(self, weights: dict[str, float], sink: ProgressFn | None) -> None:
        total = sum(weights.values()) or 1.0
        self.start: dict[str, float] = {}
        acc = 0.0
        for stage, w in weights.items():
            self.start[stage] = acc / total
            acc += w
        self.share = {s: w / total for s, w in weights.items()}
        self.sink = sink
        self.t0 = time.monotonic()

    def report(self, stage: str, done: int, total: int, unit: str) -> None:
        if self.sink is None:
            return
        part = min(1.0, done / total) if total else 0.0
        frac = min(1.0, self.start.get(stage, 0.0) + self.share.get(stage, 0.0) * part)
        elapsed = time.monotonic() - self.t0
        eta = elapsed * (1 - frac) / frac if frac > 0.01 else None
        self.sink(ProgressEvent(stage, done, total, unit, frac, eta))

    def counter(self, stage: str, total: int, unit: str, per_tick: float) -> Callable[[int], None]:
        """A qimma.analysis progress callback (called with chunks finished) for `stage`."""
        ticks = [0]

        def tick(n: int) -> None:
            ticks[0] += n
            self.report(stage, min(total, round(ticks[0] * per_tick)), total, unit)

        self.report(stage, 0, total, unit)
        return tick

    def done(self) -> None:
        if self.sink is not None:
            self.sink(ProgressEvent("done", 1, 1, "steps", 1.0, 0.0))
