"""`clausewise bench embed`: the embedding model on torch fp32 against ONNX Runtime (fused
fp32 and int8) on real contract text: windows/s on N threads, speed-up, and cosine to torch
fp32. The backends are timed in interleaved rounds (torch, onnx-fp32, onnx-int8, torch, ...)
so that load from other processes weighs on all of them alike; each figure is the median
round."""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path

import numpy as np

# name -> (backend, how ONNX Runtime's threads share a batch)
BACKENDS = {
    "torch": ("torch", "batches"),
    "onnx-fp32": ("onnx-fp32", "batches"),
    "onnx-int8": ("onnx-int8", "batches"),
    "int8 ops": ("onnx-int8", "ops"),
}


def run_bench_embed(
    cuad_dir: Path,
    cache_dir: Path,
    windows: int = 512,
    threads: int = 2,
    seed: int = 7,
    rounds: int = 3,
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

    embedders = {"torch": base}
    for name, (backend, parallel) in BACKENDS.items():
        if backend != "torch":
            embedders[name] = Embedder(
                backend=backend, onnx_cache_dir=cache_dir, threads=threads, onnx_parallel=parallel
            )
    for e in embedders.values():
        e.embed(texts[:32])  # warm-up (first call allocates)
    seconds: dict[str, list[float]] = {b: [] for b in embedders}
    cpu: dict[str, list[float]] = {b: [] for b in embedders}
    vectors: dict[str, np.ndarray] = {}
    load_before = os.getloadavg()[0]
    for r in range(rounds):
        for name in list(embedders)[:: -1 if r % 2 else 1]:
            e = embedders[name]
            e.clear_cache()
            c, t = time.process_time(), time.perf_counter()
            vectors[name] = e.embed(texts, batch_size=32)
            seconds[name].append(time.perf_counter() - t)
            cpu[name].append(time.process_time() - c)
    load_after = os.getloadavg()[0]
    ref = vectors["torch"]
    lines = [
        f"{len(texts)} windows of real contract text ({tokens} tokens, CUAD), {threads} threads, "
        f"batch 32 (length-sorted), {rounds} interleaved rounds, median round; speed-up: the "
        "median of the per-round ratios to torch",
        f"load average (1 min) {load_before:.1f} before, {load_after:.1f} after",
        f"{'backend':<10} {'seconds':>8} {'windows/s':>10} {'speed-up':>9} {'cpu s':>7} "
        f"{'mean cos':>9} {'min cos':>8}  rounds (s)",
    ]
    for name in embedders:
        t = statistics.median(seconds[name])
        ratio = statistics.median(
            a / b for a, b in zip(seconds["torch"], seconds[name], strict=True)
        )
        cos = (vectors[name] * ref).sum(axis=1)
        lines.append(
            f"{name:<10} {t:>8.2f} {len(texts) / t:>10.1f} {ratio:>8.2f}x "
            f"{statistics.median(cpu[name]):>7.1f} {cos.mean():>9.4f} {cos.min():>8.4f}  "
            + " ".join(f"{s:.1f}" for s in seconds[name])
        )
    return "\n".join(lines)
