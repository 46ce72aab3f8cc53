"""The parse child ends quietly when its worker is gone (no BrokenPipeError in the log)."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from archive import parse


def test_send_to_a_closed_worker_raises_parent_gone() -> None:
    worker, child = mp.Pipe()
    worker.close()
    with pytest.raises(parse._ParentGone):
        parse._send(child, ("progress", 1, 2))


def test_serve_returns_parent_gone_not_broken_pipe_when_the_worker_dies_mid_document() -> None:
    worker, child = mp.Pipe()
    # The request is already in the pipe when the worker dies (kill -9 after sending it).
    worker.send((b"Customer shall pay each invoice within 30 days.", "t", 10))
    worker.close()
    with pytest.raises(parse._ParentGone):
        parse._serve(child, {})


def test_serve_returns_when_the_worker_closed_before_a_request() -> None:
    worker, child = mp.Pipe()
    worker.close()
    parse._serve(child, {})  # EOF on the next request: the loop ends without an error
