"""Both vector-store backends behave the same behind the interface."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval import (
    DEFAULT_TUNING,
    CollectionSpec,
    EdgeStore,
    Embedder,
    Filter,
    Hit,
    IndexTuning,
    Range,
    ServerStore,
    SparseEncoder,
    VectorPoint,
    VectorStore,
    point_id,
)

DOCS = [
    ("a", "gov", "This Agreement is governed by the laws of the State of Delaware.", 1),
    ("b", "gov", "This Agreement is governed by the laws of England and Wales.", 2),
    ("c", "pay", "Invoices are payable net 30 days from the invoice date.", 1),
    ("d", "pay", "Customer shall pay each invoice within sixty days of receipt.", 3),
    ("e", "cap", "Liability is capped at the fees paid in the prior twelve months.", 1),
]


@pytest.fixture(params=["edge", "server-local"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[VectorStore]:
    s: VectorStore = (
        EdgeStore(tmp_path / "v") if request.param == "edge" else ServerStore(location=":memory:")
    )
    yield s
    s.close()


def _load(store: VectorStore, embedder: Embedder) -> None:
    sp = SparseEncoder()
    spec = CollectionSpec(name="t", dim=embedder.dim, keyword_fields=["kind"], integer_fields=["n"])
    assert store.ensure_collection(spec) is True
    assert store.ensure_collection(spec) is False
    vecs = embedder.embed([d[2] for d in DOCS])
    store.upsert(
        "t",
        [
            VectorPoint(
                id=point_id(i),
                dense=v.tolist(),
                sparse=sp.document(t),
                payload={"key": i, "kind": k, "text": t, "n": n},
            )
            for (i, k, t, n), v in zip(DOCS, vecs, strict=True)
        ],
    )


def _q(
    store: VectorStore, embedder: Embedder, text: str, flt: Filter | None = None, limit: int = 5
) -> list[str]:
    hits = store.query("t", embedder.embed_query(text), SparseEncoder().query(text), flt, limit)
    return [h.payload["key"] for h in hits]


def test_hybrid_query_filters_and_deletes(store: VectorStore, embedder: Embedder) -> None:
    _load(store, embedder)
    assert store.count("t") == 5
    # Exact legal terms carry through the lexical side of the fusion.
    assert _q(store, embedder, "Delaware")[0] == "a"
    assert _q(store, embedder, "net 30")[0] == "c"
    assert set(_q(store, embedder, "governing law", Filter(must={"kind": "pay"}))) == {"c", "d"}
    assert set(_q(store, embedder, "law", Filter(must={"kind": ["gov", "cap"]}))) == {"a", "b", "e"}
    assert set(_q(store, embedder, "law", Filter(must={"n": Range(gte=2)}))) == {"b", "d"}
    assert "a" not in _q(store, embedder, "law", Filter(must_not={"kind": "gov"}))
    store.delete("t", Filter(must={"kind": "gov"}))
    assert store.count("t") == 3
    store.delete_ids("t", [point_id("c")])
    assert sorted(h.payload["key"] for h in store.scroll("t", None, ["key"])) == ["d", "e"]
    with pytest.raises(ValueError):
        store.delete("t", Filter())


def test_rankings_apart_with_raw_scores_and_retrieve(
    store: VectorStore, embedder: Embedder
) -> None:
    _load(store, embedder)
    text = "net 30 invoices"
    r = store.rankings(
        "t", embedder.embed_query(text), SparseEncoder().query(text), None, 5, fields=["key"]
    )
    # Cosine similarities and BM25 scores, each best first; only the fields asked for.
    assert [h.payload for h in r.dense][:1] == [{"key": "c"}]
    assert r.dense[0].score <= 1.0
    assert [h.score for h in r.dense] == sorted((h.score for h in r.dense), reverse=True)
    assert r.lexical[0].payload == {"key": "c"}
    assert r.lexical[0].score > 1.0  # BM25, not a similarity
    # No lexical side when the query has no indexable words; filters apply to both sides.
    only_dense = store.rankings("t", embedder.embed_query("the"), None, None, 5)
    assert only_dense.lexical == [] and len(only_dense.dense) == 5
    gov = store.rankings(
        "t",
        embedder.embed_query(text),
        SparseEncoder().query(text),
        Filter(must={"kind": "gov"}),
        5,
    )
    assert {h.payload["key"] for h in gov.dense + gov.lexical} <= {"a", "b"}
    got = store.retrieve("t", [point_id("e"), point_id("missing"), point_id("a")])
    assert [h.payload["key"] for h in got] == ["e", "a"]
    assert got[0].payload["text"].startswith("Liability")


def test_rankings_keep_each_distinct_value_once_at_its_best(
    store: VectorStore, embedder: Embedder
) -> None:
    _load(store, embedder)
    text = "governed by the laws of Delaware, invoices net 30"
    dense, sparse = embedder.embed_query(text), SparseEncoder().query(text)
    full = store.rankings("t", dense, sparse, None, 5, fields=["kind"])
    one = store.rankings("t", dense, sparse, None, 5, fields=["kind"], distinct="kind")
    for all_hits, kept in ((full.dense, one.dense), (full.lexical, one.lexical)):
        firsts: dict[str, Hit] = {}
        for h in all_hits:
            firsts.setdefault(h.payload["kind"], h)
        # The best point of each kind, in the same order and with the same scores. Scores
        # within float rounding: qdrant-client's local mode scores each query afresh with
        # numpy, and two runs of one query may differ in the last bits (seen once in CI).
        assert [h.id for h in kept] == [h.id for h in firsts.values()]
        assert [h.score for h in kept] == pytest.approx([h.score for h in firsts.values()])
    assert len(one.dense) == 3 < len(full.dense)


def test_edge_exact_query_is_the_exact_order(tmp_path: Path, embedder: Embedder) -> None:
    store = EdgeStore(tmp_path / "v")
    _load(store, embedder)
    q = embedder.embed_query("who pays the invoices")
    exact = store.query("t", q, None, None, 5, exact=True)
    vecs = embedder.embed([d[2] for d in DOCS])
    want = [DOCS[i][0] for i in (vecs @ q).argsort()[::-1]]
    assert [h.payload["key"] for h in exact] == want
    store.close()


def test_upsert_same_id_replaces(store: VectorStore, embedder: Embedder) -> None:
    _load(store, embedder)
    sp = SparseEncoder()
    text = "Disputes go to arbitration in Singapore."
    store.upsert(
        "t",
        [
            VectorPoint(
                id=point_id("a"),
                dense=embedder.embed_query(text),
                sparse=sp.document(text),
                payload={"key": "a", "kind": "x"},
            )
        ],
    )
    assert store.count("t") == 5
    assert _q(store, embedder, "Singapore arbitration")[0] == "a"
    assert "a" not in _q(store, embedder, "Delaware", Filter(must={"kind": "gov"}))


def test_edge_store_reopens_from_disk(tmp_path: Path, embedder: Embedder) -> None:
    s = EdgeStore(tmp_path / "v")
    _load(s, embedder)
    s.close()
    s2 = EdgeStore(tmp_path / "v")
    spec = CollectionSpec(name="t", dim=embedder.dim, keyword_fields=["kind"], integer_fields=["n"])
    assert s2.ensure_collection(spec) is False
    assert s2.count("t") == 5
    assert _q(s2, embedder, "Delaware")[0] == "a"
    # A different layout rebuilds the collection (the caller then re-indexes).
    s2.close()
    s3 = EdgeStore(tmp_path / "v")
    assert s3.ensure_collection(spec.model_copy(update={"keyword_fields": ["other"]})) is True
    assert s3.count("t") == 0
    s3.close()


def test_long_text_is_split_not_truncated(embedder: Embedder) -> None:
    words = [f"w{i}" for i in range(900)]
    text = " ".join(words)
    pieces = embedder.split(text)
    assert len(pieces) > 1
    assert all(embedder.count_tokens(p.text) <= embedder.window_tokens for p in pieces)
    assert pieces[0].start == 0 and pieces[-1].end == len(text)
    for a, b in itertools.pairwise(pieces):
        assert b.start < a.end  # windows overlap: no gap
    for p in pieces:
        assert text[p.start : p.end] == p.text
    short = embedder.split("net 30 days")
    assert len(short) == 1 and short[0].text == "net 30 days"


def test_edge_store_reopens_under_other_index_settings(tmp_path: Path, embedder: Embedder) -> None:
    """Index settings are not part of the layout: a shard keeps its points under new ones."""
    plain = IndexTuning(m=8, ef_construct=50, hnsw_ef=20, int8=False)
    s = EdgeStore(tmp_path / "v", plain)
    _load(s, embedder)
    s.optimize()
    s.close()
    s2 = EdgeStore(tmp_path / "v")
    assert s2.tuning == DEFAULT_TUNING
    spec = CollectionSpec(name="t", dim=embedder.dim, keyword_fields=["kind"], integer_fields=["n"])
    assert s2.ensure_collection(spec) is False
    s2.optimize()
    assert s2.count("t") == 5
    assert _q(s2, embedder, "Delaware")[0] == "a"
    # Rescored: the dense scores are the exact cosines, not int8 approximations.
    q = embedder.embed_query("payable net 30 days")
    hits = s2.rankings("t", q, None, None, 5).dense
    vecs = dict(zip([d[0] for d in DOCS], embedder.embed([d[2] for d in DOCS]), strict=True))
    for h in hits:
        assert h.score == pytest.approx(float(vecs[h.payload["key"]] @ q), abs=1e-5)
    s2.close()


def test_edge_searches_in_the_calling_thread_by_default() -> None:
    """A pool thread per CPU made the p95 of sub-millisecond searches 3-50 ms on a busy
    machine; the defaults search in one thread, and None leaves Qdrant's own choice."""
    from retrieval.store import _edge_config

    assert DEFAULT_TUNING.search_threads == 1
    assert _edge_config(384, DEFAULT_TUNING).max_search_threads == 1
    pool = DEFAULT_TUNING.model_copy(update={"search_threads": None})
    assert _edge_config(384, pool).max_search_threads is None
