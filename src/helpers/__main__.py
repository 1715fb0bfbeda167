"""Command line: ``python -m helpers {import,synth,run,playbook,sentiment,i18n} ...``, dispatched to each room's cli."""
from __future__ import annotations

import sys

USAGE = """usage: python -m helpers COMMAND [options]

commands:
  import SOURCE --map MAP.yml --out DIR   turn a raw export into a canonical dataset
  synth --out DIR --seed N                generate a synthetic dataset with planted ground truth
  run CONFIG.yml                          execute notebooks with papermill and render HTML
  playbook RUN_DIR [--language en|ru|az]  render a playbook edition (summary, pages, playbooks) from a run
  sentiment {train,score,export,import}   train/use a sentiment model on your own labels
  i18n {update,check}                     update the translation catalogs / list untranslated messages
  watch DATA_DIR [--as-of T] [--out DIR]  early warning: exit 3 and alert.json when a crisis starts

run `python -m helpers COMMAND --help` for the options of one command."""


def main(argv: list[str] | None = None) -> int:
    """Dispatch to a subcommand; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0 if argv else 2
    command, rest = argv[0], argv[1:]
    # Each room's cli is imported only when its command runs: lazy for start-up speed (``python -m helpers
    # import`` should not load papermill, nbconvert or the sentiment models), not to dodge an import cycle.
    if command == "import":
        from helpers.io import import_cli

        return import_cli(rest)
    if command == "synth":
        from helpers.synth import cli as synth_cli

        return synth_cli(rest)
    if command == "run":
        from helpers.run import cli as run_cli

        return run_cli(rest)
    if command == "sentiment":
        from helpers.sentiment import cli as sentiment_cli

        return sentiment_cli(rest)
    if command == "watch":
        from helpers.watch import cli as watch_cli

        return watch_cli(rest)
    if command == "playbook":
        from helpers.publish.playbook import cli as playbook_cli

        return playbook_cli(rest)
    if command == "i18n":
        from helpers.i18n.extract import cli as i18n_cli

        return i18n_cli(rest)
    print(f"unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
