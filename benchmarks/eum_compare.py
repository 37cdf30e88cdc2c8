"""Print the side-by-side tables of docs/models/eum.md: qimma's `eum` vs Scholz et al. (2011)
Table 2 vs Masad's replication, per round, on the EC emissions, China and Honduras cases.

Run: PYTHONPATH=src:. python benchmarks/eum_compare.py
"""

from __future__ import annotations

import json

import numpy as np

from qimma.models.eum import STOP_LEGEND, EUModel
from tests.eum_fixtures import EUM, bdm_arrays

ROUNDS = 10


def run(csv_name: str, **kw: object) -> tuple[list[float], list[float], str]:
    res = EUModel(max_rounds=ROUNDS, **kw).run(bdm_arrays(csv_name))  # type: ignore[arg-type]
    n = int(res.n_rounds[0])  # type: ignore[index]
    med = res.details["median_by_round"][0, : n + 1, 0].tolist()
    mean = res.details["mean_by_round"][0, : n + 1, 0].tolist()
    why = STOP_LEGEND[int(res.details["stop_reason"][0, 0])].split(":")[0]
    if why.startswith("cycle"):
        why += f" of length {int(res.details['cycle_length'][0, 0])}"
    return med, mean, f"{why} after round {n}"


def masad(result: str, divisor: float) -> tuple[list[float], list[float], str]:
    ref = json.loads((EUM / "masad-results" / result).read_text("utf-8"))
    med = [ref["initial"]["weighted_median"] * divisor]
    mean = [ref["initial"]["weighted_mean"] * divisor]
    for rd in ref["rounds"]:
        med.append(rd["weighted_median"] * divisor)
        mean.append(rd["weighted_mean"] * divisor)
    err = ref.get("error")
    note = f"{err['type']} in round {err['round']}" if err else f"{len(ref['rounds'])} rounds"
    return med, mean, note


def cell(xs: list[float], k: int, fmt: str) -> str:
    if k < len(xs):
        return "–" if np.isnan(xs[k]) else format(xs[k], fmt)
    return "(stopped)" if xs else ""


def table(title: str, cols: dict[str, tuple[list[float], list[float], str]], fmt: str) -> None:
    print(f"\n### {title}\n")
    heads = list(cols)
    print("| round | " + " | ".join(f"{h} median | {h} mean" for h in heads) + " |")
    print("|---|" + "---|---|" * len(heads))
    for k in range(ROUNDS + 1):
        row = [str(k)]
        for h in heads:
            med, mean, _ = cols[h]
            row += [cell(med, k, fmt), cell(mean, k, fmt)]
        print("| " + " | ".join(row) + " |")
    print("| stop | " + " | ".join(f"{cols[h][2]} | " for h in heads) + "|")


def main() -> None:
    ref = json.loads((EUM / "published_reference_EU_emissions.json").read_text("utf-8"))
    t2 = ref["scholz_2011_table2"]
    fig = ref["masad_figure_original_mean_line"]["values_approx"]
    scholz = (
        [np.nan, *t2["median_voter_position_by_round"]],
        [np.nan, *t2["mean_position_by_round"]],
        "8 rounds published",
    )
    ec = "ExampleActors.csv"
    table(
        "EC car-emission standards (years; scale 4-10)",
        {
            "Scholz T2": scholz,
            "Masad fig.": ([np.nan] * len(fig), fig, "read off a chart"),
            "qimma Scholz": run(ec),
            "qimma Q=1": run(ec, q=1.0, variant="paper"),
            "qimma Q=0.5": run(ec, q=0.5, variant="paper"),
            "Masad run": masad("example_corrected_r10.json", 1.0),
            "qimma repl.": run(ec, q=1.0, t=1.0, variant="replication", tol=0.0),
        },
        ".3f",
    )
    for name, csv_name, result, t, div in [
        (
            "China (positions 10-100 as in the CSV; Masad divides them by 100, shown ×100)",
            "ChinaData.csv",
            "china_corrected_r10.json",
            1.0,
            100.0,
        ),
        (
            "Honduras crisis (0-1)",
            "HondurasCrisisData.csv",
            "honduras_corrected_r10.json",
            0.0,
            1.0,
        ),
    ]:
        table(
            name,
            {
                "qimma Scholz": run(csv_name),
                "qimma Q=1": run(csv_name, q=1.0, variant="paper"),
                "qimma Q=0.5": run(csv_name, q=0.5, variant="paper"),
                "Masad run": masad(result, div),
                "qimma repl.": run(csv_name, q=1.0, t=t, variant="replication", tol=0.0),
            },
            ".3f",
        )


if __name__ == "__main__":
    main()
