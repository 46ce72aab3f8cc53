"""The archive's processing: the job queue in the database, worker processes, the parse
child that holds the time budget, and the vector store owner's indexer."""

from archive.indexer import Indexer
from archive.models import VectorRow
from archive.parse import ParseChild, budget_error
from archive.pool import WorkerPool
from archive.worker import Worker

__all__ = ["Indexer", "ParseChild", "VectorRow", "Worker", "WorkerPool", "budget_error"]
