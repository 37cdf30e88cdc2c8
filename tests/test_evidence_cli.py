"""The corpus and evidence commands, end to end, on a private copy of the seeded store."""

from __future__ import annotations

import pytest

from qimma.cli.main import run
from qimma.evidence import store as st
from qimma.scenario.formats import load_default_scenario
from qimma.store.db import open_store
from tests.evidence_helpers import DOC1, seeded_store_copy


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = seeded_store_copy(tmp_path)
    monkeypatch.setenv("QIMMA_STORE", url)
    return url


def test_corpus_clean_prints_the_cleaned_seed(capsys):
    assert run(["corpus", "clean", str(DOC1)]) == 0
    out = capsys.readouterr().out
    assert "لا يتم رفض التقارب مع موسكو بشكل كامل." in out and "Rouya" not in out


def test_corpus_list_and_search(store_url, capsys):
    assert run(["corpus", "list"]) == 0
    out = capsys.readouterr().out
    assert "doc1" in out and "doc2" in out
    assert run(["corpus", "search", "ويتكوف", "--mode", "bm25", "-n", "3"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. [doc1.") and "ويتكوف" in out


def test_corpus_search_english_finds_arabic(store_url, capsys):
    assert run(["corpus", "search", "Nobel Peace Prize", "-n", "5"]) == 0
    assert "نوبل" in capsys.readouterr().out


def test_statements_and_evidence(store_url, capsys):
    assert run(["corpus", "statements"]) == 0
    out = capsys.readouterr().out
    assert "unlikely (20–45%)" in out and "«غير مرجح»" in out
    assert run(["corpus", "statements", "--lang", "ar"]) == 0
    assert "غير مرجح (20–45٪)" in capsys.readouterr().out
    assert run(["evidence", "RUS", "SANC", "-n", "5"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1.*[")  # the scenario's own cited passage comes first
    assert run(["evidence", "NOBODY", "SANC"]) == 2
    assert "unknown actor 'NOBODY'" in " ".join(capsys.readouterr().err.split())


def test_add_refuses_hostile_files_together_and_keeps_the_store(store_url, tmp_path, capsys):
    good = tmp_path / "note.md"
    good.write_text("# ملاحظة\n\nقال الكرملين إن الحياد شرط أساسي.\n", encoding="utf-8")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    engine = open_store(store_url)
    before = st.count_passages(engine)
    assert run(["corpus", "add", str(good), str(binary)]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "binary" in err and "blob.txt" in err
    assert st.count_passages(engine) == before  # the good file was not added either
    assert run(["--help"]) == 0
    assert run(["corpus", "add", str(good), "--author", "باحث"]) == 0
    assert "added" in capsys.readouterr().out
    assert st.count_passages(engine) == before + 2  # the heading and the sentence
    assert run(["corpus", "add", str(good)]) == 0
    assert "already present" in capsys.readouterr().out


def test_add_error_in_arabic(store_url, tmp_path, capsys):
    assert run(["corpus", "add", str(tmp_path / "missing.txt"), "--lang", "ar"]) == 2
    assert "الملف غير موجود" in " ".join(capsys.readouterr().err.split())  # rich may wrap


def test_default_scenario_evidence_resolves_into_the_seeds(store_url):
    from qimma.evidence.links import check_evidence_links

    problems = check_evidence_links(load_default_scenario(), open_store(store_url))
    assert problems == []


def test_broken_links_are_reported(store_url):
    from qimma.evidence.links import check_evidence_links
    from qimma.scenario.model import Evidence

    s = load_default_scenario()
    s.stances[0].evidence.append("NO_SUCH_QUOTE")
    s.evidence[0] = Evidence(
        id=s.evidence[0].id, source=s.evidence[0].source, quote="نص لم يكتبه أحد."
    )
    s.evidence.append(Evidence(id="X1", source="doc9", quote="أي شيء"))
    problems = check_evidence_links(s, open_store(store_url))
    text = "\n".join(p.message_en for p in problems)
    assert "'NO_SUCH_QUOTE' is dangling" in text
    assert f"'{s.evidence[0].id}': the quote no longer matches" in text
    assert "source 'doc9' is not in the corpus" in text
    assert all(p.message_ar and p.fix_ar for p in problems)


def test_validate_evidence_flag(store_url, tmp_path, capsys):
    from qimma.scenario.formats import save_scenario

    good = tmp_path / "default.yaml"
    save_scenario(load_default_scenario(), good)
    assert run(["validate", str(good), "--evidence"]) == 0
    s = load_default_scenario()
    s.evidence[0].quote = "اقتباس لا يوجد في أي وثيقة."
    bad = tmp_path / "edited.yaml"
    save_scenario(s, bad)
    assert run(["validate", str(bad), "--evidence"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert f"evidence '{s.evidence[0].id}': the quote no longer matches" in err
    assert str(bad) in err


def test_evidence_in_english_shows_the_stored_translations(store_url, capsys):
    assert run(["evidence", "RUS", "TERR", "-n", "10"]) == 0
    out = capsys.readouterr().out
    translated = [ln for ln in out.splitlines() if ln.strip().startswith("EN: ")]
    assert len(translated) >= 5 and "Donetsk" in out
    assert run(["evidence", "RUS", "TERR", "-n", "3", "--lang", "ar"]) == 0
    assert "EN: " not in capsys.readouterr().out
