"""Estimative statements of the corpus, and the passages about one stance (actor × issue)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from qimma.evidence import store as st
from qimma.evidence.estimative import Estimate, estimate, hedged_claim
from qimma.evidence.links import resolve_quote
from qimma.evidence.normalise import quote_key
from qimma.evidence.search import Hit, search
from qimma.evidence.tagging import Tagger
from qimma.scenario.model import Scenario


@dataclass(frozen=True)
class Statement:
    passage: st.PassageRow
    estimate: Estimate
    claim: str  # the hedged part of the sentence
    actors: list[str]
    issues: list[str]


def statements(
    engine: Engine, scenario: Scenario, *, actor: str | None = None, issue: str | None = None
) -> list[Statement]:
    """Every passage with an estimative cue, with the actors and issues it concerns."""
    tagger = Tagger(scenario)
    out = []
    for p in st.all_passages(engine):
        est = estimate(p.text)
        if est is None:
            continue
        actors = tagger.actors_in(p.text)
        issues = tagger.issues_in(p.text)
        if actor and actor not in actors:
            continue
        if issue and issue not in issues:
            continue
        out.append(Statement(p, est, hedged_claim(p.text, est), actors, issues))
    return out


@dataclass(frozen=True)
class StanceEvidence:
    passage: st.PassageRow
    score: float
    cited: bool  # quoted by the scenario's own evidence for this stance


def stance_evidence(
    engine: Engine, scenario: Scenario, actor_id: str, issue_id: str, limit: int = 10
) -> list[StanceEvidence]:
    """Passages about one stance, best first: first those the scenario cites for it, then those
    that name both the actor and the issue, ranked by a fused search on the actor's and the
    issue's names and keywords."""
    tagger = Tagger(scenario)
    cited: list[str] = []
    stance = scenario.stance(actor_id, issue_id)
    evidence = scenario.evidence_by_id()
    if stance:
        for eid in stance.evidence:
            ev = evidence.get(eid)
            if ev:
                cited += resolve_quote(engine, ev.source, ev.quote)
    a, i = scenario.actor(actor_id), scenario.issue(issue_id)
    query = " ".join([a.name.ar, a.name.en, i.name.ar, i.name.en, *i.keywords.ar, *i.keywords.en])
    hits: list[Hit] = search(engine, query, limit=200, scenario=scenario).hits
    out: list[StanceEvidence] = []
    seen: set[str] = set()
    rows = st.get_passages(engine, cited)
    for pid in cited:
        if pid in rows and pid not in seen:
            out.append(StanceEvidence(rows[pid], 1.0, True))
            seen.add(pid)
    for h in hits:
        if h.passage.id in seen:
            continue
        text = h.passage.text
        if actor_id in tagger.actors_in(text) and issue_id in tagger.issues_in(text):
            out.append(StanceEvidence(h.passage, h.score, False))
            seen.add(h.passage.id)
    return out[:limit]


def stored_translations(scenario: Scenario, passage_text: str) -> list[str]:
    """The scenario's English translations of the quotes that overlap this passage (a quote
    inside the passage, or the passage inside a longer quote), compared blind to layout."""
    key = quote_key(passage_text)
    if not key:
        return []
    out: list[str] = []
    for ev in scenario.evidence:
        q = quote_key(ev.quote)
        if ev.translation and q and (q in key or key in q) and ev.translation not in out:
            out.append(ev.translation)
    return out
