"""How long the term runs, on term sentences in the way third-party contracts word them
(snippets written for these tests): durations counted from the effective date or the signing,
ends on a date or an anniversary, dates in words, terms that run until an event, and terms whose
end cannot be known (answered as unknown, not guessed)."""

from __future__ import annotations

from tests.test_terms_third_party import _one

_OPENING = (
    'THIS LICENSE AGREEMENT (the "Agreement") is made as of June 10, 2015 (the "Effective '
    'Date") by and between Marrow Tech, Inc. ("Licensor") and Quill Data LLC ("Licensee").\n\n'
)
# the same opening with its date in words
_OPENING_IN_WORDS = (
    'THIS LICENSE AGREEMENT (the "Agreement") is made this tenth day of June, two thousand '
    'fifteen by and between Marrow Tech, Inc. ("Licensor") and Quill Data LLC ("Licensee").\n\n'
)


def _end(clause: str, opening: str = _OPENING) -> object:
    return _one(opening + clause, "expiration_date")


def test_a_duration_counted_from_the_effective_date() -> None:
    for clause, want in (
        (
            "5. Term. This Agreement shall remain in force for a period of five (5) years from "
            "the Effective Date.",
            "2020-06-10",
        ),
        (
            "5. Term. The Agreement shall be in effect for a period of three years from the "
            "Effective Date, unless terminated earlier.",
            "2018-06-10",
        ),
        ("5. Term. The term hereof shall be two (2) years from the Effective Date.", "2017-06-10"),
        (
            "5. Term. The term of this Agreement is twenty-four (24) months, starting on the "
            "Effective Date.",
            "2017-06-10",
        ),
        (
            "5. Term. This Agreement shall be valid for a term of ten (10) years commencing on the "
            "Effective Date.",
            "2025-06-10",
        ),
        (
            "5. Term. The Agreement shall expire five (5) years after the Effective Date.",
            "2020-06-10",
        ),
        (
            "5. Term. Subject to Section 12, the term of this Agreement shall be a period of five "
            "years beginning on the Effective Date.",
            "2020-06-10",
        ),
        (
            "5. Term. This Agreement becomes effective on the Effective Date and remains in effect "
            "for a period of two (2) years thereafter.",
            "2017-06-10",
        ),
        (
            "5. TERM. THIS AGREEMENT SHALL COMMENCE ON THE EFFECTIVE DATE AND SHALL CONTINUE FOR A "
            "PERIOD OF TWO (2) YEARS.",
            "2017-06-10",
        ),
    ):
        assert _end(clause) == want, clause


def test_a_renewal_or_a_later_extension_does_not_lengthen_the_first_term() -> None:
    for clause, want in (
        (
            "5. Term. This Agreement shall be effective for one (1) year after the Effective Date "
            "and shall thereafter renew automatically for successive one-year periods.",
            "2016-06-10",
        ),
        (
            "5. Term. This Agreement will remain in effect for a period of seven years from the "
            "Effective Date, after which it may be renewed by mutual agreement.",
            "2022-06-10",
        ),
        (
            "5.1 This Agreement shall continue for an initial term of 3 years. Thereafter, it "
            "shall continue from year to year unless either party gives 90 days notice.",
            "2018-06-10",
        ),
    ):
        assert _end(clause) == want, clause


def test_a_term_that_continues_until_a_date() -> None:
    for clause, want in (
        (
            "5. Term. This Agreement shall commence on the Effective Date and shall continue until "
            "June 30, 2019.",
            "2019-06-30",
        ),
        (
            "5. Duration. This Agreement shall remain in full force and effect until December 31, "
            "2018, unless terminated earlier.",
            "2018-12-31",
        ),
        (
            "5. Term. This Agreement shall continue in effect through and including the 31st day "
            "of March, 2017.",
            "2017-03-31",
        ),
        (
            "5. Term. This Agreement shall continue in full force until the thirtieth day of "
            "September, two thousand eighteen.",
            "2018-09-30",
        ),
        (
            "5. Term. The Term of this Agreement shall be for a period of three (3) years "
            "commencing on July 1, 2015 and ending on June 30, 2018.",
            "2018-06-30",
        ),
    ):
        assert _end(clause) == want, clause


def test_an_initial_term_ending_on_an_anniversary() -> None:
    for clause, want in (
        (
            "5. Term. The initial term of this Agreement shall begin on the Effective Date and end "
            'on the fifth (5th) anniversary thereof (the "Initial Term").',
            "2020-06-10",
        ),
        (
            "5. Term. Unless sooner terminated, this Agreement will run for an initial term "
            "ending on the fourth anniversary of the Effective Date.",
            "2019-06-10",
        ),
        (
            "5. Term. This Agreement shall remain in force until the fifth anniversary of the "
            "date of this Agreement.",
            "2020-06-10",
        ),
    ):
        assert _end(clause) == want, clause


def test_a_term_counted_from_a_date_given_in_words() -> None:
    for clause, want in (
        (
            "5. Term. This Agreement shall remain in force for a period of five (5) years from "
            "the date hereof.",
            "2020-06-10",
        ),
        (
            "5. Term. This Agreement shall remain in force for three years from the Effective "
            "Date.",
            "2018-06-10",
        ),
    ):
        assert _end(clause, _OPENING_IN_WORDS) == want, clause


def test_a_term_for_as_long_as_something_lasts_has_no_fixed_end() -> None:
    clause = (
        "5. Term. This Agreement shall remain in effect for as long as Licensee sells Products."
    )
    assert _end(clause) == "indefinite"
    # an exception to the stated term, and another duty that lasts as long as something, are not
    for clause in (
        "5.1 This Agreement shall terminate one (1) year from the Rig Release Date.\n\n5.2 "
        "Notwithstanding Section 5.1, if the well is completed, this Agreement shall continue "
        "for so long as the Operating Agreement remains in effect.",
        "8. Insurance. Each party shall maintain insurance during the term of this Agreement "
        "and thereafter for so long as it customarily insures its products.",
    ):
        assert _end(clause) != "indefinite", clause


def test_a_term_counted_from_an_event_the_contract_defines_is_unknown() -> None:
    clause = (
        '1.4 "Commencement Date" shall mean the date on which the conversion of all branches '
        'has been completed.\n\n1.9 "Term" shall mean the period commencing on the Effective '
        "Date and terminating on the sixth anniversary of the Commencement Date."
    )
    assert _end(clause) is None
    # a "Commencement Date" that is a date is the term's start as before
    dated = (
        '1.4 "Commencement Date" means July 1, 2015.\n\n1.9 "Term" shall mean the period '
        "commencing on the Commencement Date and terminating on the sixth anniversary of the "
        "Commencement Date."
    )
    assert _end(dated) is not None


def test_the_end_of_one_phase_is_not_the_end_of_the_agreement() -> None:
    clause = (
        "3.1 The term of the cooperation will be four years from the date on which the service "
        "is launched.\n\n3.2 Phases (subject to the actual launch date). Phase I will commence "
        "on August 1, 2015 and end on July 31, 2016. Phase II will commence on August 1, 2016 "
        "and end on July 31, 2017."
    )
    assert _end(clause) is None


def test_the_last_day_of_a_month_ends_the_term() -> None:
    for clause, want in (
        ("5. Term. This Agreement shall expire on the last day of March, 2021.", "2021-03-31"),
        (
            '5. Term. The term of this Agreement (the "Term") shall expire upon the later of (a) '
            "the end of the 2023 racing season and (b) the last day in February, 2024.",
            "2024-02-29",
        ),
    ):
        assert _end(clause) == want, clause


def test_the_entire_term_of_a_duration() -> None:
    clause = (
        "5. Term. Unless Licensee elects to end it after the first season, this Agreement shall "
        "continue for the entire three (3) year term unless earlier terminated under Section 9."
    )
    assert _end(clause) == "2018-06-10"
