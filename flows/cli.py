"""`cleaner` command line: `cleaner run` runs the clean_articles flow in Prefect's local mode.

No server needs starting by hand: with no PREFECT_API_URL set, Prefect starts a temporary
local server for the run and stops it afterwards. Every CleanConfig field is a flag.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import get_args

from cleaner.config import CleanConfig

# Prefect reads these at import; set them before the first `import prefect`.
_PREFECT_DEFAULTS = {
    # No telemetry lookup: it fails loudly on a machine without internet.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    # The temporary server's first start (database migrations) takes ~25 s here; the
    # default 20 s timeout is too close.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cleaner", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="clean raw/ into clean/ with the Prefect flow (local mode)")
    _add_config_flags(run)
    serve = commands.add_parser(
        "serve", help="start the Prefect server and UI on loopback and serve the scheduled deployment",
        description="Starts `prefect server start` on --host/--port (unless PREFECT_API_URL is set), then "
                    "serves clean_articles/clean-articles with a cron schedule. The run flags below become "
                    "the deployment's default parameters. Ctrl-C stops both.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address of the Prefect server (default: 127.0.0.1, loopback only)")
    serve.add_argument("--port", type=int, default=4200, help="port of the Prefect server (default: 4200)")
    serve.add_argument("--cron", default="0 6 * * *", help="schedule, cron syntax in UTC (default: '0 6 * * *', daily at 06:00)")
    _add_config_flags(serve)
    commands.add_parser("rules", help="list the boilerplate rules and where they came from")
    args = parser.parse_args(argv)

    if args.command == "rules":
        return _print_rules()
    config = CleanConfig(**{name: getattr(args, name) for name in CleanConfig.model_fields})
    for name, value in _PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    if args.command == "serve":
        from flows.serve import serve as serve_deployment

        serve_deployment(config, host=args.host, port=args.port, cron=args.cron)
        return 0
    from flows.clean import clean_articles

    summary = clean_articles(config=config)
    counts = summary["counts"]
    print(
        f"\ncleaner: published {counts['published']} articles, {counts['duplicates']} duplicates and "
        f"{counts['rejects']} rejects from {counts['inputs']} inputs ({counts['files']} files) "
        f"into {summary['out_dir']}/"
    )
    return 0


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


def _print_rules() -> int:
    from cleaner.rules import load_rules

    rules = load_rules()
    for rule in (*rules.text, *rules.html):
        print(f"{rule.id:38} {rule.applies_to:5} {rule.why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
