"""Parties read from signature blocks of contracts whose opening names none (snippets written
for these tests): an entity's name followed by its description on the same line ("HERON SUPPLY
CO., a Delaware corporation" above "By:"), and blocks signed on a "Signature:" line instead of
"By:"."""

from __future__ import annotations

from tests.test_terms_third_party import _names

_BODY = (
    "TERMS AND CONDITIONS\n\n1. Supply. The supplier supplies goods to the buyer.\n\n"
    "2. Price. As quoted.\n\n"
)


def test_a_name_with_its_description_on_the_line_above_by() -> None:
    text = _BODY + (
        "IN WITNESS WHEREOF, the parties have executed this Agreement.\n\n"
        "HERON SUPPLY CO., a Delaware corporation\n\nBy: ____________________\nIts: President"
        "\n\nIBEX DISTRIBUTION, LLC,\na Utah limited liability company\n\n"
        "By: ____________________\nIts: Manager\n"
    )
    assert _names(text) == ["HERON SUPPLY CO.", "IBEX DISTRIBUTION, LLC"]


def test_blocks_side_by_side_signed_on_signature_lines() -> None:
    text = _BODY + (
        "AGREED AND ACCEPTED:\n\nLapwing Media, Inc.                         Merlin "
        "Broadcasting Corp.\n\nSignature: /s/ A. Bell                    Signature: /s/ C. Dunn"
        "\nName: A. Bell                              Name: C. Dunn\n"
    )
    assert _names(text) == ["Lapwing Media, Inc.", "Merlin Broadcasting Corp."]


def test_a_person_above_a_signature_line_is_no_party() -> None:
    text = _BODY + (
        "IN WITNESS WHEREOF, the parties have executed this Agreement.\n\n"
        "Jane Roe\n\nSignature: ______\n\nJohn Doe\n\nSignature: ______\n"
    )
    assert _names(text) == []
