"""Refresh the screenshots of the web interface in docs/screenshots/.

The browser tests take them while they check each page, so a picture shows what the tests saw:

    .venv/bin/python docs/screenshots.py

Needs Debian's chromium (/usr/bin/chromium) and the `playwright` package (the dev extra).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "CLAUSEWISE_SCREENSHOTS_DIR": str(out)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-m", "browser", "tests/"]
    code = subprocess.call(cmd, cwd=ROOT, env=env)
    for png in sorted(out.glob("*.png")):
        print(png.relative_to(ROOT))
    return code


if __name__ == "__main__":
    raise SystemExit(main())
