"""Entry point: ``seqtui`` opens the app; ``seqtui TASK VERB`` runs headless."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Run seqtui with ``argv`` (default: the process's arguments) and return the exit code."""
    from seqtui.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
