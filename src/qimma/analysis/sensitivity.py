"""Global sensitivity: which uncertain inputs drive each issue outcome and each named outcome.

Inputs are the stance values with a real range (low < high) and the outside options with one (a
veto player's expected no-deal terms and its cost of no deal, analysis/deal.py; a value written
without a range gets the default range there, basis "assumption"). SALib designs the sample in
the unit hypercube of their uniforms; each row goes through the same inverse CDFs as the Monte
Carlo (sampling.values_from_uniforms for the stances, deal.deal_values for the outside options),
so the indices are those of the inputs *as distributed* in the Monte Carlo (Sobol indices do not
change under a monotone transformation of one input).

Outputs, per design row: each issue's ensemble outcome (the mean over models), and for each named
outcome the share of models in which it holds (0, 1/M, ..., 1).

* Sobol (Saltelli 2002; Saltelli et al. 2010, estimators as in SALib.analyze.sobol): first-order
  S1 and total ST, N·(K + 2) model evaluations for K inputs (no second-order terms).
* Morris elementary effects (Morris 1991; Campolongo et al. 2007 mu*): r·(K + 1) evaluations; the
  screening method for large scenarios, chosen automatically when Sobol would need more than
  SOBOL_BUDGET evaluations.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np

from qimma import i18n
from qimma.analysis.deal import DrawContext, draw_context
from qimma.analysis.evaluate import UChunk, evaluate_uniforms, run_uchunk
from qimma.analysis.outcomes import indicators
from qimma.analysis.parallel import Progress, map_ordered
from qimma.analysis.sampling import Distribution, InputSpace, input_space
from qimma.errors import InputError
from qimma.limits import check_seed
from qimma.models.cost import estimate
from qimma.models.registry import (
    ModelRef,
    ensemble_mean,
    model_names,
    ref_name,
    runnable_models,
)
from qimma.scenario.arrays import FloatArray
from qimma.scenario.model import Scenario

SOBOL_BUDGET = 1_000_000
AUTO_SECONDS = 60.0  # what `auto` lets a sensitivity run take, by the cost model's estimate
MIN_MORRIS = 4
EVAL_CHUNK = 16_384  # design rows per model call: bounds memory (U alone is rows × 3 × stances)


def saltelli_rows(a: FloatArray, b: FloatArray) -> FloatArray:
    """Saltelli's design rows for base rows A and B (first-order and total indices only):
    for each base row, A, then A with column j taken from B for every j, then B — the layout
    of SALib.sample.sobol.sample(calc_second_order=False), built without a Python loop."""
    n, k = a.shape
    block = np.repeat(a[:, None, :], k + 2, axis=1)  # (n, k + 2, k)
    j = np.arange(k)
    block[:, 1 + j, j] = b[:, j]
    block[:, k + 1, :] = b
    return block.reshape(n * (k + 2), k)


@dataclass(frozen=True)
class InputInfo:
    column: int  # column of U
    field: str
    actor: str
    issue: str
    low: float
    point: float
    high: float
    basis: str
    track: str = ""  # the track of an outside-option input ("" for a stance)

    @property
    def id(self) -> str:
        if self.field == "outside_option":
            return f"{self.actor}.{self.field}[{self.track}:{self.issue}]"
        if self.field == "no_deal_cost":
            return f"{self.actor}.{self.field}[{self.track}]"
        return f"{self.actor}.{self.field}[{self.issue}]"

    @property
    def is_deal(self) -> bool:
        """An outside-option input: its column is one of the deal uniforms W, not of U."""
        return bool(self.track)

    def label(self, scenario: Scenario, lang: str) -> str:
        """'Russia · Territory · position'; 'Russia · no-deal terms (war) · Sanctions';
        'Russia · cost of no deal (war)' — in the user's language."""
        actor = scenario.actor(self.actor).name.get(lang)
        word = i18n.t(f"common.{self.field}", lang)
        if self.is_deal:
            tr = scenario.track(self.track)
            word = f"{word} ({tr.name.get(lang) if tr else self.track})"
        if not self.issue:
            return f"{actor} · {word}"
        issue = scenario.issue(self.issue).name.get(lang)
        return f"{actor} · {word} · {issue}" if self.is_deal else f"{actor} · {issue} · {word}"


@dataclass(frozen=True)
class Driver:
    """One of the top inputs of a named outcome: its index (ST or mu*) with its 95% confidence
    half-width from SALib's bootstrap, and the input's basis."""

    outcome: str
    rank: int
    input: InputInfo
    index: float
    conf: float

    def to_json(self) -> dict[str, Any]:
        x = self.input
        return {
            "outcome": self.outcome,
            "rank": self.rank,
            "input": x.id,
            "actor": x.actor,
            "field": x.field,
            "issue": x.issue,
            "track": x.track,
            "index": self.index,
            "conf": self.conf,
            "basis": x.basis or "assumption",
        }


def uncertain_inputs(scenario: Scenario, space: InputSpace) -> list[InputInfo]:
    """The stance inputs with a real range, in column order of U."""
    out = []
    for k in space.uncertain():
        f, a, i = space.input_index[k]
        out.append(
            InputInfo(
                k,
                f,
                space.actor_ids[a],
                space.issue_ids[i],
                float(space.low[f][a, i]),
                float(space.point[f][a, i]),
                float(space.high[f][a, i]),
                space.basis[a][i],
            )
        )
    return out


def deal_inputs(space: InputSpace) -> list[InputInfo]:
    """The outside-option inputs with a real range (DealSpace.uncertain), columns of W."""
    ds = space.deal
    if ds is None:
        return []
    out = []
    for f, t, a, i, col in ds.uncertain():
        arrs = ds.terms if i >= 0 else ds.cost
        at = (t, a, i) if i >= 0 else (t, a)
        out.append(
            InputInfo(
                col,
                f,
                space.actor_ids[a],
                space.issue_ids[i] if i >= 0 else "",
                float(arrs["low"][at]),
                float(arrs["point"][at]),
                float(arrs["high"][at]),
                ds.term_basis[t][a][i] if i >= 0 else ds.basis[t][a],
                ds.track_ids[t],
            )
        )
    return out


def sensitivity_inputs(scenario: Scenario, space: InputSpace) -> list[InputInfo]:
    """Every input of a sensitivity design: the stances, then the outside options."""
    return uncertain_inputs(scenario, space) + deal_inputs(space)


def outcome_shares(
    scenario: Scenario, outs: dict[str, FloatArray], ctx: DrawContext
) -> dict[str, FloatArray]:
    """Per row, the share of models in which each named outcome holds."""
    per_model = [indicators(scenario, v, ctx, m) for m, v in outs.items()]
    return {
        oc.id: np.mean([h[oc.id] for h in per_model], axis=0).astype(float)
        for oc in scenario.outcomes
    }


@dataclass(frozen=True)
class DesignChunk:
    """Rows of a sensitivity design in the unit hypercube of its inputs — Morris rows `x`, or the
    base rows `a`, `b` of a Saltelli design expanded where the chunk runs (the full design of a
    large scenario would take gigabytes) — evaluated through the models and the deal test."""

    scenario: Scenario
    space: InputSpace
    models: tuple[ModelRef, ...]
    dist: Distribution
    inputs: tuple[InputInfo, ...]
    x: FloatArray | None = None
    a: FloatArray | None = None
    b: FloatArray | None = None


def design_uniforms(
    space: InputSpace, inputs: Sequence[InputInfo], x: FloatArray
) -> tuple[FloatArray, FloatArray | None]:
    """The stance uniforms U and the outside-option uniforms W of design rows x (rows, K): each
    input's column from x, every other column at 0.5 (its range is a point, so any value)."""
    u = np.full((x.shape[0], space.n_inputs), 0.5)
    stance = [k for k, inp in enumerate(inputs) if not inp.is_deal]
    u[:, [inputs[k].column for k in stance]] = x[:, stance]
    if space.deal is None:
        return u, None
    w = np.full((x.shape[0], space.deal.n_inputs), 0.5)
    deal = [k for k, inp in enumerate(inputs) if inp.is_deal]
    w[:, [inputs[k].column for k in deal]] = x[:, deal]
    return u, w


def run_design_chunk(chunk: DesignChunk) -> dict[str, FloatArray]:
    """Per design row: each issue's ensemble outcome ("issue:ID") and each named outcome's share
    of models ("outcome:ID"), the deal test reading the row's own stances and outside options.
    Without the models' DEU III error (run_sensitivity says why)."""
    if chunk.x is not None:
        x = chunk.x
    else:
        assert chunk.a is not None and chunk.b is not None
        x = saltelli_rows(chunk.a, chunk.b)
    space = chunk.space
    u, w = design_uniforms(space, chunk.inputs, x)
    outs = evaluate_uniforms(space, u, chunk.models, chunk.dist)
    ens = ensemble_mean(list(outs.values()))
    ys = {f"issue:{iid}": ens[:, j] for j, iid in enumerate(space.issue_ids)}
    if chunk.scenario.outcomes:
        ctx = draw_context(space, 0, x.shape[0], chunk.dist, u=u, w=w, with_error=False)
        shares = outcome_shares(chunk.scenario, outs, ctx)
        ys.update({f"outcome:{oid}": v for oid, v in shares.items()})
    return ys


def evaluate_design(
    scenario: Scenario,
    space: InputSpace,
    u: FloatArray,
    models: Sequence[ModelRef],
    dist: Distribution,
    *,
    w: FloatArray | None = None,
    model_error: bool = True,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    progress: Progress | None = None,
) -> tuple[dict[str, FloatArray], FloatArray, dict[str, FloatArray]]:
    """Run the models on rows of stance uniforms U (rows, n_inputs), with outside options from
    W when given (else from the deal stream, as draw_context does).

    Returns (per-model outcomes (rows, I), ensemble (rows, I), named-outcome share of models
    per row)."""
    tasks = [
        UChunk(space, tuple(models), dist, u[s : s + EVAL_CHUNK])
        for s in range(0, u.shape[0], EVAL_CHUNK)
    ]
    parts = map_ordered(
        run_uchunk, tasks, workers=workers, scheduler=scheduler, client=client, progress=progress
    )
    names = [ref_name(m) for m in models]
    outs = {m: np.concatenate([p[m] for p in parts], axis=0) for m in names}
    ens = ensemble_mean([outs[m] for m in names])
    # the deal test reads the rows' own stances; each model's error is added as everywhere
    rows = next(iter(outs.values())).shape[0]
    ctx = draw_context(space, 0, rows, dist, u=u, w=w, with_error=model_error)
    return outs, ens, outcome_shares(scenario, outs, ctx)


@dataclass
class SensitivityResult:
    method: str  # "sobol" | "morris"
    n: int  # Sobol base sample size, or Morris trajectories
    evaluations: int
    models: list[str]
    inputs: list[InputInfo]
    # output id ("issue:TERR", "outcome:W1") -> index name -> values per input (len K)
    indices: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    constant: list[str] = field(default_factory=list)  # outputs with no variance at all

    def main_index(self) -> str:
        return "ST" if self.method == "sobol" else "mu_star"

    def ranking(self, output: str, top: int = 5) -> list[tuple[InputInfo, float]]:
        vals = self.indices.get(output, {}).get(self.main_index())
        if vals is None:
            return []
        arr = np.nan_to_num(np.asarray(vals, dtype=float))
        order = np.argsort(-arr, kind="stable")[:top]
        return [(self.inputs[k], float(arr[k])) for k in order]

    def drivers(self, top: int = 5) -> dict[str, list[Driver]]:
        """The top inputs of each named outcome ("outcome:ID" outputs), largest index first;
        inputs with no effect (index 0) are left out, so an outcome may list fewer."""
        conf = self.main_index() + "_conf"
        pos = {x.id: k for k, x in enumerate(self.inputs)}
        out: dict[str, list[Driver]] = {}
        for key in self.indices:
            kind, oid = key.split(":", 1)
            if kind != "outcome":
                continue
            cis = self.indices[key].get(conf, [0.0] * len(self.inputs))
            out[oid] = [
                Driver(oid, r + 1, x, v, float(cis[pos[x.id]]))
                for r, (x, v) in enumerate(self.ranking(key, top))
                if v > 0
            ]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "n": self.n,
            "evaluations": self.evaluations,
            "models": self.models,
            "inputs": [
                {
                    "id": x.id,
                    "column": x.column,
                    "track": x.track,
                    "field": x.field,
                    "actor": x.actor,
                    "issue": x.issue,
                    "low": x.low,
                    "point": x.point,
                    "high": x.high,
                    "basis": x.basis,
                }
                for x in self.inputs
            ],
            "indices": self.indices,
            "constant_outputs": self.constant,
            "drivers": {o: [d.to_json() for d in ds] for o, ds in self.drivers().items()},
        }


def choose_method(method: str, n: int, k: int, seconds_per_row: float = 0.0) -> tuple[str, int]:
    """The method and its sample size. `auto` takes Sobol when its n·(K + 2) rows fit the row
    budget and about AUTO_SECONDS on this machine (the cost model's estimate per row), else
    Morris screening with as many trajectories (at most n, at least 4) as fit that time."""
    if method == "auto":
        rows = n * (k + 2)
        if rows <= SOBOL_BUDGET and rows * seconds_per_row <= AUTO_SECONDS:
            return "sobol", n
        fit = int(AUTO_SECONDS / max(seconds_per_row * (k + 1), 1e-9))
        return "morris", max(MIN_MORRIS, min(n, fit))
    if method not in ("sobol", "morris"):
        raise InputError.single(
            f"unknown sensitivity method '{method}'",
            f"طريقة حساسية غير معروفة '{method}'",
            path="method",
            fix_en="use sobol, morris or auto",
            fix_ar="استخدم sobol أو morris أو auto",
        )
    return method, n


def _clean(x: Any) -> list[float]:
    return [float(v) for v in np.nan_to_num(np.asarray(x, dtype=float), nan=0.0)]


def run_sensitivity(
    scenario: Scenario,
    models: Sequence[ModelRef] | None = None,
    *,
    method: str = "auto",
    n: int = 1024,
    seed: int = 0,
    dist: Distribution | str = Distribution.triangular,
    workers: int = 1,
    scheduler: str | None = None,
    client: Any = None,
    progress: Progress | None = None,
) -> SensitivityResult:
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import morris as morris_sample
    from scipy.stats import qmc

    check_seed(seed)
    refs, _ = runnable_models(models or model_names(), len(scenario.issues))
    space = input_space(scenario)
    inputs = sensitivity_inputs(scenario, space)
    k = len(inputs)
    if k == 0:
        raise InputError.single(
            "no stance or outside option in this scenario has a range (low < high), so nothing "
            "is uncertain",
            "لا يوجد في هذا السيناريو موقف أو بديل تفاوضي له مدى (الأدنى < الأعلى)، "
            "فلا شيء غير مؤكد",
            fix_en="give low and high values to the stances you are unsure about",
            fix_ar="أعطِ قيمًا دنيا وعليا للمواقف غير المؤكدة",
        )
    if n < 2 or n > 1_000_000:
        raise InputError.single(
            f"sample size {n} is out of range",
            f"حجم العينة {n} خارج المدى",
            path="n",
            fix_en="give a number from 2 to 1,000,000 (a power of 2 for Sobol, e.g. 1024)",
            fix_ar="أدخل عددًا من 2 إلى 1,000,000 (قوة للعدد 2 لطريقة سوبول، مثل 1024)",
        )
    names = [ref_name(r) for r in refs]
    n_actors, n_issues = space.present.shape
    per_row = estimate(names, n_actors, n_issues, 1000).total_seconds / 1000
    meth, n = choose_method(method, n, k, per_row)
    problem = {"num_vars": k, "names": [x.id for x in inputs], "bounds": [[0.0, 1.0]] * k}
    d = Distribution(dist)
    # Without the models' DEU III error: it is not an input an analyst can change, and drawn
    # afresh per design row it would be the largest "driver" of every outcome (all total
    # indices near 1), hiding the stances that matter. Probabilities elsewhere include it.
    chunk = partial(DesignChunk, scenario, space, tuple(refs), d, tuple(inputs))
    x: FloatArray | None = None
    if meth == "sobol":
        # the base sequence of SALib.sample.sobol.sample, expanded lazily per chunk
        base = qmc.Sobol(d=2 * k, scramble=True, seed=seed).random(n)
        step = max(1, EVAL_CHUNK // (k + 2))
        tasks = [
            chunk(a=base[s : s + step, :k], b=base[s : s + step, k:]) for s in range(0, n, step)
        ]
        n_rows = n * (k + 2)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            x = np.clip(morris_sample.sample(problem, n, num_levels=4, seed=seed), 0.0, 1.0)
        tasks = [chunk(x=x[s : s + EVAL_CHUNK]) for s in range(0, x.shape[0], EVAL_CHUNK)]
        n_rows = int(x.shape[0])
    parts = map_ordered(
        run_design_chunk,
        tasks,
        workers=workers,
        scheduler=scheduler,
        client=client,
        progress=progress,
    )
    ys = {key: np.concatenate([p[key] for p in parts]) for key in parts[0]}
    res = SensitivityResult(meth, n, n_rows, [ref_name(r) for r in refs], inputs)
    for out_id, y in ys.items():
        if np.ptp(y) == 0:
            res.constant.append(out_id)
            zeros = [0.0] * k
            res.indices[out_id] = (
                {"S1": zeros, "S1_conf": zeros, "ST": zeros, "ST_conf": zeros}
                if meth == "sobol"
                else {"mu_star": zeros, "mu_star_conf": zeros, "sigma": zeros}
            )
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if meth == "sobol":
                si = sobol_analyze.analyze(
                    problem, y, calc_second_order=False, num_resamples=100, seed=seed
                )
                res.indices[out_id] = {
                    "S1": _clean(si["S1"]),
                    "S1_conf": _clean(si["S1_conf"]),
                    "ST": _clean(si["ST"]),
                    "ST_conf": _clean(si["ST_conf"]),
                }
            else:
                assert x is not None
                si = morris_analyze.analyze(
                    problem, x, y, num_resamples=100, num_levels=4, seed=seed
                )
                res.indices[out_id] = {
                    "mu_star": _clean(si["mu_star"]),
                    "mu_star_conf": _clean(si["mu_star_conf"]),
                    "sigma": _clean(si["sigma"]),
                }
    return res
