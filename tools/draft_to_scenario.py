"""Convert shared/design/seed-scenario-draft.yaml into qimma's scenario format (first pass).

Developer tool: the output is the starting point of src/qimma/data/scenarios/default.yaml, which is
then reviewed by hand against the seed texts (see docs/default-scenario.md). Not used at run time.

    python tools/draft_to_scenario.py ../shared/design/seed-scenario-draft.yaml > default.yaml
"""

from __future__ import annotations

import sys

import yaml

from qimma.scenario.model import Scenario
from qimma.scenario.yaml_format import scenario_to_yaml


def _est(d: dict) -> dict:
    return {"value": d["value"], "low": d.get("low"), "high": d.get("high")}


def convert(draft: dict) -> dict:
    default_ids = draft["meta"]["conventions"]["default_run_actors"]
    sources = []
    for src in draft["meta"]["sources"]:
        sources.append(
            {
                "id": src["id"],
                "title": {"ar": src["title_ar"], "en": src["title_en"]},
                "author": src["author"],
                "venue": src["venue"],
                "date": "2025-08-16" if src["id"] == "doc2" else "2025 (spring, inferred)",
                "language": "ar",
                "resource": src["file"].split("/")[-1],
            }
        )
    evidence = [
        {
            "id": qid,
            "source": q["source"].split(":")[0],
            "quote": q["ar"],
            "translation": q.get("en", ""),
            # the draft locates some quotes as "doc2:L11" (line 11 of the seed file)
            "note": f"seed line {q['source'].split(':L')[1]}" if ":L" in q["source"] else "",
        }
        for qid, q in draft["quotes"].items()
    ]
    actors = [
        {"id": a["id"], "name": {"ar": a["name_ar"], "en": a["name_en"]}, "kind": a.get("type", "")}
        for a in draft["actors"]
        if a["id"] in default_ids
    ]
    issues = []
    for i in draft["issues"]:
        issues.append(
            {
                "id": i["id"],
                "name": {"ar": i["name_ar"], "en": i["name_en"]},
                "orientation": {"en": i["orientation"]},
                "scale": {
                    "min": 0,
                    "max": 100,
                    "anchors": [
                        {"value": a["value"], "label": {"ar": a["ar"], "en": a["en"]}}
                        for a in i["anchors"]
                    ],
                },
                "status_quo": i["status_quo"]["doc2_aug_2025"],
                "note": i["status_quo"].get("note", ""),
            }
        )
    stances = []
    for c in draft["table"]:
        if c["actor"] not in default_ids:
            continue
        stances.append(
            {
                "actor": c["actor"],
                "issue": c["issue"],
                "position": _est(c["position"]),
                "salience": _est(c["salience"]),
                "capability": _est(c["capability"]),
                "basis": c["basis"],
                "evidence": c.get("evidence", []),
                "justification": c.get("justification", ""),
            }
        )
    return {
        "id": "us-russia-ukraine-2025",
        "title": {
            "ar": "مفاوضات الولايات المتحدة وروسيا وأوكرانيا، 2025",
            "en": "US–Russia–Ukraine negotiations, 2025",
        },
        "date": "2025-08-16",
        "sources": sources,
        "actors": actors,
        "issues": issues,
        "stances": stances,
        "evidence": evidence,
    }


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        draft = yaml.safe_load(f)
    scenario = Scenario.model_validate(convert(draft))
    sys.stdout.write(scenario_to_yaml(scenario))
