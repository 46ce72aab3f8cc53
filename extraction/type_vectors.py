"""Segment vectors: the MiniLM embedding of each segment, computed once per document.

Ingest embeds every segment for the archive (a long segment in overlapping windows). The
clause-type model reads the same vectors: a segment's vector is the normalised mean of its
windows' vectors. `SegmentVectors` carries both, so the archive stores the windows and the
model types the segments without embedding anything twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from extraction.types import Segment
from retrieval.embedding import TextPiece


class EmbedderLike(Protocol):
    """What is needed of `retrieval.embedding.Embedder`."""

    @property
    def dim(self) -> int: ...

    def split(self, text: str) -> Sequence[TextPiece]: ...

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray: ...


@dataclass
class SegmentVectors:
    """Window vectors of every segment of one document, and one vector per segment."""

    piece_segment: np.ndarray  # (pieces,) segment index of each window
    piece_start: np.ndarray  # (pieces,) window offsets, relative to its segment's start
    piece_end: np.ndarray
    piece_vectors: np.ndarray  # (pieces, dim) unit vectors

    def segment_matrix(self, n_segments: int) -> np.ndarray:
        """(segments, dim): the normalised mean of each segment's windows (zeros if none)."""
        dim = self.piece_vectors.shape[1] if self.piece_vectors.ndim == 2 else 0
        out = np.zeros((n_segments, dim), dtype=np.float32)
        if len(self.piece_segment):
            np.add.at(out, self.piece_segment, self.piece_vectors.astype(np.float32))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)


def embed_segments(embedder: EmbedderLike, segments: list[Segment]) -> SegmentVectors:
    """Embed every segment, in windows no longer than the model reads."""
    seg_idx: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    for k, seg in enumerate(segments):
        for piece in embedder.split(seg.text):
            seg_idx.append(k)
            starts.append(piece.start)
            ends.append(piece.end)
            texts.append(piece.text)
    vecs = embedder.embed(texts) if texts else np.zeros((0, embedder.dim), dtype=np.float32)
    return SegmentVectors(
        piece_segment=np.array(seg_idx, dtype=np.int32),
        piece_start=np.array(starts, dtype=np.int32),
        piece_end=np.array(ends, dtype=np.int32),
        piece_vectors=np.asarray(vecs, dtype=np.float32),
    )


def _segmentation_key(segments: list[Segment]) -> str:
    raw = ",".join(f"{s.start}:{s.end}" for s in segments)
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def cached_segment_vectors(
    cache_dir: Path, key: str, segments: list[Segment], embedder: EmbedderLike | None
) -> SegmentVectors | None:
    """Segment vectors of a training document, from `cache_dir` (outside the repository) or
    computed and stored there. The cache is keyed by the segmentation, so a change to the
    segmenter recomputes. Without an embedder only cached vectors are returned."""
    path = cache_dir / f"{key}.{_segmentation_key(segments)}.npz"
    if path.exists():
        d = np.load(path)
        return SegmentVectors(
            piece_segment=d["piece_segment"],
            piece_start=d["piece_start"],
            piece_end=d["piece_end"],
            piece_vectors=d["piece_vectors"].astype(np.float32),
        )
    if embedder is None:
        return None
    sv = embed_segments(embedder, segments)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(
        tmp,
        piece_segment=sv.piece_segment,
        piece_start=sv.piece_start,
        piece_end=sv.piece_end,
        piece_vectors=sv.piece_vectors.astype(np.float16),
    )
    tmp.replace(path)
    return sv


def default_cache_dir() -> Path:
    return Path.home() / ".cache" / "clausewise" / "segment-vectors"
