"""Parties of a preamble that follows a long table of contents (snippets written for these
tests): a credit agreement whose contents run past the first pages, and a contents list with
no opening after it, which still makes no party."""

from __future__ import annotations

from tests.test_terms_third_party import _names

_CONTENTS = "CREDIT AGREEMENT\n\nTABLE OF CONTENTS\n\n" + "".join(
    f"Section {i}.{j}  Heading number {i}.{j} of the agreement text  {i * 3 + j}\n"
    for i in range(1, 12)
    for j in range(1, 12)
)


def test_a_preamble_after_a_long_table_of_contents() -> None:
    text = _CONTENTS + (
        '\n\nCREDIT AGREEMENT\n\nThis CREDIT AGREEMENT (this "Agreement") is entered into as '
        'of May 1, 2014, among Kinglet Energy Corp., a Texas corporation (the "Borrower"), the '
        "Lenders from time to time party hereto, and Linnet Bank, N.A., as Administrative "
        "Agent.\n\nThe parties hereto agree as follows:\n\nARTICLE I\n"
    )
    assert _names(text) == ["Kinglet Energy Corp.", "Linnet Bank, N.A."]


def test_a_body_between_after_the_contents_is_no_preamble() -> None:
    text = _CONTENTS + (
        "\n\nARTICLE I DEFINITIONS\n\n1.1 Terms. Nothing herein creates a partnership between "
        "Kinglet Energy Corp. and Linnet Bank, N.A.\n"
    )
    assert _names(text) == []
