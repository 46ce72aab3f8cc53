"""JSON bodies keep their documented limit (1 MiB) on every path, upload paths included:
only a multipart file upload may be larger."""

from __future__ import annotations

from typing import Any


def test_json_contract_over_the_json_limit_is_refused(start_api: Any) -> None:
    with start_api(max_request_bytes=64 * 1024, max_upload_bytes=1024 * 1024) as api:
        text = "The parties agree as follows. " * 5000  # ~150 KB: over the JSON limit
        r = api.client.post("/v1/contracts", json={"title": "big", "text": text}, headers=api.rep)
        assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
        # The same text as a file upload is within the upload limit.
        r = api.client.post(
            "/v1/contracts", files={"file": ("big.txt", text.encode())}, headers=api.rep
        )
        assert r.status_code == 202, r.text
        assert api.client.get("/healthz").status_code == 200
