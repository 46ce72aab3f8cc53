"""Every error code the service can return is listed in the README's list of codes.

The codes are read from the code base itself (every way an error code is raised or stored),
so a new code that is not documented fails this test."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [
    "ai_service",
    "archive",
    "clause_index",
    "deals",
    "drafting",
    "extraction",
    "lifecycle",
    "playbook",
    "review",
    "retrieval",
    "storage",
    "webhooks",
]
# Where a code is raised or stored: pattern, and the files it applies to (None: all).
PATTERNS: list[tuple[str, str | None]] = [
    (r'ApiError\(\s*\d+,\s*"([a-z_]+)"', None),
    (r'ExtractionError\(\s*"([a-z_]+)"', None),
    (r'^\s+code = "([a-z_]+)"', None),  # exception classes
    (r'error_body\(\s*"([a-z_]+)"', None),
    (r'error_response\(\s*\d+,\s*"([a-z_]+)"', None),
    (r'_fail\(\s*\w+,\s*"([a-z_]+)"', None),  # a worker failing a contract
    (r'error_code = "([a-z_]+)"', None),
    (r'error_code\s*=\s*"([a-z_]+)"', None),
    (r'row\.error_code = "([a-z_]+)"', None),
    (r'"failed", "([a-z_]+)"', None),
    (r'return "([a-z_]+)", ', "errors.py"),  # request validation
    (r'^\s+\d{3}: "([a-z_]+)"', "errors.py"),  # HTTP status -> code
    (r'status_code, "([a-z_]+)"\)', "errors.py"),  # the fallback for other statuses
]


def codes_in_code() -> dict[str, str]:
    found: dict[str, str] = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            for pattern, only in PATTERNS:
                if only and path.name != only:
                    continue
                for m in re.finditer(pattern, text, re.M):
                    found.setdefault(m.group(1), str(path.relative_to(ROOT)))
    return found


def test_the_code_reader_finds_known_codes() -> None:
    found = codes_in_code()
    # One of each kind, so a broken pattern cannot pass the test below by finding nothing.
    for code in ("forbidden", "no_text_layer", "contract_not_found", "malformed_json",
                 "unsupported_media_type", "processing_crashed", "original_missing"):  # fmt: skip
        assert code in found, code


def test_readme_lists_every_error_code() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = {c: where for c, where in codes_in_code().items() if f"`{c}`" not in readme}
    assert not missing, f"error codes missing from the README: {missing}"
