"""Content-Disposition for downloads of originals, shared by the API and the web pages."""

from __future__ import annotations

from urllib.parse import quote


def attachment(filename: str) -> str:
    """`attachment` with an ASCII `filename` fallback and, when the name needs more, the exact
    name as RFC 5987 `filename*` (RFC 6266): headers are Latin-1, names can be in any script."""
    fallback = "".join(ch if " " <= ch <= "~" and ch not in '"\\' else "_" for ch in filename)
    fallback = fallback.strip() or "download"
    header = f'attachment; filename="{fallback}"'
    if fallback != filename:
        header += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return header
