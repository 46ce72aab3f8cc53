"""Signatures: HMAC-SHA256 over "<unix timestamp>.<raw body>", sent as
`Clausewise-Signature: t=<timestamp>,v1=<hex digest>`. A receiver recomputes the digest with its
secret, compares in constant time, and refuses old timestamps (replays)."""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Clausewise-Signature"


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"


def verify(secret: str, body: bytes, header: str, tolerance_s: int = 300) -> bool:
    """What a receiver does (used by the tests and shown in the README)."""
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        ts = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(time.time() - ts) > tolerance_s:
        return False
    expected = sign(secret, body, ts).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))
