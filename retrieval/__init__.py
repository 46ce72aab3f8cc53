"""Embeddings and hybrid vector search over Qdrant (Edge in process, or a server)."""

from retrieval.embedding import Embedder, TextPiece
from retrieval.store import (
    DEFAULT_TUNING,
    CollectionSpec,
    EdgeStore,
    Filter,
    Hit,
    IndexTuning,
    Range,
    Rankings,
    ServerStore,
    Sparse,
    SparseEncoder,
    VectorPoint,
    VectorStore,
    open_store,
    point_id,
)

__all__ = [
    "DEFAULT_TUNING",
    "CollectionSpec",
    "EdgeStore",
    "Embedder",
    "Filter",
    "Hit",
    "IndexTuning",
    "Range",
    "Rankings",
    "ServerStore",
    "Sparse",
    "SparseEncoder",
    "TextPiece",
    "VectorPoint",
    "VectorStore",
    "open_store",
    "point_id",
]
