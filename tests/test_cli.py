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
