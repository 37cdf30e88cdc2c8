"""Inputs at the edges: degenerate weights, extreme magnitudes, broken text, sizes and costs.

No such input may exit 0 with a result a model could not have meant, run for minutes unannounced,
or end in a traceback: each gets a located message with a fix and exit status 2.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from qimma.analysis.montecarlo import MAX_CELLS_PER_CALL, n_chunks, run_monte_carlo
from qimma.cli.main import run
from qimma.errors import InputError
from qimma.forecast import run_forecast
from qimma.models import cost
from qimma.models.registry import MODELS, model_names
from qimma.scenario.arrays import to_arrays
from qimma.scenario.formats import load_scenario, scenario_from_text

SMALL = Path(__file__).parent / "fixtures" / "analysis" / "small.yaml"


def small_doc() -> dict[str, Any]:
    return yaml.safe_load(SMALL.read_text(encoding="utf-8"))


def write(tmp_path: Path, doc: dict[str, Any], name: str = "s.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return p


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = run(args)
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    return status, out.out, out.err


@pytest.mark.parametrize("field", ["capability", "salience"])
def test_all_zero_weights_are_refused_with_their_line(tmp_path, capsys, field):
    doc = small_doc()
    for st in doc["stances"]:
        st[field] = {"value": 0}
    f = write(tmp_path, doc)
    for command in (["validate", str(f)], ["forecast", str(f)]):
        status, out, err = cli(command, capsys)
        assert status == 2
        assert out == ""  # no forecast table: nothing a model could have meant
        lines = err.splitlines()
        assert len(lines) == 2  # one per issue, each at the issue's line
        assert lines[0].startswith(f"{f}, line 16, issues[0]: on issue 'X' every actor has ")
        assert "fix: give at least one actor a capability and a salience above 0" in lines[0]


def test_all_zero_weights_in_arabic(tmp_path, capsys):
    doc = small_doc()
    for st in doc["stances"]:
        st["capability"] = {"value": 0}
    status, _, err = cli(["validate", str(write(tmp_path, doc)), "--lang", "ar"], capsys)
    assert status == 2
    assert "قدرة كل فاعل أو أهميته صفر" in err and "السطر 16" in err


def test_single_actor_and_empty_scenarios_are_refused(tmp_path, capsys):
    one = tmp_path / "one.csv"
    one.write_text("Actor,Capability,Position,Salience\nA,1,50,60\n", encoding="utf-8")
    status, _, err = cli(["forecast", str(one)], capsys)
    assert status == 2
    assert "only one actor (A) holds stances: a negotiation needs at least two" in err
    doc = small_doc()
    doc["stances"] = []
    status, _, err = cli(["forecast", str(write(tmp_path, doc))], capsys)
    assert status == 2 and "the scenario has no stances" in err


def test_issue_weighed_by_one_actor_is_a_warning(tmp_path, capsys):
    f = tmp_path / "w.csv"
    f.write_text("Actor,Capability,Position,Salience\nA,1,50,60\nB,0,30,50\n", encoding="utf-8")
    status, out, _ = cli(["validate", str(f)], capsys)
    assert status == 0
    assert "warning:" in out and "only A weighs on issue" in out


def test_runs_built_outside_files_are_refused_before_any_model(monkeypatch):
    # the web editor builds scenarios without a file: the same rule stops them at the arrays
    sc = load_scenario(SMALL)
    broken = sc.model_copy(
        update={
            "stances": [
                s.model_copy(update={"salience": s.salience.model_copy(update={"value": 0.0})})
                for s in sc.stances
            ]
        }
    )

    def boom(self: Any, arrays: Any) -> Any:
        raise AssertionError("a model ran")

    for cls in MODELS.values():
        monkeypatch.setattr(cls, "run", boom)
    with pytest.raises(InputError, match="no model can weigh the positions"):
        run_forecast(broken)
    with pytest.raises(InputError, match="no model can weigh the positions"):
        run_monte_carlo(broken, draws=10, seed=1)


@pytest.mark.parametrize("ends", [(-1e308, 1e308), (0.0, 1e13), (1e6, 1e6 + 1e-4)])
def test_scales_beyond_double_precision_are_refused(tmp_path, capsys, ends):
    doc = small_doc()
    lo, hi = ends
    iss = doc["issues"][0]
    iss["status_quo"] = lo
    iss["scale"]["min"], iss["scale"]["max"] = lo, hi
    iss["scale"]["anchors"] = [
        {"value": lo, "label": {"en": "low", "ar": "أدنى"}},
        {"value": hi, "label": {"en": "high", "ar": "أعلى"}},
    ]
    for st in doc["stances"]:
        if st["issue"] == "X":
            st["position"] = {"value": lo}
    status, out, err = cli(["forecast", str(write(tmp_path, doc)), "--json"], capsys)
    assert status == 2 and out == ""
    assert "issues[0].scale: the scale of issue 'X'" in err
    assert "NaN" not in err and "inf" not in err.replace("infer", "")


def test_huge_capabilities_forecast_like_ordinary_ones(tmp_path, capsys):
    base = small_doc()
    big = copy.deepcopy(base)
    for st in big["stances"]:
        st["capability"] = {k: v * 1e300 for k, v in st["capability"].items()}
    s1, out1, _ = cli(["forecast", str(write(tmp_path, base, "a.yaml")), "--json"], capsys)
    s2, out2, err2 = cli(["forecast", str(write(tmp_path, big, "b.yaml")), "--json"], capsys)
    assert s1 == s2 == 0 and "Warning" not in err2
    a, b = json.loads(out1)["forecasts"], json.loads(out2)["forecasts"]
    assert [(r["issue"], r["model"]) for r in a] == [(r["issue"], r["model"]) for r in b]
    # the same forecasts to rounding (1e300 is not a power of two: the last bits differ)
    np.testing.assert_allclose([r["outcome"] for r in b], [r["outcome"] for r in a], atol=1e-3)


def test_lone_surrogate_gets_a_located_message_with_a_fix(tmp_path, capsys):
    text = SMALL.read_text(encoding="utf-8").replace(
        "name: {en: Actor A, ar: الفاعل أ}", 'name: {en: "Actor \\udc80A", ar: الفاعل أ}'
    )
    f = tmp_path / "s.yaml"
    f.write_text(text, encoding="utf-8")
    status, _, err = cli(["validate", str(f)], capsys)
    assert status == 2
    assert err.splitlines() == [
        f"{f}, line 8, actors[0].name.en: this text holds a broken character (half of a "
        "character pair) that cannot be stored — fix: retype the text there, or remove '\\u' "
        "escapes such as \\udc80 from it"
    ]


def _many_actors(n: int, issues: int) -> str:
    doc = small_doc()
    doc["actors"] = [{"id": f"A{k}", "name": {"en": f"Actor {k}"}} for k in range(n)]
    doc["issues"] = doc["issues"][:1] * 1
    doc["issues"] = [dict(doc["issues"][0], id=f"X{j}") for j in range(issues)]
    doc["stances"] = [
        {
            "actor": f"A{k}",
            "issue": f"X{j}",
            "position": {"value": k % 100},
            "salience": {"value": 50},
            "capability": {"value": 1 + k % 7},
        }
        for k in range(n)
        for j in range(issues)
    ]
    doc.pop("outcomes", None)
    doc.pop("levers", None)
    return yaml.safe_dump(doc)


def test_oversized_yaml_is_refused_for_its_size_not_for_aliases():
    text = _many_actors(10_000, 2)
    with pytest.raises(InputError) as e:
        scenario_from_text(text, "big.yaml", ".yaml")
    msg = e.value.render("en")
    assert "the scenario holds more than 200,000 values" in msg
    assert "alias" not in msg


def test_alias_bomb_is_named_as_such():
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for k in "bcdefg":
        prev = chr(ord(k) - 1)
        text += f"{k}: &{k} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    with pytest.raises(InputError, match="through its YAML aliases"):
        scenario_from_text(text, "bomb.yaml", ".yaml")


def _many_actors_table(n: int) -> str:
    """_many_actors(n, 1) as a table (a few seconds faster to read for thousands of actors)."""
    rows = "".join(f"A{k},{1 + k % 7},{k % 100},50\n" for k in range(n))
    return "Actor,Capability,Position,Salience\n" + rows


def test_a_run_beyond_the_time_budget_is_refused_before_any_model(monkeypatch):
    # smp does O(N³) work per turn: one draw of 4,000 actors takes hours on this machine (its
    # cost law, measured up to 1,000 actors: benchmarks/bench_smp_cost.py, docs/performance.md)
    sc = scenario_from_text(_many_actors_table(4_000), "k.csv", ".csv")

    def boom(self: Any, arrays: Any) -> Any:
        raise AssertionError("a model ran")

    for cls in MODELS.values():
        monkeypatch.setattr(cls, "run", boom)
    with pytest.raises(InputError) as e:
        run_forecast(sc)
    slow = [p for p in e.value.problems if "limit for one run is 30 min" in p.message_en]
    assert len(slow) == 1
    assert slow[0].path == "models" and "mostly the smp model" in slow[0].message_en
    with pytest.raises(InputError) as e:
        run_monte_carlo(sc, models=["compromise", "median"], draws=10_000_000, seed=1)
    assert e.value.problems[0].path == "draws"


def test_a_long_run_within_the_time_budget_is_announced_not_refused():
    # one draw of 1,000 actors: minutes of smp (measured, docs/performance.md), within the budget
    est = cost.estimate(model_names(), 1_000, 1, 1)
    assert cost.cost_problems(est) == []
    ann = cost.announcement(est)
    assert ann is not None and ann.slowest == "smp"


def test_a_call_beyond_memory_is_refused(monkeypatch):
    monkeypatch.setattr(cost, "machine_memory", lambda: 1e9)
    est = cost.estimate(["eum", "compromise"], 10_000, 2, 1)
    probs = cost.cost_problems(est)
    assert probs[0].path == "models"
    need = cost.LAWS["eum"].bytes_per_draw(10_000, 2) / 1e9
    assert f"the eum model needs about {need:.1f} GB for a single draw" in probs[0].message_en


def test_memory_law_bounds_what_a_model_allocates():
    # the law must not under-estimate: 200 actors x 3 issues, one draw, peak of NumPy allocations
    import tracemalloc

    rng = np.random.default_rng(3)
    a, i = 200, 3
    arr = to_arrays(scenario_from_text(_many_actors(a, i), "m.yaml", ".yaml"))
    arr = arr.with_values(positions=rng.uniform(0, 100, arr.positions.shape))
    for name in ("compromise", "median", "nash", "eum"):
        model = MODELS[name]()
        tracemalloc.start()
        model.run(arr)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak <= cost.LAWS[name].bytes_per_draw(a, i), name


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_worker_chunks_are_never_larger_than_one_process_calls(workers):
    draws, cells_per_draw = 100_000, 11 * 9 * 10
    cells = draws * cells_per_draw
    chunks = n_chunks(workers, None, None, None, cells)
    per_call = math.ceil(draws / chunks) * cells_per_draw
    assert per_call <= MAX_CELLS_PER_CALL
    assert chunks >= math.ceil(cells / MAX_CELLS_PER_CALL)
    if workers > 1:
        assert chunks >= 2 * workers


def test_every_registered_model_has_a_cost_law():
    assert set(cost.LAWS) == set(model_names())


def test_extreme_positions_in_a_table_blame_the_scale_not_a_status_quo(tmp_path, capsys):
    f = tmp_path / "big.csv"
    f.write_text(
        "Actor,Capability,Position,Salience\nA,1,1e308,60\nB,2,-1e308,50\nC,1,0,40\n",
        encoding="utf-8",
    )
    status, out, err = cli(["forecast", str(f)], capsys)
    assert status == 2 and out == ""
    assert err.startswith(f"{f}, issues[0].scale: the scale of issue 'big' (-1e+308 to 1e+308)")
    assert "status_quo" not in err
