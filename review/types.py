"""The review's typed values live with the playbook (one definition for review and drafting)."""

from playbook.types import Classification, Fact, ParamValue, RedlineOp

__all__ = ["Classification", "Fact", "ParamValue", "RedlineOp"]
