"""Rule evaluation belongs to the playbook; re-exported for existing callers."""

from playbook.rules import evidence_of, fires, holds

__all__ = ["evidence_of", "fires", "holds"]
