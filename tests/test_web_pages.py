"""The web pages through a test client: sign-in and its cookie, CSRF, upload, the archive,
one contract, the library editor, search and ask. (The browser tests drive the same pages in
Chromium.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from markupsafe import escape

from ai_service.web.render import (
    Mark,
    contract_html,
    diff_ops,
    display_title,
    markdown_html,
    redline_html,
)
from archive.entities import SegmentOut
from tests.browser_support import bearer_key, csrf_of, sign_in
from tests.conftest import Api, StartApi
from tests.samples import SAMPLE_MSA, SAMPLE_RESELLER


@pytest.fixture
def web(start_api: StartApi) -> Iterator[Api]:
    with start_api() as api:
        # The session cookie is Secure: the client must speak https to get it back.
        api.client.base_url = "https://testserver"  # type: ignore[assignment]
        api.client.follow_redirects = False
        yield api


def _upload(api: Api, csrf: str, name: str, data: bytes) -> Any:
    return api.client.post(
        "/contracts/upload",
        files={"file": (name, data, "text/plain")},
        headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
    )


def _ready(api: Api, *names_and_texts: tuple[str, str]) -> dict[str, str]:
    csrf = sign_in(api.client, api.rep)
    ids = {}
    for name, text in names_and_texts:
        r = _upload(api, csrf, name, text.encode())
        assert r.status_code in (200, 202), r.text
        cid = r.json()["id"]
        assert api.services.archive.wait(cid, 120).status == "ready"
        ids[name] = cid
    return ids


# ----------------------------------------------------------------------------- sign-in


def test_sign_in_sets_a_secure_http_only_cookie_and_sign_out_clears_it(web: Api) -> None:
    c = web.client
    r = c.get("/contracts")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fcontracts"
    assert c.get("/login").status_code == 200

    bad = c.post("/login", data={"key": "cw_not_a_key"})
    assert bad.status_code == 401 and "unknown or has been revoked" in bad.text

    key = bearer_key(web.rep)
    r = c.post("/login", data={"key": key, "next": "/library"})
    assert r.status_code == 303 and r.headers["location"] == "/library"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("cw_session="))
    flags = cookie.lower()
    assert "httponly" in flags and "secure" in flags and "samesite=strict" in flags
    assert key not in cookie  # encrypted, not the key itself

    page = c.get("/library")
    assert page.status_code == 200 and "test rep" in page.text and "Signed in as" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]

    # Sign out needs the session's CSRF token.
    assert c.post("/logout", data={"csrf": "wrong"}).status_code == 403
    r = c.post("/logout", data={"csrf": csrf_of(page.text)})
    assert r.status_code == 303
    assert c.get("/contracts").status_code == 303


def test_a_tampered_cookie_or_a_revoked_key_signs_out(web: Api) -> None:
    c = web.client
    sign_in(c, web.legal)
    assert c.get("/contracts").status_code == 200
    good = c.cookies["cw_session"]
    c.cookies.clear()
    c.cookies.set("cw_session", good[:-4] + "AAAA")
    assert c.get("/contracts").status_code == 303
    c.cookies.set("cw_session", good)
    assert c.get("/contracts").status_code == 200
    keys = web.client.get("/v1/keys", headers=web.admin).json()
    legal_id = next(k["id"] for k in keys if k["role"] == "legal")
    assert web.client.delete(f"/v1/keys/{legal_id}", headers=web.admin).status_code == 200
    assert c.get("/contracts").status_code == 303


def test_posts_from_another_site_are_refused(web: Api) -> None:
    c = web.client
    key = bearer_key(web.rep)
    r = c.post("/login", data={"key": key}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403 and "cw_session" not in r.headers.get("set-cookie", "")
    csrf = sign_in(c, web.rep)
    r = c.post("/logout", data={"csrf": csrf}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403


# ----------------------------------------------------------------------------- contracts


def test_upload_then_the_archive_filters_and_sorts(web: Api) -> None:
    ids = _ready(web, ("msa.txt", SAMPLE_MSA), ("reseller.txt", SAMPLE_RESELLER))
    c = web.client
    csrf = csrf_of(c.get("/contracts").text)

    # Without the CSRF token nothing is stored; a wrong type gets a message a person can act on.
    r = c.post("/contracts/upload", files={"file": ("x.txt", b"hello", "text/plain")})
    assert r.status_code == 403
    r = _upload(web, csrf, "image.png", b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert r.status_code == 415 and "PDF" in r.json()["error"]["message"]
    again = _upload(web, csrf, "copy.txt", SAMPLE_MSA.encode())
    assert again.json()["duplicate"] is True and again.json()["id"] == ids["msa.txt"]
    status = c.get(f"/web/api/contracts/{ids['msa.txt']}").json()
    assert status["status"] == "ready"

    html = c.get("/contracts").text
    assert "Msa" in html or "msa" in html
    assert "Delaware" in html and "England" in html
    assert html.count('href="/contracts/') >= 2

    only = c.get("/contracts", params={"governing_law": "Delaware"}).text
    assert f'href="/contracts/{ids["msa.txt"]}"' in only
    assert f'href="/contracts/{ids["reseller.txt"]}"' not in only

    lacking = c.get("/contracts", params={"clause_type_absent": "limitation_of_liability"}).text
    assert f'href="/contracts/{ids["reseller.txt"]}"' in lacking
    assert f'href="/contracts/{ids["msa.txt"]}"' not in lacking

    by_net = c.get("/contracts", params={"sort": "payment_net_days", "dir": "asc"}).text
    assert by_net.index(ids["msa.txt"]) < by_net.index(ids["reseller.txt"])  # net 30 < net 45
    by_net = c.get("/contracts", params={"sort": "payment_net_days", "dir": "desc"}).text
    assert by_net.index(ids["reseller.txt"]) < by_net.index(ids["msa.txt"])
    assert 'aria-sort="descending"' in by_net

    # The review status of each contract, as the review API reports it; filter and sort on it.
    statuses = {
        name: c.get(f"/v1/contracts/{cid}/flags", headers=web.rep).json()["status"]
        for name, cid in ids.items()
    }
    for name, status in statuses.items():
        only = c.get("/contracts", params={"review": status}).text
        assert f'href="/contracts/{ids[name]}"' in only and f"review-{status}" in only
    assert c.get("/contracts", params={"sort": "review", "dir": "asc"}).status_code == 200

    bad = c.get("/contracts", params={"notice_from": "next week"})
    assert "use a date like" in bad.text

    # A plain form post (no script) uploads too and comes back with a message.
    r = c.post(
        "/contracts/upload",
        data={"csrf": csrf},
        files=[("file", ("a.txt", b"First agreement text " * 5, "text/plain"))],
    )
    assert r.status_code == 303
    assert "1 file(s) uploaded" in c.get("/contracts").text


def test_the_contract_page_shows_text_terms_evidence_and_flags(web: Api) -> None:
    ids = _ready(web, ("msa.txt", SAMPLE_MSA))
    cid = ids["msa.txt"]
    c = web.client
    html = c.get(f"/contracts/{cid}").text
    # The text, with clauses marked by type and each term linked to its evidence.
    assert "MASTER SUBSCRIPTION AGREEMENT" in html
    assert 'data-label="Governing law"' in html or 'data-label="Governing Law"' in html
    term_links = re.findall(r'href="#ev-(term-\d+)"', html)
    assert term_links
    for key in term_links:
        assert f'id="ev-{key}"' in html and re.search(rf'data-ev="[^"]*\b{key}\b', html)
    # Flags, most severe first, with redlines, proposals and who must approve.
    review = c.get(f"/v1/contracts/{cid}/flags", headers=web.rep).json()
    assert review["flags"], review
    assert 'id="review-status"' in html and "Needs approval from:" in html
    for who in review["approvers"]:
        assert who in html
    severities = re.findall(r'class="flag sev-border-(\w+)', html)
    order = ["critical", "high", "medium", "low"]
    assert severities == sorted(severities, key=order.index)
    assert len(severities) == len(review["flags"])
    if any(f["redline"] for f in review["flags"]):
        assert "<del>" in html or "<ins>" in html
    for f in review["flags"]:
        if f["evidence"]:
            assert f'id="ev-flag-{f["id"]}"' in html and f'href="#ev-flag-{f["id"]}"' in html
        if f["proposed"]:
            assert f'id="proposed-{f["id"]}"' in html
    # A rep gets no decision buttons, and cannot post a decision.
    fid = review["flags"][0]["id"]
    assert 'value="accept"' not in html
    csrf = csrf_of(html)
    r = c.post(f"/contracts/{cid}/flags/{fid}/decision", data={"csrf": csrf, "decision": "accept"})
    assert r.status_code == 403 and "legal role" in r.text

    csrf = sign_in(c, web.legal)
    html = c.get(f"/contracts/{cid}").text
    assert html.count('value="accept"') == len(review["flags"]) and 'value="escalate"' in html
    r = c.post(f"/contracts/{cid}/flags/{fid}/decision", data={"csrf": csrf, "decision": "reject"})
    assert r.status_code == 303 and "Add a comment" in c.get(f"/contracts/{cid}").text
    r = c.post(
        f"/contracts/{cid}/flags/{fid}/decision",
        data={"csrf": csrf, "decision": "escalate", "comment": "Ask the GC"},
    )
    assert r.status_code == 303 and r.headers["location"].endswith(f"?open={fid}#flag-{fid}")
    assert ": escalated." in c.get(f"/contracts/{cid}").text
    after = c.get(f"/v1/contracts/{cid}/flags", headers=web.rep).json()
    decided = next(f for f in after["flags"] if f["id"] == fid)
    assert decided["status"] == "escalated" and decided["decision"]["comment"] == "Ask the GC"
    assert "test legal" in decided["decision"]["by"]
    r = c.post(
        f"/contracts/{cid}/flags/nope/decision",
        data={"csrf": csrf, "decision": "accept", "comment": "x"},
    )
    assert "The decision was not saved" in c.get(r.headers["location"].split("#")[0]).text

    missing = c.get("/contracts/nope")
    assert missing.status_code == 404 and "There is no contract with this id" in missing.text
    f = c.get(f"/contracts/{cid}/file")
    assert f.status_code == 200 and f.content == SAMPLE_MSA.encode()


def test_a_search_hit_opens_the_contract_at_the_hit(web: Api) -> None:
    _ready(web, ("reseller.txt", SAMPLE_RESELLER))
    html = web.client.get(
        "/search", params={"q": "notice period to cancel renewal with Zephyr"}
    ).text
    links = re.findall(r'href="(/contracts/[^"?]+\?hl=\d+-\d+#ev-hit)"', html)
    assert links, html
    page = web.client.get(links[0].replace("&amp;", "&")).text
    assert 'id="ev-hit"' in page and "ev-hit" in page
    assert "In the library" in html and "Copy text" in html


# ----------------------------------------------------------------------------- library


def test_legal_edits_a_clause_as_a_new_version_and_sees_the_diff(web: Api) -> None:
    c = web.client
    cid = "governing_law.standard"
    csrf = sign_in(c, web.rep)
    html = c.get(f"/library/clauses/{cid}").text
    assert "Edit as a new version" not in html
    r = c.post(f"/library/clauses/{cid}", data={"csrf": csrf, "title": "x", "text": "y" * 30})
    assert r.status_code == 403

    csrf = sign_in(c, web.legal)
    html = c.get(f"/library/clauses/{cid}").text
    assert "Edit as a new version" in html and "Only one version so far" in html
    current = web.client.get(f"/v1/clauses/{cid}", headers=web.legal).json()
    new_text = current["template"] + " Venue lies in the courts of that state."
    r = c.post(
        f"/library/clauses/{cid}",
        data={"csrf": csrf, "title": current["title"], "text": new_text, "when_to_use": ""},
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/library/clauses/{cid}?from=1&to=2#diff"
    html = c.get(r.headers["location"]).text
    assert "Saved as version 2." in html
    assert "<ins> Venue lies in the courts of that state.</ins>" in html
    assert web.client.get(f"/v1/clauses/{cid}", headers=web.legal).json()["version"] == 2

    # Nothing changed, or too short: a message, nothing saved, the entered text kept.
    r = c.post(
        f"/library/clauses/{cid}",
        data={"csrf": csrf, "title": current["title"], "text": new_text},
    )
    assert r.status_code == 422 and "Nothing changed" in r.text
    r = c.post(f"/library/clauses/{cid}", data={"csrf": csrf, "title": "T", "text": "too short"})
    assert r.status_code == 422 and "Not saved" in r.text and "too short" in r.text

    types = c.get("/library").text
    assert "Limitation of Liability" in types or "Limitation of liability" in types
    page = c.get("/library/limitation_of_liability").text
    assert "Guidance for reps" in page and "Playbook rules" in page and "Fallback 1" in page
    assert c.get("/library/nope").status_code == 404


# ----------------------------------------------------------------------------- ask


def test_ask_shows_the_answer_approvals_and_language_to_copy(web: Api) -> None:
    c = web.client
    sign_in(c, web.rep)
    question = "The customer wants net 60 payment terms. Can I agree?"
    deal = {"value": 250000.0, "currency": "USD"}
    api = c.post("/v1/ask", json={"question": question, "deal": deal}, headers=web.rep).json()
    html = c.get("/ask", params={"question": question, "value": "250,000", "currency": "usd"}).text
    assert 'id="answer-text"' in html and 'class="error"' not in html
    labels = {"yes": "Yes, within", "approval": "Possible, with approval", "no": "No, outside"}
    if api["decision"]:
        assert labels[api["decision"]] in html
    for a in api["approvals"]:
        assert ", ".join(a["approvers"]) in html
    assert api["clauses"], api
    for cl in api["clauses"]:
        assert str(escape(cl["text"])) in html
    assert 'data-copy-target="filled-all"' in html
    for p in api["parameters"]:
        assert f"<code>{p['name']}</code>" in html

    # Markdown from the assistant is rendered, raw HTML in it is not.
    assert "<script>" not in str(markdown_html("**x** <script>alert(1)</script>"))
    bad = c.get("/ask", params={"question": "q", "term_months": "two years"}).text
    assert "whole number of months" in bad
    bad = c.get("/ask", params={"question": "q", "currency": "dollars"}).text
    assert "Currency:" in bad


# ----------------------------------------------------------------------------- rendering


def test_contract_html_splits_marks_across_blocks_and_escapes() -> None:
    text = "1. A <b>one</b>.\n\n2. Two & more.\n\nPage two text."
    segs = [
        SegmentOut(
            index=0,
            start=0,
            end=16,
            page=1,
            kind="section",
            level=0,
            number="1",
            heading=None,
            text="",
            types=[{"type": "law", "confidence": 0.9}],
        ),
        SegmentOut(
            index=1,
            start=18,
            end=32,
            page=1,
            kind="section",
            level=0,
            number="2",
            heading=None,
            text="",
            types=[],
        ),
    ]
    pages = [{"page": 1, "start": 0, "end": 34}, {"page": 2, "start": 34, "end": len(text)}]
    html = str(
        contract_html(
            text, segs, pages, [Mark("t", 5, 24, "ev-term")], {"law": "Governing law"}, {"law": 3}
        )
    )
    assert "&lt;b&gt;one&lt;/b&gt;" in html and "&amp; more" in html
    assert html.count('data-ev="t"') == 2  # one piece per block it crosses
    assert html.count('id="ev-t"') == 1
    assert 'class="seg cl c3"' in html and 'data-label="Governing law"' in html
    assert 'id="page-2"' in html and html.index('id="page-2"') < html.index("Page two text")


def test_diff_ops_are_word_level() -> None:
    ops = diff_ops("pay within 30 days", "pay within 45 days")
    assert str(redline_html(ops)) == "pay within <del>30</del> <ins>45</ins> days"


def test_redline_runs_are_spaced_and_struck_markdown_renders() -> None:
    # The review's redline runs carry no whitespace of their own.
    ops = [
        {"op": "equal", "text": "Either party may"},
        {"op": "delete", "text": "under"},
        {"op": "insert", "text": "or"},
        {"op": "equal", "text": "terminate"},
        {"op": "insert", "text": "an"},
        {"op": "equal", "text": "Order Form"},
        {"op": "insert", "text": ","},
        {"op": "equal", "text": "and (a)"},
    ]
    html = str(redline_html(ops))
    assert html == (
        "Either party may <del>under</del> <ins>or</ins> terminate <ins>an</ins> Order Form"
        "<ins>,</ins> and (a)"
    )
    text = re.sub(r"<[^>]+>", "", html)
    assert "underor" not in text and "terminatean" not in text
    # The assistant's compare answer marks our removed words ~~like this~~.
    md = str(markdown_html("Redline (~~ours~~, **theirs**): pay ~~30~~ **45** days"))
    assert "~~" not in md and "<s>ours</s>" in md and "<s>30</s>" in md


def test_flags_fold_to_one_line_and_sign_off_goes_per_approver(web: Api) -> None:
    ids = _ready(web, ("cuad-0042.txt", SAMPLE_MSA))
    cid = ids["cuad-0042.txt"]
    c = web.client
    # A large deal routes medium and worse flags to finance as well.
    r = c.put(f"/v1/contracts/{cid}/deal", json={"value": 400000}, headers=web.rep)
    assert r.status_code == 200, r.text
    review = r.json()
    two = [f for f in review["flags"] if len(f["approvers"]) > 1]
    assert two, [f["approvers"] for f in review["flags"]]
    flag = two[0]
    csrf = sign_in(c, web.legal)
    html = c.get(f"/contracts/{cid}").text

    # Folded: one <details> per flag, closed, whose summary holds severity, type and message.
    items = re.findall(
        r'<li class="flag sev-border-(\w+)[^"]*" id="flag-(\w+)">\s*<details( open)?>\s*'
        r'<summary class="flag-line">(.*?)</summary>',
        html,
        re.S,
    )
    assert len(items) == len(review["flags"])
    assert not any(opened for _, _, opened, _ in items)
    order = ["critical", "high", "medium", "low"]
    assert [sev for sev, *_ in items] == sorted((sev for sev, *_ in items), key=order.index)
    by_id = {f["id"]: f for f in review["flags"]}
    for sev, fid, _, summary in items:
        assert f"sev-{sev}" in summary and str(escape(by_id[fid]["message"])) in summary
        assert str(escape(by_id[fid]["clause_name"])) in summary
    # ?open= opens one flag (a decision's redirect uses it).
    opened = c.get(f"/contracts/{cid}?open={flag['id']}").text
    assert re.search(rf'id="flag-{flag["id"]}">\s*<details open>', opened)
    # Wording: a proposal is a position (standard or a fallback), not always a fallback.
    assert "Proposed fallback:" not in html
    if any(f["proposed"] for f in review["flags"]):
        assert "Proposed position:" in html

    # The title is the extracted document name, not the file id; the archive counts flags.
    doc_name = next(
        t["value"]
        for t in c.get(f"/v1/contracts/{cid}", headers=web.rep).json()["terms"]
        if t["name"] == "document_name"
    )
    shown = display_title("cuad-0042", doc_name)
    assert shown != "cuad-0042" and f"<h1>{escape(shown)}</h1>" in html
    archive = c.get("/contracts").text
    assert ">Flags" in archive and "cuad-0042.txt" in archive
    row = archive[archive.index(f'href="/contracts/{cid}"') :]
    row = row[: row.index("</tr>")]
    assert f">{len(review['flags'])}</span>" in row
    assert "cuad-0042</a>" not in row
    by_flags = c.get("/contracts", params={"sort": "flags", "dir": "desc"}).text
    assert 'aria-sort="descending"' in by_flags and f'href="/contracts/{cid}"' in by_flags
    found = c.get("/search", params={"q": "limitation of liability", "scope": "archive"}).text
    assert f"{escape(shown)}</a></h3>" in found and "cuad-0042</a>" not in found

    # Sign-off per approver: legal signs for legal; the flag stays open for finance.
    first, second = flag["approvers"][:2]
    assert f'<option value="{first}" selected>' in opened
    r = c.post(
        f"/contracts/{cid}/flags/{flag['id']}/decision",
        data={
            "csrf": csrf,
            "decision": "accept",
            "approver": first,
            "comment": "Fine for us",
            "flag_version": flag["version"],
        },
    )
    assert r.status_code == 303 and r.headers["location"].endswith(f"#flag-{flag['id']}")
    page = c.get(r.headers["location"].split("#")[0]).text
    assert f"Still waiting for: {second.replace('_', ' ').capitalize()}" in page
    block = page[page.index(f'id="flag-{flag["id"]}"') :]
    block = block[: block.index("</form>")]
    assert re.search(rf'data-approver="{first}">.*?Signed off.*?Fine for us', block, re.S)
    assert re.search(rf'data-approver="{second}">.*?Awaiting sign-off', block, re.S)
    assert f'<option value="{second}" selected>' in block
    now = c.get(f"/v1/contracts/{cid}/flags", headers=web.rep).json()
    mine = next(f for f in now["flags"] if f["id"] == flag["id"])
    assert mine["status"] == "open" and mine["pending_approvers"] == [second]

    # A decision made on a page from before the review changed is refused.
    c.put(f"/v1/contracts/{cid}/deal", json={"value": 1000}, headers=web.rep)
    r = c.post(
        f"/contracts/{cid}/flags/{flag['id']}/decision",
        data={
            "csrf": csrf,
            "decision": "accept",
            "approver": second,
            "comment": "late",
            "flag_version": flag["version"],
        },
    )
    page = c.get(r.headers["location"].split("#")[0]).text
    assert "The decision was not saved" in page and "changed this flag" in page


def test_a_web_edit_is_labelled_web_in_the_history(web: Api) -> None:
    c = web.client
    cid = "notices.standard"
    csrf = sign_in(c, web.legal)
    current = c.get(f"/v1/clauses/{cid}", headers=web.legal).json()
    r = c.post(
        f"/library/clauses/{cid}",
        data={"csrf": csrf, "title": current["title"], "text": current["template"] + " Done."},
    )
    assert r.status_code == 303, r.text
    versions = c.get(f"/v1/clauses/{cid}/versions", headers=web.legal).json()
    assert versions[-1]["source"] == "web"
    html = c.get(f"/library/clauses/{cid}").text
    assert "(web interface)" in html and "(api)" not in html
