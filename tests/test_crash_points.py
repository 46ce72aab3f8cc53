"""Where a crash trial kills: the drawing of kill points, and the progress polling that
finds the moment (the trials themselves are `clausewise eval crash`)."""

from __future__ import annotations

import random
from pathlib import Path

from sqlalchemy import text

from archive import Archive, BlobStore
from evals.crash_points import (
    RANK,
    STAGES,
    BatchProgress,
    KillPoint,
    draw_kill_point,
    holder,
    observed_stage,
    rank,
    reached,
    wait_for_point,
)
from storage import Database


class _NoIndex:
    def open(self) -> bool:
        return False


def test_kill_points_cover_every_stage_and_only_fitting_modes() -> None:
    rng = random.Random(3)
    points = [draw_kill_point(rng, 3) for _ in range(600)]
    assert {p.stage for p in points} == set(STAGES)
    assert {p.mode for p in points} == {"group", "main", "worker"}
    for p in points:
        assert 1 <= p.k <= 3
        # the run ends once the last contract is ready: that point would never be a kill
        assert not (p.stage == "ready" and p.k == 3)
        # no worker holds a contract that is only uploaded, or waits for the store's owner
        assert not (p.mode == "worker" and p.stage in ("uploaded", "index"))
    assert {p.k for p in points if p.stage == "embedding"} == {1, 2, 3}
    # a batch of one can still be killed once it is ready (reviewed after)
    assert all(draw_kill_point(rng, 1).k == 1 for _ in range(50))


def test_a_point_is_met_by_the_kth_contract_at_or_past_its_stage() -> None:
    assert rank("pending", None) == RANK["uploaded"]
    assert rank("processing", "embedding") == RANK["embedding"]
    assert rank("processing", None) == RANK["text"]
    assert rank("ready", "review") == rank("ready", None) == RANK["ready"]
    assert rank("failed", None) == -1
    point = KillPoint("embedding", 2, "group")
    text_, embed, index = RANK["text"], RANK["embedding"], RANK["index"]
    assert not reached(point, [embed, text_, text_])
    assert reached(point, [embed, index, text_])  # the second passed it between polls
    assert observed_stage(point, [embed, index, text_]) == "embedding"
    assert observed_stage(KillPoint("text", 1, "main"), [index, text_]) == "index"
    assert observed_stage(KillPoint("text", 3, "main"), [index]) == "none"


def test_the_worker_kill_takes_the_holder_of_the_kth_contract() -> None:
    point = KillPoint("text", 2, "worker")
    seen = [(RANK["index"], "indexer-1"), (RANK["text"], "w-b"), (RANK["uploaded"], None)]
    assert holder(point, seen) == "w-b"
    assert holder(KillPoint("text", 1, "worker"), seen) is None  # the store's owner holds it
    assert holder(KillPoint("text", 4, "worker"), seen) is None


def _db_with_batch(tmp: Path) -> tuple[str, list[str], list[str]]:
    url = f"sqlite:///{tmp}/c.db"
    db = Database(url)
    db.migrate()
    archive = Archive(db, _NoIndex(), BlobStore(tmp / "blobs"))  # type: ignore[arg-type]
    ids, shas = [], []
    for i in range(3):
        out = archive.upload(
            f"Contract {i}. Governed by the laws of Delaware.\n".encode(),
            title=None,
            filename=f"c{i}.txt",
            deal=None,
            actor="t",
        )
        ids.append(out.id)
    with db.session() as s:
        shas = [
            s.execute(text("SELECT sha256 FROM contracts WHERE id = :i"), {"i": i}).scalar_one()
            for i in ids
        ]
    return url, ids, shas


def test_polling_sees_the_batch_move_and_stops_at_the_point(tmp_path: Path) -> None:
    url, ids, shas = _db_with_batch(tmp_path)
    db = Database(url)
    progress = BatchProgress(url)
    try:
        assert sorted(r for r, _ in progress.poll(shas) or []) == [0, 0, 0]
        assert progress.poll(shas[:1]) == [(RANK["uploaded"], None)]
        point = KillPoint("embedding", 1, "worker")
        steps = iter(
            [
                ("processing", "text", "w-a"),
                ("processing", "analysis", "w-a"),
                ("processing", "embedding", "w-a"),
                ("processing", "index", None),
            ]
        )
        polls = 0

        def poll() -> list[tuple[int, str | None]] | None:
            nonlocal polls
            polls += 1
            status, stage, who = next(steps)  # the worker moves on between two polls
            with db.session() as s:
                s.execute(
                    text(
                        "UPDATE contracts SET status = :s, stage = :g, claimed_by = :w "
                        "WHERE id = :i"
                    ),
                    {"s": status, "g": stage, "w": who, "i": ids[0]},
                )
            return progress.poll(shas)

        seen = wait_for_point(lambda: True, poll, point, every_s=0.0)
        assert seen is not None and polls == 3
        assert observed_stage(point, [r for r, _ in seen]) == "embedding"
        assert holder(point, seen) == "w-a"
        # a run that has ended before the point: no kill
        late = KillPoint("ready", 1, "group")
        assert wait_for_point(lambda: False, lambda: progress.poll(shas), late) is None
    finally:
        progress.close()


def test_an_unreadable_database_is_polled_again(tmp_path: Path) -> None:
    progress = BatchProgress(f"sqlite:///{tmp_path}/missing/c.db")
    try:
        assert progress.poll(["x"]) is None  # not created yet: no observation, no error
    finally:
        progress.close()
