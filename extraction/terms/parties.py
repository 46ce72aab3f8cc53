"""Contracting parties and their defined roles, read from the preamble or the signature blocks.

A party is read only where a contract says who contracts:

* the preamble: "... by and between X, a Delaware corporation ("Company"), and Y ("Vendor")",
  "made by X ... and Y", "by and among" lists, numbered lists ("(1) X ...; and (2) Y"),
  preambles spread over several lines, and "Party A: X" header lines;
* failing that, the signature blocks: an entity's name right above a "By:" line.

A contract with neither gets no parties: a wrong party is worse than none, because the archive
narrows searches and filters by them. Each name must look like a name (capitalised words, no
clause words such as "dated", "shall", "referred", no times of day, not a bare role word such as
"Provider and the Company"); a spaCy Matcher over the name's tokens finds entity suffixes
(Inc., LLC, GmbH, ...), and the role Matcher in `context` maps the defined term to a role.
Header label lines, openings without a "between" cue and defined terms are read in `defined`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extraction.jurisdictions import canonical
from extraction.terms.context import _Ctx, _pipeline, _trim
from extraction.terms.defined import (
    _ALIAS,
    _ALIAS_SKIP,
    _NOT_PARTY_TERM,
    _PREAMBLE_END,
    _alias_names,
    _alias_text,
    _defined_name,
    _from_defined,
    _from_labels,
    _sentence_ends,
)
from extraction.terms.layout import without_furniture
from extraction.terms.letters import from_to_lines, with_addressee
from extraction.terms.names import (
    _ENTITY_SUFFIXES,
    _NAME_CUT,
    _SUFFIX_RE,
    _clean_name,
    _Party,
    _plain_words,
    _rules,
    valid_name,
)
from extraction.terms.signatures import signatories

_SCAN = 6000  # a preamble starts within the first characters of a contract
_WINDOW = 2500  # and names its parties within this many characters of its cue

# Cues that introduce the list of parties. "between"/"among" need an agreement word before them
# (within _CUE_CONTEXT chars) so that "the entire agreement between Distributor and NETGEAR"
# deep in a body is not a preamble; a "BETWEEN:" line on its own is one.
_CUE = re.compile(
    r"\b(?:by\s+and\s+)?(?:between|among|amongst)\b(?:\s+the\s+following\s+parties)?\s*:?"
    r"|\b(?:made|entered\s+into|executed|concluded)(?:\s+and\s+(?:entered\s+into|executed))?"
    r"(?:\s+(?:as\s+of|on|effective)\s+[^.;()]{0,60}?)?,?\s+by\s+(?!and\b)(?=[A-Za-z\"“(\d])"
    r"|(?:^|\n|[ \t]{3})[ \t]*(?:THE\s+)?PARTIES\s*:?[ \t]*(?=\n|[ \t]{3})"
    r"|\bParties\s+to\s+this\b[^\n]{0,40}(?=\n)|\bB\sE\sT\sW\sE\sE\sN\s*:?",
    re.I,
)
_CUE_CONTEXT = 400
_AGREEMENT_WORD = re.compile(
    r"\b(?:agreement|contract|amendment|addendum|memorandum|licen[cs]e|lease|deed|made|entered"
    r"|dated|executed|arrangement|understanding|guarantee|guaranty|indemnity|undertaking)\b",
    re.I,
)
_BODY_BEFORE = re.compile(r"\n\s*(?:\d+(?:\.\d+)*\.?|ARTICLE|Section)\s+[A-Z]")

# Separators between parties at the top level (outside parentheses)
_SEP_HARD = re.compile(
    r";\s*(?:and\s+)?|\n\s*-?\s*(?:AND|And|and)\s*:?\s*-?\s*(?=\n)|\b(?:AND|And)\s*:\s*|\s-+\s*(?:and|AND)\s*-+\s"
    r"|(?:^|\n)\s*(?:\(\s*(?:\d{1,2}|[a-h]|i{1,3}|iv|v)\s*\)|\d{1,2}\s*[.)]|(?:i{1,3}|iv|v|vi{1,3})\))"
    r"\s+(?=\S)"
    # a person whose services a party lends, a party's principal: 'Marine MP, LLC ("Lender"),
    # for services of Arnold Roe ("Endorser")', 'Speakers Ltd ("CSA") agent for Jo Fowler'
    r"|,?\s+(?:f/s/o|for\s+(?:the\s+)?services\s+of|(?:as\s+)?agent\s+for)\s+(?=[A-Z])"
    # a deed's beneficiary: "made by Acme Ltd (the "Guarantor") in favour of Beta Bank plc"
    r"|,?\s+in\s+favou?r\s+of\s+(?:the\s+)?(?=[A-Z])"
)
# an entity suffix written after a comma, which does not end the name ("Acme, Inc.", "Roe
# Dental Group, P.C.", "Kern Partners, LLP")
# ("ACME HOLDINGS, INC." in capitals too)
_TRAILING_SUFFIX = (
    r"(?:Inc|Ltd|LLC|L\.L\.C|Corp|Co|Limited|LP|L\.P|LLP|L\.L\.P|PLC|PLLC|P\.C|PC|P\.A|GmbH|AG"
    r"|KG|S\.A|SA|S\.p\.A|S\.r\.l|N\.V|B\.V|FSB|N\.A|Pty|Pte|Bhd"
    r"|INC|LTD|CORP|CO|LIMITED|GMBH|PTY|PTE|BHD)\b"
)
# "a (contractual) joint venture comprised of Gale LLC (...) and Hail LLC": a party that is
# the entities that follow
_MADE_OF = r"an?\s+(?:[\w-]+\s+){0,3}(?:comprised|composed|consisting|made\s+up)\s+of\b"
_SEP_AND = re.compile(
    r",?\s+(?:and|AND|And|&),?\s+(?:-{2,}\s+)?(?:\(\s*(?:[a-h]|[1-9]|i{1,3}|iv)\s*\)\s+)?"
    r"(?:the\s+|THE\s+)?(?=[\"“(]?[A-Z0-9]|[a-z]+[A-Z.]"
    rf"|{_MADE_OF})"
    rf"|,\s+(?!{_TRAILING_SUFFIX})(?=[A-Z])"
    r"|(?<=\))\s+(?=[A-Z])(?!(?:Inc|INC|Ltd|LTD|LLC|Limited|LIMITED|Corp|CORP|PLC|GmbH|AG|SA)\b)"
)
_LEAD = re.compile(
    r"(?:\s|[,:;.]|\band\b|\bAND\b|\bthe\s+following\s+parties\b"
    r"|\(\s*(?:\d{1,2}|[a-h]|i{1,3}|iv|v)\s*\)|\d{1,2}\s*[.)](?=\s)|(?:i{1,3}|iv|v|vi{1,3})\)(?=\s)"
    r"|Party\s+[A-D12]\s*[:：]|BY\s*:|[●•▪◦]|on\s+the\s+(?:one|other)\s+hand\b"
    rf"|{_MADE_OF}"
    # an honorific before a firm's name: "M/s. Robin Exports Pvt. Ltd.", "Messrs. Roe & Co."
    r"|M/[sS]\.?(?=\s)|Messrs\.?(?=\s)"
    # a heading line above the list: "PARTIES", "Parties to this agreement"
    r"|(?i:(?:the\s+)?parties(?:\s+to\s+th(?:is|e)\s+(?:agreement|contract))?)\s*:?[ \t]*\n)+"
)
# "Acme Inc., as Borrower": matched at the name's end with .match(text, pos) (a \A would
# never match there: it anchors at the start of the whole text)
_AS_ROLE = re.compile(r",?\s+as\s+(?P<r>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?)")
_SUFFIX_COMMA = re.compile(
    r"\b(?i:Inc|Ltd|LLC|Corp|LP|plc|PLC|AG|S\.A|SA|BV|NV|Corporation|Company|Limited|Incorporated"
    rf"|GmbH)\.?(?=,\s+(?:\d|[A-Z](?!(?i:{_TRAILING_SUFFIX}))))"
)  # "Acme Inc., Sommerville House, ...", "SAGEM S.A., Departement Morpho": the name has ended
_SUFFIX_LINE_END = re.compile(rf"\b{_SUFFIX_RE}(?=[ \t]*\n|[ \t]{{3,}})")
_SUFFIX_DIGIT = re.compile(
    rf"\b{_SUFFIX_RE}(?=,?\s+\d|\s+of\s|,?\s+(?:[A-Z][\w.'-]*,?\s+){{1,4}}(?:No\.\s*)?\d)"
    r"|\b(?:[A-Z]{2,}\s+)+(?:INC|LTD|LLC|CORP|LIMITED|CORPORATION|COMPANY|PLC|AG|SA|GMBH)\.?"
    r"(?=\s+(?:a|an)\s+[A-Z])"
)  # "ACME INC. 2nd Floor, ...", "ACME AG Hauptstr. 25", "ACME INC a Nevada corporation"


def _top_level_splits(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """Cut text[s:e] into party slots at separators outside parentheses and quotes."""
    depth = 0
    opens = [0] * (e - s + 1)
    for i in range(s, e):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        opens[i - s] = depth
    cuts: list[tuple[int, int]] = []
    for m in _SEP_HARD.finditer(text, s, e):
        if opens[m.start() - s] == 0:
            cuts.append((m.start(), m.end()))
    slots: list[tuple[int, int]] = []
    pos = s
    for a, b in [*sorted(cuts), (e, e)]:
        if a < pos:
            continue
        slots.extend(_split_and(text, pos, a, opens, s))
        pos = b
    return [(a, b) for a, b in slots if text[a:b].strip()]


def _split_and(text: str, s: int, e: int, opens: list[int], base: int) -> list[tuple[int, int]]:
    """Split a slot at ", and" / " and " once the name before it has ended (a description,
    a defined term or an entity suffix): "Louisville Gas and Electric Company" stays whole."""
    out: list[tuple[int, int]] = []
    pos = s
    for m in _SEP_AND.finditer(text, s, e):
        if m.start() < pos or opens[m.start() - base] != 0:
            continue
        before = text[pos : m.start()]
        ended = (
            "(" in before
            or re.search(r",\s", before)
            # ... "Licensor" / "NLS" / [“NLS”]
            or re.search(r"[\"“”][^\"“”]{1,40}[\"“”]\s*\]?\s*$", before)
            # an ampersand within a line joins one name ("Lakeside Bank & Trust Company")
            or (
                ("&" not in m.group(0) or "\n" in m.group(0))
                and _rules().has_suffix(before.strip().rstrip(","))
                and not _name_goes_on(text, before, m.end(), e)
            )
        )
        if not m.group(0).strip() and _bracket_in_name(before, text[m.end() : e]):
            continue
        if m.group(0).startswith(",") and not re.search(r"and|&", m.group(0), re.I):
            # a bare comma separates parties only in a list of entity names: the name after it
            # ends in an entity suffix ("Acme Inc., Beta LLC", "X ("Buyer"), an Ohio
            # corporation, Beta Oils Ltd., a company ..."), not a description ("SAGEM S.A.,
            # Departement Morpho", "ROE INC., Businessperson,") or a state ("Carson City, NV")
            head = before.strip()
            suffixed = re.match(
                rf"(?:(?:[A-Z][\w&.'’-]*|&),?\s+){{0,6}}{_SUFFIX_RE}(?!\w)", text[m.end() : e]
            )
            if suffixed and re.search(
                r",\s*(?!LP|SA|AG|BV|AB|KG|PC)[A-Z]{2}\.?$", suffixed.group(0)
            ):
                suffixed = None
            # "by and among PSS, PSS Merger Corp. and ...": a term defined earlier
            defined = re.fullmatch(r"[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,2}", head) and re.search(
                rf"[\"“]{re.escape(head)}[\"”]", text[:pos]
            )
            head_ok = (
                (_rules().has_suffix(head) and valid_name(head))
                or head.endswith(")")
                or "(" in head
                or defined
            )
            if not (head_ok and suffixed):
                continue
            ended = ended or bool(defined)
        if not ended or len(before.strip()) < 2:
            continue
        left = re.search(r"(\S+)\s*$", text[pos : m.start()])
        right = re.match(r"\s*([A-Z][\w.-]*)", text[m.end() : e])
        if left and right and canonical(f"{left.group(1)} and {right.group(1)}"):
            continue  # "England and Wales": a jurisdiction in a description
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, e))
    return out


def _name_goes_on(text: str, before: str, after: int, e: int) -> bool:
    """An "and" inside a name: after its entity word ("Institute of Soil and Water Studies",
    the words after it make no party of their own) or between two entity words ("Tamarind
    Bank and Trust Company")."""
    last = _plain_words(before)[-1:]
    if not last:
        return False
    if last[0] in _ENTITY_SUFFIXES:
        # "Tamarind Bank and Trust Company": entity words alone after the "and"
        run = _CAP_RUN.match(text, after, e)
        words = [w for w in _plain_words(run.group(0) if run else "") if w not in _CONNECTORS]
        return bool(words) and all(w in _ENTITY_SUFFIXES for w in words)
    return _read_slot(text, after, e) is None


_CAP_RUN = re.compile(r"[A-Z][\w.&-]*(?:\s+(?:(?:of|and|the|for|&)\s+)?[A-Z][\w.&-]*)*")
_CONNECTORS = frozenset({"of", "and", "the", "for"})


# a bracketed word inside a legal name: "Lotus (Suzhou) Trading Co., Ltd.", "Kite (BVI) Holdings
# Limited"; not a bare defined term after a complete name ("Acme Inc. (Acme) Beta LLC ...")
_BRACKET_END = re.compile(r"\(\s*[A-Z][A-Za-z .]{0,20}\)\s*$")
_SUFFIXED_RUN = re.compile(rf"(?:[A-Z][\w.,&'-]*\s+){{0,6}}?{_SUFFIX_RE}(?!\w)")


def _bracket_in_name(before: str, after: str) -> bool:
    """Whether a split right after a bracket would cut a name that goes on past it."""
    bracket = _BRACKET_END.search(before)
    if bracket is None or not _SUFFIXED_RUN.match(after):
        return False
    head = before[: bracket.start()].strip()
    return bool(head) and not _rules().has_suffix(head) and not re.search(r"[\"“”(;,]", head)


# A party named without an entity suffix or a defined term, described in the preamble as one:
# "Dana Whitlock, an individual residing at", "HARBOUR LIGHT STUDIOS, located at 5 Mesa Road",
# "Pemberton & Cole, with offices at"
_ADDRESSED = re.compile(
    r"['’]?,?\s+(?:an?\s+individual\b|(?:an?\s+)?(?:individual\s+)?residing\s+at\b"
    r"|(?:located|domiciled)\s+at\b|whose\s+(?:principal\s+|registered\s+)?(?:address|office)"
    r"|(?:with|having)\s+(?:its|an?|their)?\s*(?:principal\s+|registered\s+)?(?:offices?|address"
    r"|place\s+of\s+business)\s+(?:at|located\s+at)\b)"
)


_GENERIC_NEXT = re.compile(r",\s*and\s+(?:the|each|any|all|such)\s+[a-z]")


def _read_slot(text: str, s: int, e: int) -> _Party | None:
    lead = _LEAD.match(text, s, e)
    if lead:
        s = lead.end()
    s, e = _trim(text, s, e)
    if s >= e:
        return None
    cut = _NAME_CUT.search(text, s, e)
    ne = cut.start() if cut and cut.start() > s + 1 else e
    sm = _SUFFIX_COMMA.search(text, s, ne)
    if sm:
        ne = sm.end()
    sl = _SUFFIX_LINE_END.search(text, s, ne) or _SUFFIX_DIGIT.search(text, s, e)
    if sl and sl.end() <= ne:
        ne = sl.end()
    ns, ne = _trim(text, s, ne)
    while ne > ns and text[ne - 1] in ",;:":
        ne -= 1
    if ne > ns and text[ne - 1] == "." and not re.search(rf"\b{_SUFFIX_RE}$", text[ns:ne]):
        ne -= 1
    if text[ns : ns + 4].lower() == "the " and not text[ns].isupper():
        ns += 4
    name = _clean_name(text[ns:ne])
    if not valid_name(name):
        return None
    alias = None
    role = None
    pipe = _pipeline()
    suffix = _rules().has_suffix(name)
    if not suffix and re.match(r"[ \t]*:", text[ne : ne + 4]):
        return None  # a heading or a label ("8. Personnel:"), not a name
    last = ne
    for am in _ALIAS.finditer(text, ne, e):
        if alias and re.search(r"\band\b|;", text[last : am.start()]):
            break  # the next party's term: 'Acme ("Acme") and the customer ("Customer")'
        if _GENERIC_NEXT.search(text, last, am.start()):
            break  # 'Acme Inc., a Delaware corporation, and the undersigned customer ("Customer")'
        last = am.end()
        a = _alias_text(am)
        if not a or _ALIAS_SKIP.match(a) or _NOT_PARTY_TERM.search(a):
            continue
        alias = alias or a
        role = role or pipe.role_of(a)
        if role:
            break
    described = not suffix and not alias and _ADDRESSED.match(text, ne, e) is not None
    if not suffix and not alias and not described:
        # neither an entity suffix nor a defined term: a heading, a word, or a term defined
        # earlier given a capacity ("between Offshore as Borrower and Guaranty, as Agent")
        return None
    as_role = _AS_ROLE.match(text, ne, e)
    if as_role and not alias:
        alias = as_role.group("r")
        role = pipe.role_of(alias)
    conf = 0.55 + (0.2 if suffix else 0.0) + (0.15 if alias else 0.0)
    if described:
        name = name.rstrip("'’")  # "HARBOUR LIGHT STUDIOS' located at"
        ne = ns + len(name)
    return _Party(ns, ne, name, alias, role, conf)


# "... construed as establishing a partnership or agency relationship between X and Y", "any
# dispute between": body text about the parties, not the list of who contracts
_RELATION_BEFORE = re.compile(
    r"\b(?:relationship|partnership|joint\s+venture|agency|employment|dispute|controversy"
    r"|conflict|inconsistenc\w*|communications?|negotiations?|discussions?|correspondence)"
    r"(?:\s+or\s+\w+){0,2}\s*$",
    re.I,
)

# "... relationship between SDBF and Sponsor or between Padres L.P. and Sponsor"
_RELATION_OR = re.compile(
    r"\b(?:relationship|dispute|controversy)\s+between\b[^.;]{0,80}\bor\s*$", re.I
)

# "... the Joint Use and Management Agreement by and between the City and Padres, L.P. dated
# ...": another document's parties ("the" in lower case and on the cue's line, so not a title,
# "This Agreement" or "Amendment No. 2 to the Maintenance Agreement / BETWEEN"); an amendment
# may name its parties as those of the agreement it amends
_OTHER_AGREEMENT = re.compile(
    r"(?<![\w\"“])(?<!\bto\s)the[ \t]+(?:[A-Z][\w&-]*[ \t]+(?:(?:and|of|for|&)[ \t]+)?){1,6}"
    r"(?:Agreement|Contract)[ \t]+(?:(?:made|entered\s+into|executed|dated\s+[^,;()\n]{0,30}?)"
    r"[ \t]+)?(?:by\s+and[ \t]+)?$"
    # "... issued pursuant to a Unit Agreement (the "Unit Agreement") dated as of ..., among",
    # "guaranteed pursuant to the Guarantee Agreement ... dated as of ..., between", "provided
    # for in an agreement dated ... between": a document the text cites, named with its own
    # parties; not when this agreement's own opening follows the citation ("This Agreement,
    # entered into pursuant to the Purchase Agreement, is made by and between")
    r"|\b(?:pursuant\s+to|under|in\s+accordance\s+with|(?:provided|set\s+out|set\s+forth|described)"
    r"\s+(?:for\s+)?in)\s+(?:a|an|the|that\s+certain)\s+(?:[\w-]+\s+){0,6}(?i:agreement|contract"
    r"|indenture)\b(?:(?!\b(?:is|are|was)\s+(?:made|entered)|\b(?i:this)\s+(?:[\w-]+\s+){0,3}"
    r"(?i:agreement|contract)|\bhereby\b)[^.;]){0,300}$"
)


def _cue_ok(text: str, m: re.Match[str]) -> bool:
    before = text[max(0, m.start() - _CUE_CONTEXT) : m.start()]
    if (
        _RELATION_BEFORE.search(before)
        or _RELATION_OR.search(before)
        or (_OTHER_AGREEMENT.search(before) and not re.search(r"(?i)\bamendment\b", before))
    ):
        return False
    if re.match(
        r"\s*(?:(?:by\s+and\s+)?(?:between|among)|(?:the\s+)?parties)\s*:?\s*$|\s*parties\s+to",
        text[m.start() : m.end()],
        re.I,
    ):
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not text[line_start : m.start()].strip():
            return True  # "BETWEEN:" on a line of its own
    if _BODY_BEFORE.search(before) and not _AGREEMENT_WORD.search(
        before[_BODY_BEFORE.search(before).end() :]  # type: ignore[union-attr]
    ):
        return False
    return bool(_AGREEMENT_WORD.search(before))


# A new opening sentence ends a title's "between" list: "Sponsorship Agreement Between X and Y
# This Agreement is made by and between ...", "AMENDMENT TO THE ... AGREEMENT BETWEEN X AND Y
# This Amendment is entered into ... by and between"
_NEW_OPENING = re.compile(
    r"(?<![\w\"“(])(?:This|THIS)\s+(?:[\w-]+\s+){0,5}?(?:Agreement|AGREEMENT|Contract|CONTRACT"
    r"|Amendment|AMENDMENT|Addendum|ADDENDUM)\b"
)


def _window_end(text: str, start: int) -> int:
    limit = min(len(text), start + _WINDOW)
    end_m = _PREAMBLE_END.search(text, start, limit)
    end = end_m.start() if end_m else limit
    new = _NEW_OPENING.search(text, start, end)
    if new and text[start : new.start()].strip():
        end = new.start()
    for m in _sentence_ends(text, start, end):
        return m.start() + 1
    return end


def _earlier_definition(text: str, s: int, e: int, before: int) -> _Party | None:
    """A slot that is only a defined term ("... by and between Acme Ltd ("Acme") and ACM."),
    read as the name that term was given to earlier in the text ("American Champion Media
    ("ACM") is the host ...")."""
    term = re.fullmatch(
        r"\s*(?:the\s+)?([A-Z][\w&-]*(?:\s+[A-Z][\w&-]*){0,2})\s*[.,;:]?\s*", text[s:e]
    )
    if not term:
        return None
    alias = term.group(1)
    for am in _ALIAS.finditer(text, 0, before):
        a = _alias_text(am)
        if a != alias:
            continue
        found = _defined_name(text, max(0, am.start() - 300), am.start())
        if found is None:
            continue
        name, ns, ne = found
        if _rules().has_suffix(name) or _alias_names(alias, name):
            return _Party(ns, ne, name, alias, _pipeline().role_of(alias), 0.6)
    return None


# An enumerated list of parties inline: "by and among (a) Acme S.A. (...), a company ...; (b)
# Beta Ltd ... and (e) Gamma Limited". Each item names one party; an item's description may
# name other entities ("listed on ... the Stock Exchange of Hong Kong Limited").
_ENUM_LABEL = re.compile(
    r"(?<![\w(])\(\s*([a-h]|[1-9]|i{1,3}|iv|vi{0,3})\s*\)\s*(?=[\"“]?[A-Z0-9])"
)
_ENUM_SERIES = ("abcdefgh", "123456789", ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii"))


def _enumerated_slots(text: str, start: int, end: int) -> list[tuple[int, int]] | None:
    """The items of a list that opens the window with "(a)"/"(1)"/"(i)" and goes on in order,
    two items at least; None when the window is no such list."""
    labels = list(_ENUM_LABEL.finditer(text, start, end))
    if not labels or text[start : labels[0].start()].strip(" \t\n:,"):
        return None
    for series in _ENUM_SERIES:
        if labels[0].group(1) != series[0]:
            continue
        chosen = [labels[0]]
        for m in labels[1:]:
            k = len(chosen)
            if k < len(series) and m.group(1) == series[k]:
                chosen.append(m)
        if len(chosen) < 2:
            return None
        bounds = [m.end() for m in chosen]
        ends = [m.start() for m in chosen[1:]] + [end]
        return list(zip(bounds, ends, strict=True))
    return None


def _read_window(text: str, start: int, end: int) -> list[_Party]:
    found: list[_Party] = []
    items = _enumerated_slots(text, start, end)
    slots = items if items is not None else _top_level_splits(text, start, end)
    for a, b in slots:
        p = _read_slot(text, a, b) or _earlier_definition(text, a, b, start)
        if p and found and _SERVICES_OF.search(text, max(start, a - 30), a):
            q = found[-1]
            if p.alias and not q.alias and _alias_names(p.alias, q.name):
                # "T&B Seminars, Inc. f/s/o Tarek Roe ("T&B")": the defined term is the
                # entity's; the person named for his services has none and is no party
                found[-1] = _Party(q.start, q.end, q.name, p.alias, p.role, q.conf)
                continue
        # the same party named again ("ACME VEHICLES CORP., ("EMV")" of a bilingual text)
        new = p and all(_plain_words(p.name) != _plain_words(q.name) for q in found)
        if p and new and not _tail_of_found(text, p, found):
            found.append(p)
    return found


def _tail_of_found(text: str, p: _Party, found: list[_Party]) -> bool:
    """A party that is the tail of a name already read, cut at its "and" ("THE ARGO FILM AND
    MEDIA CORPORATION" written again further on, read as "MEDIA CORPORATION")."""
    words = _plain_words(p.name)
    for q in found:
        full = _plain_words(q.name)
        head = full[: len(full) - len(words)]
        if len(head) < 2 or full[len(head) :] != words or head[-1] not in {"and", "of", "for"}:
            continue
        if _plain_words(text[max(0, p.start - 3 * len(q.name)) : p.start])[-len(head) :] == head:
            return True
    return False


_SERVICES_OF = re.compile(r"(?:f/s/o|services\s+of|agent\s+for)\s+$")


def _from_preamble(text: str, lo: int = 0, span: int = _SCAN) -> list[_Party]:
    best: list[_Party] = []
    for m in _CUE.finditer(text, lo, min(len(text), lo + span)):
        if not _cue_ok(text, m):
            continue
        end = _window_end(text, m.end())
        found = _read_window(text, m.end(), end)
        if len(found) == 1:
            # the first sentence ended inside an address ("Port Vila. Vanuatu"): read on to
            # the end of the preamble, keeping the first party and the slots right after it
            limit = min(len(text), m.end() + _WINDOW)
            end_m = _PREAMBLE_END.search(text, m.end(), limit)
            wide_end = min(end_m.start() if end_m else limit, end + 600)
            new = _NEW_OPENING.search(text, m.end(), wide_end)
            if new and text[m.end() : new.start()].strip():
                wide_end = new.start()
            wide = _read_window(text, m.end(), wide_end)
            if len(wide) >= 2 and wide[0].name == found[0].name:
                found = wide
        if len(found) >= 2:
            return found[:12]
        if found and not best:
            best = found
    return best


def read_parties(text: str) -> list[_Party]:
    """The parties of a contract (empty when neither a preamble nor signature blocks say),
    read on its text without page furniture; offsets index ``text``."""
    plain = without_furniture(text)
    if plain.text is text:
        return _read_parties(text)
    return [
        replace(p, start=plain.original(p.start), end=plain.original(p.end))
        for p in _read_parties(plain.text)
    ]


def _read_parties(text: str) -> list[_Party]:
    labels = _from_labels(text)
    preamble = _from_preamble(text) or _after_contents(text)
    if labels and len(labels) > len(preamble):
        return labels
    if len(preamble) == 1:
        # "by and between Acme LLC ("Reseller") and the company set forth below ("Company")"
        # followed by a "Company: Beta Inc." line: the label line names the defined party
        head = text[: min(len(text), _SCAN)]
        for q in _from_labels(text, least=1):
            named = re.search(rf"[\"“]{re.escape(q.alias or '')}[\"”]", head)
            first = preamble[0]
            if named and q.alias != first.alias and q.name.lower() != first.name.lower():
                preamble = [*preamble, q]
    if len(preamble) < 2:
        defined = _from_defined(text) or from_to_lines(text, _read_slot)
        if defined:
            return with_addressee(text, defined)
    elif (joined := _joinder(text, preamble[-1].end)) is not None and all(
        joined.name.lower() != q.name.lower() for q in preamble
    ):
        preamble = [*preamble, joined]
    if len(preamble) == 1 and _ON_SIGNATURE_PAGE.search(
        text, preamble[0].end, preamble[0].end + 600
    ):
        # "by and among Acme LLC ("Purchaser") and each other party identified on the signature
        # page hereto": the other parties are the signatories
        own = _plain_words(preamble[0].name)
        signed = signatories(text)
        preamble += [q for q in signed if _plain_words(q.name) != own]
    return preamble or signatories(text)


_CONTENTS = re.compile(r"(?i)\btable\s+of\s+contents\b")
_AFTER_CONTENTS = 80000  # a credit agreement's contents and list of exhibits run long
_OPENING_SPAN = 1500  # an opening names its parties' cue within its first characters


def _after_contents(text: str) -> list[_Party]:
    """The parties of a preamble that follows a long table of contents (credit agreements,
    indentures): read from each of the first few openings ("This CREDIT AGREEMENT ...") after
    a contents heading near the top."""
    contents = _CONTENTS.search(text, 0, min(len(text), _SCAN))
    if contents is None:
        return []
    limit = min(len(text), _AFTER_CONTENTS)
    for k, opening in enumerate(_NEW_OPENING.finditer(text, contents.end(), limit)):
        if k >= 3:
            break
        found = _from_preamble(text, opening.start(), _OPENING_SPAN)
        if found:
            return found
    return []


# a party joining in the sentence after the preamble: "In addition, Gulf India Ltd, a company
# incorporated in India ("Gulf India"), is executing this Agreement solely for purposes of ..."
_JOINDER = re.compile(
    r"(?:In\s+addition|Additionally|Further|Also),\s+(?P<body>[A-Z][^.;]{2,300}?),?\s+(?:is|are)\s+"
    r"(?:also\s+)?(?:executing|entering\s+into|joining(?:\s+in)?|signing)\s+this\s+"
    r"(?:Agreement|Contract)\b"
)


def _joinder(text: str, after: int) -> _Party | None:
    m = _JOINDER.search(text, after, min(len(text), after + 800))
    if m is None or _PREAMBLE_END.search(text, after, m.start()):
        return None  # none, or past the recitals
    return _read_slot(text, m.start("body"), m.end("body"))


_ON_SIGNATURE_PAGE = re.compile(
    r"\b(?:identified|listed|named|set\s+forth)\s+(?:on|in)\s+the\s+signature\s+pages?\b"
    r"|\bsignatories\s+(?:hereto|to\s+this)\b",
    re.I,
)


def _extract_parties(ctx: _Ctx) -> None:
    for p in read_parties(ctx.text):
        ctx.add(
            "parties", {"name": p.name, "role": p.role, "alias": p.alias}, p.start, p.end, p.conf
        )
