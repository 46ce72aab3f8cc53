"""The reconciliation page: every mismatch between contracts and their CRM and billing
records, with both values and the contract's words, sortable by yearly impact."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from ai_service.web.routes import User, page
from ai_service.web.session import services_of
from deals import KINDS, Mismatch

router = APIRouter(include_in_schema=False)

KIND_LABELS = {
    "price": "Price",
    "currency": "Currency",
    "term": "Term",
    "start_date": "Start date",
    "payment_terms": "Payment terms",
    "billing_frequency": "Billing frequency",
    "auto_renew": "Auto-renewal",
    "escalation_not_applied": "Escalation not billed",
    "discount": "Discount",
    "discount_past_end": "Discount past its end",
    "renewed_not_billed": "Renewed, not billed",
    "billed_after_end": "Billed after the end",
}
SORTS: dict[str, Any] = {
    "impact": lambda m: abs(m.yearly_impact) if m.yearly_impact is not None else -1.0,
    "contract": lambda m: (m.contract_title or m.contract_id).lower(),
    "customer": lambda m: m.customer.lower(),
    "kind": lambda m: KIND_LABELS.get(m.kind, m.kind),
}


def shown(value: Any, field: str = "") -> str:
    if value is None:
        return "—"
    if field.endswith("_percent") and isinstance(value, int | float):
        return f"{value:g}%"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


@router.get("/reconciliation", response_class=HTMLResponse)
async def reconciliation_page(request: Request, user: User) -> Response:
    services = services_of(request)
    q = request.query_params
    problems: list[str] = []
    as_of: date | None = None
    if q.get("as_of"):
        try:
            as_of = date.fromisoformat(q["as_of"])
        except ValueError:
            problems.append("As of: use a date like 2026-01-31.")
    kind = q.get("kind") if q.get("kind") in KINDS else None
    sort = str(q.get("sort")) if q.get("sort") in SORTS else "impact"
    desc = q.get("dir", "desc" if sort == "impact" else "asc") == "desc"
    rec = await run_in_threadpool(services.deals.reconciliation, None, as_of, kind)
    rows: list[Mismatch] = sorted(rec.mismatches, key=SORTS[sort], reverse=desc)
    base = {k: v for k, v in (("as_of", q.get("as_of", "")), ("kind", kind or "")) if v}

    def sort_url(col: str) -> str:
        nxt = "asc" if sort == col and desc else "desc"
        return "/reconciliation?" + urlencode({**base, "sort": col, "dir": nxt})

    return page(
        request,
        "reconciliation.html",
        user,
        rec=rec,
        rows=rows,
        kinds=KIND_LABELS,
        kind=kind or "",
        as_of=q.get("as_of", ""),
        sort=sort,
        desc=desc,
        sort_url=sort_url,
        shown=shown,
        problems=problems,
    )
