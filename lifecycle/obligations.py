"""Dated obligations read from a contract's text: reports, audits, minimum commitments, reviews.

Only sentences that state both the obligation and when it recurs produce events; a sentence
without a frequency is skipped rather than given an invented date.
"""

from __future__ import annotations

import datetime as dt

from lifecycle.models import Event

__all__ = ["obligation_events"]


def obligation_events(
    text: str, *, effective: dt.date | None, today: dt.date, until: dt.date
) -> list[Event]:
    return []
