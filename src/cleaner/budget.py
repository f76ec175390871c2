"""A per-document time budget: a document that takes too long is interrupted with DocumentTimeout.

In the main thread (the CLI, the tests, Prefect's directly called tasks with the local task
runner) SIGALRM interrupts it. Python delivers signals to the main thread only, so in any
other thread (a Dask worker runs tasks in its executor threads; Prefect's thread pool) a
timer thread raises DocumentTimeout in the document's thread instead, through CPython's
PyThreadState_SetAsyncExc. Both take effect at the next Python bytecode of the interrupted
thread: neither can stop a single long call inside a C extension (the size and markup limits,
checked before any parser runs, bound those).
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class DocumentTimeout(BaseException):
    """The document used up its time budget.

    A BaseException, as KeyboardInterrupt is: libraries wrap their optional steps in `except
    Exception` (trafilatura around readability, justext and its recall retry) and would log the
    timeout as a warning and go on, with the one-shot alarm spent and no budget left for the
    rest of the document. Only the pipeline's guard (pipeline.run_document) catches it."""


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    if not seconds:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


@contextmanager
def cpu_time_limit(seconds: float) -> Iterator[None]:
    """The budget counted in CPU time of this process rather than on the clock (main thread
    only): the same pages run out however busy the machine is (the trainers use it)."""
    with _alarm(seconds, cpu=True):
        yield


@contextmanager
def _alarm(seconds: float, cpu: bool = False) -> Iterator[None]:
    timer, sig = (signal.ITIMER_PROF, signal.SIGPROF) if cpu else (signal.ITIMER_REAL, signal.SIGALRM)

    def expire(signum, frame):
        raise DocumentTimeout

    previous = signal.signal(sig, expire)
    signal.setitimer(timer, seconds)
    try:
        yield
    finally:
        signal.setitimer(timer, 0)
        signal.signal(sig, previous)


_SetAsyncExc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_SetAsyncExc.restype = ctypes.c_int


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    """Raise `exc` in the thread at its next bytecode; None withdraws a pending one."""
    _SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None)


@contextmanager
def _watchdog(seconds: float) -> Iterator[None]:
    """The budget in a thread that is not the main thread: a timer raises DocumentTimeout in it."""
    target = threading.get_ident()
    lock = threading.Lock()
    state = {"inside": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["inside"]:
                state["fired"] = True
                _set_async_exc(target, DocumentTimeout)

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["inside"] = False
            if state["fired"]:
                # Fired as the block was ending: withdraw a pending exception so it cannot
                # surface later, outside the budget (a no-op if it was already raised).
                _set_async_exc(target, None)
