"""The table "Top five sensitivity drivers of each named outcome" of docs/default-scenario.md,
made from qimma's own output (the `drivers` of `qimma sensitivity --json`), so it can be re-run.

    python tools/sensitivity_drivers.py              # runs `qimma sensitivity --json` (its
                                                     # defaults: all models, seed 0, auto method)
                                                     # and prints the table
    python tools/sensitivity_drivers.py --json FILE  # the table from a saved output
    python tools/sensitivity_drivers.py --write      # ... and puts it in the docs, between the
                                                     # markers drivers:begin and drivers:end

Run from the repository root with the package importable (PYTHONPATH=src). The run's wall and
processor time are measured here and printed with the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "default-scenario.md"
BEGIN, END = "<!-- drivers:begin -->", "<!-- drivers:end -->"


def run_cli(extra: list[str]) -> tuple[dict[str, Any], str]:
    """`qimma sensitivity --json` with its defaults; the output and how long it took."""
    qimma = Path(sys.executable).with_name("qimma")
    cmd = [str(qimma), "sensitivity", "--json", *extra]
    t0 = time.time()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=os.environ.copy())
    wall = time.time() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = ru.ru_utime + ru.ru_stime
    when = dt.datetime.now(dt.UTC).strftime("%d %B %Y, %H:%M UTC")
    how = f"`{' '.join(['qimma', *cmd[1:]])}`, {when}: {wall:.0f} s wall, {cpu:.0f} s processor"
    return json.loads(out.stdout), how


def label(d: dict[str, Any]) -> str:
    if d["field"] == "outside_option":
        return f"{d['actor']} no-deal {d['issue']} ({d['track']})"
    if d["field"] == "no_deal_cost":
        return f"{d['actor']} cost of no deal ({d['track']})"
    return f"{d['actor']} {d['field']} {d['issue']}"


def table(data: dict[str, Any], how: str) -> str:
    s = data["sensitivity"]
    idx = "ST" if s["method"] == "sobol" else "μ*"
    size = f"N = {s['n']}" if s["method"] == "sobol" else f"r = {s['n']} trajectories"
    n_deal = sum(1 for x in s["inputs"] if x.get("track"))
    mc = data.get("montecarlo") or {}
    prob = {o["id"]: o["probability"] for o in mc.get("outcomes", [])}
    lines = [
        f"Measured with {how}. Method {s['method']} ({size}, {s['evaluations']:,} design rows), "
        f"models {', '.join(s['models'])}, {len(s['inputs'])} inputs ({n_deal} of them outside "
        f"options), without the models' error term; index {idx} of the share of models in which "
        "the outcome holds, ± its 95% bootstrap half-width. P is the outcome's probability in the "
        f"same run's Monte Carlo ({mc.get('draws', '?')} draws, model error on).",
        "",
        f"| outcome (P) | # | input | {idx} ± 95% | basis |",
        "|---|---|---|---|---|",
    ]
    bases: Counter[str] = Counter()
    for oid, rows in s["drivers"].items():
        head = f"{oid} ({100 * prob[oid]:.0f}%)" if oid in prob else oid
        if not rows:
            lines.append(f"| {head} | | constant in every design row | | |")
        for d in rows:
            bases[d["basis"]] += 1
            lines.append(
                f"| {head if d['rank'] == 1 else ''} | {d['rank']} | {label(d)} | "
                f"{d['index']:.3f} ± {d['conf']:.3f} | {d['basis']} |"
            )
    total = sum(bases.values())
    lines += [
        "",
        f"Of the {total} driver rows: "
        + ", ".join(f"{bases[b]} {b}" for b in ("explicit", "inferred", "assumption"))
        + ".",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path, help="a saved `qimma sensitivity --json` output")
    ap.add_argument("--write", action="store_true", help=f"replace the table in {DOC.name}")
    ap.add_argument("--save", type=Path, help="keep the run's JSON output here")
    args, extra = ap.parse_known_args()
    if args.json:
        data, how = json.loads(args.json.read_text("utf-8")), f"`{args.json.name}`"
    else:
        data, how = run_cli(extra)
        if args.save:
            args.save.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    text = table(data, how)
    print(text)
    if args.write:
        doc = DOC.read_text("utf-8")
        a, b = doc.index(BEGIN) + len(BEGIN), doc.index(END)
        DOC.write_text(doc[:a] + "\n" + text + "\n" + doc[b:], encoding="utf-8")


if __name__ == "__main__":
    main()
