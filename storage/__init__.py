"""Persistence shared by every capability: the SQLAlchemy base, engines, migrations, audit log.

The database is the source of truth; vector indexes are derived from it and can be rebuilt.
"""

from storage.audit import AuditEntry, record_audit
from storage.db import Base, Database, migrate

__all__ = ["AuditEntry", "Base", "Database", "migrate", "record_audit"]
