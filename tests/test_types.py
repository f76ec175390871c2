"""mypy ([tool.mypy] in pyproject.toml) on the core modules: a type error there fails the suite.

Lenient to start: these modules are checked, what they import is followed silently. The rest
of src/cleaner is not clean yet (`uv run --frozen --group test mypy src/cleaner` lists it);
add a module here once it is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("record.py", "config.py", "rules.py", "rulecheck.py", "normalize.py", "bodyscore.py", "trees.py",
           "extract/pagefacts.py", "extract/pagetype.py", "extract/second_reading.py", "train_pagetype.py")


@pytest.mark.slow  # ~5 s without mypy's cache
def test_mypy_finds_nothing_in_the_core_modules():
    result = subprocess.run([sys.executable, "-m", "mypy", *(f"src/cleaner/{name}" for name in CHECKED)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"mypy:\n{result.stdout}{result.stderr}"
