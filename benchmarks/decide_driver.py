"""Run Decide's Equal Gain model (Python API) and dump per-round outcomes and exchanges as JSON.

Runs under a Python 3.13 venv with `decide-exchange-model==2025.3.1` installed (Decide is GPL-3.0;
this driver only calls its public API, it contains none of its code). Usage:

    python3.13 decide_driver.py INPUT OUT.json [--rounds 10] [--tie-rule candidate-order]

`--tie-rule candidate-order` replaces Decide's choice among exactly equal gains (Decide: a coin
flip, or with ALLOW_RANDOM=False the order of 28-digit Decimal rounding residues) by qimma's
documented rule: gains within 1e-12 are equal and the earlier exchange in the list wins. With it,
Decide and qimma must agree on every round; without it, on round 1 up to the first such tie.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from decide.data.modelfactory import ModelFactory
from decide.data.reader import InputDataFile
from decide.model.equalgain import EqualGainModel
from decide.model.observers.observer import Observable
from decide.model.utils import ModelLoop

TIE_TOL = 1e-12


class Recorder(Observable):
    def __init__(self, model, out_dir) -> None:
        super().__init__(model, out_dir)
        self.rounds: list[dict] = []

    def after_loop(self, realized, iteration, repetition) -> None:
        m = self.model_ref
        self.rounds.append(
            {
                "round": iteration + 1,
                "n_exchanges": len(realized),
                "preference_nbs": {i.name: float(i.de_normalize(m.nbs[i])) for i in m.issues},
                "exchanges": [
                    {
                        "i": e.i.actor.actor_id,
                        "i_supply": e.i.supply.issue.name,
                        "i_from": float(e.i.supply.issue.de_normalize(e.i.supply.position)),
                        "i_to": float(e.i.supply.issue.de_normalize(e.i.y)),
                        "j": e.j.actor.actor_id,
                        "j_supply": e.j.supply.issue.name,
                        "j_from": float(e.j.supply.issue.de_normalize(e.j.supply.position)),
                        "j_to": float(e.j.supply.issue.de_normalize(e.j.y)),
                        "gain": float(e.gain),
                    }
                    for e in realized
                ],
            }
        )

    def end_loop(self, iteration, repetition) -> None:
        m = self.model_ref
        self.rounds[-1]["voting_nbs"] = {i.name: float(i.de_normalize(m.nbs[i])) for i in m.issues}


def candidate_order_highest_gain(self):
    """Stable sort by gain, highest first, with gains within TIE_TOL counted as equal."""
    ex = self.exchanges
    for t in range(1, len(ex)):
        cur = ex[t]
        g = float(cur.gain)
        u = t - 1
        while u >= 0 and g > float(ex[u].gain) + TIE_TOL:
            ex[u + 1] = ex[u]
            u -= 1
        ex[u + 1] = cur
    return ex.pop(0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("input", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument(
        "--tie-rule", choices=["decimal-order", "candidate-order"], default="decimal-order"
    )
    a = ap.parse_args()
    EqualGainModel.ALLOW_RANDOM = False
    if a.tie_rule == "candidate-order":
        EqualGainModel.highest_gain = candidate_order_highest_gain
    t0 = time.perf_counter()
    df = InputDataFile.open(a.input)
    model = ModelFactory(df)(model_klass=EqualGainModel, randomized_value=None)
    rec = Recorder(model, str(a.out.parent))
    loop = ModelLoop(model, rec, 0)
    for _ in range(a.rounds):
        loop.loop()
    seconds = time.perf_counter() - t0
    a.out.write_text(
        json.dumps(
            {
                "input": a.input.name,
                "decide_version": "2025.3.1",
                "model": "equal",
                "tie_rule": a.tie_rule,
                "rounds": a.rounds,
                "seconds": seconds,
                "per_round": rec.rounds,
            },
            indent=1,
        )
    )
    print(f"{a.input.name} {a.tie_rule} {seconds:.2f} s")


if __name__ == "__main__":
    main()
