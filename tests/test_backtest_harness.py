"""The harness runs whatever the registry lists, per proposal where needed, plus baselines."""

from __future__ import annotations

import numpy as np
import pytest

from qimma.backtest import harness
from qimma.backtest.deu3 import ACTORS, load_deu3
from qimma.backtest.split import get_split
from qimma.models import registry
from qimma.models.base import BargainingModel, ModelResult


@pytest.fixture(scope="module")
def deu():
    return load_deu3()


class FakeExchange(BargainingModel):
    """Returns the size of the group it was given, so the test sees how it was called."""

    name = "exchange"
    title_en = title_ar = "fake exchange"
    min_issues = 2

    def run(self, arrays):
        return ModelResult(self.name, np.full((1, arrays.n_issues), float(arrays.n_issues)))


class Broken(BargainingModel):
    name = "eum"
    title_en = title_ar = "broken"

    def run(self, arrays):
        raise RuntimeError("boom")


def test_one_registered_model_scores_alone_without_an_ensemble(deu, monkeypatch):
    monkeypatch.setattr(registry, "MODELS", {"compromise": registry.MODELS["compromise"]})
    monkeypatch.setattr(harness, "MODELS", registry.MODELS)
    bt = harness.run_backtest(deu, get_split(deu), limit=30, n_boot=20)
    status = {s.name: s.status for s in bt.scores["all"]}
    assert status["compromise"] == "ok"
    assert not {"median", "nash", "eum", "smp", "exchange"} & set(status)
    assert "ensemble" not in status  # one model: no ensemble


def test_per_proposal_models_and_failures(deu, monkeypatch):
    models = dict(registry.MODELS, exchange=FakeExchange, eum=Broken)
    monkeypatch.setattr(registry, "MODELS", models)
    monkeypatch.setattr(harness, "MODELS", models)
    bt = harness.run_backtest(deu, get_split(deu), n_boot=20)
    pred = bt.predictions["exchange"]
    sizes: dict[str, int] = {}
    for iss in deu.issues:  # all issues of a proposal, with or without a valid outcome
        sizes[iss.prnr] = sizes.get(iss.prnr, 0) + 1
    for k, i in enumerate(bt.issues):
        n = sizes[deu.issues[i].prnr]
        if n >= 2:
            assert pred[k] == n  # ran once per proposal, on all its issues
        else:
            assert np.isnan(pred[k])  # a lone issue is too few for this model
    status = {s.name: s.status for s in bt.scores["all"]}
    assert status["eum"].startswith("failed: RuntimeError")
    ens = bt.predictions["ensemble"]
    k = int(np.flatnonzero(~np.isnan(pred))[0])
    parts = [bt.predictions[m][k] for m in models if m != "eum"]  # every model that ran
    assert ens[k] == pytest.approx(np.mean(parts))


def test_baselines_are_the_file_columns(deu):
    bt = harness.run_backtest(deu, get_split(deu), models=["compromise"], n_boot=20)
    com = ACTORS.index("com")
    k = 0
    i = bt.issues[k]
    assert bt.predictions["commission"][k] == deu.positions[com, i]
    assert np.array_equal(
        np.isnan(bt.predictions["reference_point"]), np.isnan(deu.reference[bt.issues])
    )
    rp = {s.name: s for s in bt.scores["all"]}["reference_point"]
    assert rp.n == int((~np.isnan(deu.reference[bt.issues])).sum())


def test_compromise_on_one_issue_by_hand(deu):
    # weighted mean of the first issue computed directly from the file's columns
    from qimma.backtest.capabilities import capability_matrix

    cap = capability_matrix(deu, "votes")[:, 0]
    x, s, present = deu.positions[:, 0], deu.saliences[:, 0], deu.present[:, 0]
    s = np.where(np.isnan(s), 50.0, s)
    w = np.where(present, cap * s, 0.0)
    want = float(np.nansum(w * np.nan_to_num(x)) / w.sum())
    bt = harness.run_backtest(deu, get_split(deu), models=["compromise"], limit=1, n_boot=20)
    assert bt.predictions["compromise"][0] == pytest.approx(want)


def test_accuracy_near_published_figures(deu):
    # literature on 351 DEU III issues: weighted mean about 23, median actor about 28
    bt = harness.run_backtest(deu, get_split(deu), n_boot=50)
    mae = {s.name: s.metrics["mae"].value for s in bt.scores["all"] if s.status == "ok"}
    assert 21.0 <= mae["compromise"] <= 25.0
    assert 25.5 <= mae["median"] <= 30.5
    assert mae["compromise"] < mae["commission"] < mae["reference_point"]


class Newcomer(BargainingModel):
    """A model registered tomorrow: the harness must score it without any change."""

    name = "newcomer"
    title_en = title_ar = "newcomer"

    def run(self, arrays):
        return ModelResult(self.name, arrays.status_quo.copy())


def test_any_registered_model_is_scored(deu, monkeypatch):
    models = dict(registry.MODELS, newcomer=Newcomer)
    monkeypatch.setattr(registry, "MODELS", models)
    monkeypatch.setattr(harness, "MODELS", models)
    bt = harness.run_backtest(deu, get_split(deu), limit=50, n_boot=20)
    row = {s.name: s for s in bt.scores["all"]}["newcomer"]
    assert row.status == "ok" and row.n == 50
    assert row.vs_reference is not None
