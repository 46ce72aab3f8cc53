"""Outgoing webhooks: signed events to subscribers, an outbox with retries, a delivery log,
replay, and a scheduler raising upcoming deadlines."""

from webhooks.deadlines import DEADLINE_KINDS, DeadlineSource, calendar_deadlines
from webhooks.entities import (
    EVENTS,
    DeliveryOut,
    NewSubscription,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionUpdate,
    WebhookError,
)
from webhooks.service import WebhookService
from webhooks.signing import HEADER, sign, verify

__all__ = [
    "DEADLINE_KINDS",
    "EVENTS",
    "HEADER",
    "DeadlineSource",
    "DeliveryOut",
    "NewSubscription",
    "SubscriptionIn",
    "SubscriptionOut",
    "SubscriptionUpdate",
    "WebhookError",
    "WebhookService",
    "calendar_deadlines",
    "sign",
    "verify",
]
