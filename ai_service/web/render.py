"""HTML for a contract's text (clauses by type, page markers, evidence anchors), redlines and
diffs between clause versions. Everything the documents say is escaped here."""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

PALETTE_SIZE = 10


@dataclass(frozen=True)
class Mark:
    """A span of the text something points at: a term's evidence, a flag's, a search hit."""

    key: str  # the anchor is `ev-<key>`
    start: int
    end: int
    css: str


def type_colors(type_ids: Iterable[str]) -> dict[str, int]:
    """A stable colour index per clause type (the library's order), shared by text and legend."""
    return {t: i % PALETTE_SIZE for i, t in enumerate(sorted(set(type_ids)))}


def segment_type(types: Sequence[Mapping[str, Any]], known: Mapping[str, str]) -> str | None:
    """The segment's most likely type among the library's own types (not CUAD categories)."""
    best: tuple[float, str] | None = None
    for t in types:
        tid = str(t.get("type", ""))
        if tid in known:
            conf = float(t.get("confidence", 0.0))
            if best is None or conf > best[0]:
                best = (conf, tid)
    return best[1] if best else None


def contract_html(
    text: str,
    segments: Sequence[Any],
    pages: Sequence[Mapping[str, Any]] | None,
    marks: Sequence[Mark],
    type_names: Mapping[str, str],
    colors: Mapping[str, int],
) -> Markup:
    """The text as blocks, one per segment, each coloured by its clause type; page markers
    where pages start; every mark wrapped (split where it crosses blocks) with an anchor."""
    n = len(text)
    segs = sorted(
        ((max(0, s.start), min(n, s.end), s) for s in segments if s.end > s.start),
        key=lambda x: x[0],
    )
    page_starts = {
        min(n, max(0, int(p["start"]))): int(p["page"])
        for p in (pages or [])
        if "start" in p and "page" in p
    }
    valid = [m for m in marks if 0 <= m.start < m.end <= n]
    cuts = {0, n}
    for a, b, _ in segs:
        cuts.update((a, b))
    for m in valid:
        cuts.update((m.start, m.end))
    cuts.update(page_starts)
    bounds = sorted(cuts)

    out: list[str] = []
    seg_i = 0
    open_block: int | None = None  # index into segs of the open block, -1 for a gap block
    anchored: set[str] = set()

    def close() -> None:
        nonlocal open_block
        if open_block is not None:
            out.append("</div>")
            open_block = None

    for a, b in itertools.pairwise(bounds):
        if a in page_starts:
            close()
            pg = page_starts[a]
            out.append(
                f'<div class="page-marker" id="page-{pg}" role="separator" '
                f'aria-label="Page {pg}">Page {pg}</div>'
            )
        while seg_i < len(segs) and segs[seg_i][1] <= a:
            seg_i += 1
        inside = seg_i < len(segs) and segs[seg_i][0] <= a < segs[seg_i][1]
        piece = text[a:b]
        if not inside and not piece.strip():
            close()  # whitespace between blocks: the blocks' own spacing stands for it
            continue
        want = seg_i if inside else -1
        if open_block != want:
            close()
            if inside:
                out.append(_open_segment(segs[seg_i][2], type_names, colors))
            else:
                out.append('<div class="seg">')
            open_block = want
        for m in valid:
            if m.start == a and m.key not in anchored:
                anchored.add(m.key)
                out.append(f'<span class="anchor" id="ev-{escape(m.key)}"></span>')
        covering = [m for m in valid if m.start <= a and b <= m.end]
        if open_block is not None and open_block >= 0 and a == segs[open_block][0]:
            piece = piece.lstrip("\n")
        if covering:
            keys = " ".join(m.key for m in covering)
            css = " ".join(dict.fromkeys(m.css for m in covering))
            out.append(f'<mark class="ev {escape(css)}" data-ev="{escape(keys)}">')
            out.append(str(escape(piece)))
            out.append("</mark>")
        else:
            out.append(str(escape(piece)))
    close()
    return Markup("".join(out))


def _open_segment(seg: Any, type_names: Mapping[str, str], colors: Mapping[str, int]) -> str:
    tid = segment_type(getattr(seg, "types", []) or [], type_names)
    attrs = [f'id="seg-{int(seg.index)}"']
    if tid is not None:
        label = type_names[tid]
        attrs.append(f'class="seg cl c{colors.get(tid, 0)}"')
        attrs.append(f'data-type="{escape(tid)}" data-label="{escape(label)}"')
        attrs.append(f'title="{escape(label)}"')
    else:
        attrs.append(f'class="seg kind-{escape(seg.kind)}"')
    return f"<div {' '.join(attrs)}>"


# -- redlines and diffs: lists of {op: equal|insert|delete, text}

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def diff_ops(old: str, new: str) -> list[dict[str, str]]:
    """A word-level diff of two texts, in the shape of a review redline."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    ops: list[dict[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if ops and ops[-1]["op"] == op:
            ops[-1]["text"] += text
        else:
            ops.append({"op": op, "text": text})

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return ops


_NO_SPACE_BEFORE = tuple(",.;:)]}%'’")
_NO_SPACE_AFTER = tuple("([{$‘")


def _needs_space(before: str, after: str) -> bool:
    """Between two runs that do not carry their own whitespace (the review's redline keeps
    runs bare), a space keeps "under" and "or" from reading as "underor"."""
    if not before or not after or before[-1].isspace() or after[0].isspace():
        return False
    return not (after.startswith(_NO_SPACE_BEFORE) or before.endswith(_NO_SPACE_AFTER))


def redline_html(ops: Iterable[Mapping[str, Any]]) -> Markup:
    parts: list[str] = []
    prev = ""
    for op in ops:
        raw = str(op.get("text", ""))
        if not raw:
            continue
        if _needs_space(prev, raw):
            parts.append(" ")
        text = escape(raw)
        kind = op.get("op")
        if kind == "insert":
            parts.append(f"<ins>{text}</ins>")
        elif kind == "delete":
            parts.append(f"<del>{text}</del>")
        else:
            parts.append(str(text))
        prev = raw
    return Markup("".join(parts))


def markdown_html(source: str) -> Markup:
    """Markdown from the assistant, with raw HTML disabled (it is shown escaped). Strikethrough
    is on: a compared clause's redline marks our removed words as ~~struck~~."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")
    return Markup(md.render(source or ""))


# -- titles

_ID_LIKE = re.compile(r"^(?=\S*\d)\S+$|^[0-9a-f]{8,}$", re.I)


def is_file_id(title: str) -> bool:
    """A title that is a file id ("cuad-01811d8fab", "scan0042", a hash): one token with a
    digit in it, as a title taken from a file's name often is; a worded title is not."""
    return bool(_ID_LIKE.match(title.strip()))


def display_title(title: str, document_name: str | None) -> str:
    """What to call a contract: its title, unless that is only a file id and the document's
    own name was extracted ("Outsourcing Agreement"); an all-caps name is set in title case."""
    name = " ".join((document_name or "").split())
    if not name or not is_file_id(title):
        return title
    if name.isupper():
        words = name.lower().split()
        name = " ".join(
            w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words)
        )
    return name


_SMALL_WORDS = {"a", "an", "and", "as", "for", "in", "of", "on", "or", "the", "to", "with"}
