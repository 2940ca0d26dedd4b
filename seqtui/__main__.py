"""Entry point: ``seqtui`` opens the app; ``seqtui TASK VERB`` runs headless."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seqtui.state import AppState


def open_app(tab: str | None, state: AppState | None = None) -> int:
    """Run the Textual app on ``tab`` (with ``state``'s settings) and return its exit code (Textual is
    imported only here).

    An internal error that nothing handled ends the app with one line on stderr; its traceback
    goes to a log file, never in front of the user.
    """
    from seqtui.app import SeqtuiApp, write_crash_log

    app = SeqtuiApp(tab=tab, state=state)
    code = app.run()
    report = app.crash_report
    if report:
        try:
            where = f"details in {write_crash_log(report)}"
        except OSError:
            where = "no log could be written"
        print(f"seqtui stopped on an internal error; {where}.", file=sys.stderr)
        return 1
    return code if isinstance(code, int) else 0


def main(argv: list[str] | None = None) -> int:
    """Run seqtui with ``argv`` (default: the process's arguments) and return the exit code."""
    from seqtui.cli import main as cli_main
    from seqtui_models.core.frameworks import quiet_tensorflow

    quiet_tensorflow()  # before any tab or verb imports Keras: its messages would land on the screen
    return cli_main(sys.argv[1:] if argv is None else argv, open_app)


if __name__ == "__main__":
    sys.exit(main())
