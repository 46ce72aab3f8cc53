"""Reconciliation on planted mismatches over CUAD dev contracts.

For each dev contract whose terms (read by the real extraction pipeline) name a customer and a
start date, the eval writes CRM and billing records the way a correct CRM or billing system
would hold them (its own date arithmetic from the extracted start, term, fee and escalation:
it does not call the reconciler), then plants one documented mismatch in a copy:

  price             the yearly price moved by -20%, -10%, +15% or +25%
  currency          another ISO currency
  term              the term 12 months shorter (or longer)
  start_date        the start 45 to 120 days later or earlier
  payment_terms     net days changed to another common value
  billing_frequency another billing frequency than the contract states
  auto_renew        the auto-renew flag flipped
  discount          a 10% discount the contract does not grant
  discount_past_end the contract's time-limited discount still applied 30 days after it ended
  escalation_not_applied  billed at the base price 20 days after the first escalation date
  renewed_not_billed      an auto-renewing contract's billing cancelled at the initial term end
  billed_after_end        a contract that does not renew still billed 40 days after its end

Records travel as real CSV exports (Stripe subscriptions, Salesforce opportunities, HubSpot
deals) through the mapping file and the importer, with the customer's name written as those
systems do (upper case, suffix dropped), and are linked by the suggestion ranking (customer
against every eval contract's parties, and dates). The reconciler then judges each pair on
its own `as_of` day. A kind can only be planted where the contract states the value it needs,
so kinds CUAD rarely states (billing frequency, time-limited discounts) have few pairs.

What this measures: the reconciler, importer and linker on real contract text; not
extraction accuracy (the records come from the same extraction).
"""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

from deals import KINDS, Record, contract_facts, load_mapping, parse_csv, reconcile
from deals.contract_terms import ContractFacts
from deals.matching import rank_contracts
from extraction.cuad import contract_ids, read_contract
from extraction.terms import extract_terms

SEED = 13
_PERIODS = {"monthly": 12, "quarterly": 4, "semiannual": 2, "annual": 1}
_STRIPE_INTERVAL = {
    "monthly": ("month", 1),
    "quarterly": ("month", 3),
    "semiannual": ("month", 6),
    "annual": ("year", 1),
}
_OTHER_CURRENCY = {"USD": "EUR", "EUR": "GBP", "GBP": "USD"}
_SUFFIXES = (
    ", Inc.",
    " Inc.",
    ", Inc",
    " Inc",
    ", LLC",
    " LLC",
    " Corp.",
    " Corporation",
    " Ltd.",
    " Limited",
    " L.P.",
    ", L.P.",
)


@dataclass
class Truth:
    """What a correct record holds for a contract (from the extracted terms)."""

    customer: str
    start: date
    term: int | None
    yearly: float | None
    currency: str | None
    frequency: str
    net: int | None
    auto_renew: bool | None
    esc_rate: float | None
    discount: dict[str, Any] | None
    frequency_stated: bool = False
    end: date | None = None  # the contract's stated end of its initial term

    def term_end(self) -> date | None:
        if self.end:
            return self.end
        return self.start + relativedelta(months=self.term) if self.term else None

    def early(self) -> date:
        """A day well inside the initial term: nothing is due yet."""
        end = self.term_end()
        day = self.start + timedelta(days=90)
        if end is not None and day >= end:
            day = self.start + (end - self.start) / 2
        return day


@dataclass
class Pair:
    n: int
    contract_id: str
    kind: str | None  # None: clean
    source: str
    values: dict[str, Any]
    as_of: date


@dataclass
class Report:
    contracts: int = 0
    eligible: int = 0
    pairs: int = 0
    clean: int = 0
    clean_false: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    linked_wrong: int = 0
    unlinked: int = 0
    import_problems: int = 0
    per_kind: dict[str, Counter[str]] = field(default_factory=dict)
    false_examples: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def render(self) -> str:
        lines = [
            f"contracts read: {self.contracts}; with a customer and a start date: {self.eligible}",
            f"pairs: {self.pairs} ({self.pairs - self.clean} planted, {self.clean} clean); "
            f"import problems: {self.import_problems}; linked to the wrong contract: "
            f"{self.linked_wrong}; not linked: {self.unlinked}",
            f"mismatch precision: {self.precision:.3f}  recall: {self.recall:.3f}  "
            f"(tp {self.tp}, fp {self.fp}, fn {self.fn})",
            f"clean pairs with a false mismatch: {self.clean_false}/{self.clean} = "
            f"{self.clean_false / max(1, self.clean):.1%}",
            "",
            f"{'kind':<24}{'planted':>8}{'found':>7}{'false':>7}",
        ]
        for k in KINDS:
            c = self.per_kind.get(k, Counter())
            lines.append(f"{k:<24}{c['planted']:>8}{c['found']:>7}{c['false']:>7}")
        return "\n".join(lines)


def _customer(f: ContractFacts, terms: list[dict[str, Any]]) -> str | None:
    parties = [t["value"] for t in terms if t["name"] == "parties" and isinstance(t["value"], dict)]
    named = [p for p in parties if 2 < len(str(p.get("name", ""))) < 80]
    if not named:
        return None
    for p in named:
        if p.get("role") in ("customer", "licensee", "distributor", "reseller", "buyer"):
            return str(p["name"])
    return str(named[1]["name"] if len(named) > 1 else named[0]["name"])


def _truth(f: ContractFacts, customer: str) -> Truth | None:
    if f.start is None:
        return None
    if f.end is not None and f.end.value <= f.start.value + timedelta(days=2):
        return None  # the text's dates contradict each other: no consistent record exists
    yearly = None
    if f.fee and f.fee.value.get("period") in ("month", "year"):
        amount = float(f.fee.value["amount"])
        yearly = amount * 12 if f.fee.value["period"] == "month" else amount
    esc = f.escalation.value if f.escalation else {}
    rate = esc.get("percent") or esc.get("cap_percent")
    if esc.get("frequency") != "annual":
        rate = None  # no dates without a stated yearly rhythm
    freq = f.billing_frequency.value if f.billing_frequency else None
    if freq is None and f.fee:
        freq = {"month": "monthly", "year": "annual"}.get(f.fee.value.get("period") or "")
    return Truth(
        customer=customer,
        start=f.start.value,
        term=f.term_months.value if f.term_months else None,
        yearly=yearly,
        currency=f.fee.value.get("currency") if f.fee else None,
        frequency=freq or "annual",
        net=f.net_days.value if f.net_days else None,
        auto_renew=f.auto_renewal.value if f.auto_renewal else None,
        esc_rate=float(rate) if rate else None,
        discount=f.discount.value if f.discount and f.discount.value.get("end_date") else None,
        frequency_stated=f.billing_frequency is not None,
        end=f.end.value if f.end else None,
    )


def _clean_values(t: Truth) -> dict[str, Any]:
    return {
        "customer": t.customer,
        "start": t.start,
        "term": t.term,
        "yearly": t.yearly,
        "currency": t.currency,
        "frequency": t.frequency,
        "net": t.net,
        "auto_renew": t.auto_renew,
        "status": "active",
        "end": None,
        "discount": None,
        "discount_end": None,
    }


def _live(t: Truth, day: date) -> bool:
    end = t.term_end()
    return end is None or day < end or t.auto_renew is True


def _escalated(t: Truth, day: date) -> float | None:
    if t.yearly is None:
        return None
    if not t.esc_rate:
        return t.yearly
    n = 0
    while t.start + relativedelta(years=n + 1) <= day:
        n += 1
    return t.yearly * (1 + t.esc_rate / 100) ** n


def _plants(t: Truth) -> dict[str, Callable[[dict[str, Any], random.Random], date]]:
    """kind -> a function that changes clean values and returns the pair's as_of day."""
    early = t.early()
    out: dict[str, Callable[[dict[str, Any], random.Random], date]] = {}
    if t.yearly is not None:

        def price(v: dict[str, Any], r: random.Random) -> date:
            v["yearly"] = t.yearly * r.choice([0.8, 0.9, 1.15, 1.25])  # type: ignore[operator]
            return early

        out["price"] = price

        def disc(v: dict[str, Any], r: random.Random) -> date:
            v["discount"], v["discount_end"] = 10.0, early + timedelta(days=180)
            return early

        if t.discount is None:
            out["discount"] = disc
    if t.currency in _OTHER_CURRENCY:

        def cur(v: dict[str, Any], r: random.Random) -> date:
            v["currency"] = _OTHER_CURRENCY[v["currency"]]
            return early

        out["currency"] = cur
    if t.term:

        def term(v: dict[str, Any], r: random.Random) -> date:
            v["term"] = t.term - 12 if t.term > 12 else t.term + 12  # type: ignore[operator]
            return early

        out["term"] = term

    def start(v: dict[str, Any], r: random.Random) -> date:
        v["start"] = t.start + timedelta(days=r.choice([-1, 1]) * r.randint(45, 120))
        return early

    out["start_date"] = start
    if t.net is not None:

        def net(v: dict[str, Any], r: random.Random) -> date:
            v["net"] = r.choice([d for d in (15, 30, 45, 60, 90) if d != t.net])
            return early

        out["payment_terms"] = net
    if t.frequency_stated:

        def freq(v: dict[str, Any], r: random.Random) -> date:
            v["frequency"] = r.choice([f for f in _PERIODS if f != t.frequency])
            return early

        out["billing_frequency"] = freq
    if t.auto_renew is not None:

        def flip(v: dict[str, Any], r: random.Random) -> date:
            v["auto_renew"] = not t.auto_renew
            return early

        out["auto_renew"] = flip
    if t.esc_rate and t.yearly is not None:
        day = t.start + relativedelta(years=1) + timedelta(days=20)
        if _live(t, day):

            def esc(v: dict[str, Any], r: random.Random) -> date:
                v["yearly"] = t.yearly  # the base price, never escalated
                return day

            out["escalation_not_applied"] = esc
    if t.discount is not None and t.discount.get("end_date"):
        d_end = date.fromisoformat(t.discount["end_date"])
        day = d_end + timedelta(days=30)
        if _live(t, day):

            def past(v: dict[str, Any], r: random.Random) -> date:
                v["discount"], v["discount_end"] = t.discount["percent"], d_end  # type: ignore[index]
                return day

            out["discount_past_end"] = past
    end = t.term_end()
    if end is not None and t.yearly is not None:
        day = end + timedelta(days=40)
        if t.auto_renew is True:

            def stopped(v: dict[str, Any], r: random.Random) -> date:
                v["status"], v["end"] = "cancelled", end
                return day

            out["renewed_not_billed"] = stopped
        else:

            def still(v: dict[str, Any], r: random.Random) -> date:
                v["status"], v["end"] = "active", None
                return day

            out["billed_after_end"] = still
    return out


def _clean_scenario(t: Truth, r: random.Random) -> tuple[dict[str, Any], date]:
    """A clean record on a day in one of the contract's states."""
    v = _clean_values(t)
    end = t.term_end()
    options = ["early"]
    if end is not None:
        options.append("after_end")
    if t.esc_rate and t.yearly is not None:
        options.append("escalated")
    choice = r.choice(options)
    if choice == "early":
        return v, t.early()
    if choice == "escalated":
        day = t.start + relativedelta(years=1) + timedelta(days=20)
        if not _live(t, day):
            return v, t.early()
    else:
        assert end is not None
        day = end + timedelta(days=40)
        if t.auto_renew is not True:
            v["status"], v["end"] = "cancelled", end
    v["yearly"] = _escalated(t, day)
    if (
        t.discount
        and t.discount.get("end_date")
        and day <= date.fromisoformat(t.discount["end_date"])
    ):
        v["discount"], v["discount_end"] = (
            t.discount["percent"],
            date.fromisoformat(t.discount["end_date"]),
        )
    return v, day


def _name_as_written(name: str, r: random.Random) -> str:
    style = r.randrange(3)
    if style == 1:
        return name.upper()
    if style == 2:
        for s in _SUFFIXES:
            if name.endswith(s):
                return name[: -len(s)]
    return name


# ---- the exports


def _stripe_row(n: int, v: dict[str, Any]) -> dict[str, str]:
    interval, count = _STRIPE_INTERVAL[v["frequency"]]
    per = v["yearly"] / _PERIODS[v["frequency"]] if v["yearly"] is not None else None
    return {
        "id": f"sub_eval{n:05d}",
        "Customer ID": f"cus_eval{n:05d}",
        "Customer Name": v["customer"],
        "Currency": (v["currency"] or "usd").lower(),
        "Interval": interval,
        "Interval Count": str(count),
        "Amount": f"{per:.2f}" if per is not None else "",
        "Status": "active" if v["status"] == "active" else "canceled",
        "Start Date (UTC)": f"{v['start'].isoformat()} 00:00:00",
        "Ended At (UTC)": f"{v['end'].isoformat()} 00:00:00" if v["end"] else "",
        "Cancel At Period End": ""
        if v["auto_renew"] is None
        else ("false" if v["auto_renew"] else "true"),
        "Days Until Due": "" if v["net"] is None else str(v["net"]),
        "Coupon Percent Off": "" if v["discount"] is None else f"{v['discount']:g}",
        "Coupon Ends At (UTC)": f"{v['discount_end'].isoformat()} 00:00:00"
        if v["discount_end"]
        else "",
        "contract_term_months (metadata)": "" if v["term"] is None else str(v["term"]),
    }


def _crm_row(n: int, v: dict[str, Any]) -> tuple[str, dict[str, str]]:
    freq = {
        "monthly": "Monthly",
        "quarterly": "Quarterly",
        "semiannual": "Semi-annual",
        "annual": "Annually",
    }[v["frequency"]]
    if v["term"]:
        total = v["yearly"] * v["term"] / 12 if v["yearly"] is not None else None
        return "salesforce", {
            "Opportunity ID": f"0065g0000EVAL{n:05d}",
            "Opportunity Name": f"{v['customer']} subscription",
            "Account Name": v["customer"],
            "Stage": "Closed Won" if v["status"] == "active" else "Closed Lost",
            "Amount": f"{total:,.2f}" if total is not None else "",
            "Opportunity Currency": v["currency"] or "",
            "Contract Start Date": v["start"].strftime("%m/%d/%Y"),
            "Contract Term (months)": str(v["term"]),
            "Billing Frequency": freq,
            "Payment Terms": "" if v["net"] is None else f"Net {v['net']}",
            "Discount (%)": "" if v["discount"] is None else f"{v['discount']:g}",
            "Discount End Date": v["discount_end"].strftime("%m/%d/%Y")
            if v["discount_end"]
            else "",
            "Auto Renewal": "" if v["auto_renew"] is None else str(v["auto_renew"]).upper(),
        }
    return "hubspot", {
        "Record ID": f"9{n:010d}",
        "Deal Name": f"{v['customer']} deal",
        "Deal Stage": "Closed won" if v["status"] == "active" else "Closed lost",
        "Associated Company": v["customer"],
        "Annual contract value": f"{v['yearly']:.2f}" if v["yearly"] is not None else "",
        "Currency": v["currency"] or "",
        "Contract start date": v["start"].isoformat(),
        "Billing frequency": freq,
        "Payment terms": "" if v["net"] is None else f"Net {v['net']}",
        "Discount": "" if v["discount"] is None else f"{v['discount']:g}",
        "Discount end date": v["discount_end"].isoformat() if v["discount_end"] else "",
        "Auto-renews": "" if v["auto_renew"] is None else str(v["auto_renew"]).lower(),
    }


def _csv(rows: list[dict[str, str]], headers: list[str]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=headers, extrasaction="ignore")
    w.writeheader()
    for row in rows:
        w.writerow({h: row.get(h, "") for h in headers})
    return buf.getvalue().encode()


_BILLING_ONLY = {
    "escalation_not_applied",
    "renewed_not_billed",
    "billed_after_end",
    "discount_past_end",
}


def run_reconcile_eval(cuad_dir: Path, limit: int | None = None) -> Report:
    rng = random.Random(SEED)
    mapping = load_mapping()
    rep = Report()
    facts: dict[str, ContractFacts] = {}
    truths: dict[str, Truth] = {}
    ids = contract_ids(cuad_dir)[:limit] if limit else contract_ids(cuad_dir)
    for cid in ids:
        text = read_contract(cuad_dir, cid)
        terms = [t.model_dump() for t in extract_terms(text)]
        f = contract_facts(cid, None, text, terms)
        rep.contracts += 1
        customer = _customer(f, terms)
        t = _truth(f, customer) if customer else None
        if t is None:
            continue
        facts[cid], truths[cid] = f, t
    rep.eligible = len(truths)
    # pairs: one clean and one planted per contract; the kind planted is the least used yet
    used: Counter[str] = Counter()
    pairs: list[Pair] = []
    for cid, t in truths.items():
        v, day = _clean_scenario(t, rng)
        pairs.append(Pair(len(pairs), cid, None, rng.choice(["crm", "billing"]), v, day))
        plants = _plants(t)
        if not plants:
            continue
        kind = min(plants, key=lambda k: (used[k], rng.random()))
        used[kind] += 1
        v = _clean_values(t)
        day = plants[kind](v, rng)
        if v["yearly"] is not None and kind not in ("escalation_not_applied", "price"):
            v["yearly"] = _escalated(t, day)
        source = "billing" if kind in _BILLING_ONLY else rng.choice(["crm", "billing"])
        pairs.append(Pair(len(pairs), cid, kind, source, v, day))
    rep.pairs = len(pairs)
    # write the exports, import them, link by suggestion
    for p in pairs:
        p.values["customer"] = _name_as_written(p.values["customer"], rng)
    exports: dict[str, list[tuple[Pair, dict[str, str]]]] = {
        "stripe": [],
        "salesforce": [],
        "hubspot": [],
    }
    for p in pairs:
        if p.source == "billing":
            exports["stripe"].append((p, _stripe_row(p.n, p.values)))
        else:
            fmt, row = _crm_row(p.n, p.values)
            exports[fmt].append((p, row))
    fmt_names = {
        "stripe": "stripe_subscriptions",
        "salesforce": "salesforce_opportunities",
        "hubspot": "hubspot_deals",
    }
    records: dict[int, Record] = {}
    for name, rows in exports.items():
        if not rows:
            continue
        fm = mapping.formats[fmt_names[name]]
        headers = list(fm.columns) + list(fm.ignore)
        parsed = parse_csv(_csv([r for _, r in rows], headers), mapping, fmt_names[name])
        for (p, _), pr in zip(rows, parsed.rows, strict=True):
            if pr.record is None:
                rep.import_problems += 1
                rep.false_examples.append(f"pair {p.n} import: {pr.problems}")
                continue
            d = pr.record
            records[p.n] = Record(
                id=str(p.n),
                source=d.source,
                external_id=d.external_id,
                customer=d.customer,
                amount=d.amount,
                amount_period=d.period(),
                currency=d.currency,
                start_date=d.start_date,
                end_date=d.end_date,
                term_months=d.term_months,
                billing_frequency=d.billing_frequency,
                payment_net_days=d.payment_net_days,
                discount_percent=d.discount_percent,
                discount_end_date=d.discount_end_date,
                escalation_percent=d.escalation_percent,
                auto_renew=d.auto_renew,
                status=d.status,
            )
    candidates = [
        (cid, cid, f.parties, f.start.value if f.start else None) for cid, f in facts.items()
    ]
    for p in pairs:
        rec = records.get(p.n)
        expected = {p.kind} if p.kind else set()
        found: set[str] = set()
        if rec is not None:
            ranked = rank_contracts(rec.customer, rec.start_date, candidates, limit=1)
            if not ranked:
                rep.unlinked += 1
            else:
                linked = ranked[0][0]
                if linked != p.contract_id:
                    rep.linked_wrong += 1
                found = {m.kind for m in reconcile(facts[linked], [rec], p.as_of)}
        if p.kind is None:
            rep.clean += 1
            if found:
                rep.clean_false += 1
                rep.false_examples.append(f"clean pair {p.n} ({p.contract_id}): {sorted(found)}")
        else:
            rep.per_kind.setdefault(p.kind, Counter())["planted"] += 1
        for k in found & expected:
            rep.tp += 1
            rep.per_kind.setdefault(k, Counter())["found"] += 1
        for k in found - expected:
            rep.fp += 1
            rep.per_kind.setdefault(k, Counter())["false"] += 1
            if p.kind:
                rep.false_examples.append(f"pair {p.n} planted {p.kind}: also {k}")
        for k in expected - found:
            rep.fn += 1
            rep.false_examples.append(f"pair {p.n} ({p.contract_id}) missed {k}: {found}")
    return rep
