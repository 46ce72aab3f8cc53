"""The company's pre-approved clause library: files, database versions, search index."""

from clause_index.entities import (
    Clause,
    ClauseCreate,
    ClauseUpdate,
    ClauseVersion,
    SearchFilters,
    SearchHit,
    SearchRequest,
    SyncReport,
    TypeDefinition,
)
from clause_index.errors import ClauseConflict, ClauseNotFound, InvalidClause, LibraryError
from clause_index.index import Library, LibraryIndex
from clause_index.library import DEFAULT_LIBRARY_DIR, LibraryFile, load_library, render
from clause_index.schema import ClauseType, Parameter, Position, Rule
from clause_index.service import cuad_type_map

__all__ = [
    "DEFAULT_LIBRARY_DIR",
    "Clause",
    "ClauseConflict",
    "ClauseCreate",
    "ClauseNotFound",
    "ClauseType",
    "ClauseUpdate",
    "ClauseVersion",
    "InvalidClause",
    "Library",
    "LibraryError",
    "LibraryFile",
    "LibraryIndex",
    "Parameter",
    "Position",
    "Rule",
    "SearchFilters",
    "SearchHit",
    "SearchRequest",
    "SyncReport",
    "TypeDefinition",
    "cuad_type_map",
    "load_library",
    "render",
]
