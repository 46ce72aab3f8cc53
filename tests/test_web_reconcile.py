"""The Reconciliation page in headless Chromium: mismatches with both values and the
contract's words, sorted by yearly impact, re-sorted and filtered by a person."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from deals.mapping import DEFAULT_MAPPING
from tests.browser_support import chromium_path, serve
from tests.conftest import ADMIN_KEY, settings_for
from tests.samples import SAMPLE_MSA

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if chromium_path() is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

expect = sync_api.expect
SAMPLES = DEFAULT_MAPPING.parent / "samples"


@pytest.fixture(scope="module")
def site(embedder: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    from ai_service import create_app

    tmp = tmp_path_factory.mktemp("recon")
    app = create_app(settings_for(tmp / "data", workers=1), embedder=embedder)
    with serve(app) as base:
        admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
        key = httpx.post(
            f"{base}/v1/keys", json={"name": "Robin", "role": "rep"}, headers=admin
        ).json()["key"]
        rep = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=base, headers=rep, timeout=120) as c:
            for title, text in (
                ("Orbital subscription", (SAMPLES / "orbital-subscription.txt").read_text()),
                ("Acme MSA", SAMPLE_MSA),
            ):
                r = c.post(
                    "/v1/contracts", params={"wait": True}, json={"title": title, "text": text}
                )
                assert r.json()["status"] == "ready", r.text
            for name in ("salesforce_opportunities.csv", "stripe_subscriptions.csv"):
                files = {"file": (name, (SAMPLES / name).read_bytes(), "text/csv")}
                assert c.post("/v1/deals/import", files=files).json()["problems"] == []
            for d in c.get("/v1/deals").json():
                sugg = c.get(f"/v1/deals/{d['id']}/suggestions").json()
                if sugg:
                    c.post(
                        f"/v1/deals/{d['id']}/link", json={"contract_id": sugg[0]["contract_id"]}
                    )
        yield base, key


def test_mismatches_sorted_by_impact(site: tuple[str, str], tmp_path: Path) -> None:
    base, key = site
    shots = Path(os.environ.get("CLAUSEWISE_SCREENSHOTS_DIR") or tmp_path)
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        try:
            page = browser.new_context(
                viewport={"width": 1366, "height": 900}, base_url=base
            ).new_page()
            page.set_default_timeout(20_000)
            page.goto("/reconciliation")
            expect(page).to_have_url(re.compile(r"/login\?next=%2Freconciliation$"))
            page.get_by_label("API key").fill(key)
            page.get_by_role("button", name="Sign in").click()
            page.goto("/reconciliation?as_of=2026-03-01")
            expect(page.get_by_role("heading", name="Reconciliation", level=1)).to_be_visible()
            rows = page.locator("#mismatches tbody tr")
            expect(rows).to_have_count(3)
            kinds = [rows.nth(i).get_attribute("data-kind") for i in range(3)]
            # largest yearly impact first: the Acme discount the contract never grants (18,000
            # a year), the Orbital escalation never billed (4,896), then payment terms (no
            # revenue figure)
            assert kinds == ["discount", "escalation_not_applied", "payment_terms"], kinds
            expect(rows.first).to_contain_text("10%")
            esc = rows.nth(1)
            expect(esc).to_contain_text("Escalation not billed")
            expect(esc).to_contain_text("64,896.00")  # what the contract allows now
            expect(esc).to_contain_text("60,000.00")  # what billing charges
            expect(esc.locator("blockquote")).to_contain_text("increase by four percent (4%")
            expect(esc).to_contain_text("USD 4,896.00")
            expect(page.locator("#total-USD")).to_contain_text("22,896.00")
            page.screenshot(path=str(shots / "reconciliation.png"))

            header = page.get_by_role("columnheader", name=re.compile("Yearly impact"))
            expect(header).to_have_attribute("aria-sort", "descending")
            header.get_by_role("link").click()
            expect(
                page.get_by_role("columnheader", name=re.compile("Yearly impact"))
            ).to_have_attribute("aria-sort", "ascending")
            expect(rows.first).to_have_attribute("data-kind", "payment_terms")
            expect(rows.first).to_contain_text("thirty (30) days")

            page.get_by_label("Mismatch").select_option("escalation_not_applied")
            page.get_by_role("button", name="Show").click()
            expect(rows).to_have_count(1)
            expect(page.get_by_label("As of")).to_have_value("2026-03-01")
        finally:
            browser.close()
