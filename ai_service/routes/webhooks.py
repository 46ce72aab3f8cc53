"""Outgoing webhooks (admin): subscriptions, the delivery log, replay."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from ai_service.deps import Admin, ServicesDep
from webhooks import (
    DeliveryOut,
    NewSubscription,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionUpdate,
)

# Delivery ids are 32-bit integer keys on PostgreSQL: larger ones are refused, not a 500.
DeliveryId = Annotated[int, Path(ge=1, le=2**31 - 1)]

router = APIRouter(tags=["webhooks"])


@router.post(
    "/v1/webhooks",
    response_model=NewSubscription,
    status_code=201,
    summary="Subscribe a URL to events (the signing secret is shown once)",
)
def create(body: SubscriptionIn, services: ServicesDep, who: Admin) -> NewSubscription:
    return services.webhooks.create(body, who.actor)


@router.get("/v1/webhooks", response_model=list[SubscriptionOut], summary="Subscriptions")
def subscriptions(services: ServicesDep, _: Admin) -> list[SubscriptionOut]:
    return services.webhooks.subscriptions()


@router.patch("/v1/webhooks/{sub_id}", response_model=SubscriptionOut, summary="Change one")
def change(
    sub_id: str, body: SubscriptionUpdate, services: ServicesDep, who: Admin
) -> SubscriptionOut:
    return services.webhooks.update(sub_id, body, who.actor)


@router.delete("/v1/webhooks/{sub_id}", response_model=SubscriptionOut, summary="Remove one")
def remove(sub_id: str, services: ServicesDep, who: Admin) -> SubscriptionOut:
    return services.webhooks.delete(sub_id, who.actor)


@router.get(
    "/v1/webhooks/deliveries",
    response_model=list[DeliveryOut],
    summary="The delivery log, newest first",
)
def deliveries(
    services: ServicesDep,
    _: Admin,
    subscription_id: str | None = Query(default=None, max_length=32),
    status: Literal["pending", "sending", "delivered", "failed"] | None = None,
    limit: int = Query(default=100, ge=1, le=1000),
) -> list[DeliveryOut]:
    return services.webhooks.deliveries(subscription_id, status, limit)


@router.get(
    "/v1/webhooks/deliveries/{delivery_id}",
    response_model=DeliveryOut,
    summary="One delivery with every attempt",
)
def delivery(delivery_id: DeliveryId, services: ServicesDep, _: Admin) -> DeliveryOut:
    return services.webhooks.delivery(delivery_id)


@router.post(
    "/v1/webhooks/deliveries/{delivery_id}/replay",
    response_model=DeliveryOut,
    summary="Send a delivery again",
)
def replay(delivery_id: DeliveryId, services: ServicesDep, who: Admin) -> DeliveryOut:
    return services.webhooks.replay(delivery_id, who.actor)
