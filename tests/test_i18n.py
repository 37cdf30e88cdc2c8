"""The word table (qimma.i18n): one table per language, the same keys, one Arabic form per term."""

from __future__ import annotations

import re
import shutil
import string
import subprocess

import pytest

from qimma import i18n
from qimma.analysis import icd203
from qimma.evidence.estimative import estimate
from qimma.report.pdf_text import GlyphText


def _fields(s: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(s) if f}


def test_both_tables_have_the_same_keys_and_fields():
    en, ar = i18n.table("en"), i18n.table("ar")
    assert en.keys() == ar.keys()
    for sec in en:
        assert en[sec].keys() == ar[sec].keys(), sec
        for k in en[sec]:
            assert _fields(en[sec][k]) == _fields(ar[sec][k]), f"{sec}.{k}"


def test_no_section_repeats_a_common_word():
    for lang in i18n.LANGS:
        tab = i18n.table(lang)
        for sec, words in tab.items():
            if sec != "common":
                same = [k for k, v in words.items() if tab["common"].get(k) == v]
                assert not same, (sec, same)


def test_arabic_words_have_no_latin_letters_except_codes():
    allowed = re.compile(
        r"English|ICD-203|DEU III|YAML|CSV|KTAB|XML|JSON|PDF|HTML|Decide|SMP|Actor,"
        r"Capability,Position,Salience|#A/#P/#M/#D|eum|qimma|Morris|RMSE|N=|"
        r"\.txt|\.md|\.html|\.pdf|\{\w+(:[^}]*)?\}|"
        # command-line options, environment variables, URLs, keys and file paths are codes
        r"--[\w-]+|QIMMA_\w+|https?://\S+|Ctrl\+C|\S*/\S*\.md"
    )
    from qimma.cli.help import CODE

    for sec, words in i18n.table("ar").items():
        for k, v in words.items():
            # help texts name options, files, URLs and values to type: codes, isolated when shown
            rest = allowed.sub("", CODE.sub("", v) if sec in ("help", "helpfmt") else v)
            assert not re.search("[A-Za-z]{2,}", rest), f"{sec}.{k}: {v}"


def test_one_arabic_form_per_term():
    text = "\n".join(v for words in i18n.table("ar").values() for v in words.values())
    for variant in ("شبه منعدم", "سحوبات", "النتائج المسماة", "متساوٍ تقريبًا", "(قمة أدنى)"):
        assert variant not in text, variant
    # the tool's name is quoted wherever it could be read as the noun "summit" (قمة ألاسكا)
    assert i18n.t("common.vs_lower", "ar") == "تقدير «قمة» أدنى"
    named = [v for words in i18n.table("ar").values() for k, v in words.items() if k != "app"]
    bare = re.compile(r"(?<![«\w])قمة(?![\w»])(?! ألاسكا)")
    assert [v for v in named if bare.search(v)] == []


def test_icd203_words_are_the_table_words():
    assert (
        icd203.wording(0.01, "ar") == "احتمال ضئيل جدًا" == i18n.t("icd203.almost_no_chance", "ar")
    )
    # the texts' own «شبه مستحيل» is read as ICD-203's remote band, shown in qimma's one form
    assert estimate("هذا شبه مستحيل").label("ar").startswith("احتمال ضئيل جدًا")  # type: ignore[union-attr]
    assert icd203.wording_range(0.3, 0.5, "ar") == "من غير مرجح إلى احتمال متكافئ تقريبًا"


@pytest.mark.parametrize(
    "sentence",
    [
        "لكن من غير الواضح معرفة إن كانت هذه المرحلة ستكون على أساس الصراع أو التعاون.",
        "It is unclear whether the talks will resume.",
    ],
)
def test_unclear_is_no_estimate(sentence):
    assert estimate(sentence) is None


def test_unclear_does_not_hide_a_real_cue():
    est = estimate("من غير الواضح متى، لكن من المرجح أن تستمر الحرب")
    assert est is not None and est.band == "likely"


def test_glyph_text_keeps_looking_past_an_empty_text_and_unmirrors_brackets():
    m = GlyphText({7: "(", 8: ")", 9: "\u064f"})
    m[5] = ""  # second glyph of a lam-alef cluster
    assert 5 not in m
    m[5] = "أ"
    assert 5 in m and m[5] == "أ"
    m[5] = ""
    assert m[5] == "أ"
    m[8] = "("  # the glyph of ")" drawn for "(" in right-to-left text
    assert m[8] == ")"
    m[9] = "أُ"  # a damma drawn first in its cluster
    assert m[9] == "\u064f"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_weasyprint_pdf_text_after_the_fix(tmp_path):
    from weasyprint import HTML

    from qimma.report.pdf_text import fix_text_layer

    fix_text_layer()
    html = (
        "<html lang=\"en\"><body style=\"font-family:'Noto Sans', 'Noto Naskh Arabic'\">"
        '<p dir="rtl" lang="ar">الأراضي (الإقليم) الأمن</p><p dir="rtl">ألاسكا أخرى أُنشئ</p>'
        "<p>Western recognition of Russia's gains (59.5; 80% interval 46–86) and more English "
        "words than Arabic ones on the page, as in the English report.</p></body></html>"
    )
    HTML(string=html).write_pdf(tmp_path / "t.pdf")
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "t.pdf"), "-"], capture_output=True, text=True
    ).stdout
    for word in ("الأراضي", "ألاسكا", "أخرى", "الأمن", "(59.5; 80% interval 46–86)"):
        assert word in text, (word, text)


@pytest.mark.parametrize(
    ("args", "arabic"),
    [
        (["forecast", "--bogus", "--lang", "ar"], "لا يوجد خيار باسم"),
        (["forecast", "--draws", "x", "--lang", "ar"], "عددًا صحيحًا"),
        (["evidence", "--lang", "ar"], "ينقص"),
        (["forecast", "--dist", "foo", "--lang=ar"], "واحدة من"),
        (["nosuch", "-l", "ar"], "لا يوجد أمر"),
        (["forecast", "a", "b", "-l", "ar"], "وسائط زائدة"),
    ],
)
def test_usage_errors_in_arabic(args, arabic, capsys):
    from qimma.cli.main import run

    assert run(args) == 2
    err = capsys.readouterr().err
    assert arabic in err and "--help" in err
    assert not re.search(r"No such|Invalid value|Missing|Usage:|Error:|Try ", err)


def test_usage_error_language_from_the_environment(capsys, monkeypatch):
    from qimma.cli.main import run

    monkeypatch.setenv("QIMMA_LANG", "ar")
    assert run(["forecast", "--bogus"]) == 2
    assert "لا يوجد خيار باسم" in capsys.readouterr().err
    monkeypatch.delenv("QIMMA_LANG")
    assert run(["forecast", "--bogus"]) == 2
    assert "No such option" in capsys.readouterr().err


def test_a_text_held_in_english_only_is_shown_marked_as_english():
    from qimma.i18n import english_only

    note = "Not modelled: the EU is <one> actor."
    assert english_only(note, "en") == note
    assert english_only(note, "ar") == f"(بالإنجليزية) \u2066{note}\u2069"
    html = english_only(note, "ar", html=True)
    bdi = '<bdi lang="en" dir="ltr">Not modelled: the EU is &lt;one&gt; actor.</bdi>'
    assert html == f"(بالإنجليزية) {bdi}"
    assert english_only("", "ar") == "" and english_only(note, "en", html=True) == (
        "Not modelled: the EU is &lt;one&gt; actor."
    )


def test_source_dates_are_said_in_the_language_of_the_output():
    """'(spring, inferred)' came through in English in the Arabic report."""
    from qimma.i18n import dated

    assert dated("2025 (spring, inferred)", "ar") == "2025 (ربيع، مستنتج)"
    assert dated("April 2025", "ar") == "أبريل 2025"
    assert dated("2025 (spring, inferred)", "en") == "2025 (spring, inferred)"
    assert dated("2025-08-16", "ar") == "2025-08-16"


def test_a_percentage_at_a_band_edge_keeps_a_decimal_so_words_and_number_agree():
    from qimma.analysis import icd203
    from qimma.analysis.judgements import agreement

    # 44.7% and 45.2% are in different ICD-203 bands (edge 45): both would print as "45%"
    assert icd203.percent_text(0.447) == "44.7" and icd203.wording(0.447, "en") == "unlikely"
    assert icd203.percent_text(0.452) == "45.2" and icd203.wording(0.452, "en") != "unlikely"
    assert icd203.percent_text(0.33) == "33" and icd203.percent_text(0.05) == "5.0"
    # a verdict is taken at the printed precision: 95.0% is inside a 80-95 band, not above it
    assert agreement(0.9500000001, 80, 95) == "agrees" and agreement(0.9506, 80, 95) == "higher"
