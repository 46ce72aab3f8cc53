from __future__ import annotations


class DealError(Exception):
    """A request about records that cannot be done; `code` is stable."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
