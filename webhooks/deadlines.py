"""Where deadline.upcoming events come from: dates in the archive within a window."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from extraction.models import ContractRow

# (session, first day, last day) -> [{"contract_id", "kind", "date", "title", ...}]
DeadlineSource = Callable[[Session, date, date], list[dict[str, Any]]]


def archive_deadlines(s: Session, start: date, end: date) -> list[dict[str, Any]]:
    """Notice deadlines and expirations stored with each ready contract."""
    rows = s.execute(
        select(
            ContractRow.id,
            ContractRow.title,
            ContractRow.notice_deadline,
            ContractRow.expiration_date,
        ).where(
            ContractRow.status == "ready",
            or_(
                ContractRow.notice_deadline.between(start, end),
                ContractRow.expiration_date.between(start, end),
            ),
        )
    ).all()
    out: list[dict[str, Any]] = []
    for cid, title, notice, expiry in rows:
        for kind, d in (("notice_deadline", notice), ("expiration", expiry)):
            if d is not None and start <= d <= end:
                out.append(
                    {"contract_id": cid, "kind": kind, "date": d.isoformat(), "title": title}
                )
    return out
