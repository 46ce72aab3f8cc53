class LibraryError(Exception):
    """Base of the library's errors; `code` is the stable machine-readable code."""

    code = "library_error"


class ClauseNotFound(LibraryError):
    code = "clause_not_found"


class ClauseConflict(LibraryError):
    code = "clause_conflict"


class InvalidClause(LibraryError):
    code = "invalid_clause"
