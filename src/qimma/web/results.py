"""A finished run's results for its page, charts and downloads, without running a model again.

A run stores the scenario it started on and the application layer's result as JSON;
:func:`run_result_of` rebuilds the RunResult from them, so the report functions (qimma.report)
draw exactly what the run computed. Runs never change once done, so charts are cached by
(run, chart, lang).
"""

from __future__ import annotations

import tempfile
from collections import OrderedDict
from pathlib import Path
from threading import Lock
from typing import Any

from qimma.app.result import RunResult, forecast_of
from qimma.forecast import ENSEMBLE
from qimma.models.registry import get_model
from qimma.scenario.arrays import to_arrays
from qimma.scenario.model import Scenario

_CACHE_SIZE = 64
_png_cache: OrderedDict[tuple[int, str, str], bytes] = OrderedDict()
_lock = Lock()
_draw_lock = Lock()  # pyplot keeps global state: one chart at a time


def run_result_of(scenario: Scenario, result: dict[str, Any]) -> RunResult:
    """The application layer's result a run stored (a run from before the application layer
    stored no request: it is read with the defaults)."""
    return RunResult.from_json(result, scenario)


def png_chart_ids(result: dict[str, Any]) -> list[str]:
    """The report's static charts a run has: model spread, salience, one per dynamic model."""
    if result.get("kind") == "whatif" or not result.get("forecasts"):
        return []  # a what-if has its own tables, not the forecast's charts
    dynamic = sorted(
        {
            r["model"]
            for r in result.get("forecasts", [])
            if r["model"] != ENSEMBLE and len(r.get("trajectory") or []) > 1
        }
    )
    return ["models", "salience", *(f"rounds-{m}" for m in dynamic)]


def png_chart(
    run_pk: int, scenario: Scenario, result: dict[str, Any], cid: str, lang: str
) -> bytes:
    """One of the report's static charts (qimma.report.charts) as PNG bytes; KeyError if none."""
    key = (run_pk, cid, lang)
    with _lock:
        if key in _png_cache:
            _png_cache.move_to_end(key)
            return _png_cache[key]
    if cid not in png_chart_ids(result):
        raise KeyError(cid)
    from qimma.report import charts  # matplotlib: imported only when a chart is drawn

    fc = forecast_of(scenario, result)
    with _draw_lock, tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chart.png"
        if cid == "models":
            charts.model_spread_chart(fc, lang, path)
        elif cid == "salience":
            charts.salience_heatmap(fc, lang, path)
        else:
            # the stored JSON keeps outcomes by round, not every actor's position: run the
            # (deterministic) model again on the run's own scenario to draw the actors' paths
            model = get_model(cid.removeprefix("rounds-"))
            rerun = model.run(to_arrays(scenario))
            charts.position_trajectories_chart(scenario, rerun, lang, path)
        data = path.read_bytes()
    with _lock:
        _png_cache[key] = data
        while len(_png_cache) > _CACHE_SIZE:
            _png_cache.popitem(last=False)
    return data
