"""Risk review: matching contract clauses against approved language, playbook rules,
flags, routing and legal's decisions."""

from review.engine import FlagDraft, LibrarySnapshot, Reviewer, ReviewOutcome
from review.entities import (
    DecisionIn,
    FlagOut,
    ReviewSummary,
    TextReviewIn,
    TextReviewOut,
)
from review.errors import (
    ApproverNotRequired,
    ApproverRequired,
    ContractNotReady,
    FlagNotFound,
    FlagStale,
    ReviewError,
    UnknownClauseType,
)
from review.matching import ClauseMatch, match_clause, redline
from review.params import parse_value, within
from review.rules import fires
from review.service import ReviewService

__all__ = [
    "ApproverNotRequired",
    "ApproverRequired",
    "ClauseMatch",
    "ContractNotReady",
    "DecisionIn",
    "FlagDraft",
    "FlagNotFound",
    "FlagOut",
    "FlagStale",
    "LibrarySnapshot",
    "ReviewError",
    "ReviewOutcome",
    "ReviewService",
    "ReviewSummary",
    "Reviewer",
    "TextReviewIn",
    "TextReviewOut",
    "UnknownClauseType",
    "fires",
    "match_clause",
    "parse_value",
    "redline",
    "within",
]
