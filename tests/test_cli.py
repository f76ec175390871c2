"""The command line: a user's mistake gets one clear line, not a traceback."""

from __future__ import annotations

import pytest

from flows.cli import main


def test_a_missing_raw_folder_is_one_line_and_exit_status_1(tmp_path, capsys):
    assert main(["run", "--no-prefect", "--raw-dir", str(tmp_path / "absent"), "--out-dir", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "does not exist or is not a folder" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("flag", "value"), [("--batch-size", "0"), ("--max-seconds-per-document", "-1"),
                                           ("--max-seconds-per-document", "inf"),  # the interval timer overflows
                                           ("--max-seconds-per-document", "1e10")])
def test_a_setting_out_of_range_is_a_usage_error(flag, value, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["run", "--no-prefect", flag, value])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert flag in err and "Traceback" not in err and "pydantic" not in err


def test_the_librarys_log_reaches_a_prefect_runs_log():
    """The CLI's Prefect settings attach the `cleaner` loggers to Prefect's API handler, so the
    library's warnings show in the run's log in the UI (checked in a fresh interpreter: Prefect
    reads its logging settings once, at import)."""
    import os
    import subprocess
    import sys

    from flows.cli import _PREFECT_DEFAULTS

    code = ("import logging, prefect.logging.configuration as c; c.setup_logging(incremental=False); "
            "print(sorted(type(h).__name__ for h in logging.getLogger('cleaner').handlers))")
    env = {**os.environ, **_PREFECT_DEFAULTS}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert "APILogHandler" in out.stdout, out.stderr[-2000:]
