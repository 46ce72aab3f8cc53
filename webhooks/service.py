"""Outgoing webhooks: subscriptions, an outbox of deliveries, a background sender.

- Events are written to the outbox (`webhook_deliveries`) in the transaction that caused them,
  one row per subscription and event key; the unique key makes raising an event twice (a
  restart, another process) a no-op.
- A sender thread claims due rows with an atomic UPDATE (so two processes never send the same
  row), posts them with httpx under a timeout, and records every attempt. Failures retry with
  exponential backoff until `max_attempts`; an admin can replay any delivery.
- A scheduler in the same thread raises deadline.upcoming for dates within each subscription's
  `days_ahead` window. It reads state, not edges: after a restart the next scan raises what is
  due and the unique key drops what was already raised.
Requests never wait on a receiver: they only insert rows.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import secrets
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage import Database, record_audit
from storage.db import utcnow
from webhooks.deadlines import DeadlineSource, calendar_deadlines
from webhooks.entities import (
    AttemptOut,
    DeliveryOut,
    NewSubscription,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionUpdate,
    WebhookError,
)
from webhooks.models import AttemptRow, DeliveryRow, SubscriptionRow
from webhooks.signing import HEADER, sign

log = logging.getLogger("clausewise.webhooks")

MAX_BACKOFF_S = 3600.0


def _local_addresses() -> set[str]:
    found = {"127.0.0.1", "::1", "0.0.0.0", "::"}
    with contextlib.suppress(OSError):
        found.update(socket.gethostbyname_ex(socket.gethostname())[2])
    return found


class WebhookService:
    def __init__(
        self,
        db: Database,
        *,
        service_port: int,
        public_url: str | None = None,
        timeout_s: float = 5.0,
        max_attempts: int = 8,
        backoff_s: float = 10.0,
        poll_s: float = 2.0,
        scheduler_interval_s: float = 300.0,
        deadlines: DeadlineSource = calendar_deadlines,
    ) -> None:
        self.db = db
        self.service_port = service_port
        self.public_url = public_url
        self.timeout_s = timeout_s
        self.max_attempts = max_attempts
        self.backoff_s = backoff_s
        self.poll_s = poll_s
        self.scheduler_interval_s = scheduler_interval_s
        self.deadlines = deadlines
        self.worker_id = uuid.uuid4().hex[:12]
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="webhook-send")

    # -- subscriptions

    def check_url(self, url: str) -> str:
        """http(s) only, and never this service itself (a loop of events)."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise WebhookError(
                422, "invalid_webhook_url", "The URL must be an absolute http:// or https:// URL."
            )
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            raise WebhookError(422, "invalid_webhook_url", f"Bad port: {exc}") from exc
        host = parts.hostname.lower()
        own = False
        if self.public_url:
            pub = urlsplit(self.public_url)
            pub_port = pub.port or (443 if pub.scheme == "https" else 80)
            own = (pub.hostname or "").lower() == host and pub_port == port
        if not own and port == self.service_port:
            addrs: set[str] = set()
            try:
                addrs = {str(ai[4][0]) for ai in socket.getaddrinfo(host, port)}
            except OSError:
                addrs = {host}
            local = _local_addresses()
            for a in addrs | {host}:
                try:
                    ip = ipaddress.ip_address(a.split("%")[0])
                except ValueError:
                    own = own or a == "localhost"
                    continue
                own = own or ip.is_loopback or ip.is_unspecified or a in local
        if own:
            raise WebhookError(
                422,
                "webhook_url_is_self",
                "The URL points at this Clausewise service; a webhook must go to another one.",
            )
        return url.strip()

    def create(self, body: SubscriptionIn, actor: str) -> NewSubscription:
        url = self.check_url(body.url)
        secret = "whsec_" + secrets.token_urlsafe(32)
        with self.db.session() as s:
            row = SubscriptionRow(
                id=uuid.uuid4().hex,
                url=url,
                events=sorted(set(body.events)),
                secret=secret,
                days_ahead=body.days_ahead,
                active=body.active,
                created_by=actor,
                created_at=utcnow(),
            )
            s.add(row)
            s.flush()
            out = SubscriptionOut.model_validate(row)
            record_audit(
                s,
                actor=actor,
                action="webhook.create",
                entity_type="webhook",
                entity_id=row.id,
                after=out.model_dump(mode="json"),
            )
        return NewSubscription(**out.model_dump(), secret=secret)

    def _sub(self, s: Session, sub_id: str) -> SubscriptionRow:
        row = s.get(SubscriptionRow, sub_id)
        if row is None:
            raise WebhookError(404, "webhook_not_found", f"No webhook subscription {sub_id!r}.")
        return row

    def subscriptions(self) -> list[SubscriptionOut]:
        with self.db.session() as s:
            rows = s.scalars(select(SubscriptionRow).order_by(SubscriptionRow.created_at))
            return [SubscriptionOut.model_validate(r) for r in rows]

    def update(self, sub_id: str, body: SubscriptionUpdate, actor: str) -> SubscriptionOut:
        url = self.check_url(body.url) if body.url is not None else None
        with self.db.session() as s:
            row = self._sub(s, sub_id)
            before = SubscriptionOut.model_validate(row).model_dump(mode="json")
            if url is not None:
                row.url = url
            if body.events is not None:
                row.events = sorted(set(body.events))
            if body.days_ahead is not None:
                row.days_ahead = body.days_ahead
            if body.active is not None:
                row.active = body.active
            out = SubscriptionOut.model_validate(row)
            record_audit(
                s,
                actor=actor,
                action="webhook.update",
                entity_type="webhook",
                entity_id=sub_id,
                before=before,
                after=out.model_dump(mode="json"),
            )
            return out

    def delete(self, sub_id: str, actor: str) -> SubscriptionOut:
        with self.db.session() as s:
            row = self._sub(s, sub_id)
            out = SubscriptionOut.model_validate(row)
            s.delete(row)
            record_audit(
                s,
                actor=actor,
                action="webhook.delete",
                entity_type="webhook",
                entity_id=sub_id,
                before=out.model_dump(mode="json"),
            )
            return out

    # -- events

    def emit(self, s: Session, event: str, data: dict[str, Any], key: str) -> int:
        """Queue `event` for every active subscription to it, in the caller's transaction.
        Returns how many deliveries were new."""
        subs = s.scalars(select(SubscriptionRow).where(SubscriptionRow.active.is_(True))).all()
        new = 0
        for sub in subs:
            if event in (sub.events or []):
                new += self._queue(s, sub.id, event, data, key)
        if new:
            self._wake.set()
        return new

    def emit_now(self, event: str, data: dict[str, Any], key: str) -> int:
        with self.db.session() as s:
            return self.emit(s, event, data, key)

    def _queue(self, s: Session, sub_id: str, event: str, data: dict[str, Any], key: str) -> int:
        now = utcnow()
        values = {
            "subscription_id": sub_id,
            "event": event,
            "event_key": f"{event}:{key}"[:300],
            "payload": data,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
        stmt = (
            insert(DeliveryRow)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["subscription_id", "event_key"])
            .returning(DeliveryRow.id)
        )
        # RETURNING gives a row only for an insert that happened (rowcount is not portable)
        return len(s.execute(stmt).all())

    def raise_deadlines(self, today: date | None = None) -> int:
        """deadline.upcoming for every date within a subscription's window; idempotent."""
        today = today or date.today()
        new = 0
        with self.db.session() as s:
            subs = [
                sub
                for sub in s.scalars(
                    select(SubscriptionRow).where(SubscriptionRow.active.is_(True))
                )
                if "deadline.upcoming" in (sub.events or [])
            ]
            if not subs:
                return 0
            horizon = today + timedelta(days=max(sub.days_ahead for sub in subs))
            events = self.deadlines(s, today, horizon)
            for sub in subs:
                last = today + timedelta(days=sub.days_ahead)
                for ev in events:
                    if date.fromisoformat(ev["date"]) <= last:
                        key = f"{ev['contract_id']}:{ev['kind']}:{ev['date']}"
                        data = {**ev, "days_ahead": sub.days_ahead}
                        new += self._queue(s, sub.id, "deadline.upcoming", data, key)
        if new:
            self._wake.set()
        return new

    # -- deliveries

    def deliveries(
        self, sub_id: str | None = None, status: str | None = None, limit: int = 100
    ) -> list[DeliveryOut]:
        stmt = select(DeliveryRow).order_by(DeliveryRow.id.desc()).limit(limit)
        if sub_id:
            stmt = stmt.where(DeliveryRow.subscription_id == sub_id)
        if status:
            stmt = stmt.where(DeliveryRow.status == status)
        with self.db.session() as s:
            return [DeliveryOut.model_validate(r) for r in s.scalars(stmt)]

    def delivery(self, delivery_id: int) -> DeliveryOut:
        with self.db.session() as s:
            row = s.get(DeliveryRow, delivery_id)
            if row is None:
                raise WebhookError(404, "delivery_not_found", f"No delivery {delivery_id}.")
            out = DeliveryOut.model_validate(row)
            attempts = s.scalars(
                select(AttemptRow)
                .where(AttemptRow.delivery_id == delivery_id)
                .order_by(AttemptRow.id)
            )
            out.log = [AttemptOut.model_validate(a) for a in attempts]
            return out

    def replay(self, delivery_id: int, actor: str) -> DeliveryOut:
        """Send a delivery again (delivered or failed): it is queued now, attempts go on."""
        with self.db.session() as s:
            row = s.get(DeliveryRow, delivery_id)
            if row is None:
                raise WebhookError(404, "delivery_not_found", f"No delivery {delivery_id}.")
            row.status, row.next_attempt_at, row.lease_until = "pending", utcnow(), None
            record_audit(
                s,
                actor=actor,
                action="webhook.replay",
                entity_type="webhook_delivery",
                entity_id=str(delivery_id),
            )
        self._wake.set()
        return self.delivery(delivery_id)

    def _claim(self, limit: int) -> list[int]:
        now = utcnow()
        due = or_(
            and_(DeliveryRow.status == "pending", DeliveryRow.next_attempt_at <= now),
            and_(DeliveryRow.status == "sending", DeliveryRow.lease_until < now),
        )
        claimed: list[int] = []
        with self.db.session() as s:
            ids = s.scalars(
                select(DeliveryRow.id).where(due).order_by(DeliveryRow.next_attempt_at).limit(limit)
            ).all()
            lease = now + timedelta(seconds=self.timeout_s * 3 + 30)
            for did in ids:
                res = s.execute(
                    update(DeliveryRow)
                    .where(DeliveryRow.id == did, due)
                    .values(status="sending", lease_until=lease, attempts=DeliveryRow.attempts + 1)
                )
                if res.rowcount == 1:  # type: ignore[attr-defined]
                    claimed.append(did)
        return claimed

    def _send(self, did: int) -> None:
        with self.db.session() as s:
            row = s.get(DeliveryRow, did)
            sub = s.get(SubscriptionRow, row.subscription_id) if row else None
            if row is None or sub is None:
                return
            body = json.dumps(
                {
                    "id": f"{row.subscription_id}.{row.id}",
                    "event": row.event,
                    "key": row.event_key,
                    "created_at": row.created_at.isoformat(),
                    "attempt": row.attempts,
                    "data": row.payload,
                },
                sort_keys=True,
                default=str,
            ).encode()
            url, secret, event, attempts = sub.url, sub.secret, row.event, row.attempts
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Clausewise-Webhooks/1",
            "Clausewise-Event": event,
            "Clausewise-Delivery": str(did),
            HEADER: sign(secret, body),
        }
        started = time.monotonic()
        code: int | None = None
        error: str | None = None
        try:
            with httpx.Client(timeout=self.timeout_s, follow_redirects=False) as client:
                resp = client.post(url, content=body, headers=headers)
            code = resp.status_code
            if not 200 <= code < 300:
                error = f"HTTP {code}"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:500]
        ms = int((time.monotonic() - started) * 1000)
        now = utcnow()
        with self.db.session() as s:
            row = s.get(DeliveryRow, did)
            if row is None:
                return
            s.add(
                AttemptRow(delivery_id=did, at=now, status_code=code, error=error, duration_ms=ms)
            )
            row.last_status_code, row.last_error, row.lease_until = code, error, None
            if error is None:
                row.status, row.delivered_at = "delivered", now
            elif attempts >= self.max_attempts:
                row.status = "failed"
            else:
                delay = min(self.backoff_s * 2 ** (attempts - 1), MAX_BACKOFF_S)
                row.status, row.next_attempt_at = "pending", now + timedelta(seconds=delay)

    def deliver_due(self, limit: int = 20) -> int:
        """Claim and send what is due (in parallel, each under the timeout); returns how many
        were attempted."""
        ids = self._claim(limit)
        list(self._pool.map(self._send, ids))
        return len(ids)

    # -- the background thread

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=self.timeout_s + 5)
            self._thread = None

    def close(self) -> None:
        self.stop()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self) -> None:
        next_scan = 0.0
        while not self._stop.is_set():
            try:
                if time.monotonic() >= next_scan:
                    self.raise_deadlines()
                    next_scan = time.monotonic() + self.scheduler_interval_s
                while self.deliver_due() and not self._stop.is_set():
                    pass
            except Exception:
                log.exception("webhook worker error; retrying")
            self._wake.wait(self.poll_s)
            self._wake.clear()
