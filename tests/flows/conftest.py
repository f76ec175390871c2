"""One Prefect test harness for the whole session: a temporary database, never a developer's server."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Cached batch results go under PREFECT_HOME/storage: a fresh one per test session, never the
# developer's ~/.prefect; removed when the session's process ends (each run had left one in $TMPDIR).
# atexit runs its handlers last registered first: Prefect's own exit handlers, registered when the
# harness starts, are done with the folder by then.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="cleaner-test-prefect-")
atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


def pytest_collection_modifyitems(config, items):
    """Every test here carries `flow` and `slow` (its file's pytestmark), so a new flow file
    cannot join the fast tier (`pytest -m "not slow"`) by forgetting the marks."""
    here = os.path.dirname(__file__)
    unmarked = sorted({item.nodeid.split("::")[0] for item in items if str(item.path).startswith(here + os.sep)
                       and not {"flow", "slow"} <= {mark.name for mark in item.iter_markers()}})
    if unmarked:
        raise pytest.UsageError(f"add `pytestmark = [pytest.mark.flow, pytest.mark.slow]` to {', '.join(unmarked)}")
