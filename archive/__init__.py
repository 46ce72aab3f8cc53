"""The contract archive: uploads, the contract rows, the job queue in the database, worker
processes, the parse child that holds the time budget, the vector store owner's indexer, and
archive search (with the names a question gives a contract)."""

from archive.archive import Archive, ArchiveIndex
from archive.entities import (
    ArchiveAnswer,
    ArchiveFilters,
    ArchiveHit,
    ArchiveSearch,
    ContractDetail,
    ContractSummary,
    Deal,
    FileUploadFields,
    TextUpload,
)
from archive.indexer import Indexer
from archive.models import VectorRow
from archive.parse import ParseChild, budget_error
from archive.pool import WorkerPool
from archive.service import BlobStore, ContractNotFound
from archive.worker import Worker

__all__ = [
    "Archive",
    "ArchiveAnswer",
    "ArchiveFilters",
    "ArchiveHit",
    "ArchiveIndex",
    "ArchiveSearch",
    "BlobStore",
    "ContractDetail",
    "ContractNotFound",
    "ContractSummary",
    "Deal",
    "FileUploadFields",
    "Indexer",
    "ParseChild",
    "TextUpload",
    "VectorRow",
    "Worker",
    "WorkerPool",
    "budget_error",
]
