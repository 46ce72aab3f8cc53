"""Turn uploaded bytes (PDF, DOCX or plain text) into text with page offsets.

The media type is sniffed from the bytes only, never from a file name. Offsets in the result are
Unicode code points into `ExtractedText.text`. Every failure is an `ExtractionError` with a stable
`code` and an HTTP-ish `status`.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .types import ExtractedText, ExtractionError, PageSpan

__all__ = ["extract_text"]

PDF_MEDIA_TYPE = "application/pdf"
DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT_MEDIA_TYPE = "text/plain"

PAGE_SEPARATOR = "\n\n"
# A zip member expanding more than this many times its compressed size is treated as a bomb ...
MAX_COMPRESSION_RATIO = 100
# ... unless it is small: tiny, repetitive XML parts legitimately compress very well.
RATIO_CHECK_MIN_BYTES = 1_000_000
# pypdf's own per-stream default limit; we never raise it, only lower it to max_expanded_bytes.
PYPDF_STREAM_LIMIT = 75_000_000

_UTF8_BOM = b"\xef\xbb\xbf"
_PDF_LEADING_WS = b" \t\r\n\f\x00"
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_SURROGATES = re.compile("[\ud800-\udfff]")


def _unsupported(what: str) -> ExtractionError:
    return ExtractionError(
        "unsupported_media_type",
        f"Unsupported file type ({what}). Clausewise accepts PDF, DOCX and plain text.",
        status=415,
    )


def _bomb(detail: str) -> ExtractionError:
    return ExtractionError(
        "decompression_bomb",
        f"The file expands far beyond its size and was rejected: {detail}",
        status=413,
    )


def _empty() -> ExtractionError:
    return ExtractionError("empty_document", "The document contains no text.", status=422)


def _corrupt(kind: str, exc: BaseException | None = None) -> ExtractionError:
    detail = f": {type(exc).__name__}: {exc}" if exc is not None else ""
    return ExtractionError(
        "corrupt_file", f"The {kind} file is corrupt or truncated{detail}", status=422
    )


class _Deadline:
    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._at = None if seconds is None else time.monotonic() + seconds

    def check(self, where: str) -> None:
        if self._at is not None and time.monotonic() >= self._at:
            raise ExtractionError(
                "extraction_timeout",
                f"Text extraction took longer than {self.seconds:g} s ({where}).",
                status=422,
            )


def extract_text(
    data: bytes,
    *,
    max_pages: int = 500,
    max_expanded_bytes: int = 200_000_000,
    deadline_s: float | None = 120.0,
    progress: Callable[[int, int], None] | None = None,
) -> ExtractedText:
    """Extract the text of an uploaded PDF, DOCX or plain-text document.

    `max_pages` bounds PDF page count, `max_expanded_bytes` bounds decompressed content (zip
    members, PDF streams, extracted PDF text), `deadline_s` bounds wall time (checked between PDF
    pages and DOCX blocks; None disables it) and `progress(done_pages, total_pages)` is called
    after each PDF page. Raises `ExtractionError` for anything that cannot be processed.
    """
    deadline = _Deadline(deadline_s)
    data = bytes(data)
    if _looks_like_pdf(data):
        return _extract_pdf(data, max_pages, max_expanded_bytes, deadline, progress)
    if data.startswith(_ZIP_MAGIC):
        return _extract_docx(data, max_expanded_bytes, deadline)
    return _extract_plain(data)


# --------------------------------------------------------------------------- sniffing


def sniff_media_type(data: bytes) -> str:
    """The document's type from its bytes alone, or ExtractionError 415 (checked at upload so
    an unsupported file is refused before anything is stored)."""
    if _looks_like_pdf(data):
        return PDF_MEDIA_TYPE
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return DOCX_MEDIA_TYPE
        except zipfile.BadZipFile:
            raise _corrupt("zip") from None
        raise _unsupported("a zip archive that is not a DOCX document")
    if not data.strip():
        raise _empty()
    _extract_plain(data)
    return TEXT_MEDIA_TYPE


def _looks_like_pdf(data: bytes) -> bool:
    head = data[:1024]
    if head.startswith(_UTF8_BOM):
        head = head[len(_UTF8_BOM) :]
    return head.lstrip(_PDF_LEADING_WS).startswith(b"%PDF-")


# --------------------------------------------------------------------------- plain text


def _extract_plain(data: bytes) -> ExtractedText:
    """Decode exactly; the BOM (an encoding mark) is dropped, nothing else is touched."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")  # honours and strips the BOM
        except UnicodeDecodeError:
            raise _unsupported("binary data") from None
    else:
        if b"\x00" in data:
            raise _unsupported("binary data")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _unsupported("binary data, or text that is neither UTF-8 nor UTF-16") from None
    if "\x00" in text:
        raise _unsupported("binary data")
    if not text.strip():
        raise _empty()
    return ExtractedText(text=text, media_type=TEXT_MEDIA_TYPE, pages=[], page_count=0)


# --------------------------------------------------------------------------- DOCX


def _extract_docx(data: bytes, max_expanded_bytes: int, deadline: _Deadline) -> ExtractedText:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _corrupt("zip/DOCX", exc) from None
    names = {info.filename for info in infos}
    if "word/document.xml" not in names:
        raise _unsupported("a zip archive that is not a DOCX document")

    total = 0
    for info in infos:
        total += info.file_size
        if total > max_expanded_bytes:
            raise _bomb(f"the archive expands to more than {max_expanded_bytes} bytes")
        if info.file_size >= RATIO_CHECK_MIN_BYTES:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_COMPRESSION_RATIO:
                raise _bomb(f"member {info.filename!r} has a compression ratio of {ratio:.0f}:1")

    import docx  # deferred: only needed for DOCX uploads
    from docx.opc.exceptions import OpcError

    deadline.check("opening the DOCX")
    try:
        document: Any = docx.Document(io.BytesIO(data))
        lines = list(_docx_block_texts(document.element.body, deadline))
    except ExtractionError:
        raise
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise _corrupt("DOCX", exc) from None
    except Exception as exc:  # lxml.etree.XMLSyntaxError and friends
        raise _corrupt("DOCX", exc) from None

    text = "\n".join(lines)
    if not text.strip():
        raise _empty()
    return ExtractedText(text=text, media_type=DOCX_MEDIA_TYPE, pages=[], page_count=0)


def _w(tag: str) -> str:
    return "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + tag


_P = _w("p")
# Block-level wrappers whose children are walked in document order (tables, rows, cells,
# content controls, custom XML). Anything else (sectPr, tblPr, bookmarks, ...) holds no text.
_BLOCK_CONTAINERS = frozenset(
    _w(t) for t in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins", "moveTo")
)
# Inline wrappers inside a paragraph that hold runs still visible in the document. python-docx's
# Paragraph.text only reads direct runs and hyperlinks, which would drop tracked insertions,
# inline content controls, smart tags and simple fields.
_INLINE_CONTAINERS = frozenset(
    _w(t) for t in ("ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple")
)
_RUN_LIKE = frozenset((_w("r"), _w("hyperlink")))


def _docx_block_texts(element: Any, deadline: _Deadline) -> Iterator[str]:
    for child in element.iterchildren():
        tag = child.tag
        if tag == _P:
            yield _docx_paragraph_text(child)
        elif tag in _BLOCK_CONTAINERS:
            deadline.check("reading the DOCX")
            yield from _docx_block_texts(child, deadline)


def _docx_paragraph_text(element: Any) -> str:
    parts: list[str] = []
    for child in element.iterchildren():
        tag = child.tag
        if tag in _RUN_LIKE:
            parts.append(child.text)  # python-docx CT_R / CT_Hyperlink text
        elif tag in _INLINE_CONTAINERS:
            parts.append(_docx_paragraph_text(child))
    return "".join(parts)


# --------------------------------------------------------------------------- PDF


def _extract_pdf(
    data: bytes,
    max_pages: int,
    max_expanded_bytes: int,
    deadline: _Deadline,
    progress: Callable[[int, int], None] | None,
) -> ExtractedText:
    import pypdf  # deferred: only needed for PDF uploads

    stream_limit = max(1, min(PYPDF_STREAM_LIMIT, max_expanded_bytes))
    # apply_configuration is context-local (a ContextVar), so concurrent calls do not interfere.
    with pypdf.apply_configuration(
        maximum_declared_stream_length=stream_limit,
        array_based_stream_maximum_output_length=stream_limit,
        zlib_maximum_output_length=stream_limit,
        lzw_maximum_output_length=stream_limit,
        run_length_maximum_output_length=stream_limit,
        brotli_maximum_output_length=stream_limit,
        jbig2_maximum_output_length=stream_limit,
        image_maximum_buffer_size=stream_limit,
        stream_decoding_work_maximum_length=max(1, min(300_000_000, max_expanded_bytes)),
    ):
        return _extract_pdf_pages(data, max_pages, max_expanded_bytes, deadline, progress)


@contextmanager
def _pypdf_errors() -> Iterator[None]:
    """Map whatever pypdf raises inside the block to an ExtractionError."""
    try:
        yield
    except ExtractionError:
        raise
    except Exception as exc:  # pypdf raises many types on malformed input (and RecursionError)
        raise _map_pypdf_error(exc) from None


def _map_pypdf_error(exc: Exception) -> ExtractionError:
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError

    if isinstance(exc, LimitReachedError):
        message = str(exc).lower()
        if any(word in message for word in ("cycle", "cyclic", "loop", "recovery limit")):
            return _corrupt("PDF", exc)
        return _bomb(f"a PDF safety limit was reached ({exc})")
    if isinstance(exc, MemoryError):
        return _bomb("it ran out of memory while decoding the PDF")
    if isinstance(exc, FileNotDecryptedError):
        return _encrypted()
    if isinstance(exc, DependencyError):
        return ExtractionError(
            "encrypted_pdf",
            f"The PDF uses an encryption this server cannot decrypt ({exc}).",
            status=422,
        )
    return _corrupt("PDF", exc)


class _Complaints(logging.Handler):
    """pypdf's warnings about repairs it made, from this thread only (workers run in parallel)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextmanager
def _pypdf_complaints() -> Iterator[list[str]]:
    handler = _Complaints()
    logger = logging.getLogger("pypdf")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def _encrypted() -> ExtractionError:
    return ExtractionError(
        "encrypted_pdf",
        "The PDF is password-protected; upload an unencrypted copy.",
        status=422,
    )


def _extract_pdf_pages(
    data: bytes,
    max_pages: int,
    max_expanded_bytes: int,
    deadline: _Deadline,
    progress: Callable[[int, int], None] | None,
) -> ExtractedText:
    # pypdf repairs what it can and only logs it: a damaged file that yields no pages or no text
    # is reported as corrupt, not as empty or scanned.
    with _pypdf_complaints() as complaints:
        return _read_pdf_pages(data, max_pages, max_expanded_bytes, deadline, progress, complaints)


def _read_pdf_pages(
    data: bytes,
    max_pages: int,
    max_expanded_bytes: int,
    deadline: _Deadline,
    progress: Callable[[int, int], None] | None,
    complaints: list[str],
) -> ExtractedText:
    from pypdf import PasswordType, PdfReader

    with _pypdf_errors():
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise _encrypted()
        total = len(reader.pages)
    if total == 0:
        damage = _damage(data, complaints, page_objects_expected=True)
        raise _corrupt("PDF", _Repaired(damage)) if damage else _empty()
    if total > max_pages:
        raise ExtractionError(
            "too_many_pages",
            f"The PDF has {total} pages; at most {max_pages} are accepted.",
            status=413,
        )

    parts: list[str] = []
    spans: list[PageSpan] = []
    offset = 0
    expanded = 0
    for index in range(total):
        deadline.check(f"after {index} of {total} pages")
        with _pypdf_errors():
            # Default (non-layout) mode on purpose: layout mode returns nothing for PDFs whose
            # fonts live in Form XObjects.
            raw = reader.pages[index].extract_text()
        page_text = _normalize_pdf_text(raw or "")
        expanded += len(page_text)
        if expanded > max_expanded_bytes:
            raise _bomb(f"the extracted text exceeds {max_expanded_bytes} characters")
        if index:
            parts.append(PAGE_SEPARATOR)
            offset += len(PAGE_SEPARATOR)
        parts.append(page_text)
        spans.append(PageSpan(page=index + 1, start=offset, end=offset + len(page_text)))
        offset += len(page_text)
        if progress is not None:
            progress(index + 1, total)

    text = "".join(parts)
    if not text.strip() and (damage := _damage(data, complaints)):
        raise _corrupt("PDF", _Repaired(damage))
    if not text.strip():
        raise ExtractionError(
            "no_text_layer",
            f"The PDF has {total} page(s) but no text layer; it looks scanned or image-only and "
            "would need OCR, which Clausewise does not do. Upload a text-based PDF or a DOCX.",
            status=422,
        )
    return ExtractedText(text=text, media_type=PDF_MEDIA_TYPE, pages=spans, page_count=total)


class _Repaired(Exception):
    """What pypdf had to repair: the detail of a corrupt_file message."""


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _damage(data: bytes, complaints: list[str], page_objects_expected: bool = False) -> str | None:
    """Why a PDF that gave no text looks damaged rather than scanned, or None if it does not.

    Only asked on that failure path: pypdf's logged repairs (unless logging is turned down),
    a strict re-read that fails, or page objects in the bytes that the page tree lost.
    """
    if complaints:
        return complaints[0][:200]
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        for page in reader.pages:
            page.extract_text()
    except Exception as exc:  # any failure of the strict reading is damage
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    if page_objects_expected and _PAGE_OBJECT.search(data):
        return "the page tree lists no pages, yet the file has page objects"
    return None


def _normalize_pdf_text(text: str) -> str:
    """Unify line endings, drop NULs (which PostgreSQL text rejects), replace lone surrogates."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return _SURROGATES.sub("\ufffd", text)
