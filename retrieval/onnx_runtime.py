"""The embedding model on ONNX Runtime: the transformer exported once to ONNX (and quantized
to int8 weights), cached on disk, run with the model's own tokenizer, mean pooling and
normalisation, so its vectors match the torch path's.

Why not sentence-transformers' `backend="onnx"`: it needs `optimum-onnx`, which pins
transformers below 4.58, and this project runs transformers 5. The export and the dynamic
quantization here use torch's exporter and onnxruntime's quantizer directly.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import numpy as np

PRECISIONS = ("fp32", "int8")


def _export(st_model: Any, target: Path) -> None:
    import torch

    transformer = st_model[0].auto_model.eval()

    class _Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.m = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.m(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    ids = torch.ones((2, 16), dtype=torch.long)
    axes = {0: "batch", 1: "tokens"}
    tmp = target.with_suffix(f".{uuid.uuid4().hex}.tmp")
    with torch.no_grad():
        torch.onnx.export(
            _Hidden(),
            (ids, torch.ones_like(ids), torch.zeros_like(ids)),
            str(tmp),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "last_hidden_state": axes,
            },
            opset_version=17,
            dynamo=False,
        )
    tmp.replace(target)


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_suffix(f".{uuid.uuid4().hex}.tmp")
    quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8)
    tmp.replace(target)


def model_file(st_model: Any, cache_dir: Path, name: str, precision: str) -> Path:
    """The ONNX file for `precision`, exported (and quantized) on first use."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}")
    folder = cache_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "model-fp32.onnx"
    if not fp32.exists():
        _export(st_model, fp32)
    if precision == "fp32":
        return fp32
    int8 = folder / "model-int8.onnx"
    if not int8.exists():
        _quantize(fp32, int8)
    return int8


class OnnxEncoder:
    """`encode(texts)` as sentence-transformers would, for a mean-pooling, normalising model."""

    def __init__(
        self, st_model: Any, cache_dir: Path, name: str, precision: str, threads: int
    ) -> None:
        import onnxruntime as ort

        pooling = st_model[1]
        if getattr(pooling, "pooling_mode", "mean") != "mean" or len(st_model) != 3:
            raise ValueError("the ONNX path supports mean-pooling, normalising models only")
        self.tokenizer = st_model.tokenizer
        self.max_length = int(st_model.max_seq_length)
        self.path = model_file(st_model, cache_dir, name, precision)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(self.path), opts, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer(
            texts,
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="np",
        )
        mask = enc["attention_mask"].astype(np.int64)
        feeds = {
            "input_ids": enc["input_ids"].astype(np.int64),
            "attention_mask": mask,
            "token_type_ids": enc.get("token_type_ids", np.zeros_like(mask)).astype(np.int64),
        }
        hidden = self.session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
