"""`GET /v1/calendar` latency over an archive of N contracts (default 1,000). Prints figures.

A throw-away database (SQLite in a temp folder, or `database_url`) is migrated and filled with N
ready contracts whose terms vary the way real ones do (start dates over five years, 12-36 month
terms, auto-renewal with 30-90 day notice, monthly or annual fees, escalations, quarterly
reports); each contract's events are stored by the same `LifecycleService.refresh` the service
runs when a contract becomes ready. The real calendar route (with API-key authentication) is
then called through HTTP in-process for three query shapes.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

_REPORT = (
    "Supplier shall deliver a service level report within fifteen (15) days after the end of "
    "each calendar quarter."
)


def _terms(rng: random.Random, today: dt.date) -> tuple[list[dict[str, Any]], str]:
    eff = today - dt.timedelta(days=rng.randint(0, 5 * 365))
    months = rng.choice((12, 12, 24, 36))
    terms: list[dict[str, Any]] = [
        {"name": "effective_date", "value": eff.isoformat(), "text": eff.strftime("%B %d, %Y")},
        {"name": "initial_term_months", "value": months, "text": f"{months} months"},
    ]
    if rng.random() < 0.7:
        notice = rng.choice((30, 60, 90))
        terms += [
            {"name": "auto_renewal", "value": True, "text": "automatically renew"},
            {"name": "renewal_term_months", "value": 12, "text": "one (1) year"},
            {"name": "renewal_notice_days", "value": notice, "text": f"{notice} days"},
        ]
    if rng.random() < 0.8:
        period = rng.choice(("month", "year"))
        amount = float(rng.randrange(1_000, 50_000, 500))
        terms += [
            {
                "name": "fees",
                "value": {"amount": amount, "currency": "USD", "period": period},
                "text": f"${amount:,.0f} per {period}",
            },
            {"name": "payment_net_days", "value": 30, "text": "net 30"},
        ]
        if rng.random() < 0.4:
            terms.append(
                {
                    "name": "price_escalation",
                    "text": "increase by 3% annually",
                    "value": {
                        "percent": 3.0,
                        "index": None,
                        "frequency": "annual",
                        "cap_percent": None,
                    },
                }
            )
    return terms, (_REPORT if rng.random() < 0.3 else "")


def _fill(db: Any, n: int, today: dt.date) -> int:
    from archive.models import ContractRow, TermRow
    from lifecycle import LifecycleService
    from storage.db import utcnow

    rng = random.Random(13)
    lc = LifecycleService(db)
    events = 0
    for i in range(n):
        cid = f"bench{i:06d}"
        terms, text = _terms(rng, today)
        with db.session() as s:
            s.add(
                ContractRow(
                    id=cid,
                    sha256=f"{i:064d}",
                    title=f"Bench contract {i}",
                    media_type="text/plain",
                    size_bytes=len(text),
                    status="ready",
                    progress=1.0,
                    text=text,
                    created_by="bench",
                    created_at=utcnow(),
                    updated_at=utcnow(),
                    attempts=0,
                )
            )
            s.flush()
            for t in terms:
                s.add(
                    TermRow(
                        contract_id=cid,
                        name=t["name"],
                        value=t["value"],
                        text=t["text"],
                        start=0,
                        end=len(t["text"]),
                        confidence=0.8,
                    )
                )
            s.flush()
            events += lc.refresh(s, cid, today)
    return events


def run_bench_calendar(n: int = 1000, queries: int = 200, database_url: str | None = None) -> str:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from ai_service import errors
    from ai_service.auth import Role, create_key
    from ai_service.routes import calendar
    from lifecycle import LifecycleService
    from storage import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = Database(database_url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.migrate()
        today = dt.date.today()
        t0 = time.perf_counter()
        events = _fill(db, n, today)
        fill_s = time.perf_counter() - t0
        with db.session() as s:
            key = create_key(s, "bench", Role.rep, "bench").key
        app = FastAPI()
        errors.install(app)
        app.include_router(calendar.router)
        app.state.services = SimpleNamespace(db=db, lifecycle=LifecycleService(db))
        headers = {"Authorization": f"Bearer {key}"}
        shapes: dict[str, dict[str, Any]] = {
            "next 90 days (default, limit 1000)": {},
            "next 90 days, limit 5000": {"limit": 5000},
            "next 30 days, notice deadlines": {
                "to": (today + dt.timedelta(days=30)).isoformat(),
                "kind": "notice_deadline",
            },
            "next 365 days, all kinds": {"to": (today + dt.timedelta(days=365)).isoformat()},
        }
        lines = [
            f"calendar benchmark: {n} contracts, {events} stored events "
            f"(computed and stored in {fill_s:.1f} s, {1000 * fill_s / max(n, 1):.1f} ms each)",
            f"{'query':<36} {'events':>7} {'p50 ms':>8} {'p95 ms':>8}",
        ]
        with TestClient(app) as client:
            for name, params in shapes.items():
                times, count = [], 0
                for _ in range(queries):
                    t1 = time.perf_counter()
                    r = client.get("/v1/calendar", params=params, headers=headers)
                    times.append(1000 * (time.perf_counter() - t1))
                    assert r.status_code == 200, r.text
                    count = r.json()["count"]
                times.sort()
                p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
                lines.append(f"{name:<36} {count:>7} {statistics.median(times):>8.1f} {p95:>8.1f}")
        db.dispose()
    return "\n".join(lines)
