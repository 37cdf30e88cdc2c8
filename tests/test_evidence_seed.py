"""The first seed, cleaned, reads as its author wrote it.

The oracle is independent of the cleaner: the draft scenario's author cleaned the quoted sentences
by hand (tests/fixtures/evidence/draft_quotes.yaml, 193 of doc1, 38 of doc2)."""

from __future__ import annotations

import re

import pytest
import yaml

from qimma.evidence.cleaning import clean_pdf_text
from qimma.evidence.ingest import read_document
from qimma.evidence.normalise import quote_key
from tests.evidence_helpers import DOC1, DOC2, EVIDENCE


@pytest.fixture(scope="module")
def doc1():
    return read_document(DOC1, doc_id="doc1")


@pytest.fixture(scope="module")
def quotes():
    return yaml.safe_load((EVIDENCE / "draft_quotes.yaml").read_text("utf-8"))["quotes"]


def test_every_hand_cleaned_quote_is_one_sentence_of_the_cleaned_seeds(doc1, quotes):
    doc2 = read_document(DOC2, doc_id="doc2")
    sentences = {
        "doc1": {quote_key(p.text) for p in doc1.passages},
        "doc2": {quote_key(p.text) for p in doc2.passages},
    }
    missing = [k for k, q in quotes.items() if quote_key(q["ar"]) not in sentences[q["source"]]]
    assert len(quotes) == 231
    assert missing == []


def test_quotes_match_exactly_apart_from_the_dash_normalisation(doc1, quotes):
    # the quotes keep the extraction's "word- " dashes (A18 turns them into " – ")
    text = doc1.text.replace(" – ", "- ").replace("– ", "-").replace(" –", " -")
    exact = [k for k, q in quotes.items() if q["source"] == "doc1" and q["ar"] in text]
    assert len(exact) >= 190


def test_no_page_furniture_pull_quote_or_damage_left(doc1):
    t = doc1.text
    assert "Rouya" not in t and "غولرالأ" not in t and "\ufffd" not in t
    assert not re.search(r"^\s*68\s*$", t, re.M)
    assert "تطور هذا الهدف ليشمل استعادة القرم مع المناطق الأخرى" in t  # re-joined across page
    assert "لا يتم رفض التقارب مع موسكو بشكل كامل." in t  # re-joined across the pull quote
    assert t.count("ترى إدارة ترامب في أوكرانيا أداة تفاوضية") == 1
    assert not re.search("[بشث][\u064c-\u0652]*\u064b(?!ا(?![\u0621-\u064a]))", t)
    assert not re.search("[\u0621-\u064a]\u0640+[\u0621-\u064a]", t)
    assert "»" not in t.split("«")[0]  # the first guillemet opens


def test_order_of_sentences_follows_the_text(doc1):
    t = doc1.text
    first = t.index("بعد تولي دونالد ترامب مجددًا رئاسة الولايات المتحدة في يناير 2025")
    second = t.index("وفي هذا الإطار، فإن المسألة الأكثر نقاشًا")
    last = t.index("إلى صلابة العلاقات التحالفية المستمرة.")
    assert first < second < last


def test_headings_are_their_own_paragraphs(doc1):
    paras = doc1.text.split("\n\n")
    for h in [
        "مقدمة",
        "ديناميكيات العلاقات الثنائية وأبرز التطورات",
        "حرب أوكرانيا واحتمالية السلام",
        "خاتمة",
    ]:
        assert h in paras


def test_review_list_flags_shadda_slips():
    review = clean_pdf_text(DOC1.read_text("utf-8")).review
    assert any("يتحققّ" in r for r in review) and any("مسؤولّيتها" in r for r in review)


def test_passage_ids_are_stable(doc1):
    again = read_document(DOC1, doc_id="doc1")
    assert [p.id for p in again.passages] == [p.id for p in doc1.passages]
    assert doc1.passages[0].id == "doc1.p001.s01"
    assert len({p.id for p in doc1.passages}) == len(doc1.passages)
