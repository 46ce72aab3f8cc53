"""The iCalendar feed: one secret feed URL per API key that a calendar application subscribes to.

Calendar applications cannot send an `Authorization` header, so the feed is authorised by a
token in its URL. The token is NOT the API key: it is a separate 256-bit random secret that only
reads the calendar, is shown once (only its SHA-256 is stored), can be rotated or revoked on its
own, and stops working when its API key is revoked. A URL leaks more easily than a header (it
ends up in calendar settings and proxy logs), hence the narrow power.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence

from icalendar import Alarm, Calendar
from icalendar import Event as IcsEvent
from sqlalchemy import ForeignKey, String, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ai_service.models import ApiKeyRow
from lifecycle import CalendarEvent
from storage import record_audit
from storage.db import Base, utcnow

FEED_PATH = "/v1/calendar/feed/{token}.ics"
ALARM_DAYS = {"notice_deadline": 14, "renewal": 7, "expiration": 14}  # reminders before the day


class FeedRow(Base):
    __tablename__ = "calendar_feeds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(default=None)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_feed(s: Session, key_id: str, actor: str) -> str:
    """A new feed token for the key; the key's earlier feed tokens stop working."""
    revoke_feeds(s, key_id, actor, audit=False)
    token = "cwf_" + secrets.token_urlsafe(32)
    row = FeedRow(
        id=secrets.token_hex(8),
        key_id=key_id,
        token_hash=_hash(token),
        prefix=token[:10],
        created_at=utcnow(),
    )
    s.add(row)
    s.flush()
    record_audit(
        s,
        actor=actor,
        action="calendar_feed.create",
        entity_type="api_key",
        entity_id=key_id,
        after={"feed_id": row.id, "prefix": row.prefix},
    )
    return token


def revoke_feeds(s: Session, key_id: str, actor: str, audit: bool = True) -> int:
    res = s.execute(
        update(FeedRow)
        .where(FeedRow.key_id == key_id, FeedRow.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    n = int(getattr(res, "rowcount", 0) or 0)
    if audit:
        record_audit(
            s,
            actor=actor,
            action="calendar_feed.revoke",
            entity_type="api_key",
            entity_id=key_id,
            after={"revoked": n},
        )
    return n


def feed_key(s: Session, token: str) -> str | None:
    """The API key id a live feed token belongs to; None if unknown, revoked, or key revoked."""
    row = s.execute(
        select(FeedRow.key_id)
        .join(ApiKeyRow, ApiKeyRow.id == FeedRow.key_id)
        .where(
            FeedRow.token_hash == _hash(token),
            FeedRow.revoked_at.is_(None),
            ApiKeyRow.revoked_at.is_(None),
        )
    ).first()
    return row[0] if row else None


def render_ics(events: Sequence[CalendarEvent], base_url: str) -> bytes:
    """All-day events; the UID is stable per (contract, kind, date), so a refresh updates."""
    cal = Calendar()
    cal.add("prodid", "-//Clausewise//Contract calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Clausewise contract dates")
    cal.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
    stamp = utcnow()
    for e in events:
        ev = IcsEvent()
        ev.add("uid", f"{e.contract_id}-{e.kind}-{e.date.isoformat()}@clausewise")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", e.date)
        ev.add("dtend", e.date + dt.timedelta(days=1))
        ev.add("summary", f"{e.title} — {e.contract_title}")
        quote = "\n".join(f"“{x.get('text', '')}”" for x in e.evidence[:2])
        ev.add("description", f"{e.title}\nContract: {e.contract_title}\n{quote}".strip())
        ev.add("categories", [e.kind])
        ev.add("url", f"{base_url.rstrip('/')}/contracts/{e.contract_id}")
        ev.add("transp", "TRANSPARENT")
        days = ALARM_DAYS.get(e.kind)
        if days:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", e.title)
            alarm.add("trigger", dt.timedelta(days=-days))
            ev.add_component(alarm)
        cal.add_component(ev)
    return cal.to_ical()
