"""Parties: who is described rather than contracting, names with a lower-case word, and party
lists of other documents (snippets written for these tests)."""

from __future__ import annotations

from tests.test_terms_third_party import _names


def test_a_regulator_that_insures_a_party_is_not_a_party() -> None:
    text = (
        "AGENCY AGREEMENT\n\n___________, 2012\n\nHarlow Securities, LLC\n40 Quay Street\n"
        "Boston, MA 02110\n\nLadies and Gentlemen:\n\nBirch Valley Bancorp, Inc., a Maryland "
        'corporation (the "Company"), and Birch Valley Savings Bank, a state savings bank (the '
        '"Bank"), the deposit accounts of which are insured by the Federal Deposit Insurance '
        'Corporation ("FDIC"), hereby confirm their agreement with Harlow Securities, LLC (the '
        '"Agent") as follows:\n\nSection 1. The Offering. The Company will offer its shares.\n'
    )
    assert _names(text) == [
        "Birch Valley Bancorp, Inc.",
        "Birch Valley Savings Bank",
        "Harlow Securities, LLC",
    ]


def test_one_lower_case_word_inside_an_entity_name() -> None:
    text = (
        "STRATEGIC ALLIANCE AGREEMENT\n\nThis Agreement is made by and between: Norvik Inc. "
        'With principal offices at 8 Dock Road, Halifax ("NORVIK") AND Delta data Systems '
        'Limited., With principal offices at 3 Marina Way, Accra ("DDS") As of the date set '
        "forth below.\n\nWhereas, Norvik develops software.\n"
    )
    assert _names(text) == ["Norvik Inc.", "Delta data Systems Limited."]
    # a lower-case clause word still makes no name
    assert "Delta shall Systems Limited" not in _names(text.replace("data", "shall"))


def test_parties_of_another_document_are_not_this_contracts() -> None:
    cover = "SPONSORSHIP SUMMARY\n\nSPONSOR: Lantern Tacos\nBENEFITS: signage and hospitality.\n\n"
    for body in (
        "2. Term. The Term shall not extend beyond the term of the Ground Lease Agreement by "
        "and between the Harbor Authority and Pier Nine, L.P. dated as of May 1, 2001.",
        "9. Nothing in this Agreement creates a partnership or agency relationship between "
        'Owner and Sponsor or between Pier Nine, L.P. (the "Club") and Sponsor.',
        "9. Nothing in this Agreement creates a partnership or agency relationship between "
        'Pier Nine, L.P. (the "Club") and Sponsor.',
        "4. The Units were issued pursuant to a Unit Agreement dated as of June 2, 2004, "
        "among Pier Nine, L.P., Harbor Trust Company, N.A. and Quay Holdings Inc.",
    ):
        assert _names(cover + body + "\n") == [], body


def test_two_signature_columns_run_into_one_line() -> None:
    # a joint filing page: no preamble; the signatures follow "In evidence whereof" and the
    # two columns of entity names were extracted as one line
    text = (
        "JOINT FILING AGREEMENT\n\nThe undersigned agree to file one statement on Schedule 13G "
        "for the shares of Corvid Therapeutics, Inc. on behalf of each of them.\n\nIn evidence "
        "whereof, the undersigned have signed this agreement on May 4, 2021. HALYARD GROWTH "
        "FUND L.P. HALYARD GROWTH FUND (BERMUDA) PARTNERS L.P. By: /s/ Ann Roe Name: Ann Roe "
        "Title: Director By: /s/ Ann Roe Name: Ann Roe Title: Director HALYARD CAPITAL "
        "MANAGEMENT LLC By: /s/ Ann Roe Name: Ann Roe Title: Managing Member\n"
    )
    assert _names(text) == [
        "HALYARD GROWTH FUND L.P.",
        "HALYARD GROWTH FUND (BERMUDA) PARTNERS L.P.",
        "HALYARD CAPITAL MANAGEMENT LLC",
    ]
