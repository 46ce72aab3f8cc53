"""Notice-deadline date exactness on CUAD dev contracts labelled with renewal and notice periods.

The expected deadline is computed from the gold answers alone, where they determine it: a full
"Expiration Date", a "Renewal Term" (the contract renews) and a "Notice Period To Terminate
Renewal" that reads as one duration. Expected = expiration - notice (calendar months for months,
days for days). Ours is the first notice deadline of the timeline computed from the terms our
extraction reads in the text; the gold answers are only used to score.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from dateutil.relativedelta import relativedelta

from extraction.cuad import read_contract, read_labels
from extraction.terms import extract_terms, parse_duration
from lifecycle import timeline

_GOLD_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s*$")


def gold_date(answer: str | None) -> dt.date | None:
    """CUAD writes dates as M/D/YY; a two-digit year below 50 is 20YY."""
    m = _GOLD_DATE.match(answer or "")
    if not m:
        return None
    month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if year < 100:
        year += 2000 if year < 50 else 1900
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def gold_notices(answer: str | None) -> list[relativedelta]:
    """ "90 days", "6 months", "(6) months"; "180 days / 6 months" gives both readings (the
    annotators wrote two equivalent periods: either deadline is the contract's)."""
    out: list[relativedelta] = []
    for piece in re.split(r"/|;|\bor\b", answer or ""):
        pd = parse_duration(piece.replace("(", " ").replace(")", " "))
        if not pd or pd[0] <= 0 or pd[0] != int(pd[0]):
            continue
        n, unit = int(pd[0]), pd[1]
        out.append(
            {
                "day": relativedelta(days=n),
                "week": relativedelta(weeks=n),
                "month": relativedelta(months=n),
                "year": relativedelta(years=n),
            }[unit]
        )
    return out


@dataclass
class DeadlineReport:
    labelled: int = 0  # contracts with a notice-period answer
    scorable: int = 0
    exact: int = 0
    within_7: int = 0
    missing: int = 0  # no deadline computed
    end_exact: int = 0  # our initial-term end equals the gold expiration date
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (id, expected, ours)

    def render(self) -> str:
        s = max(self.scorable, 1)
        lines = [
            "Notice-deadline date exactness (CUAD dev, gold renewal + notice + expiration)",
            f"  contracts with a notice-period label: {self.labelled}",
            f"  scorable (gold determines the deadline): {self.scorable}",
            f"  exact: {self.exact}/{self.scorable} = {self.exact / s:.3f}   (target >= 0.85)",
            f"  within 7 days: {self.within_7 / s:.3f}",
            f"  no deadline computed: {self.missing}",
            f"  term end equal to gold expiration: {self.end_exact / s:.3f}",
        ]
        wrong = [r for r in self.rows if r[1] != r[2]]
        if wrong:
            lines.append("  misses (id, expected, ours):")
            lines += [f"    {cid}  {exp}  {ours}" for cid, exp, ours in wrong[:40]]
        return "\n".join(lines)


def run_deadline_eval(cuad_dir: Path) -> DeadlineReport:
    labels = read_labels(cuad_dir)
    rep = DeadlineReport()
    for cid, lab in sorted(labels.items()):
        cats = lab["categories"]
        notice_answer = (cats.get("Notice Period To Terminate Renewal") or {}).get("answer")
        if not notice_answer:
            continue
        rep.labelled += 1
        renewal = (cats.get("Renewal Term") or {}).get("answer")
        end = gold_date((cats.get("Expiration Date") or {}).get("answer"))
        notices = gold_notices(notice_answer)
        if not renewal or "perpetual" in renewal.lower() or end is None or not notices:
            continue
        accepted = sorted({end - n for n in notices})
        expected = accepted[0]
        rep.scorable += 1
        text = read_contract(cuad_dir, cid)
        tl = timeline(extract_terms(text), today=expected)
        first = next((e for e in tl.of_kind("notice_deadline") if e.sequence == 0), None)
        ours = first.date if first else None
        if ours is None:
            rep.missing += 1
        elif ours in accepted:
            rep.exact += 1
            expected = ours
        if ours is not None and min(abs((ours - a).days) for a in accepted) <= 7:
            rep.within_7 += 1
        if tl.initial_term_end == end:
            rep.end_exact += 1
        rep.rows.append((cid, expected.isoformat(), ours.isoformat() if ours else "-"))
    return rep
