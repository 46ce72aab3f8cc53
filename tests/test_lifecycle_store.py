"""Stored events and amendment links on SQLite and PostgreSQL, without the HTTP layer."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from archive.models import ContractRow, TermRow
from extraction.terms import extract_terms
from lifecycle import LifecycleService
from lifecycle.amendments import Candidate, looks_like_amendment, suggest_parents
from lifecycle.rows import EventRow, TimelineRow
from storage import Database
from storage.db import utcnow
from tests.test_calendar_api import AMENDMENT, MSA


def _add(db: Database, cid: str, title: str, text: str) -> None:
    terms = extract_terms(text)
    with db.session() as s:
        parties = [t.value for t in terms if t.name == "parties"]
        eff = next((t.value for t in terms if t.name == "effective_date"), None)
        s.add(
            ContractRow(
                id=cid,
                sha256=cid.ljust(64, "0"),
                title=title,
                media_type="text/plain",
                size_bytes=len(text),
                status="ready",
                progress=1.0,
                text=text,
                created_by="test",
                created_at=utcnow(),
                updated_at=utcnow(),
                attempts=0,
                parties=parties,
                effective_date=dt.date.fromisoformat(eff) if eff else None,
            )
        )
        s.flush()
        for t in terms:
            s.add(
                TermRow(
                    contract_id=cid,
                    name=t.name,
                    value=t.value,
                    text=t.text,
                    start=t.start,
                    end=t.end,
                    confidence=t.confidence,
                )
            )


def _exercise(db: Database) -> None:
    db.migrate()
    lc = LifecycleService(db)
    _add(db, "c1", "Northwind MSA", MSA.format(date="March 15, 2025"))
    _add(
        db, "a1", "First Amendment", AMENDMENT.format(am_date="June 1, 2025", date="March 15, 2025")
    )
    today = dt.date(2025, 6, 1)
    assert lc.backfill(today) == 2
    assert lc.backfill(today) == 0  # fresh: nothing recomputed
    assert lc.backfill(today + dt.timedelta(days=40)) == 2  # stale windows are re-anchored
    lc.on_ready("a1")  # the amendment: suggested parent stored, events kept until confirmed
    tl = lc.timeline_of("a1")
    assert [x.parent_id for x in tl.suggestions] == ["c1"]
    lo, hi = dt.date(2025, 12, 1), dt.date(2026, 3, 31)
    count, raw = lc.calendar_json(lo, hi, ["notice_deadline"])
    events = json.loads(raw)
    assert count == len(events) and {e["date"] for e in events if e["contract_id"] == "c1"} == {
        "2026-01-14"
    }
    lc.link("a1", "c1", "tester")
    events = json.loads(lc.calendar_json(lo, hi, ["notice_deadline"])[1])
    assert [(e["contract_id"], e["date"]) for e in events] == [("c1", "2025-12-15")]
    assert events[0]["evidence"][0]["contract_id"] == "a1"
    assert lc.calendar(lo, hi, ["notice_deadline"])[0].evidence == events[0]["evidence"]
    with db.session() as s:
        assert s.query(EventRow).filter(EventRow.contract_id == "a1").count() == 0
        assert s.get(TimelineRow, "a1") is None
    lc.unlink("a1", "tester")
    events = json.loads(lc.calendar_json(lo, hi, ["notice_deadline"])[1])
    assert ("c1", "2026-01-14") in [(e["contract_id"], e["date"]) for e in events]


def test_store_on_sqlite(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        _exercise(db)
    finally:
        db.dispose()


@pytest.mark.postgres
def test_store_on_postgres(pg_url: str) -> None:
    db = Database(pg_url)
    try:
        _exercise(db)
    finally:
        db.dispose()


def test_parent_suggestion_signals() -> None:
    text = AMENDMENT.format(am_date="June 1, 2025", date="March 15, 2025")
    assert looks_like_amendment("First Amendment", text)
    assert not looks_like_amendment("Supply Agreement", MSA.format(date="March 15, 2025"))
    cands = [
        Candidate(
            contract_id="right",
            title="Master Subscription Agreement",
            parties=["Northwind Software, Inc.", "Blue Harbor Logistics LLC"],
            dates=[dt.date(2025, 3, 15)],
        ),
        Candidate(
            contract_id="same-parties-other-date",
            title="Data Processing Addendum",
            parties=["Northwind Software, Inc.", "Blue Harbor Logistics LLC"],
            dates=[dt.date(2024, 1, 2)],
        ),
        Candidate(
            contract_id="stranger",
            title="Supply Agreement",
            parties=["Acme Corp."],
            dates=[dt.date(2025, 3, 15)],
        ),
    ]
    got = suggest_parents(
        "First Amendment", text, ["Northwind Software, Inc.", "Blue Harbor Logistics LLC"], cands
    )
    assert got[0].parent_id == "right"
    assert any("dated 2025-03-15" in r for r in got[0].reasons)
    assert "stranger" not in [g.parent_id for g in got[:1]]
    assert got[0].score > got[1].score
