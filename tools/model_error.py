"""Write src/qimma/data/model_error.json: each model's DEU III backtest residuals.

Developer tool, not used at run time. The named-outcome probabilities add each model's own
error to its forecast (docs/models/deal.md, "Model error"); the error is drawn from that model's
residuals (prediction − decided outcome, 0–100 scale) on the DEU III issues scored by
`qimma backtest deu3`. Regenerate after a model changes:

    python tools/model_error.py > src/qimma/data/model_error.json
"""

from __future__ import annotations

import json
import sys

import numpy as np

from qimma.backtest.deu3 import load_deu3
from qimma.backtest.harness import run_backtest
from qimma.backtest.split import get_split
from qimma.models.registry import model_names


def main() -> None:
    data = load_deu3()
    bt = run_backtest(data, get_split(data), models=model_names(), n_boot=10)
    out: dict[str, object] = {
        "source": "DEU III (Arregui & Perarnaud 2021, doi:10.34810/data53, CC BY 4.0), "
        "all scored issues; residual = prediction - decided outcome on the 0-100 scale",
        "generated_by": "tools/model_error.py",
        "models": {},
    }
    models: dict[str, object] = {}
    for name in model_names():
        if name not in bt.predictions:
            continue
        err = bt.predictions[name] - bt.outcome
        err = err[~np.isnan(err)]
        models[name] = {
            "n": int(err.size),
            "mae": round(float(np.abs(err).mean()), 2),
            "residuals": [round(float(e), 1) for e in err],
        }
    out["models"] = models
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
