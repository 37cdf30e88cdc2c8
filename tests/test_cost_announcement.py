"""A run longer than ANNOUNCE_S says its estimate up front, as data any front end can show."""

from __future__ import annotations

import os

from qimma.models import cost
from qimma.models.cost import ANNOUNCE_S, RunCost, announcement


def test_a_short_run_says_nothing():
    assert announcement(RunCost({"compromise": ANNOUNCE_S / 2}, {}, cores=1)) is None
    # two cores halve 1.5 × ANNOUNCE_S of work to below the threshold
    assert announcement(RunCost({"eum": 1.5 * ANNOUNCE_S}, {}, cores=2)) is None


def test_a_long_run_states_its_estimate_and_its_slowest_model():
    # 100 s of eum and 1 s of compromise on 2 worker processes: 50.5 s of waiting
    a = announcement(RunCost({"eum": 100.0, "compromise": 1.0}, {}, cores=2, draws=1000))
    assert a is not None and a.seconds == 50.5 and a.slowest == "eum" and not a.on_cluster
    assert a.text("en") == (
        "this run will take about 50 s on this machine (2 worker processes; mostly the eum model)"
    )
    assert a.text("ar").startswith("سيستغرق هذا التشغيل نحو 50 ث على هذا الجهاز")
    assert "نموذج eum" in a.text("ar")


def test_on_a_cluster_the_estimate_is_computing_time_of_one_core():
    a = announcement(RunCost({"smp": 7200.0, "nash": 60.0}, {}, cores=2), on_cluster=True)
    assert a is not None and a.seconds == 7260.0  # not divided: the cluster's size is unknown
    assert a.text("en") == (
        "this run needs about 2.0 h of computing time on one core (mostly the smp model),"
        " shared among the cluster's workers"
    )
    assert "عمّال العنقود" in a.text("ar")


def test_the_estimate_counts_no_more_cores_than_the_machine_has():
    assert cost.estimate(["eum"], 40, 10, 10_000, cores=64).cores == min(64, os.cpu_count() or 1)
