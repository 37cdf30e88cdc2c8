"""Build src/qimma/data/scenarios/default.yaml from the shared draft plus the reviewed overlay.

Developer tool, not used at run time. Step 1 (`convert`) is the mechanical conversion of
shared/design/seed-scenario-draft.yaml into qimma's format; step 2 (`apply_overlay`) adds what the
review produced and keeps in tools/default_scenario_overlay.yaml: actor aliases, issue keywords and
Arabic orientations, corrected stance fields (each checked against the draft's old value), evidence
notes, named outcomes, levers, tracks with their veto players, outside options
and the texts' judgements. docs/default-scenario.md records every change and why.

    python tools/draft_to_scenario.py ../shared/design/seed-scenario-draft.yaml \
        tools/default_scenario_overlay.yaml > src/qimma/data/scenarios/default.yaml
"""

from __future__ import annotations

import io
import sys
from typing import Any

import yaml
from ruamel.yaml import YAML

from qimma.scenario.model import Scenario


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
                # doc2 (Aug 2025) is the later text; the scenario is dated at the Alaska summit
                "status_quo": i["status_quo"]["doc2_aug_2025"],
                "note": (
                    f"Status quo {i['status_quo']['doc2_aug_2025']:g} from doc2 (Aug 2025); "
                    f"doc1 (spring 2025): {i['status_quo']['doc1_spring_2025']:g}. "
                    + i["status_quo"].get("note", "")
                    + " Anchor sources: "
                    + "; ".join(
                        f"{a['value']:g} "
                        + (
                            "modeller (assumption)"
                            if a["source"] == "modeller"
                            else ", ".join(a["source"])
                        )
                        for a in i["anchors"]
                    )
                    + "."
                ),
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


def apply_overlay(data: dict, overlay: dict) -> dict:
    """Add the reviewed parts; fail loudly if a corrected value no longer matches the draft."""
    data["description"] = overlay["scenario"]["description"]
    for src in data["sources"]:
        src.update(overlay["sources"].get(src["id"], {}))
    for actor in data["actors"]:
        actor["aliases"] = overlay["actors"][actor["id"]]["aliases"]
    for issue in data["issues"]:
        extra = overlay["issues"][issue["id"]]
        issue["keywords"] = extra["keywords"]
        issue["orientation"]["ar"] = extra["orientation_ar"]
    stances = {(s["actor"], s["issue"]): s for s in data["stances"]}
    for change in overlay["stance_changes"]:
        _change_stance(stances[(change["actor"], change["issue"])], change)
    evidence = {e["id"]: e for e in data["evidence"]}
    for eid, note in overlay["evidence_notes"].items():
        evidence[eid]["note"] = note
    for eid, translation in overlay.get("evidence_translations", {}).items():
        evidence[eid]["translation"] = translation
    data["outcomes"] = overlay["outcomes"]
    data["levers"] = overlay["levers"]
    for key in ("tracks", "outside_options", "judgements"):
        if key in overlay:
            data[key] = overlay[key]
    return apply_completeness(data, overlay)


# date of each source's evidence, for a stance's `as_of` (doc1 is undated: April 2025 inferred)
AS_OF = {"doc1": "2025-04", "doc2": "2025-08-16"}


def _change_stance(stance: dict, change: dict) -> None:
    field = change["field"]
    old = stance[field]["value"] if isinstance(stance[field], dict) else stance[field]
    if old != change["from"]:
        raise SystemExit(f"draft changed: {change['actor']}/{change['issue']}.{field} is {old}")
    if isinstance(stance[field], dict):
        stance[field].update(change["to"])
    else:
        stance[field] = change["to"]


def apply_completeness(data: dict, overlay: dict) -> dict:
    """The completeness review: roles, the new actor and issues, dropped and new stances, the
    August-dated values, editions, signposts and each stance's evidence date."""
    for actor in data["actors"]:
        actor["role"] = overlay["actor_roles"].get(actor["id"], "party")
    data["actors"] += overlay["new_actors"]
    data["issues"] += overlay["new_issues"]
    for ch in overlay["anchor_changes"]:
        anchors = {a["value"]: a for a in _issue(data, ch["issue"])["scale"]["anchors"]}
        if anchors[ch["value"]]["label"]["en"] != ch["from_en"]:
            raise SystemExit(f"draft changed: anchor {ch['issue']} {ch['value']}")
        anchors[ch["value"]]["label"] = ch["label"]
    for iid, ch in overlay["status_quo_changes"].items():
        issue = _issue(data, iid)
        if issue["status_quo"] != ch["from"]:
            raise SystemExit(f"draft changed: status quo of {iid} is {issue['status_quo']}")
        issue["status_quo"] = ch["to"]
        issue["note"] = f"Status quo {ch['to']:g} (August 2025 edition): {ch['why']} " + issue[
            "note"
        ].replace(f"Status quo {ch['from']:g} from doc2", f"Draft: {ch['from']:g} from doc2")
    dropped = {
        (d["actor"], i)
        for d in overlay["dropped_stances"]
        for i in ([x["id"] for x in data["issues"]] if d["issues"] == "all" else d["issues"])
    }
    data["stances"] = [s for s in data["stances"] if (s["actor"], s["issue"]) not in dropped]
    data["stances"] += overlay["new_stances"]
    stances = {(s["actor"], s["issue"]): s for s in data["stances"]}
    for change in overlay["completeness_changes"]:
        stance = stances[(change["actor"], change["issue"])]
        _change_stance(stance, change)
        if change["field"] in ("position", "salience"):
            stance["justification"] = f"{change['why']} Draft: {stance['justification']}"
    source_of = {e["id"]: e["source"] for e in data["evidence"]}
    for st in data["stances"]:
        dates = [AS_OF[source_of[e]] for e in st.get("evidence", [])]
        if dates:
            st["as_of"] = max(dates)
    data["editions"] = overlay["editions"]
    data["signposts"] = overlay["signposts"]
    return data


def _issue(data: dict, issue_id: str) -> dict:
    return next(i for i in data["issues"] if i["id"] == issue_id)


def _tidy(x: Any) -> Any:
    """Drop empty fields and write whole numbers without '.0', so the file reads like hand-made."""
    if isinstance(x, dict):
        return {k: _tidy(v) for k, v in x.items() if v not in (None, "", [], {})}
    if isinstance(x, list):
        return [_tidy(v) for v in x]
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def to_yaml(scenario: Scenario) -> str:
    # not scenario_to_yaml: that drops default values, and `basis: assumption` must stay visible
    data = _tidy(scenario.model_dump(mode="json", exclude_none=True))
    out = YAML()
    out.allow_unicode = True
    out.width = 100
    out.indent(mapping=2, sequence=4, offset=2)
    buf = io.StringIO()
    out.dump(data, buf)
    header = (
        "# The embedded default scenario: US-Russia-Ukraine negotiations, 2025.\n"
        "# Built by tools/draft_to_scenario.py from shared/design/seed-scenario-draft.yaml\n"
        "# and the reviewed overlay tools/default_scenario_overlay.yaml; review notes and\n"
        "# every change to the draft's numbers: docs/default-scenario.md.\n"
        "# Edit the overlay, then regenerate.\n"
    )
    return header + buf.getvalue()


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        draft = yaml.safe_load(f)
    with open(sys.argv[2], encoding="utf-8") as f:
        overlay = yaml.safe_load(f)
    scenario = Scenario.model_validate(apply_overlay(convert(draft), overlay))
    sys.stdout.write(to_yaml(scenario))
