"""CRM and billing records, their links to contracts, and reconciliation."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from ai_service.deps import Rep, ServicesDep
from ai_service.errors import ApiError
from deals import DealIn, DealOut, ImportReport, LinkIn, Reconciliation, Suggestion, UpsertOut

router = APIRouter(tags=["records and reconciliation"])

_IMPORT_DOC = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "format": {
                            "type": "string",
                            "description": "A format in the mapping file; unset: detected",
                        },
                    },
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        }
    }
}


@router.post("/v1/deals", response_model=UpsertOut, summary="Create or update one record")
def upsert_deal(body: DealIn, services: ServicesDep, who: Rep) -> UpsertOut:
    """Upsert by (source, external_id): sending the same record again updates it."""
    return services.deals.upsert(body, who.actor)


@router.post(
    "/v1/deals/import",
    response_model=ImportReport,
    summary="Import a CSV export (Salesforce, HubSpot, Stripe) through the mapping file",
    openapi_extra=_IMPORT_DOC,
)
async def import_deals(
    request: Request,
    services: ServicesDep,
    who: Rep,
    format: str | None = Query(default=None, max_length=100),
) -> ImportReport:
    """Good rows are stored, bad ones reported (row, column, reason); all in one transaction."""
    ctype = request.headers.get("content-type", "")
    fmt = format
    if ctype.startswith("multipart/form-data"):
        form = await request.form()
        file = form.get("file")
        if file is None or isinstance(file, str):
            raise ApiError(422, "missing_file", "Send the CSV in a form field named 'file'.")
        data = await file.read()
        form_fmt = form.get("format")
        if isinstance(form_fmt, str) and form_fmt.strip():
            fmt = form_fmt.strip()
    elif ctype.startswith(("text/csv", "text/plain", "application/octet-stream")):
        data = await request.body()
    else:
        raise ApiError(
            415,
            "unsupported_media_type",
            "Send multipart/form-data with a 'file' field, or the CSV as text/csv.",
        )
    report: ImportReport = await run_in_threadpool(services.deals.import_csv, data, who.actor, fmt)
    return report


@router.get("/v1/deals", response_model=list[DealOut], summary="List records")
def list_deals(
    services: ServicesDep,
    _: Rep,
    source: Literal["crm", "billing"] | None = None,
    contract_id: str | None = Query(default=None, max_length=32),
    linked: bool | None = None,
    limit: int = Query(default=100, ge=1, le=1000),
    offset: int = Query(default=0, ge=0, le=2**31 - 1),
) -> list[DealOut]:
    return services.deals.records(source, contract_id, linked, limit, offset)


@router.get("/v1/deals/{deal_id}", response_model=DealOut, summary="One record")
def get_deal(deal_id: str, services: ServicesDep, _: Rep) -> DealOut:
    return services.deals.get(deal_id)


@router.get(
    "/v1/deals/{deal_id}/suggestions",
    response_model=list[Suggestion],
    summary="Contracts this record may belong to (customer vs parties, dates)",
)
def suggest(deal_id: str, services: ServicesDep, _: Rep) -> list[Suggestion]:
    """Nothing is linked until a person confirms one with POST /v1/deals/{id}/link."""
    return services.deals.suggestions(deal_id)


@router.post("/v1/deals/{deal_id}/link", response_model=DealOut, summary="Link to a contract")
def link(deal_id: str, body: LinkIn, services: ServicesDep, who: Rep) -> DealOut:
    return services.deals.link(deal_id, body.contract_id, who.actor)


@router.delete("/v1/deals/{deal_id}/link", response_model=DealOut, summary="Unlink")
def unlink(deal_id: str, services: ServicesDep, who: Rep) -> DealOut:
    return services.deals.link(deal_id, None, who.actor)


@router.get(
    "/v1/contracts/{contract_id}/reconciliation",
    response_model=Reconciliation,
    summary="Mismatches between a contract and its linked records",
)
def contract_reconciliation(
    contract_id: str,
    services: ServicesDep,
    _: Rep,
    as_of: date | None = None,
) -> Reconciliation:
    return services.deals.reconciliation(contract_id, as_of)


@router.get(
    "/v1/reconciliation",
    response_model=Reconciliation,
    summary="Every mismatch across linked contracts, largest yearly impact first",
)
def reconciliation(
    services: ServicesDep,
    _: Rep,
    as_of: date | None = None,
    kind: str | None = Query(default=None, max_length=50),
) -> Reconciliation:
    return services.deals.reconciliation(None, as_of, kind)
