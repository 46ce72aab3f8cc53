"""More third-party layouts for parties, dates and term (snippets written for these tests)."""

from __future__ import annotations

from tests.test_terms_third_party import _names, _one, _values

# --------------------------------------------------------------------------- parties


def test_a_title_between_list_ends_where_the_preamble_sentence_begins() -> None:
    text = (
        "EXHIBIT 10.4\n\nReseller Agreement Between Harbor Lights Foundation and Quillon Apps, "
        'Inc. This Agreement ("Agreement") is made effective May 2, 2022, by and between '
        'Quillon Apps Inc., a Utah corporation ("Reseller"), with offices at 12 Pine Street, '
        'Provo, UT 84601 and the Harbor Lights Foundation, Inc. ("Foundation"), a Nevada '
        "nonprofit corporation, with offices at 9 Lake Road, Reno, NV 89501. 1. Purpose: "
        "Reseller resells the Foundation's courses.\n"
    )
    names = _names(text)
    assert len(names) == 2
    assert any("Quillon" in n for n in names) and any("Harbor Lights" in n for n in names)


def test_on_the_one_hand_and_bulleted_parties() -> None:
    text = (
        'THIS ENDORSEMENT AGREEMENT ("Agreement") is made effective June 1, 2021 by and among, '
        "on the one hand, Redwood Talent, LLC, a California limited liability company "
        '("Redwood"), and, on the other hand, Tallis Foods, Inc., a Delaware corporation '
        '("Tallis").\n\nWHEREAS Tallis sells snacks.\n'
    )
    assert _names(text) == ["Redwood Talent, LLC", "Tallis Foods, Inc."]
    bullets = (
        'THIS FRANCHISE AGREEMENT (the "Agreement") is made as of the date on the signature '
        "page by and between:\n\n● Lakeside Tutoring Group, LLC, a Texas limited liability "
        'company ("we" or "us"); and\n\n● Harper Learning Inc., a Texas corporation ("you" or '
        'the "Franchisee").\n\nIntroduction\n'
    )
    assert _names(bullets) == ["Lakeside Tutoring Group, LLC", "Harper Learning Inc."]


def test_and_colon_after_an_address_that_ends_a_sentence() -> None:
    text = (
        "CONSULTING AGREEMENT made effective the 3 day of March 2020, BETWEEN: ALDER WORKS "
        'LTD. ("Alder"), having its office at 4 Mill Lane, Leeds, LS1 4AB; ASH HOLDINGS '
        'LIMITED ("Ash"), having its office at 2 Quay Street, York, YO1 7HH. AND: Birch '
        'Systems, Inc. a corporation organized under the laws of Ohio ("Birch"). WITNESSES '
        "THAT Alder engages Birch.\n"
    )
    assert _names(text) == ["ALDER WORKS LTD.", "ASH HOLDINGS LIMITED", "Birch Systems, Inc."]


def test_party_labels_with_the_name_on_the_next_line() -> None:
    text = (
        "CHANNEL COOPERATION AGREEMENT   Contract Number: 2021-77\n\n     Party A:\n\n  "
        "Shenzhen Lantern Trading Co., Ltd.\n\n  Address:\n\n  9 Harbour Road, Shenzhen\n\n"
        "    Party B:\n\n  Hangzhou Willow Software Co., Ltd.\n\n  Address:\n\n  12 West Lake "
        "Street, Hangzhou\n\nIn this Agreement, Party A and Party B agree as follows.\n"
    )
    assert _names(text) == [
        "Shenzhen Lantern Trading Co., Ltd.",
        "Hangzhou Willow Software Co., Ltd.",
    ]


def test_unquoted_party_a_and_party_b_roles() -> None:
    text = (
        "Design Contract for the Lakeside Hotel\n\nThe Owner: Lakeside Leisure Holdings Inc. "
        "(hereinafter referred to as Party A) and the Designer: Wen Li-\nHua Design Studio "
        "(hereinafter referred to as Party B) hereby agree on the following terms:\n\n"
        "Article I. Scope\n"
    )
    assert _names(text) == ["Lakeside Leisure Holdings Inc.", "Wen Li-Hua Design Studio"]


def test_a_placeholder_party_named_on_a_label_line() -> None:
    text = (
        'THIS RESELLER AGREEMENT (this "Agreement") is made the 7th day of May, 2021 by and '
        'between k9 Secure Networks, LLC ("k9"), a Virginia limited liability company, having '
        'its offices at 1 Main Street, Fairfax, VA 22030 ("Reseller") and the company set '
        'forth below ("Company"):   Company: Ostrava Data Inc. (ODI)   Telephone: 555-0100\n'
        "Territory: United States\n"
    )
    assert _names(text) == ["k9 Secure Networks, LLC", "Ostrava Data Inc."]


def test_a_party_named_by_a_term_defined_before_the_preamble() -> None:
    text = (
        'SPONSORSHIP AGREEMENT for a Cycling Race\n\nCrestline Events, Inc. ("CEI"), a '
        "Delaware company with offices at 5 Hill Road, Boulder, CO 80301, organises a cycling "
        'race (the "Race"). This Sponsorship Agreement (the "Agreement") dated as of April 1, '
        '2021 is made by and between Northgate Beverages Ltd ("NBL"), a Beijing company (the '
        '"Sponsor") and CEI.\n\n1) The Sponsor pays CEI a fee.\n'
    )
    assert _names(text) == ["Northgate Beverages Ltd", "Crestline Events, Inc."]


def test_suffixes_s_a_and_g_i_e_and_lower_case_suffixes() -> None:
    text = (
        "Amendment No. 2 to the Maintenance Agreement\n\nBETWEEN\n\nVOAR LINHAS AEREAS S/A\n\n"
        "AND\n\nATELIERS DE MAINTENANCE REGIONAUX, G.I.E.   VOAR-AMR   Page 1/9\n\n"
    )
    assert _names(text) == ["VOAR LINHAS AEREAS S/A", "ATELIERS DE MAINTENANCE REGIONAUX, G.I.E."]
    lower = (
        "JOINT VENTURE AGREEMENT made this 2nd day of May 2021, BETWEEN: QuickLend.com, inc of "
        "10 Bay Drive, Miami FL 33101, and Pikeway plc, a company incorporated in England "
        '(together the "Members"). BACKGROUND: the Members invest together.\n'
    )
    assert _names(lower) == ["QuickLend.com, inc", "Pikeway plc"]


def test_parties_listed_after_a_defined_term_and_a_lone_description_word() -> None:
    text = (
        'THIS AGREEMENT (this "Agreement"), dated as of May 1, 2020, is entered into by Marlow '
        'Chemicals Corporation ("Buyer"), an Ohio corporation, Fenwick Oils Ltd., a company '
        'incorporated in Bermuda ("Fenwick"), and Tarn Refining Limited, a company incorporated '
        'in India ("Tarn"). BACKGROUND\n'
    )
    assert _names(text) == [
        "Marlow Chemicals Corporation",
        "Fenwick Oils Ltd.",
        "Tarn Refining Limited",
    ]
    lone = (
        "THIS AGREEMENT made effective the 10 day of June 2020, BETWEEN: NORTHBAY FOODS, "
        'INC., a company having its office at 7 Venture Street, Burnaby ("Northbay") AND: '
        "DR. JANE ROE WELLNESS INC., Businessperson, having an office at 2 East Avenue, "
        'Vancouver (the "Contractor") WITNESSES THAT Northbay engages the Contractor.\n'
    )
    assert _names(lone) == ["NORTHBAY FOODS, INC.", "DR. JANE ROE WELLNESS INC."]


def test_a_state_code_after_a_city_is_not_a_party() -> None:
    text = (
        'This HOSTING AGREEMENT (the "Agreement") dated as of August 9, 2021 is made between '
        'Hillcrest Outfitters, Inc. ("HOI"), a New Jersey Corporation, located at 15 Harbor '
        'Boulevard, Weehawken, NJ 07087, and The Elkhorn Companies, Inc. (the "Company"), a '
        "Nevada corporation, located at 25 Arrow Drive, Carson City, NV 89706. Each of the "
        'parties shall be referred to as a "Party".\n'
    )
    assert _names(text) == ["Hillcrest Outfitters, Inc.", "The Elkhorn Companies, Inc."]


# --------------------------------------------------------------------------- dates


def test_template_blanks_do_not_hide_the_agreement_date_cue() -> None:
    text = (
        "FRANCHISE AGREEMENT\n\nTHIS AGREEMENT is entered into on this ____ day of "
        "___________, 2021, by and between Maple Air Group, Inc., a Nevada corporation, and "
        'the franchisee named below ("Franchisee").\n'
    )
    assert _one(text, "agreement_date") == "2021"
    text2 = (
        'THIS DISTRIBUTOR AGREEMENT (the "Agreement") shall be effective as of _March 8, '
        '2019 (hereinafter "Effective Date"), by and between Ridge Health, Inc. and Pell '
        "Supply LLC.\n"
    )
    assert _one(text2, "agreement_date") == "2019-03-08"


def test_a_date_line_under_the_title_is_the_agreement_date() -> None:
    text = (
        "Exhibit 1.1\n\n     HARBOR BANCORP, INC.\n\nSALES AGENCY AGREEMENT\n\n, 2019\n\n"
        'Ladies and Gentlemen:\n\nHarbor Bancorp, Inc., a Georgia corporation (the "Company"), '
        "engages the agent named on the signature page.\n"
    )
    assert _one(text, "agreement_date") == "2019"
    text2 = (
        "Dock Energy Co., Ltd.   Lin County Gas Co., Ltd.\n\nProject Cooperation Agreement   "
        "March 2022\n\n\nCooperation Agreement on the heat recovery project\n"
    )
    assert _one(text2, "agreement_date") == "2022-03"


def test_signed_and_effective_this_day_in_the_signature_block() -> None:
    text = (
        "AGENCY AGREEMENT\n\nCrown Mutual Insurance Company and Basin Agency, Inc. agree as "
        "follows:\n\n"
        + "A. The Agency may solicit applications for cover within the State.\n\n" * 130
        + "Signed and effective this 12th day of June, 2020.\n\n   AGENCY\n\n   By: /s/ R. Cole\n"
    )
    assert _one(text, "agreement_date") == "2020-06-12"


def test_two_word_asian_suffixes_in_a_numbered_list_of_parties() -> None:
    text = (
        "DISTRIBUTION AGREEMENT\n\nThis Distribution Agreement is made on 1 April 2019\n\n"
        'BETWEEN\n\n1. ORCHID DEVICES PTE. LTD., a company incorporated in Singapore ("Orchid");'
        "\n\n2. LOTUS MEDICAL SDN. BHD., a company incorporated in Malaysia (the "
        '"Distributor").\n\nIT IS AGREED as follows:'
    )
    assert _names(text) == ["ORCHID DEVICES PTE. LTD.", "LOTUS MEDICAL SDN. BHD."]


def test_a_lower_case_central_european_suffix() -> None:
    text = (
        "THIS JOINT VENTURE AGREEMENT is made this 4th day of May, 2015, by and among Redfern "
        'Mining Corp., a Nevada corporation ("Redfern"), Ostrava Metals a.s., a Czech joint '
        'stock company ("Ostrava"), and Kettle Creek Resources Ltd., a British Columbia '
        'company ("Kettle"). Redfern, Ostrava and Kettle are each a "Party".'
    )
    assert _names(text) == [
        "Redfern Mining Corp.",
        "Ostrava Metals a.s.",
        "Kettle Creek Resources Ltd.",
    ]


def test_a_role_defined_for_the_next_party_is_not_the_first_partys_role() -> None:
    text = (
        'AGREEMENT\n\nThis agreement is between Brightline Health, Inc. ("Brightline") and the '
        'undersigned customer ("Customer").\n\n1. Services.'
    )
    (party,) = _values(text, "parties")
    assert party["name"] == "Brightline Health, Inc."
    assert party["role"] != "customer"


def test_labels_and_headings_after_a_placeholder_party_are_not_parties() -> None:
    text = (
        "This Schedule is attached to the Agreement executed by and between Harbor Trust "
        'Bank, N.A. ("Harbor") and <<enter Company Name>> ("Supplier").\n\n8. Personnel:\n\n'
        "Harbor Trust Bank Project Manager:   Supplier Project Manager:\n\n\n\n  AGREED TO BY:"
        '\n\n<<enter Company Name>> ("Supplier")   Harbor Trust Bank, N.A. By:    By:\n'
    )
    # the second party is a blank of the template: no name rather than "Personnel" or a label
    assert _names(text) == ["Harbor Trust Bank, N.A."]


def test_roles_in_single_quotes_and_a_professional_corporation() -> None:
    text = (
        "This Agreement is entered into between Qingdao Harbor Trading Company Limited, "
        "hereinafter referred to as 'Party A', and Yantai Ocean Logistics Co., Ltd., "
        "hereinafter referred to as 'Party B'."
    )
    assert [p["alias"] for p in _values(text, "parties")] == ["Party A", "Party B"]
    clinic = (
        "This Hosting Agreement is made between Global Relay Networks LLC "
        '("Provider") and Tessera Clinics, P.C. ("Client").'
    )
    assert _names(clinic) == ["Global Relay Networks LLC", "Tessera Clinics, P.C."]


def test_a_roman_numbered_list_and_an_ampersand_inside_or_between_names() -> None:
    listed = (
        "MEMORANDUM OF UNDERSTANDING\n\nThis Memorandum of Understanding is entered into by "
        "and among the following parties:\n\ni) Riverstone University, a public research "
        'university ("University");\nii) Ember Robotics Ltd. ("Ember"); and\niii) Copperfield '
        'County Council ("Council").\n\n1. Purpose'
    )
    assert _names(listed) == [
        "Riverstone University",
        "Ember Robotics Ltd.",
        "Copperfield County Council",
    ]
    joined = (
        "This Agreement is made this 3rd day of June, 2014 by and between Lakeside Bank & "
        'Trust Company, an Illinois banking corporation ("Bank"), and Harbor Point Realty '
        'Group, L.L.C., an Illinois limited liability company ("Tenant").'
    )
    assert _names(joined) == ["Lakeside Bank & Trust Company", "Harbor Point Realty Group, L.L.C."]
    between = (
        "HOSTING AGREEMENT\n\nBETWEEN\n\nTULIP NETWORKS B.V.\n\n&\n\nHeron Data Holding AG\n\n"
        "TABLE OF CONTENTS 1. Definitions 2. Scope\n"
    )
    assert _names(between) == ["TULIP NETWORKS B.V.", "Heron Data Holding AG"]


def test_signature_dates_in_columns_the_last_signature_is_the_agreement_date() -> None:
    body = "1. Scope. The Vendor hosts the Customer's archive.\n\n" * 40
    labels_below = (
        "SUPPORT AGREEMENT\n\nQuarry Labs, Inc. and Slate Works LLC agree as follows.\n\n"
        + body
        + "IN WITNESS WHEREOF the parties sign below.\n\nBy: /s/ J. Ames      By: /s/ K. Bell\n"
        "J. Ames         2/9/19              K. Bell         2/14/19 ----------------    "
        "----------------- Name (print)    Date              Name (print)    Date\n"
    )
    assert _one(labels_below, "agreement_date") == "2019-02-14"
    two_cues_one_line = (
        "SUPPORT AGREEMENT\n\nQuarry Labs, Inc. and Slate Works LLC agree as follows.\n\n"
        + body
        + "QUARRY LABS, INC.:   SLATE WORKS LLC:\n   /s/ J. Ames   /s/ K. Bell\n"
        "   Date:   Date:      4-2-2018   4-6-18\n"
    )
    assert _one(two_cues_one_line, "agreement_date") == "2018-04-06"
    # the preamble's date still comes first
    dated = two_cues_one_line.replace(
        "Quarry Labs, Inc. and Slate Works LLC agree",
        "Dated as of March 20, 2018, Quarry Labs, Inc. and Slate Works LLC agree",
    )
    assert _one(dated, "agreement_date") == "2018-03-20"


# --------------------------------------------------------------------------- term


_OPENING = (
    'THIS SERVICES AGREEMENT (the "Agreement") is made as of March 1, 2021 (the "Effective '
    'Date") by and between Quarry Labs, Inc. ("Customer") and Slate Works LLC ("Vendor").\n\n'
)


def test_stated_end_dates_in_third_party_wordings() -> None:
    cases = {
        "2. Term. The Term shall run from the Effective Date to 31 July 2024, unless "
        "terminated earlier.": "2024-07-31",
        '1. Definitions. "Term" means the period from the Effective Date to 30 June 2025.': (
            "2025-06-30"
        ),
        "2. Term. The term of this Agreement shall commence on May 1, 2021 and ends at April "
        "30, 2031, with renewals of five (5) years unless notice is given.": "2031-04-30",
        "2. Term. The term of this Agreement will begin on March 1, 2021 and will end the "
        "later of (i) December 15, 2026 or (ii) delivery of all units.": "2026-12-15",
        '2. Definitions. "Expiration Date" means March 31, 2027.\n\n3. Fees. Customer pays '
        "monthly.": "2027-03-31",
    }
    for clause, want in cases.items():
        assert _one(_OPENING + clause, "expiration_date") == want, clause


def test_anniversary_of_this_agreement_counts_from_its_date() -> None:
    text = _OPENING + (
        "9. Term. This Agreement shall remain in effect until the earlier of (a) the fifth "
        "anniversary of this Agreement; and (b) Customer ceasing to hold any shares."
    )
    assert _one(text, "expiration_date") == "2026-03-01"


def test_a_duration_runs_from_the_start_date_its_own_sentence_gives() -> None:
    text = (
        "MAINTENANCE CONTRACT dated 10 October 2021\n\nThis contract replaces Annex 7 of the "
        "original licence contract, made effective on 6 April 2018.\n\nIt shall be effective "
        "on 6 October 2021 and shall have a duration of two years.\n\nThe prices remain valid "
        "for the first 12 months.\n"
    )
    assert _one(text, "expiration_date") == "2023-10-06"


def test_until_the_end_of_a_year() -> None:
    text = _OPENING + "This agreement will be in effect until the end of 2024 and then reviewed."
    assert _one(text, "expiration_date") == "2024-12-31"
    text2 = _OPENING + (
        "This agreement shall begin upon the date of its execution and shall remain in effect "
        "until the end of the current calendar year and shall be automatically renewed for "
        "successive one (1) year periods."
    )
    assert _one(text2, "expiration_date") == "2021-12-31"


def test_a_term_for_a_defined_period_ends_when_the_period_does() -> None:
    text = (
        'SERVICE AGREEMENT\n\nThis Service Agreement is entered into on May 1, 2021 ("Effective '
        'Date") between Fenn Clinics Ltd and Orla Health Inc.\n\n1. "Service Period" means May '
        "1, 2021 through to April 30, 2022.\n\n2. The Agreement shall commence on the Effective "
        "Date and continue in effect for the Service Period, unless terminated earlier.\n"
    )
    assert _one(text, "expiration_date") == "2022-04-30"


def test_perpetual_wordings_and_a_term_without_end_that_either_party_may_end() -> None:
    for clause in (
        "This Agreement is entered into for an unlimited period of time.",
        "The term of this Agreement will begin upon acceptance of the application and will "
        "end when terminated by either party.",
        "The term of this Agreement shall commence on the Effective Date and shall end on the "
        "90th day following a written notice from one party to the other.",
    ):
        assert _one(_OPENING + clause, "expiration_date") == "perpetual", clause
    at_will = _OPENING + (
        "5. Fees. Customer pays monthly.\n\n6. Ending. This Agreement may be terminated by "
        "either party giving the other at least six (6) months' notice in writing."
    )
    assert _one(at_will, "expiration_date") == "perpetual"
    for_cause = _OPENING + (
        "5. Fees. Customer pays monthly.\n\n6. Termination. Either party may terminate this "
        "Agreement on thirty (30) days written notice if the other materially breaches it."
    )
    assert _one(for_cause, "expiration_date") is None


def test_a_cure_period_is_not_the_term() -> None:
    text = _OPENING + (
        "12. Termination. Either party may end the initial term early if the other commits a "
        "breach of this agreement and fails to remedy that breach within a period of 14 days "
        "of being notified in writing."
    )
    assert _one(text, "expiration_date") is None


def test_term_stated_before_what_happens_after_its_expiry() -> None:
    text = _OPENING + (
        "11.1 This agreement begins on the Effective Date and shall continue for an initial "
        "term of two (2) years and indefinitely after that until terminated by either party "
        "giving at least six (6) months' notice to expire on or after the expiry date of the "
        "initial term."
    )
    assert _one(text, "expiration_date") == "2023-03-01"


def test_last_day_of_the_month_and_no_end_by_termination_wordings() -> None:
    text = _OPENING + (
        "4. Term. The Term shall begin on the Effective Date and will end on the last day of "
        "the month ten (10) years from the Effective Date."
    )
    assert _one(text, "expiration_date") == "2031-03-31"
    not_terminable = _OPENING + (
        "7. Licence. The licence granted in this Agreement shall not be terminable or "
        "revocable for any reason."
    )
    assert _one(not_terminable, "expiration_date") == "perpetual"
    or_until = _OPENING + (
        '2. Definitions. "Term" means: the period from 1st January 2022 to the close of the '
        "season in Decembre 2022 or until terminated under this Agreement."
    )
    assert _one(or_until, "expiration_date") != "perpetual"


def test_a_department_or_an_address_after_the_suffix_is_no_party() -> None:
    text = (
        "SUPPORT AGREEMENT\n\nThis agreement is made by and between LYRA S.A., Departement "
        "OPTIQUE Systemes whose address is 3, rue de la Paix, 75002 PARIS, FRANCE (hereinafter "
        "referred to as OPTIQUE) and BRISK corporation whose address is 10 Fifth Street, SAN "
        "JOSE, California 95112 (hereinafter referred to as BRISK) for support services.\n"
    )
    assert _names(text) == ["LYRA S.A.", "BRISK corporation"]
    address = (
        "THIS ENDORSEMENT AGREEMENT is made and entered into this first (1st) day of May, 2020, "
        "by and between Fairway Clubs Corporation having its principal office at 7 Cove Road, "
        'Hilton Head, South Carolina 29928 (hereinafter referred to as "FCC"), and Lanyard '
        "Artists Inc., Albion House, Mill Street, St. Helier, Jersey JE1 1DE (hereinafter "
        'referred to as "Lanyard"). WITNESSETH:\n'
    )
    assert _names(address) == ["Fairway Clubs Corporation", "Lanyard Artists Inc."]


def test_a_list_that_starts_with_a_term_defined_earlier() -> None:
    text = (
        'Orchard Medical Supply, Inc. ("OMS") is a shareholder of Birch Health Services, Inc. '
        '("BHS"). This Agreement and Plan of Merger is made as of May 4, 2020 by and among BHS, '
        'BHS Merger Corp. ("Merger Corp.") and OMS.\n'
    )
    assert _names(text) == [
        "Birch Health Services, Inc.",
        "BHS Merger Corp.",
        "Orchard Medical Supply, Inc.",
    ]
    # the same list in a letter that only cites the merger agreement names the cited
    # agreement's parties, not the letter's
    cited = (
        'Orchard Medical Supply, Inc. ("OMS") will become a shareholder of Birch Health '
        'Services, Inc. ("BHS") under the Agreement and Plan of Merger dated as of May 4, 2020 '
        '(the "Merger Agreement"), by and among BHS, BHS Merger Corp. ("Merger Corp.") and OMS.\n'
    )
    assert "BHS Merger Corp." not in _names(cited)


def test_an_entity_word_followed_by_of_a_place_and_an_agency_role() -> None:
    text = (
        "EXHIBIT 10.3\n\nCAPITOL AGENCY AGREEMENT\n\nGranite Casualty Corporation of America, a "
        "Michigan insurance corporation (Granite) and Pell, Morrow & Vance-Idaho, Inc., an Idaho "
        'corporation, ("Agency"), (together the Parties) agree as follows:\n\nA. AUTHORITY\n'
    )
    assert _names(text) == [
        "Granite Casualty Corporation of America",
        "Pell, Morrow & Vance-Idaho, Inc.",
    ]


def test_roles_defined_without_parentheses_in_a_translated_preamble() -> None:
    text = (
        "TRANSPORT CONTRACT\n\n        Almaty              March 3, 2021\n\n"
        "                PREAMBLE\n\n"
        'JSC Steppe Petroleum, hereinafter referred to as the "Company", '
        "in the person of its Director Ms. A. Bek, acting on the basis of a Power of Attorney, "
        'on the one side and JSC Aral Oil, hereinafter referred to as the "Principal", in the '
        "person of its General Director Mr. N. Ivanov, on the other side, have entered into "
        "this Contract and hereby agree as follows:\n\n1. SUBJECT\n"
    )
    assert _names(text) == ["JSC Steppe Petroleum", "JSC Aral Oil"]
    assert [p["role"] for p in _values(text, "parties")] == ["company", "principal"]


def test_parties_of_a_signature_page_run_into_one_line() -> None:
    text = (
        "Exhibit 99.2 JOINT FILING AGREEMENT The undersigned agree that the statement on "
        "Schedule 13D with respect to the shares of Heron Foods, Inc. is filed on behalf of "
        "each of them. IN WITNESS WHEREOF, the undersigned execute this agreement as of May 4, "
        "2021. KESTREL CAPITAL PARTNERS, L.P. By: Kestrel GP, LLC, its general partner By: "
        "/s/ Ann Lee Ann Lee Authorized Signatory KESTREL GP, LLC By: /s/ Ann Lee Ann Lee "
        "Managing Member Osprey Holdings (U.S.), Ltd. By:/s/ Tom Reyes Date: 5/4/2021 Tom "
        "Reyes, Esq. Chief Compliance Officer Osprey Advisors II, LLC By:/s/ Tom Reyes\n"
    )
    assert _names(text) == [
        "KESTREL CAPITAL PARTNERS, L.P.",
        "KESTREL GP, LLC",
        "Osprey Holdings (U.S.), Ltd.",
        "Osprey Advisors II, LLC",
    ]


def test_relative_terms_in_more_wordings_resolve_against_the_effective_date() -> None:
    cases = {
        "5. Term and Termination. 5.1 This Agreement shall be effective on the Effective Date "
        'and shall continue in force until the third (3rd) anniversary thereof (the "Initial '
        'Term").': "2024-03-01",
        "5. Term. Unless terminated earlier, this Agreement has a term of 1 year from the "
        "Effective Date and renews automatically each year.": "2022-03-01",
        "5. Term. This Agreement shall be valid for three years from the date of signature.": (
            "2024-03-01"
        ),
    }
    for clause, expected in cases.items():
        assert _one(_OPENING + clause, "expiration_date") == expected, clause


def test_dates_written_as_ordinal_words_iso_and_anno_domini() -> None:
    parties = ' between Quarry Labs, Inc. ("Customer") and Slate Works LLC ("Vendor").\n'
    cases = {
        "This Agreement is signed on this twenty-first day of March, 2016": "2016-03-21",
        "This Agreement is dated the 5th of June 2019 and made": "2019-06-05",
        "THIS AGREEMENT made this 14th day of February, A.D. 2011,": "2011-02-14",
        "This Agreement is entered into on 2019-06-05": "2019-06-05",
        "This Agreement is made on the thirtieth day of April, 2020": "2020-04-30",
    }
    for opening, expected in cases.items():
        assert _one(opening + parties, "agreement_date") == expected, opening


def test_renewals_of_the_same_duration_and_plural_renewal_periods() -> None:
    same = _OPENING + (
        "7.1 Term. This Agreement shall be for a period of five (5) years from the Effective "
        'Date (the "Initial Term"). Upon the expiry of the Initial Term this Agreement shall '
        "automatically renew for successive terms of the same duration, unless either party "
        "gives written notice of its desire not to renew not less than ninety (90) days prior "
        "to the expiration of the then-current term."
    )
    assert _one(same, "renewal_term_months") == 60
    assert _one(same, "renewal_notice_days") == 90
    plural = _OPENING + (
        "5. Term. The term of this Agreement shall commence on May 1, 2021 and end on April "
        "30, 2026, with automatic renewals each for a period of three (3) years unless either "
        "Party gives notice of non-renewal at least one hundred twenty (120) days before the "
        "end of the term."
    )
    assert _one(plural, "expiration_date") == "2026-04-30"
    assert _one(plural, "renewal_term_months") == 36


def test_notice_to_end_the_agreement_at_the_end_of_a_renewal_term() -> None:
    text = _OPENING + (
        "9. Term. This Agreement has an initial term of one (1) year and renews for successive "
        "one-year renewal terms.\n\n10. Termination. This Agreement may be terminated by either "
        "party at the expiration of its term or any renewal term upon forty-five (45) days "
        "written notice to the other party."
    )
    assert _one(text, "renewal_notice_days") == 45


def test_the_preamble_date_after_a_cover_page_and_another_documents_reference() -> None:
    toc = "".join(f"{i}. Heading number {i} ........ {i + 2}\n" for i in range(1, 80))
    cover = (
        "AMENDED AND RESTATED SUPPLY AGREEMENT by and between ALDER FOODS COMPANY\n\nand\n\n"
        "BIRCH FARMS LLC  Effective as of September 30, 2009\n\nTABLE OF CONTENTS\n"
        + toc
        + "\nTHIS AMENDED AND RESTATED SUPPLY AGREEMENT by and between Alder Foods Company, a "
        'Delaware corporation ("Alder"), and Birch Farms LLC, an Ohio limited liability company '
        '("Birch"), is entered into on August 31, 2018 (the "Execution Date").\n'
    )
    assert _one(cover, "agreement_date") == "2018-08-31"
    amendment = (
        "Amendment No. 1 to the Global Maintenance Agreement ref. GM/C-39/14 Issue 7 dated "
        'March 9, 2015\n\nThis amendment (the "Amendment") is entered into on January 6th, '
        "2016.\n\nBETWEEN:\n\nHERON AIRWAYS S/A, a company incorporated in Brazil;\n"
    )
    assert _one(amendment, "agreement_date") == "2016-01-06"
