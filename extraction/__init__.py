"""Contract ingestion, text and structure, clause classification, terms, and the archive."""

from extraction.archive import Archive, ArchiveIndex
from extraction.classify import ClauseClassifier, default_classifier
from extraction.clause_types import TypeGuess, TypeModel, TypeScore, default_type_model, type_text
from extraction.entities import (
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
from extraction.jurisdictions import canonical as canonical_jurisdiction
from extraction.jurisdictions import surface_forms as jurisdiction_names
from extraction.pipeline import Analysis, TypePresence, analyze
from extraction.service import BlobStore, ContractNotFound
from extraction.terms import parse_number
from extraction.text import extract_text, sniff_media_type
from extraction.type_vectors import EmbedderLike, SegmentVectors
from extraction.types import ExtractedText, ExtractionError, Segment, Term

__all__ = [
    "Analysis",
    "Archive",
    "ArchiveAnswer",
    "ArchiveFilters",
    "ArchiveHit",
    "ArchiveIndex",
    "ArchiveSearch",
    "BlobStore",
    "ClauseClassifier",
    "ContractDetail",
    "ContractNotFound",
    "ContractSummary",
    "Deal",
    "EmbedderLike",
    "ExtractedText",
    "ExtractionError",
    "FileUploadFields",
    "Segment",
    "SegmentVectors",
    "Term",
    "TextUpload",
    "TypeGuess",
    "TypeModel",
    "TypePresence",
    "TypeScore",
    "analyze",
    "canonical_jurisdiction",
    "default_classifier",
    "default_type_model",
    "extract_text",
    "jurisdiction_names",
    "parse_number",
    "sniff_media_type",
    "type_text",
]
