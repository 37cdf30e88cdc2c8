"""Search normalisation, segmentation, tagging and estimative bands."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as hs

from qimma.evidence.cleaning import clean_pdf_text
from qimma.evidence.estimative import estimate, hedged_claim
from qimma.evidence.normalise import fold_arabic, normalise_for_search, search_terms
from qimma.evidence.segment import segment, sentences
from qimma.evidence.tagging import Tagger
from tests.evidence_helpers import scenario_with_lexicon


def test_clitic_forms_share_a_term():
    forms = [set(search_terms(w)) for w in ("والمعارضة", "المعارضة", "للمعارضة")]
    assert forms[0] & forms[1] & forms[2]
    assert set(search_terms("لبوتين")) & set(search_terms("بوتين"))
    assert set(search_terms("وروسيا")) & set(search_terms("روسيا"))


def test_folding_is_for_search_only():
    assert fold_arabic("أُوكْرانِيَا إِلى آسيا مُدَّة") == "اوكرانيا الي اسيا مده"
    assert normalise_for_search("Sanctions") == "sanction"
    assert fold_arabic("ســـياق") == "سياق"


def test_sentences_keep_initials_together():
    s = "في هذا الإطار، يُعدّ خطاب نائب الرئيس ج. د. فانس مكمّلًا. إذ صرّح فانس بأن التهديد."
    assert sentences(s) == [
        "في هذا الإطار، يُعدّ خطاب نائب الرئيس ج. د. فانس مكمّلًا.",
        "إذ صرّح فانس بأن التهديد.",
    ]
    assert sentences("Is it? Yes. J. D. Vance spoke.") == ["Is it?", "Yes.", "J. D. Vance spoke."]
    assert sentences("هل هو هذا؟ فإن الجواب واضح.") == ["هل هو هذا؟", "فإن الجواب واضح."]


def test_segment_ids():
    ps = segment("d", "جملة أولى. جملة ثانية.\n\nثالثة.")
    assert [p.id for p in ps] == ["d.p001.s01", "d.p001.s02", "d.p002.s01"]


@settings(max_examples=60, deadline=None)
@given(hs.text(alphabet=hs.sampled_from(list("بشثاةى ًٌٍَُِّْـ«»()-.،\n 0123456789abcمحلي")), max_size=300))
def test_cleaner_and_segmenter_never_crash(text):
    out = clean_pdf_text(text).text
    for p in segment("x", out):
        assert p.text.strip()
    normalise_for_search(out)


def test_actor_metonyms_and_clitics():
    t = Tagger(scenario_with_lexicon())
    assert t.actors_in("قال الكرملين إن موسكو لن تقبل") == ["RUS"]
    assert t.actors_in("The White House and Washington agreed") == ["US_EXEC"]
    assert t.actors_in("زار كييف ثم لكييف") == ["UKR"]
    assert t.actors_in("Kyiv said so") == ["UKR"]
    assert t.actors_in("give us time") == []  # the pronoun is not the United States
    assert t.actors_in("المملكة المتحدة وفرنسا") == ["UK_FR"]
    assert t.actors_in("المملكة العربية السعودية") == ["SAU"]


def test_issue_keywords():
    t = Tagger(scenario_with_lexicon())
    assert "SANC" in t.issues_in("تخفيف العقوبات على روسيا")
    assert "NEUTRAL" in t.issues_in("Ukraine's neutrality")


def test_estimative_bands():
    cases = {
        "ومن غير المرجح أن تسمح موسكو بمعادلة تخسر فيها روسيا": "unlikely",
        "ويفضل كل طرف على الأرجح الاستمرار في الحرب": "likely",
        "من المتوقع أن يواجه ترامب التحديات": "likely",
        "واحتمال قبولها من قبل روسيا أيضًا يُعدّان ضعيفين للغاية": "very_unlikely",
        "واليقين الوحيد الذي يمكن الدفاع عنه هو أن العلاقات ستظل": "almost_certain",
        "قد تشير رئاسة ترامب الثانية إلى بداية مرحلة جديدة": "possible",
        "A lasting peace (although unlikely) can be a success": "unlikely",
        "Trump may use the sanctions": "possible",
        "It is very likely to fail": "very_likely",
    }
    for text, band in cases.items():
        got = estimate(text)
        assert got is not None and got.band == band, text
    assert estimate("وقد أدى الإنفاق العسكري المرتفع إلى زيادة التضخم") is None  # قد + past: fact


def test_hedged_claim_is_the_clause_of_the_cue():
    s = "في هذه الحالة، قد تزداد مخاوف الدول الأوروبية، وهذا يؤدي إلى تصعيد أكبر."
    est = estimate(s)
    assert est is not None
    assert hedged_claim(s, est) == "قد تزداد مخاوف الدول الأوروبية، وهذا يؤدي إلى تصعيد أكبر."
    assert estimate("The summit took place in Alaska.") is None


def test_quote_resolution_gives_the_shortest_run(tmp_path):
    from qimma.evidence import store as st
    from qimma.evidence.ingest import Document, Metadata
    from qimma.evidence.links import resolve_quote
    from qimma.store.db import open_store

    text = "الجملة الأولى هنا. والثانية هناك. والثالثة أخيرًا."
    engine = open_store(f"sqlite:///{tmp_path / 's.sqlite3'}")
    st.add_documents(
        engine, [Document("d", text, Metadata(language="ar"), "", "0" * 64, segment("d", text))]
    )
    assert resolve_quote(engine, "d", "والثانية هناك.") == ["d.p001.s02"]
    assert resolve_quote(engine, "d", "هناك. والثالثة") == ["d.p001.s02", "d.p001.s03"]
    assert resolve_quote(engine, "d", "والرابعة") == []
