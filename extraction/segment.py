"""Clause segmentation that follows a contract's own structure (never a fixed-size window).

`segment(text)` cuts a document into structural units: numbered sections and sub-clauses,
headings, definitions, the preamble, signature blocks and plain paragraphs. `sentences(text,
segments)` splits every segment into sentences for tight clause spans.

Invariants: segments are ordered and non-overlapping, trimmed of surrounding whitespace, and
together they hold every non-whitespace character of `text` exactly once (the same holds for
the sentences of one segment). Offsets are code points, `Segment.text == text[start:end]`.

The rules are regular expressions plus a little context (the character before a candidate
boundary, the following character, page furniture between paragraphs), so they work both on
line-structured text and on SEC filings flattened into long lines whose only trace of a line
break is a run of spaces.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from extraction.types import Segment, SegmentKind, Sentence

__all__ = ["is_page_furniture", "segment", "sentences"]


def _split(words: str) -> list[str]:
    return words.split()


_WS = " \t\r\n\f\v\u00a0\u2000\u2001\u2002\u2003\u2009\u200b\u3000"
_QUOTES_OPEN = "\"“‘'([«"
_SUB = r"(?:\([a-zA-Z0-9]{1,4}\))"

# A numbering marker, preceded by whitespace (or the start) and followed by whitespace.
_MARKER = re.compile(
    r"(?<!\S)(?:(?:"
    r"(?P<article>(?:ARTICLE|Article)[ \t]+(?:[IVXLC]{1,7}|\d{1,3})\b\.?)"
    r"|(?P<section>(?:SECTION|Section)[ \t]+\d{1,3}(?:\.\d{1,3}){0,3}" + _SUB + r"*\.?)"
    r"|(?P<num>\d{1,3}(?:\.\d{1,3}){1,4}\.?" + _SUB + r"*"
    r"|\d{1,3}\." + _SUB + r"*|\d{1,3}" + _SUB + r"+)"
    r"|(?P<paren>\((?:[a-zA-Z]{1,2}|[ivxlcIVXLC]{1,6}|\d{1,2})\))"
    r"|(?P<rparen>(?:\d{1,2}|[a-z])\))"
    r"|(?P<letter>[A-Za-z]\.|[IVX]{2,5}\.)"
    r")(?=[ \t\r\n\u00a0]|$)|(?P<bullet>[●•▪■►➢◦]))"
)
_DEF = re.compile(
    r"(?:[Tt]he\s+terms?\s+)?[“\"‘']([A-Za-z0-9][^“”\"\n]{0,80}?)[”\"’']\s*"
    r"(?:\([^()\n]{0,60}\)\s*)?,?\s*(?:shall\s+|will\s+|is\s+|are\s+)?"
    r"(?:means?\b|have\s+the\s+meanings?|has\s+the\s+meanings?|refers?\s+to|"
    r"shall\s+refer|includes?\b|is\s+defined|shall\s+be\s+defined)"
)
_DEF_START = re.compile(r"(?<!\S)(?:[Tt]he\s+terms?\s+)?[“\"‘'][A-Za-z0-9]")
_WITNESS = re.compile(r"IN\s+WITNESS\s+(?:WHEREOF|THEREOF)", re.IGNORECASE)
_SIG_LINE = re.compile(
    r"(?:By|Name|Title|Date|Its|Signature|Signed|Print(?:ed)?\s+Name)\s*:|/s/|_{4,}",
    re.IGNORECASE,
)
_ANNEX = re.compile(
    r"(?:EXHIBIT|Exhibit|SCHEDULE|Schedule|ANNEX|Annex|APPENDIX|Appendix|ATTACHMENT|Attachment)"
    r"\b"
)
_ARTIFACT = re.compile(
    r"[-–—]?\s*(?:[A-Z]{1,2}\s*-\s*)?\d{1,4}\s*[-–—]?"
    r"|(?:Page|PAGE)\s+\d{1,4}(?:\s+(?:of|OF)\s+\d{1,4})?"
    r"|\d{1,4}\s+of\s+\d{1,4}"
    r"|Source:\s.{0,200}"
    r"|[ivxlc]{1,6}|[-–—]\s*[ivxlc]{1,6}\s*[-–—]"
    r"|(?:Table of Contents|TABLE OF CONTENTS)"
)
_LINE = re.compile(r"[^\n]+")


def is_page_furniture(text: str, start: int, end: int) -> bool:
    """Whether the line text[start:end] (trimmed) is page furniture: a page number, "Page 2 of
    9", a filing's "Source: ..." footer, a roman folio, a "Table of Contents" running head."""
    return _ARTIFACT.fullmatch(text, start, end) is not None


_AND_OR_END = re.compile(r"[;,]\s*(?:and|or)$")
_SMALL = frozenset(
    _split("a an and as at by for from in into of on or the to with under upon vs via per")
)
_ROMANS = frozenset(
    _split("i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx")
)
_CONNECT_END = re.compile(r"(?:\b(?:and|or|the|of|to|in|for|by|with|a|an)|[,;\-–])\s*$", re.I)


@dataclass
class _Cut:
    pos: int
    prio: int  # higher wins when two candidates share a position
    kind: str  # "marker" | "definition" | "signature" | "heading" | "paragraph"
    group: str | None = None  # marker group
    marker: str | None = None
    head_end: int = 0  # end of marker + inline heading (content starts after this)
    heading: str | None = None


def _prev_char(text: str, p: int) -> tuple[str, str]:
    """The last non-whitespace character before `p` and the whitespace gap before `p`."""
    j = p - 1
    while j >= 0 and text[j] in _WS:
        j -= 1
    return (text[j] if j >= 0 else ""), text[j + 1 : p]


def _effective_prev(text: str, p: int) -> tuple[str, str]:
    """Like `_prev_char`, but looks through closing quotes and brackets to the punctuation."""
    c, gap = _prev_char(text, p)
    j = p - 1 - len(gap)
    k = j
    while k >= 0 and text[k] in "\"”’')]":
        k -= 1
    if k < j and k >= 0 and text[k] in ".;:":
        return text[k], gap
    return c, gap


def _next_char(text: str, p: int) -> str:
    n = len(text)
    while p < n and text[p] in " \t\u00a0":
        p += 1
    return text[p] if p < n else "\n"


def _title(words: str) -> str:
    """Normalise a heading: collapse spaces, strip trailing punctuation, de-shout capitals."""
    s = " ".join(words.split()).strip(" .:;-–—")
    if s and sum(ch.isupper() for ch in s) >= 0.7 * sum(ch.isalpha() for ch in s):
        out = []
        for i, w in enumerate(s.split(" ")):
            lw = w.lower()
            if i and lw in _SMALL:
                out.append(lw)
            else:
                out.append(lw[:1].upper() + lw[1:])
        s = " ".join(out)
    return s


def _word_is_caps(w: str) -> bool:
    letters = [ch for ch in w if ch.isalpha()]
    return (bool(letters) and all(ch.isupper() for ch in letters)) or w in {"&", "-", "–", "—"}


def _inline_heading(text: str, p: int, line_end: int) -> tuple[str | None, int]:
    """A heading right after a marker ending at `p`: "GOVERNING LAW." or "Governing Law."

    Returns (heading, end offset of the heading) or (None, p).
    """
    words = list(re.finditer(r"\S+", text[p : min(line_end, p + 160)]))
    if not words:
        return None, p
    first = words[0].group()
    if first[:1] in _QUOTES_OPEN and not first[:1].isalpha():
        return None, p
    caps = _word_is_caps(first) and sum(ch.isalpha() for ch in first) >= 1
    taken: list[re.Match[str]] = []
    terminated = False
    for w in words[:12]:
        s = w.group()
        alpha = [ch for ch in s if ch.isalpha()]
        if caps:
            ok = _word_is_caps(s) or (not alpha and len(s) <= 3)
        else:
            ok = (
                (alpha and s[0].isupper())
                or s.lower().strip(",") in _SMALL
                or s in {"&", "-", "–", "—"}
            )
        if not ok:
            break
        taken.append(w)
        if s[-1] in ".:" and s.lower() not in _ABBR and not _DOTTED.fullmatch(s):
            terminated = True
            break
        if s[-1] in ".:" and caps:
            terminated = True
            break
    if not taken:
        return None, p
    rest_i = len(taken)
    nxt = words[rest_i].group() if rest_i < len(words) else None
    last_end = p + taken[-1].end()
    gap_after = text[last_end : p + words[rest_i].start()] if nxt is not None else ""
    if not terminated and nxt is not None:
        terminated = (
            len(gap_after) >= 2
            or (caps and (nxt[0].isupper() or nxt[0] in '"“(') and len(taken) < 12)
            or (not caps and nxt[0] in '"“')
        )
    elif nxt is None:
        terminated = True
    if not terminated:
        return None, p
    head = text[p:last_end]
    letters = sum(ch.isalpha() for ch in head)
    last_word = taken[-1].group().strip(".:").lower()
    if letters < 3 or len(head) > 100 or (not caps and last_word in _SMALL):
        return None, p
    if not caps and len(taken) > 8:
        return None, p
    if caps and len(taken) == 1 and nxt is not None and nxt[0].islower():
        return None, p
    return _title(head), last_end


def _is_heading_line(s: str) -> bool:
    if len(s) > 80 or len(s) < 3 or s[-1] in ",;" or _CONNECT_END.search(s):
        return False
    letters = [ch for ch in s if ch.isalpha()]
    if len(letters) < 3 or sum(ch.isdigit() for ch in s) > 4:
        return False
    if all(ch.isupper() for ch in letters):
        return True
    words = s.rstrip(".:").split()
    if len(words) > 8:
        return False
    return all(w[0].isupper() or not w[0].isalpha() or w.lower() in _SMALL for w in words)


def _collect_cuts(text: str) -> list[_Cut]:
    cuts: list[_Cut] = []
    # --- lines: paragraphs, headings, page furniture ------------------------------------
    lines: list[tuple[int, int, bool, bool]] = []  # (start, end, after_blank, artifact)
    prev_end = 0
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s] in _WS:
            s += 1
        while e > s and text[e - 1] in _WS:
            e -= 1
        if s == e:
            continue
        after_blank = text.count("\n", prev_end, s) >= 2
        artifact = is_page_furniture(text, s, e)
        lines.append((s, e, after_blank, artifact))
        prev_end = e
    last_real = -1  # index of the previous non-artifact line
    artifact_between = False
    for i, (s, e, after_blank, artifact) in enumerate(lines):
        if artifact:
            artifact_between = True
            continue
        prev_last = text[lines[last_real][1] - 1] if last_real >= 0 else ""
        first = text[s]
        continuation = first.islower() or (
            artifact_between and prev_last != "" and (prev_last.islower() or prev_last in ",-")
        )
        if (after_blank or artifact_between) and not continuation:
            cuts.append(_Cut(s, 1, "paragraph"))
        # stand-alone heading lines
        prev_ok = last_real < 0 or after_blank or prev_last in '.:;"”)' or artifact_between
        line = text[s:e]
        if prev_ok and not continuation and _is_heading_line(line) and not _MARKER.match(line):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            caps_para = (
                nxt is not None
                and not nxt[2]
                and nxt[1] - nxt[0] > 50
                and text[nxt[0] : nxt[1]].upper() == text[nxt[0] : nxt[1]]
                and (e - s) > 40
            )
            if not caps_para:
                cuts.append(_Cut(s, 3, "heading", heading=_title(line)))
                if nxt is not None and not nxt[3]:
                    cuts.append(_Cut(nxt[0], 1, "paragraph"))
        if _SIG_LINE.match(text, s, e) and (after_blank or artifact_between):
            cuts.append(_Cut(s, 2, "signature"))
        last_real = i
        artifact_between = False
    line_ends = [ln[1] for ln in lines]
    # --- numbering markers ----------------------------------------------------------------
    for m in _MARKER.finditer(text):
        group = m.lastgroup or ""
        tok = m.group()
        p = m.start()
        c, gap = _effective_prev(text, p)
        strong = c == "" or "\n" in gap or len(gap) >= 2
        nc = _next_char(text, m.end())
        alone = nc in "\r\n"
        if group in ("paren", "rparen", "bullet"):
            pass
        elif not (alone or nc.isupper() or nc in "\"“‘'(["):
            continue
        if group == "letter" and tok[0].islower() and not strong:
            continue
        if strong:
            if c and (c.islower() or c in ",-–"):
                # a hard wrap, unless a list item follows "; and" / "; or"
                tail = text[max(0, p - 40) : p].rstrip()
                if not (group in ("paren", "rparen") and _AND_OR_END.search(tail)):
                    continue
        else:
            if c not in ".:;":
                continue
            if group in ("paren", "rparen", "bullet") and c != ".":
                continue
        li = bisect.bisect_left(line_ends, m.end())
        line_end = line_ends[li] if li < len(line_ends) else len(text)
        heading, head_end = _inline_heading(text, m.end(), line_end)
        if heading is None and alone and li + 1 < len(lines):
            ns, ne = lines[li + 1][0], lines[li + 1][1]
            if ne - ns <= 80 and _is_heading_line(text[ns:ne]) and not _MARKER.match(text, ns):
                heading, head_end = _title(text[ns:ne]), ne
        cuts.append(_Cut(p, 5, "marker", group, tok, max(head_end, m.end()), heading))
    # --- definitions ----------------------------------------------------------------------
    for m in _DEF_START.finditer(text):
        p = m.start()
        d = _DEF.match(text, p)
        if d is None:
            continue
        c, gap = _effective_prev(text, p)
        strong = c == "" or "\n" in gap or len(gap) >= 2
        if not (c in ".:;" or (strong and not (c and (c.islower() or c in ",-")))):
            continue
        cuts.append(_Cut(p, 4, "definition"))
    # --- signature blocks -------------------------------------------------------------------
    for m in _WITNESS.finditer(text):
        p = m.start()
        c, gap = _effective_prev(text, p)
        if c in ("", ".", ":", ";") or "\n" in gap or len(gap) >= 2:
            cuts.append(_Cut(p, 6, "signature"))
    return cuts


def _marker_style(group: str, tok: str, stack: list[dict[str, object]]) -> str:
    core = tok.strip("().")
    if group == "paren":
        if core.isdigit():
            return "dparen"
        low = core.lower()
        upper = core.isupper()
        style_letter = "Uparen" if upper else "lparen"
        style_roman = "Rparen" if upper else "rmparen"
        if low in _ROMANS:
            for ent in reversed(stack):
                if ent["style"] == style_letter:
                    last = str(ent["last"]).lower()
                    if len(low) == 1 and len(last) == 1 and ord(low) == ord(last) + 1:
                        return style_letter
                    break
            if len(low) == 1 and low not in "ivx":
                return style_letter
            return style_roman
        return style_letter
    if group == "rparen":
        return "dr" if core.isdigit() else "lr"
    if group == "letter":
        if len(core) > 1:
            return "Rdot"
        if core.islower():
            return "ldot"
        if core in "IVX":
            for ent in reversed(stack):
                if ent["style"] == "Udot":
                    last = str(ent["last"])
                    if len(last) == 1 and ord(core) == ord(last) + 1:
                        return "Udot"
                    break
            if core == "I" and not any(e["style"] == "Udot" for e in stack):
                return "Rdot"
        return "Udot"
    return group


def _number(group: str, tok: str) -> str | None:
    tok = tok.strip()
    if group == "article":
        return "Article " + tok.split()[-1].rstrip(".")
    if group == "section":
        return "Section " + tok.split()[-1].rstrip(".")
    if group in ("num", "letter"):
        return tok.rstrip(".")
    if group == "bullet":
        return None
    return tok


def segment(text: str) -> list[Segment]:
    """Cut `text` into structural segments that tile its non-whitespace characters."""
    n = len(text)
    first = 0
    while first < n and text[first] in _WS:
        first += 1
    if first >= n:
        return []
    cuts = _collect_cuts(text)
    best: dict[int, _Cut] = {}
    for cut in cuts:
        old = best.get(cut.pos)
        if old is None or cut.prio > old.prio:
            best[cut.pos] = cut
    if first not in best:
        best[first] = _Cut(first, 0, "paragraph")
    ordered = sorted(best.values(), key=lambda c: c.pos)
    # Drop cuts that fall inside a marker's own head (marker + inline heading + whitespace);
    # a definition right after a marker makes the marker's segment a definition.
    kept: list[_Cut] = []
    def_after: set[int] = set()
    for cut in ordered:
        if kept and kept[-1].kind == "marker":
            head = kept[-1]
            content = head.head_end
            while content < n and text[content] in _WS:
                content += 1
            if cut.pos < content or (cut.pos == content and cut.kind != "marker"):
                if cut.kind == "definition":
                    def_after.add(head.pos)
                continue
        kept.append(cut)

    segments: list[Segment] = []
    stack: list[dict[str, object]] = []  # open numbering levels
    in_signature = False
    seen_section = False
    context_heading: str | None = None
    for i, cut in enumerate(kept):
        start = cut.pos
        end = kept[i + 1].pos if i + 1 < len(kept) else n
        while end > start and text[end - 1] in _WS:
            end -= 1
        if end <= start:
            continue
        kind: SegmentKind = "paragraph"
        level = 0
        number: str | None = None
        heading: str | None = cut.heading
        if cut.kind == "marker" and cut.group and cut.marker:
            group, tok = cut.group, cut.marker
            number = _number(group, tok)
            style = _marker_style(group, tok, stack)
            if group in ("article", "section", "num") and number is not None:
                core = number.split()[-1]
                depth = core.count(".") + core.count("(")
                has_article = any(e["style"] == "article" for e in stack)
                if group == "article":
                    level = 0
                elif has_article:
                    level = max(1, depth)
                else:
                    level = depth
                stack = [
                    e
                    for e in stack
                    if e["style"] in ("article", "num", "section") and int(str(e["level"])) < level
                ]
                if group != "num" or not number.isalpha():
                    seen_section = True
                if level == 0 or group == "article":
                    context_heading = None
                if in_signature and level == 0:
                    in_signature = False
            else:
                found = None
                for k in range(len(stack) - 1, -1, -1):
                    if stack[k]["style"] == style:
                        found = k
                        break
                if found is not None:
                    level = int(str(stack[found]["level"]))
                    stack = stack[:found]
                else:
                    level = int(str(stack[-1]["level"])) + 1 if stack else 0
            parent_heading = None
            for ent in reversed(stack):
                if ent["heading"]:
                    parent_heading = str(ent["heading"])
                    break
            stack.append(
                {
                    "style": style,
                    "level": level,
                    "last": tok.strip("()."),
                    "heading": heading or parent_heading,
                }
            )
            if heading is None:
                heading = parent_heading or context_heading
            content = cut.head_end
            while content < end and text[content] in _WS:
                content += 1
            if in_signature:
                kind = "signature"
            elif cut.pos in def_after or _DEF.match(text, content, end):
                kind = "definition"
            elif seen_section:
                kind = "section"
            else:
                kind = "preamble"
        elif cut.kind == "signature" or in_signature:
            seg_text = text[start:end]
            if cut.kind == "heading" and _ANNEX.match(seg_text):
                in_signature = False
                kind = "heading"
                context_heading = heading
            else:
                kind = "signature"
                if cut.kind == "signature" and _WITNESS.match(seg_text):
                    in_signature = True
        elif cut.kind == "heading":
            kind = "heading"
            context_heading = heading
            stack = [e for e in stack if e["style"] == "article"]
        elif cut.kind == "definition":
            kind = "definition"
            heading = context_heading
            if stack:
                level = int(str(stack[-1]["level"])) + 1
                heading = heading or next(
                    (str(e["heading"]) for e in reversed(stack) if e["heading"]), None
                )
        else:
            kind = "paragraph" if seen_section else "preamble"
            heading = context_heading
        if kind == "signature":
            heading = None
        segments.append(
            Segment(
                index=len(segments),
                start=start,
                end=end,
                kind=kind,
                level=level,
                number=number,
                heading=heading,
                text=text[start:end],
            )
        )
    return segments


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------

_SENT_END = re.compile(r"[.!?][)\"”’']*(?=\s+[(\[\"“‘']?[A-Z0-9])")
_ABBR = frozenset(
    _split(
        """inc. corp. ltd. co. l.l.c. llc. l.p. lp. u.s. u.s.a. u.k. no. nos. sec. secs. e.g. i.e.
    etc. mr. mrs. ms. dr. st. jr. sr. art. arts. para. paras. par. ex. exh. vs. v. cf. approx.
    jan. feb. mar. apr. jun. jul. aug. sep. sept. oct. nov. dec. s.a. n.v. b.v. p.c. plc.
    ave. blvd. rd. ste. fl. dept. assn. bros. pty. pte. a.m. p.m. n.a. inc.. co.. cal. civ.
    stat. ann. reg. regs. ch. cl. sch. pp. p. fig. vol. op. ref. est. int'l. int’l. govt.
    gov't. mfg. mgmt. svcs. tel. fax. attn. min. max. incl. approx. ft. sq. yr. yrs. mo. mos.
    hrs. hr. wk. wks. ed. rev. amend. subsec. subd. cir. supp. f. u.s.c. c.f.r."""
    )
)
_REF_WORDS = frozenset(
    _split(
        "exhibit schedule annex appendix attachment section article clause part paragraph "
        "item class series tranche"
    )
)
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+")
_NUMTOK = re.compile(r"\(?\d{1,3}(?:\.\d{1,3})*\.")
_ENUM = re.compile(
    r"[;:]\s+(?:(?:and|or|and/or)\s+)?(?=\((?:[a-z]{1,2}|[ivx]{1,5}|\d{1,2}|[A-Z])\)\s)"
)
_LONG_ITEM = 400


def _no_split_at(text: str, dot: int, s: int) -> bool:
    """True when the period at `dot` is not a sentence end (abbreviation, initial, marker)."""
    ts = dot
    while ts > s and text[ts - 1] not in _WS:
        ts -= 1
    tok = text[ts : dot + 1].lstrip("(\"“‘'[")
    low = tok.lower()
    if low in _ABBR:
        return True
    if _DOTTED.fullmatch(tok):
        if len(tok) == 2:
            # a single letter: an initial ("John A. Smith") unless it names an exhibit etc.
            j = ts - 1
            while j > s and text[j] in _WS:
                j -= 1
            k = j
            while k > s and text[k - 1] not in _WS:
                k -= 1
            prev_word = text[k : j + 1].lower().strip('("“,')
            return prev_word not in _REF_WORDS
        return True
    if _NUMTOK.fullmatch(tok):
        c, _gap = _prev_char(text, ts)
        if ts <= s or c in ":;." or c == "":
            return True
    return False


def _split_long_items(text: str, a: int, b: int) -> list[tuple[int, int]]:
    if b - a <= _LONG_ITEM:
        return [(a, b)]
    points = [m.end() for m in _ENUM.finditer(text, a, b)]
    if not points:
        return [(a, b)]
    bounds = [a, *points, b]
    pieces = [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]
    out: list[tuple[int, int]] = []
    cur_start = a
    for k in range(1, len(pieces)):
        left, right = pieces[k - 1], pieces[k]
        if left[1] - left[0] > _LONG_ITEM or right[1] - right[0] > _LONG_ITEM:
            cut = right[0]
            e = cut
            while e > cur_start and text[e - 1] in _WS:
                e -= 1
            if e > cur_start:
                out.append((cur_start, e))
                cur_start = cut
    out.append((cur_start, b))
    return out


def _head_end(seg: Segment, text: str) -> int:
    """End of the segment's own numbering marker, so its period is not a sentence end."""
    m = _MARKER.match(text, seg.start, seg.end)
    return m.end() if m else seg.start


def sentences(text: str, segments: list[Segment]) -> list[Sentence]:
    """Split every segment into sentences; each sentence lies within one segment."""
    out: list[Sentence] = []
    for seg in segments:
        s, e = seg.start, seg.end
        head = _head_end(seg, text)
        spans: list[tuple[int, int]] = []
        cur = s
        for m in _SENT_END.finditer(text, s, e):
            dot = m.start()
            if dot < head:
                continue
            if text[dot] == "." and _no_split_at(text, dot, s):
                continue
            end = m.end()
            if end <= cur:
                continue
            spans.append((cur, end))
            cur = end
            while cur < e and text[cur] in _WS:
                cur += 1
        if cur < e:
            spans.append((cur, e))
        for a, b in spans:
            for x, y in _split_long_items(text, a, b):
                out.append(Sentence(start=x, end=y, segment=seg.index))
    return out
