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


class FlagStale(ReviewError):
    """The decision was made on a flag the contract's latest review changed or dropped."""

    code = "flag_stale"
    status = 409


class ApproverRequired(ReviewError):
    """The flag awaits several approvers and the decision did not say for whom it is."""

    code = "approver_required"
    status = 422


class ApproverNotRequired(ReviewError):
    """The decision names an approver this flag does not need."""

    code = "approver_not_required"
    status = 422


class EmptyText(ReviewError):
    code = "empty_text"
    status = 422
