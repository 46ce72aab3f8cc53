"""One small vector-store interface, two Qdrant backends.

- `EdgeStore`: Qdrant Edge, in process, on disk (the embedded default).
- `ServerStore`: qdrant-client against a Qdrant server or cluster (`CLAUSEWISE_QDRANT_URL`).

Each point carries a dense vector ("dense") and a BM25 sparse vector ("bm25", IDF applied by
the engine); `query` fuses the two rankings with reciprocal rank fusion, and `rankings`
returns them apart, with their raw scores, for callers that fuse by score. Sparse vectors are
computed here with Qdrant Edge's BM25 so both backends index identical data.
"""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field
from qdrant_edge import (
    Bm25,
    Bm25Config,
    Fusion,
    Prefetch,
    Query,
    QueryRequest,
    SearchParams,
    SparseVector,
)

DENSE = "dense"
SPARSE = "bm25"
RRF_K = 60
_POINT_NS = uuid.UUID("6f1f3a52-8d1e-4f0e-9a43-2c8c1d0f7b11")


def point_id(key: str) -> str:
    """Stable UUID for a string key, so re-indexing overwrites points in place."""
    return str(uuid.uuid5(_POINT_NS, key))


class Sparse(BaseModel):
    indices: list[int]
    values: list[float]


class VectorPoint(BaseModel):
    id: str
    dense: list[float]
    sparse: Sparse
    payload: dict[str, Any]


class Range(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gte: float | None = None
    lte: float | None = None


class Filter(BaseModel):
    """Payload filter: every `must` key matches (a value, any of a list, or a range)."""

    model_config = ConfigDict(extra="forbid")
    must: dict[str, str | int | bool | list[str] | list[int] | Range] = Field(default_factory=dict)
    must_not: dict[str, str | int | bool | list[str] | list[int]] = Field(default_factory=dict)

    def is_empty(self) -> bool:
        return not self.must and not self.must_not


class Hit(BaseModel):
    id: str
    score: float
    payload: dict[str, Any]


class Rankings(BaseModel):
    """The dense and the lexical ranking of one query, each with its engine's raw scores."""

    dense: list[Hit]
    lexical: list[Hit]


def _hit(point: Any) -> Hit:
    """A scored point or a record (score 0) of either backend, as a Hit."""
    # Built without validation: the fields are converted here, and a library search reads
    # about a thousand points, whose validation cost more than the search.
    return Hit.model_construct(
        id=str(point.id), score=float(getattr(point, "score", 0.0)), payload=point.payload or {}
    )


def _ranked(points: Any, distinct: str | None) -> list[Hit]:
    """Scored points as Hits, best first; with `distinct`, only the first (best) point of
    each value of that payload field."""
    if distinct is None:
        return [_hit(p) for p in points]
    seen: set[Any] = set()
    out: list[Hit] = []
    for p in points:
        v = (p.payload or {}).get(distinct)
        if v not in seen:
            seen.add(v)
            out.append(_hit(p))
    return out


def _in_order(ids: list[str], records: list[Any]) -> list[Hit]:
    """Retrieved records in the order their ids were asked for; missing ids skipped."""
    by_id = {str(r.id): r for r in records}
    return [_hit(by_id[i]) for i in ids if i in by_id]


class CollectionSpec(BaseModel):
    name: str
    dim: int
    keyword_fields: list[str] = Field(default_factory=list)
    integer_fields: list[str] = Field(default_factory=list)


class IndexTuning(BaseModel):
    """How dense vectors are indexed and searched; one place for both backends.

    Chosen with `clausewise bench search` on real contract sentences (CUAD): Qdrant's
    defaults (m 16, ef_construct 100, search ef = ef_construct, no quantization) gave
    recall@10 0.932 at 100,000 points. A denser graph built with a wider beam raises
    recall; int8 scalar quantization (kept in RAM) makes each graph step cheaper, and the
    best `oversampling * limit` candidates are rescored with the original float vectors,
    so the order returned is the exact cosine order of what the graph found.
    """

    model_config = ConfigDict(frozen=True)
    m: int = 16
    ef_construct: int = 200
    # In KB of vectors: a segment smaller than this is scanned rather than graph-searched.
    full_scan_threshold_kb: int = 10_000
    hnsw_ef: int = 128
    int8: bool = True
    oversampling: float = 2.0
    # Qdrant Edge only: threads of the shard's search pool. Its default (one per CPU) hands
    # every segment's search to a pool thread; on a busy machine waiting for that thread to
    # be scheduled made the p95 of a sub-millisecond search 3-8 ms (30x its p50). With one,
    # p95 stayed within 2x of p50 (a server has its own search threads).
    search_threads: int | None = 1  # None: Qdrant Edge's default


DEFAULT_TUNING = IndexTuning()


class VectorStore(Protocol):
    def ensure_collection(self, spec: CollectionSpec) -> bool:
        """Create the collection if missing; True when it was created (so: reindex it)."""
        ...

    def upsert(self, collection: str, points: list[VectorPoint]) -> None: ...

    def delete(self, collection: str, flt: Filter) -> None: ...

    def delete_ids(self, collection: str, ids: list[str]) -> None: ...

    def query(
        self,
        collection: str,
        dense: list[float],
        sparse: Sparse | None,
        flt: Filter | None,
        limit: int,
    ) -> list[Hit]: ...

    def rankings(
        self,
        collection: str,
        dense: list[float],
        sparse: Sparse | None,
        flt: Filter | None,
        limit: int,
        fields: list[str] | None = None,
        distinct: str | None = None,
    ) -> Rankings:
        """Both rankings apart; `fields` limits the payload returned (None: all of it);
        `distinct` keeps only the best point of each value of that payload field (of the
        `limit` points ranked)."""
        ...

    def retrieve(self, collection: str, ids: list[str]) -> list[Hit]:
        """Points by id, with their whole payload, in the order asked; missing ids skipped."""
        ...

    def scroll(self, collection: str, flt: Filter | None, fields: list[str]) -> list[Hit]: ...

    def count(self, collection: str, flt: Filter | None = None) -> int: ...

    def drop_collection(self, collection: str) -> None: ...

    def close(self) -> None: ...


class SparseEncoder:
    """BM25 term weights (English stemming and stop words), identical for both backends."""

    def __init__(self) -> None:
        self._bm25 = Bm25(Bm25Config(language="english"))

    def document(self, text: str) -> Sparse:
        v = self._bm25.embed_document(text)
        return Sparse(indices=list(v.indices), values=list(v.values))

    def query(self, text: str) -> Sparse | None:
        v = self._bm25.embed_query(text)
        if not v.indices:
            return None
        return Sparse(indices=list(v.indices), values=list(v.values))


# --------------------------------------------------------------------------- Qdrant Edge


class EdgeStore:
    """One Edge shard per collection, in `root/<collection>/`. Serves one process."""

    META = "clausewise_collection.json"

    def __init__(self, root: str | Path, tuning: IndexTuning = DEFAULT_TUNING) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.tuning = tuning
        self._shards: dict[str, Any] = {}
        self._lock = threading.RLock()
        self._params = _edge_search_params(tuning)

    def _shard(self, collection: str) -> Any:
        try:
            return self._shards[collection]
        except KeyError:
            raise KeyError(f"collection {collection!r} is not open") from None

    def ensure_collection(self, spec: CollectionSpec) -> bool:
        from qdrant_edge import EdgeShard, PayloadSchemaType, UpdateOperation

        with self._lock:
            if spec.name in self._shards:
                return False
            path = self.root / spec.name
            meta_path = path / self.META
            wanted = spec.model_dump()
            config = _edge_config(spec.dim, self.tuning)
            if meta_path.exists() and json.loads(meta_path.read_text()) == wanted:
                # The index settings are not part of the layout: an existing shard takes the
                # current ones, and segments built otherwise are rebuilt by `optimize`.
                self._shards[spec.name] = EdgeShard.load(str(path), config)
                return False
            # Missing, half-created or of another layout: start it afresh; the caller reindexes.
            if path.exists():
                shutil.rmtree(path)
            shard = EdgeShard.create(str(path), config)
            for f in spec.keyword_fields:
                shard.update(UpdateOperation.create_field_index(f, PayloadSchemaType.Keyword))
            for f in spec.integer_fields:
                shard.update(UpdateOperation.create_field_index(f, PayloadSchemaType.Integer))
            shard.flush()
            meta_path.write_text(json.dumps(wanted))
            self._shards[spec.name] = shard
            return True

    def upsert(self, collection: str, points: list[VectorPoint]) -> None:
        from qdrant_edge import Point, SparseVector, UpdateOperation

        if not points:
            return
        edge_points = [
            Point(
                id=p.id,
                vector={
                    DENSE: p.dense,
                    SPARSE: SparseVector(indices=p.sparse.indices, values=p.sparse.values),
                },
                payload=p.payload,
            )
            for p in points
        ]
        with self._lock:
            self._shard(collection).update(UpdateOperation.upsert_points(edge_points))

    def delete(self, collection: str, flt: Filter) -> None:
        from qdrant_edge import UpdateOperation

        if flt.is_empty():
            raise ValueError("refusing to delete with an empty filter")
        with self._lock:
            self._shard(collection).update(
                UpdateOperation.delete_points_by_filter(_edge_filter(flt))
            )

    def delete_ids(self, collection: str, ids: list[str]) -> None:
        from qdrant_edge import UpdateOperation

        if ids:
            with self._lock:
                self._shard(collection).update(UpdateOperation.delete_points(list(ids)))

    def query(
        self,
        collection: str,
        dense: list[float],
        sparse: Sparse | None,
        flt: Filter | None,
        limit: int,
        exact: bool = False,
    ) -> list[Hit]:
        """`exact`: a dense-only query scans every vector instead of searching the graph (the
        reference `clausewise bench search` times through this same call)."""
        ef = _edge_filter(flt) if flt and not flt.is_empty() else None
        pre = max(limit * 4, 40)
        if sparse is None:
            req = QueryRequest(
                limit=limit,
                query=Query.Nearest(dense, using=DENSE),
                filter=ef,
                with_payload=True,
                params=_EXACT if exact else self._params,
            )
        else:
            req = QueryRequest(
                limit=limit,
                prefetches=[
                    Prefetch(
                        limit=pre,
                        query=Query.Nearest(dense, using=DENSE),
                        filter=ef,
                        params=self._params,
                    ),
                    Prefetch(
                        limit=pre,
                        query=Query.Nearest(
                            SparseVector(indices=sparse.indices, values=sparse.values),
                            using=SPARSE,
                        ),
                        filter=ef,
                    ),
                ],
                query=Fusion.Rrf(k=RRF_K),  # type: ignore[arg-type]  # stub lists Fusion, not Rrf
                with_payload=True,
            )
        res = self._shard(collection).query(req)
        return [_hit(p) for p in res]

    def rankings(
        self,
        collection: str,
        dense: list[float],
        sparse: Sparse | None,
        flt: Filter | None,
        limit: int,
        fields: list[str] | None = None,
        distinct: str | None = None,
    ) -> Rankings:
        ef = _edge_filter(flt) if flt and not flt.is_empty() else None
        shard = self._shard(collection)
        with_payload: bool | list[str] = True if fields is None else fields

        def run(q: Any, using: str) -> list[Hit]:
            req = QueryRequest(
                limit=limit,
                query=Query.Nearest(q, using=using),
                filter=ef,
                with_payload=with_payload,
                params=self._params if using == DENSE else None,
            )
            return _ranked(shard.query(req), distinct)

        lexical: list[Hit] = []
        if sparse is not None:
            lexical = run(SparseVector(indices=sparse.indices, values=sparse.values), SPARSE)
        return Rankings.model_construct(dense=run(dense, DENSE), lexical=lexical)

    def retrieve(self, collection: str, ids: list[str]) -> list[Hit]:
        records = self._shard(collection).retrieve(list(ids), with_payload=True, with_vector=False)
        return _in_order(ids, records)

    def scroll(self, collection: str, flt: Filter | None, fields: list[str]) -> list[Hit]:
        from qdrant_edge import ScrollRequest

        ef = _edge_filter(flt) if flt and not flt.is_empty() else None
        out: list[Hit] = []
        offset = None
        shard = self._shard(collection)
        while True:
            records, offset = shard.scroll(
                ScrollRequest(offset=offset, limit=1000, filter=ef, with_payload=fields)
            )
            out.extend(_hit(r) for r in records)
            if offset is None:
                return out

    def count(self, collection: str, flt: Filter | None = None) -> int:
        from qdrant_edge import CountRequest

        ef = _edge_filter(flt) if flt and not flt.is_empty() else None
        return int(self._shard(collection).count(CountRequest(exact=True, filter=ef)))

    def optimize(self) -> None:
        """Build the HNSW and payload indexes now; Edge has no background optimizer."""
        with self._lock:
            for shard in self._shards.values():
                shard.optimize()

    def flush(self) -> None:
        with self._lock:
            for shard in self._shards.values():
                shard.flush()

    def drop_collection(self, collection: str) -> None:
        with self._lock:
            shard = self._shards.pop(collection, None)
            if shard is not None:
                shard.close()
            shutil.rmtree(self.root / collection, ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            for shard in self._shards.values():
                shard.flush()
                shard.close()
            self._shards.clear()


def _edge_config(dim: int, tuning: IndexTuning) -> Any:
    from qdrant_edge import (
        Distance,
        EdgeConfig,
        EdgeSparseVectorParams,
        EdgeVectorParams,
        HnswIndexConfig,
        Memory,
        Modifier,
        ScalarQuantizationConfig,
        ScalarType,
    )

    quant = (
        ScalarQuantizationConfig(type=ScalarType.Int8, quantile=0.99, memory=Memory.Cached)
        if tuning.int8
        else None
    )
    return EdgeConfig(
        vectors={
            DENSE: EdgeVectorParams(size=dim, distance=Distance.Cosine, quantization_config=quant)
        },
        sparse_vectors={SPARSE: EdgeSparseVectorParams(modifier=Modifier.Idf)},
        hnsw_config=HnswIndexConfig(
            m=tuning.m,
            ef_construct=tuning.ef_construct,
            full_scan_threshold=tuning.full_scan_threshold_kb,
        ),
        max_search_threads=tuning.search_threads,
    )


_EXACT = SearchParams(exact=True)


def _edge_search_params(tuning: IndexTuning) -> Any:
    from qdrant_edge import QuantizationSearchParams, SearchParams

    quant = (
        QuantizationSearchParams(rescore=True, oversampling=tuning.oversampling)
        if tuning.int8
        else None
    )
    return SearchParams(hnsw_ef=tuning.hnsw_ef, quantization=quant)


def _edge_filter(flt: Filter) -> Any:
    from qdrant_edge import FieldCondition, MatchAny, MatchValue, RangeFloat
    from qdrant_edge import Filter as EFilter

    def cond(key: str, v: Any) -> Any:
        if isinstance(v, Range):
            return FieldCondition(key=key, range=RangeFloat(gte=v.gte, lte=v.lte))
        if isinstance(v, list):
            return FieldCondition(key=key, match=MatchAny(any=v))
        return FieldCondition(key=key, match=MatchValue(value=v))

    must = [cond(k, v) for k, v in flt.must.items()]
    must_not = [cond(k, v) for k, v in flt.must_not.items()]
    return EFilter(must=must or None, must_not=must_not or None)


# --------------------------------------------------------------------------- Qdrant server


class ServerStore:
    """qdrant-client against a server or cluster; `location=":memory:"` stands in for tests."""

    def __init__(
        self,
        url: str | None = None,
        api_key: str | None = None,
        location: str | None = None,
        tuning: IndexTuning = DEFAULT_TUNING,
    ) -> None:
        from qdrant_client import QdrantClient
        from qdrant_client import models as m

        self.tuning = tuning
        # Local mode (tests) always searches exactly and warns about search parameters.
        self._params = (
            None
            if location is not None
            else m.SearchParams(
                hnsw_ef=tuning.hnsw_ef,
                quantization=(
                    m.QuantizationSearchParams(rescore=True, oversampling=tuning.oversampling)
                    if tuning.int8
                    else None
                ),
            )
        )

        if location is not None:
            self._client = QdrantClient(location=location)
        else:
            self._client = QdrantClient(url=url, api_key=api_key, timeout=30)

    def ensure_collection(self, spec: CollectionSpec) -> bool:
        from qdrant_client import models as m

        if self._client.collection_exists(spec.name):
            return False
        self._client.create_collection(
            spec.name,
            vectors_config={DENSE: m.VectorParams(size=spec.dim, distance=m.Distance.COSINE)},
            sparse_vectors_config={SPARSE: m.SparseVectorParams(modifier=m.Modifier.IDF)},
            hnsw_config=m.HnswConfigDiff(
                m=self.tuning.m,
                ef_construct=self.tuning.ef_construct,
                full_scan_threshold=self.tuning.full_scan_threshold_kb,
            ),
            quantization_config=(
                m.ScalarQuantization(
                    scalar=m.ScalarQuantizationConfig(
                        type=m.ScalarType.INT8, quantile=0.99, always_ram=True
                    )
                )
                if self.tuning.int8
                else None
            ),
        )
        for f in spec.keyword_fields:
            self._client.create_payload_index(spec.name, f, m.PayloadSchemaType.KEYWORD)
        for f in spec.integer_fields:
            self._client.create_payload_index(spec.name, f, m.PayloadSchemaType.INTEGER)
        return True

    def upsert(self, collection: str, points: list[VectorPoint]) -> None:
        from qdrant_client import models as m

        if not points:
            return
        self._client.upsert(
            collection,
            points=[
                m.PointStruct(
                    id=p.id,
                    vector={
                        DENSE: p.dense,
                        SPARSE: m.SparseVector(indices=p.sparse.indices, values=p.sparse.values),
                    },
                    payload=p.payload,
                )
                for p in points
            ],
            wait=True,
        )

    def delete(self, collection: str, flt: Filter) -> None:
        from qdrant_client import models as m

        if flt.is_empty():
            raise ValueError("refusing to delete with an empty filter")
        self._client.delete(
            collection, points_selector=m.FilterSelector(filter=_server_filter(flt)), wait=True
        )

    def delete_ids(self, collection: str, ids: list[str]) -> None:
        from qdrant_client import models as m

        if ids:
            self._client.delete(
                collection, points_selector=m.PointIdsList(points=list(ids)), wait=True
            )

    def query(
        self,
        collection: str,
        dense: list[float],
        sparse: Sparse | None,
        flt: Filter | None,
        limit: int,
    ) -> list[Hit]:
        from qdrant_client import models as m

        sf = _server_filter(flt) if flt and not flt.is_empty() else None
        pre = max(limit * 4, 40)
        if sparse is None:
            res = self._client.query_points(
                collection,
                query=dense,
                using=DENSE,
                query_filter=sf,
                search_params=self._params,
                limit=limit,
                with_payload=True,
            )
        else:
            res = self._client.query_points(
                collection,
                prefetch=[
                    m.Prefetch(query=dense, using=DENSE, filter=sf, limit=pre, params=self._params),
                    m.Prefetch(
                        query=m.SparseVector(indices=sparse.indices, values=sparse.values),
                        using=SPARSE,
                        filter=sf,
                        limit=pre,
                    ),
                ],
                query=m.FusionQuery(fusion=m.Fusion.RRF),
                limit=limit,
                with_payload=True,
            )
        return [_hit(p) for p in res.points]

    def rankings(
        self,
        collection: str,
        dense: list[float],
        sparse: Sparse | None,
        flt: Filter | None,
        limit: int,
        fields: list[str] | None = None,
        distinct: str | None = None,
    ) -> Rankings:
        from qdrant_client import models as m

        sf = _server_filter(flt) if flt and not flt.is_empty() else None
        with_payload: bool | list[str] = True if fields is None else fields
        requests = [
            m.QueryRequest(
                query=dense,
                using=DENSE,
                filter=sf,
                limit=limit,
                with_payload=with_payload,
                params=self._params,
            )
        ]
        if sparse is not None:
            requests.append(
                m.QueryRequest(
                    query=m.SparseVector(indices=sparse.indices, values=sparse.values),
                    using=SPARSE,
                    filter=sf,
                    limit=limit,
                    with_payload=with_payload,
                )
            )
        results = self._client.query_batch_points(collection, requests=requests)
        hits = [_ranked(r.points, distinct) for r in results]
        return Rankings.model_construct(dense=hits[0], lexical=hits[1] if len(hits) > 1 else [])

    def retrieve(self, collection: str, ids: list[str]) -> list[Hit]:
        records = self._client.retrieve(collection, ids=list(ids), with_payload=True)
        return _in_order(ids, records)

    def scroll(self, collection: str, flt: Filter | None, fields: list[str]) -> list[Hit]:
        sf = _server_filter(flt) if flt and not flt.is_empty() else None
        out: list[Hit] = []
        offset = None
        while True:
            records, offset = self._client.scroll(
                collection, scroll_filter=sf, limit=1000, offset=offset, with_payload=fields
            )
            out.extend(_hit(r) for r in records)
            if offset is None:
                return out

    def count(self, collection: str, flt: Filter | None = None) -> int:
        sf = _server_filter(flt) if flt and not flt.is_empty() else None
        return int(self._client.count(collection, count_filter=sf, exact=True).count)

    def drop_collection(self, collection: str) -> None:
        self._client.delete_collection(collection)

    def close(self) -> None:
        self._client.close()


def _server_filter(flt: Filter) -> Any:
    from qdrant_client import models as m

    def cond(key: str, v: Any) -> Any:
        if isinstance(v, Range):
            return m.FieldCondition(key=key, range=m.Range(gte=v.gte, lte=v.lte))
        if isinstance(v, list):
            return m.FieldCondition(key=key, match=m.MatchAny(any=v))
        return m.FieldCondition(key=key, match=m.MatchValue(value=v))

    return m.Filter(
        must=[cond(k, v) for k, v in flt.must.items()] or None,
        must_not=[cond(k, v) for k, v in flt.must_not.items()] or None,
    )


def open_store(data_dir: Path, qdrant_url: str | None, qdrant_api_key: str | None) -> VectorStore:
    if qdrant_url:
        return ServerStore(url=qdrant_url, api_key=qdrant_api_key)
    return EdgeStore(data_dir / "vectors")
