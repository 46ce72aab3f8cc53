"""Text and analysis in a child process that is killed at the document's time budget.

pypdf, the DOCX reader and the segmenter are pure Python: a crafted page or a 10 MB line can
keep them busy for as long as it likes, and no check between pages can stop one page. The
child can be stopped: on the budget it is killed, the document fails, and a fresh child
serves the next document. It is reused between documents so its imports cost once.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from multiprocessing.connection import Connection
from typing import Any

from extraction.pipeline import Analysis
from extraction.types import ExtractedText, ExtractionError

log = logging.getLogger(__name__)
# A child that grows past this is refused the memory (a 4.6 MB DOCX reached 3.8 GB).
CHILD_MEMORY_BYTES = 2_500_000_000


class Stopped(Exception):
    """The worker was asked to stop (or lost its job) while the child was working."""


class _ParentGone(Exception):
    """The worker closed its end of the pipe (it was stopped or killed)."""


def _send(conn: Connection, msg: tuple[Any, ...]) -> None:
    # A killed worker leaves a broken pipe: the child ends quietly instead of printing a
    # BrokenPipeError traceback into the service's log.
    try:
        conn.send(msg)
    except OSError as exc:
        raise _ParentGone() from exc


def budget_error(budget_s: float) -> ExtractionError:
    return ExtractionError(
        "extraction_timeout",
        f"Processing took longer than the time budget of {budget_s:g} s; the document was "
        "stopped. Split it, or ask the administrator to raise CLAUSEWISE_DOCUMENT_TIME_BUDGET_S.",
        status=422,
    )


def _child_main(conn: Connection, type_map: Mapping[str, Sequence[str]]) -> None:
    # Ctrl-C and the service's stop are the parent's to handle; the child is only killed.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(Exception):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    with contextlib.suppress(OSError):
        os.nice(5)
    parent = os.getppid()

    def orphaned() -> None:  # a worker killed with kill -9 must not leave us parsing
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=orphaned, daemon=True).start()
    from extraction.classify import default_classifier
    from extraction.pipeline import analyze

    default_classifier()
    # The first analysis loads the language models (seconds): before any document's clock.
    analyze("This Agreement is governed by the laws of Delaware for 2 years.", "warm-up")
    with contextlib.suppress(_ParentGone):
        _send(conn, ("ready",))
        _serve(conn, type_map)


def _serve(conn: Connection, type_map: Mapping[str, Sequence[str]]) -> None:
    from extraction.pipeline import analyze
    from extraction.text import extract_text

    while True:
        try:
            data, title, max_pages = conn.recv()
        except (EOFError, OSError):
            return  # the worker is gone

        def progress(done: int, total: int) -> None:
            _send(conn, ("progress", done, total))

        try:
            extracted = extract_text(data, max_pages=max_pages, deadline_s=None, progress=progress)
            _send(conn, ("stage", "analysis"))
            analysis = analyze(extracted.text, title, type_map=type_map)
            _send(conn, ("ok", extracted, analysis))
        except ExtractionError as exc:
            _send(conn, ("error", exc.code, exc.message, exc.status))
        except MemoryError:
            _send(
                conn,
                (
                    "error",
                    "document_too_complex",
                    "The document needs more memory to read than a worker may use.",
                    422,
                ),
            )


class ParseChild:
    """`inline=True` parses in the calling thread instead (tests and tools on trusted
    documents): the budget is then only checked between pages and stages."""

    def __init__(
        self, type_map: Mapping[str, Sequence[str]] | None = None, inline: bool = False
    ) -> None:
        self.type_map = dict(type_map or {})
        self.inline = inline
        self._ctx = mp.get_context("spawn")  # never fork a process that holds a model
        self._proc: Any = None
        self._conn: Connection | None = None
        self._ready = False

    def _ensure(self) -> Connection:
        if self._proc is None or not self._proc.is_alive() or self._conn is None:
            self.close()
            parent, child = self._ctx.Pipe()
            self._proc = self._ctx.Process(
                target=_child_main,
                args=(child, self.type_map),
                name="clausewise-parse",
                daemon=True,
            )
            self._proc.start()
            child.close()
            self._ready = False
            self._conn = parent
        return self._conn

    def ready(
        self, should_stop: Callable[[], bool] = lambda: False, timeout_s: float = 300.0
    ) -> None:
        """Start the child if needed and wait until it has loaded what it needs, so its
        start-up is not charged to a document's time budget. Raises Stopped when
        `should_stop` turns true meanwhile."""
        if self._ready or self.inline:
            return
        conn = self._ensure()
        deadline = time.monotonic() + timeout_s
        while not conn.poll(0.2):
            if should_stop():
                self.kill()
                raise Stopped()
            if time.monotonic() > deadline or not self._proc.is_alive():
                self.kill()
                raise RuntimeError("the parse child did not start")
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise RuntimeError("the parse child did not start") from None
        if msg[0] != "ready":
            self.kill()
            raise RuntimeError(f"the parse child said {msg[0]!r} when starting")
        self._ready = True

    def run(
        self,
        data: bytes,
        title: str,
        *,
        max_pages: int,
        deadline: float,
        budget_s: float,
        on_progress: Callable[[str, float], None],
        should_stop: Callable[[], bool],
    ) -> tuple[ExtractedText, Analysis]:
        """Text and analysis of one document, or ExtractionError; `deadline` is monotonic.
        Raises Stopped (child killed) when `should_stop` turns true meanwhile."""
        if self.inline:
            return self._run_inline(data, title, max_pages, deadline, budget_s, on_progress)
        self.ready(should_stop)
        conn = self._ensure()
        conn.send((data, title, max_pages))
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.kill()
                raise budget_error(budget_s)
            if should_stop():
                self.kill()
                raise Stopped()
            if not conn.poll(min(left, 0.5)):
                continue
            try:
                msg = conn.recv()
            except (EOFError, OSError):
                self.kill()
                if should_stop():
                    raise Stopped() from None
                raise ExtractionError(
                    "document_too_complex",
                    "Reading the document stopped the parser (out of memory or a crash).",
                    status=422,
                ) from None
            kind = msg[0]
            if kind == "progress":
                on_progress("text", msg[1] / max(msg[2], 1))
            elif kind == "stage":
                on_progress(msg[1], 0.0)
            elif kind == "ok":
                return msg[1], msg[2]
            else:
                raise ExtractionError(msg[1], msg[2], status=msg[3])

    def _run_inline(
        self,
        data: bytes,
        title: str,
        max_pages: int,
        deadline: float,
        budget_s: float,
        on_progress: Callable[[str, float], None],
    ) -> tuple[ExtractedText, Analysis]:
        from extraction.pipeline import analyze
        from extraction.text import extract_text

        extracted = extract_text(
            data,
            max_pages=max_pages,
            deadline_s=max(deadline - time.monotonic(), 0.001),
            progress=lambda done, total: on_progress("text", done / max(total, 1)),
        )
        on_progress("analysis", 0.0)
        analysis = analyze(extracted.text, title, type_map=self.type_map)
        if time.monotonic() > deadline:
            raise budget_error(budget_s)
        return extracted, analysis

    def terminate(self) -> None:
        """SIGKILL the child from any thread, without waiting (the process is ending)."""
        proc = self._proc
        if proc is not None and proc.pid is not None:
            with contextlib.suppress(OSError):
                os.kill(proc.pid, signal.SIGKILL)

    def kill(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
            self._proc.join(timeout=5)
        self.close()

    def close(self) -> None:
        self._ready = False
        if self._conn is not None:
            self._conn.close()
        self._conn = None
        if self._proc is not None and not self._proc.is_alive():
            self._proc.join(timeout=1)
            self._proc = None
        elif self._proc is not None:
            # A live child without its pipe reads EOF and exits by itself.
            self._proc = None
