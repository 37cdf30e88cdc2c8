"""Evidence pages: search the corpus, add a document (upload), read a passage in its context.

The corpus lives in the same store (qimma.evidence). Search here is the evidence engine's BM25
with bilingual alias expansion (instant); the fused semantic search needs the passages' embeddings,
which take tens of seconds to compute for the default corpus, so it stays in `qimma corpus search`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qimma.web.pages import default_scenario, render, repo_of, request_lang, stored_scenario
from qimma.web.uploads import DOCUMENT, read_upload, temporary_copy

CONTEXT = 2  # paragraphs shown before and after the passage
_corpus_lock = threading.Lock()


def _require(request: Request) -> Any:
    """The store's engine with the default corpus in it (ingested on first use, without
    embeddings)."""
    import qimma.evidence.store as st
    from qimma.evidence.corpus import default_documents

    engine = repo_of(request).engine
    if not getattr(request.app.state, "corpus_ready", False):
        with _corpus_lock:
            scenario = default_scenario()
            present = st.document_ids(engine)
            missing = [s.id for s in scenario.sources if s.resource and s.id not in present]
            if missing:
                docs = [d for d in default_documents(scenario) if d.id in missing]
                st.add_documents(engine, docs, embeddings=None, is_default=True)
            request.app.state.corpus_ready = True
    return engine


router = APIRouter()


@router.get("/evidence", response_class=HTMLResponse)
def evidence(request: Request, q: str = "") -> HTMLResponse:
    import qimma.evidence.store as st
    from qimma.evidence.search import search

    engine = _require(request)
    q = q.strip()[:500]
    hits = []
    if q:
        res = search(engine, q, mode="bm25", limit=20, scenario=default_scenario())
        hits = res.hits
    titles = {d["id"]: d for d in st.list_documents(engine)}
    return render(
        request,
        "evidence.html.j2",
        {"q": q, "hits": hits, "documents": titles},
    )


@router.get("/evidence/passages/{pid}", response_class=HTMLResponse)
def passage(request: Request, pid: str, hl: str = "") -> HTMLResponse:
    engine = _require(request)
    import qimma.evidence.store as st

    found = st.get_passages(engine, [pid]).get(pid)
    if found is None:
        lang = request_lang(request)
        raise HTTPException(404, "passage not found" if lang == "en" else "المقطع غير موجود")
    rows = st.document_passages(engine, found.document_id)
    near = [r for r in rows if abs(r.paragraph - found.paragraph) <= CONTEXT]
    paragraphs: dict[int, list[Any]] = {}
    for r in near:
        paragraphs.setdefault(r.paragraph, []).append(r)
    docs = st.list_documents(engine)
    doc: dict[str, Any] = next((d for d in docs if d["id"] == found.document_id), {})
    marked = {pid, *(h for h in hl.split(",") if h)}
    return render(
        request,
        "passage.html.j2",
        {"p": found, "paragraphs": paragraphs, "doc": doc, "marked": marked},
    )


@router.get("/scenarios/{pk}/quote/{eid}")
def quote_in_context(request: Request, pk: int, eid: str) -> Response:
    """A scenario's quoted passage, opened in its document."""
    engine = _require(request)
    from qimma.evidence.links import resolve_quote

    ev = stored_scenario(request, pk).scenario.evidence_by_id().get(eid)
    ids = resolve_quote(engine, ev.source, ev.quote) if ev else []
    if not ids:
        lang = request_lang(request)
        raise HTTPException(
            404,
            "this quote is not in the corpus"
            if lang == "en"
            else "هذا الاقتباس غير موجود في المدوّنة",
        )
    return RedirectResponse(
        f"/evidence/passages/{ids[0]}?hl={','.join(ids)}#{ids[0]}", status_code=303
    )


@router.post("/evidence/documents")
async def upload(request: Request) -> Response:
    engine = _require(request)
    import qimma.evidence.store as st
    from qimma.evidence.ingest import Metadata, document_id, read_document

    form = await request.form()
    upload = await read_upload(form.get("file"), DOCUMENT)
    name = upload.name
    meta = Metadata(
        title=str(form.get("title") or "").strip()[:300] or Path(name).stem,
        author=str(form.get("author") or "").strip()[:300],
        date=str(form.get("date") or "").strip()[:32],
    )
    with temporary_copy(upload) as path:
        # the id is made from the user's file name (cleaned) and the content's hash
        doc = read_document(path, meta=meta, doc_id=document_id(Path(name), upload.data))
    doc.origin = name
    added = st.add_documents(engine, [doc], embeddings=None)
    first = doc.passages[0].id if doc.passages else None
    if added and first:
        return RedirectResponse(f"/evidence/passages/{first}", status_code=303)
    return RedirectResponse("/evidence?added=0", status_code=303)
