"""Persistence shared by every capability: the SQLAlchemy base, engines, migrations, audit log.

The database is the source of truth; vector indexes are derived from it and can be rebuilt.
"""

from storage.audit import AuditEntry, ChainReport, grant_app_role, record_audit, verify_chain
from storage.db import Base, Database, migrate

__all__ = [
    "AuditEntry",
    "Base",
    "ChainReport",
    "Database",
    "grant_app_role",
    "migrate",
    "record_audit",
    "verify_chain",
]
