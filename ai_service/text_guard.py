"""Client text must not carry NUL or other control characters: one policy, checked at the edge.

PostgreSQL text cannot hold NUL at all (SQLite can), so letting it through gave a 500 on one
database and a stored NUL on the other. Tab, line feed, carriage return, vertical tab and form
feed stay allowed: pasted contract text and Word line breaks contain them.

The middleware checks the URL path, the query string, JSON bodies and url-encoded forms before
any route runs; routes that read multipart forms check their text fields with `check_text`.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from ai_service.errors import ApiError, error_body

_FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
# A JSON body can only carry control characters as escapes; this finds candidates cheaply.
_JSON_ESCAPE = re.compile(rb"\\u00[01][0-9a-fA-F]|\\u007[fF]|\\b")


def control_problem(value: str) -> str | None:
    """The first forbidden character of `value`, as U+XXXX, or None."""
    m = _FORBIDDEN.search(value)
    return f"U+{ord(m.group()):04X}" if m else None


def _refusal(where: str, char: str) -> tuple[str, str, dict[str, Any]]:
    return (
        "control_character",
        f"{where} contains a control character ({char}); remove it and retry.",
        {"field": where, "character": char},
    )


def check_text(field: str, value: str) -> None:
    """Raise a 422 `control_character` ApiError if `value` carries a forbidden character."""
    char = control_problem(value)
    if char:
        code, message, details = _refusal(f"'{field}'", char)
        raise ApiError(422, code, message, **details)


def check_json(field: str, raw: str) -> None:
    """`check_text` for a JSON document sent in a text field (e.g. a multipart 'deal')."""
    found = json_problem(raw)
    if found:
        code, message, details = _refusal(f"'{field}.{found[0]}'", found[1])
        raise ApiError(422, code, message, **details)


def _walk(value: Any, where: str) -> tuple[str, str] | None:
    if isinstance(value, str):
        char = control_problem(value)
        return (where or "body", char) if char else None
    if isinstance(value, dict):
        for k, v in value.items():
            sub = f"{where}.{k}" if where else str(k)
            found = _walk(str(k), sub) or _walk(v, sub)
            if found:
                return found
    if isinstance(value, list):
        for i, v in enumerate(value):
            found = _walk(v, f"{where}.{i}" if where else str(i))
            if found:
                return found
    return None


def json_problem(body: bytes | str) -> tuple[str, str] | None:
    """(field path, character) of the first forbidden character in a JSON text, or None.

    Invalid JSON is not this check's business: the route reports it as malformed."""
    raw = body.encode() if isinstance(body, str) else body
    if not _JSON_ESCAPE.search(raw):
        return None
    try:
        return _walk(json.loads(raw), "")
    except ValueError:
        return None


def _pairs_problem(text: str, what: str) -> tuple[str, str] | None:
    for name, value in parse_qsl(text, keep_blank_values=True):
        for part in (name, value):
            char = control_problem(part)
            if char:
                return (f"{what} '{name}'", char)
    return None


class TextGuardMiddleware:
    """Refuse control characters in the path, query string, JSON and url-encoded bodies (422).

    Install it inside the body-size limit, which bounds what is buffered here."""

    def __init__(self, app: Any, multipart_checked_by_route: tuple[str, ...] = ()) -> None:
        self.app = app
        # Upload routes check their own multipart text fields (`check_text`): their bodies are
        # large and mostly file, not worth buffering here.
        self.multipart_checked_by_route = multipart_checked_by_route

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        char = control_problem(scope.get("path", ""))
        if char:
            await _reject(send, *_refusal("The URL path", char))
            return
        query = scope.get("query_string", b"").decode("latin-1")
        found = _pairs_problem(query, "Query parameter") if "%" in query else None
        if found:
            await _reject(send, *_refusal(*found))
            return
        headers = dict(scope.get("headers") or [])
        ctype = headers.get(b"content-type", b"").decode("latin-1").lower()
        is_json = ctype.startswith("application/json") or "+json" in ctype.split(";")[0]
        is_form = ctype.startswith("application/x-www-form-urlencoded")
        is_multipart = ctype.startswith("multipart/form-data") and (
            scope.get("path", "") not in self.multipart_checked_by_route
        )
        if not (is_json or is_form or is_multipart):
            await self.app(scope, receive, send)
            return
        # Buffer the body (already bounded by the size limit outside), check it, replay it.
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message], receive), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if is_json:
            found = json_problem(body)
            if found:
                await _reject(send, *_refusal(f"Field '{found[0]}'", found[1]))
                return
        elif is_form and b"%" in body:
            found = _pairs_problem(body.decode("utf-8", "replace"), "Form field")
            if found:
                await _reject(send, *_refusal(*found))
                return
        elif is_multipart:
            found = await _multipart_problem(scope, body)
            if found:
                await _reject(send, *_refusal(*found))
                return
        replay = [{"type": "http.request", "body": body, "more_body": False}]
        await self.app(scope, _replay(replay, receive), send)


async def _multipart_problem(scope: Any, body: bytes) -> tuple[str, str] | None:
    """Parse a (size-bounded) multipart body with Starlette's parser; check its text fields."""
    from starlette.requests import Request

    done = False

    async def once() -> Any:
        nonlocal done
        if done:
            return {"type": "http.disconnect"}
        done = True
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, once).form()
    except Exception:  # a malformed body is the route's to report
        return None
    try:
        for name, value in form.multi_items():
            if isinstance(value, str):
                char = control_problem(name) or control_problem(value)
                if char:
                    return (f"Form field '{name}'", char)
    finally:
        await form.close()
    return None


def _replay(messages: list[dict[str, Any]], receive: Any) -> Any:
    pending = list(messages)

    async def replayed() -> Any:
        if pending:
            return pending.pop(0)
        return await receive()

    return replayed


async def _reject(send: Any, code: str, message: str, details: dict[str, Any]) -> None:
    body = json.dumps(error_body(code, message, **details)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 422,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
