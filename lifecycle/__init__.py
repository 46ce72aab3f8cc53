"""After signature: a contract's timeline (renewals, notice deadlines, escalations, payments,
obligations), each date with the evidence it was computed from.

Public API:
- `timeline(terms, *, amendments=(), today=None, horizon_years=5, text=None) -> Timeline`
- `effective_terms(terms, amendments)`: the terms after the amendments' overrides
- `LifecycleService(db)`: stored events for the calendar, amendment links
- models: `Timeline`, `Event`, `Evidence`, `Amendment`, `EventKind`, `EVENT_KINDS`
"""

from lifecycle.models import EVENT_KINDS, Amendment, Event, EventKind, Evidence, Timeline
from lifecycle.service import (
    AmendmentLink,
    CalendarEvent,
    LifecycleError,
    LifecycleService,
    TimelineOut,
)
from lifecycle.timeline import effective_terms, timeline

__all__ = [
    "EVENT_KINDS",
    "Amendment",
    "AmendmentLink",
    "CalendarEvent",
    "Event",
    "EventKind",
    "Evidence",
    "LifecycleError",
    "LifecycleService",
    "Timeline",
    "TimelineOut",
    "effective_terms",
    "timeline",
]
