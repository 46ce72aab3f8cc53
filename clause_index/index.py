"""The library's search index and the write path that keeps database and index in step."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from clause_index import service
from clause_index.entities import (
    Clause,
    ClauseCreate,
    ClauseUpdate,
    SearchFilters,
    SearchHit,
    SearchRequest,
    SyncReport,
)
from clause_index.library import LibraryFile
from clause_index.schema import PositionKind
from retrieval import (
    CollectionSpec,
    Embedder,
    Filter,
    SparseEncoder,
    VectorPoint,
    VectorStore,
    point_id,
)
from storage import Database

log = logging.getLogger(__name__)

# Bump when the payload layout or the text that is embedded changes: a new collection name
# makes the service build the new index from the database, then drop the old one.
INDEX_LAYOUT = 1
# How much the best lexical (BM25) match adds, as a share of the query's best one, to a
# clause's dense cosine. Chosen on the development question sets (0.1-0.3 perform alike).
LEXICAL_WEIGHT = 0.2
# Points fetched from each ranking: a type's points are duplicated across its positions.
SEARCH_DEPTH = 200
T = TypeVar("T")


def collection_name(embedder: Embedder) -> str:
    return f"library_v{INDEX_LAYOUT}_{embedder.index_tag}"


def about_text(c: Clause) -> str:
    """What the clause is for, in the words people use: reps search by purpose, not wording."""
    parts = [f"{c.type_name}: {c.type_description}"]
    if c.aliases:
        parts.append("Also called: " + "; ".join(c.aliases) + ".")
    parts.append(f"{c.title}.")
    if c.when_to_use:
        parts.append(c.when_to_use)
    return " ".join(parts)


class LibraryIndex:
    """Points of one clause: its rendered text (in windows the model can see whole) and an
    'about' point. Point ids are stable, so a re-index overwrites in place."""

    def __init__(self, store: VectorStore, embedder: Embedder, sparse: SparseEncoder) -> None:
        self.store = store
        self.embedder = embedder
        self.sparse = sparse
        self.collection = collection_name(embedder)

    def open(self) -> bool:
        return self.store.ensure_collection(
            CollectionSpec(
                name=self.collection,
                dim=self.embedder.dim,
                keyword_fields=[
                    "clause_id",
                    "clause_type",
                    "position",
                    "kind",
                    "cuad_categories",
                    "approvers",
                ],
                integer_fields=["version"],
            )
        )

    def points_for(self, c: Clause) -> list[VectorPoint]:
        return self.points_for_many([c])[c.id]

    def points_for_many(self, clauses: list[Clause]) -> dict[str, list[VectorPoint]]:
        """Points of several clauses, embedded in one batch."""
        texts: list[tuple[Clause, str, str, str]] = []  # (clause, key, kind, text)
        for c in clauses:
            texts.append((c, f"{c.id}:about", "about", about_text(c)))
            # Each alias on its own: a short question matches a short phrase best.
            for i, alias in enumerate(c.aliases):
                texts.append((c, f"{c.id}:alias:{i}", "alias", f"{c.type_name}: {alias}"))
            for i, piece in enumerate(self.embedder.split(c.text)):
                texts.append((c, f"{c.id}:text:{i}", "text", piece.text))
        vecs = self.embedder.embed([t[3] for t in texts])
        out: dict[str, list[VectorPoint]] = {c.id: [] for c in clauses}
        for (c, key, kind, text), vec in zip(texts, vecs, strict=True):
            out[c.id].append(
                VectorPoint(
                    id=point_id(key),
                    dense=vec.tolist(),
                    sparse=self.sparse.document(text),
                    payload={**self._payload(c), "kind": kind},
                )
            )
        return out

    @staticmethod
    def _payload(c: Clause) -> dict[str, object]:
        approvers = [a.value for a in c.approval.approvers] if c.approval else []
        return {
            "clause_id": c.id,
            "clause_type": c.clause_type,
            "type_name": c.type_name,
            "position": c.position.value,
            "rank": c.rank,
            "version": c.version,
            "title": c.title,
            "text": c.text,
            "cuad_categories": c.cuad_categories,
            "approvers": approvers,
            "requires_approval": bool(approvers),
        }

    def put(self, c: Clause, points: list[VectorPoint] | None = None) -> None:
        """Index the clause's current version; old points are replaced, then leftovers removed,
        so searches never see the clause missing mid-update."""
        if c.status != "active":
            self.remove(c.id)
            return
        points = points if points is not None else self.points_for(c)
        self.store.upsert(self.collection, points)
        keep = {p.id for p in points}
        stale = [
            h.id
            for h in self.store.scroll(self.collection, Filter(must={"clause_id": c.id}), [])
            if h.id not in keep
        ]
        self.store.delete_ids(self.collection, stale)

    def remove(self, clause_id: str) -> None:
        self.store.delete(self.collection, Filter(must={"clause_id": clause_id}))

    def reconcile(self, clauses: list[Clause]) -> int:
        """Make the index match the database (after a crash, a restore or a new layout)."""
        indexed: dict[str, set[int]] = {}
        for h in self.store.scroll(self.collection, None, ["clause_id", "version"]):
            indexed.setdefault(str(h.payload.get("clause_id")), set()).add(
                int(h.payload.get("version", -1))
            )
        active = {c.id: c for c in clauses if c.status == "active"}
        stale = [c for cid, c in active.items() if indexed.get(cid) != {c.version}]
        points = self.points_for_many(stale)
        for c in stale:
            self.put(c, points[c.id])
        gone = set(indexed) - set(active)
        for cid in gone:
            self.remove(cid)
        return len(stale) + len(gone)

    def search(self, req: SearchRequest) -> list[SearchHit]:
        """Clauses ranked by their best dense match plus a weighted share of their best lexical
        match. Score fusion, not rank fusion: with many points per clause (each alias, the
        'about' text, the text windows) one clause's near-duplicate points would otherwise
        crowd the rank lists and a weak BM25 match on one shared word ("damages") would count
        as much as a strong one."""
        rankings = self.store.rankings(
            self.collection,
            self.embedder.embed_query(req.query),
            self.sparse.query(req.query),
            _filter(req.filters),
            limit=max(req.top_k * 50, SEARCH_DEPTH),
            # Rank on two fields; the whole payload is read for the clauses returned only.
            fields=["clause_id", "rank"],
            # Only each clause's best point counts below: the others are not even built.
            distinct="clause_id",
        )
        ranks: dict[str, int] = {}
        point_of: dict[str, str] = {}
        dense: dict[str, float] = {}
        for h in rankings.dense:  # best first: keep each clause's first (best) point
            cid = h.payload["clause_id"]
            if cid not in dense:
                dense[cid] = h.score
                point_of[cid] = h.id
                ranks[cid] = int(h.payload.get("rank") or 0)
        lexical: dict[str, float] = {}
        for h in rankings.lexical:
            cid = h.payload["clause_id"]
            if cid not in lexical:
                lexical[cid] = h.score
                point_of.setdefault(cid, h.id)
                ranks.setdefault(cid, int(h.payload.get("rank") or 0))
        # A clause beyond the dense list's depth is at most as close as its last entry.
        floor = min(dense.values(), default=0.0)
        top_lexical = max(lexical.values(), default=0.0)
        scored = sorted(
            (
                dense.get(cid, floor)
                + (LEXICAL_WEIGHT * lexical.get(cid, 0.0) / top_lexical if top_lexical else 0.0),
                cid,
            )
            for cid in point_of
        )
        # Highest score first; among equal scores (an alias shared by all positions of a
        # type) the standard position, then fallbacks by rank.
        scored.sort(key=lambda sc: (-sc[0], ranks[sc[1]]))
        top = scored[: req.top_k]
        full = {
            h.payload["clause_id"]: h.payload
            for h in self.store.retrieve(self.collection, [point_of[cid] for _, cid in top])
        }
        out: list[SearchHit] = []
        for score, cid in top:
            p = full.get(cid)
            if p is None:  # removed between the two reads: a concurrent retire
                continue
            out.append(
                SearchHit(
                    clause_id=cid,
                    clause_type=p["clause_type"],
                    type_name=p["type_name"],
                    position=PositionKind(p["position"]),
                    rank=p["rank"],
                    version=p["version"],
                    title=p["title"],
                    text=p["text"],
                    score=round(score, 6),
                    requires_approval=p["requires_approval"],
                    approvers=p["approvers"],
                )
            )
        return out


def _filter(f: SearchFilters) -> Filter | None:
    must: dict[str, object] = {}
    for field, key in (
        ("clause_type", "clause_type"),
        ("cuad_category", "cuad_categories"),
        ("approver", "approvers"),
        ("clause_id", "clause_id"),
    ):
        v = getattr(f, field)
        if v is not None:
            must[key] = v
    if f.position is not None:
        must["position"] = f.position.value
    if f.requires_approval is not None:
        must["requires_approval"] = f.requires_approval
    return Filter.model_validate({"must": must}) if must else None


class Library:
    """The library's public face: reads, and writes that keep database and index consistent.

    A write runs in one transaction; the index is updated before the commit. If indexing
    fails the transaction rolls back; if the commit fails the index is put back as it was.
    """

    def __init__(self, db: Database, index: LibraryIndex) -> None:
        self.db = db
        self.index = index

    def startup(self, files: list[LibraryFile]) -> SyncReport:
        created = self.index.open()
        with self.db.session() as s:
            report = service.sync_library(s, files)
        with self.db.session() as s:
            clauses = service.list_clauses(s, include_retired=True)
        fixed = self.index.reconcile(clauses)
        log.info(
            "library ready: %d created, %d updated, %d retired, %d unchanged; index %s, "
            "%d clauses re-indexed",
            len(report.created),
            len(report.updated),
            len(report.retired),
            report.unchanged,
            "created" if created else "opened",
            fixed,
        )
        return report

    def read(self, fn: Callable[[Session], T]) -> T:
        with self.db.session() as s:
            return fn(s)

    def _write(self, clause_id: str | None, fn: Callable[[Session], Clause]) -> Clause:
        before: Clause | None = None
        written: Clause | None = None
        try:
            with self.db.session() as s:
                if clause_id is not None:
                    before = service.get_clause(s, clause_id)
                after = fn(s)
                # Embed before touching the index: a failure here leaves both untouched.
                points = self.index.points_for(after) if after.status == "active" else None
                written = after
                self.index.put(after, points)
            return after
        except BaseException:
            if written is not None:
                # The index write or the commit failed: put back what the database still says.
                try:
                    if before is not None:
                        self.index.put(before)
                    else:
                        self.index.remove(written.id)
                except Exception:  # the reconcile at next start repairs what this cannot
                    log.exception("could not restore the index after a failed write")
            raise

    def create(self, data: ClauseCreate, actor: str) -> Clause:
        return self._write(None, lambda s: service.create_clause(s, data, actor))

    def update(self, clause_id: str, data: ClauseUpdate, actor: str, source: str = "api") -> Clause:
        return self._write(
            clause_id, lambda s: service.update_clause(s, clause_id, data, actor, source)
        )

    def retire(self, clause_id: str, actor: str) -> Clause:
        return self._write(clause_id, lambda s: service.retire_clause(s, clause_id, actor))

    def search(self, req: SearchRequest) -> list[SearchHit]:
        return self.index.search(req)

    def question_types(self, question: str) -> list[str]:
        """The clause type a question asks about (the best library hit, since the library
        knows the words people use for each type) and the CUAD categories it covers."""
        hits = self.index.search(SearchRequest(query=question, top_k=1))
        if not hits:
            return []
        top = hits[0]
        cats = self.read(lambda s: service.get_clause(s, top.clause_id).cuad_categories)
        return [top.clause_type, *cats]
