"""The DEU III backtest as a summary for a run: computed by qimma.backtest.harness, cached per
model code (it does not depend on the scenario), so that a run does not recompute 364 EU issues
every time."""

from __future__ import annotations

import hashlib
import inspect
import json
import os
from pathlib import Path
from typing import Any

from qimma import __version__
from qimma.models.registry import MODELS


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
