"""Tests for extraction.text.extract_text; every input is built here, no binary fixtures."""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from collections.abc import Sequence

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from extraction.text import DOCX_MEDIA_TYPE, extract_text
from extraction.types import ExtractionError

# --------------------------------------------------------------------------- builders


def _pdf_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(
    pages: Sequence[Sequence[str] | None],
    *,
    filter_flate: bool = False,
    raw_streams: dict[int, bytes] | None = None,
) -> bytes:
    """A minimal, valid PDF: one Helvetica page per entry, each string on its own line.

    A `None` page has no content stream at all. `raw_streams` replaces a page's content stream
    with the given (already encoded) bytes, declared as FlateDecode.
    """
    raw_streams = raw_streams or {}
    objects: list[bytes] = []  # objects[i] is object number i + 1

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids: list[int] = []
    for index, lines in enumerate(pages):
        content_ref = b""
        if index in raw_streams:
            stream = raw_streams[index]
            header = b"<< /Length %d /Filter /FlateDecode >>" % len(stream)
            content = add(header + b"\nstream\n" + stream + b"\nendstream")
            content_ref = b" /Contents %d 0 R" % content
        elif lines is not None:
            ops = ["BT", "/F1 12 Tf", "72 720 Td"]
            for n, line in enumerate(lines):
                if n:
                    ops.append("0 -16 Td")
                ops.append(f"({_pdf_escape(line)}) Tj")
            ops.append("ET")
            stream = "\n".join(ops).encode("latin-1")
            extra = b""
            if filter_flate:
                stream = zlib.compress(stream)
                extra = b" /Filter /FlateDecode"
            header = b"<< /Length %d%s >>" % (len(stream), extra)
            content = add(header + b"\nstream\n" + stream + b"\nendstream")
            content_ref = b" /Contents %d 0 R" % content
        page = add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792]"
            b" /Resources << /Font << /F1 %d 0 R >> >>%s >>" % (pages_obj, font, content_ref)
        )
        kids.append(page)
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    kid_refs = b" ".join(b"%d 0 R" % k for k in kids)
    objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kid_refs, len(kids))

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, catalog)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


THREE_PAGES = [
    ["MASTER SERVICES AGREEMENT", "1. Definitions (see below)"],
    ["2. Term", "This Agreement lasts two years."],
    ["3. Governing Law", "Delaware."],
]


def make_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Supply Agreement", level=1)
    document.add_paragraph("1. The Supplier shall deliver the Goods.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Party"
    table.cell(0, 1).text = "Address"
    table.cell(1, 0).text = "Acme Ltd"
    table.cell(1, 1).text = "1 Main St"
    document.add_paragraph("2. Payment is due in 30 days.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(source: bytes, replace: dict[str, bytes], level: int = 9) -> bytes:
    """Copy a zip, replacing some members' contents."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            payload = replace.get(info.filename, zin.read(info.filename))
            zout.writestr(info.filename, payload, zipfile.ZIP_DEFLATED, compresslevel=level)
    return out.getvalue()


def code_of(data: bytes, **kwargs: object) -> tuple[str, int]:
    with pytest.raises(ExtractionError) as caught:
        extract_text(data, **kwargs)  # type: ignore[arg-type]
    return caught.value.code, caught.value.status


# --------------------------------------------------------------------------- PDF


@pytest.mark.parametrize("flate", [False, True])
def test_pdf_pages_text_and_spans(flate: bool) -> None:
    result = extract_text(make_pdf(THREE_PAGES, filter_flate=flate))

    assert result.media_type == "application/pdf"
    assert result.page_count == 3
    assert [p.page for p in result.pages] == [1, 2, 3]
    page_texts = [result.text[p.start : p.end] for p in result.pages]
    for lines, page_text in zip(THREE_PAGES, page_texts, strict=True):
        assert page_text.split("\n") == lines
    # Pages are joined by exactly "\n\n" and the spans tile the text.
    assert result.text == "\n\n".join(page_texts)
    assert result.pages[0].start == 0
    assert result.pages[-1].end == len(result.text)
    for before, after in zip(result.pages, result.pages[1:], strict=False):
        assert after.start == before.end + 2

    assert result.page_at(0) == 1
    assert result.page_at(result.text.index("This Agreement")) == 2
    assert result.page_at(result.text.index("Delaware")) == 3
    assert result.page_at(len(result.text) - 1) == 3


def test_pdf_leading_whitespace_and_bom_is_still_pdf() -> None:
    result = extract_text(b"\xef\xbb\xbf \r\n" + make_pdf(THREE_PAGES))
    assert result.media_type == "application/pdf"
    assert "Delaware." in result.text


def test_pdf_progress_called_per_page() -> None:
    calls: list[tuple[int, int]] = []
    extract_text(make_pdf(THREE_PAGES), progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 3), (2, 3), (3, 3)]


def test_pdf_page_without_text_keeps_its_span() -> None:
    result = extract_text(make_pdf([["Only page one"], None, ["Page three"]]))
    assert result.page_count == 3
    empty = result.pages[1]
    assert empty.start == empty.end
    assert result.text[result.pages[2].start : result.pages[2].end] == "Page three"


def test_pdf_without_text_layer() -> None:
    code, status = code_of(make_pdf([None, None]))
    assert (code, status) == ("no_text_layer", 422)
    with pytest.raises(ExtractionError, match="OCR"):
        extract_text(make_pdf([None]))


def test_truncated_pdf_is_corrupt() -> None:
    data = make_pdf(THREE_PAGES)
    assert code_of(data[: len(data) // 2]) == ("corrupt_file", 422)


def test_pdf_header_only_is_corrupt() -> None:
    assert code_of(b"%PDF-1.7\n") == ("corrupt_file", 422)


def _encrypt(data: bytes, user_password: str, owner_password: str | None = None) -> bytes:
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(data)).pages:
        writer.add_page(page)
    writer.encrypt(user_password, owner_password, algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_encrypted_pdf_with_user_password() -> None:
    data = _encrypt(make_pdf(THREE_PAGES), "s3cret")
    assert code_of(data) == ("encrypted_pdf", 422)


def test_encrypted_pdf_with_empty_user_password_opens() -> None:
    data = _encrypt(make_pdf(THREE_PAGES), "", owner_password="owner-only")
    result = extract_text(data)
    assert result.page_count == 3
    assert "Delaware." in result.text


def test_too_many_pages() -> None:
    assert code_of(make_pdf(THREE_PAGES[:2]), max_pages=1) == ("too_many_pages", 413)
    assert extract_text(make_pdf(THREE_PAGES[:2]), max_pages=2).page_count == 2


def test_pdf_deadline() -> None:
    assert code_of(make_pdf(THREE_PAGES), deadline_s=0) == ("extraction_timeout", 422)
    assert extract_text(make_pdf(THREE_PAGES), deadline_s=None).page_count == 3


def test_pdf_stream_bomb() -> None:
    # 5 MB of spaces compress to a few KB; the per-stream limit follows max_expanded_bytes.
    bomb = zlib.compress(b"BT /F1 12 Tf 72 720 Td (x) Tj ET\n" + b" " * 5_000_000, 9)
    data = make_pdf([None], raw_streams={0: bomb})
    assert len(data) < 20_000
    assert code_of(data, max_expanded_bytes=1_000_000) == ("decompression_bomb", 413)


def test_pdf_extracted_text_budget() -> None:
    data = make_pdf([["A" * 200], ["B" * 200]])
    assert code_of(data, max_expanded_bytes=300) == ("decompression_bomb", 413)


# --------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_and_table_in_document_order() -> None:
    result = extract_text(make_docx())
    assert result.media_type == DOCX_MEDIA_TYPE
    assert result.pages == []
    assert result.page_count == 0
    assert result.page_at(0) is None
    assert result.text.split("\n") == [
        "Supply Agreement",
        "1. The Supplier shall deliver the Goods.",
        "Party",
        "Address",
        "Acme Ltd",
        "1 Main St",
        "2. Payment is due in 30 days.",
    ]


def test_docx_tracked_insertion_is_kept_and_deletion_dropped() -> None:
    source = make_docx()
    with zipfile.ZipFile(io.BytesIO(source)) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    para = (
        '<w:p><w:r><w:t xml:space="preserve">Price: </w:t></w:r>'
        '<w:del w:id="1" w:author="a"><w:r><w:delText>100</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="a"><w:r><w:t>120</w:t></w:r></w:ins>'
        '<w:r><w:t xml:space="preserve"> EUR</w:t></w:r></w:p>'
    )
    assert f'xmlns:w="{w}"' in xml
    xml = xml.replace("<w:sectPr", para + "<w:sectPr", 1)
    result = extract_text(rezip(source, {"word/document.xml": xml.encode("utf-8")}))
    assert result.text.split("\n")[-1] == "Price: 120 EUR"


def test_empty_docx() -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    assert code_of(buffer.getvalue()) == ("empty_document", 422)


def test_docx_zip_bomb_total_size() -> None:
    payload = b"\x00" * 50_000_000
    data = rezip(make_docx(), {"word/document.xml": payload})
    assert len(data) < 1_000_000
    assert code_of(data, max_expanded_bytes=1_000_000) == ("decompression_bomb", 413)
    # Under the default 200 MB budget the compression ratio alone gives it away.
    assert code_of(data) == ("decompression_bomb", 413)


def test_zip_that_is_not_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("readme.txt", "hello")
        zf.writestr("word/other.xml", "<x/>")
    assert code_of(buffer.getvalue()) == ("unsupported_media_type", 415)


def test_corrupt_zip() -> None:
    data = make_docx()
    assert code_of(data[: len(data) // 2]) == ("corrupt_file", 422)
    assert code_of(b"PK\x03\x04" + b"garbage" * 10) == ("corrupt_file", 422)


def test_docx_with_broken_xml_is_corrupt() -> None:
    data = rezip(make_docx(), {"word/document.xml": b"<w:document><unclosed"})
    assert code_of(data) == ("corrupt_file", 422)


def test_docx_deadline() -> None:
    assert code_of(make_docx(), deadline_s=0) == ("extraction_timeout", 422)


# --------------------------------------------------------------------------- plain text


def test_utf8_text_kept_exactly() -> None:
    original = "Käufer: Zoë Ünal\r\nPreis: 1.000 €\r\n\r\n§ 2 — Laufzeit 🙂\n"
    result = extract_text(original.encode("utf-8"))
    assert result.media_type == "text/plain"
    assert result.text == original
    assert result.pages == []
    assert result.page_count == 0
    start = original.index("€")
    assert result.text[start] == "€"
    assert result.page_at(start) is None


def test_utf8_bom_is_dropped_rest_is_exact() -> None:
    result = extract_text(b"\xef\xbb\xbfA\r\nB")
    assert result.text == "A\r\nB"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(encoding: str) -> None:
    original = "Ägreement\r\nTerm: 2 years 🙂"
    if encoding == "utf-16":
        data = original.encode("utf-16")  # native order with BOM
    else:
        bom = "\ufeff".encode(encoding)
        data = bom + original.encode(encoding)
    assert extract_text(data).text == original


@pytest.mark.parametrize("data", [b"", b"   \r\n\t ", "  \n".encode("utf-16")])
def test_empty_text(data: bytes) -> None:
    assert code_of(data) == ("empty_document", 422)


# --------------------------------------------------------------------------- unsupported


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,  # legacy .doc (OLE2)
        random.Random(0).randbytes(4096),
        b"text with a \x00 NUL byte",
        "caf\xe9".encode("latin-1"),
        b"\xff\xfe\x00",  # odd-length UTF-16
    ],
    ids=["png", "ole-doc", "random", "nul", "latin1", "bad-utf16"],
)
def test_unsupported(data: bytes) -> None:
    assert code_of(data) == ("unsupported_media_type", 415)


def test_byte_corrupted_pdfs_are_corrupt_not_scanned_or_empty() -> None:
    """A damaged PDF that yields no text is `corrupt_file`, whatever pypdf's logging is set to."""
    import logging

    rng = random.Random(3)
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    seen: dict[str, int] = {}
    try:
        for quiet in (False, True):
            pypdf_log.setLevel(logging.CRITICAL + 1 if quiet else logging.NOTSET)
            for flate in (False, True):
                data = make_pdf(THREE_PAGES, filter_flate=flate)
                for _ in range(120):
                    b = bytearray(data)
                    for _ in range(rng.choice([1, 3, 10, 40])):
                        b[rng.randrange(len(b))] = rng.randrange(256)
                    try:
                        extract_text(bytes(b), deadline_s=10)
                        code = "ok"
                    except ExtractionError as exc:
                        code = exc.code
                    seen[code] = seen.get(code, 0) + 1
    finally:
        pypdf_log.setLevel(level)
    assert "no_text_layer" not in seen and "empty_document" not in seen, seen
    assert seen.get("corrupt_file", 0) > 100  # the trial did damage files
    # An intact image-only PDF is still called what it is.
    assert code_of(make_pdf([None, None])) == ("no_text_layer", 422)
