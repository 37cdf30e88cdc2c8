"""Where Numba keeps qimma's compiled kernels: one cache per source text, not per install path.

Numba's default cache lives next to the source file (or in a directory derived from the file's
path), so the same qimma installed twice (a regular install and an editable one, as the test
command makes) compiles twice. Here the kernels of `qimma.models` are cached under
`$NUMBA_CACHE_DIR` if set, else `$XDG_CACHE_HOME/qimma/numba` (`~/.cache/qimma/numba`), in a
directory named after the module and the SHA-256 of its source: any install of the same code finds
the cache, and a changed file gets a new directory (Numba also checks the source hash itself).

Importing this module registers the locator; the kernel modules import it before defining their
kernels.

Small work runs uncompiled (for `eum`, its NumPy code: the same results, see
tests/test_eum_kernel.py). Compiling the exchange and smp kernels costs about a minute of CPU
once; one draw of the default scenario takes well under a second in plain Python (each kernel's
`py_func`, the same statements in the same order, hence the same floating-point results:
tests/test_models_jit.py compares the bytes). `kernel_for` picks the Python twin of a kernel when
its kernels are not cached yet and the run is predicted to take at most `PYTHON_BUDGET_S` in
Python; otherwise the compiled kernel (compiled on first use, then cached). `models_to_compile`
tells the command line whether a compile is coming, by the same rule.
"""

from __future__ import annotations

import hashlib
import os
import sys
import types
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from numba.core import caching, config
from numba.core.registry import CPUDispatcher

from qimma.models.cost import LAWS

_HERE = Path(__file__).resolve().parent


def cache_root() -> Path:
    configured = getattr(config, "CACHE_DIR", "")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "qimma" / "numba"


def cache_dir_for(py_file: str) -> Path:
    path = Path(py_file)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return cache_root() / f"{path.stem}-{digest}"


class _QimmaLocator(caching._SourceFileBackedLocatorMixin, caching._CacheLocator):
    """Numba cache locator for the files of qimma.models (others fall through to Numba's)."""

    def __init__(self, py_func, py_file):  # type: ignore[no-untyped-def]
        self._py_file = py_file
        self._lineno = py_func.__code__.co_firstlineno
        self._cache_path = str(cache_dir_for(py_file))

    def get_cache_path(self) -> str:
        return self._cache_path

    @classmethod
    def from_function(cls, py_func, py_file):  # type: ignore[no-untyped-def]
        if Path(py_file).resolve().parent != _HERE:
            return None
        return super().from_function(py_func, py_file)


if _QimmaLocator not in caching.CacheImpl._locator_classes:
    caching.CacheImpl._locator_classes.insert(0, _QimmaLocator)


def cached_kernels_ready(py_file: str) -> bool:
    """Whether the kernels of this source file have been compiled and cached before."""
    d = cache_dir_for(py_file)
    return d.is_dir() and any(d.glob("*.nbi"))


# the models whose kernels Numba compiles, and their source files
_KERNEL_FILES = {"exchange": "exchange.py", "smp": "_smp_kernel.py", "eum": "_eum_kernel.py"}


# How many times slower plain Python runs these kernels than the models' cost laws
# (models/cost.py) predict for the compiled code, measured per draw (docs/performance.md): exchange
# 29-142 on seeded random scenarios of 11-60 actors × 3-20 issues; smp 275-492 on the default
# scenario, random scenarios of 10-40 actors and KTAB's 27- and 40-actor data sets (after the smp
# kernel's restructuring and its law's refit, 2026-12-03). Rounded up: the estimate must not be
# short.
# eum's uncompiled path is its NumPy code (eum_core), not the kernel's Python twin: 2.6 times
# the law on 2,000 draws of the default scenario (6.4 times the kernel's measured CPU time;
# docs/performance.md, "Monte Carlo 10k after the eum kernel"), rounded up.
PYTHON_SLOWDOWN = {"exchange": 200.0, "smp": 700.0, "eum": 4.0}
# The longest run (predicted CPU seconds) done in plain Python rather than compiling first.
PYTHON_BUDGET_S = 5.0


def python_seconds(model: str, draws: int, actors: int, issues: int) -> float:
    """Predicted CPU seconds of `draws` draws of `model` run by its kernels' Python twins."""
    return PYTHON_SLOWDOWN[model] * LAWS[model].seconds(draws, actors, issues)


# CPU seconds of the first compile of each model's kernels (all entry points a Monte Carlo
# uses), measured with an empty cache (docs/performance.md, "Cold start"; smp's restructured
# kernel compiles in 1.38 times the time of the one before, measured side by side).
COMPILE_CPU_S = {"exchange": 60.0, "smp": 14.0, "eum": 15.0}
# CPU seconds of loading a model's cached kernels in a new process, where that is more than its
# uncompiled path takes for small runs: below this predicted uncompiled time the cached kernels
# are not loaded (eum: 0.5 s to load, against 0.04 s of NumPy for a two-draw forecast).
LOAD_CPU_S = {"eum": 0.5}


def compile_seconds(models: list[str]) -> int:
    """The CPU seconds compiling these models' kernels takes, rounded to ten seconds."""
    return int(round(sum(COMPILE_CPU_S.get(m, 0.0) for m in models), -1))


def _cached(model: str) -> bool:
    return cached_kernels_ready(str(_HERE / _KERNEL_FILES[model]))


def models_to_compile(models: list[str], draws: int, actors: int, issues: int) -> list[str]:
    """The models among `models` that a run of this size compiles first: kernels not cached
    yet and the run too long for plain Python."""
    return [
        m
        for m in models
        if m in _KERNEL_FILES
        and not _cached(m)
        and python_seconds(m, draws, actors, issues) > PYTHON_BUDGET_S
    ]


def compiles(model: str, draws: int, actors: int, issues: int) -> bool:
    """Whether a run of `model` of this size uses the Numba kernels (cached or compiled now)."""
    if model not in _KERNEL_FILES:
        return False
    if python_seconds(model, draws, actors, issues) <= LOAD_CPU_S.get(model, 0.0):
        return False
    return _cached(model) or bool(models_to_compile([model], draws, actors, issues))


@cache
def _twin_namespace(module_name: str) -> dict[str, Any]:
    """The module's globals with each of its functions, and each Numba kernel's `py_func`,
    rebound to these globals: calls between kernels stay in plain Python. Kernels imported from
    another module become that module's twins."""
    module = sys.modules[module_name]
    ns = dict(vars(module))
    for name, value in vars(module).items():
        f = value.py_func if isinstance(value, CPUDispatcher) else value
        if not isinstance(f, types.FunctionType):
            continue
        if f.__module__ == module_name:
            ns[name] = types.FunctionType(f.__code__, ns, f.__name__, f.__defaults__, f.__closure__)
        elif isinstance(value, CPUDispatcher):
            ns[name] = _twin_namespace(f.__module__)[f.__name__]
    return ns


def python_twin(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` (a kernel or a function of a kernel module) running every kernel of its module as
    plain Python."""
    f = fn.py_func if isinstance(fn, CPUDispatcher) else fn
    twin: Callable[..., Any] = _twin_namespace(f.__module__)[f.__name__]
    return twin


def kernel_for(fn: Callable[..., Any], model: str, draws: int, actors: int, issues: int) -> Any:
    """`fn` compiled, or its Python twin when the run is small and nothing is compiled yet."""
    return fn if compiles(model, draws, actors, issues) else python_twin(fn)
