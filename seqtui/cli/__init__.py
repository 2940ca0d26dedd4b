"""Provides the command line: ``seqtui [--tab ID]`` and the headless ``seqtui TASK VERB`` commands.

Nothing here imports Textual (an import-linter contract): the headless commands call the same
``seqtui_models`` backends as the app, and opening the app is left to the caller
(``seqtui.__main__``). Every verb takes ``--json`` and then prints exactly one JSON object on stdout; progress
goes to stderr; a bad argument or input prints one line on stderr and exits with code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable
from typing import NoReturn

from seqtui_models.core.errors import SeqtuiError
from seqtui import __version__
from seqtui.cli import cells, dates, dinos, emojify, jazz, runs, vectors
from seqtui.cli.common import EXIT_USAGE, fail
from seqtui.text import shorten_runs

TASK_MODULES = {
    "cells": cells, "dinos": dinos, "jazz": jazz, "vectors": vectors, "emojify": emojify, "dates": dates,
    "runs": runs,
}


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {shorten_runs(message)} (see '{self.prog} --help')", file=sys.stderr)
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
    parser.add_argument("--state", metavar="STRING",
                        help="open the app with a tab's settings, as F3 in the tab or 'seqtui runs show' gives them")
    tasks = parser.add_subparsers(dest="task", metavar="TASK", parser_class=ArgumentParser)
    for name, module in TASK_MODULES.items():
        module.add_parser(tasks)
    return parser


def main(argv: list[str], open_app: Callable[..., int] | None = None) -> int:
    """Parse ``argv`` and run a headless verb, or the app; return the exit code.

    Args:
        argv: The arguments after the program name.
        open_app: Runs the app on a tab (``None``: the first), with a state
            (:class:`seqtui.state.AppState`) when ``--state`` gives one, and returns its exit
            code; without it, ``seqtui`` with no task prints the usage and exits with code 2.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.task is None:
        if open_app is None:
            parser.print_usage(sys.stderr)
            return EXIT_USAGE
        if args.state is None:
            return open_app(args.tab)
        from seqtui.state import decode_state
        from seqtui.tabs import TAB_IDS

        try:
            state = decode_state(args.state, tuple(TAB_IDS))
        except SeqtuiError as exc:
            fail(str(exc))
        return open_app(state.tab, state=state)
    if getattr(args, "func", None) is None:  # a task without a verb: its help, as a usage error
        with contextlib.redirect_stdout(sys.stderr):
            try:
                parser.parse_args([args.task, "--help"])
            except SystemExit:
                pass
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except SeqtuiError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail("Interrupted.")
    except BrokenPipeError:
        return 0
