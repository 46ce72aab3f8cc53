"""Closeness in meaning between a counterparty's words and each approved position of a type:
the cosine of sentence embeddings. Word alignment cannot see that "either party may end this
agreement on 30 days' notice" is our convenience-termination fallback in other words; this can.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from playbook.decision import pid
from playbook.positions import TypeInfo

MeaningFn = Callable[[str, TypeInfo], dict[str, float]]


class Meaning:
    """Callable `(text, type) -> {position id: cosine}`; approved texts embedded once per
    library version of the type."""

    def __init__(self, embedder: Any) -> None:
        self.embedder = embedder
        self._cache: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()

    def __call__(self, text: str, info: TypeInfo) -> dict[str, float]:
        key = (info.type, *(f"{p.id}@{p.version}" for p in info.positions))
        with self._lock:
            vecs = self._cache.get(key)
        if vecs is None:
            vecs = np.asarray(self.embedder.embed([p.text for p in info.positions]))
            with self._lock:
                self._cache[key] = vecs
        q = np.asarray(self.embedder.embed_query(text))
        sims = vecs @ q
        return {pid(p): float(s) for p, s in zip(info.positions, sims, strict=True)}
