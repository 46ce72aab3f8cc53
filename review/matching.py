"""Matching words against approved positions belongs to the playbook; re-exported here."""

from playbook.matching import ClauseMatch, clause_body, match_clause, redline

__all__ = ["ClauseMatch", "clause_body", "match_clause", "redline"]
