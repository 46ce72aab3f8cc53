"""Timeline, amendments, calendar and iCalendar feed through the HTTP API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from icalendar import Calendar

from tests.conftest import Api

MSA = """MASTER SUBSCRIPTION AGREEMENT

This Master Subscription Agreement (the "Agreement") is entered into as of {date} (the \
"Effective Date") by and between Northwind Software, Inc., a Delaware corporation ("Vendor"), \
and Blue Harbor Logistics LLC, a Texas limited liability company ("Customer").

1. Term. This Agreement commences on the Effective Date and continues for an initial term of \
twelve (12) months. Thereafter this Agreement shall automatically renew for successive one (1) \
year renewal terms unless either party gives written notice of non-renewal at least sixty (60) \
days prior to the end of the then-current term.

2. Fees. Customer shall pay Vendor a subscription fee of $10,000 per month. Invoices are payable \
net 30 days from the invoice date. The fees shall increase by 5% annually on each anniversary of \
the Effective Date.

3. Reports. Vendor shall deliver a service level report to Customer within fifteen (15) days \
after the end of each calendar quarter.

4. Governing Law. This Agreement is governed by the laws of the State of Delaware.
"""

AMENDMENT = """FIRST AMENDMENT TO MASTER SUBSCRIPTION AGREEMENT

This First Amendment is entered into as of {am_date} by and between Northwind Software, Inc. \
("Vendor") and Blue Harbor Logistics LLC ("Customer"), and amends the Master Subscription \
Agreement dated {date} between the parties.

1. Notice. Either party may prevent renewal by giving written notice of non-renewal at least \
ninety (90) days prior to the end of the then-current term, and this Agreement shall otherwise \
automatically renew for successive one (1) year terms.
"""


def _fmt(d: dt.date) -> str:
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def _upload(api: Api, title: str, text: str) -> str:
    r = api.client.post(
        "/v1/contracts", params={"wait": True}, json={"title": title, "text": text}, headers=api.rep
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "ready"
    return str(r.json()["id"])


def _calendar(api: Api, **params: Any) -> dict[str, Any]:
    r = api.client.get("/v1/calendar", params=params, headers=api.rep)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_calendar_timeline_amendment_and_feed(api: Api) -> None:
    today = dt.date.today()
    start = today - dt.timedelta(days=200)  # the initial term ends ~165 days from today
    end = start + dt.timedelta(days=365)
    cid = _upload(api, "Northwind MSA", MSA.format(date=_fmt(start)))

    tl = api.client.get(f"/v1/contracts/{cid}/timeline", headers=api.rep).json()
    kinds = {e["kind"] for e in tl["timeline"]["events"]}
    assert {
        "effective",
        "renewal",
        "notice_deadline",
        "price_escalation",
        "payment_due",
        "obligation",
    } <= kinds

    cal = _calendar(
        api,
        **{
            "from": today.isoformat(),
            "to": (today + dt.timedelta(days=400)).isoformat(),
            "kind": "notice_deadline",
        },
    )
    deadlines = [e for e in cal["events"] if e["contract_id"] == cid]
    assert deadlines[0]["date"] == (end - dt.timedelta(days=60)).isoformat()
    ev = deadlines[0]["evidence"]
    assert any(x["text"] == "sixty (60) days" for x in ev)
    assert deadlines[0]["contract_title"] == "Northwind MSA"
    # an escalation carries the escalated price
    esc = _calendar(
        api,
        **{
            "from": start.isoformat(),
            "to": (end + dt.timedelta(days=1)).isoformat(),
            "kind": "price_escalation",
        },
    )["events"]
    assert esc[0]["date"] == end.isoformat() and esc[0]["amount"] == 10500.0
    # several kinds at once; unknown kind is refused
    both = _calendar(
        api, kind="renewal,notice_deadline", to=(today + dt.timedelta(days=400)).isoformat()
    )
    assert {e["kind"] for e in both["events"]} == {"renewal", "notice_deadline"}
    bad = api.client.get("/v1/calendar", params={"kind": "birthday"}, headers=api.rep)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "unknown_event_kind"
    assert api.client.get("/v1/calendar").status_code == 401

    # the amendment: suggested from parties, title and the referenced date; confirmed by a person
    am = _upload(
        api,
        "First Amendment to Northwind MSA",
        AMENDMENT.format(am_date=_fmt(start + dt.timedelta(days=30)), date=_fmt(start)),
    )
    sugg = api.client.get(f"/v1/contracts/{am}/parent-suggestions", headers=api.rep).json()
    assert sugg[0]["parent_id"] == cid
    assert any("dated" in r for r in sugg[0]["reasons"])
    r = api.client.put(f"/v1/contracts/{am}/parent", json={"parent_id": cid}, headers=api.rep)
    assert r.status_code == 200, r.text
    cal = _calendar(
        api,
        **{
            "from": today.isoformat(),
            "to": (today + dt.timedelta(days=400)).isoformat(),
            "kind": "notice_deadline",
        },
    )
    mine = [e for e in cal["events"] if e["contract_id"] == cid]
    assert mine[0]["date"] == (end - dt.timedelta(days=90)).isoformat()
    assert any(x["contract_id"] == am for x in mine[0]["evidence"])
    assert not [e for e in cal["events"] if e["contract_id"] == am]  # not listed twice
    tl = api.client.get(f"/v1/contracts/{cid}/timeline", headers=api.rep).json()
    assert [a["amendment_id"] for a in tl["amendments"]] == [am]
    cyc = api.client.put(f"/v1/contracts/{cid}/parent", json={"parent_id": am}, headers=api.rep)
    assert cyc.status_code == 422 and cyc.json()["error"]["code"] == "amendment_cycle"
    # unlinking restores the original notice period
    assert api.client.delete(f"/v1/contracts/{am}/parent", headers=api.rep).status_code == 204
    cal = _calendar(
        api,
        **{
            "from": today.isoformat(),
            "to": (today + dt.timedelta(days=400)).isoformat(),
            "kind": "notice_deadline",
        },
    )
    assert (
        next(e for e in cal["events"] if e["contract_id"] == cid)["date"]
        == (end - dt.timedelta(days=60)).isoformat()
    )

    # deleting a linked amendment gives the parent its own notice period back
    r = api.client.put(f"/v1/contracts/{am}/parent", json={"parent_id": cid}, headers=api.rep)
    assert r.status_code == 200
    assert api.client.delete(f"/v1/contracts/{am}", headers=api.legal).status_code == 200
    cal = _calendar(
        api,
        **{
            "from": today.isoformat(),
            "to": (today + dt.timedelta(days=400)).isoformat(),
            "kind": "notice_deadline",
        },
    )
    assert (
        next(e for e in cal["events"] if e["contract_id"] == cid)["date"]
        == (end - dt.timedelta(days=60)).isoformat()
    )

    # the iCalendar feed: a URL with its own token, no header needed
    r = api.client.post("/v1/calendar/feed", headers=api.rep)
    assert r.status_code == 201
    url = r.json()["url"]
    path = url[url.index("/v1/") :]
    assert "cw_" not in path  # not the API key
    ics = api.client.get(path)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    cal_obj = Calendar.from_ical(ics.content)
    summaries = [str(c.get("summary")) for c in cal_obj.walk("VEVENT")]
    assert any("non-renewal notice" in s and "Northwind MSA" in s for s in summaries)
    # rotating the feed kills the old URL; revoking kills the new one
    r2 = api.client.post("/v1/calendar/feed", headers=api.rep).json()["url"]
    assert api.client.get(path).status_code == 404
    path2 = r2[r2.index("/v1/") :]
    assert api.client.get(path2).status_code == 200
    assert api.client.delete("/v1/calendar/feed", headers=api.rep).status_code == 204
    gone = api.client.get(path2)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "feed_not_found"
