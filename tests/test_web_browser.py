"""End-to-end: headless Chromium (Debian's /usr/bin/chromium, driven by playwright) against a
real server, checking what a person sees: sign-in, upload, the archive, one contract with its
evidence, reviewing and deciding a flag, editing a library clause, search, and ask.

Screenshots of the main pages go to $CLAUSEWISE_SCREENSHOTS_DIR (docs/screenshots.py sets it
to docs/screenshots/), otherwise to a temporary folder."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser_support import chromium_path, serve
from tests.conftest import ADMIN_KEY, settings_for
from tests.samples import SAMPLE_MSA, SAMPLE_RESELLER
from tests.test_extraction_text import make_pdf

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if chromium_path() is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

expect = sync_api.expect
TIMEOUT_MS = 20_000


@dataclass
class Site:
    base: str
    rep_key: str
    legal_key: str
    browser: Any
    shots: Path
    files: Path

    def page(self, key: str | None = None) -> Any:
        context = self.browser.new_context(
            viewport={"width": 1366, "height": 768}, base_url=self.base
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        if key is not None:
            page.goto("/login")
            page.get_by_label("API key").fill(key)
            page.get_by_role("button", name="Sign in").click()
            expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        return page

    def shot(self, page: Any, name: str) -> None:
        page.screenshot(path=str(self.shots / f"{name}.png"), full_page=False)


@pytest.fixture(scope="module")
def site(embedder: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    from ai_service import create_app

    tmp = tmp_path_factory.mktemp("web")
    shots = Path(os.environ.get("CLAUSEWISE_SCREENSHOTS_DIR") or tmp / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    files = tmp / "files"
    files.mkdir()
    (files / "acme-msa.txt").write_text(SAMPLE_MSA)
    (files / "northwind-reseller.txt").write_text(SAMPLE_RESELLER)
    (files / "orion-vega.pdf").write_bytes(
        make_pdf(
            [
                [
                    "MASTER AGREEMENT between Orion Labs Inc. and Vega Corp.",
                    "1. PAYMENT. Vega shall pay each invoice within sixty (60) days.",
                ],
                ["2. GOVERNING LAW. This Agreement is governed by the laws of New York."],
            ]
        )
    )
    app = create_app(settings_for(tmp / "data", workers=2), embedder=embedder)
    with serve(app) as base:
        admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
        keys = {}
        for role in ("rep", "legal"):
            r = httpx.post(
                f"{base}/v1/keys", json={"name": f"Dana ({role})", "role": role}, headers=admin
            )
            keys[role] = r.json()["key"]
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
            try:
                yield Site(base, keys["rep"], keys["legal"], browser, shots, files)
            finally:
                browser.close()


def test_sign_in_then_upload_several_files_and_filter_the_archive(site: Site) -> None:
    page = site.page()
    page.goto("/contracts")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fcontracts$"))
    page.get_by_label("API key").fill("cw_wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("unknown or has been revoked")
    site.shot(page, "login")
    page.get_by_label("API key").fill(site.rep_key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Contracts", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Signed in as Dana (rep) (rep)")
    cookie = next(c for c in page.context.cookies() if c["name"] == "cw_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert site.rep_key not in cookie["value"]

    # Two files through the picker, one dropped on the drop zone: per-file progress and status.
    page.set_input_files(
        "#file-input", [site.files / "acme-msa.txt", site.files / "northwind-reseller.txt"]
    )
    pdf = (site.files / "orion-vega.pdf").read_bytes()
    page.evaluate(
        """(bytes) => {
          const dt = new DataTransfer();
          dt.items.add(new File([new Uint8Array(bytes)], "orion-vega.pdf",
                                {type: "application/pdf"}));
          const zone = document.getElementById("dropzone");
          zone.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true}));
        }""",
        list(pdf),
    )
    uploads = page.locator("#upload-list li")
    expect(uploads).to_have_count(3)
    for name in ("acme-msa.txt", "northwind-reseller.txt", "orion-vega.pdf"):
        row = uploads.filter(has_text=name)
        expect(row.get_by_role("link", name=re.compile("^Ready: "))).to_be_visible(timeout=60_000)
        expect(row.locator("progress")).to_have_attribute("value", "100")

    page.get_by_role("link", name="Refresh the table").click()
    rows = page.locator("table.archive tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("table.archive")).to_contain_text("Delaware")
    expect(page.locator("table.archive")).to_contain_text("Net 60")
    site.shot(page, "contracts")

    page.get_by_label("Governing law").select_option("Delaware")
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Acme Widgets")
    page.get_by_role("link", name="Clear").click()
    page.get_by_role("link", name="Payment").click()  # sort ascending by payment days
    expect(rows.first).to_contain_text("Net 30")
    page.get_by_role("link", name=re.compile("^Payment")).click()  # and descending
    expect(rows.first).to_contain_text("Net 60")
    page.context.close()


def test_a_contract_shows_its_text_and_links_each_term_to_its_evidence(site: Site) -> None:
    page = site.page(site.rep_key)
    page.get_by_role("link", name="acme-msa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("acme-msa")
    text = page.locator("#doc-text")
    expect(text).to_contain_text("MASTER SUBSCRIPTION AGREEMENT")
    expect(text.locator(".seg.cl").first).to_be_visible()  # clauses marked by type
    terms = page.locator("table.terms-table")
    law = terms.locator("tr", has_text="Governing law")
    expect(law).to_contain_text("Delaware")
    law.get_by_role("link").click()
    marked = text.locator("mark.ev.active")
    expect(marked.first).to_be_visible()
    expect(marked.first).to_be_in_viewport()
    assert "Delaware" in " ".join(marked.all_inner_texts())
    # A rep sees no decision buttons.
    expect(page.get_by_role("button", name="Accept")).to_have_count(0)
    site.shot(page, "contract")

    # A PDF gets page markers.
    page.goto("/contracts")
    page.get_by_role("link", name="orion-vega").click()
    expect(page.locator("#page-2")).to_have_text("Page 2")
    page.context.close()


def test_legal_reviews_and_decides_a_flag_with_the_keyboard_only(site: Site) -> None:
    page = site.page(site.legal_key)
    page.get_by_role("link", name="acme-msa").click()
    review = page.locator("section.review")
    expect(review.locator("#review-status")).to_be_visible()
    flag = review.locator("li.flag").first
    expect(flag).to_be_visible()
    # Folded: the one-line summary shows; the body opens on Enter.
    line = flag.locator("summary.flag-line")
    expect(line.locator(".flag-gist")).not_to_be_empty()
    expect(flag.locator(".flag-body")).to_be_hidden()
    site.shot(page, "review")
    flag_id = flag.get_attribute("id")
    line.focus()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(flag.locator(".flag-message")).to_be_visible()
    flag.get_by_label(re.compile("^Comment")).focus()
    page.keyboard.type("Within our risk appetite for this customer.")
    page.keyboard.press("Tab")
    accept = flag.get_by_role("button", name="Accept")
    expect(accept).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text(": accepted.")
    decided = page.locator(f"#{flag_id}")
    expect(decided.locator(".flag-body")).to_be_visible()  # the decided flag stays open
    expect(decided).to_contain_text("Signed off")
    expect(decided).to_contain_text("Within our risk appetite")
    page.context.close()


def test_flags_are_folded_and_each_approver_signs_off(site: Site) -> None:
    rep = {"Authorization": f"Bearer {site.rep_key}"}
    r = httpx.post(
        f"{site.base}/v1/contracts",
        params={"wait": True},
        json={
            "title": "Borealis subscription",
            "text": SAMPLE_MSA.replace("Acme Widgets", "Borealis Foods"),
            "deal": {"value": 400000, "currency": "USD"},
        },
        headers=rep,
        timeout=120,
    )
    assert r.status_code in (200, 202), r.text
    cid = r.json()["id"]
    flags = httpx.get(f"{site.base}/v1/contracts/{cid}/flags", headers=rep).json()["flags"]
    target = next(f for f in flags if len(f["approvers"]) > 1)
    first, second = target["approvers"][:2]

    page = site.page(site.legal_key)
    page.goto(f"/contracts/{cid}")
    items = page.locator("ol.flags > li.flag")
    expect(items).to_have_count(len(flags))
    # Every flag is one line: nothing is open, and each line is short.
    assert page.locator("ol.flags > li.flag > details[open]").count() == 0
    for i in range(items.count()):
        box = items.nth(i).bounding_box()
        assert box is not None and box["height"] < 60, box
    sevs = [items.nth(i).locator(".sev").first.inner_text().lower() for i in range(items.count())]
    order = ["critical", "high", "medium", "low"]
    assert sevs == sorted(sevs, key=order.index)
    site.shot(page, "review-folded")

    flag = page.locator(f"#flag-{target['id']}")
    flag.locator("summary.flag-line").click()
    signoffs = flag.locator(".signoffs li")
    expect(signoffs).to_have_count(len(target["approvers"]))
    expect(flag.get_by_label("Sign off for")).to_have_value(first)
    flag.get_by_label(re.compile("^Comment")).fill("Fine from our side")
    flag.get_by_role("button", name="Accept").click()
    label = second.replace("_", " ").capitalize()
    expect(page.get_by_role("status")).to_contain_text(f"Still waiting for: {label}")
    flag = page.locator(f"#flag-{target['id']}")
    expect(flag.locator(f'.signoffs li[data-approver="{first}"]')).to_contain_text("Signed off")
    expect(flag.locator(f'.signoffs li[data-approver="{second}"]')).to_contain_text(
        "Awaiting sign-off"
    )
    expect(flag.locator(".badge")).to_have_text("open")
    expect(page.locator("#approvers")).to_contain_text(second)
    flag.locator(".signoffs").scroll_into_view_if_needed()
    site.shot(page, "review-signoff")

    # The second approver's sign-off clears the flag.
    expect(flag.get_by_label("Sign off for")).to_have_value(second)
    flag.get_by_label(re.compile("^Comment")).fill("Approved for this deal")
    flag.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("Every approver has signed off")
    expect(page.locator(f"#flag-{target['id']} .badge")).to_have_text("accepted")
    page.context.close()


def test_legal_edits_a_library_clause_and_sees_the_diff(site: Site) -> None:
    page = site.page(site.legal_key)
    page.get_by_role("link", name="Library", exact=True).click()
    expect(page.get_by_role("heading", name="Clause library")).to_be_visible()
    site.shot(page, "library")
    page.get_by_label("Find a clause type").fill("payment")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Payment Terms").click()
    expect(page.get_by_role("heading", name="Guidance for reps")).to_be_visible()
    expect(page.get_by_role("heading", name="Playbook rules")).to_be_visible()
    expect(page.locator("article.pos-fallback").first).to_be_visible()
    site.shot(page, "clause-type")
    page.locator("article.pos-standard").get_by_role("link", name=re.compile("^Edit")).click()
    box = page.get_by_label("Text", exact=True)
    box.fill(box.input_value() + " Late amounts bear interest at one percent per month.")
    save = page.get_by_role("button", name="Save as version 2")
    page.get_by_label("When to use").focus()
    page.keyboard.press("Tab")
    expect(save).to_be_focused()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Saved as version 2.")
    expect(page.locator(".diff .redline ins")).to_contain_text("Late amounts bear interest")
    site.shot(page, "clause-edit")

    # A rep browses the same clause without the editor.
    rep = site.page(site.rep_key)
    rep.goto(page.url)
    expect(rep.get_by_role("heading", name="Changes between versions")).to_be_visible()
    expect(rep.get_by_role("heading", name="Edit as a new version")).to_have_count(0)
    rep.context.close()
    page.context.close()


def test_search_finds_archive_clauses_and_library_language(site: Site) -> None:
    page = site.page(site.rep_key)
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Search the archive and the library").fill(
        "the reseller agreement with Zephyr, what's the notice period to cancel renewal?"
    )
    page.keyboard.press("Enter")
    archive = page.locator("section", has=page.get_by_role("heading", name="In contracts"))
    library = page.locator("section", has=page.get_by_role("heading", name="In the library"))
    expect(archive.locator("li.hit").first).to_contain_text("ninety (90) days")
    expect(library.locator("li.hit").first).to_be_visible()
    site.shot(page, "search")
    archive.locator("li.hit").first.get_by_role("link").click()
    expect(page.locator("mark.ev-hit").first).to_be_in_viewport()
    assert "ninety (90) days" in "".join(page.locator("mark.ev-hit").all_inner_texts())
    page.context.close()


def test_a_rep_asks_and_copies_the_language(site: Site) -> None:
    page = site.page(site.rep_key)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.base)
    page.get_by_role("link", name="Ask").click()
    page.get_by_label("Your question").fill("The customer wants net 60 payment terms. Can I agree?")
    page.get_by_role("button", name="Ask").click()
    answer = page.locator("section.answer")
    expect(answer.locator("#answer-text")).not_to_be_empty()
    first = answer.locator("article").first
    expect(first.locator(".clause-text")).not_to_be_empty()
    site.shot(page, "ask")
    first.get_by_role("button", name="Copy").click()
    expect(first.get_by_role("button", name="Copied")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == first.locator(".clause-text").inner_text()
    page.context.close()
