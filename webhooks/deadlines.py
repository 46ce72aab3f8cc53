"""Where deadline.upcoming events come from: the calendar's stored events (lifecycle) in a
window. Payments and effective dates are not deadlines and are left out."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import ContractRow
from lifecycle.rows import EventRow

# (session, first day, last day) -> [{"contract_id", "kind", "date", "title", ...}]
DeadlineSource = Callable[[Session, date, date], list[dict[str, Any]]]

DEADLINE_KINDS = (
    "notice_deadline",
    "renewal",
    "expiration",
    "termination_window",
    "price_escalation",
    "obligation",
)


def calendar_deadlines(s: Session, start: date, end: date) -> list[dict[str, Any]]:
    rows = s.execute(
        select(EventRow, ContractRow.title)
        .join(ContractRow, ContractRow.id == EventRow.contract_id)
        .where(
            EventRow.date >= start,
            EventRow.date <= end,
            EventRow.kind.in_(DEADLINE_KINDS),
        )
        .order_by(EventRow.date, EventRow.id)
    ).all()
    return [
        {
            "contract_id": e.contract_id,
            "contract_title": title,
            "kind": e.kind,
            "date": e.date.isoformat(),
            "title": e.title,
            "evidence": e.evidence,
        }
        for e, title in rows
    ]
