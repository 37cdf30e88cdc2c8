"""The pre-registered train/test split of DEU III.

Whole proposals go to one side (their issues are negotiated together, and the exchange model runs
across them): the proposals, sorted by id, are shuffled with `numpy.random.default_rng(SPLIT_SEED)`
and the first third becomes the test set. The resulting list of test issues is committed in
`qimma/data/deu3/split_test_issues.txt`, written once before any tuning; tests check that the seed
still reproduces it. Anything fitted on data (today: the prediction-interval quantiles) is fitted on
train and reported on test once.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import numpy as np

from qimma.backtest.deu3 import Deu3

SPLIT_SEED = 20261125
TEST_FRACTION = 1.0 / 3.0
SPLIT_FILE = "split_test_issues.txt"


@dataclass(frozen=True)
class Split:
    seed: int
    test: frozenset[str]  # issue ids
    preregistered: bool

    def is_test(self, isnr: str) -> bool:
        return isnr in self.test


def make_split(data: Deu3, seed: int, fraction: float = TEST_FRACTION) -> frozenset[str]:
    """Test issue ids for `seed` (whole proposals, a `fraction` of them)."""
    proposals = sorted({iss.prnr for iss in data.issues})
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(proposals))
    n_test = round(len(proposals) * fraction)
    chosen = {proposals[k] for k in order[:n_test]}
    return frozenset(iss.isnr for iss in data.issues if iss.prnr in chosen)


def read_split_file() -> tuple[int, frozenset[str]]:
    text = resources.files("qimma.data.deu3").joinpath(SPLIT_FILE).read_text("utf-8")
    seed = -1
    ids: set[str] = set()
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("# seed:"):
            seed = int(s.split(":", 1)[1])
        elif s and not s.startswith("#"):
            ids.add(s)
    return seed, frozenset(ids)


def render_split_file(data: Deu3, seed: int = SPLIT_SEED) -> str:
    test = make_split(data, seed)
    lines = [
        "# DEU III pre-registered test set (qimma). Do not edit: tests check it against the seed.",
        f"# seed: {seed}",
        f"# method: proposals (prnr) sorted, numpy default_rng(seed).permutation, first "
        f"{TEST_FRACTION:.4f} of them; all their issues listed",
        f"# test issues: {len(test)} of {data.n_issues}",
    ]
    lines += sorted(test)
    return "\n".join(lines) + "\n"


def get_split(data: Deu3, seed: int | None = None) -> Split:
    """The committed split (default), or a fresh exploratory one for another seed."""
    file_seed, ids = read_split_file()
    if seed is None or seed == file_seed:
        return Split(file_seed, ids, preregistered=True)
    return Split(seed, make_split(data, seed), preregistered=False)
