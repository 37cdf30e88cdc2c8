"""Store, search and ingestion: the seeds pre-ingested, search in both languages, PDF and HTML
articles added, hostile files refused with the store intact."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs
from sqlalchemy import create_engine

from qimma.errors import InputError
from qimma.evidence import semantic
from qimma.evidence import store as st
from qimma.evidence.corpus import add, ensure_default_corpus
from qimma.evidence.ingest import read_document
from qimma.evidence.normalise import search_terms
from qimma.evidence.search import bm25_rank, bm25_search, search
from qimma.store.db import open_store
from tests.evidence_helpers import scenario_with_lexicon, seeded_store_copy, seeded_store_file


@pytest.fixture(scope="module")
def seeded():
    return create_engine(f"sqlite:///{seeded_store_file()}")


@pytest.fixture
def writable(tmp_path):
    return open_store(seeded_store_copy(tmp_path))


def test_seeds_are_pre_ingested_once(seeded):
    docs = {d["id"]: d for d in st.list_documents(seeded)}
    assert set(docs) == {"doc1", "doc2"} and all(d["is_default"] for d in docs.values())
    n = st.count_passages(seeded)
    assert n > 200
    assert ensure_default_corpus(seeded, scenario_with_lexicon()) == []
    assert st.count_passages(seeded) == n


def test_bm25_matches_clitic_forms(seeded):
    hits = bm25_search(seeded, "للعقوبات", limit=20)
    assert hits and all("عقوب" in h.passage.norm for h in hits)


def test_python_bm25_agrees_with_fts5(seeded):
    """The PostgreSQL path (Python BM25) ranks like SQLite's FTS5 bm25()."""
    rows = st.all_passages(seeded)
    for q in ["العقوبات على روسيا", "حياد أوكرانيا", "هدنة مؤقتة"]:
        fts = [h.passage.id for h in bm25_search(seeded, q, limit=5)]
        py = [rows[i].id for i, _ in bm25_rank([r.norm.split() for r in rows], search_terms(q))[:5]]
        assert fts == py, q


needs_model = pytest.mark.skipif(not semantic.available(), reason="embedding model not installed")


@needs_model
def test_english_query_finds_arabic_passages(seeded):
    hits = search(
        seeded, "Russia demands that Ukraine be neutral and disarmed", mode="semantic", limit=5
    ).hits
    assert any(
        h.passage.id.startswith(("doc1", "doc2")) and "روسيا" in h.passage.text for h in hits
    )
    assert all(h.passage.language == "ar" for h in hits)
    assert any("الحياد" in h.passage.text or "حياد" in h.passage.text for h in hits)


@needs_model
def test_arabic_query_finds_the_english_abstract(seeded):
    hits = search(
        seeded, "العناصر الأرضية النادرة والتنافس مع الصين", mode="semantic", limit=5
    ).hits
    assert any(h.passage.text.startswith("Rare earth elements") for h in hits)


def test_fused_search_returns_bm25_hits_too(seeded):
    res = search(seeded, "ويتكوف", mode="fused", limit=5)
    assert any("ويتكوف" in h.passage.text for h in res.hits)


def _arabic_pdf(path, body: str, title: str = "تقرير تجريبي"):
    import weasyprint

    html = (
        f'<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="author" content="باحث مساعد">'
        '<style>body{font-family:"Noto Naskh Arabic";font-size:13pt}</style></head>'
        f"<body>{body}</body></html>"
    )
    weasyprint.HTML(string=html).write_pdf(str(path))


def test_add_an_arabic_pdf(writable, tmp_path):
    pdf = tmp_path / "report.pdf"
    _arabic_pdf(
        pdf,
        "<p>قالت موسكو إن العقوبات (الأمريكية) لن تغير موقفها، ومن المرجح أن تستمر الحرب.</p>"
        "<p>ويرى الكرملين أن «الحياد» شرط أساسي لأي اتفاق مع كييف.</p>",
    )
    doc = read_document(pdf)
    assert doc.meta.title == "تقرير تجريبي" and doc.meta.author == "باحث مساعد"
    assert doc.meta.language == "ar"
    assert "قالت موسكو إن العقوبات (الأمريكية) لن تغير موقفها" in doc.text  # brackets un-mirrored
    assert "«الحياد»" in doc.text
    before = st.count_passages(writable)
    assert add(writable, [doc]) == [doc.id]
    assert st.count_passages(writable) == before + len(doc.passages)
    assert any(doc.id in h.passage.id for h in bm25_search(writable, "الحياد شرط", limit=3))


def test_add_an_html_article(writable, tmp_path):
    page = tmp_path / "article.html"
    para = "The Kremlin insists that any ceasefire must recognise its territorial gains. " * 4
    page.write_text(
        "<html><head><title>Alaska summit analysis</title>"
        '<meta name="author" content="Jane Analyst"></head><body>'
        "<nav>Home | About | Contact</nav><article><h1>Alaska summit analysis</h1>"
        f"<p>{para}</p><p>Washington is likely to ease some sanctions if talks progress, "
        "according to officials familiar with the talks.</p></article>"
        "<footer>Copyright 2025 Example Media</footer></body></html>",
        encoding="utf-8",
    )
    doc = read_document(page)
    assert doc.meta.title == "Alaska summit analysis" and doc.meta.language == "en"
    assert "Kremlin insists" in doc.text and "Home | About" not in doc.text
    add(writable, [doc])
    assert bm25_search(writable, "Kremlin ceasefire", limit=1)[0].passage.document_id == doc.id


def _refused(engine, path) -> InputError:
    before = st.count_passages(engine)
    with pytest.raises(InputError) as err:
        add(engine, [read_document(path)])
    assert st.count_passages(engine) == before
    p = err.value.problems[0]
    assert p.file == str(path) and p.message_ar and p.fix_en and p.fix_ar
    return err.value


def test_huge_file_is_refused_without_reading_it(writable, tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: no 200 MB written
    assert "too large" in _refused(writable, big).problems[0].message_en


def test_binary_file_is_refused(writable, tmp_path):
    b = tmp_path / "image.txt"
    b.write_bytes(bytes(range(256)) * 40)
    assert "binary" in _refused(writable, b).problems[0].message_en


def test_wrong_encoding_is_refused_with_line(writable, tmp_path):
    f = tmp_path / "cp1256.txt"
    f.write_bytes("سطر أول\nموسكو والكرملين".encode("cp1256"))
    e = _refused(writable, f)
    assert "not UTF-8" in e.problems[0].message_en and e.problems[0].line == 1
    assert "cp1256" in (e.problems[0].fix_en or "")


def test_pdf_without_text_layer_is_refused(writable, tmp_path):
    import matplotlib.pyplot as plt
    import numpy as np

    png = tmp_path / "scan.png"
    plt.imsave(png, np.random.default_rng(0).random((60, 80)), cmap="gray")
    import weasyprint

    pdf = tmp_path / "scan.pdf"
    weasyprint.HTML(string=f'<img src="{png.as_uri()}" style="width:10cm">').write_pdf(str(pdf))
    assert "no text layer" in _refused(writable, pdf).problems[0].message_en


def test_fake_and_damaged_pdfs_are_refused(writable, tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_text("just text", encoding="utf-8")
    assert "not a PDF" in _refused(writable, fake).problems[0].message_en
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8)
    _refused(writable, broken)


def test_empty_and_unknown_files_are_refused(writable, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert "empty" in _refused(writable, empty).problems[0].message_en
    doc = tmp_path / "notes.docx"
    doc.write_bytes(b"PK\x03\x04")
    assert "unsupported" in _refused(writable, doc).problems[0].message_en


@settings(max_examples=40, deadline=None)
@given(data=hs.binary(max_size=400), suffix=hs.sampled_from([".txt", ".md", ".html", ".pdf"]))
def test_any_bytes_give_a_document_or_an_input_error(data, suffix):
    """The readers never fail with anything but a bilingual InputError."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / f"fuzz{suffix}"
        f.write_bytes(data)
        try:
            doc = read_document(f)
        except InputError as e:
            assert e.problems and e.problems[0].message_ar
        else:
            assert doc.text.strip() and doc.passages
