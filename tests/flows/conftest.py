"""One Prefect test harness for the whole session: a temporary database, never a developer's server."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Cached batch results go under PREFECT_HOME/storage: a fresh one per test session, never the
# developer's ~/.prefect.
os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="cleaner-test-prefect-")


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
