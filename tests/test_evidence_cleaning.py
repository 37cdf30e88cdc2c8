"""The PDF-extraction cleaner, rule by rule, on the exact examples of the artifact catalogue
(shared/design/seed-scenario-draft.yaml, cleaning_artifacts_doc1, A01-A23), negatives included."""

from __future__ import annotations

import pytest

from qimma.evidence import cleaning as c


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("البًلاد،", "البلاد،"),  # A01 line 109
        ("مبًاشًر", "مباشر"),  # line 41
        ("شًكوك", "شكوك"),  # line 54
        ("البًاردة", "الباردة"),  # line 212
        ("ثًانيًا،", "ثانيًا،"),  # line 208: the word-final tanween stays
        ("أثًّر", "أثّر"),  # A02 line 58 (letter + U+064B + shadda in the file)
        ("أث\u0651\u064br", "أث\u0651r"),  # A02 other order: letter + shadda + U+064B
        ("ثًَمّ", "ثَمّ"),  # line 80
        ("شًُكّلت", "شُكّلت"),  # line 153
        ("تُجبًَر", "تُجبَر"),  # line 129
        ("ومُسبًّبًها", "ومُسبّبها"),  # line 117
    ],
)
def test_a01_a02_spurious_tanween(raw, expected):
    assert c.drop_spurious_tanween(c.collapse_double_tanween(raw)) == expected


@pytest.mark.parametrize("word", ["ثانيًا", "سببًا", "قريبًا", "عبثًا", "ماءً"])
def test_a01_legitimate_tanween_is_kept(word):
    assert c.drop_spurious_tanween(word) == word


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("أيضًًا", "أيضًا"),  # A03 line 14
        ("سبًبًًا", "سببًا"),  # line 302: A03 then A01
        ("مبًعوثًًا", "مبعوثًا"),  # line 44
        ("نقاشًًا", "نقاشًا"),  # line 39
    ],
)
def test_a03_double_tanween(raw, expected):
    assert c.drop_spurious_tanween(c.collapse_double_tanween(raw)) == expected


def test_a04_tanween_after_alef():
    assert c.drop_tanween_after_alef("بدلًاً") == "بدلًا"  # line 399
    # deviation (documented): tanween written on the alef alone is a spelling, not damage
    assert c.drop_tanween_after_alef("كتاباً") == "كتاباً"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "التعاون  احتمالات  إن  مع موسكو.  للمساومة  أداة  لأوكرانيا  المقدمة  والمساعدات  "
            "العقوبات  تكون ",
            "تكون العقوبات والمساعدات المقدمة لأوكرانيا أداة للمساومة مع موسكو. "
            "إن احتمالات التعاون",
        ),
        (
            "الدائر  والنقاش  الصين،  مع  النفوذ  على  والتنافس  النادرة،  الأرض  عناصر  وتُعدّ  "
            "متشابكة.  والصراع ",
            "والصراع متشابكة. وتُعدّ عناصر الأرض النادرة، والتنافس على النفوذ مع الصين، والنقاش "
            "الدائر",
        ),
        (
            "ترامب لستيف ويتكوف مبعوثًا خاصًا  تعيين  فإن  إلى ذلك،  بالاهتمام. بالإضافة  جديرة ",
            "جديرة بالاهتمام. بالإضافة إلى ذلك، فإن تعيين ترامب لستيف ويتكوف مبعوثًا خاصًا",
        ),
        # a line with single spaces only is already in reading order
        ("قد يتصرف ترامب، في أثناء تعامله", "قد يتصرف ترامب، في أثناء تعامله"),
    ],
)
def test_a05_justified_lines(raw, expected):
    assert c.fix_justified_line(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("،2025 يناير", "يناير 2025،"),
        ("2017 عامي", "عامي 2017"),
        ("،2024 عام", "عام 2024،"),
        ("%50 على", "على 50%"),
        ("30 لمدة", "لمدة 30"),
        ("الأوكرانية- العلاقات", "العلاقات الأوكرانية-"),
        # negatives: longer segments and footnote-ended segments stay as they are
        ("المنطقة- إلى ترك إرث من العلاقات", "المنطقة- إلى ترك إرث من العلاقات"),
        ("الأوروبي؛5 كما تؤكد", "الأوروبي؛5 كما تؤكد"),
        ("الناتو في", "الناتو في"),
    ],
)
def test_a06_two_token_segments(raw, expected):
    assert c.fix_two_token_segment(raw) == expected


def test_a07_mirrored_parentheses():
    assert c.fix_mirrored_parentheses(")وإن كان غير مرجح(") == "(وإن كان غير مرجح)"
    assert c.fix_mirrored_parentheses("(أ) و(ب)") == "(أ) و(ب)"  # correct pairs untouched
    assert c.fix_mirrored_parentheses("(a) and (b)") == "(a) and (b)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("»ستارلينك«", "«ستارلينك»"),
        ("»مخرج«", "«مخرج»"),
        ("»دمية«", "«دمية»"),
        ("»عظيمة مرة أخرى«", "«عظيمة مرة أخرى»"),
        ("»إعادة أمريكا عظيمة مجددًا« سيركز", "«إعادة أمريكا عظيمة مجددًا» سيركز"),
        ("بـ«إزالة الأسباب الرئيسة للحرب«،", "بـ«إزالة الأسباب الرئيسة للحرب»،"),
        ("«صحيح» ثم «صحيح»", "«صحيح» ثم «صحيح»"),  # correct Arabic quotes untouched
    ],
)
def test_a08_mirrored_guillemets(raw, expected):
    assert c.fix_mirrored_guillemets(raw) == expected


def test_a09_a10_page_furniture_dropped_and_sentence_rejoined():
    lines = [
        "أهداف أوكرانيا تتمحور حول تحرير القرم، ولكن مع مرور الوقت تطور هذا الهدف ليشمل",
        "",
        "",
        "",
        "68",
        "",
        "محمد تشاغاتاي غولرالأأبحاث - الدرا\ufffdسات",
        "",
        "Rouya Turkiyyah",
        "",
        "استعادة القرم مع المناطق الأخرى التي تحتلها روسيا",
    ]
    assert c.drop_page_furniture(lines) == [lines[0], lines[-1]]


def test_a09_sentence_end_next_to_page_number_is_kept():
    # a tail line ending a sentence is never taken for a header, even next to a page number
    lines = ["نص طويل", "", "هذا الرأي.", "", "68", "", "تتمة"]
    out = c.drop_page_furniture(lines)
    assert "هذا الرأي." in out and "68" not in out


def test_a11_pull_quote_dropped():
    body_before = (
        "من ناحية أخرى، وعلى الرغم من أن هامش المناورة ضيق، "
        "إلا أنه لا يتم رفض التقارب مع موسكو بشكل"
    )
    lines = [
        body_before,
        "",
        "ترى إدارة ترامب في أوكرانيا",
        "ســـياق  في  تفاوضيـــة  أداة",
        "تحقيـــق مصالحهـــا، وتراها",
        "الصـــراع  في  جبهـــة  أيضًًـــا",
        "مع القـــوى العالميـــة الكبرى",
        "كامل. بدلًا من ذلك، ترى إدارة ترامب في أوكرانيا أداة تفاوضية في",
        "سياق تحقيق مصالحها، وكذلك تراها جبهة في الصراع مع القوى العالمية الكبرى.",
    ]
    assert c.drop_pull_quotes(lines) == [body_before, *lines[7:]]


def test_a11_short_lines_without_kashida_are_kept():
    lines = ["ويضم روسيا والصين وإيران وكوريا الشمالية، وتسعى", "في الآونة الأخيرة. كما يسعى"]
    assert c.drop_pull_quotes(lines) == lines


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("ســـياق", "سياق"), ("تفاوضيـــة", "تفاوضية"), ("أيضًًـــا", "أيضًًا"), ("بـ«", "بـ«")],
)
def test_a12_tatweel(raw, expected):
    assert c.drop_tatweel(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("موقعها.1 وفي", "موقعها. وفي"),
        ("ذاته.2", "ذاته."),
        ("الاسترضاء3 التي", "الاسترضاء التي"),
        ("الأوروبي؛5 كما", "الأوروبي؛ كما"),
        ("للغاية.10 في", "للغاية. في"),
        ("التحالف12 ويعمّق", "التحالف ويعمّق"),
        ("الآراء.13", "الآراء."),
        ("محمد تشاغاتاي غولر*", "محمد تشاغاتاي غولر"),
        # negatives: conjunction + year, quantities, percentages
        ("بين عامي 2017 و2021", "بين عامي 2017 و2021"),
        ("في غضون 24 ساعة", "في غضون 24 ساعة"),
        ("استغرق 90 دقيقة", "استغرق 90 دقيقة"),
        ("لمدة 30 يومًا", "لمدة 30 يومًا"),
        ("على 50%", "على 50%"),
    ],
)
def test_a13_footnote_numbers(raw, expected):
    assert c.drop_footnote_numbers(raw) == expected


def test_a14_a15_a21_a22_paragraphs():
    lines = [
        "مقدمة",  # heading (A21)
        "بعد تولي دونالد ترامب مجددًا رئاسة الولايات المتحدة في يناير 2025، دخلت العلاقات",
        "الأمريكية-الروسية مرحلة جديدة أكثر تعقيدًا وتشعبًا. وفي هذا الإطار، فإن المسألة",
        "",
        "الأكثر نقاشًا هي التحول.",  # tail isolated by blank lines (A14)
        "",
        "قبل تحليل العلاقات في الفترة الأخيرة، من الضروري التطرق بإيجاز إلى المرحلة السابقة. إذ",
        "ويضم روسيا والصين وإيران وكوريا الشمالية، وتسعى",  # narrow wrap, not a heading (A22)
        "",
        "والعالمي.",
        # A15: a lost paragraph break after the tail
        "في هذا الإطار، يُعدّ خطاب نائب الرئيس الأمريكي ج. د. فانس في مؤتمر ميونيخ للأمن مكمّلًا",
    ]
    paras = c.assemble_paragraphs(lines)
    assert paras[0] == "مقدمة"
    assert paras[1].endswith("فإن المسألة الأكثر نقاشًا هي التحول.")
    assert "إذ ويضم روسيا والصين وإيران وكوريا الشمالية، وتسعى والعالمي." in paras[2]
    assert paras[3].startswith("في هذا الإطار")
    assert len(paras) == 4


def test_a16_lines_are_stripped():
    assert c.fix_justified_line(" مقدمة") == "مقدمة"
    assert c.fix_justified_line(" معها. ") == "معها."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("الأمريكية- الروسية", "الأمريكية-الروسية"),
        ("الروسية- الأمريكية", "الروسية-الأمريكية"),
        ("فوز-فوز", "فوز-فوز"),
    ],
)
def test_a17_split_compounds(raw, expected):
    assert c.join_split_compounds(raw) == expected


def test_a17_compound_split_across_lines():
    filler = "كلمة " * 15
    assert c.assemble_paragraphs([filler + "العلاقات الأمريكية-", "الروسية ستظل"]) == [
        filler + "العلاقات الأمريكية-الروسية ستظل"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("نفوذها في واشنطن- صدى واسعًا", "نفوذها في واشنطن – صدى واسعًا"),
        ("الجيش الروسي -رغم أن", "الجيش الروسي – رغم أن"),
        ("والنظام -وفي النهاية", "والنظام – وفي النهاية"),
        ("وكوريا الشمالية- تُعدّ مقاربة", "وكوريا الشمالية – تُعدّ مقاربة"),
        ("US-Russia relations", "US-Russia relations"),
    ],
)
def test_a18_parenthetical_dashes(raw, expected):
    assert c.normalise_parenthetical_dashes(raw) == expected


def test_a19_english_soft_hyphen_and_blank_lines():
    lines = ["the debate re-", "", "volving around the European Security Architecture"]
    assert c.assemble_paragraphs(lines) == [
        "the debate revolving around the European Security Architecture"
    ]


def test_a20_shadda_slips_are_reported_not_changed():
    text = "لم يتحققّ حتى الآن، حوّلت الولايات المتحدة مسؤولّيتها، وهي تتّخذه"
    assert c.clean_characters(text) == text
    found = c.suspected_shadda_slips(text)
    assert "يتحققّ" in found and "مسؤولّيتها" in found
    assert "تتّخذه" not in found  # shadda on the second of two letters is correct


@pytest.mark.parametrize("typo", ["بالقلق انسحاب", "الأوربيّ", "سينتهي الحرب"])
def test_a23_source_typos_survive(typo):
    assert typo in c.clean_characters(f"إن قادة أوروبا {typo} في النهاية.")
