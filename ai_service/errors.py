"""Every error is JSON: {"error": {"code": <stable code>, "message": <what to do>, ...}}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from archive import ContractNotFound
from clause_index import ClauseConflict, ClauseNotFound, InvalidClause, LibraryError
from deals import DealError
from extraction import ExtractionError
from review import ReviewError
from webhooks import WebhookError


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class ErrorDetail(BaseModel):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable; listed in the README")
    message: str = Field(description="What went wrong and what to do")
    details: dict[str, Any] | None = None


class ErrorBody(BaseModel):
    """The shape of every error response."""

    error: ErrorDetail


_ERROR_STATUSES = {
    401: "No API key, or an unknown or revoked one",
    403: "The key's role may not do this",
    404: "No such resource",
    405: "Method not allowed",
    409: "Conflicts with the current state",
    413: "Body or document over a limit",
    415: "Unsupported content or file type",
    422: "Invalid request: the body, a parameter or a field",
    429: "Too many requests",
}
# Documented on every operation (FastAPI's own 422 shape is replaced), so that clients and the
# schema-driven fuzzer can hold every error to one shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": what} for status, what in _ERROR_STATUSES.items()
}


def error_body(code: str, message: str, **details: Any) -> dict[str, Any]:
    err: dict[str, Any] = {"code": code, "message": message}
    if details:
        err["details"] = details
    return {"error": err}


def error_response(status: int, code: str, message: str, **details: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(code, message, **details), status_code=status, headers=headers)


_LIBRARY_STATUS = {ClauseNotFound: 404, ClauseConflict: 409, InvalidClause: 422}
_HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def _validation_message(errors: list[Any]) -> tuple[str, str, list[dict[str, Any]]]:
    simple = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body"),
            "problem": e["msg"],
            "type": e.get("type"),
        }
        for e in errors
    ]
    if any(e.get("type") == "json_invalid" for e in errors):
        return "malformed_json", "The request body is not valid JSON.", simple
    if any(e.get("type") == "extra_forbidden" for e in errors):
        names = ", ".join(s["field"] for s in simple if s["type"] == "extra_forbidden")
        return "unknown_field", f"Unknown field(s): {names}. Remove them and retry.", simple
    first = simple[0]
    if first["field"] == "question":
        # The assistant's question: blank or too long gets its own code, never an answer.
        if first["type"] == "string_too_long":
            return "question_too_long", f"The question is too long: {first['problem']}", simple
        return "empty_question", "The question is empty; ask about a clause or a value.", simple
    where = f" at '{first['field']}'" if first["field"] else ""
    return "invalid_request", f"Invalid request{where}: {first['problem']}", simple


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, **exc.details)

    @app.exception_handler(LibraryError)
    async def _library(_: Request, exc: LibraryError) -> JSONResponse:
        return error_response(_LIBRARY_STATUS.get(type(exc), 400), exc.code, str(exc))

    @app.exception_handler(ExtractionError)
    async def _extraction(_: Request, exc: ExtractionError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(ContractNotFound)
    async def _contract(_: Request, exc: ContractNotFound) -> JSONResponse:
        return error_response(404, exc.code, str(exc))

    @app.exception_handler(ReviewError)
    async def _review(_: Request, exc: ReviewError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(DealError)
    async def _deal(_: Request, exc: DealError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(WebhookError)
    async def _webhook(_: Request, exc: WebhookError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        code, message, errors = _validation_message(list(exc.errors()))
        return error_response(422, code, message, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400 and str(exc.detail).startswith("There was an error parsing"):
            # FastAPI's answer to a body that is not even text (bad UTF-8): the same 422 as
            # any other body that is not JSON.
            return error_response(422, "malformed_json", "The request body is not valid JSON.")
        if exc.status_code == 400 and "multipart" in str(exc.detail).lower():
            # Starlette's answer to a broken multipart body: a 422 like every other bad body.
            return error_response(422, "malformed_multipart", f"{exc.detail} Check the form.")
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        import logging

        logging.getLogger("clausewise").exception("unhandled error", exc_info=exc)
        return error_response(
            500,
            "internal_error",
            "Something went wrong on our side; "
            "the change was not saved. Try again or contact the administrator.",
        )
