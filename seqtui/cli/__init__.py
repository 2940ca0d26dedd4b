"""Provides ``seqtui [--tab ID]`` and the headless ``seqtui TASK VERB`` commands.

Nothing here imports Textual: the headless commands call the same ``models`` backends as the
app. Every verb takes ``--json`` and then prints exactly one JSON object on stdout; progress
goes to stderr; a bad argument or input prints one line on stderr and exits with code 2.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from seqtui_models.core.errors import SeqtuiError
from seqtui import __version__
from seqtui.cli import cells, dates, dinos, emojify, jazz, vectors
from seqtui.cli.common import EXIT_USAGE, fail

TASK_MODULES = {
    "cells": cells, "dinos": dinos, "jazz": jazz, "vectors": vectors, "emojify": emojify, "dates": dates,
}


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see '{self.prog} --help')", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> ArgumentParser:
    """Build the whole command line: the app's options and every task's verbs."""
    from seqtui.tabs import TAB_IDS  # imports no Textual

    parser = ArgumentParser(
        prog="seqtui",
        description="A terminal playground for sequence models. With no TASK it opens the app.",
        epilog="Run 'seqtui TASK --help' for a task's verbs, 'seqtui TASK VERB --help' for options.",
    )
    parser.add_argument("--version", action="version", version=f"seqtui {__version__}")
    parser.add_argument("--tab", choices=TAB_IDS, help="open the app on this tab")
    tasks = parser.add_subparsers(dest="task", metavar="TASK", parser_class=ArgumentParser)
    for name, module in TASK_MODULES.items():
        module.add_parser(tasks)
    return parser


def main(argv: list[str]) -> int:
    """Parse ``argv`` and run the app or a headless verb; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.task is None:
        from seqtui.app import SeqtuiApp

        code = SeqtuiApp(tab=args.tab).run()
        return code if isinstance(code, int) else 0
    if getattr(args, "func", None) is None:
        parser.parse_args([args.task, "--help"])
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except SeqtuiError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("Interrupted.")
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
