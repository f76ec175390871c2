"""`cleaner` command line: `cleaner run` runs the clean_articles flow, `cleaner serve` serves it.

No server needs starting by hand: with no Prefect API configured, `cleaner run` starts a
temporary local server for the run and stops it afterwards (flows/server.py). Every
CleanConfig field is a flag.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from typing import get_args

from pydantic import ValidationError

from cleaner.config import CleanConfig

# Prefect reads these at import; set them before the first `import prefect`.
_PREFECT_DEFAULTS = {
    # No telemetry lookup: it fails loudly on a machine without internet.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The library's own warnings (a damaged site registry ignored, a worker process that died)
    # reach the run's log in the UI, not only the terminal; outside a run (a worker process
    # without the run's context) they stay on the terminal without a warning of their own.
    "PREFECT_LOGGING_EXTRA_LOGGERS": "cleaner",
    "PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW": "ignore",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cleaner", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run",
        help="clean raw/ into clean/ with the Prefect flow (on a temporary local server unless one is configured)")
    run.add_argument("--no-prefect", action="store_true",
                     help="run the pipeline without Prefect: no server, no UI or artifacts; starts in seconds "
                          "(scripts, cron)")
    _add_config_flags(run)
    serve = commands.add_parser(
        "serve", help="start the Prefect server and UI on loopback and serve the scheduled deployment",
        description="Starts `prefect server start` on --host/--port (unless PREFECT_API_URL is set), then "
                    "serves clean_articles/clean-articles with a cron schedule. The run flags below become "
                    "the deployment's default parameters. Ctrl-C stops both.",
    )
    serve.add_argument("--host", default="127.0.0.1",
                       help="address of the Prefect server (default: 127.0.0.1, loopback only)")
    serve.add_argument("--port", type=int, default=4200, help="port of the Prefect server (default: 4200)")
    serve.add_argument("--cron", default="0 6 * * *",
                       help="schedule, cron syntax in UTC (default: '0 6 * * *', daily at 06:00)")
    _add_config_flags(serve)
    rules = commands.add_parser("rules", help="list the boilerplate rules and where they came from")
    rules.add_argument("--rules-dir", default="", help=CleanConfig.model_fields["rules_dir"].description)
    evaluate = commands.add_parser(
        "eval", help="score cleaning against labelled snippets or reference texts, beside trafilatura and baselines",
        description="Scores the pipeline (html mode: it gets the page; text mode: it gets an inscriptis text "
                    "dump of the whole page) beside trafilatura alone, the dump unchanged, C4's line rules and "
                    "the densest prose span. DATASET is a folder with cases.jsonl and pages/ (`with`/`without` "
                    "snippets, the trafilatura evaluation format), a folder with index.json, pages/ and truth/ "
                    "(reference texts, WCXB's format: whole-body word and 4-shingle precision, recall and F1 per "
                    "page type, and metadata), or a labels file like tests/data/raw_labels.json (read with "
                    "--raw-dir). See docs/quality.md.",
    )
    evaluate.add_argument("dataset", nargs="?", default="tests/data/raw_labels.json",
                          help="folder with cases.jsonl, a WCXB folder, or a raw_labels.json file "
                               "(default: tests/data/raw_labels.json)")
    evaluate.add_argument("--raw-dir", default="raw", help="raw folder the labels file names (default: raw)")
    evaluate.add_argument("--split", choices=("dev", "heldout", "all"), default="all",
                          help="part of a cases.jsonl dataset: sha256(url) puts 20%% in heldout (default: all, "
                               "which reports dev, heldout and all)")
    evaluate.add_argument("--limit", type=int, default=None, help="only the first N pages (after --split)")
    evaluate.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                          help=f"worker processes (default: {os.cpu_count() or 1}, the CPU count)")
    evaluate.add_argument("--mode", choices=("html", "text", "both"), default="both",
                          help="html mode, text mode or both (default: both)")
    evaluate.add_argument("--worst", type=int, default=10,
                          help="list the N worst pages per mode and score (default: 10)")
    evaluate.add_argument("--page-type", action="append", default=None,
                          help="reference-text datasets (WCXB): only pages of this type (article, forum, listing, "
                               "collection); repeatable")
    evaluate.add_argument("--rules-dir", default="", help=CleanConfig.model_fields["rules_dir"].description)
    evaluate.add_argument("--json", dest="json_path", default=None,
                          help="write every number and the per-page results (outputs' scores, failed snippets) here")
    train = commands.add_parser(
        "train-lines", help="retrain text mode's line and headline models (needs the 'train' group)",
        description="Fits the line model and the headline model of text mode (src/cleaner/train_lines/) on the "
                    "dev part of both development sets and writes their trees to src/cleaner/models/. "
                    "Run it with: uv run --frozen --group train cleaner train-lines WCXB_DIR SNIPPETS_DIR",
    )
    train.add_argument("wcxb",
                       help="the WCXB development set (index.json, pages/, truth/), e.g. ../shared/eval-data/wcxb-dev")
    train.add_argument("snippets",
                       help="folder with cases.jsonl and pages/, e.g. ../shared/eval-data/trafilatura-snippets")
    train.add_argument("--out", default=None, help="where to write the models (default: the package's models/ folder)")
    train.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes for the features")
    pagetype = commands.add_parser(
        "train-pagetype", help="retrain html mode's page-type models (needs the 'train' group)",
        description="Fits the page-type models of html mode (src/cleaner/train_pagetype.py: is a page a listing "
                    "or collection of teasers, or an article?) on the dev part of the WCXB set (and of the "
                    "snippet pages, as articles): one on the page's markup, one on its markup and its second "
                    "reading; writes their trees to src/cleaner/models/page_type.json and page_type_reading.json. "
                    "Run it with: uv run --frozen --group train cleaner train-pagetype WCXB_DIR SNIPPETS_DIR",
    )
    pagetype.add_argument("wcxb",
                          help="the WCXB development set (index.json, pages/, truth/), "
                               "e.g. ../shared/eval-data/wcxb-dev")
    pagetype.add_argument("snippets", help="folder with cases.jsonl and pages/ (more articles), "
                                           "e.g. ../shared/eval-data/trafilatura-snippets")
    pagetype.add_argument("--out", default=None,
                          help="where to write the model (default: the package's models/ folder)")
    pagetype.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes for the features")
    args = parser.parse_args(argv)

    if args.command == "rules":
        return _print_rules(args.rules_dir)
    if args.command == "eval":
        return _evaluate(args)
    if args.command in ("train-lines", "train-pagetype"):
        return _train(args)
    try:
        config = CleanConfig(**{name: getattr(args, name) for name in CleanConfig.model_fields})
    except ValidationError as exc:  # '--batch-size 0': one line, as argparse says a bad value
        parser.error("; ".join(f"--{'-'.join(map(str, e['loc'])).replace('_', '-')}: {e['msg']}"
                               for e in exc.errors()))
    if _rules_or_error(config.rules_dir) is None:  # a mistake in a rule file stops here, before Prefect starts
        return 1
    for name, value in _PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    if args.command == "serve":
        from flows.serve import serve as serve_deployment

        serve_deployment(config, host=args.host, port=args.port, cron=args.cron)
        return 0
    return _run(config, prefect=not args.no_prefect)


def _run(config: CleanConfig, prefect: bool = True) -> int:
    """`cleaner run`: the flow against the configured Prefect API, else a temporary server of
    ours; or, without Prefect, the library's run in this process with its log on the terminal."""
    from cleaner.publish import PublishError
    from cleaner.storage import StorageError, TransientReadError

    expected = (StorageError, PublishError, TransientReadError)  # each says what failed in a sentence
    try:
        summary = _run_flow(config, expected) if prefect else _run_plain(config)
    except expected as exc:
        _drain_prefect(prefect)
        print(f"\ncleaner: {exc}", file=sys.stderr)
        return 1
    except BaseException as exc:
        # Ctrl-C. Prefect can turn it into another error: a SIGINT that lands while a task run
        # is being created makes its crash handler raise "ValueError: Task run is not set"
        # during the handling of the KeyboardInterrupt, and the flow re-raises that.
        if not interrupted(exc):
            raise
        # Prefect has marked the run crashed; publishing swaps a complete dataset in, or nothing.
        print(f"\ncleaner: interrupted; the run stopped, and {config.out_dir} holds the last complete dataset "
              "(if any)", file=sys.stderr)
        return 143 if terminated(exc) else 130
    _drain_prefect(prefect)
    counts = summary["counts"]
    print(
        f"\ncleaner: published {counts['published']} articles, {counts['duplicates']} duplicates and "
        f"{counts['rejects']} rejects from {counts['inputs']} inputs ({counts['files']} files) "
        f"into {summary['out_dir']}/"
    )
    return 0


class Terminated(KeyboardInterrupt):
    """SIGTERM (systemd, docker stop, a CI timeout, kill), handled as Ctrl-C is: the run stops
    where it is, its worker processes end with it, and nothing half-done is published."""


def _terminate(signum, frame) -> None:
    raise Terminated


def terminated(exc: BaseException | None) -> bool:
    """Whether `exc` is a Terminated or was raised while one was being handled."""
    return interrupted(exc, Terminated)


def interrupted(exc: BaseException | None, kind: type[BaseException] = KeyboardInterrupt) -> bool:
    """Whether `exc` is a KeyboardInterrupt (or `kind`) or was raised while one was being handled."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, kind):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def _drain_prefect(prefect: bool) -> None:
    """Let Prefect send its last events and logs now, so that the `cleaner:` sentence is the last
    line of the output (Prefect drains at exit otherwise, and warns about it after our line)."""
    if not prefect:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for service in (EventsWorker, APILogWorker):
        service.drain_all(timeout=10, at_exit=False)


def _run_plain(config: CleanConfig) -> dict:
    from cleaner.run import run

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", datefmt="%H:%M:%S")
    signal.signal(signal.SIGTERM, _terminate)
    report = run(config).report
    return {"counts": report.counts, "out_dir": report.out_dir}


def _run_flow(config: CleanConfig, expected: tuple[type[BaseException], ...]) -> dict:
    from flows.server import configured_api, start_temporary_server, use_api

    if not configured_api():
        use_api(start_temporary_server())
    from flows.clean import clean_articles

    _no_traceback_on_console(*expected)
    return clean_articles(config=config)


class _NoTraceback(logging.Filter):
    """Keeps a log line of an expected failure (a full disk, a missing bucket) to its message."""

    def __init__(self, expected: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.expected = expected

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], self.expected):
            record.exc_info = record.exc_text = None
        return True


def _no_traceback_on_console(*expected: type[BaseException]) -> None:
    """The terminal shows an expected failure as sentences, not tracebacks (the UI's log keeps them):
    the message names the path and the cause, and the CLI ends with it."""
    for handler in logging.getLogger().handlers:  # Prefect's console handler sits on the root logger
        handler.addFilter(_NoTraceback(expected))


def _add_config_flags(parser: argparse.ArgumentParser) -> None:
    for name, field in CleanConfig.model_fields.items():
        flag = "--" + name.replace("_", "-")
        kind = field.annotation
        if kind is bool:
            parser.add_argument(flag, dest=name, action=argparse.BooleanOptionalAction,
                                default=field.default, help=field.description)
            continue
        caster = next((t for t in (int, float, str) if kind is t or t in get_args(kind)), str)
        parser.add_argument(flag, dest=name, type=caster, default=field.default,
                            help=f"{field.description} (default: {field.default})")


def _evaluate(args: argparse.Namespace) -> int:
    import json

    from cleaner import bodyeval
    from cleaner.evaluate import evaluate, format_report

    if _rules_or_error(args.rules_dir) is None:
        return 1
    if bodyeval.is_dataset(args.dataset):
        report = bodyeval.evaluate(args.dataset, split=args.split, limit=args.limit, jobs=args.jobs, progress=True,
                                   page_types=args.page_type, rules_dir=args.rules_dir,
                                   modes=("html", "text") if args.mode == "both" else (args.mode,))
        print(bodyeval.format_report(report))
        if args.json_path:
            with open(args.json_path, "w", encoding="utf-8") as handle:
                json.dump(report, handle, ensure_ascii=False, indent=1)
            print(f"wrote {args.json_path}")
        return 0
    modes = ("html", "text") if args.mode == "both" else (args.mode,)
    report = evaluate(args.dataset, split=args.split, limit=args.limit, jobs=args.jobs, raw_dir=args.raw_dir,
                      progress=True, modes=modes, rules_dir=args.rules_dir)
    print(format_report(report, args.worst))
    if args.json_path:
        with open(args.json_path, "w", encoding="utf-8") as handle:
            json.dump(report, handle, ensure_ascii=False, indent=1)
        print(f"wrote {args.json_path}")
    return 0


def _train(args: argparse.Namespace) -> int:
    """`cleaner train-lines` (text mode's line and headline models) or `cleaner train-pagetype`."""
    import json

    try:
        import sklearn  # noqa: F401
    except ImportError as exc:  # scikit-learn is only in the 'train' dependency group
        print(f"cleaner: {exc}; run it as `uv run --frozen --group train cleaner {args.command} ...`",
              file=sys.stderr)
        return 1
    if args.command == "train-pagetype":
        from cleaner.train_pagetype import MODELS, train
    else:
        from cleaner.train_lines import MODELS, train

    report = train(args.wcxb, args.snippets, out=args.out or MODELS, jobs=args.jobs)
    print(json.dumps(report, indent=1))
    return 0


def _rules_or_error(rules_dir: str):
    """The run's rules, or None once the mistake in a rule file is printed."""
    from cleaner.rules import RuleError, load_rules

    try:
        return load_rules(rules_dir=rules_dir)
    except RuleError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return None


def _print_rules(rules_dir: str = "") -> int:
    """Every rule in the order it is tried, with the file it comes from (docs/rules.md, "Precedence")."""
    from cleaner.rules import RULES_DIR, load_rules

    rules = _rules_or_error(rules_dir)
    if rules is None:
        return 1
    packaged = {r.id: r for r in (*load_rules().text, *load_rules().html)}
    first = f"the rules of {rules_dir} first, then " if rules_dir else ""
    print(f"Rules in the order they are tried: {first}the packaged rules of {RULES_DIR}; each folder's files in "
          "name order, each file's rules in file order. A rule of yours with a packaged rule's id replaces it.")

    def line(n: int | str, rule) -> str:
        replaces = " (replaces the packaged rule)" if rule.id in packaged and packaged[rule.id] != rule else ""
        limits = [f"zone={rule.zone}" if rule.zone != "any" else "",
                  f"max_words={rule.max_words}" if rule.max_words else "",
                  f"action={rule.action}" if rule.action != "drop" else "",
                  "sites=" + ",".join(rule.sites) if rule.sites else ""]
        head = f"{n:>4}  {rule.id:34} {rule.source:24} {' '.join(x for x in limits if x)}{replaces}"
        return f"{head.rstrip()}\n      {rule.why}"

    patterns = [r for r in rules.text if r.pattern is not None]
    print("\nText rules: the first that matches a block cuts it. strip tries the rules without a zone on every block "
          "first, then the zone rules (head, tail, edge) once it knows where the story starts and ends.")
    for n, rule in enumerate(patterns, start=1):
        print(line(n, rule))
    print("\nDetectors: named logic in strip/, on the blocks the text rules left.")
    for rule in (r for r in rules.text if r.detector is not None):
        print(line("-", rule))
    print("\nHTML rules: CSS selectors, before the extractor runs, in this order; each removes what it selects.")
    for n, rule in enumerate(rules.html, start=1):
        print(line(n, rule))
    retired = sorted(set(packaged) - {r.id for r in (*rules.text, *rules.html)})
    if retired:
        print(f"\nPackaged rules your rules switch off: {', '.join(retired)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
