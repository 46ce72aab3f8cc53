"""The pure pipeline from a contract file to its analysis: text and structure, clause
classification and types, terms. The archive (uploads, queue, index, search) is `archive`."""

from extraction.classify import ClauseClassifier, default_classifier
from extraction.clause_types import TypeGuess, TypeModel, TypeScore, default_type_model, type_text
from extraction.jurisdictions import canonical as canonical_jurisdiction
from extraction.jurisdictions import surface_forms as jurisdiction_names
from extraction.pipeline import Analysis, TypePresence, analyze
from extraction.terms import parse_number
from extraction.text import extract_text, sniff_media_type
from extraction.type_vectors import EmbedderLike, SegmentVectors
from extraction.types import ExtractedText, ExtractionError, Segment, Term

__all__ = [
    "Analysis",
    "ClauseClassifier",
    "EmbedderLike",
    "ExtractedText",
    "ExtractionError",
    "Segment",
    "SegmentVectors",
    "Term",
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
