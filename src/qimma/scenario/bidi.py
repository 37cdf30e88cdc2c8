"""Bidirectional control characters that can reorder what a reader sees.

A label such as «مصر\u202egnp.exe» displays as "مصرexe.png": the RIGHT-TO-LEFT OVERRIDE
(U+202E) reverses everything after it. The embeddings, overrides and isolates (U+202A–U+202E,
U+2066–U+2069) are removed from every label of a scenario when it is validated, so the CLI, the
reports and the web app show the text in its logical order. The marks U+200E (LRM), U+200F (RLM)
and U+061C (ALM) are kept: they only set the direction of neutral characters next to them, cannot
reverse a run of letters, and Arabic text uses them legitimately around numbers and Latin words.
"""

from __future__ import annotations

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_DROP = {ord(c): None for c in BIDI_CONTROLS}


def strip_bidi_controls(text: str) -> str:
    """The text without bidi embeddings, overrides and isolates (marks are kept)."""
    return text.translate(_DROP)
