"""Read a document (.txt, .md, .html, .pdf) into cleaned text, metadata and passages.

Nothing here touches the store: a file is read, checked and cleaned completely first, so a bad
file can never leave half a document behind. Every refusal is a bilingual :class:`InputError`
naming the file and the fix.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from qimma.errors import InputError
from qimma.evidence.cleaning import (
    clean_characters,
    clean_pdf_text,
    looks_like_pdf_extraction,
)
from qimma.evidence.segment import Passage, segment

MAX_BYTES = 20 * 1024 * 1024  # a 20 MB analysis is already a book; bigger is a mistake
TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm"}
PDF_SUFFIXES = {".pdf"}
_ID_CLEAN = re.compile(r"[^A-Za-z0-9_.\-]+")


@dataclass
class Metadata:
    title: str = ""
    author: str = ""
    venue: str = ""
    date: str = ""
    language: str = ""

    def merged(self, override: Metadata) -> Metadata:
        """Options given by the user win over what the file says."""
        return Metadata(
            *(getattr(override, f) or getattr(self, f) for f in self.__dataclass_fields__)
        )


@dataclass
class Document:
    id: str
    text: str
    meta: Metadata
    origin: str
    sha256: str
    passages: list[Passage] = field(default_factory=list)
    review: list[str] = field(default_factory=list)


def _fail(path: Path, en: str, ar: str, fix_en: str, fix_ar: str, line: int | None = None):  # type: ignore[no-untyped-def]
    return InputError.single(en, ar, file=str(path), line=line, fix_en=fix_en, fix_ar=fix_ar)


def detect_language(text: str) -> str:
    arabic = len(re.findall(r"[\u0621-\u064a]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "ar" if arabic >= latin else "en"


def document_id(path: Path, data: bytes) -> str:
    """A readable, stable id: the file's stem (ASCII-safe) plus 8 hex digits of its content."""
    stem = _ID_CLEAN.sub("-", path.stem).strip("-.")[:40] or "doc"
    if not stem[0].isalpha():
        stem = "d" + stem
    return f"{stem}-{hashlib.sha256(data).hexdigest()[:8]}"


def _check_size(path: Path) -> None:
    if not path.exists():
        raise _fail(
            path,
            "file not found",
            "الملف غير موجود",
            "check the path and the file name",
            "تحقق من المسار واسم الملف",
        )
    if not path.is_file():
        raise _fail(path, "not a file", "ليس ملفًا", "give a document file", "حدد ملف مستند")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise _fail(
            path,
            f"the file is too large ({size / 2**20:.0f} MiB; "
            f"the limit is {MAX_BYTES / 2**20:.0f} MiB)",
            f"الملف كبير جدًا ({size / 2**20:.0f} ميغابايت؛ الحد {MAX_BYTES / 2**20:.0f} ميغابايت)",
            "split the document, or give only the article's text",
            "قسّم المستند أو قدّم نص المقال وحده",
        )
    if size == 0:
        raise _fail(
            path, "the file is empty", "الملف فارغ", "give a file with text", "قدّم ملفًا فيه نص"
        )


def _decode_text(path: Path, data: bytes) -> str:
    if b"\x00" in data[:65536]:
        raise _fail(
            path,
            "this is a binary file, not text",
            "هذا ملف ثنائي وليس نصًا",
            "give a .txt, .md, .html or .pdf document",
            "قدّم مستندًا بصيغة .txt أو .md أو .html أو .pdf",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise _fail(
            path,
            f"the text is not UTF-8 (undecodable byte 0x{data[e.start]:02x} at byte {e.start})",
            f"النص ليس بترميز UTF-8 "
            f"(بايت غير قابل للفك 0x{data[e.start]:02x} عند البايت {e.start})",
            "save the file as UTF-8 (Arabic Windows files: iconv -f cp1256 -t utf-8 FILE)",
            "احفظ الملف بترميز UTF-8 (لملفات ويندوز العربية: iconv -f cp1256 -t utf-8 FILE)",
            line=line,
        ) from None
    text = unicodedata.normalize("NFC", text)
    if "\ufffd" in text and text.count("\ufffd") > max(10, len(text) // 100):
        raise _fail(
            path,
            "the text is full of replacement characters (�): it was decoded with a wrong encoding",
            "النص مليء بمحارف الاستبدال (�): فُكّ ترميزه بترميز خاطئ",
            "convert it from its real encoding to UTF-8",
            "حوّله من ترميزه الحقيقي إلى UTF-8",
        )
    return text


_BOILERPLATE = re.compile(
    r"^(?:-\s*(?:Posted by|Category|By)\s*:.*|لا توجد تعليقات|المقالات|\S.* > \S.* > \S.*)$"
)


def drop_web_boilerplate(text: str) -> str:
    """Lines a web page copy carries that are not the article (breadcrumbs, 'Posted by', ...)."""
    return "\n".join(line for line in text.split("\n") if not _BOILERPLATE.match(line.strip()))


def plain_paragraphs(text: str) -> str:
    """Paragraphs separated by blank lines. Hard-wrapped text (short lines, blank lines between
    paragraphs) keeps its blank lines; one-paragraph-per-line text gets one between lines."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    full = [line for line in lines if line]
    if not full:
        return ""
    wrapped = any(not line for line in lines) and sum(map(len, full)) / len(full) < 120
    if wrapped:
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return "\n\n".join(full)


_MD = [
    (re.compile(r"^#{1,6}\s*", re.M), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__|\*|_|`)(\S.*?\S|\S)\1"), r"\2"),
    (re.compile(r"^\s*[-*+]\s+", re.M), ""),
    (re.compile(r"^>\s?", re.M), ""),
]


def strip_markdown(text: str) -> str:
    for pat, rep in _MD:
        text = pat.sub(rep, text)
    return text


def _md_title(text: str) -> str:
    m = re.search(r"^#\s+(.+)$", text, re.M)
    return m.group(1).strip() if m else ""


def _tidy(text: str) -> str:
    """Typed (not extracted) text keeps its characters: only spacing is tidied."""
    return "\n\n".join(re.sub(r"[ \t]+", " ", p).strip() for p in text.split("\n\n"))


def read_text_file(path: Path, data: bytes) -> tuple[str, Metadata, list[str]]:
    raw = _decode_text(path, data)
    meta = Metadata()
    if path.suffix.lower() in (".md", ".markdown"):
        meta.title = _md_title(raw)
        raw = strip_markdown(raw)
    if looks_like_pdf_extraction(raw):
        result = clean_pdf_text(raw)
        return result.text, meta, result.review
    return _tidy(plain_paragraphs(drop_web_boilerplate(raw))), meta, []


def read_html_file(path: Path, data: bytes) -> tuple[str, Metadata, list[str]]:
    import trafilatura

    html = _decode_text(path, data)
    body = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_recall=True
    )
    if not body or not body.strip():
        raise _fail(
            path,
            "no article text found in this HTML page",
            "لم يُعثر على نص مقال في صفحة HTML هذه",
            "save the article page itself (not a list or index page), or copy its text into a .txt",
            "احفظ صفحة المقال نفسها (لا صفحة فهرس) أو انسخ نصها إلى ملف .txt",
        )
    m = trafilatura.extract_metadata(html)
    meta = Metadata(
        title=(m.title or "") if m else "",
        author=(m.author or "") if m else "",
        venue=(m.sitename or "") if m else "",
        date=(m.date or "") if m else "",
    )
    return _tidy(plain_paragraphs(body)), meta, []


def _pdf_paragraphs(lines: list[str]) -> list[str]:
    """pdfplumber gives lines without paragraph gaps: a short line ending a sentence ends one."""
    if not lines:
        return []
    width = sorted(len(x) for x in lines)[len(lines) // 2]
    paras: list[list[str]] = [[]]
    for line in lines:
        paras[-1].append(line)
        if line.endswith((".", "؟", "?", "!", ":")) and len(line) < 0.8 * width:
            paras.append([])
    return [" ".join(p) for p in paras if p]


def _page_text(page) -> str:  # type: ignore[no-untyped-def]
    """A page's lines; brackets and marks sit on slightly different baselines in Arabic fonts,
    so lines are grouped with a tolerance of 0.7 font size (pdfplumber's default is 3 pt)."""
    sizes = sorted(float(c.get("size", 10)) for c in page.chars) or [10.0]
    tol = max(3.0, 0.7 * sizes[len(sizes) // 2])
    return page.extract_text(y_tolerance=tol) or ""


def read_pdf_file(path: Path, data: bytes) -> tuple[str, Metadata, list[str]]:
    import pdfplumber
    from bidi.algorithm import get_display

    if not data.startswith(b"%PDF-"):
        raise _fail(
            path,
            "this file is not a PDF (it lacks the %PDF header)",
            "هذا الملف ليس PDF (ينقصه الترويسة %PDF)",
            "give a real PDF, or rename the file to its real type",
            "قدّم ملف PDF حقيقيًا أو غيّر امتداد الملف إلى نوعه الحقيقي",
        )
    try:
        with pdfplumber.open(str(path)) as pdf:
            info = pdf.metadata or {}
            pages = [_page_text(page) for page in pdf.pages]
    except Exception as e:  # pdfminer raises many kinds on damaged files
        raise _fail(
            path,
            f"this PDF cannot be read ({type(e).__name__})",
            f"تعذّرت قراءة ملف PDF هذا ({type(e).__name__})",
            "open it in a PDF viewer and save or print it again as PDF",
            "افتحه في عارض PDF واحفظه أو اطبعه مجددًا بصيغة PDF",
        ) from None
    visual = "\n".join(pages)
    if not re.search(r"\w", visual):
        raise _fail(
            path,
            "this PDF has no text layer (it is a scanned image)",
            "ملف PDF هذا بلا طبقة نص (صورة ممسوحة ضوئيًا)",
            "run OCR on it first (e.g. ocrmypdf -l ara+eng), then add the result",
            "شغّل عليه التعرف الضوئي على الحروف أولًا (مثلًا ocrmypdf -l ara+eng) ثم أضف الناتج",
        )
    # pdfplumber returns each line in visual order; the bidi algorithm turns it back into
    # reading order. Arabic documents get a right-to-left base direction.
    base = "R" if detect_language(visual) == "ar" else "L"
    lines = [get_display(line, base_dir=base).strip() for line in visual.split("\n")]
    lines = [line for line in lines if line and not re.fullmatch(r"\d{1,3}", line)]
    paras = [clean_characters(p) for p in _pdf_paragraphs(lines)]
    meta = Metadata(
        title=str(info.get("Title", "") or ""),
        author=str(info.get("Author", "") or ""),
        date=_pdf_date(str(info.get("CreationDate", "") or "")),
    )
    return "\n\n".join(p for p in paras if p), meta, []


def _pdf_date(raw: str) -> str:
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?", raw)
    if not m:
        return ""
    return "-".join(x for x in m.groups() if x)


def read_document(
    path: str | Path, *, meta: Metadata | None = None, doc_id: str | None = None
) -> Document:
    """Read, check and clean one file; raise InputError on anything unusable."""
    p = Path(path)
    _check_size(p)
    suffix = p.suffix.lower()
    data = p.read_bytes()
    if suffix in TEXT_SUFFIXES:
        text, found, review = read_text_file(p, data)
    elif suffix in HTML_SUFFIXES:
        text, found, review = read_html_file(p, data)
    elif suffix in PDF_SUFFIXES:
        text, found, review = read_pdf_file(p, data)
    else:
        raise _fail(
            p,
            f"unsupported document type '{suffix or '(none)'}'",
            f"نوع مستند غير مدعوم '{suffix or '(بلا امتداد)'}'",
            "give a .txt, .md, .html or .pdf file",
            "قدّم ملفًا بصيغة .txt أو .md أو .html أو .pdf",
        )
    if not re.search(r"\w", text):
        raise _fail(
            p,
            "no text was found in the document",
            "لم يُعثر على نص في المستند",
            "check that the file holds the article's text",
            "تحقق من أن الملف يحتوي نص المقال",
        )
    merged = found.merged(meta or Metadata())
    if not merged.language:
        merged.language = detect_language(text)
    if not merged.title:
        merged.title = p.stem
    did = doc_id or document_id(p, data)
    return Document(
        id=did,
        text=text,
        meta=merged,
        origin=str(p),
        sha256=hashlib.sha256(data).hexdigest(),
        passages=segment(did, text),
        review=review,
    )
