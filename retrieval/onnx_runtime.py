"""The embedding model on ONNX Runtime: the transformer exported once to ONNX, its graph fused
by onnxruntime's transformer optimizer (one Attention node per layer, fused embedding and
skip layer norms, bias + GELU), optionally quantized to int8 weights, cached on disk, and run
with the model's own tokenizer, mean pooling and normalisation, so its vectors match the
torch path's.

Why not sentence-transformers' `backend="onnx"`: it needs `optimum-onnx`, which pins
transformers below 4.58, and this project runs transformers 5. The export, the fusion and the
dynamic quantization here use torch's exporter and onnxruntime's own tools directly.
"""

from __future__ import annotations

import os
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

PRECISIONS = ("fp32", "int8")
QUANTIZED_OPS = ("MatMul", "Attention")
# Bumped whenever the export, the optimisation or the quantization changes: old cached files
# are not reused.
FORMAT = 4


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
    # Exported with the eager attention: the graph of torch's fused attention (SDPA) is not
    # recognised by onnxruntime's optimizer, the plain softmax(QK^T)V pattern is.
    previous = getattr(transformer.config, "_attn_implementation", None)
    transformer.set_attn_implementation("eager")
    try:
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
    finally:
        if previous:
            transformer.set_attn_implementation(previous)
    tmp.replace(target)


def _optimize(source: Path, target: Path, heads: int, hidden: int) -> dict[str, int]:
    """Fuse the BERT graph; returns the fused operator counts."""
    from onnxruntime.transformers.optimizer import optimize_model

    model = optimize_model(
        str(source), model_type="bert", num_heads=heads, hidden_size=hidden, opt_level=0
    )
    tmp = target.with_suffix(f".{uuid.uuid4().hex}.tmp")
    model.save_model_to_file(str(tmp))
    tmp.replace(target)
    return {k: int(v) for k, v in model.get_fused_operator_statistics().items() if v}


def _ffn_outputs(source: Path) -> list[str]:
    """The MatMul nodes fed by a GELU: each layer's feed-forward output projection."""
    import onnx

    graph = onnx.load(str(source), load_external_data=False).graph
    gelu_out = {o for n in graph.node if "Gelu" in n.op_type for o in n.output}
    return [n.name for n in graph.node if n.op_type == "MatMul" and gelu_out & set(n.input)]


def _quantize(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    tmp = target.with_suffix(f".{uuid.uuid4().hex}.tmp")
    quantize_dynamic(
        str(source),
        str(tmp),
        # uint8 weights: with uint8 activations this is the u8u8 kernel, which on CPUs without
        # VNNI loses less than u8s8 (mean cosine 0.9917 -> 0.9969 on this machine's EPYC).
        weight_type=QuantType.QUInt8,
        per_channel=True,  # one scale per output column: per-tensor scales lose too much
        # The projections only: int8 word embeddings (EmbedLayerNormalization's tables) save
        # disk, not time, and cost agreement (mean cosine 0.9931 -> 0.9937 without them).
        op_types_to_quantize=list(QUANTIZED_OPS),
        # The feed-forward output layers stay fp32: their GELU inputs have long tails that one
        # 8-bit scale per column cuts, and they cost most of int8's error.
        nodes_to_exclude=_ffn_outputs(source),
        # The fused graph has contrib operators that shape inference cannot type.
        extra_options={"DefaultTensorType": 1},  # onnx.TensorProto.FLOAT
    )
    tmp.replace(target)


def model_file(st_model: Any, cache_dir: Path, name: str, precision: str) -> Path:
    """The ONNX file for `precision`, exported, fused (and quantized) on first use."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}")
    folder = cache_dir / name / f"v{FORMAT}"
    folder.mkdir(parents=True, exist_ok=True)
    fp32 = folder / "model-fp32.onnx"
    if not fp32.exists():
        raw = folder / "model-export.onnx"
        _export(st_model, raw)
        config = st_model[0].auto_model.config
        _optimize(raw, fp32, int(config.num_attention_heads), int(config.hidden_size))
        raw.unlink()
    if precision == "fp32":
        return fp32
    int8 = folder / "model-int8.onnx"
    if not int8.exists():
        _quantize(fp32, int8)
    return int8


PARALLEL = ("batches", "ops")


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class OnnxEncoder:
    """`encode(texts)` as sentence-transformers would, for a mean-pooling, normalising model.

    `parallel="batches"` (default) splits each batch into `threads` parts that run at once,
    each on one thread; `"ops"` runs the whole batch with `threads` threads inside each
    operator. On 2 cores the first is faster: a MiniLM batch is too small for two threads to
    share each operator without waiting on each other, while whole parts never wait.
    """

    def __init__(
        self,
        st_model: Any,
        cache_dir: Path,
        name: str,
        precision: str,
        threads: int | None,
        parallel: str = "batches",
    ) -> None:
        import onnxruntime as ort

        if parallel not in PARALLEL:
            raise ValueError(f"parallel must be one of {PARALLEL}")
        pooling = st_model[1]
        if getattr(pooling, "pooling_mode", "mean") != "mean" or len(st_model) != 3:
            raise ValueError("the ONNX path supports mean-pooling, normalising models only")
        self.tokenizer = st_model.tokenizer
        self.max_length = int(st_model.max_seq_length)
        self.path = model_file(st_model, cache_dir, name, precision)
        self.threads = threads or cores()
        self.parallel = parallel
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.intra_op_num_threads = self.threads if parallel == "ops" else 1
        opts.inter_op_num_threads = 1
        # No spinning: a spinning thread burns a core while it waits for work, a core taken
        # from the other processes of a shared machine (measured under load: "ops" 2.76x torch
        # without spinning, 2.45x with it). With "batches" there is no pool to spin.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = ort.InferenceSession(
            str(self.path), opts, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        parts = min(self.threads, len(texts)) if self.parallel == "batches" else 1
        if parts <= 1:
            return self._run(self._feeds(texts))
        # Every part-th text: the callers sort by length, so the parts cost alike and each
        # is padded about as little as the whole batch.
        feeds = [self._feeds(texts[i::parts]) for i in range(parts)]  # the tokenizer is not
        # thread-safe: tokenized here, on the caller's thread
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="onnx")
            pool = self._pool
        out = np.empty((len(texts), 0), dtype=np.float32)
        for i, vecs in enumerate(pool.map(self._run, feeds)):
            if not out.shape[1]:
                out = np.empty((len(texts), vecs.shape[1]), dtype=np.float32)
            out[i::parts] = vecs
        return out

    def _feeds(self, texts: list[str]) -> dict[str, np.ndarray]:
        enc = self.tokenizer(
            texts,
            padding=True,  # to the longest text of this batch, not to the window
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
        return {k: v for k, v in feeds.items() if k in self._inputs}

    def _run(self, feeds: dict[str, np.ndarray]) -> np.ndarray:
        # ONNX Runtime's run is thread-safe and releases the GIL: the parts run in parallel.
        hidden = self.session.run(None, feeds)[0]
        weights = feeds["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
