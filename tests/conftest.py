"""Shared test helpers: build articles the way the stages see them."""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from cleaner.extract import extract
from cleaner.record import Article, Format
from cleaner.rules import RuleSet, load_rules
from tests import processes

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
# Every process the tests start inherits this marker, so the session finds the ones left
# behind, orphans included (a SIGKILLed run's Prefect server once outlived the suite).
os.environ[processes.SESSION] = processes.new_marker()
# Helpers of multiprocessing that end when this process does, by design.
_ENDS_WITH_US = ("multiprocessing.resource_tracker", "multiprocessing.forkserver")


_PYTEST_PID = os.getpid()


def _interrupt(signum: int, frame) -> None:
    if os.getpid() != _PYTEST_PID:  # a forked worker (a process pool's) dies as it would outside the tests
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise KeyboardInterrupt(f"signal {signum}")


# A run stopped by SIGTERM (a CI job's time limit, `kill`) stops as Ctrl-C stops it: fixtures are
# torn down and pytest_sessionfinish runs. With the default action pytest died at once and
# prefect_test_harness's server outlived it (tests/test_processes.py). exec resets the handler
# in every program the tests start; a forked child keeps it and takes the default action.
signal.signal(signal.SIGTERM, _interrupt)


def pytest_sessionfinish(session):
    """Fail the session, loudly, when a process it started still runs at the end; kill it."""
    _stop_prefect_temporary_servers()
    left = processes.wait_gone(processes.SESSION, os.environ[processes.SESSION], timeout=5)
    left = {pid: command for pid, command in left.items() if not any(h in command for h in _ENDS_WITH_US)}
    if not left:
        return
    processes.kill(left)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    reporter.write_sep("=", f"{len(left)} processes started by the tests still ran at the end (killed now)", red=True)
    for pid, command in sorted(left.items()):
        reporter.write_line(f"{pid}: {command[:300]}")


def _stop_prefect_temporary_servers() -> None:
    """Prefect stops a temporary server it started in this process at exit, after this check: stop it now."""
    server = sys.modules.get("prefect.server.api.server")
    if server is not None:
        for instance in list(server.SubprocessASGIServer._instances.values()):
            instance.stop()


@pytest.fixture(scope="session")
def rules() -> RuleSet:
    return load_rules()


def make_article(text: str, fmt: str = "text", **fields) -> Article:
    """A decoded article, ready for extract (text is what decode would have produced)."""
    f = Format(fmt)
    return Article(id="t1", source=f"t1.{'html' if f is Format.HTML else 'txt'}", format=f,
                   input_format=f.value, text=text, **fields)


def blocks_of(text: str, rules: RuleSet, fmt: str = "text", **fields) -> Article:
    """Decoded text -> extracted article (blocks filled)."""
    result = extract(make_article(text, fmt, **fields), rules)
    assert isinstance(result, Article), result
    return result


# A consent manager's preference centre, hidden in a page's markup, as a dump holds it: its heading,
# the consent framework's purposes with their partner counts and a toggle, their fixed
# descriptions and OneTrust's category texts (tests/test_strip.py, tests/test_strip_story.py).
CONSENT_DIALOG = [
    "We Care About Your Privacy",
    "We and our 100 partners store and/or access information on a device, such as unique IDs in cookies to "
    "process personal data. You may accept or manage your choices by clicking below.",
    "Store and/or access information on a device 91 partners can use this purpose",
    "Use limited data to select advertising 80 partners can use this purpose",
    "Create profiles for personalised advertising 71 partners can use this purpose",
    "Measure advertising performance 92 partners can use this purpose",
    "Measure content performance 33 partners can use this purpose",
    "Develop and improve services 80 partners can use this purpose",
    "Use limited data to select advertising Off",
    "We process your data to deliver content or advertisements and measure the delivery of such content or "
    "advertisements to extract insights about our website. We share this information with our partners on the "
    "basis of consent and legitimate interest.",
    "These cookies may be set through our site by us and our advertising partners to build a profile of your "
    "interests and show you relevant adverts on this, and other, sites.",
    "Cookies, device or similar online identifiers (e.g. login-based identifiers, randomly assigned identifiers, "
    "network based identifiers) together with other information can be stored or read on your device to "
    "recognise it each time it connects to an app or to a website, for one or several of the purposes presented here.",
    "Object to Legitimate Interests",
]


def with_hints(article: Article, **hints) -> Article:
    return replace(article, hints=replace(article.hints, **hints))
