from __future__ import annotations

import json
import re
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from ai_service.deps import Legal, Rep, ServicesDep
from ai_service.downloads import attachment
from ai_service.errors import ApiError
from ai_service.text_guard import check_json, check_text
from archive import (
    ArchiveAnswer,
    ArchiveFilters,
    ArchiveSearch,
    ContractDetail,
    ContractSummary,
    Deal,
    FileUploadFields,
    TextUpload,
)
from archive import service as archive_service

router = APIRouter(tags=["contracts"])


def _inline_defs(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's JSON schema with its local `$defs` references written out in place, so the
    hand-written request body below resolves in the OpenAPI document."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(defs[ref.rsplit("/", 1)[-1]])
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(schema)
    return result


_UPLOAD_DOC = {
    "requestBody": {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "PDF, DOCX or plain text (type sniffed from bytes)",
                        },
                        "title": {"type": "string", "maxLength": 500},
                        "deal": {"type": "string", "description": "Deal JSON (see Deal)"},
                    },
                }
            },
            "application/json": {"schema": _inline_defs(TextUpload.model_json_schema())},
        }
    }
}


def _safe_name(name: str | None) -> str | None:
    """Keep only the base name, without control characters: it is shown and sent back."""
    if not name:
        return None
    base = re.split(r"[\\/]", name)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()[:255]
    return base or None


def _validation(exc: ValidationError) -> ApiError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    code = "unknown_field" if first["type"] == "extra_forbidden" else "invalid_request"
    return ApiError(422, code, f"Invalid request at '{where}': {first['msg']}")


async def _multipart_upload(request: Request) -> tuple[bytes, str | None, str | None, Deal | None]:
    """The file and fields of a multipart upload, under the same limits as a JSON upload."""
    form = await request.form()
    files = form.getlist("file")
    if not files or isinstance(files[0], str):
        raise ApiError(422, "missing_file", "Send the document in a form field named 'file'.")
    if len(files) > 1:
        raise ApiError(
            422,
            "multiple_files",
            f"The form has {len(files)} 'file' fields; send one document per request.",
        )
    fields: dict[str, Any] = {}
    for name in ("title", "deal"):
        values = form.getlist(name)
        if len(values) > 1:
            raise ApiError(422, "duplicate_field", f"The form has more than one '{name}' field.")
        if not values:
            continue
        value = values[0]
        if not isinstance(value, str):
            raise ApiError(422, "invalid_request", f"'{name}' must be a text field, not a file.")
        check_text(name, value)
        fields[name] = value
    title = fields.get("title", "").strip() or None
    deal: Any = None
    if fields.get("deal", "").strip():
        check_json("deal", fields["deal"])
        try:
            deal = json.loads(fields["deal"])
        except ValueError as exc:
            raise ApiError(422, "malformed_json", "The 'deal' field is not valid JSON.") from exc
    try:
        meta = FileUploadFields.model_validate({"title": title, "deal": deal})
    except ValidationError as exc:
        raise _validation(exc) from exc
    file = files[0]
    return await file.read(), _safe_name(file.filename), meta.title, meta.deal


@router.post(
    "/v1/contracts",
    response_model=ContractSummary,
    status_code=202,
    summary="Upload a contract (multipart file, or JSON {title, text})",
    openapi_extra=_UPLOAD_DOC,
    responses={200: {"model": ContractSummary, "description": "Already processed, or a duplicate"}},
)
async def upload(
    request: Request,
    services: ServicesDep,
    who: Rep,
    wait: bool = Query(default=False, description="Block until processed"),
) -> JSONResponse:
    archive = services.archive
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        data, filename, title, deal = await _multipart_upload(request)
    elif ctype.startswith("application/json"):
        try:
            body = TextUpload.model_validate_json(await request.body())
        except ValidationError as exc:
            if any(e["type"] == "json_invalid" for e in exc.errors()):
                raise ApiError(
                    422, "malformed_json", "The request body is not valid JSON."
                ) from exc
            raise _validation(exc) from exc
        data, filename, title, deal = body.text.encode("utf-8"), None, body.title, body.deal
    else:
        raise ApiError(
            415,
            "unsupported_media_type",
            "Send multipart/form-data with a 'file' field, or JSON {title, text}.",
        )
    if not data:
        raise ApiError(422, "empty_document", "The uploaded document is empty.")
    from starlette.concurrency import run_in_threadpool

    out: ContractSummary = await run_in_threadpool(
        archive.upload, data, title=title, filename=filename, deal=deal, actor=who.actor
    )
    if wait and out.status not in ("ready", "failed"):
        out = await run_in_threadpool(archive.wait, out.id, services.settings.wait_timeout_s)
    if wait and out.status == "failed":
        # The caller waited for the result: a failure is an error, with the contract's code.
        raise ApiError(
            422,
            out.error_code or "processing_crashed",
            out.error_message or "The document could not be processed.",
            contract=out.model_dump(mode="json"),
        )
    code = 200 if out.duplicate or out.status in ("ready", "failed") else 202
    return JSONResponse(out.model_dump(mode="json"), status_code=code)


@router.get(
    "/v1/contracts",
    response_model=list[ContractSummary],
    summary="The archive, filtered by extracted terms",
)
def list_contracts(
    services: ServicesDep,
    _: Rep,
    status: Literal["pending", "processing", "ready", "failed"] | None = None,
    counterparty: str | None = Query(default=None, max_length=200),
    governing_law: str | None = Query(default=None, max_length=100),
    clause_type: str | None = Query(
        default=None, max_length=100, description="Has a clause of this type"
    ),
    clause_type_absent: str | None = Query(default=None, max_length=100),
    expiration_from: date | None = None,
    expiration_to: date | None = None,
    notice_deadline_from: date | None = None,
    notice_deadline_to: date | None = None,
    auto_renewal: bool | None = None,
    payment_days_min: int | None = Query(default=None, ge=0, le=100_000),
    payment_days_max: int | None = Query(default=None, ge=0, le=100_000),
    limit: int = Query(default=100, ge=1, le=1000),
    offset: int = Query(default=0, ge=0, le=2**31 - 1),
) -> list[ContractSummary]:
    f = ArchiveFilters(
        status=status,
        counterparty=counterparty,
        governing_law=governing_law,
        clause_type=clause_type,
        clause_type_absent=clause_type_absent,
        expiration_from=expiration_from,
        expiration_to=expiration_to,
        notice_deadline_from=notice_deadline_from,
        notice_deadline_to=notice_deadline_to,
        auto_renewal=auto_renewal,
        payment_days_min=payment_days_min,
        payment_days_max=payment_days_max,
    )
    result: list[ContractSummary] = services.archive.read(
        lambda s: archive_service.list_contracts(s, f, limit, offset)
    )
    return result


@router.get(
    "/v1/contracts/{contract_id}",
    response_model=ContractDetail,
    summary="Metadata, terms with evidence, segments with types, clause spans",
)
def get_contract(contract_id: str, services: ServicesDep, _: Rep) -> ContractDetail:
    result: ContractDetail = services.archive.read(lambda s: archive_service.detail(s, contract_id))
    return result


_ORIGINAL: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The original bytes, with Content-Disposition naming the file",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in (
                "application/pdf",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "text/plain",
            )
        },
    }
}


@router.get(
    "/v1/contracts/{contract_id}/file",
    summary="The original file, as uploaded",
    response_class=Response,
    responses=_ORIGINAL,
)
def get_file(contract_id: str, services: ServicesDep, _: Rep) -> Response:
    row: Any = services.archive.read(lambda s: archive_service.get_row(s, contract_id))
    data = services.archive.blobs.get(row.sha256)
    return Response(
        data,
        media_type=row.media_type,
        headers={"Content-Disposition": attachment(row.filename or contract_id)},
    )


@router.delete(
    "/v1/contracts/{contract_id}",
    response_model=ContractSummary,
    summary="Delete a contract: its rows, vectors and original together",
)
def delete_contract(contract_id: str, services: ServicesDep, who: Legal) -> ContractSummary:
    lc = services.lifecycle
    parent = lc.parent_of(contract_id) if lc else None
    out = services.archive.delete(contract_id, who.actor)
    if lc and parent:
        lc.recompute(parent)  # a deleted amendment no longer changes its parent's dates
    return out


@router.post(
    "/v1/contracts/{contract_id}/reprocess",
    response_model=ContractSummary,
    status_code=202,
    summary="Run the current pipeline on the stored original again",
)
def reprocess(contract_id: str, services: ServicesDep, who: Legal) -> ContractSummary:
    services.archive.reprocess(contract_id, who.actor)
    result: ContractSummary = services.archive.read(
        lambda s: archive_service.summary(archive_service.get_row(s, contract_id))
    )
    return result


@router.post(
    "/v1/search",
    response_model=ArchiveAnswer,
    summary="Search clauses across the archive in natural language",
)
def search(body: ArchiveSearch, services: ServicesDep, _: Rep) -> ArchiveAnswer:
    return services.archive.search(body)
