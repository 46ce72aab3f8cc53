"""Embeddings and hybrid vector search over Qdrant (Edge in process, or a server)."""

from retrieval.embedding import Embedder, TextPiece
from retrieval.store import (
    CollectionSpec,
    EdgeStore,
    Filter,
    Hit,
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
    "CollectionSpec",
    "EdgeStore",
    "Embedder",
    "Filter",
    "Hit",
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
