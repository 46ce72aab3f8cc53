"""`clausewise bench search`: search latency and recall, printed, never asserted.

The archive part embeds real contract text (CUAD sentences), since HNSW recall on random
vectors says nothing about recall on text. Embeddings are cached, keyed by corpus and model.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import track
from rich.table import Table
from threadpoolctl import threadpool_limits

from retrieval import (
    DEFAULT_TUNING,
    CollectionSpec,
    EdgeStore,
    Embedder,
    IndexTuning,
    SparseEncoder,
    VectorPoint,
    point_id,
)

_SENT = re.compile(r"(?<=[.;:])\s+(?=[A-Z(\"])")


def contract_pieces(cuad_dir: Path, limit: int, only: set[str] | None = None) -> list[str]:
    """Sentence-sized pieces of contract text: short ones merged, long ones cut at words
    (`only`: of these contract ids)."""
    files = sorted((cuad_dir / "contracts").glob("*.txt"))
    if only is not None:
        files = [f for f in files if f.stem in only]
    if not files:
        raise SystemExit(f"no contracts under {cuad_dir / 'contracts'}; pass --cuad-dir")
    out: list[str] = []
    for f in files:
        for para in f.read_text(encoding="utf-8").splitlines():
            para = " ".join(para.split())
            if len(para) < 30:
                continue
            buf = ""
            for sent in _SENT.split(para):
                buf = f"{buf} {sent}".strip()
                if len(buf) >= 50:
                    out.extend(_wrap(buf, 250))
                    buf = ""
            if len(buf) >= 30:
                out.append(buf)
            if len(out) >= limit:
                return out
    return out


def _wrap(text: str, width: int) -> list[str]:
    """Cut a long sentence at word boundaries into pieces of about `width` characters."""
    if len(text) <= width * 1.5:
        return [text]
    out, cur = [], ""
    for word in text.split(" "):
        if len(cur) + len(word) + 1 > width and cur:
            out.append(cur)
            cur = ""
        cur = f"{cur} {word}".strip()
    if cur:
        out.append(cur)
    return out


def embed_cached(
    embedder: Embedder, texts: list[str], cache_dir: Path, chunk: int = 5120
) -> np.ndarray:
    """Embed `texts`, caching each chunk of `chunk` texts under a hash of its text and model.

    Chunks make the cache resumable (an interrupted first run keeps what it embedded) and
    shared between archive sizes: a smaller archive is a prefix of a larger one.
    """
    cache_dir.mkdir(parents=True, exist_ok=True)
    parts: list[np.ndarray] = []
    starts = range(0, len(texts), chunk)
    for i in track(starts, description=f"embedding {len(texts)} pieces of contract text"):
        part = texts[i : i + chunk]
        key = hashlib.sha256(("\x00".join(part) + embedder.index_tag).encode()).hexdigest()
        path = cache_dir / f"emb-{len(part)}-{key[:16]}.npy"
        if path.exists():
            parts.append(np.load(path))
            continue
        vecs = np.concatenate(
            [embedder.embed(part[j : j + 512]) for j in range(0, len(part), 512)]
        ).astype(np.float32)
        np.save(path, vecs)
        parts.append(vecs)
    return np.concatenate(parts) if parts else np.zeros((0, embedder.dim), np.float32)


CHUNK = 5120
RECALL_TARGET = 0.97  # recall@10 against the exact scan
P95_TARGET = 0.15  # HNSW p95 as a fraction of the exact scan's p95
# Qdrant's own defaults (search ef falls back to ef_construct), for comparison.
UNTUNED = IndexTuning(m=16, ef_construct=100, hnsw_ef=100, int8=False, search_threads=None)
# What was screened against the defaults (`--candidates`): each is built, and timed
# interleaved with them, query by query.
CANDIDATES = [
    (
        "the defaults with a search pool of one thread per CPU (session 18)",
        DEFAULT_TUNING.model_copy(update={"search_threads": None}),
    ),
    ("the defaults with search ef 96", DEFAULT_TUNING.model_copy(update={"hnsw_ef": 96})),
    ("the defaults with search ef 64", DEFAULT_TUNING.model_copy(update={"hnsw_ef": 64})),
]


def archive_vectors(
    embedder: Embedder, cuad_dir: Path, n: int, n_queries: int, cache_dir: Path
) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """The first `n` pieces of contract text as the archive, the next ones as queries.

    Text is embedded in whole chunks of one stream, so every archive size shares the cache.
    """
    need = n + n_queries
    pieces = contract_pieces(cuad_dir, -(-need // CHUNK) * CHUNK)
    vecs = embed_cached(embedder, pieces[: -(-need // CHUNK) * CHUNK], cache_dir, CHUNK)
    n = min(n, len(pieces) - n_queries)
    return pieces[:n], vecs[:n], pieces[n:need], vecs[n:need]


HELD_OUT_EVERY = 20  # every 20th contract's windows are queries, never archive points


def segment_cache_vectors(
    cuad_dir: Path,
    segment_cache: Path,
    n: int,
    n_queries: int,
    embedder: Embedder | None,
    cache_dir: Path,
) -> tuple[list[str], np.ndarray, list[str], np.ndarray]:
    """The archive from the window vectors ingest computed for every CUAD contract (the
    segment-vector cache `clausewise train --what types --embed-contracts` fills), so that
    100,000 real points need no new embedding. Every 20th contract is held out: its windows
    are the queries. Contracts not yet in the cache are skipped; with `embedder`, a shortfall
    is topped up with embedded sentences of the archive's contracts (`contract_pieces`)."""
    from extraction.cuad import contract_ids, read_contract
    from extraction.segment import segment
    from extraction.type_vectors import cached_segment_vectors

    corpus: list[str] = []
    parts: list[np.ndarray] = []
    q_text: list[str] = []
    q_parts: list[np.ndarray] = []
    kept: list[str] = []
    for k, cid in enumerate(contract_ids(cuad_dir)):
        held_out = k % HELD_OUT_EVERY == HELD_OUT_EVERY - 1
        if (not held_out and len(corpus) >= n) or not any(segment_cache.glob(f"{cid}.*.npz")):
            continue
        segs = segment(read_contract(cuad_dir, cid))
        sv = cached_segment_vectors(segment_cache, cid, segs, None)
        if sv is None:
            continue
        texts = [
            segs[int(i)].text[int(a) : int(b)]
            for i, a, b in zip(sv.piece_segment, sv.piece_start, sv.piece_end, strict=True)
        ]
        if held_out:
            q_text += texts
            q_parts.append(sv.piece_vectors)
        else:
            kept.append(cid)
            corpus += texts
            parts.append(sv.piece_vectors)
    vecs = np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)
    if len(corpus) < n and embedder is not None:
        extra = contract_pieces(cuad_dir, n - len(corpus), only=set(kept))
        more = embed_cached(embedder, extra, cache_dir, CHUNK)
        corpus += extra
        vecs = np.concatenate([vecs, more]) if len(vecs) else more
    corpus, vecs = corpus[:n], vecs[:n]
    qvecs = np.concatenate(q_parts) if q_parts else np.zeros((0, vecs.shape[1]), np.float32)
    pick = np.linspace(0, len(q_text) - 1, min(n_queries, len(q_text))).round().astype(int)
    pick = np.unique(pick)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)  # fp16 in the cache: renormalise
    vecs = (vecs / np.where(norms > 0, norms, 1.0)).astype(np.float32)
    qv = qvecs[pick].astype(np.float32)
    qv /= np.linalg.norm(qv, axis=1, keepdims=True)
    return corpus, vecs, [q_text[i] for i in pick], qv


def exact_top10(vecs: np.ndarray, q: np.ndarray) -> set[int]:
    scores = vecs @ q
    top = np.argpartition(-scores, 10)[:10]
    return set(top[np.argsort(-scores[top])].tolist())


def recall_at_10(vecs: np.ndarray, q: np.ndarray, got: list[int]) -> tuple[float, float]:
    """Recall@10 against the exact scan: (counting ties, strict).

    Contracts repeat boilerplate word for word, so the exact top 10 often ends among
    identical vectors, and which of them it lists is arbitrary. The first figure counts a
    hit as found when its exact score reaches the exact 10th score (ties interchangeable);
    the second counts only the ids the exact scan happened to list.
    """
    scores = vecs @ q
    top = np.argpartition(-scores, 10)[:10]
    tenth = float(scores[top].min())
    tied = sum(1 for i in set(got) if scores[i] >= tenth - 1e-6)
    return min(tied, 10) / 10, len(set(top.tolist()) & set(got)) / 10


def target_lines(n: int, recall: float, p95_ratio: float) -> list[str]:
    def met(ok: bool) -> str:
        return "[green]met[/green]" if ok else "[red]NOT met[/red]"

    return [
        f"target recall@10 >= {RECALL_TARGET} at {n} points: {recall:.3f}, "
        f"{met(recall >= RECALL_TARGET)}",
        f"target HNSW p95 <= {P95_TARGET}x the exact scan's p95: {p95_ratio:.3f}x, "
        f"{met(p95_ratio <= P95_TARGET)}",
    ]


def _fill(
    store: EdgeStore, corpus: list[str], vecs: np.ndarray, sparse: SparseEncoder
) -> tuple[float, float]:
    """Upsert the archive (dense + BM25) and build its indexes; seconds for each."""
    t = time.perf_counter()
    batch = 2000
    for i in track(range(0, len(corpus), batch), description="upserting into Qdrant Edge"):
        store.upsert(
            "archive",
            [
                VectorPoint(
                    id=point_id(str(j)),
                    dense=vecs[j].tolist(),
                    sparse=sparse.document(corpus[j]),
                    payload={"n": j},
                )
                for j in range(i, min(i + batch, len(corpus)))
            ],
        )
    upsert_s = time.perf_counter() - t
    t = time.perf_counter()
    store.optimize()
    return upsert_s, time.perf_counter() - t


def _pcts(ms: list[float]) -> tuple[float, float]:
    s = sorted(ms)
    return statistics.median(s), s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


def _time(fn: Callable[[], object], n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _library_row(table: Table, embedder: Embedder, n_queries: int) -> None:
    from clause_index import Library, LibraryIndex, SearchRequest, load_library
    from evals.library_search import load_questions
    from storage import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/b.db")
        db.migrate()
        lstore = EdgeStore(Path(tmp) / "v")
        library = Library(db, LibraryIndex(lstore, embedder, SparseEncoder()))
        library.startup(load_library())
        qs = [q.question for q in load_questions()]
        points = lstore.count(library.index.collection)
        reqs = [SearchRequest(query=qs[i % len(qs)], top_k=5) for i in range(n_queries)]
        it = iter(reqs)

        def one() -> None:
            embedder.clear_cache()  # the questions repeat; time the embedding every time
            library.search(next(it))

        lat = _time(one, n_queries)
        p50, p95 = _pcts(lat)
        table.add_row(
            "library search (embed + hybrid)",
            f"{p50:.1f}",
            f"{p95:.1f}",
            f"{1000 * len(lat) / sum(lat):.0f} q/s",
            f"{points} points",
        )
        lstore.close()
        db.dispose()


def run_bench_search(
    n_vectors: int,
    n_queries: int,
    cuad_dir: Path,
    cache_dir: Path,
    compare_untuned: bool = False,
    library: bool = True,
    candidates: bool = False,
    segment_cache: Path | None = None,
    top_up: bool = True,
) -> None:
    console = Console(width=120)
    t0 = time.perf_counter()
    embedder = Embedder()
    console.print(f"model loaded in {time.perf_counter() - t0:.1f} s")
    table = Table(title="clausewise bench search")
    for col in ("what", "p50 ms", "p95 ms", "throughput", "notes"):
        table.add_column(col)

    # -- The library, end to end through Library.search (query embedding included).
    if library:
        _library_row(table, embedder, n_queries)

    # -- The archive: real contract text, n_vectors points.
    if segment_cache is not None:
        corpus, vecs, queries, qvecs = segment_cache_vectors(
            cuad_dir, segment_cache, n_vectors, n_queries, embedder if top_up else None, cache_dir
        )
        console.print(
            f"archive: {len(corpus)} contract windows from {segment_cache} (and any top-up); "
            f"queries: {len(queries)} windows of held-out contracts"
        )
    else:
        corpus, vecs, queries, qvecs = archive_vectors(
            embedder, cuad_dir, n_vectors, n_queries, cache_dir
        )
    if len(corpus) < n_vectors or len(queries) < n_queries:
        console.print(f"[yellow]only {len(corpus) + len(queries)} pieces of text[/yellow]")
    sparse = SparseEncoder()

    others: list[tuple[str, IndexTuning]] = []
    if compare_untuned or candidates:
        others.append(("Qdrant's defaults", UNTUNED))
    if candidates:
        others += CANDIDATES

    def timed(
        stores: list[EdgeStore],
    ) -> tuple[list[float], list[float], list[list[float]], list[float]]:
        """Dense top-10 per query, query by query (same load, same moment): the exact numpy
        scan, Qdrant Edge's exact scan through the same call as its HNSW search, then each
        store's HNSW search. Returns the two exact scans' times, each store's, and its
        recall, scored after the clock stopped.

        Everything timed runs on one thread, as the stores search with one: numpy's BLAS
        may use every core, and its threads spin for a while after each call, so on two
        cores a scan (or the recall's own product) before an HNSW search took the CPU from
        it: searches that cost 0.3 ms alone read 1 ms (session 20)."""
        exact_ms: list[float] = []
        edge_exact_ms: list[float] = []
        ann_ms: list[list[float]] = [[] for _ in stores]
        found: list[list[list[int]]] = [[] for _ in stores]
        with threadpool_limits(limits=1, user_api="blas"):
            for q in qvecs:
                ql = q.tolist()  # a query arrives as a list (`Embedder.embed_query`)
                t = time.perf_counter()
                exact_top10(vecs, q)
                exact_ms.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                stores[0].query("archive", ql, None, None, 10, exact=True)
                edge_exact_ms.append((time.perf_counter() - t) * 1000)
                for i, st in enumerate(stores):
                    t = time.perf_counter()
                    hits = st.query("archive", ql, None, None, 10)
                    ann_ms[i].append((time.perf_counter() - t) * 1000)
                    found[i].append([int(h.payload["n"]) for h in hits])
        recalls = [
            [recall_at_10(vecs, q, got) for q, got in zip(qvecs, found[i], strict=True)]
            for i in range(len(stores))
        ]
        _, e95 = _pcts(edge_exact_ms)
        for i in range(len(stores)):
            a50, a95 = _pcts(ann_ms[i])
            rec = recalls[i]
            table.add_row(
                f"  candidate: {others[i - 1][0]}" if i else "Qdrant Edge dense top-10 (HNSW)",
                f"{a50:.2f}",
                f"{a95:.2f}",
                f"{1000 * len(ann_ms[i]) / sum(ann_ms[i]):.0f} q/s",
                f"recall@10 {np.mean([r[0] for r in rec]):.3f} "
                f"(strict {np.mean([r[1] for r in rec]):.3f}); p95 {a95 / e95:.2f}x exact",
            )
        return (
            exact_ms,
            edge_exact_ms,
            ann_ms,
            [float(np.mean([r[0] for r in rec])) for rec in recalls],
        )

    with tempfile.TemporaryDirectory() as tmp:
        store = EdgeStore(Path(tmp) / "v")
        store.ensure_collection(CollectionSpec(name="archive", dim=embedder.dim))
        upsert_s, optimize_s = _fill(store, corpus, vecs, sparse)
        table.add_row(
            "archive upsert (dense + BM25)",
            "",
            "",
            f"{len(corpus) / upsert_s:.0f} points/s",
            f"HNSW build {optimize_s:.1f} s",
        )
        rivals = []
        for i, (_, tuning) in enumerate(others):
            rival = EdgeStore(Path(tmp) / f"c{i}", tuning)
            rival.ensure_collection(CollectionSpec(name="archive", dim=embedder.dim))
            _fill(rival, corpus, vecs, sparse)
            rivals.append(rival)
        for st in [store, *rivals]:  # one untimed pass, alike for all: none is read cold
            for q in qvecs[:20]:
                st.query("archive", q.tolist(), None, None, 10)
        for q in qvecs[:20]:
            store.query("archive", q.tolist(), None, None, 10, exact=True)
        exact_ms, edge_exact_ms, ann_ms, recalls = timed([store, *rivals])
        hnsw_ms, recall = ann_ms[0], recalls[0]
        for rival in rivals:
            rival.close()
        hyb_ms = []
        for qi in range(len(queries)):
            sq = sparse.query(queries[qi])
            t = time.perf_counter()
            store.query("archive", qvecs[qi].tolist(), sq, None, 10)
            hyb_ms.append((time.perf_counter() - t) * 1000)
        e50, e95 = _pcts(edge_exact_ms)
        n50, n95 = _pcts(exact_ms)
        _, h95 = _pcts(hnsw_ms)
        y50, y95 = _pcts(hyb_ms)
        table.add_row(
            "Qdrant Edge exact scan top-10 (reference: the same call, exact)",
            f"{e50:.2f}",
            f"{e95:.2f}",
            f"{1000 * len(edge_exact_ms) / sum(edge_exact_ms):.0f} q/s",
            f"{len(corpus)} vectors; HNSW p95 {h95 / e95:.3f}x",
        )
        table.add_row(
            "exact numpy scan top-10 (one thread)",
            f"{n50:.2f}",
            f"{n95:.2f}",
            f"{1000 * len(exact_ms) / sum(exact_ms):.0f} q/s",
            f"HNSW p95 {h95 / n95:.3f}x",
        )
        table.add_row(
            "Qdrant Edge hybrid top-10 (dense+BM25, RRF)",
            f"{y50:.2f}",
            f"{y95:.2f}",
            f"{1000 * len(hyb_ms) / sum(hyb_ms):.0f} q/s",
            f"p95 {y95 / e95:.2f}x exact",
        )
        store.close()
        t = time.perf_counter()
        store2 = EdgeStore(Path(tmp) / "v")
        store2.ensure_collection(CollectionSpec(name="archive", dim=embedder.dim))
        reopen_s = time.perf_counter() - t
        table.add_row(
            "Qdrant Edge reopen",
            f"{reopen_s * 1000:.0f}",
            "",
            "",
            f"{store2.count('archive')} points",
        )
        store2.close()
    console.print(table)
    tun = DEFAULT_TUNING
    console.print(
        f"index: HNSW m {tun.m}, ef_construct {tun.ef_construct}, search ef {tun.hnsw_ef}, "
        + (f"int8 quantization, rescored at {tun.oversampling}x oversampling, " if tun.int8 else "")
        + f"search threads {tun.search_threads or 'one per CPU'}; "
        "each index had one untimed pass of 20 queries first"
    )
    for line in target_lines(len(corpus), recall, h95 / e95):
        console.print(line)
    console.print(
        "query embedding is not in the archive rows (the library row includes it); "
        + (
            "queries are windows of held-out contracts."
            if segment_cache is not None
            else "queries are held-out contract sentences."
        )
    )
