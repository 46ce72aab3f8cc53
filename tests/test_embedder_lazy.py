"""The embedding model loads on first use, and vectors are stored under their backend's name:
a rerun of a bulk import with nothing new never loads the model, and a changed backend builds
new collections instead of mixing its vectors with the old ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ai_service.cli import app as cli
from archive import ArchiveIndex
from archive.inline import process_queue
from clause_index.index import collection_name
from retrieval import Embedder, SparseEncoder
from retrieval.embedding import declared_dim
from tests.samples import SAMPLE_MSA, SAMPLE_RESELLER


def test_made_without_loading_and_its_size_read_from_the_configs(embedder: Embedder) -> None:
    fresh = Embedder()
    assert not fresh.loaded
    assert fresh.dim == embedder.dim == 384  # from the module configs: still not loaded
    assert not fresh.loaded
    assert fresh.embed([]).shape == (0, 384)  # nothing to embed loads nothing
    assert not fresh.loaded
    assert len(fresh.split("Either party may terminate.")) == 1
    assert fresh.loaded  # the first real use loads it


def test_declared_dim_follows_the_module_chain(tmp_path: Path) -> None:
    def folder(name: str, modules: list[tuple[str, str, dict[str, Any] | None]]) -> Path:
        root = tmp_path / name
        listing = []
        for i, (kind, sub, config) in enumerate(modules):
            listing.append({"idx": i, "path": sub, "type": f"sentence_transformers.models.{kind}"})
            if config is not None:
                (root / sub).mkdir(parents=True, exist_ok=True)
                (root / sub / "config.json").write_text(json.dumps(config))
        root.mkdir(exist_ok=True)
        (root / "modules.json").write_text(json.dumps(listing))
        return root

    pooling = {"word_embedding_dimension": 384, "pooling_mode_mean_tokens": True}
    two_poolings = {**pooling, "pooling_mode_cls_token": True, "pooling_mode_max_tokens": False}
    chain = [("Transformer", "", {}), ("Pooling", "1_Pooling", pooling)]
    assert declared_dim(folder("mean", [*chain, ("Normalize", "2_Normalize", None)])) == 384
    assert (
        declared_dim(folder("dense", [*chain, ("Dense", "2_Dense", {"out_features": 128})])) == 128
    )
    assert declared_dim(folder("concat", [("Pooling", "1_Pooling", two_poolings)])) == 768
    assert declared_dim(folder("odd", [("Transformer", "", {"hidden_size": 384})])) is None
    assert declared_dim(tmp_path / "missing") is None


def test_each_backend_names_its_own_collections(embedder: Embedder) -> None:
    int8, fp32 = Embedder(backend="onnx-int8"), Embedder(backend="onnx-fp32")
    tags = {embedder.index_tag, int8.index_tag, fp32.index_tag}
    assert len(tags) == 3
    assert embedder.index_tag == "allminilml6v2"  # torch keeps the collections it has
    store: Any = None
    names = {ArchiveIndex(store, e, SparseEncoder()).collection for e in (embedder, int8, fp32)}
    assert len(names) == 3
    assert len({collection_name(e) for e in (embedder, int8, fp32)}) == 3
    assert not int8.loaded and not fp32.loaded
    with pytest.raises(ValueError, match="backend"):
        Embedder(backend="onnx-int4")


class _Retagged:
    """The session's model under another name, as a changed backend names its vectors (the
    vectors themselves do not matter here, only where they go)."""

    def __init__(self, inner: Embedder, tag: str) -> None:
        self._inner, self.index_tag = inner, tag

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def test_a_changed_backend_reembeds_into_new_collections(
    tmp_path: Path, embedder: Embedder
) -> None:
    from ai_service.app import build_services
    from tests.conftest import settings_for

    settings = settings_for(tmp_path / "data")
    first = build_services(settings, embedder=embedder)
    cid = first.archive.upload(
        SAMPLE_MSA.encode(), title="MSA", filename=None, deal=None, actor="t"
    ).id
    process_queue(first.archive, embedder)
    old_library, old_archive = first.library.index.collection, first.archive.index.collection
    library_points = first.store.count(old_library)
    assert first.archive.wait(cid, 0).status == "ready"
    first.store.close()
    first.db.dispose()

    other: Any = _Retagged(embedder, "allminilml6v2_otherv1")
    second = build_services(settings, embedder=other)
    try:
        new_library, new_archive = second.library.index.collection, second.archive.index.collection
        assert new_library != old_library and new_archive != old_archive
        # The library is embedded again into its new collection at start...
        assert second.store.count(new_library) == library_points > 0
        # ...and the archive's contract is queued again, never served from the old vectors.
        assert second.archive.wait(cid, 0).status != "ready"
        assert second.archive.index.contract_ids() == set()
        process_queue(second.archive, other)
        assert second.archive.wait(cid, 0).status == "ready"
        assert second.archive.index.contract_ids() == {cid}
        stamped = second.store.scroll(new_archive, None, ["embedding"])
        assert {h.payload["embedding"] for h in stamped} == {"allminilml6v2_otherv1"}
    finally:
        second.store.close()
        second.db.dispose()


def test_ingest_rerun_with_nothing_new_never_loads_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, embedder: Embedder
) -> None:
    import ai_service.app

    monkeypatch.setenv("CLAUSEWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CLAUSEWISE_BOOTSTRAP_ADMIN_KEY", "cw_cli_admin")
    monkeypatch.setenv("CLAUSEWISE_WORKER_MODE", "thread")  # the session's model, in process
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "msa.txt").write_text(SAMPLE_MSA)
    (folder / "reseller.txt").write_text(SAMPLE_RESELLER)
    monkeypatch.setattr(ai_service.app, "_embedder", embedder)
    r = CliRunner().invoke(cli, ["ingest", str(folder)])
    assert r.exit_code == 0 and "2 ingested" in r.output, r.output

    fresh = Embedder()  # what a new process would hold
    monkeypatch.setattr(ai_service.app, "_embedder", fresh)
    r = CliRunner().invoke(cli, ["ingest", str(folder)])
    assert r.exit_code == 0 and "0 ingested, 2 already in the archive" in r.output, r.output
    assert not fresh.loaded

    (folder / "new.txt").write_text(SAMPLE_MSA + "\n\nSchedule 2.")
    r = CliRunner().invoke(cli, ["ingest", str(folder)])
    assert r.exit_code == 0 and "1 ingested, 2 already in the archive" in r.output, r.output
    assert fresh.loaded  # something new: the (thread) worker loaded it on first use


def test_vectors_handed_over_by_another_backend_are_embedded_again(embedder: Embedder) -> None:
    """A worker on its own machine, set up with another backend, must not put its vectors
    into this index's collection: the indexer embeds them again from their text."""
    from retrieval import Sparse, VectorPoint

    store: Any = None
    index = ArchiveIndex(store, embedder, SparseEncoder())
    text = "Either party may terminate this Agreement on ninety days' written notice."
    right = embedder.embed([text])[0].tolist()

    def point(pid: str, tag: str | None) -> VectorPoint:
        payload: dict[str, Any] = {"text": text}
        if tag is not None:
            payload["embedding"] = tag
        return VectorPoint(
            id=pid,
            dense=[0.0] * embedder.dim,
            sparse=Sparse(indices=[], values=[]),
            payload=payload,
        )

    out = index.own_vectors([point("a", "allminilml6v2_onnxint8v3"), point("b", None)])
    assert out[0].dense == pytest.approx(right, abs=1e-6)
    assert out[0].payload["embedding"] == embedder.index_tag
    assert out[1].dense == [0.0] * embedder.dim  # untagged (made before the tag): kept
    mine = [point("c", embedder.index_tag)]
    assert index.own_vectors(mine) is mine
