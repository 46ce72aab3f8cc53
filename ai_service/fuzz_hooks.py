"""Schemathesis hooks for `clausewise fuzz`: one extra check on every response.

Loaded by the schemathesis process through SCHEMATHESIS_HOOKS; it reads the known error codes
from the file named by CLAUSEWISE_FUZZ_CODES and appends every 5xx to CLAUSEWISE_FUZZ_TALLY.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

import schemathesis


@cache
def _known_codes() -> frozenset[str]:
    path = os.environ.get("CLAUSEWISE_FUZZ_CODES")
    if not path:
        return frozenset()
    with open(path, encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip())


@schemathesis.check
def error_shape(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every error is {"error": {"code": <a code the README lists>, "message": <text>}}."""
    status = response.status_code
    if status >= 500:
        tally = os.environ.get("CLAUSEWISE_FUZZ_TALLY")
        if tally:
            with open(tally, "a", encoding="utf-8") as f:
                f.write(f"{status} {case.method} {case.path}\n")
    if status < 400:
        return None
    try:
        body = response.json()
    except Exception as exc:
        raise AssertionError(f"error response {status} is not JSON") from exc
    err = body.get("error") if isinstance(body, dict) else None
    if not isinstance(err, dict):
        raise AssertionError(f"error response {status} has no 'error' object: {body!r:.200}")
    code, message = err.get("code"), err.get("message")
    if not isinstance(code, str) or not isinstance(message, str) or not message:
        raise AssertionError(f"error response {status} lacks a code or message: {body!r:.200}")
    known = _known_codes()
    if known and code not in known:
        raise AssertionError(f"error code {code!r} (status {status}) is not in the README's list")
    return None
