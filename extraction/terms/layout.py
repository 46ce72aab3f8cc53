"""Text without page furniture, for readers that follow a sentence across a page break.

A filing's page break puts a page number and a "Source: ACME INC, 10-K, 3/1/2011" footer
between the two halves of a sentence; a preamble that runs onto the next page would read the
footer as the next party's name. `without_furniture` drops such lines (what counts as page
furniture is `extraction.segment.is_page_furniture`) and the blank lines around them, and
keeps a map back to the original offsets, so that evidence spans still index the contract's
own text.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass

from extraction.segment import is_page_furniture
from extraction.terms.context import _trim

_LINE = re.compile(r"[^\n]*\n?")
# the contents heading ends a preamble (`defined._PREAMBLE_END`): it stays
_CONTENTS = re.compile(r"\s*table\s+of\s+contents\s*", re.I)
_DIGITS = re.compile(r"\d+")
# the fields of signature blocks recur too, and are no running head
_FIELD = re.compile(r"_{3}|/s/|\b(?:By|BY|Name|NAME|Title|TITLE|Date|DATE|Its|ITS)\s*:")


@dataclass(frozen=True)
class Unfurnished:
    """The text without page furniture and, per kept piece, where it starts in both texts."""

    text: str
    starts: list[int]  # offset of each kept piece in `text`
    origins: list[int]  # the same piece's offset in the original text

    def original(self, offset: int) -> int:
        """The original offset of a position in `text`. A span's ends never fall on the line
        breaks that replace furniture (spans are trimmed), so each maps inside a kept piece."""
        i = max(0, bisect.bisect_right(self.starts, offset) - 1)
        return self.origins[i] + (offset - self.starts[i])


def _worded(line: str) -> bool:
    """A running head has words (a list's "3." or "(a)" recurs too) and is no letter's
    "Yours,"."""
    return sum(c.isalpha() for c in line) >= 4 and not line.endswith((",", ";"))


def _furniture_lines(text: str) -> set[int]:
    """Start offsets of the furniture lines: `is_page_furniture` lines, and running heads: a
    line that recurs (digits aside) at least three times and sits next to a furniture line, only
    blank lines between ("Supply Agreement - Confidential  Page 3 of 14" above "3")."""
    lines = [(m.start(), *_trim(text, m.start(), m.end())) for m in _LINE.finditer(text)]
    lines = [(ls, s, e) for ls, s, e in lines if s < e]
    marked = [
        is_page_furniture(text, s, e) and not _CONTENTS.fullmatch(text, s, e) for _, s, e in lines
    ]
    keys = [_DIGITS.sub("#", text[s:e]) if e - s <= 120 else None for _, s, e in lines]
    counts = Counter(k for k in keys if k)
    # lines that recur and could be running heads, found once
    heads = [
        i
        for i, k in enumerate(keys)
        if k and not marked[i] and counts[k] >= 3 and not _FIELD.search(k) and _worded(k)
    ]
    changed = True
    while changed:  # a running head above another one: "CONFIDENTIAL" over "Lease - Page 3"
        changed = False
        for i in heads:
            if not marked[i] and any(0 <= j < len(lines) and marked[j] for j in (i - 1, i + 1)):
                marked[i] = changed = True
    return {lines[i][0] for i, m in enumerate(marked) if m}


def without_furniture(text: str) -> Unfurnished:
    """`text` with each run of page-furniture and blank lines that holds a furniture line
    replaced by one line break, or a blank line where the text before it ended a sentence."""
    pieces: list[tuple[int, int]] = []  # kept spans of the original
    joins: list[str] = []  # what replaces the run removed after each kept span
    pos = 0  # start of the kept text not yet emitted
    run_start: int | None = None  # first line of the current run of furniture/blank lines
    furniture = False
    marked = _furniture_lines(text)
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        if s == e:
            break
        line = text[s:e]
        blank = not line.strip()
        furn = not blank and s in marked
        if blank or furn:
            if run_start is None:
                run_start, furniture = s, False
            furniture = furniture or furn
            continue
        if run_start is not None and furniture:
            kept_end = run_start
            while kept_end > pos and text[kept_end - 1] in " \t\n":
                kept_end -= 1
            pieces.append((pos, kept_end))
            joins.append("\n\n" if text[kept_end - 1 : kept_end] in {".", ":", ";"} else "\n")
            pos = s
            while pos < e and text[pos] in " \t":
                pos += 1
        run_start = None
    if not pieces:
        return Unfurnished(text, [0], [0])
    end = len(text)
    if run_start is not None and furniture:
        end = run_start
    pieces.append((pos, end))
    joins.append("")
    out: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    length = 0
    for (a, b), join in zip(pieces, joins, strict=True):
        starts.append(length)
        origins.append(a)
        out.append(text[a:b])
        out.append(join)
        length += (b - a) + len(join)
    return Unfurnished("".join(out), starts, origins)
