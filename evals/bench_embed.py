"""`clausewise bench embed`: the embedding model on torch fp32 against ONNX Runtime (fp32 and
int8) on real contract text: windows/s on N threads, speed-up, and cosine to torch fp32."""

from __future__ import annotations

import random
import time
from pathlib import Path

import numpy as np


def run_bench_embed(
    cuad_dir: Path, cache_dir: Path, windows: int = 512, threads: int = 2, seed: int = 7
) -> str:
    import torch

    from retrieval import Embedder

    torch.set_num_threads(threads)
    base = Embedder()
    files = sorted((cuad_dir / "contracts").glob("*.txt"))
    if not files:
        raise SystemExit(f"no contracts in {cuad_dir / 'contracts'}")
    rng = random.Random(seed)
    rng.shuffle(files)
    texts: list[str] = []
    for f in files:
        for para in f.read_text(encoding="utf-8").split("\n\n"):
            for piece in base.split(para.strip()):
                if len(piece.text) > 40:
                    texts.append(piece.text)
        if len(texts) >= windows * 3:
            break
    rng.shuffle(texts)
    texts = texts[:windows]
    tokens = sum(base.count_tokens(t) for t in texts)

    def timed(e: Embedder) -> tuple[np.ndarray, float]:
        e.embed(texts[:32])  # warm-up (first call allocates)
        e.clear_cache()
        t = time.perf_counter()
        v = e.embed(texts, batch_size=32)
        return v, time.perf_counter() - t

    ref, t_ref = timed(base)
    lines = [
        f"{len(texts)} windows of real contract text ({tokens} tokens, CUAD), "
        f"{threads} threads, batch 32",
        f"{'backend':<10} {'seconds':>8} {'windows/s':>10} {'speed-up':>9} "
        f"{'mean cos':>9} {'min cos':>8}",
        f"{'torch':<10} {t_ref:>8.2f} {len(texts) / t_ref:>10.1f} {1.0:>8.2f}x {1.0:>9.4f} "
        f"{1.0:>8.4f}",
    ]
    for backend in ("onnx-fp32", "onnx-int8"):
        e = Embedder(backend=backend, onnx_cache_dir=cache_dir, threads=threads)
        v, t = timed(e)
        cos = (v * ref).sum(axis=1)
        lines.append(
            f"{backend:<10} {t:>8.2f} {len(texts) / t:>10.1f} {t_ref / t:>8.2f}x "
            f"{cos.mean():>9.4f} {cos.min():>8.4f}"
        )
    return "\n".join(lines)
