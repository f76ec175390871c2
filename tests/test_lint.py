"""ruff (pyproject.toml [tool.ruff]) runs in the test command: a lint finding fails the suite.

Only `ruff check` (with import sorting); the tree is not run through `ruff format`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_check_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"ruff check (`ruff check --fix` fixes some):\n{result.stdout}{result.stderr}"
