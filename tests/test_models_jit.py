"""The kernel cache is shared by any install of the same code; thread blocks cover every draw."""

from __future__ import annotations

from pathlib import Path

from qimma.models._jit import cache_dir_for, models_to_compile
from qimma.models._threads import run_blocks


def test_same_source_in_two_places_shares_one_cache(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[1] / "src" / "qimma" / "models" / "exchange.py"
    a = tmp_path / "a" / "exchange.py"
    b = tmp_path / "b" / "exchange.py"
    for p in (a, b):
        p.parent.mkdir()
        p.write_bytes(src.read_bytes())
    assert cache_dir_for(str(a)) == cache_dir_for(str(b))
    b.write_bytes(src.read_bytes() + b"\n# changed\n")
    assert cache_dir_for(str(a)) != cache_dir_for(str(b))


def test_only_numba_models_can_need_a_compile() -> None:
    assert models_to_compile(["compromise", "median", "nash"], 10_000, 11, 12) == []
    assert set(models_to_compile(["exchange", "smp", "eum"], 10_000, 11, 12)) <= {
        "exchange",
        "smp",
        "eum",
    }


def test_blocks_cover_each_draw_once() -> None:
    seen: list[int] = []

    def kernel(lo: int, hi: int) -> None:
        seen.extend(range(lo, hi))

    run_blocks(kernel, 3, 40)
    assert sorted(seen) == list(range(3, 40))
    run_blocks(kernel, 5, 5)
    assert sorted(seen) == list(range(3, 40))
