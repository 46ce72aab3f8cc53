"""Parties named without an entity suffix or a defined term, whom the preamble describes as a
party by an address or as an individual (snippets written for these tests): "between Acme
Corp. and Dana Whitlock, an individual residing at ...", "and HARBOUR LIGHT STUDIOS, located
at ...". A bare name without such a description is still no party."""

from __future__ import annotations

from tests.test_terms_third_party import _names


def test_an_individual_residing_at_an_address() -> None:
    text = (
        "CONSULTING AGREEMENT\n\nThis Consulting Agreement is made as of April 4, 2017 by and "
        "between Quarry Peak Software Corp., a Colorado corporation, and Dana Whitlock, an "
        "individual residing at 41 Birch Lane, Boulder, Colorado 80302.\n\nWHEREAS, the "
        "company wishes to retain the consultant.\n"
    )
    assert _names(text) == ["Quarry Peak Software Corp.", "Dana Whitlock"]


def test_a_studio_located_at_an_address() -> None:
    text = (
        "LICENSE AGREEMENT\n\nThis License Agreement is between NORTHGATE MEDIA GROUP INC., "
        "located at 77 Harbor Street, San Pedro, CA 90731 and HARBOUR LIGHT STUDIOS' located "
        "at 5 Mesa Road, Ojai, CA 93023\n\nTHIS LICENSE AGREEMENT is made as of this 2nd day "
        "of June, 2008.\n"
    )
    assert _names(text) == ["NORTHGATE MEDIA GROUP INC.", "HARBOUR LIGHT STUDIOS"]


def test_a_firm_with_offices_at_an_address() -> None:
    text = (
        "This Services Agreement is entered into on 3 March 2011 between Ridgeback Freight "
        "Ltd, a company incorporated in England, and Pemberton & Cole, with offices at 9 "
        "Fleet Street, London EC4Y 1AA.\n\n1. Services.\n"
    )
    assert _names(text) == ["Ridgeback Freight Ltd", "Pemberton & Cole"]


def test_a_bare_name_without_a_description_is_still_no_party() -> None:
    text = (
        "This Hosting Agreement is made between Larchmont Web Services Inc. and Trellis "
        "Gardens.\n\n1. Hosting. Provider hosts the site.\n"
    )
    assert _names(text) == ["Larchmont Web Services Inc."]
