"""Small runs of exchange and smp in plain Python give the compiled kernels' bytes.

A one-draw forecast runs the kernels' Python source (`py_func`, models/_jit.py) instead of
compiling them first. These tests run both paths on the same inputs and compare every output
array byte for byte: the default scenario as `qimma forecast` runs it, the first draws of its
Monte Carlo (benchmarks/perf_reference.py) and seeded random scenarios with absent stances, whose
compiled outputs are also pinned by tests/fixtures/perf_reference.npz. The cases here are the
ones that take a few seconds in Python; the larger random cases were compared once when this
path was added (docs/performance.md).
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from qimma.models import _jit
from qimma.models.base import ModelResult
from qimma.models.registry import get_model
from qimma.scenario.arrays import ScenarioArrays, to_arrays
from qimma.scenario.formats import load_scenario
from tests._scripts import load_script

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "perf_reference.npz"


def _reference() -> ModuleType:
    return load_script("benchmarks/perf_reference.py")


def _first_draws(arr: ScenarioArrays, k: int) -> ScenarioArrays:
    return dataclasses.replace(
        arr,
        positions=arr.positions[:k],
        saliences=arr.saliences[:k],
        capabilities=arr.capabilities[:k],
        status_quo=arr.status_quo[:k],
    )


def _run(model: str, arr: ScenarioArrays, compiled: bool, mp: pytest.MonkeyPatch) -> ModelResult:
    with mp.context() as m:
        m.setattr(_jit, "compiles", lambda *args: compiled)
        return get_model(model).run(arr)


def _arrays_of(res: ModelResult) -> dict[str, np.ndarray]:
    out = {"outcome": res.outcome, "rounds": res.rounds, "positions": res.positions}
    if res.n_rounds is not None:
        out["n_rounds"] = res.n_rounds
    for k, v in res.details.items():
        if isinstance(v, np.ndarray):
            out[k] = v
    return out


def _assert_same_bytes(a: ModelResult, b: ModelResult) -> None:
    xa, xb = _arrays_of(a), _arrays_of(b)
    assert sorted(xa) == sorted(xb)
    for k in xa:
        assert xa[k].dtype == xb[k].dtype, k
        assert xa[k].shape == xb[k].shape, k
        assert xa[k].tobytes() == xb[k].tobytes(), k


@pytest.mark.parametrize("model", ["exchange", "smp"])
def test_default_forecast_same_bytes_in_python(model: str, monkeypatch: pytest.MonkeyPatch) -> None:
    arr = to_arrays(load_scenario(None))
    py = _run(model, arr, False, monkeypatch)
    _assert_same_bytes(py, _run(model, arr, True, monkeypatch))
    if model == "exchange":
        assert len(py.details["exchanges"]) > 100  # the comparison covers real exchanges


@pytest.mark.parametrize("model", ["exchange", "smp"])
def test_default_monte_carlo_draws_same_bytes_in_python(
    model: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    arr, _ = _reference().default_draws()
    arr = _first_draws(arr, 3)
    _assert_same_bytes(_run(model, arr, False, monkeypatch), _run(model, arr, True, monkeypatch))


@pytest.mark.parametrize(
    ("model", "case"),
    [("exchange", (12, 4, 4, 3)), ("smp", (12, 4, 4, 3)), ("exchange", (60, 3, 1, 4))],
)
def test_random_scenarios_same_bytes_in_python(
    model: str, case: tuple[int, int, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    n_a, n_i, n_d, seed = case
    arr = _reference().random_arrays(n_a, n_i, n_d, seed)
    py = _run(model, arr, False, monkeypatch)
    _assert_same_bytes(py, _run(model, arr, True, monkeypatch))
    ref = np.load(FIXTURE)
    key = f"{model}_{n_a}x{n_i}"
    assert py.rounds.tobytes() == ref[f"{key}_rounds"].tobytes()
    assert py.positions.tobytes() == ref[f"{key}_positions"].tobytes()


def test_small_runs_choose_python_large_runs_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_jit, "_cached", lambda model: False)
    for m in ("exchange", "smp"):
        assert not _jit.compiles(m, 1, 11, 12)  # the default scenario's forecast
        assert _jit.compiles(m, 10_000, 11, 12)  # its Monte Carlo
        assert _jit.models_to_compile([m], 10_000, 11, 12) == [m]
        assert _jit.models_to_compile([m], 1, 11, 12) == []
    # eum's uncompiled path is NumPy: a one-draw forecast stays there, a 10k Monte Carlo compiles
    assert not _jit.compiles("eum", 1, 11, 12)
    assert _jit.compiles("eum", 10_000, 11, 12)
    assert not _jit.compiles("nash", 10_000, 11, 12)
    monkeypatch.setattr(_jit, "_cached", lambda model: True)
    assert _jit.compiles("exchange", 1, 11, 12)  # compiled code at hand: no Python
    assert _jit.models_to_compile(["exchange", "smp"], 10_000, 11, 12) == []


@pytest.mark.parametrize("module", ["exchange", "_smp_kernel"])
def test_python_twin_calls_no_compiled_kernel(module: str) -> None:
    from numba.core.registry import CPUDispatcher

    mod = importlib.import_module(f"qimma.models.{module}")
    kernels = [k for k, v in vars(mod).items() if isinstance(v, CPUDispatcher)]
    assert kernels
    ns = _jit.python_twin(getattr(mod, kernels[0])).__globals__
    for k in kernels:
        assert not isinstance(ns[k], CPUDispatcher), k
        assert ns[k].__code__ is getattr(mod, k).py_func.__code__, k
        assert ns[k].__globals__ is ns, k
    assert not any(isinstance(v, CPUDispatcher) for v in ns.values())


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_compile_message_only_when_a_compile_comes(
    lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from qimma import i18n
    from qimma.app import Analyses, RunRequest, parse_models
    from qimma.app.pipeline import preview
    from qimma.cli import runs

    monkeypatch.setattr(_jit, "_cached", lambda model: False)
    monkeypatch.setattr(runs, "show_progress", lambda json_out: not json_out)  # a terminal
    scn = load_scenario(None)
    models = parse_models(["compromise", "exchange", "smp"])
    point = preview(scn, RunRequest(models=models, analyses=Analyses(montecarlo=False)))
    assert point.compiling == ()  # the forecast runs in Python: nothing is compiled
    runs.say_preview(point, lang, False)
    assert capsys.readouterr().err == ""
    mc = RunRequest(models=models, draws=10_000, analyses=Analyses(montecarlo=True))
    p = preview(scn, mc)
    assert p.compiling == ("exchange", "smp") and p.compile_seconds == 70
    runs.say_preview(p, lang, False)
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == i18n.t(
        "cli.compiling_many", lang, models=i18n.t("cli.and", lang).join(["exchange", "smp"]), s=70
    )
    runs.say_preview(p, lang, True)  # --json: quiet
    assert capsys.readouterr().err == ""


def test_python_twin_follows_kernels_imported_from_another_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "twin_b.py").write_text(
        "from numba import njit\n\n@njit\ndef g(x):\n    return x * 2\n"
    )
    (tmp_path / "twin_a.py").write_text(
        "from numba import njit\nfrom twin_b import g\n\n@njit\ndef f(x):\n    return g(x) + 1\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    a = importlib.import_module("twin_a")
    b = importlib.import_module("twin_b")
    assert _jit.python_twin(a.f)(3) == 7
    assert a.f.signatures == [] and b.g.signatures == []  # nothing was compiled
