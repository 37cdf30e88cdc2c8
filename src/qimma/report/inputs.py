"""Everything a report shows beyond the point forecast, computed once for both languages.

The Monte Carlo, sensitivity and signposts come from `qimma.analysis` and the backtest from
`qimma.backtest`. An engine that is not installed in this version of qimma leaves its field None,
and the report says "not available" there: no section is ever filled with made-up numbers.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from qimma import __version__
from qimma.forecast import Forecast
from qimma.models.registry import MODELS

DEFAULT_DRAWS = 1000
DEFAULT_MORRIS_TRAJECTORIES = 10
SIGNPOST_DRAWS = 300


def analysis_available() -> bool:
    """True once the uncertainty engine (`qimma.analysis.montecarlo`) is part of qimma."""
    try:
        return importlib.util.find_spec("qimma.analysis.montecarlo") is not None
    except ModuleNotFoundError:
        return False


@dataclass
class ReportInputs:
    """Language-independent results the report draws from; None = engine not available."""

    draws: int = 0
    seed: int = 0
    monte_carlo: Any = None  # qimma.analysis.montecarlo.MonteCarloResult
    probabilities: list[Any] | None = None  # [qimma.analysis.outcomes.OutcomeProbability]
    sensitivity: Any = None  # qimma.analysis.sensitivity.SensitivityResult
    signposts: list[Any] | None = None  # [qimma.analysis.signposts.Signpost]
    backtest: dict[str, Any] | None = None  # see backtest_summary
    drift: Any = None  # qimma.analysis.drift.Drift between the oldest and newest editions
    events: list[Any] | None = None  # [qimma.analysis.signpost_events.EventEffect]
    notes: dict[str, str] = field(default_factory=dict)  # section -> why it is empty


def static_models(names: list[str]) -> list[str]:
    """The non-iterating models among `names` (the sensitivity inner loop; as `qimma
    sensitivity` does), or all of them when none is static."""
    static = [n for n in names if n in MODELS and not MODELS[n].dynamic]
    return static or names


def gather(
    fc: Forecast,
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = 0,
    morris_trajectories: int = DEFAULT_MORRIS_TRAJECTORIES,
    backtest: bool = True,
) -> ReportInputs:
    """Run the Monte Carlo, sensitivity, signposts and backtest that the report needs."""
    inp = ReportInputs(draws=draws, seed=seed)
    models = list(fc.results)
    if analysis_available() and draws > 0:
        from qimma.analysis.montecarlo import run_monte_carlo

        inp.monte_carlo = run_monte_carlo(fc.scenario, models, draws=draws, seed=seed)
        inp.probabilities = inp.monte_carlo.outcome_probabilities() if fc.scenario.outcomes else []
        if morris_trajectories > 0:
            _sensitivity(fc, inp, static_models(models), morris_trajectories)
        _editions_and_events(fc, inp, static_models(models))
    if backtest:
        inp.backtest = backtest_summary(models)
    return inp


def _editions_and_events(fc: Forecast, inp: ReportInputs, models: list[str]) -> None:
    from qimma.analysis.drift import drift
    from qimma.analysis.signpost_events import event_signposts
    from qimma.scenario.editions import ordered_editions

    scn = fc.scenario
    n = min(SIGNPOST_DRAWS, max(inp.draws, 1))
    eds = ordered_editions(scn)
    if len(eds) >= 2:
        inp.drift = drift(scn, eds[0].id, eds[-1].id, models, draws=n, seed=inp.seed)
    if scn.signposts:
        inp.events = event_signposts(scn, models, draws=n, seed=inp.seed)


def _sensitivity(fc: Forecast, inp: ReportInputs, models: list[str], n: int) -> None:
    from qimma.analysis.sensitivity import run_sensitivity
    from qimma.analysis.signposts import find_signposts
    from qimma.errors import QimmaError

    try:
        # Morris screening: r·(K + 1) evaluations, seconds even for hundreds of inputs
        inp.sensitivity = run_sensitivity(fc.scenario, models, method="morris", n=n, seed=inp.seed)
    except QimmaError as e:  # e.g. no stance has a range: nothing is uncertain
        inp.notes["sensitivity"] = str(e)
        return
    if fc.scenario.outcomes:
        inp.signposts = find_signposts(
            fc.scenario,
            models,
            draws=min(SIGNPOST_DRAWS, max(inp.draws, 1)),
            seed=inp.seed,
            sensitivity=inp.sensitivity,
        )


# ---------------------------------------------------------------------------------------------
# DEU III backtest: computed by qimma.backtest, cached per model code (it does not depend on the
# scenario), so that a report does not recompute 364 EU issues every time.


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qimma"


def _backtest_key(models: list[str]) -> str:
    h = hashlib.sha256(__version__.encode())
    import qimma.backtest.harness as harness

    files = {inspect.getsourcefile(harness)}
    files.update(inspect.getsourcefile(MODELS[m]) for m in models if m in MODELS)
    for f in sorted(str(x) for x in files if x):
        h.update(f.encode())
        h.update(Path(f).read_bytes())
    h.update(",".join(models).encode())
    return h.hexdigest()[:16]


def backtest_summary(models: list[str], *, use_cache: bool = True) -> dict[str, Any]:
    """Scores of each model, the ensemble and the baselines on DEU III (`qimma backtest deu3`
    with its defaults), as plain data: {"header": {...}, "scores": {"all"|"test": [rows]}}."""
    from qimma.backtest.deu3 import load_deu3
    from qimma.backtest.harness import run_backtest
    from qimma.backtest.report import clean_json
    from qimma.backtest.split import get_split

    key = _backtest_key(models)
    path = _cache_dir() / f"backtest-deu3-{key}.json"
    if use_cache and path.is_file():
        try:
            cached: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return cached
        except (OSError, ValueError):
            pass  # a damaged cache is recomputed
    data = load_deu3()
    bt = run_backtest(data, get_split(data), models)
    full = bt.to_json()
    summary: dict[str, Any] = {
        "source": full["source"],
        "issues_scored": full["issues_scored"],
        "test_issues": full["split"]["test_issues_scored"],
        "split_seed": full["split"]["seed"],
        "preregistered": full["split"]["preregistered"],
        "capability": full["capability"],
        "bootstrap": full["bootstrap"],
        "scores": clean_json(
            {
                subset: [
                    {k: r[k] for k in ("model", "kind", "status", "n", "metrics")} for r in rows
                ]
                for subset, rows in full["scores"].items()
            }
        ),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(summary), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # no writable cache: computed again next time
    return summary


def most_capable_actor(fc: Forecast) -> int:
    """Index of the actor with the largest total capability over the issues it takes part in."""
    arr = fc.arrays
    total = np.where(arr.present, arr.capabilities[0], 0.0).sum(axis=1)
    return int(np.argmax(total))
