"""Parameter values and ranges belong to the playbook; re-exported for existing callers."""

from playbook.params import describe_range, find_jurisdiction, parse_value, within

__all__ = ["describe_range", "find_jurisdiction", "parse_value", "within"]
