"""After signature: a contract's timeline, amendment links, the calendar and its iCal feed."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from ai_service.calendar_feed import FEED_PATH, create_feed, feed_key, render_ics, revoke_feeds
from ai_service.deps import Rep, ServicesDep
from ai_service.errors import ApiError
from ai_service.services import Services
from lifecycle import EVENT_KINDS, AmendmentLink, LifecycleError, LifecycleService, TimelineOut

router = APIRouter(tags=["calendar"])
MAX_RANGE_DAYS = 3660
FEED_PAST_DAYS, FEED_FUTURE_DAYS = 30, 400


class ParentLink(BaseModel):
    model_config = ConfigDict(extra="forbid")
    parent_id: str = Field(min_length=1, max_length=32)


class FeedOut(BaseModel):
    url: str = Field(description="Subscribe to this URL; shown once")
    token: str = Field(description="The feed's secret; shown once")


def _lc(services: Services) -> LifecycleService:
    assert services.lifecycle is not None
    return services.lifecycle


def _api(exc: LifecycleError) -> ApiError:
    return ApiError(exc.status, exc.code, exc.message)


def parse_kinds(raw: list[str] | None) -> list[str]:
    """`kind=a&kind=b` or `kind=a,b`; an unknown kind is an error, not an empty answer."""
    kinds = [k.strip() for r in raw or [] for k in r.split(",") if k.strip()]
    bad = [k for k in kinds if k not in EVENT_KINDS]
    if bad:
        raise ApiError(
            422,
            "unknown_event_kind",
            f"Unknown kind(s): {', '.join(bad)}. Use: {', '.join(EVENT_KINDS)}.",
        )
    return kinds


@router.get("/v1/calendar", summary="Dated events across the archive (default: next 90 days)")
def calendar(
    services: ServicesDep,
    _: Rep,
    from_: Annotated[dt.date | None, Query(alias="from")] = None,
    to: dt.date | None = None,
    kind: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> Response:
    start = from_ or dt.date.today()
    end = to or start + dt.timedelta(days=90)
    if end < start:
        raise ApiError(422, "invalid_range", "'to' is before 'from'.")
    if (end - start).days > MAX_RANGE_DAYS:
        raise ApiError(422, "invalid_range", f"Ask for at most {MAX_RANGE_DAYS} days at a time.")
    count, events = _lc(services).calendar_json(start, end, parse_kinds(kind), limit)
    truncated = "true" if count >= limit else "false"  # narrow the range or raise the limit
    head = f'{{"from":"{start.isoformat()}","to":"{end.isoformat()}","count":{count}'
    head += f',"truncated":{truncated}'
    body = head + ',"events":' + events + "}"
    return Response(body, media_type="application/json")


@router.get(
    "/v1/contracts/{contract_id}/timeline",
    response_model=TimelineOut,
    summary="The contract's computed dates, each with its evidence",
)
def get_timeline(contract_id: str, services: ServicesDep, _: Rep) -> TimelineOut:
    return _lc(services).timeline_of(contract_id)


@router.put(
    "/v1/contracts/{contract_id}/parent",
    response_model=AmendmentLink,
    summary="Link this contract (an amendment) to the contract it amends",
)
def link_parent(
    contract_id: str, body: ParentLink, services: ServicesDep, who: Rep
) -> AmendmentLink:
    try:
        return _lc(services).link(contract_id, body.parent_id, who.actor)
    except LifecycleError as exc:
        raise _api(exc) from exc


@router.delete(
    "/v1/contracts/{contract_id}/parent",
    status_code=204,
    summary="Unlink an amendment from its parent",
)
def unlink_parent(contract_id: str, services: ServicesDep, who: Rep) -> Response:
    try:
        _lc(services).unlink(contract_id, who.actor)
    except LifecycleError as exc:
        raise _api(exc) from exc
    return Response(status_code=204)


@router.get(
    "/v1/contracts/{contract_id}/parent-suggestions",
    response_model=list[AmendmentLink],
    summary="Contracts this one may amend (parties, title, referenced date)",
)
def parent_suggestions(contract_id: str, services: ServicesDep, _: Rep) -> list[AmendmentLink]:
    return _lc(services).suggestions(contract_id)


@router.post(
    "/v1/calendar/feed",
    response_model=FeedOut,
    status_code=201,
    summary="Create (or rotate) this key's iCalendar feed URL",
)
def new_feed(request: Request, services: ServicesDep, who: Rep) -> FeedOut:
    with services.db.session() as s:
        token = create_feed(s, who.key_id, who.actor)
    url = str(request.base_url).rstrip("/") + FEED_PATH.format(token=token)
    return FeedOut(url=url, token=token)


@router.delete("/v1/calendar/feed", status_code=204, summary="Revoke this key's feed URL")
def drop_feed(services: ServicesDep, who: Rep) -> Response:
    with services.db.session() as s:
        revoke_feeds(s, who.key_id, who.actor)
    return Response(status_code=204)


@router.get(
    FEED_PATH,
    summary="The iCalendar feed (authorised by the token in its URL)",
    response_class=Response,
)
def feed(
    token: str,
    request: Request,
    services: ServicesDep,
    kind: Annotated[list[str] | None, Query()] = None,
) -> Response:
    with services.db.session() as s:
        key = feed_key(s, token)
    if key is None:
        raise ApiError(404, "feed_not_found", "This calendar feed URL is unknown or revoked.")
    today = dt.date.today()
    events = _lc(services).calendar(
        today - dt.timedelta(days=FEED_PAST_DAYS),
        today + dt.timedelta(days=FEED_FUTURE_DAYS),
        parse_kinds(kind),
    )
    body = render_ics(events, str(request.base_url))
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Cache-Control": "private, max-age=900",
            "Content-Disposition": 'inline; filename="clausewise.ics"',
        },
    )
