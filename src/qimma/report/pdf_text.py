"""A right text layer in WeasyPrint's PDFs: every glyph mapped to the character it shows.

WeasyPrint writes one ToUnicode entry per glyph of a font, taken from the first place the glyph
is drawn (weasyprint/draw/text.py, "Create mapping between glyphs and Unicode codepoints"). Two
things then go wrong in qimma's reports, both seen with pdftotext:

- A glyph drawn first as the second glyph of a cluster gets an empty text. Noto Naskh Arabic
  draws lam-alef («لأ», «الأ») as two glyphs in one cluster, so the hamza-alef glyph met first in
  «الأراضي» maps to nothing, and every later isolated «أ» vanishes from the text layer: «ألاسكا»
  reads «لاسكا», «أخرى» reads «خرى».
- A vowel mark drawn first in its cluster («أُ») takes the cluster's whole text, so «أُنشئ»
  reads «أأنشئ».
- A bracket drawn first inside right-to-left text is the mirrored glyph of its character (the
  glyph of ")" shows "("), so that glyph maps to "(" for the whole document and English text
  after it reads ")59.5; 80% interval 46–86(".

`fix_text_layer()` makes each font's glyph-to-text table keep looking while an entry is empty,
and map a glyph that is the font's own glyph for a mirrored character such as "(" (its cmap
entry) to that character rather than to its mirror image, and a vowel mark
to the mark alone. It changes only the text layer, never the drawing.

Vowel marks (tashkeel: fatha, damma, kasra, their tanween, shadda, sukun) are left out of the
PDF (`without_vowel_marks`): WeasyPrint draws each mark as a glyph of its own, shifted onto its
letter, and pdftotext then reads a word break after it («التغيّر» read «التغيّ ر», «بالزَّخَم»
read «بالز َخم»; 16 of 72 marked words of the default report, 3 December 2026), so the word
could not be searched. Arabic prose for analysts is written without them; the HTML report keeps
them as written.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

_PATCHED = "_qimma_text_layer"
_VOWEL_MARKS = re.compile("[\u064b-\u0652]")


def without_vowel_marks(html: str) -> str:
    """`html` with the Arabic vowel marks (U+064B–U+0652) taken out, letters untouched."""
    return _VOWEL_MARKS.sub("", html)


class GlyphText(dict[int, str]):
    """glyph id → text, where an empty text is replaced by the next non-empty one and a glyph
    that is the font's nominal glyph of one character maps to that character."""

    def __init__(self, nominal: dict[int, str]) -> None:
        super().__init__()
        self.nominal = nominal

    def __contains__(self, glyph: object) -> bool:
        return bool(self.get(glyph))  # type: ignore[call-overload]

    def __setitem__(self, glyph: int, text: str) -> None:
        own = self.nominal.get(glyph)
        if own is not None and text != own and _mirrored(text) and _mirrored(own):
            text = own  # a bracket mirrored by right-to-left layout
        elif own is not None and unicodedata.combining(own) and own in text:
            text = own  # a vowel mark drawn first in its cluster: the mark, not the cluster
        if text or not dict.get(self, glyph):
            super().__setitem__(glyph, text)


def _mirrored(text: str) -> bool:
    return len(text) == 1 and bool(unicodedata.mirrored(text))


def nominal_glyphs(font_bytes: bytes, index: int = 0) -> dict[int, str]:
    """Glyph id → the single character whose cmap entry is that glyph (the first such one)."""
    from fontTools.ttLib import TTFont

    tt = TTFont(io.BytesIO(font_bytes), fontNumber=index, lazy=True)
    out: dict[int, str] = {}
    for code, name in sorted((tt.getBestCmap() or {}).items()):
        out.setdefault(tt.getGlyphID(name), chr(code))
    return out


def fix_text_layer() -> None:
    """Install GlyphText as the glyph-to-text table of every font WeasyPrint embeds (once)."""
    from weasyprint.pdf import fonts

    if getattr(fonts.Font, _PATCHED, False):
        return
    original = fonts.Font.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        try:
            nominal = nominal_glyphs(self.file_content, self.index)
        except Exception:  # a font fontTools cannot read keeps WeasyPrint's own table
            return
        self.to_unicode = GlyphText(nominal)

    fonts.Font.__init__ = init  # type: ignore[method-assign]
    setattr(fonts.Font, _PATCHED, True)
