"""Sampling within stance ranges: inverse CDFs, block-seeded uniforms, absent stances."""

from __future__ import annotations

import numpy as np
import pytest

from qimma.analysis.sampling import (
    RNG_BLOCK,
    Distribution,
    arrays_from_uniforms,
    input_space,
    point_arrays,
    triangular_ppf,
    truncnormal_ppf,
    uniform_ppf,
    uniforms,
)
from qimma.scenario.formats import load_scenario


@pytest.fixture
def small(fixtures):
    return load_scenario(fixtures / "analysis" / "small.yaml")


def _a(*x):
    return np.array(x, dtype=float)


def test_triangular_ppf_ends_mode_and_median():
    lo, m, hi = _a(10), _a(20), _a(40)
    assert triangular_ppf(_a(0.0), lo, m, hi)[0] == pytest.approx(10)
    assert triangular_ppf(_a(1.0), lo, m, hi)[0] == pytest.approx(40)
    # CDF at the mode is (m - lo) / (hi - lo) = 1/3
    assert triangular_ppf(_a(1 / 3), lo, m, hi)[0] == pytest.approx(20)
    # by hand: F(x) = 1 - (hi - x)^2 / ((hi - lo)(hi - m)) for x >= m; F(x) = 0.5 at
    # (40 - x)^2 = 0.5 * 30 * 20 = 300 -> x = 40 - sqrt(300)
    assert triangular_ppf(_a(0.5), lo, m, hi)[0] == pytest.approx(40 - 300**0.5)


def test_triangular_sample_mean_is_a_plus_b_plus_c_over_3():
    u = np.random.default_rng(0).random(200_000)
    x = triangular_ppf(u, np.full_like(u, 10), np.full_like(u, 20), np.full_like(u, 40))
    assert x.mean() == pytest.approx((10 + 20 + 40) / 3, abs=0.05)
    assert x.min() >= 10 and x.max() <= 40


def test_degenerate_ranges_give_the_point_value():
    for ppf in (triangular_ppf, uniform_ppf, truncnormal_ppf):
        assert ppf(_a(0.3, 0.9), _a(5, 5), _a(5, 5), _a(5, 5)).tolist() == [5, 5]


def test_uniform_and_truncnormal():
    assert uniform_ppf(_a(0.25), _a(0), _a(50), _a(100))[0] == 25
    # symmetric truncated normal: the median is the centre
    assert truncnormal_ppf(_a(0.5), _a(0), _a(50), _a(100))[0] == pytest.approx(50)
    u = np.linspace(0, 1, 101)
    x = truncnormal_ppf(u, np.zeros(101), np.full(101, 20.0), np.full(101, 100.0))
    assert x.min() >= 0 and x.max() <= 100 and np.all(np.diff(x) >= 0)


def test_uniforms_do_not_depend_on_how_the_draws_are_split():
    n = 2 * RNG_BLOCK + 37
    whole = uniforms(7, 0, n, 5)
    parts = np.concatenate(
        [uniforms(7, 0, 500, 5), uniforms(7, 500, 1500, 5), uniforms(7, 1500, n, 5)]
    )
    assert whole.tobytes() == parts.tobytes()
    assert not np.array_equal(whole, uniforms(8, 0, n, 5))


def test_arrays_respect_ranges_and_absent_stances(small):
    space = input_space(small)
    u = uniforms(1, 0, 3000, space.n_inputs)
    arr = arrays_from_uniforms(space, u, Distribution.triangular)
    assert arr.positions.shape == (3000, 3, 2)
    # A on X: position 10-30, salience 60-100 (-> 0.6-1.0), capability 40-60
    assert arr.positions[:, 0, 0].min() >= 10 and arr.positions[:, 0, 0].max() <= 30
    assert arr.saliences[:, 0, 0].min() >= 0.6 and arr.saliences[:, 0, 0].max() <= 1.0
    # C has no stance on Y: absent, status-quo position, no weight
    assert not arr.present[2, 1]
    assert np.all(arr.positions[:, 2, 1] == 30) and np.all(arr.capabilities[:, 2, 1] == 0)
    # C's position on X has no range: always 50
    assert np.all(arr.positions[:, 2, 0] == 50)


def test_point_arrays_are_the_scenario_values(small):
    arr = point_arrays(input_space(small))
    assert arr.positions[0, :, 0].tolist() == [20, 80, 50]
    assert arr.saliences[0, :, 0].tolist() == [0.8, 0.6, 0.4]
