"""Paragraphs and sentences of a cleaned text, with stable passage ids.

A passage is one sentence. Its id is ``<document id>.p<paragraph>.s<sentence>`` (1-based,
zero-padded), so the same text always gives the same ids, and an id says where to look.
Paragraphs are separated by blank lines (the cleaner's output and most plain texts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! ? ؟ (and … or a closing quote after them) followed by white space.
_END = re.compile(r"(?<=[.!?؟…])[»”\"')]*\s+")
# Not a sentence end: initials (ج. د. / J. D.), common abbreviations, numbers like 2.5.
_NOT_END = re.compile(r"(?:^|\s)(?:\w|Mr|Mrs|Ms|Dr|St|vs|etc|e\.g|i\.e|U\.S|No|Vol|pp|p)\.$")


@dataclass(frozen=True)
class Passage:
    id: str
    paragraph: int
    sentence: int
    text: str


def paragraphs(text: str) -> list[str]:
    parts = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return [re.sub(r"\s*\n\s*", " ", p).strip() for p in parts if p.strip()]


def sentences(paragraph: str) -> list[str]:
    """Split one paragraph into sentences (Arabic and English punctuation)."""
    out: list[str] = []
    start = 0
    for m in _END.finditer(paragraph):
        candidate = paragraph[start : m.start()].rstrip()
        if _NOT_END.search(candidate):
            continue
        if candidate:
            out.append(candidate.strip())
        start = m.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


def passage_id(document_id: str, paragraph: int, sentence: int) -> str:
    return f"{document_id}.p{paragraph:03d}.s{sentence:02d}"


def segment(document_id: str, text: str) -> list[Passage]:
    passages = []
    for pi, para in enumerate(paragraphs(text), start=1):
        for si, sent in enumerate(sentences(para), start=1):
            passages.append(Passage(passage_id(document_id, pi, si), pi, si, sent))
    return passages
