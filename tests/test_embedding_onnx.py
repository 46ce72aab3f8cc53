"""The ONNX Runtime embedding path: a fused graph, the torch vectors, and int8 close to them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import pytest

from retrieval import Embedder
from retrieval.onnx_runtime import FORMAT, model_file

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
    path = model_file(embedder._model, onnx_dir, "allminilml6v2", "fp32")
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
    assert float(cos.mean()) > 0.98


def test_length_sorted_batches_keep_each_text_in_its_row(embedder: Embedder) -> None:
    embedder.clear_cache()
    together = embedder.embed(TEXTS, batch_size=2)
    embedder.clear_cache()
    alone = np.stack([embedder.embed([t])[0] for t in TEXTS])
    assert np.allclose(together, alone, atol=1e-4)
