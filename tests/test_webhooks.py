"""Outgoing webhooks against a real local HTTP receiver: signatures, retries with backoff, the
delivery log, replay, a hanging receiver, and deadline events raised once across restarts and
processes (SQLite here, PostgreSQL when configured)."""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from storage import Database
from tests.conftest import Api
from tests.webhook_receiver import receiver
from webhooks import HEADER, SubscriptionIn, WebhookError, WebhookService, verify

TODAY = date(2026, 5, 1)


def deadlines(_: Any, start: date, end: date) -> list[dict[str, Any]]:
    table = [
        {"contract_id": "c1", "kind": "notice_deadline", "date": "2026-05-20", "title": "A"},
        {"contract_id": "c2", "kind": "renewal", "date": "2026-07-15", "title": "B"},
    ]
    return [d for d in table if start <= date.fromisoformat(d["date"]) <= end]


def service(url: str, **kw: Any) -> WebhookService:
    db = Database(url)
    db.migrate()
    kw.setdefault("timeout_s", 2.0)
    kw.setdefault("backoff_s", 0.0)
    return WebhookService(db, service_port=8108, deadlines=deadlines, **kw)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hooks.db'}"


def subscribe(svc: WebhookService, url: str, events: list[str], **kw: Any) -> Any:
    return svc.create(SubscriptionIn(url=url, events=events, **kw), "admin")  # type: ignore[arg-type]


def test_signed_delivery_and_log(db_url: str) -> None:
    svc = service(db_url)
    with receiver() as rx:
        sub = subscribe(svc, rx.url, ["flag.decided"])
        assert sub.secret.startswith("whsec_")
        assert svc.emit_now("flag.decided", {"flag_id": "f1"}, "f1:1") == 1
        assert svc.emit_now("contract.ready", {"contract_id": "c"}, "c") == 0  # not subscribed
        assert svc.deliver_due() == 1
        (got,) = rx.wait_for(1)
        assert got.json["event"] == "flag.decided" and got.json["data"] == {"flag_id": "f1"}
        assert verify(sub.secret, got.body, got.headers[HEADER])
        assert not verify("whsec_other", got.body, got.headers[HEADER])
        assert not verify(sub.secret, got.body + b" ", got.headers[HEADER])
    (d,) = svc.deliveries()
    full = svc.delivery(d.id)
    assert full.status == "delivered" and full.attempts == 1
    assert [a.status_code for a in full.log] == [200]
    # the same event key again is not sent again
    assert svc.emit_now("flag.decided", {"flag_id": "f1"}, "f1:1") == 0


def test_retries_with_backoff_then_replay(db_url: str) -> None:
    svc = service(db_url, max_attempts=3)
    with receiver() as rx:
        subscribe(svc, rx.url, ["review.completed"])
        rx.statuses = [500, 503, 500, 500]
        svc.emit_now("review.completed", {"contract_id": "c"}, "c:1")
        for _ in range(3):
            assert svc.deliver_due() == 1
        assert svc.deliver_due() == 0  # gave up after max_attempts
        (d,) = svc.deliveries()
        full = svc.delivery(d.id)
        assert full.status == "failed" and [a.status_code for a in full.log] == [500, 503, 500]
        assert full.last_error == "HTTP 500"
        svc.replay(d.id, "admin")
        rx.statuses = []
        assert svc.deliver_due() == 1
        assert svc.delivery(d.id).status == "delivered" and len(rx.got) == 1


def test_backoff_waits_between_attempts(db_url: str) -> None:
    svc = service(db_url, backoff_s=30.0)
    with receiver() as rx:
        subscribe(svc, rx.url, ["review.completed"])
        rx.statuses = [500]
        svc.emit_now("review.completed", {}, "k")
        assert svc.deliver_due() == 1
        assert svc.deliver_due() == 0  # next attempt in 30 s
        (d,) = svc.deliveries()
        wait = (d.next_attempt_at - svc.delivery(d.id).log[0].at).total_seconds()
        assert 29 <= wait <= 31


def test_a_hanging_receiver_times_out_and_does_not_hold_others(db_url: str) -> None:
    svc = service(db_url, timeout_s=0.5)
    with receiver() as slow, receiver() as fast:
        slow.hang_s = 5
        subscribe(svc, slow.url, ["flag.decided"])
        subscribe(svc, fast.url, ["flag.decided"])
        svc.emit_now("flag.decided", {}, "x")
        started = time.monotonic()
        assert svc.deliver_due() == 2
        assert time.monotonic() - started < 3
        assert len(fast.got) == 1
        statuses = sorted((d.status, d.last_error or "") for d in svc.deliveries())
        assert statuses[0][0] == "delivered"
        assert statuses[1][0] == "pending" and "Timeout" in statuses[1][1]


def test_url_rules(db_url: str) -> None:
    svc = service(db_url, public_url="https://contracts.example.com")
    for url in ("ftp://example.com/x", "example.com/hook", "http:///nohost", "javascript:x"):
        with pytest.raises(WebhookError) as e:
            subscribe(svc, url, ["contract.ready"])
        assert e.value.code == "invalid_webhook_url"
    for url in (
        "http://127.0.0.1:8108/v1/contracts",
        "http://localhost:8108/hook",
        "http://[::1]:8108/",
        "https://contracts.example.com/hook",
    ):
        with pytest.raises(WebhookError) as e:
            subscribe(svc, url, ["contract.ready"])
        assert e.value.code == "webhook_url_is_self", url
    assert subscribe(svc, "http://127.0.0.1:9/other-service", ["contract.ready"]).id


def _deadline_once_across_restarts_and_processes(url: str) -> None:
    with receiver() as rx:
        first = service(url)
        subscribe(first, rx.url, ["deadline.upcoming"], days_ahead=30)
        assert first.raise_deadlines(TODAY) == 1  # c1 in 19 days; c2 is 75 days away
        # a restart, and a second process, raise the same scan again: nothing new
        second = service(url)
        assert second.raise_deadlines(TODAY) == 0
        assert first.raise_deadlines(TODAY) == 0
        # both processes deliver at the same time: the receiver gets it once
        barrier = threading.Barrier(2)

        def run(svc: WebhookService) -> None:
            barrier.wait()
            svc.deliver_due()

        threads = [threading.Thread(target=run, args=(s,)) for s in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(0.3)
        assert len(rx.got) == 1
        assert rx.got[0].json["data"]["contract_id"] == "c1"
        assert rx.got[0].json["data"]["days_ahead"] == 30
        # 50 days later the second one comes into the window, once
        later = TODAY + timedelta(days=50)
        assert second.raise_deadlines(later) == 1 and first.raise_deadlines(later) == 0
        first.deliver_due()
        second.deliver_due()
        assert [g.json["data"]["contract_id"] for g in rx.wait_for(2)] == ["c1", "c2"]
        first.db.dispose()
        second.db.dispose()


def test_deadline_raised_once_sqlite(db_url: str) -> None:
    _deadline_once_across_restarts_and_processes(db_url)


@pytest.mark.postgres
def test_deadline_raised_once_postgres(pg_url: str) -> None:
    _deadline_once_across_restarts_and_processes(pg_url)


def test_api_subscriptions_and_events_from_the_service(start_api: Any) -> None:
    with receiver() as rx, start_api(port=8108, webhook_poll_s=0.1) as api:
        a: Api = api
        events = ["contract.ready", "review.completed", "flag.decided", "deadline.upcoming"]
        body = {"url": rx.url, "events": events}
        assert a.client.post("/v1/webhooks", json=body, headers=a.legal).status_code == 403
        r = a.client.post("/v1/webhooks", json=body, headers=a.admin)
        assert r.status_code == 201, r.text
        secret = r.json()["secret"]
        listed = a.client.get("/v1/webhooks", headers=a.admin).json()
        assert len(listed) == 1 and "secret" not in listed[0]
        for bad, code in (
            ("ftp://x.example/y", "invalid_webhook_url"),
            ("http://127.0.0.1:8108/v1/contracts", "webhook_url_is_self"),
        ):
            r = a.client.post("/v1/webhooks", json={**body, "url": bad}, headers=a.admin)
            assert r.status_code == 422 and r.json()["error"]["code"] == code
        rx.hang_s = 3  # a hanging receiver: the API still answers at once
        from tests.samples import SAMPLE_MSA

        up = a.client.post(
            "/v1/contracts",
            params={"wait": True},
            json={"title": "MSA", "text": SAMPLE_MSA},
            headers=a.rep,
        )
        assert up.status_code == 200
        started = time.monotonic()
        assert a.client.get("/v1/contracts", headers=a.rep).status_code == 200
        assert time.monotonic() - started < 1.5
        got = rx.wait_for(2, timeout=30)
        kinds = sorted(g.json["event"] for g in got)
        assert kinds == ["contract.ready", "review.completed"], kinds
        # the scheduler's scan on a day 15 days before the MSA's non-renewal notice deadline
        # (renews 2028-03-03, 60 days' notice): the calendar's event, raised once
        hooks = a.services.webhooks
        assert hooks.raise_deadlines(date(2027, 12, 19)) == 1
        assert hooks.raise_deadlines(date(2027, 12, 20)) == 0
        got = rx.wait_for(3, timeout=30)
        deadline = next(g.json for g in got if g.json["event"] == "deadline.upcoming")
        assert deadline["data"]["kind"] == "notice_deadline"
        assert deadline["data"]["date"] == "2028-01-03"
        assert all(verify(secret, g.body, g.headers[HEADER]) for g in got)
        # The receiver has the body before the sender records the answer: poll briefly.
        deadline_s = time.monotonic() + 10
        while True:
            log = a.client.get("/v1/webhooks/deliveries", headers=a.admin).json()
            if all(d["status"] != "sending" for d in log) or time.monotonic() > deadline_s:
                break
            time.sleep(0.1)
        assert {d["status"] for d in log} == {"delivered"} and len(log) == 3
        r = a.client.post(f"/v1/webhooks/deliveries/{log[0]['id']}/replay", headers=a.admin)
        assert r.status_code == 200
        assert len(rx.wait_for(4, timeout=30)) == 4
        full = a.client.get(f"/v1/webhooks/deliveries/{log[0]['id']}", headers=a.admin).json()
        assert [x["status_code"] for x in full["log"]] == [200, 200]
        # legal decides a flag: flag.decided, in the decision's transaction
        from tests.test_review import _contract, lol_text

        cid = _contract(a, "Cap", {"limitation_of_liability": lol_text(cap_multiple="ten (10)")})
        [flag] = a.client.get(f"/v1/contracts/{cid}/flags", headers=a.rep).json()["flags"]
        r = a.client.post(
            f"/v1/flags/{flag['id']}/decision",
            json={"decision": "reject", "comment": "use the fallback"},
            headers=a.legal,
        )
        assert r.status_code == 200
        end = time.monotonic() + 30
        decided: list[Any] = []
        while not decided and time.monotonic() < end:
            decided = [g.json for g in rx.got if g.json["event"] == "flag.decided"]
            time.sleep(0.1)
        assert decided and decided[0]["data"]["flag_id"] == flag["id"]
        assert decided[0]["data"]["decision"] == "reject"


def test_a_delivery_claimed_by_a_process_that_died_is_sent_by_another(db_url: str) -> None:
    from sqlalchemy import update

    from storage.db import utcnow
    from webhooks.models import DeliveryRow

    with receiver() as rx:
        dead = service(db_url)
        subscribe(dead, rx.url, ["contract.ready"])
        dead.emit_now("contract.ready", {"contract_id": "c"}, "c")
        assert dead._claim(10)  # claimed, then the process died before sending
        alive = service(db_url)
        assert alive.deliver_due() == 0  # its lease still runs
        with alive.db.session() as s:
            s.execute(update(DeliveryRow).values(lease_until=utcnow() - timedelta(seconds=1)))
        assert alive.deliver_due() == 1
        assert len(rx.wait_for(1)) == 1
        assert alive.deliveries()[0].status == "delivered"
