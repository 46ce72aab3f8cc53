"""Structural clause segmentation and sentence splitting (extraction.segment)."""

from __future__ import annotations

import random

import pytest

from extraction.segment import segment, sentences
from extraction.types import Segment, Sentence

CONTRACT = """MASTER SUPPLY AGREEMENT

This Master Supply Agreement (the "Agreement") is entered into as of March 1, 2024 by and
between Acme Widgets Inc. ("Supplier") and Bolt Retail Corp. ("Buyer").

1. DEFINITIONS.

1.1 "Affiliate" means any entity controlling, controlled by or under common control with a
party.

1.2 'Products' shall mean the goods listed in Exhibit A.

2. SUPPLY AND PRICING

2.1 Supplier shall sell the Products to Buyer at $1,000.00 per unit as set forth in Section 2.1
of the Price List. Buyer shall pay within thirty (30) days.

(a) Buyer may order additional units; and

(b) Supplier shall deliver them within ten days, provided that:

(i) the order is in writing; and

(ii) the order is placed with Acme Widgets Inc. at its U.S. office.

Page 2 of 5

3. Term. This Agreement begins on the Effective Date and continues for two years.

12. GOVERNING LAW. This Agreement is governed by the laws of the State of New York, without
regard to conflict of laws principles. Mr. Smith of Acme Co. shall be the contact.

The parties agree that this paragraph has no number.

IN WITNESS WHEREOF, the parties have executed this Agreement as of the date first above written.

ACME WIDGETS INC.

By: /s/ Jane Doe
Name: Jane Doe
Title: Chief Executive Officer
"""

# A filing flattened into long lines: line breaks survive only as runs of spaces, a page
# footer interrupts a sentence, and articles hold "Section" numbered clauses.
FLAT = (
    "ARTICLE I   DEFINITIONS   Section 1.1 Definitions. The following terms apply. "
    '"Territory" means the United States. "Term" has the meaning given in Section 5.2 '
    "hereof.   ARTICLE II   LICENSE   Section 2.1 Grant. Licensor grants Licensee a "
    "non-exclusive license to use the Software in the\n\n- 3 -\n\nTerritory during the Term. "
    "Section 2.2 Restrictions. Licensee shall not sublicense the Software.   A. Licensee "
    "shall keep records.   B. Licensee shall permit audits once per year.\n"
)

WRAPPED = """Article 4
CONFIDENTIALITY

4.1 Each party shall keep the other party's Confidential Information secret and shall not
disclose it to any third party except as permitted by
Section 4.2 of this Agreement.

4.2 A party may disclose Confidential Information to its advisers.
"""


def assert_tiles(text: str, segs: list[Segment]) -> None:
    """Every non-whitespace character is in exactly one segment; offsets are exact."""
    prev_end = 0
    for i, seg in enumerate(segs):
        assert seg.index == i
        assert seg.start < seg.end
        assert seg.text == text[seg.start : seg.end]
        assert seg.text == seg.text.strip()
        assert seg.start >= prev_end, "segments overlap or are out of order"
        assert text[prev_end : seg.start].strip() == "", "text between segments is lost"
        prev_end = seg.end
    assert text[prev_end:].strip() == ""


def assert_sentences_tile(text: str, segs: list[Segment], sents: list[Sentence]) -> None:
    by_seg: dict[int, list[Sentence]] = {}
    for s in sents:
        by_seg.setdefault(s.segment, []).append(s)
    assert set(by_seg) == {s.index for s in segs}
    for seg in segs:
        prev = seg.start
        for s in by_seg[seg.index]:
            assert seg.start <= s.start < s.end <= seg.end
            assert text[s.start : s.end] == text[s.start : s.end].strip()
            assert s.start >= prev and text[prev : s.start].strip() == ""
            prev = s.end
        assert text[prev : seg.end].strip() == ""


def by_number(segs: list[Segment]) -> dict[str, Segment]:
    return {s.number: s for s in segs if s.number}


def sentence_texts(text: str) -> list[str]:
    segs = segment(text)
    return [text[s.start : s.end] for s in sentences(text, segs)]


def test_contract_structure_kinds_numbers_headings_levels() -> None:
    segs = segment(CONTRACT)
    assert_tiles(CONTRACT, segs)
    assert segs[0].kind == "heading" and segs[0].heading == "Master Supply Agreement"
    assert segs[1].kind == "preamble" and segs[1].text.startswith("This Master Supply")
    nums = by_number(segs)
    assert nums["1"].kind == "section" and nums["1"].heading == "Definitions"
    assert nums["1.1"].kind == "definition" and nums["1.1"].level == 1
    assert nums["1.1"].heading == "Definitions"  # inherited from the parent
    assert nums["1.2"].kind == "definition"
    assert nums["2"].heading == "Supply and Pricing" and nums["2"].level == 0
    assert nums["2.1"].level == 1 and nums["2.1"].kind == "section"
    assert nums["(a)"].level == 2 and nums["(b)"].level == 2
    assert nums["(i)"].level == 3 and nums["(ii)"].level == 3
    assert nums["(ii)"].heading == "Supply and Pricing"
    assert nums["3"].heading == "Term" and nums["3"].level == 0
    assert nums["12"].heading == "Governing Law"
    assert "without\nregard" in nums["12"].text  # a hard wrap does not split a clause
    plain = [s for s in segs if s.text.startswith("The parties agree")]
    assert plain and plain[0].kind == "paragraph" and plain[0].number is None
    witness = [s for s in segs if s.text.startswith("IN WITNESS WHEREOF")]
    assert witness and witness[0].kind == "signature"
    assert segs[-1].kind == "signature" and "Title: Chief Executive Officer" in segs[-1].text
    # the footer does not become a clause of its own
    assert not any(s.text == "Page 2 of 5" for s in segs)


def test_sentences_keep_abbreviations_references_and_money() -> None:
    segs = segment(CONTRACT)
    sents = sentences(CONTRACT, segs)
    assert_sentences_tile(CONTRACT, segs, sents)
    texts = [CONTRACT[s.start : s.end] for s in sents]
    assert any(
        "$1,000.00 per unit as set forth in Section 2.1\nof the Price List." in t for t in texts
    )
    assert "Buyer shall pay within thirty (30) days." in texts
    assert any(t.endswith("at its U.S. office.") and "Acme Widgets Inc. at" in t for t in texts)
    assert any(t.startswith("Mr. Smith of Acme Co. shall") for t in texts)
    assert any('between Acme Widgets Inc. ("Supplier") and Bolt Retail Corp.' in t for t in texts)
    # a marker's own period is not a sentence end
    assert not any(t in {"1.", "12.", "3."} for t in texts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "1. Fees. Acme Inc. shall pay $2,500.50 to XYZ Corp. on signing. The rest is due "
            "later.",
            [
                "1. Fees.",
                "Acme Inc. shall pay $2,500.50 to XYZ Corp. on signing.",
                "The rest is due later.",
            ],
        ),
        (
            "Notices go to Dr. Jones, 12 Main St. Springfield, e.g. by mail, i.e. in writing, "
            "etc. Each notice No. 4 is final.",
            [
                "Notices go to Dr. Jones, 12 Main St. Springfield, e.g. by mail, i.e. in writing, "
                "etc. Each notice No. 4 is final."
            ],
        ),
        (
            "The price is 3.5 percent under Sec. 4.2 of the Plan. Payment is due as set forth in "
            "Exhibit A. Interest accrues.",
            [
                "The price is 3.5 percent under Sec. 4.2 of the Plan.",
                "Payment is due as set forth in Exhibit A.",
                "Interest accrues.",
            ],
        ),
    ],
)
def test_sentence_rules(text: str, expected: list[str]) -> None:
    assert sentence_texts(text) == expected


def test_short_enumeration_stays_in_one_sentence_long_items_split() -> None:
    short = "Licensee shall (a) pay the fees; (b) keep records; and (c) permit audits."
    assert sentence_texts(short) == [short]
    long_item = "x " * 250
    text = f"Licensee shall: (a) pay {long_item}; (b) keep records; and (c) permit audits."
    parts = sentence_texts(text)
    assert len(parts) >= 2
    assert any(p.startswith("(b) keep records") for p in parts)


def test_flattened_filing_with_articles_sections_and_footer() -> None:
    segs = segment(FLAT)
    assert_tiles(FLAT, segs)
    nums = by_number(segs)
    assert nums["Article I"].kind == "section" and nums["Article I"].heading == "Definitions"
    assert nums["Article I"].level == 0
    assert nums["Section 1.1"].level == 1
    defs = [s for s in segs if s.kind == "definition"]
    assert [d.text.split('"')[1] for d in defs] == ["Territory", "Term"]
    assert nums["Article II"].heading == "License"
    grant = nums["Section 2.1"]
    assert grant.heading == "Grant" and grant.level == 1
    # the page footer sits inside the clause it interrupts
    assert "- 3 -" in grant.text and grant.text.endswith("during the Term.")
    assert nums["Section 2.2"].heading == "Restrictions"
    assert nums["A"].level == 2 and nums["B"].level == 2
    assert nums["A"].heading == "Restrictions"
    sents = sentences(FLAT, segs)
    assert_sentences_tile(FLAT, segs, sents)


def test_article_with_heading_line_and_hard_wrapped_reference() -> None:
    segs = segment(WRAPPED)
    assert_tiles(WRAPPED, segs)
    nums = by_number(segs)
    assert nums["Article 4"].heading == "Confidentiality"
    assert nums["4.1"].level == 1 and nums["4.1"].heading == "Confidentiality"
    # "Section 4.2 of" at the start of a wrapped line is a reference, not a new clause
    assert "Section 4.2" not in nums
    assert "Section 4.2 of this Agreement." in nums["4.1"].text
    assert nums["4.2"].text.startswith("4.2 A party may disclose")


def test_unnumbered_paragraphs_and_empty_input() -> None:
    text = "  First paragraph, with no number.\n\nSecond paragraph here.\n\n\n  Third one.  \n"
    segs = segment(text)
    assert_tiles(text, segs)
    assert [s.text for s in segs] == [
        "First paragraph, with no number.",
        "Second paragraph here.",
        "Third one.",
    ]
    assert {s.kind for s in segs} == {"preamble"}  # no section seen yet
    assert segment("") == [] and segment(" \n\t ") == []
    assert sentences("", []) == []


_PIECES = [
    "1.",
    "1.1",
    "2.3(a)",
    "(a)",
    "(iv)",
    "Section 5.",
    "SECTION 7",
    "ARTICLE IV",
    "Article 4",
    "4)",
    "A.",
    "GOVERNING LAW.",
    "Term.",
    '"Affiliate" means',
    "IN WITNESS WHEREOF,",
    "By:",
    "Page 3 of 10",
    "- 4 -",
    "Inc.",
    "U.S.",
    "$1,000.00",
    "e.g.",
    "the",
    "Buyer",
    "shall",
    "pay;",
    "and",
    "(b)",
    "Licensee",
    "notice.",
    "\u201cTerm\u201d",
    "\u2022",
    "No.",
    "x",
]
_GAPS = [" ", " ", " ", "  ", "   ", "\n", "\n\n", "\n \n", "\t", "\u00a0"]


@pytest.mark.parametrize("seed", range(40))
def test_tiling_invariant_on_generated_text(seed: int) -> None:
    rng = random.Random(seed)
    parts = []
    for _ in range(rng.randint(1, 200)):
        parts.append(rng.choice(_PIECES))
        parts.append(rng.choice(_GAPS))
    text = rng.choice(["", " ", "\n"]) + "".join(parts)
    segs = segment(text)
    assert_tiles(text, segs)
    sents = sentences(text, segs)
    assert_sentences_tile(text, segs, sents)
    for seg in segs:
        assert seg.level >= 0
