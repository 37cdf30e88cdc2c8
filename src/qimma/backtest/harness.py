"""Run every model and baseline on DEU III and score them: scenario arrays → models → scores.

Models come from `qimma.models.registry` (whatever it lists today). Models that need several issues
at once (`min_issues > 1`, and always `exchange`) run once per proposal (`prnr`) across that
proposal's issues; the others run once on all issues. Names the issue tracker expects but the
registry does not list are reported as "not available". The ensemble is the unweighted mean of the
models that ran, as in `qimma forecast`. Baselines: the reference point (`rp`, status quo) and the
Commission's position.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qimma.backtest.arrays import deu3_arrays
from qimma.backtest.calibration import LevelCoverage, reliability
from qimma.backtest.capabilities import Capability
from qimma.backtest.deu3 import ACTORS, Deu3
from qimma.backtest.metrics import METRICS, Estimate, bootstrap_metrics, cluster_weights
from qimma.backtest.split import Split
from qimma.errors import NotFoundError, QimmaError
from qimma.forecast import ENSEMBLE
from qimma.models.registry import MODELS, get_model
from qimma.scenario.arrays import FloatArray, ScenarioArrays

# The models the project plans (issue 4); those not registered yet are reported "not available".
PER_PROPOSAL = frozenset({"exchange"})
BASELINES = ("reference_point", "commission")
REFERENCE_MODEL = "compromise"
BOOT_SEED = 20261125
N_BOOT = 2000


@dataclass
class ModelScore:
    name: str
    kind: str  # model | ensemble | baseline
    status: str  # ok | not available | failed: ...
    n: int = 0
    metrics: dict[str, Estimate] = field(default_factory=dict)
    vs_reference: dict[str, Estimate] | None = None
    seconds: float = 0.0


@dataclass
class Backtest:
    data: Deu3
    capability: str
    split: Split
    issues: list[int]  # indices into data.issues that were scored
    predictions: dict[str, FloatArray]  # name -> (n,) aligned with `issues`, NaN = no forecast
    notes: dict[str, str]  # name -> why not available / failed
    kinds: dict[str, str]
    seconds: dict[str, float]
    n_boot: int
    boot_seed: int
    scores: dict[str, list[ModelScore]] = field(default_factory=dict)  # "all" / "test"
    calibration: dict[str, list[LevelCoverage]] = field(default_factory=dict)

    @property
    def outcome(self) -> FloatArray:
        return self.data.outcome[self.issues]

    def issue_ids(self) -> list[str]:
        return [self.data.issues[i].isnr for i in self.issues]

    def test_mask(self) -> np.ndarray:
        return np.array([self.split.is_test(s) for s in self.issue_ids()], dtype=bool)

    def columns(self) -> list[str]:
        return list(self.kinds)

    def to_json(self) -> dict[str, Any]:
        skipped = self.data.skipped()
        return {
            "benchmark": "deu3",
            "source": "DEU III, Arregui & Perarnaud (2021), doi:10.34810/data53, CC BY 4.0",
            "issues_in_file": self.data.n_issues,
            "issues_scored": len(self.issues),
            "issues_skipped_no_outcome": len(skipped),
            "skipped": skipped,
            "capability": self.capability,
            "split": {
                "seed": self.split.seed,
                "preregistered": self.split.preregistered,
                "test_issues_scored": int(self.test_mask().sum()),
            },
            "bootstrap": {"replicates": self.n_boot, "seed": self.boot_seed, "unit": "proposal"},
            "scores": {
                subset: [
                    {
                        "model": s.name,
                        "kind": s.kind,
                        "status": s.status,
                        "n": s.n,
                        "seconds": round(s.seconds, 4),
                        "metrics": {m: e.as_dict() for m, e in s.metrics.items()},
                        f"minus_{REFERENCE_MODEL}": None
                        if s.vs_reference is None
                        else {m: e.as_dict() for m, e in s.vs_reference.items()},
                    }
                    for s in rows
                ]
                for subset, rows in self.scores.items()
            },
            "calibration": {
                name: [
                    {
                        "level": c.level,
                        "coverage": c.coverage,
                        "lo_offset": c.lo_offset,
                        "hi_offset": c.hi_offset,
                        "mean_width": c.mean_width,
                        "n_test": c.n_test,
                    }
                    for c in rows
                ]
                for name, rows in self.calibration.items()
            },
            "predictions": self.prediction_rows(),
        }

    def prediction_rows(self) -> list[dict[str, Any]]:
        rows = []
        test = self.test_mask()
        for k, i in enumerate(self.issues):
            iss = self.data.issues[i]
            y = float(self.data.outcome[i])
            for name in self.columns():
                p = float(self.predictions[name][k])
                ok = not np.isnan(p)
                rows.append(
                    {
                        "issue": iss.isnr,
                        "proposal": iss.prnr,
                        "set": "test" if test[k] else "train",
                        "model": name,
                        "prediction": p if ok else None,
                        "outcome": y,
                        "error": p - y if ok else None,
                    }
                )
        return rows


def resolve_models(names: list[str] | None) -> tuple[list[str], dict[str, str]]:
    """The registered models to run (default: all), and notes on models not run (none today:
    every model named is registered or an error)."""
    wanted = list(MODELS) if names is None else names
    run: list[str] = []
    for n in wanted:
        if n in MODELS:
            run.append(n)
        elif n in (*BASELINES, ENSEMBLE):
            continue
        else:
            get_model(n)  # raises NotFoundError with the list of known models
            raise NotFoundError.single(f"unknown model '{n}'", f"نموذج غير معروف '{n}'")
    return run, {}


def proposal_groups(data: Deu3, issues: list[int]) -> list[list[int]]:
    """Positions (within `issues`) grouped by proposal, in file order."""
    groups: dict[str, list[int]] = {}
    for k, i in enumerate(issues):
        groups.setdefault(data.issues[i].prnr, []).append(k)
    return list(groups.values())


def run_model(
    name: str,
    arrays: ScenarioArrays,
    groups: list[list[int]],
    done: Callable[[int], None] | None = None,
) -> FloatArray:
    """One model's forecast per issue (NaN where it cannot run, e.g. too few issues);
    `done(k)` is told of each k proposals finished."""
    model = get_model(name)
    if name in PER_PROPOSAL or model.min_issues > 1:
        pred = np.full(arrays.n_issues, np.nan)
        for g in groups:
            if len(g) >= model.min_issues:
                pred[g] = model.run(arrays.select_issues(g)).outcome[0]
            if done is not None:
                done(1)
        return pred
    out = np.asarray(model.run(arrays).outcome[0], dtype=float)
    if done is not None:
        done(len(groups))
    return out


def run_backtest(
    data: Deu3,
    split: Split,
    models: list[str] | None = None,
    capability: Capability = "votes",
    limit: int | None = None,
    n_boot: int = N_BOOT,
    boot_seed: int = BOOT_SEED,
    progress: Callable[[int, int], None] | None = None,
) -> Backtest:
    """Run and score the models; `progress(done, total)` counts model runs over proposals."""
    issues = data.scored()
    if limit is not None:
        issues = issues[:limit]
    # models see every issue of the proposals being scored, including issues without a valid
    # outcome: those were negotiated too, and multi-issue models trade across them
    proposals = {data.issues[i].prnr for i in issues}
    run_on = [k for k, iss in enumerate(data.issues) if iss.prnr in proposals]
    where = {i: k for k, i in enumerate(run_on)}
    scored_pos = [where[i] for i in issues]
    arrays = deu3_arrays(data, run_on, capability)
    groups = proposal_groups(data, run_on)
    names, notes = resolve_models(models)
    preds: dict[str, FloatArray] = {}
    kinds: dict[str, str] = {}
    secs: dict[str, float] = {}
    total, finished = len(names) * len(groups), [0]

    def done(k: int) -> None:
        finished[0] += k
        if progress is not None:
            progress(finished[0], total)

    for j, name in enumerate(names):
        t0 = time.perf_counter()
        finished[0] = j * len(groups)
        try:
            preds[name] = run_model(name, arrays, groups, done)[scored_pos]
            kinds[name] = "model"
        except QimmaError as e:
            notes[name] = f"failed: {e.render('en')}"
        except Exception as e:  # a colleague's model crashing on real data is a finding to report
            notes[name] = f"failed: {type(e).__name__}: {e}"
        secs[name] = time.perf_counter() - t0
    ran = [n for n in names if n in preds]
    if len(ran) > 1:
        with np.errstate(invalid="ignore"):
            preds[ENSEMBLE] = np.nanmean(np.vstack([preds[n] for n in ran]), axis=0)
        kinds[ENSEMBLE] = "ensemble"
    preds["reference_point"] = data.reference[issues].astype(float)
    com = ACTORS.index("com")
    preds["commission"] = data.positions[com, issues].astype(float)
    for b in BASELINES:
        kinds[b] = "baseline"
    bt = Backtest(data, capability, split, issues, preds, notes, kinds, secs, n_boot, boot_seed)
    score(bt)
    return bt


def _score_subset(bt: Backtest, mask: np.ndarray) -> list[ModelScore]:
    y = bt.outcome[mask]
    clusters = [bt.data.issues[i].prnr for i, m in zip(bt.issues, mask, strict=True) if m]
    weights = cluster_weights(clusters, bt.n_boot, bt.boot_seed)
    ref = bt.predictions.get(REFERENCE_MODEL)
    rows: list[ModelScore] = []
    for name, kind in bt.kinds.items():
        p = bt.predictions[name][mask]
        paired = None if ref is None or name == REFERENCE_MODEL else ref[mask]
        metrics, diff = bootstrap_metrics(p, y, weights, paired)
        n = int((~np.isnan(p)).sum())
        rows.append(ModelScore(name, kind, "ok", n, metrics, diff, bt.seconds.get(name, 0.0)))
    for name, why in bt.notes.items():
        rows.append(ModelScore(name, "model", why, seconds=bt.seconds.get(name, 0.0)))
    return rows


def score(bt: Backtest) -> None:
    """Fill `bt.scores` (all scored issues, and the test set) and `bt.calibration` (on test)."""
    test = bt.test_mask()
    bt.scores["all"] = _score_subset(bt, np.ones(len(bt.issues), dtype=bool))
    if test.any():
        bt.scores["test"] = _score_subset(bt, test)
    train = ~test
    if test.any() and train.any():
        y = bt.outcome
        for name, kind in bt.kinds.items():
            if kind == "baseline":
                continue
            p = bt.predictions[name]
            bt.calibration[name] = reliability(p[train], y[train], p[test], y[test])


__all__ = ["METRICS", "Backtest", "ModelScore", "run_backtest"]
