"""End-to-end in headless Chromium: the Upcoming page (30/60/90 days, notice deadlines first)
and its CSV export, on a contract whose notice deadline falls in the next 30 days."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from dateutil.relativedelta import relativedelta

from tests.browser_support import chromium_path, serve
from tests.conftest import ADMIN_KEY, settings_for
from tests.test_calendar_api import MSA

pytestmark = pytest.mark.browser

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if chromium_path() is None:
    pytest.skip("chromium is not installed (apt-get install chromium)", allow_module_level=True)

expect = sync_api.expect


def test_upcoming_page_lists_notice_deadlines_first_and_exports_csv(
    embedder: Any, tmp_path: Path
) -> None:
    from ai_service import create_app

    today = dt.date.today()
    end = today + dt.timedelta(days=80)  # the term ends in 80 days; notice is due in 20
    start = end - relativedelta(months=12)
    text = MSA.format(date=f"{start.strftime('%B')} {start.day}, {start.year}")
    app = create_app(settings_for(tmp_path / "data", workers=1), embedder=embedder)
    shots = Path(os.environ.get("CLAUSEWISE_SCREENSHOTS_DIR") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    with serve(app) as base:
        admin = {"Authorization": f"Bearer {ADMIN_KEY}"}
        key = httpx.post(
            f"{base}/v1/keys", json={"name": "Robin", "role": "rep"}, headers=admin
        ).json()["key"]
        rep = {"Authorization": f"Bearer {key}"}
        r = httpx.post(
            f"{base}/v1/contracts",
            params={"wait": True},
            headers=rep,
            timeout=120,
            json={"title": "Northwind subscription", "text": text},
        )
        assert r.json()["status"] == "ready", r.text
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
            try:
                ctx = browser.new_context(
                    base_url=base, accept_downloads=True, viewport={"width": 1366, "height": 768}
                )
                ctx.set_default_timeout(20_000)
                page = ctx.new_page()
                page.goto("/login")
                page.get_by_label("API key").fill(key)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_role("link", name="Upcoming").click()
                expect(page.get_by_role("heading", name="Upcoming", level=1)).to_be_visible()
                rows = page.locator("#upcoming tbody tr")
                # 30 days: the notice deadline comes first, before earlier payments
                first = rows.first
                expect(first).to_contain_text("Notice deadline")
                expect(first).to_contain_text((end - dt.timedelta(days=60)).isoformat())
                expect(first).to_contain_text("sixty (60) days")
                expect(first.get_by_role("link", name="Northwind subscription")).to_be_visible()
                expect(page.locator("#upcoming")).not_to_contain_text("Renewal")
                page.screenshot(path=str(shots / "upcoming.png"))
                # 90 days: the renewal and the escalated price appear too
                page.get_by_label("Window").select_option("90")
                page.get_by_role("button", name="Show").click()
                expect(page).to_have_url(re.compile(r"days=90"))
                expect(page.locator("#upcoming")).to_contain_text("Renews automatically")
                expect(page.locator("#upcoming")).to_contain_text("10,500.00 USD")
                expect(rows.first).to_contain_text("Notice deadline")
                # only one kind
                page.get_by_label("Kind").select_option("renewal")
                page.get_by_role("button", name="Show").click()
                expect(rows).to_have_count(1)
                # CSV export of the same rows
                page.get_by_label("Kind").select_option("")
                page.get_by_role("button", name="Show").click()
                with page.expect_download() as info:
                    page.get_by_role("link", name="Export CSV").click()
                data = Path(info.value.path()).read_text(encoding="utf-8-sig")
                table = list(csv.DictReader(io.StringIO(data)))
                assert table[0]["kind"] == "notice_deadline"
                assert table[0]["date"] == (end - dt.timedelta(days=60)).isoformat()
                assert table[0]["days_left"] == "20"
                assert any(
                    r["kind"] == "price_escalation" and r["amount"] == "10500.00" for r in table
                )
                assert len(table) == rows.count()
                # a private calendar address for this key, shown once, readable without a key
                page.get_by_role("button", name="Subscribe in a calendar app").click()
                feed = page.get_by_label("Calendar feed address").input_value()
                assert "/v1/calendar/feed/cwf_" in feed and key not in feed
                ics = httpx.get(feed)
                assert ics.headers["content-type"].startswith("text/calendar")
                assert "non-renewal notice" in ics.text
                page.get_by_role("link", name="Upcoming").click()
                # the contract's own page lists its key dates with their evidence
                rows.first.get_by_role("link", name="Northwind subscription").click()
                dates = page.locator("#key-dates")
                expect(dates).to_contain_text("Notice deadline")
                expect(dates).to_contain_text((end - dt.timedelta(days=60)).isoformat())
                expect(dates).to_contain_text("Effective")
                ctx.close()
            finally:
                browser.close()
