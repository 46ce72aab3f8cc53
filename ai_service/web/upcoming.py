"""The "Upcoming" page: the archive's dates in the next 30, 60 or 90 days, notice deadlines
first (the ones that cost money when missed), with a CSV export of the same rows."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ai_service.calendar_feed import FEED_PATH, create_feed
from ai_service.web.routes import SECURITY_HEADERS, User, _check_post, page
from ai_service.web.session import services_of
from lifecycle import EVENT_KINDS, CalendarEvent, LifecycleService, TimelineOut

router = APIRouter(include_in_schema=False)

WINDOWS = (30, 60, 90)
KIND_LABELS = {
    "notice_deadline": "Notice deadline",
    "renewal": "Renewal",
    "expiration": "Expiration",
    "price_escalation": "Price escalation",
    "payment_due": "Payment due",
    "obligation": "Obligation",
    "termination_window": "Termination window",
    "effective": "Effective",
}
CSV_COLUMNS = (
    "date",
    "days_left",
    "kind",
    "event",
    "contract_id",
    "contract",
    "amount",
    "currency",
    "evidence",
)


def upcoming(request: Request, days: int, kind: str) -> tuple[list[CalendarEvent], dt.date]:
    """Events from today to today + days; notice deadlines first, then by date."""
    services = services_of(request)
    assert services.lifecycle is not None
    today = dt.date.today()
    kinds = [kind] if kind in EVENT_KINDS else []
    events = services.lifecycle.calendar(today, today + dt.timedelta(days=days), kinds, 5000)
    events.sort(key=lambda e: (e.kind != "notice_deadline", e.date))
    return events, today


def _params(request: Request) -> tuple[int, str]:
    q = request.query_params
    try:
        days = int(q.get("days", "30"))
    except ValueError:
        days = 30
    days = days if days in WINDOWS else 30
    kind = q.get("kind", "")
    return days, kind if kind in EVENT_KINDS else ""


def _quote(e: CalendarEvent) -> str:
    return " … ".join(str(x.get("text", "")) for x in e.evidence[:2])


@router.get("/upcoming", response_class=HTMLResponse)
def upcoming_page(request: Request, user: User) -> Response:
    return _upcoming(request, user, None)


def _upcoming(request: Request, user: Any, feed_url: str | None) -> Response:
    days, kind = _params(request)
    events, today = upcoming(request, days, kind)
    rows: list[dict[str, Any]] = [
        {
            "e": e,
            "left": (e.date - today).days,
            "label": KIND_LABELS.get(e.kind, e.kind),
            "quote": _quote(e),
        }
        for e in events
    ]
    return page(
        request,
        "upcoming.html",
        user,
        rows=rows,
        days=days,
        kind=kind,
        windows=WINDOWS,
        kinds=KIND_LABELS,
        today=today,
        notices=sum(1 for e in events if e.kind == "notice_deadline"),
        feed_url=feed_url,
    )


@router.get("/upcoming.csv")
def upcoming_csv(request: Request, user: User) -> Response:
    days, kind = _params(request)
    events, today = upcoming(request, days, kind)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    for e in events:
        w.writerow(
            [
                e.date.isoformat(),
                (e.date - today).days,
                e.kind,
                e.title,
                e.contract_id,
                e.contract_title,
                "" if e.amount is None else f"{e.amount:.2f}",
                e.currency or "",
                _quote(e),
            ]
        )
    name = f"clausewise-upcoming-{today.isoformat()}-{days}d.csv"
    headers = {**SECURITY_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'}
    # a BOM so that spreadsheet programs read the UTF-8 names right
    return Response(
        "\ufeff" + buf.getvalue(), media_type="text/csv; charset=utf-8", headers=headers
    )


# per kind, how many coming events the contract page lists (payments would drown the rest)
_KEY_DATES = {
    "effective": 1,
    "termination_window": 1,
    "notice_deadline": 2,
    "renewal": 2,
    "expiration": 1,
    "price_escalation": 2,
    "obligation": 2,
    "payment_due": 2,
}


def key_dates(lc: LifecycleService, contract_id: str) -> dict[str, Any]:
    """The contract page's "Key dates": the next events of each kind (the effective date and
    a termination window even when past), the amendments and the parent suggestions."""
    out: TimelineOut = lc.timeline_of(contract_id)
    today = dt.date.today()
    shown: list[dict[str, Any]] = []
    for kind, n in _KEY_DATES.items():
        evs = out.timeline.of_kind(kind)
        if kind not in ("effective", "termination_window"):
            evs = [e for e in evs if e.date >= today]
        for e in evs[:n]:
            shown.append(
                {
                    "e": e,
                    "label": KIND_LABELS.get(e.kind, e.kind),
                    "quote": " … ".join(x.text for x in e.evidence[:2]),
                    "from_amendment": any(x.contract_id for x in e.evidence),
                }
            )
    shown.sort(key=lambda r: r["e"].date)
    return {
        "rows": shown,
        "notes": out.timeline.notes,
        "parent": out.parent,
        "amendments": out.amendments,
        "suggestions": out.suggestions,
    }


@router.post("/upcoming/feed", response_class=HTMLResponse)
async def new_feed(request: Request, user: User) -> Response:
    """A new iCalendar feed URL for the signed-in key (the old one stops working), shown once:
    on this response only, never stored in a cookie or a redirect."""
    form = await request.form()
    _check_post(request, user, str(form.get("csrf") or ""))
    services = services_of(request)
    with services.db.session() as s:
        token = create_feed(s, user.principal.key_id, user.principal.actor)
    url = str(request.base_url).rstrip("/") + FEED_PATH.format(token=token)
    return _upcoming(request, user, url)
