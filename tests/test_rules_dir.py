"""The rules_dir setting: a user's folder of rules reaches every place a run loads rules (the
batches of a run, `cleaner eval`, `cleaner rules`), is a flag of the CLI (and so a field of the
UI's run form), and its rule files' content is part of the batch cache key."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner.cache import batch_key
from cleaner.config import CleanConfig
from cleaner.discover import discover
from cleaner.pipeline import process_batch
from cleaner.record import Article
from cleaner.rules import RuleError
from flows.cli import main

RAW = Path(__file__).resolve().parents[1] / "raw"
# The start of a story paragraph of raw/000_*.txt, which no packaged rule cuts.
LINE = "Furthermore, space exploration emerged as a noteworthy topic"
RULE = f"""
[[rule]]
id = "legal.test_line"
category = "legal"
applies_to = "text"
pattern = '^{LINE}'
why = "test"
examples = ["{LINE}"]
"""


def folder(tmp_path: Path, body: str = RULE, name: str = "mine") -> Path:
    path = tmp_path / name
    path.mkdir(exist_ok=True)
    (path / "test.toml").write_text(body, encoding="utf-8")
    return path


def cut_by(config: CleanConfig) -> set[str]:
    """The rules that cut the paragraph that starts with LINE from raw/000_*.txt."""
    articles = [a for a in discover(config.raw_dir).articles if a.source.startswith("000_")]
    result = process_batch(articles, config, strict=True)
    assert isinstance(result.kept[0], Article)
    assert f"\n\n{LINE}" in next(RAW.glob("000_*.txt")).read_text(encoding="utf-8")
    return {r.rule_id for r in result.kept[0].removals if r.text.startswith(LINE)}


def test_a_batch_of_a_run_uses_the_users_rules(tmp_path):
    config = CleanConfig(raw_dir=str(RAW), entities=False, keywords=0)
    assert cut_by(config) == set()
    assert cut_by(config.model_copy(update={"rules_dir": str(folder(tmp_path))})) == {"legal.test_line"}


def test_the_cache_key_follows_the_rule_files_content_not_the_folders_name(tmp_path):
    articles = discover(RAW).articles[:3]
    config = CleanConfig(raw_dir=str(RAW))
    mine = config.model_copy(update={"rules_dir": str(folder(tmp_path))})
    same = config.model_copy(update={"rules_dir": str(folder(tmp_path, name="copy"))})
    assert batch_key(articles, mine) == batch_key(articles, same) != batch_key(articles, config)
    before = batch_key(articles, mine)
    folder(tmp_path, RULE.replace('why = "test"', 'why = "changed"'))
    assert batch_key(articles, mine) != before


def test_rules_dir_is_a_flag_of_run_and_serve(capsys):
    for command in ("run", "serve"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "--rules-dir RULES_DIR" in capsys.readouterr().out


def test_a_mistake_in_the_users_rules_stops_the_commands_before_they_start(tmp_path, capsys):
    bad = folder(tmp_path, RULE.replace(f'examples = ["{LINE}"]', 'examples = ["no such line"]'))
    for argv in (["rules", "--rules-dir", str(bad)], ["run", "--rules-dir", str(bad), "--raw-dir", str(RAW)],
                 ["eval", "--rules-dir", str(bad)]):
        assert main(argv) == 1
        error = capsys.readouterr().err
        assert "test.toml: rule 'legal.test_line': example 'no such line' does not fire the rule" in error


def test_eval_checks_the_users_rules_before_any_page(tmp_path):
    from cleaner.evaluate import evaluate

    with pytest.raises(RuleError, match="rules_dir is not a folder"):
        evaluate("no-such-dataset", rules_dir=str(tmp_path / "missing"))


def test_cleaner_rules_prints_the_order_and_each_rules_file(tmp_path, capsys):
    mine = folder(tmp_path, RULE + """
[[rule]]
id = "share.label"
category = "share"
applies_to = "text"
pattern = '(?i)^share this story$'
why = "ours"
examples = ["Share this story"]

[[rule]]
id = "comments.reply_link"
category = "comments"
applies_to = "text"
why = "x"
enabled = false
retired = "misfires on our pages"
""")
    assert main(["rules", "--rules-dir", str(mine)]) == 0
    out = capsys.readouterr().out
    numbered = [line.split()[:3] for line in out.splitlines() if line[:4].strip().isdigit()]
    assert numbered[:3] == [["1", "legal.test_line", str(mine / "test.toml")],
                            ["2", "share.label", str(mine / "test.toml")],
                            ["3", "advertising.label", "advertising.toml"]]
    assert "share.label" in out.split("(replaces the packaged rule)")[0].splitlines()[-1]
    assert "Packaged rules your rules switch off: comments.reply_link" in out
    assert [n for n, rule_id, _ in numbered].count("1") == 2  # text rules, then html rules, each numbered from 1


def test_rules_dir_is_a_field_of_the_prefect_run_form():
    """The form the UI shows for a run of the flow (and of the served deployment)."""
    from prefect.utilities.callables import parameter_schema

    from flows.clean import clean_articles

    schema = parameter_schema(clean_articles.fn).model_dump_for_openapi()
    field = schema["definitions"]["CleanConfig"]["properties"]["rules_dir"]
    assert field["default"] == "" and "tried before the packaged rules" in field["description"]
