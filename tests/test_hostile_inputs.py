"""Hostile client input gets a 4xx with a stable code, never a 5xx, and the same answer on SQLite
and PostgreSQL: filenames in any script, NUL and control characters, non-finite numbers,
multipart uploads held to the JSON limits."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from ai_service.downloads import attachment
from ai_service.text_guard import control_problem, json_problem
from tests.browser_support import sign_in
from tests.conftest import Api, StartApi
from tests.samples import SAMPLE_MSA

TEXT = SAMPLE_MSA.encode()


def _json_upload(api: Api, body: Any, raw: str | None = None) -> Any:
    if raw is not None:
        return api.client.post(
            "/v1/contracts",
            content=raw.encode(),
            headers={**api.rep, "Content-Type": "application/json"},
        )
    return api.client.post("/v1/contracts", json=body, headers=api.rep)


def _multipart(api: Api, files: Any, data: dict[str, str] | None = None) -> Any:
    return api.client.post("/v1/contracts", files=files, data=data or {}, headers=api.rep)


# Each case: a name, and a request that must get (status, code) on either database.
CASES: list[tuple[str, Callable[[Api], Any], int, str | None]] = [
    (
        "json title with NUL",
        lambda a: _json_upload(a, {"title": "nul\u0000title", "text": SAMPLE_MSA}),
        422,
        "control_character",
    ),
    (
        "json text with NUL",
        lambda a: _json_upload(a, {"title": "t", "text": "An agreement\u0000 with a NUL."}),
        422,
        "control_character",
    ),
    (
        "json text with ESC",
        lambda a: _json_upload(a, {"title": "t", "text": "An agreement \u001b[31m red."}),
        422,
        "control_character",
    ),
    (
        "multipart title with NUL",
        lambda a: _multipart(a, {"file": ("a.txt", TEXT)}, {"title": "nul\x00title"}),
        422,
        "control_character",
    ),
    (
        "multipart deal with NUL",
        lambda a: _multipart(a, {"file": ("a.txt", TEXT)}, {"deal": '{"currency": "US\\u0000"}'}),
        422,
        "control_character",
    ),
    (
        "query parameter with NUL",
        lambda a: a.client.get("/v1/contracts?counterparty=ac%00me", headers=a.rep),
        422,
        "control_character",
    ),
    (
        "path with NUL",
        lambda a: a.client.get("/v1/contracts/ab%00cd", headers=a.rep),
        422,
        "control_character",
    ),
    (
        "search query with NUL",
        lambda a: a.client.post("/v1/search", json={"query": "gov\u0000law"}, headers=a.rep),
        422,
        "control_character",
    ),
    (
        "deal value Infinity",
        lambda a: _json_upload(
            a, None, raw='{"title": "t", "text": "x y z", "deal": {"value": Infinity}}'
        ),
        422,
        "invalid_request",
    ),
    (
        "deal value 1e400",
        lambda a: _json_upload(
            a, None, raw='{"title": "t", "text": "x y z", "deal": {"value": 1e400}}'
        ),
        422,
        "invalid_request",
    ),
    (
        "deal value NaN",
        lambda a: _json_upload(
            a, None, raw='{"title": "t", "text": "x y z", "deal": {"value": NaN}}'
        ),
        422,
        "invalid_request",
    ),
    (
        "deal value absurd",
        lambda a: _json_upload(a, {"title": "t", "text": "x y z", "deal": {"value": 1e300}}),
        422,
        "invalid_request",
    ),
    (
        "multipart deal Infinity",
        lambda a: _multipart(a, {"file": ("a.txt", TEXT)}, {"deal": '{"value": Infinity}'}),
        422,
        "invalid_request",
    ),
    (
        "multipart deal not JSON",
        lambda a: _multipart(a, {"file": ("a.txt", TEXT)}, {"deal": "{value"}),
        422,
        "malformed_json",
    ),
    (
        "ask deal Infinity",
        lambda a: a.client.post(
            "/v1/ask",
            content=b'{"question": "a liability cap?", "deal": {"value": Infinity}}',
            headers={**a.rep, "Content-Type": "application/json"},
        ),
        422,
        "invalid_request",
    ),
    (
        "json title of 501 characters",
        lambda a: _json_upload(a, {"title": "x" * 501, "text": SAMPLE_MSA}),
        422,
        "invalid_request",
    ),
    (
        "multipart title of 501 characters",
        lambda a: _multipart(a, {"file": ("a.txt", TEXT)}, {"title": "x" * 501}),
        422,
        "invalid_request",
    ),
    (
        "two file fields",
        lambda a: _multipart(a, [("file", ("a.txt", TEXT)), ("file", ("b.txt", b"other text"))]),
        422,
        "multiple_files",
    ),
    (
        "ask with the longest question allowed",
        lambda a: a.client.post("/v1/ask", json={"question": "0" * 4000}, headers=a.rep),
        200,
        None,
    ),
    (
        "body that is not UTF-8",
        lambda a: a.client.put(
            "/v1/clauses/x",
            content=b"\xff\xfe{\x00",
            headers={**a.legal, "Content-Type": "application/json"},
        ),
        422,
        "malformed_json",
    ),
    (
        "multipart body that cannot be parsed",
        lambda a: a.client.post(
            "/v1/contracts",
            content=b"--b0\r\nNone--b0--\r\n",
            headers={**a.rep, "Content-Type": "multipart/form-data; boundary=b0"},
        ),
        422,
        "malformed_multipart",
    ),
    (
        "huge offset",
        lambda a: a.client.get("/v1/contracts", params={"offset": 10**30}, headers=a.rep),
        422,
        "invalid_request",
    ),
    (
        "huge payment days",
        lambda a: a.client.get("/v1/contracts", params={"payment_days_min": 10**30}, headers=a.rep),
        422,
        "invalid_request",
    ),
    (
        "huge audit before_id",
        lambda a: a.client.get("/v1/audit", params={"before_id": 2**40}, headers=a.legal),
        422,
        "invalid_request",
    ),
]

NAMES = ["合同.txt", "emoji🙂.txt", "naïve résumé.txt", "plain.txt"]


def _check_everything(api: Api) -> list[tuple[str, int, str | None]]:
    answers = []
    for name, send, status, code in CASES:
        r = send(api)
        got = r.json().get("error", {}).get("code") if r.status_code >= 400 else None
        answers.append((name, r.status_code, got))
        assert (r.status_code, got) == (status, code), (name, r.text[:300])
    # Multipart forms the middleware parses (any path but the uploads), and the web upload.
    r = api.client.post("/login", files={"key": (None, "cw_\x00key")})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "control_character")
    csrf = sign_in(api.client, api.rep)
    r = api.client.post(
        "/contracts/upload",
        files={"file": ("a.txt", TEXT)},
        data={"title": "nul\x00title"},
        headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
    )
    assert (r.status_code, r.json()["error"]["code"]) == (422, "control_character")
    # Downloads of originals named in any script, by the API and by the web page.
    for i, name in enumerate(NAMES):
        body = f"{SAMPLE_MSA}\n\nCopy {i}.".encode()
        r = _multipart(api, {"file": (name, body)}, {"title": f"Named {i}"})
        assert r.status_code in (200, 202), r.text
        cid = r.json()["id"]
        for url, headers in (
            (f"/v1/contracts/{cid}/file", api.rep),
            (f"/contracts/{cid}/file", {"X-CSRF-Token": csrf}),
        ):
            got = api.client.get(url, headers=headers)
            assert got.status_code == 200 and got.content == body, (url, got.status_code)
            disposition = got.headers["content-disposition"]
            if name == "plain.txt":
                assert disposition == 'attachment; filename="plain.txt"'
            else:
                assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
        answers.append((name, 200, None))
    # Nothing refused above reached the database: only the four named uploads are there.
    listed = api.client.get("/v1/contracts", headers=api.rep).json()
    assert sorted(c["title"] for c in listed) == [f"Named {i}" for i in range(len(NAMES))]
    return answers


def test_hostile_inputs_on_sqlite(start_api: StartApi, tmp_path: Path) -> None:
    with start_api(tmp_path / "sqlite") as api:
        api.client.base_url = "https://testserver"  # type: ignore[assignment]
        api.client.follow_redirects = False
        _check_everything(api)


@pytest.mark.postgres
def test_hostile_inputs_on_postgres(start_api: StartApi, tmp_path: Path, pg_url: str) -> None:
    with start_api(tmp_path / "pg", database_url=pg_url) as api:
        api.client.base_url = "https://testserver"  # type: ignore[assignment]
        api.client.follow_redirects = False
        _check_everything(api)


def test_attachment_header_is_latin1_and_exact() -> None:
    for name in [*NAMES, "", "a\u00e9b.pdf", "line\nbreak.txt"]:
        header = attachment(name)
        header.encode("latin-1")  # what the HTTP layer needs
        assert header.startswith('attachment; filename="')
    assert attachment("合同.txt").endswith("filename*=UTF-8''%E5%90%88%E5%90%8C.txt")


def test_control_policy_allows_layout_characters() -> None:
    assert control_problem("tab\tline\nreturn\r vt\x0b ff\x0c fine") is None
    assert control_problem("bell\x07") == "U+0007"
    assert json_problem(json.dumps({"a": ["ok", {"b": "x\u0000"}]})) == ("a.1.b", "U+0000")
    # A backslash followed by "u0000" is text, not a NUL.
    assert json_problem(json.dumps({"a": "\\u0000"})) is None
