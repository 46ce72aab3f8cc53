"""Typed results of the extraction pipeline. Offsets are Unicode code points into `text`."""

from __future__ import annotations

import bisect
from typing import Any, Literal

from pydantic import BaseModel, Field


class ExtractionError(Exception):
    """A document that cannot be processed; `code` is stable and machine-readable."""

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class PageSpan(BaseModel):
    page: int = Field(ge=1)
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class ExtractedText(BaseModel):
    text: str
    media_type: Literal[
        "application/pdf",
        "text/plain",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ]
    pages: list[PageSpan] = Field(default_factory=list)  # empty for text (no pages)
    page_count: int = 0

    def page_at(self, offset: int) -> int | None:
        """The 1-based page holding the character at `offset`, or None without pages."""
        if not self.pages:
            return None
        starts = [p.start for p in self.pages]
        i = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.pages[i].page


SegmentKind = Literal["heading", "section", "definition", "paragraph", "signature", "preamble"]


class Segment(BaseModel):
    """A piece of the document following its own structure (never a fixed-size window)."""

    index: int
    start: int
    end: int
    kind: SegmentKind
    level: int = 0  # nesting depth: 0 top level, 1 sub-clause, ...
    number: str | None = None  # "1", "1.2", "(a)", "Article IV"
    heading: str | None = None  # the section's heading, if any ("Governing Law")
    text: str


class Sentence(BaseModel):
    start: int
    end: int
    segment: int  # index of the segment it belongs to


class Term(BaseModel):
    """One structured term with its evidence."""

    name: str
    value: Any
    text: str  # the evidence text, exactly text[start:end]
    start: int
    end: int
    page: int | None = None
    confidence: float = Field(ge=0, le=1)
