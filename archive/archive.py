"""The contract archive: upload, background processing, the search index, and search.

Writes keep database and index consistent the same way as the library: vectors are
written before the database commit and removed again if the commit fails.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from archive import naming, service
from archive.entities import (
    ArchiveAnswer,
    ArchiveHit,
    ArchiveSearch,
    ContractSummary,
    Deal,
)
from extraction.classify import ClauseClassifier, default_classifier
from extraction.pipeline import Analysis
from extraction.text import sniff_media_type
from extraction.type_vectors import SegmentVectors, embed_segments
from extraction.types import ExtractedText, Segment
from retrieval import CollectionSpec, Embedder, Filter, SparseEncoder, VectorPoint, VectorStore
from retrieval import point_id as _pid
from storage import Database

log = logging.getLogger(__name__)
ARCHIVE_LAYOUT = 1
_GENERIC = {
    "agreement",
    "contract",
    "inc",
    "llc",
    "ltd",
    "corp",
    "corporation",
    "company",
    "co",
    "limited",
    "the",
    "and",
    "of",
    "group",
    "holdings",
    "international",
    "services",
    "technologies",
    "partners",
    "plc",
    "gmbh",
    "sa",
    "ag",
    "lp",
    "llp",
    # A party's role or a pronoun is every contract's alias, never a name: "the customer
    # wants..." names no contract, however few the archive holds.
    "customer", "customers", "vendor", "supplier", "provider", "licensor", "licensee",
    "party", "parties", "client", "our", "they", "their",
}  # fmt: skip


def _words(s: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", s.lower()) if len(w) >= 3 and w not in _GENERIC}


class ArchiveIndex:
    def __init__(self, store: VectorStore, embedder: Embedder, sparse: SparseEncoder) -> None:
        self.store = store
        self.embedder = embedder
        self.sparse = sparse
        self.collection = f"archive_v{ARCHIVE_LAYOUT}_{embedder.index_tag}"

    def open(self) -> bool:
        return self.store.ensure_collection(
            CollectionSpec(
                name=self.collection,
                dim=self.embedder.dim,
                keyword_fields=["contract_id", "clause_types"],
                integer_fields=["segment"],
            )
        )

    def points(
        self, cid: str, title: str, text: str, extracted: ExtractedText, analysis: Analysis
    ) -> list[VectorPoint]:
        items: list[tuple[str, int, int, dict[str, Any]]] = []
        # The segments' window vectors, computed once during analysis (the clause-type
        # model reads them too); embedded here only for an analysis made without them.
        sv = analysis.vectors or self.embed_segments(analysis.segments)
        count: dict[int, int] = {}
        for k, a, b in zip(sv.piece_segment, sv.piece_start, sv.piece_end, strict=True):
            seg, types = analysis.segments[int(k)], analysis.segment_types[int(k)]
            n = count[int(k)] = count.get(int(k), -1) + 1
            items.append(
                (
                    f"{cid}:{seg.index}:{n}",
                    seg.start + int(a),
                    seg.start + int(b),
                    {
                        "segment": seg.index,
                        "heading": seg.heading,
                        "clause_types": [t.type for t in types],
                    },
                )
            )
        vecs = sv.piece_vectors
        return [
            VectorPoint(
                id=_pid(key),
                dense=v.tolist(),
                sparse=self.sparse.document(text[a:b]),
                payload={
                    **extra,
                    "contract_id": cid,
                    "title": title,
                    "start": a,
                    "end": b,
                    "page": extracted.page_at(a),
                    "text": text[a:b],
                    # Which model and backend made the vector: see `own_vectors`.
                    "embedding": self.embedder.index_tag,
                },
            )
            for (key, a, b, extra), v in zip(items, vecs, strict=True)
        ]

    def own_vectors(self, points: list[VectorPoint]) -> list[VectorPoint]:
        """Points handed over by a worker, with vectors of this index's model and backend. A
        worker set up with another backend (its own machine, its own settings) made vectors
        that must not be mixed into this collection: they are embedded again here from their
        text, slower but never silently mixed. Points without the tag predate it: kept."""
        tag = self.embedder.index_tag
        foreign = [p for p in points if p.payload.get("embedding", tag) != tag]
        if not foreign:
            return points
        log.warning(
            "%d handed-over vectors were made by %s, this index uses %s: embedding them again "
            "(set the same CLAUSEWISE_EMBEDDING_BACKEND on every worker)",
            len(foreign),
            foreign[0].payload.get("embedding"),
            tag,
        )
        vecs = self.embedder.embed([str(p.payload.get("text", "")) for p in foreign])
        again = {
            p.id: p.model_copy(
                update={"dense": v.tolist(), "payload": {**p.payload, "embedding": tag}}
            )
            for p, v in zip(foreign, vecs, strict=True)
        }
        return [again.get(p.id, p) for p in points]

    def embed_segments(self, segments: list[Segment]) -> SegmentVectors:
        """Window vectors of every segment (segments past the model's window in pieces)."""
        return embed_segments(self.embedder, segments)

    def replace(self, cid: str, points: list[VectorPoint]) -> None:
        self.store.upsert(self.collection, points)
        keep = {p.id for p in points}
        stale = [
            h.id
            for h in self.store.scroll(self.collection, Filter(must={"contract_id": cid}), [])
            if h.id not in keep
        ]
        self.store.delete_ids(self.collection, stale)

    def remove(self, cid: str) -> None:
        self.store.delete(self.collection, Filter(must={"contract_id": cid}))

    def contract_ids(self) -> set[str]:
        return {
            str(h.payload.get("contract_id"))
            for h in self.store.scroll(self.collection, None, ["contract_id"])
        }


class Archive:
    """Upload, delete and search contracts. Processing is the `archive` package's: worker
    processes claim uploads from the database, and the store's owner indexes their vectors."""

    def __init__(
        self,
        db: Database,
        index: ArchiveIndex,
        blobs: service.BlobStore,
        *,
        classifier: ClauseClassifier | None = None,
        type_map: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.db = db
        self.index = index
        self.blobs = blobs
        self.classifier = classifier or default_classifier()
        self.type_map = dict(type_map or {})
        self.question_types: Callable[[str], Sequence[str]] | None = None
        self.wake = threading.Event()  # set on upload: in-process workers start at once

    # -- startup

    def startup(self) -> None:
        self.index.open()
        with self.db.session() as s:
            ready = {r.id for r in service.all_ready(s)}
            handed_over = service.ids_waiting_for_index(s)
        indexed = self.index.contract_ids()
        for cid in indexed - ready - handed_over:  # deleted or failed mid-way: no orphans
            self.index.remove(cid)
        missing = ready - indexed
        if missing:
            # The index was lost or its layout changed: rebuild from the stored originals.
            with self.db.session() as s:
                for cid in missing:
                    service.requeue(s, cid, "system:reindex")
            log.info("re-queued %d contracts whose vectors are missing", len(missing))

    # -- upload

    def upload(
        self, data: bytes, *, title: str | None, filename: str | None, deal: Deal | None, actor: str
    ) -> ContractSummary:
        """Store the original and queue it. The type is sniffed now so a wrong type fails
        at once (415) and nothing is stored; the same bytes return the existing contract."""
        media_type = sniff_media_type(data)
        sha = hashlib.sha256(data).hexdigest()
        with self.db.session() as s:
            existing = service.find_by_hash(s, sha)
            if existing is not None:
                return service.summary(existing, duplicate=True)
        self.blobs.put(data)
        try:
            with self.db.session() as s:
                row = service.create_contract(
                    s,
                    sha=sha,
                    size=len(data),
                    media_type=media_type,
                    title=(title or _title_from(filename) or "Untitled contract")[:500],
                    filename=filename,
                    deal=deal.model_dump() if deal else None,
                    actor=actor,
                )
                out = service.summary(row)
        except Exception:
            with self.db.session() as s:
                twin = service.find_by_hash(s, sha)
                if twin is not None:  # the same bytes were uploaded concurrently and won
                    return service.summary(twin, duplicate=True)
            self.blobs.delete(sha)
            raise
        self.wake.set()
        return out

    def wait(self, cid: str, timeout_s: float) -> ContractSummary:
        deadline = time.monotonic() + timeout_s
        while True:
            with self.db.session() as s:
                out = service.summary(service.get_row(s, cid))
            # Ready includes the review step (its flags and calendar events), so a caller
            # that waited sees them.
            done = out.status == "failed" or (out.status == "ready" and out.stage != "review")
            if done or time.monotonic() > deadline:
                return out
            time.sleep(0.1)

    # -- other writes

    def delete(self, cid: str, actor: str) -> ContractSummary:
        with self.db.session() as s:
            row = service.delete_contract(s, cid, actor)
            out = service.summary(row)
            sha = row.sha256
            self.index.remove(cid)
        self.blobs.delete(sha)
        return out

    def reprocess(self, cid: str | None, actor: str) -> int:
        with self.db.session() as s:
            ids = [cid] if cid else [r.id for r in service.all_ready(s)]
            for i in ids:
                service.requeue(s, i, actor)
        self.wake.set()
        return len(ids)

    def read(self, fn: Callable[[Session], Any]) -> Any:
        with self.db.session() as s:
            return fn(s)

    # -- search

    def search(self, req: ArchiveSearch) -> ArchiveAnswer:
        """Hybrid search over clauses. A question that names one contract strongly (see
        `archive.naming`) is narrowed to it; weaker name matches boost their contracts'
        clauses without hiding the others. The clause types it asks about rank first."""
        with self.db.session() as s:
            allowed = service.filtered_ids(s, req.filters)
            names = naming.decide(req.query, naming.load_entries(s, allowed))
        named = names.narrow_to
        # Once the contract is found, the words that named it only add noise to the search.
        q = _without_words(req.query, names.name_words) if names.boost else req.query
        wanted = self._question_types(q)
        scope = named or allowed
        if scope is not None and not scope:
            return ArchiveAnswer(hits=[], matched_contracts=[], clause_types=wanted)
        dense, sparse = self.index.embedder.embed_query(q), self.index.sparse.query(q)
        flt = Filter(must={"contract_id": scope}) if scope is not None else None
        raw = list(
            self.index.store.query(self.index.collection, dense, sparse, flt, limit=req.top_k * 4)
        )
        boosted = [c for c in names.boost if c not in named]
        if boosted and not named:
            # the boosted contracts' own best clauses, which the archive-wide query may miss
            seen = {h.id for h in raw}
            extra = self.index.store.query(
                self.index.collection,
                dense,
                sparse,
                Filter(must={"contract_id": boosted}),
                limit=req.top_k * 2,
            )
            raw += [h for h in extra if h.id not in seen]
        hits = []
        for rank, h in enumerate(raw):
            p = h.payload
            types = list(p.get("clause_types") or [])
            boost = 1.0 if set(types) & set(wanted) else 0.0
            boost += names.boost.get(p["contract_id"], 0.0) if not named else 0.0
            hits.append(
                (
                    boost + 1.0 / (rank + 1),
                    ArchiveHit(
                        contract_id=p["contract_id"],
                        contract_title=p.get("title", ""),
                        clause_types=types,
                        heading=p.get("heading"),
                        text=p["text"],
                        start=p["start"],
                        end=p["end"],
                        page=p.get("page"),
                        score=round(h.score, 6),
                    ),
                )
            )
        hits.sort(key=lambda x: -x[0])
        return ArchiveAnswer(
            hits=[h for _, h in hits[: req.top_k]],
            matched_contracts=named or [],
            clause_types=wanted,
        )

    def named_contracts(self, query: str) -> list[str]:
        """Ready contracts the question names by a party's own name (may be none)."""
        with self.db.session() as s:
            return naming.decide(query, naming.load_entries(s)).narrow_to

    def _question_types(self, query: str) -> list[str]:
        """Clause types the question asks about: the caller's interpreter (the service uses
        the clause library's search, which knows how people name clauses), else the clause
        classifier."""
        out: list[str] = list(self.question_types(query)) if self.question_types else []
        probs = self.classifier.predict_proba([query])[0]
        for i in probs.argsort()[::-1][:3]:
            if probs[i] >= 0.5 and self.classifier.categories[i] not in out:
                out.append(self.classifier.categories[i])
        for cat in list(out):
            out += [t for t in self.type_map.get(cat, ()) if t not in out]
        return out


def _without_words(text: str, words: set[str]) -> str:
    kept = [w for w in re.findall(r"\S+", text) if not (_words(w) and _words(w) <= words)]
    return " ".join(kept) or text


def _title_from(filename: str | None) -> str | None:
    if not filename:
        return None
    stem = filename.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    return re.sub(r"[_\s]+", " ", stem).strip() or None
