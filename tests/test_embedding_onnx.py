"""The ONNX Runtime embedding path: a fused graph, the torch vectors, and int8 close to them."""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import pytest

from retrieval import Embedder
from retrieval.onnx_runtime import FORMAT, OnnxEncoder, model_file

TEXTS = [
    "Either party may terminate this Agreement on ninety days' written notice.",
    "This Agreement is governed by the laws of the State of New York.",
    "The Supplier shall indemnify the Customer against all losses arising from any breach "
    "of its obligations under this Agreement, including reasonable legal fees and costs, "
    "save to the extent caused by the Customer's own negligence or wilful misconduct.",
    "Fees are payable within thirty days of the invoice date.",
    "Confidential.",
]


@pytest.fixture(scope="module")
def onnx_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("onnx")


def test_fp32_graph_is_fused_and_matches_torch(embedder: Embedder, onnx_dir: Path) -> None:
    fast = Embedder(backend="onnx-fp32", onnx_cache_dir=onnx_dir, threads=1)
    path = model_file(embedder.st_model, onnx_dir, "allminilml6v2", "fp32")
    assert path.parent.name == f"v{FORMAT}"
    ops = {n.op_type for n in onnx.load(str(path)).graph.node}
    assert {"Attention", "SkipLayerNormalization", "EmbedLayerNormalization"} <= ops
    ref = embedder.embed(TEXTS)
    got = fast.embed(TEXTS)
    assert got.shape == ref.shape
    assert float((got * ref).sum(axis=1).min()) > 0.9999


def test_int8_stays_close_to_fp32(embedder: Embedder, onnx_dir: Path) -> None:
    small = Embedder(backend="onnx-int8", onnx_cache_dir=onnx_dir, threads=1)
    cos = (small.embed(TEXTS) * embedder.embed(TEXTS)).sum(axis=1)
    assert float(cos.mean()) >= 0.99


def test_int8_quantizes_the_projections_not_the_word_embeddings(
    embedder: Embedder, onnx_dir: Path
) -> None:
    path = model_file(embedder.st_model, onnx_dir, "allminilml6v2", "int8")
    ops = Counter(n.op_type for n in onnx.load(str(path)).graph.node)
    assert ops["QAttention"] == 6  # one per layer: Q, K and V projections in int8
    assert ops["MatMulInteger"] == 12  # attention output and the first feed-forward layer
    assert ops["MatMul"] == 6  # each feed-forward output layer stays fp32
    assert ops["EmbedLayerNormalization"] == 1
    assert "QEmbedLayerNormalization" not in ops


def _encoder(embedder: Embedder, onnx_dir: Path, parallel: str) -> OnnxEncoder:
    return OnnxEncoder(embedder.st_model, onnx_dir, "allminilml6v2", "fp32", 2, parallel)


def test_batch_parts_run_at_once_and_keep_each_text_in_its_row(
    embedder: Embedder, onnx_dir: Path
) -> None:
    parts = _encoder(embedder, onnx_dir, "batches")
    assert parts.session.get_session_options().intra_op_num_threads == 1
    both_running = threading.Barrier(2, timeout=30)
    run = parts.session.run

    def run_together(*args: Any) -> Any:
        both_running.wait()  # raises if the two parts do not run at the same time
        return run(*args)

    parts.session.run = run_together  # type: ignore[method-assign]
    texts = sorted(TEXTS, key=len)  # five texts: parts of three and two
    got = parts.encode(texts)
    embedder.clear_cache()
    ref = embedder.embed(texts)
    assert float((got * ref).sum(axis=1).min()) > 0.9999


def test_operator_threads_do_not_spin_and_agree_with_batch_parts(
    embedder: Embedder, onnx_dir: Path
) -> None:
    ops = _encoder(embedder, onnx_dir, "ops")
    options = ops.session.get_session_options()
    assert options.intra_op_num_threads == 2
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    parts = _encoder(embedder, onnx_dir, "batches")
    assert np.allclose(ops.encode(TEXTS), parts.encode(TEXTS), atol=1e-4)
    with pytest.raises(ValueError):
        _encoder(embedder, onnx_dir, "threads")


def test_length_sorted_batches_keep_each_text_in_its_row(embedder: Embedder) -> None:
    embedder.clear_cache()
    together = embedder.embed(TEXTS, batch_size=2)
    embedder.clear_cache()
    alone = np.stack([embedder.embed([t])[0] for t in TEXTS])
    assert np.allclose(together, alone, atol=1e-4)
