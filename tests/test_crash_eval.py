"""`clausewise eval crash`: its checks see each kind of damage (the trials themselves take
minutes per run: `clausewise eval crash`, or the slow test at the end)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from archive import Archive, BlobStore
from archive.models import VectorRow
from evals.crash_eval import check, crash_state, run_crash_eval
from retrieval import EdgeStore
from retrieval.store import CollectionSpec, Sparse, VectorPoint
from storage import Database

COLLECTION = CollectionSpec(name="archive_v1_test", dim=4, keyword_fields=["contract_id"])


class _NoIndex:
    def open(self) -> bool:
        return False


def _points(vectors: Path, cids: list[str]) -> None:
    """One point per contract id in `cids` (an id twice: the same span stored twice)."""
    store = EdgeStore(vectors)
    store.ensure_collection(COLLECTION)
    store.upsert(
        COLLECTION.name,
        [
            VectorPoint(
                id=str(uuid.uuid4()),
                dense=[1.0, 0.0, 0.0, 0.0],
                sparse=Sparse(indices=[1], values=[1.0]),
                payload={"contract_id": cid, "segment": 0, "start": 0, "end": 10},
            )
            for cid in cids
        ],
    )
    store.close()


def _setup(tmp: Path, n: int) -> tuple[Database, list[str], list[Path]]:
    db = Database(f"sqlite:///{tmp}/c.db")
    db.migrate()
    archive = Archive(db, _NoIndex(), BlobStore(tmp / "blobs"))  # type: ignore[arg-type]
    folder = tmp / "in"
    folder.mkdir()
    files, ids = [], []
    for i in range(n):
        f = folder / f"c{i}.txt"
        f.write_text(f"Contract {i}. This Agreement is governed by the laws of Delaware.\n")
        files.append(f)
        ids.append(
            archive.upload(f.read_bytes(), title=None, filename=f.name, deal=None, actor="t").id
        )
    return db, ids, files


def _ready(db: Database, *cids: str) -> None:
    with db.session() as s:
        for cid in cids:
            s.execute(
                text("UPDATE contracts SET status = 'ready', text = 'x' WHERE id = :id"),
                {"id": cid},
            )


def test_a_clean_archive_counts_nothing(tmp_path: Path) -> None:
    db, ids, files = _setup(tmp_path, 2)
    _ready(db, *ids)
    _points(tmp_path / "vectors", ids)
    url = f"sqlite:///{tmp_path}/c.db"
    counts = check(url, tmp_path / "vectors", files)
    assert counts == {"contracts": 2, "lost": 0, "duplicated": 0, "stuck": 0, "half_indexed": 0}
    assert crash_state(url, tmp_path / "vectors")["ready-without-vectors"] == 0


def test_each_kind_of_damage_is_counted(tmp_path: Path) -> None:
    db, (c1, c2, c3, _c4), files = _setup(tmp_path, 4)
    extra = tmp_path / "in" / "never-uploaded.txt"
    extra.write_text("A contract that no run took in.\n")
    _ready(db, c1, c2)
    # c1 indexed twice; c2 ready without vectors; vectors of a contract that does not exist
    _points(tmp_path / "vectors", [c1, c1, "no-such-contract"])
    with db.session() as s:
        s.add(VectorRow(contract_id=c3, point_id="p", dense=b"", sparse={}, payload={}))
    url = f"sqlite:///{tmp_path}/c.db"
    counts = check(url, tmp_path / "vectors", [*files, extra])
    assert counts["lost"] == 1  # the one never uploaded
    assert counts["duplicated"] == 1
    assert counts["stuck"] == 2  # c3 and c4 are still pending
    # c2 has no vectors, "no-such-contract" has vectors and no row, c3 has hand-over rows
    assert counts["half_indexed"] == 3
    assert crash_state(url, tmp_path / "vectors") == {
        "ready": 2,
        "processing": 0,
        "pending": 2,
        "ready-without-vectors": 1,
    }


@pytest.mark.slow
def test_two_kill_trials_on_sqlite(tmp_path: Path) -> None:
    """Two real trials (several `clausewise ingest` processes, each loading the model):
    minutes on a busy machine, so only with CLAUSEWISE_SLOW_TESTS=1."""
    if not os.environ.get("CLAUSEWISE_SLOW_TESTS"):
        pytest.skip("slow: set CLAUSEWISE_SLOW_TESTS=1 (or run `clausewise eval crash`)")
    folder = tmp_path / "contracts"
    folder.mkdir()
    for i in range(4):
        (folder / f"k{i}.txt").write_text(
            f"SERVICES AGREEMENT {i}\n\n1. Term. This Agreement lasts {i + 1} years.\n\n"
            "2. Governing Law. The laws of the State of New York govern this Agreement.\n"
        )
    report = run_crash_eval(
        folder, backends=("sqlite",), trials=2, per_trial=2, seed=1, echo=lambda _: None
    )
    # two batches of two: a run that ended before its kill point is retried while contracts last
    assert 1 <= len(report.trials) <= 2
    assert report.ok, report.render()
