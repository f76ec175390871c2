"""The run hands freed heap pages back to the system between batches (where glibc allows), and
what it keeps of objects it lets go is a copy."""

from __future__ import annotations

import sys

from cleaner import _memory


def test_free_memory_is_released_on_glibc_and_nothing_breaks_elsewhere(monkeypatch):
    glibc = sys.platform.startswith("linux") and "glibc" in " ".join(__import__("platform").libc_ver())
    assert _memory.release_free_memory() is glibc
    monkeypatch.setattr(_memory, "_TRIM", None)
    assert _memory.release_free_memory() is False


def test_a_detached_string_is_an_equal_copy():
    for text in ("d646feeb4fdc2462", "ünïcode ✓", "\udc80 lone surrogate", ""):
        copy = _memory.detached(text)
        assert copy == text
        assert copy is not text or text == ""  # the empty string is one object
