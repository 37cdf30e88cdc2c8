"""Repair the damage a PDF text extraction does to an Arabic article.

Each rule of the artifact catalogue (``cleaning_artifacts_doc1`` in the seed scenario draft, ids
A01-A23) is one small function here, named after the damage it repairs, so that it can be tested on
the catalogue's own examples. :func:`clean_pdf_text` chains them in the order that matters:

1. line level: strip (A16), drop running headers / page numbers (A09, A10) and duplicated pull
   quotes (A11), put visually ordered justified lines back into reading order (A05, A06);
2. paragraph level: re-join lines into paragraphs (A14, A15, A19, A21, A22, A17 across lines);
3. character level on each paragraph: diacritics (A03, A01/A02, A04), tatweel (A12), footnote
   numbers (A13), brackets and guillemets (A07, A08), compound hyphens and parenthetical dashes
   (A17, A18).

Rules that must not change text (A20 suspected shadda slips, A23 source typos) only *report*: they
land in :attr:`CleanResult.review`, never in the text. Cleaning is for display and quoting; search
normalisation is separate (:mod:`qimma.evidence.normalise`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ARABIC_LETTER = "\u0621-\u064a"
HARAKAT = "\u064b-\u0652"
TANWEEN_FATH = "\u064b"
SHADDA = "\u0651"
TATWEEL = "\u0640"
TERMINAL = (".", "؟", "?", "!", ":", "؛")


@dataclass
class CleanResult:
    text: str
    review: list[str] = field(default_factory=list)  # things a human should look at; not changed


# --- A03, A01/A02, A04: spurious tanween fath ------------------------------------------------

_DOUBLE_TANWEEN = re.compile(TANWEEN_FATH + "{2,}")
# ب/ش/ث, optionally other harakat, then a tanween that is not the legitimate word-final "ًا".
_SPURIOUS_TANWEEN = re.compile(
    "([بشث][\u064c-\u0652]*)" + TANWEEN_FATH + f"(?!ا(?![{ARABIC_LETTER}]))"
)
_TANWEEN_AFTER_ALEF = re.compile("(" + TANWEEN_FATH + ")ا" + TANWEEN_FATH)


def collapse_double_tanween(s: str) -> str:
    """A03: ``ًً`` → ``ً`` (run before :func:`drop_spurious_tanween`)."""
    return _DOUBLE_TANWEEN.sub(TANWEEN_FATH, s)


def drop_spurious_tanween(s: str) -> str:
    """A01/A02: the font maps a ligature of ب/ش/ث to an extra U+064B; delete it inside words.

    Word-final ``ًا`` (ثانيًا، سببًا، قريبًا) is kept, in either order of stacked harakat."""
    return _SPURIOUS_TANWEEN.sub(r"\1", s)


def drop_tanween_after_alef(s: str) -> str:
    """A04: ``بدلًاً`` → ``بدلًا``.

    Narrower than the catalogue's ``ا\\u064b → ا``: only when the word already carries the
    tanween before its alef, so that the common spelling ``كتاباً`` (tanween on the alef)
    survives."""
    return _TANWEEN_AFTER_ALEF.sub(r"\1ا", s)


# --- A12: tatweel ------------------------------------------------------------------------------

_TATWEEL_BETWEEN_LETTERS = re.compile(
    f"(?<=[{ARABIC_LETTER}{HARAKAT}]){TATWEEL}+(?=[{ARABIC_LETTER}{HARAKAT}])"
)


def drop_tatweel(s: str) -> str:
    """A12: kashida used for justification, only between letters (``بـ«`` keeps its tatweel)."""
    return _TATWEEL_BETWEEN_LETTERS.sub("", s)


# --- A13: glued footnote numbers ---------------------------------------------------------------

_FOOTNOTE = re.compile(f"(?<=[{ARABIC_LETTER}{HARAKAT}.؛])(?<!و)(\\d{{1,2}})(?=[\\s\u060c.]|$)")
_AUTHOR_STAR = re.compile(f"(?<=[{ARABIC_LETTER}])\\*(?=\\s|$)")


def drop_footnote_numbers(s: str) -> str:
    """A13: ``موقعها.1`` → ``موقعها.``, ``غولر*`` → ``غولر``; ``و2021``, ``24 ساعة`` untouched."""
    return _AUTHOR_STAR.sub("", _FOOTNOTE.sub("", s))


# --- A07, A08: mirrored brackets and guillemets ------------------------------------------------

_MIRRORED_PARENS = re.compile(r"\)([^()\n]*)\(")


def fix_mirrored_parentheses(s: str) -> str:
    """A07: ``)وإن كان غير مرجح(`` → ``(وإن كان غير مرجح)``.

    Only a ``)`` met outside any open bracket and enclosing Arabic text is a mirrored opener, so
    ``(a) and (b)`` is left alone."""
    out: list[str] = []
    pos = 0
    for m in _MIRRORED_PARENS.finditer(s):
        before = s[: m.start()]
        depth = before.count("(") - before.count(")")
        if depth == 0 and re.search(f"[{ARABIC_LETTER}]", m.group(1)):
            out.append(s[pos : m.start()])
            out.append("(" + m.group(1) + ")")
            pos = m.end()
    out.append(s[pos:])
    return "".join(out)


def fix_mirrored_guillemets(s: str) -> str:
    """A08: in Arabic reading order « opens and » closes; a reversed or mixed pair is re-paired.

    Walks the quotes in order: outside a quotation the next mark must be an opener, inside it a
    closer, whatever glyph the extraction produced. Call it on one paragraph at a time so that one
    unmatched mark cannot flip the rest of the document."""
    chars = list(s)
    inside = False
    for k, c in enumerate(chars):
        if c in "«»":
            chars[k] = "»" if inside else "«"
            inside = not inside
    return "".join(chars)


# --- A17, A18: hyphens and dashes --------------------------------------------------------------

_SPLIT_COMPOUND = re.compile(r"(\w+ية)-\s+(\w+ية)")
_DASH_AFTER_WORD = re.compile(f"(?<=[{ARABIC_LETTER}{HARAKAT}])- ")
_DASH_BEFORE_WORD = re.compile(f" -(?=[{ARABIC_LETTER}])")


def join_split_compounds(s: str) -> str:
    """A17: ``الأمريكية- الروسية`` → ``الأمريكية-الروسية``."""
    return _SPLIT_COMPOUND.sub(r"\1-\2", s)


def normalise_parenthetical_dashes(s: str) -> str:
    """A18: a half-lost parenthetical dash (``واشنطن- صدى``, ``الروسي -رغم``) → `` – ``.

    Run after :func:`join_split_compounds` so that compounds keep their hyphen."""
    return _DASH_BEFORE_WORD.sub(" – ", _DASH_AFTER_WORD.sub(" – ", s))


# --- A05, A06: visual order of justified lines -------------------------------------------------

_GAP = re.compile(r" {2,}")
_TWO_TOKEN_VISUAL = re.compile(r"^(\S*[0-9%]\S*|\S+-) \S+$")


def fix_two_token_segment(seg: str) -> str:
    """A06: a two-token segment holding digits, % or a dangling hyphen is itself in visual order."""
    if not _TWO_TOKEN_VISUAL.match(seg):
        return seg
    first, second = seg.split(" ")
    out = f"{second} {first}"
    out = re.sub(r"،(\d+)", r"\1،", out)
    return re.sub(r"%(\d+)", r"\1%", out)


def fix_justified_line(line: str) -> str:
    """A05: a line with runs of 2+ spaces lists its segments right-to-left; reverse them."""
    line = line.strip()
    if not _GAP.search(line):
        return line
    segs = [fix_two_token_segment(s) for s in _GAP.split(line)]
    return " ".join(reversed(segs))


# --- A09, A10: running headers and page numbers ------------------------------------------------

_PAGE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")


def _is_short_unterminated(line: str, max_tokens: int = 6) -> bool:
    s = line.strip()
    return bool(s) and len(s.split()) <= max_tokens and not s.endswith(TERMINAL)


def drop_page_furniture(lines: list[str]) -> list[str]:
    """A09/A10: drop a page break's bare page number, the short header/footer lines isolated by
    blank lines around it (author + section label, the journal's Latin name, even when garbled
    with U+FFFD), and all blank lines of that block, so that the sentence cut by the page break
    joins up again."""
    drop: set[int] = set()
    n = len(lines)
    for i, line in enumerate(lines):
        if not _PAGE_NUMBER.match(line):
            continue
        drop.add(i)
        for step in (-1, 1):
            j = i + step
            while 0 <= j < n:
                s = lines[j].strip()
                isolated = (j - 1 < 0 or not lines[j - 1].strip()) and (
                    j + 1 >= n or not lines[j + 1].strip()
                )
                if not s or (isolated and (_is_short_unterminated(s) or "\ufffd" in s)):
                    drop.add(j)
                    j += step
                else:
                    break
    return [line for k, line in enumerate(lines) if k not in drop]


# --- A11: duplicated pull quote ----------------------------------------------------------------

_KASHIDA_RUN = re.compile(TATWEEL + "{2,}")


def _tokens(s: str) -> set[str]:
    s = drop_tatweel(collapse_double_tanween(s))
    s = re.sub(f"[{HARAKAT}]", "", s)
    return {t.strip("،,.؛:«»()") for t in s.split() if t.strip("،,.؛:«»()")}


def drop_pull_quotes(lines: list[str], *, max_len: int = 40, window: int = 12) -> list[str]:
    """A11: a block of short lines with kashida runs whose words (in any order: the block has its
    own visual line order) are ≥ 80% contained in the nearby body text is a pull quote: drop it
    with the blank lines before it, so the interrupted sentence re-joins."""
    out = list(lines)
    i = 0
    while i < len(out):
        if out[i].strip() and len(out[i].strip()) <= max_len:
            j = i
            while j < len(out) and out[j].strip() and len(out[j].strip()) <= max_len:
                j += 1
            block = out[i:j]
            if j - i >= 2 and any(_KASHIDA_RUN.search(b) for b in block):
                words = _tokens(" ".join(block))
                near = out[max(0, i - window) : i] + out[j : j + window]
                body = _tokens(" ".join(near))
                if words and len(words & body) / len(words) >= 0.8:
                    k = i
                    while k > 0 and not out[k - 1].strip():
                        k -= 1
                    del out[k:j]
                    i = k
                    continue
            i = j
        else:
            i += 1
    return out


# --- A14, A15, A19, A21, A22: paragraphs ------------------------------------------------------

_LATIN = re.compile(r"[A-Za-z]")
_ARABIC = re.compile(f"[{ARABIC_LETTER}]")


def _script(line: str) -> str:
    return "ar" if len(_ARABIC.findall(line)) >= len(_LATIN.findall(line)) else "latin"


def _is_heading(line: str, next_line: str | None) -> bool:
    """A21: ≤ 8 tokens, no terminal punctuation or comma, followed by a full (justified) line."""
    s = line.strip()
    return (
        len(s.split()) <= 8
        and not s.endswith((*TERMINAL, "،", ","))
        and next_line is not None
        and len(next_line.strip()) >= 60
    )


def _join(prev: str, nxt: str) -> str:
    """Join two lines of one paragraph: soft hyphens (A19) and split compounds (A17) glue."""
    if re.search(r"[a-z]-$", prev) and re.match(r"[a-z]", nxt):
        return prev[:-1] + nxt
    if prev.endswith("ية-") and re.match(r"\w+ية", nxt):
        return prev + nxt
    return prev + " " + nxt


def assemble_paragraphs(lines: list[str], *, long_line: int = 60) -> list[str]:
    """Re-join ordered lines into paragraphs.

    The layout isolates every paragraph's last (non-justified) line between blank lines (A14): after
    a blank line, an *open* body paragraph takes the next line as its tail and closes. A paragraph
    is open when it has a full-width line and its last line does not end a sentence — or it does,
    but the next line is short (a tail after a question mark). A closed paragraph followed directly
    by a line starts a new one (A15 lost breaks). Latin lines ignore blank lines between them
    (A19). Short lines after a paragraph end followed by a full line are headings (A21); short
    lines inside an open paragraph are narrow-column wrap (A22)."""
    paras: list[list[str]] = []
    closed = True
    blank_before = False
    nonblank = [k for k, line in enumerate(lines) if line.strip()]
    following: list[int | None] = [*nonblank[1:], None] if nonblank else []
    next_of = {
        a: (lines[b] if b is not None else None) for a, b in zip(nonblank, following, strict=True)
    }
    for k in nonblank:
        line = lines[k].strip()
        script = _script(line)
        cur = paras[-1] if paras else None
        cur_script = _script(cur[-1]) if cur else None
        if cur is None or script != cur_script:
            paras.append([line])
            closed = _is_heading(line, next_of[k]) and script == "ar"
        elif script == "latin" and not closed:
            cur.append(line)
        elif blank_before:
            has_full = any(len(x) >= long_line for x in cur)
            ends = cur[-1].endswith(TERMINAL)
            open_ = not closed and has_full and (not ends or len(line) < long_line)
            if open_ and not (ends and _is_heading(line, next_of[k])):
                cur.append(line)
                closed = True
            else:
                paras.append([line])
                closed = _is_heading(line, next_of[k])
        elif closed:
            paras.append([line])
            closed = _is_heading(line, next_of[k])
        else:
            cur.append(line)
        blank_before = k + 1 < len(lines) and not lines[k + 1].strip()
    out = []
    for p in paras:
        text = p[0]
        for nxt in p[1:]:
            text = _join(text, nxt)
        out.append(text)
    return out


# --- A20: report-only checks -------------------------------------------------------------------

_SHADDA_BEFORE_TWIN = re.compile(f"([{ARABIC_LETTER}])\\1{SHADDA}(?=[\\s.،؛]|$)")
_SHADDA_BEFORE_YA = re.compile(f"\\w*[{ARABIC_LETTER}]{SHADDA}ي(?:ة|تها|ته)\\w*")


def suspected_shadda_slips(s: str) -> list[str]:
    """A20: words whose shadda may sit on the wrong letter (``يتحققّ``, ``مسؤولّيتها``).

    They are reported for review, never changed: they may be the author's own spelling."""
    found = []
    for m in _SHADDA_BEFORE_TWIN.finditer(s):
        start = s.rfind(" ", 0, m.start()) + 1
        end = s.find(" ", m.end())
        found.append(s[start : end if end >= 0 else len(s)])
    found += [m.group(0) for m in _SHADDA_BEFORE_YA.finditer(s)]
    return found


# --- the pipeline ------------------------------------------------------------------------------


def clean_characters(s: str) -> str:
    """The character-level rules, in the order the catalogue requires (A03 before A01)."""
    s = collapse_double_tanween(s)
    s = drop_spurious_tanween(s)
    s = drop_tanween_after_alef(s)
    s = drop_tatweel(s)
    s = drop_footnote_numbers(s)
    s = fix_mirrored_parentheses(s)
    s = fix_mirrored_guillemets(s)
    s = join_split_compounds(s)
    s = normalise_parenthetical_dashes(s)
    return re.sub(r"[ \t]{2,}", " ", s).strip()


def clean_pdf_text(raw: str) -> CleanResult:
    """Clean the text of an Arabic PDF extraction; paragraphs are separated by blank lines."""
    # A16: strip the ends only; A05 needs the inner gaps.
    lines = [line.strip() for line in raw.replace("\r\n", "\n").split("\n")]
    lines = drop_page_furniture(lines)
    lines = drop_pull_quotes(lines)
    ordered = [fix_justified_line(line) for line in lines]
    paras = [clean_characters(p) for p in assemble_paragraphs(ordered)]
    review: list[str] = []
    for p in paras:
        review += [f"possible misplaced shadda: {w}" for w in suspected_shadda_slips(p)]
        if "\ufffd" in p:
            review.append(f"unmapped glyph (U+FFFD) in: {p[:60]}")
    return CleanResult("\n\n".join(p for p in paras if p), review)


def looks_like_pdf_extraction(text: str) -> bool:
    """Heuristic: justified visual-order lines or the ligature tanween of the catalogue."""
    lines = [line for line in text.split("\n") if line.strip()]
    if not lines:
        return False
    gapped = sum(1 for line in lines if _GAP.search(line.strip()))
    spurious = len(_SPURIOUS_TANWEEN.findall(text))
    return gapped / len(lines) > 0.1 or spurious > 5
