"""Outgoing webhooks: signed events to subscribers, an outbox with retries, a delivery log,
replay, and a scheduler raising upcoming deadlines."""

from webhooks.deadlines import DeadlineSource, archive_deadlines
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
    "archive_deadlines",
    "sign",
    "verify",
]
