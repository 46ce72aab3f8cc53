from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

EventName = Literal[
    "contract.ready",
    "review.completed",
    "flag.decided",
    "deadline.upcoming",
    "reconciliation.mismatch",
]
EVENTS: tuple[str, ...] = EventName.__args__  # type: ignore[attr-defined]


class WebhookError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2000)
    events: list[EventName] = Field(min_length=1)
    days_ahead: int = Field(default=30, ge=1, le=365, description="deadline.upcoming: how far")
    active: bool = True


class SubscriptionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, min_length=1, max_length=2000)
    events: list[EventName] | None = Field(default=None, min_length=1)
    days_ahead: int | None = Field(default=None, ge=1, le=365)
    active: bool | None = None


class SubscriptionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    url: str
    events: list[str]
    days_ahead: int
    active: bool
    created_by: str
    created_at: datetime


class NewSubscription(SubscriptionOut):
    secret: str = Field(description="Shown once: verify each delivery's signature with it")


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subscription_id: str
    event: str
    event_key: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    payload: dict[str, Any]
    log: list[AttemptOut] = Field(default_factory=list)
