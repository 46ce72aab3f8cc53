"""Review errors with stable codes; the HTTP layer maps them to statuses."""

from __future__ import annotations


class ReviewError(Exception):
    code = "review_error"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FlagNotFound(ReviewError):
    code = "flag_not_found"
    status = 404


class ContractNotReady(ReviewError):
    code = "contract_not_ready"
    status = 409


class UnknownClauseType(ReviewError):
    code = "unknown_clause_type"
    status = 422


class EmptyText(ReviewError):
    code = "empty_text"
    status = 422
