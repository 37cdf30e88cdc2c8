"""Where Numba keeps qimma's compiled kernels: one cache per source text, not per install path.

Numba's default cache lives next to the source file (or in a directory derived from the file's
path), so the same qimma installed twice (a regular install and an editable one, as the test
command makes) compiles twice. Here the kernels of `qimma.models` are cached under
`$NUMBA_CACHE_DIR` if set, else `$XDG_CACHE_HOME/qimma/numba` (`~/.cache/qimma/numba`), in a
directory named after the module and the SHA-256 of its source: any install of the same code finds
the cache, and a changed file gets a new directory (Numba also checks the source hash itself).

Importing this module registers the locator; the kernel modules import it before defining their
kernels. `cached_kernels_ready` tells the command line whether a first-run compile is coming.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from numba.core import caching, config

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
_KERNEL_FILES = {"exchange": "exchange.py", "smp": "_smp_kernel.py"}


def models_to_compile(models: list[str]) -> list[str]:
    """The models among `models` whose kernels are not in the cache yet (compiled on first use)."""
    return [
        m
        for m in models
        if m in _KERNEL_FILES and not cached_kernels_ready(str(_HERE / _KERNEL_FILES[m]))
    ]
