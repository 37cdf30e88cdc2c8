"""Accuracy metrics and their bootstrap intervals, as political scientists compute them on DEU data.

Error = prediction − outcome on the 0-100 scale. Metrics: mean absolute error (MAE), root mean
squared error (RMSE), median absolute error, and the share (in %) of issues within 10 points
(|error| <= 10). Intervals: percentile bootstrap, 95 %, with an explicit seed.

The bootstrap resamples *proposals* (clusters of issues negotiated together) with replacement, not
single issues, because the issues of one proposal are not independent; a resample is then a set of
integer weights on the issues (how many times its proposal was drawn), and every metric is computed
in its weighted form. With one issue per cluster this is the ordinary issue bootstrap. The paired
difference to a reference model uses the same resamples for both, on the issues both forecast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from qimma.scenario.arrays import FloatArray

METRICS = ("mae", "rmse", "medae", "within10")
LOWER_IS_BETTER = {"mae": True, "rmse": True, "medae": True, "within10": False}
WITHIN = 10.0


def weighted_metrics(abs_err: FloatArray, w: FloatArray) -> dict[str, FloatArray]:
    """Every metric for each row of weights `w` (R, n) over the same absolute errors (n,)."""
    w = np.atleast_2d(w).astype(float)
    total = w.sum(axis=1)
    mae = (w * abs_err).sum(axis=1) / total
    rmse = np.sqrt((w * abs_err**2).sum(axis=1) / total)
    within = 100.0 * (w * (abs_err <= WITHIN)).sum(axis=1) / total
    order = np.argsort(abs_err, kind="stable")
    xs = abs_err[order]
    cum = np.cumsum(w[:, order], axis=1)
    half = total[:, None] / 2.0
    # median of the sample in which issue k appears w_k times: the mean of the first value whose
    # cumulative weight reaches half and the first that passes it (equals np.median for weights 1)
    lo = np.argmax(cum >= half - 1e-9, axis=1)
    hi = np.argmax(cum > half + 1e-9, axis=1)
    medae = (xs[lo] + xs[hi]) / 2.0
    return {"mae": mae, "rmse": rmse, "medae": medae, "within10": within}


def point_metrics(pred: FloatArray, obs: FloatArray) -> dict[str, float]:
    """The four metrics on the issues where `pred` is defined."""
    ok = ~np.isnan(pred) & ~np.isnan(obs)
    e = np.abs(pred[ok] - obs[ok])
    if e.size == 0:
        return {m: float("nan") for m in METRICS}
    return {m: float(v[0]) for m, v in weighted_metrics(e, np.ones((1, e.size))).items()}


def cluster_weights(clusters: list[str], n_boot: int, seed: int) -> FloatArray:
    """(n_boot, n) integer weights: each row counts how often each issue's cluster was drawn."""
    labels, inverse = np.unique(np.asarray(clusters), return_inverse=True)
    rng = np.random.default_rng(seed)
    k = len(labels)
    draws = rng.integers(0, k, size=(n_boot, k))
    counts = np.zeros((n_boot, k))
    np.add.at(counts, (np.repeat(np.arange(n_boot), k), draws.ravel()), 1.0)
    return counts[:, inverse]


@dataclass(frozen=True)
class Estimate:
    value: float
    lo: float
    hi: float

    def as_dict(self) -> dict[str, float]:
        return {"value": self.value, "lo": self.lo, "hi": self.hi}


def _interval(samples: FloatArray, level: float) -> tuple[float, float]:
    ok = samples[np.isfinite(samples)]
    if ok.size == 0:
        return float("nan"), float("nan")
    a = (1.0 - level) / 2.0
    lo, hi = np.quantile(ok, [a, 1.0 - a])
    return float(lo), float(hi)


def bootstrap_metrics(
    pred: FloatArray,
    obs: FloatArray,
    weights: FloatArray,
    reference: FloatArray | None = None,
    level: float = 0.95,
) -> tuple[dict[str, Estimate], dict[str, Estimate] | None]:
    """Metrics of `pred` with intervals, and (if `reference` is given) the paired difference
    metric(pred) − metric(reference) on the issues both define, with its interval.

    `weights` (R, n) come from :func:`cluster_weights` over all n issues; replicates in which an
    issue subset gets no weight at all are dropped from the percentiles.
    """
    ok = ~np.isnan(pred) & ~np.isnan(obs)
    out: dict[str, Estimate] = {}
    e = np.abs(pred[ok] - obs[ok])
    pt = point_metrics(pred, obs)
    if e.size:
        w = weights[:, ok]
        keep = w.sum(axis=1) > 0
        reps = weighted_metrics(e, w[keep])
    for m in METRICS:
        lo, hi = _interval(reps[m], level) if e.size else (float("nan"), float("nan"))
        out[m] = Estimate(pt[m], lo, hi)
    if reference is None:
        return out, None
    both = ok & ~np.isnan(reference)
    diff: dict[str, Estimate] = {}
    ea = np.abs(pred[both] - obs[both])
    eb = np.abs(reference[both] - obs[both])
    if ea.size == 0:
        return out, {m: Estimate(float("nan"), float("nan"), float("nan")) for m in METRICS}
    w = weights[:, both]
    keep = w.sum(axis=1) > 0
    ra, rb = weighted_metrics(ea, w[keep]), weighted_metrics(eb, w[keep])
    one = np.ones((1, ea.size))
    pa, pb = weighted_metrics(ea, one), weighted_metrics(eb, one)
    for m in METRICS:
        lo, hi = _interval(ra[m] - rb[m], level)
        diff[m] = Estimate(float(pa[m][0] - pb[m][0]), lo, hi)
    return out, diff
