"""Evidence links: a scenario's quoted passages must exist in the corpus, word for word.

:func:`check_evidence_links` is what ``qimma validate`` calls. For every evidence item it finds the
document of its source (stored under the source id) and looks for the quote in it, comparing with
:func:`qimma.evidence.normalise.quote_key` (blind to spacing, dashes, quotation marks and
diacritics, not to words). It reports

* stance / outcome / lever evidence ids that name no evidence item (dangling ids),
* evidence whose source is not in the corpus,
* quotes that no longer match their passage (the document changed, or the quote was edited).
"""

from __future__ import annotations

from sqlalchemy import Engine

from qimma.errors import Problem
from qimma.evidence import store as st
from qimma.evidence.normalise import quote_key
from qimma.scenario.model import Scenario


def _keyed(engine: Engine, document_id: str) -> tuple[list[str], list[str]]:
    rows = st.document_passages(engine, document_id)
    return [r.id for r in rows], [quote_key(r.text) for r in rows]


def resolve_quote(
    engine: Engine,
    document_id: str,
    quote: str,
    _cache: dict[str, tuple[list[str], list[str]]] | None = None,
) -> list[str]:
    """Ids of the consecutive passages of a document that contain the quote (empty if none)."""
    if _cache is not None:
        if document_id not in _cache:
            _cache[document_id] = _keyed(engine, document_id)
        ids, keys = _cache[document_id]
    else:
        ids, keys = _keyed(engine, document_id)
    key = quote_key(quote)
    if not key:
        return []
    for i in range(len(ids)):
        joined = ""
        for j in range(i, min(i + 8, len(ids))):
            joined += keys[j]
            if key in joined:
                start = i  # the shortest run that still holds the quote
                while start < j and key in "".join(keys[start + 1 : j + 1]):
                    start += 1
                return ids[start : j + 1]
            if len(joined) - len(keys[i]) >= len(key):  # the quote cannot start in passage i
                break
    return []


def check_evidence_links(scenario: Scenario, engine: Engine | None = None) -> list[Problem]:
    """Every problem with the scenario's evidence links (empty list: all resolve)."""
    if engine is None:
        from qimma.evidence.corpus import open_corpus

        engine = open_corpus()
    probs: list[Problem] = []
    known = scenario.evidence_by_id()
    referrers: list[tuple[str, list[str]]] = []
    for k, s in enumerate(scenario.stances):
        referrers.append((f"stances[{k}]", s.evidence))
    for k, o in enumerate(scenario.outcomes):
        referrers.append((f"outcomes[{k}]", o.evidence))
    for k, lv in enumerate(scenario.levers):
        referrers.append((f"levers[{k}]", lv.evidence))
    for path, ids in referrers:
        for j, eid in enumerate(ids):
            if eid not in known:
                probs.append(
                    Problem(
                        f"evidence id '{eid}' is dangling: no evidence item has this id",
                        f"معرّف الدليل '{eid}' معلّق: لا يوجد دليل بهذا المعرّف",
                        path=f"{path}.evidence[{j}]",
                        fix_en="add the quoted passage under 'evidence:' or remove the id",
                        fix_ar="أضف المقطع المقتبس تحت 'evidence:' أو احذف المعرّف",
                    )
                )
    present = st.document_ids(engine)
    cache: dict[str, tuple[list[str], list[str]]] = {}
    for k, ev in enumerate(scenario.evidence):
        path = f"evidence[{k}]"
        if ev.source not in present:
            probs.append(
                Problem(
                    f"evidence '{ev.id}': its source '{ev.source}' is not in the corpus",
                    f"الدليل '{ev.id}': مصدره '{ev.source}' غير موجود في المدوّنة",
                    path=f"{path}.source",
                    fix_en=f"add the document with: qimma corpus add FILE --id {ev.source}",
                    fix_ar=f"أضف المستند بالأمر: qimma corpus add FILE --id {ev.source}",
                )
            )
            continue
        if not resolve_quote(engine, ev.source, ev.quote, cache):
            probs.append(
                Problem(
                    f"evidence '{ev.id}': the quote no longer matches any passage of '{ev.source}'",
                    f"الدليل '{ev.id}': الاقتباس لم يعد يطابق أي مقطع في '{ev.source}'",
                    path=f"{path}.quote",
                    fix_en='copy the sentence again from: qimma corpus search "..."',
                    fix_ar='انسخ الجملة مجددًا من نتيجة: qimma corpus search "..."',
                )
            )
    return probs
