"""Provides the seqtui App: the tab shell, global keys and the one error handler."""

from __future__ import annotations

import datetime as _dt
import io
import os
import sys
import time
import traceback
from pathlib import Path

from rich.console import Console
from textual import on
from collections.abc import Iterable
from functools import partial

from textual.app import App, ComposeResult, SystemCommand
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import Footer, Header, Select, Static, TabbedContent, TabPane

from seqtui_models.core.errors import SeqtuiError
from seqtui.messages import TaskFailed
from seqtui.tabs import TABS, TAB_IDS
from seqtui.text import shorten_runs
from seqtui.widgets.dialogs import ConfirmDialog, ErrorDialog, HelpScreen
from seqtui.state import AppState

MIN_WIDTH, MIN_HEIGHT = 80, 24
MAX_NOTIFICATIONS = 3
"""Notifications shown at once at most."""


def write_crash_log(text: str) -> Path:
    """Save the details of an internal error to the seqtui home's logs folder; return the file."""
    from seqtui_models.core.paths import user_models_dir

    folder = user_models_dir().parent / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"crash-{_dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
    path.write_text(text, encoding="utf-8")
    return path

TERMINAL_CHECK = 1.0  # seconds between checks that the terminal is still there

GENERAL_HELP = """\
# seqtui

A playground for the sequence models of the *Sequence Models* course.

| key | does |
| --- | --- |
| 1 … 6, ctrl+pageup/pagedown | switch tab |
| tab / shift+tab | move between controls |
| F1 or ? | this help, for the current tab |
| F2 | the tab's training runs: compare their curves, load one, resume it, delete it |
| F3 | copy the tab's state string (seqtui --state STRING opens it again) |
| F12 | save the screen as an SVG in the seqtui home's screenshots folder |
| ctrl+p | command palette |
| q (outside a field or dropdown) or ctrl+q (anywhere) | quit |
"""


class SeqtuiApp(App[int]):
    """The seqtui terminal app.

    Args:
        tab: The id of the tab to open first (default: the first one).
    """

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "seqtui"
    SUB_TITLE = "feel how sequence models work"
    BINDINGS = [
        Binding("q", "quit_by_q", "Quit"),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f12", "screenshot_svg", "Screenshot", show=False),
        Binding("ctrl+pagedown", "next_tab", "Next tab", show=False, priority=True),
        Binding("ctrl+pageup", "previous_tab", "Previous tab", show=False, priority=True),
        *[Binding(spec.key, f"show_tab('{spec.id}')", spec.title, show=False) for spec in TABS],
    ]

    def __init__(self, tab: str | None = None, state: AppState | None = None) -> None:
        super().__init__()
        self.initial_tab = tab if tab in TAB_IDS else TAB_IDS[0]
        self.initial_state = state
        self._error_buffer = io.StringIO()
        self.error_console = Console(file=self._error_buffer, width=120, markup=False, highlight=False,
                                     color_system=None, force_terminal=False)
        self._terminal_fd: int | None = None  # watched while the app runs in a real terminal
        self._showing: dict[tuple[str, str, str], float] = {}  # notifications on screen → when they go

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=self.initial_tab, id="tabs"):
            for spec in TABS:
                with TabPane(spec.title, id=spec.id):
                    # Only the first tab is built at start; the others when first opened.
                    if spec.id == self.initial_tab:
                        yield spec.load()(id=f"{spec.id}-tab")
        yield Static("", id="too-small")
        yield Footer()

    def on_mount(self) -> None:
        """Start with the keyboard inside the first tab, so its keys work at once."""
        self.call_after_refresh(self._focus_tab, self.initial_tab)
        if self.initial_state is not None:
            self.run_worker(self._apply_state(self.initial_state), group="state")
        stdin = sys.__stdin__
        if not self.is_headless and stdin is not None and stdin.isatty():
            self._terminal_fd = stdin.fileno()
            self.set_interval(TERMINAL_CHECK, self._check_terminal)

    async def _apply_state(self, state: AppState) -> None:
        """Once the state's tab is ready, put its settings in (``--state``)."""
        for tab in self.query(f"#{state.tab}-tab"):
            await tab.wait_ready()  # type: ignore[attr-defined]
            tab.apply_state(state)  # type: ignore[attr-defined]
            self.notify("Opened with the settings of a state string.", timeout=4)

    def _check_terminal(self) -> None:
        """Quit, as q would, once the terminal is gone (its window closed, an ssh link dropped).

        Run under a parent that swallows the hangup (``make run``), the app would otherwise
        never hear of it, and Textual's input thread spins on the dead terminal at full CPU.
        """
        if self._terminal_fd is not None and not os.isatty(self._terminal_fd):
            self.exit()

    @on(TabbedContent.TabActivated, "#tabs")
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        tab_id = event.pane.id
        if not tab_id:
            return
        if not event.pane.query(f"#{tab_id}-tab"):
            spec = next(spec for spec in TABS if spec.id == tab_id)
            await event.pane.mount(spec.load()(id=f"{tab_id}-tab"))
        self._focus_tab(tab_id)

    def _focus_tab(self, tab_id: str) -> None:
        # A focus call queued for a tab the user has already left would pull that tab back.
        if self.query_one("#tabs", TabbedContent).active != tab_id:
            return
        for tab in self.query(f"#{tab_id}-tab"):
            focus = getattr(tab, "focus_default", None)
            if focus is not None:
                focus()

    # -- keys ------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Add tab switching and the current tab's commands to the command palette."""
        yield from super().get_system_commands(screen)
        for spec in TABS:
            yield SystemCommand(f"Tab: {spec.title}", f"Switch to the {spec.id} tab", partial(self.action_show_tab, spec.id))
        for tab in self.query(".task-tab"):
            commands = getattr(tab, "COMMANDS_PALETTE", ())
            for title, help_text, action in commands:
                yield SystemCommand(title, help_text, partial(self.run_action, action, tab))

    def action_show_tab(self, tab: str) -> None:
        """Switch to the tab with id ``tab``."""
        self._switch_to(tab)

    def _switch_to(self, tab: str) -> None:
        # Drop the focus first: when the focused widget is hidden with its pane, Textual hands
        # the focus to a sibling in that pane, and TabbedContent would bring the old pane back.
        self.set_focus(None)
        self.query_one(TabbedContent).active = tab

    def action_next_tab(self) -> None:
        """Switch to the next tab."""
        self._cycle_tab(+1)

    def action_previous_tab(self) -> None:
        """Switch to the previous tab."""
        self._cycle_tab(-1)

    def _cycle_tab(self, delta: int) -> None:
        tabs = self.query_one(TabbedContent)
        index = TAB_IDS.index(tabs.active) if tabs.active in TAB_IDS else 0
        self._switch_to(TAB_IDS[(index + delta) % len(TAB_IDS)])

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information",
               timeout: float | None = None, markup: bool = True) -> None:
        """Show a notification, unless the same one is on screen already; never more than
        :data:`MAX_NOTIFICATIONS` at once (a new one clears the stack first), so one action that
        trips several times gives one message, not six.

        Messages are always plain text (``markup`` is accepted and ignored; widgets pass True): they
        hold paths, typed words and commands such as ``pip install 'seqtui[audio]'``, whose brackets
        Rich would take as markup and swallow."""
        now = time.monotonic()
        self._showing = {key: until for key, until in self._showing.items() if until > now}
        key = (message, title, severity)
        if key in self._showing:
            return
        if len(self._showing) >= MAX_NOTIFICATIONS:
            self.clear_notifications()
            self._showing.clear()
        self._showing[key] = now + (self.NOTIFICATION_TIMEOUT if timeout is None else timeout)
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    async def action_quit_by_q(self) -> None:
        """``q``: quit (see :meth:`check_action` for where it does not)."""
        await self.action_quit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``q`` is a letter a user may be typing: on a dropdown (reached by tab from a field, where a
        word list was being typed) it does not quit; ctrl+q does, from anywhere."""
        if action == "quit_by_q" and isinstance(self.focused, Select):
            return False
        return True

    async def action_quit(self) -> None:
        """Quit; while a training run is going, ask first (the run stops and saves its model)."""
        running = [panel for panel in self.query("TrainingPanel") if getattr(panel, "running", False)]
        if not running:
            self.exit()
            return
        if isinstance(self.screen, ConfirmDialog):
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.exit()

        self.push_screen(
            ConfirmDialog("A training run is going", "Quit anyway? The run stops here and its model is saved.",
                          yes="Quit", no="Keep training"),
            answered,
        )

    def action_screenshot_svg(self) -> None:
        """Save the screen as an SVG (Textual's own screenshot) named after the tab and the time (F12)."""
        from datetime import datetime

        from seqtui_models.core.paths import seqtui_home

        folder = seqtui_home() / "screenshots"
        tab = self.query_one(TabbedContent).active or "seqtui"
        name = f"{tab}-{datetime.now():%Y%m%d-%H%M%S}.svg"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = self.save_screenshot(filename=name, path=str(folder))
        except OSError as exc:
            self.notify(f"Could not save a screenshot in {folder}: {exc.strerror or exc}.", severity="error")
            return
        self.notify(f"Saved {path}", title="Screenshot", timeout=6)

    def action_help(self) -> None:
        """Show the help of the current tab (what it computes, its equations, its keys)."""
        if isinstance(self.screen, HelpScreen):
            return
        active = self.query_one(TabbedContent).active
        tab_help = "".join(getattr(tab, "HELP", "") + "\n\n" for tab in self.query(f"#{active}-tab"))
        self.push_screen(HelpScreen(tab_help + GENERAL_HELP))

    # -- the one error handler -------------------------------------------------------------

    @on(TaskFailed)
    def show_failure(self, message: TaskFailed) -> None:
        """Turn any failure into a notification (user-fixable) or a dialog (a bug)."""
        error = message.error
        if isinstance(error, SeqtuiError) and message.shown and not getattr(error, "details", ""):
            return  # the view says it where the user is looking
        if isinstance(error, SeqtuiError):
            details = getattr(error, "details", "")
            if details:
                log = write_crash_log(details)
                self.push_screen(ErrorDialog(error.title, error.message, f"Details were saved to {log}"))
            else:
                self.notify(shorten_runs(error.message), title=error.title, severity="error", timeout=8)
        else:
            text = "".join(traceback.format_exception(error))
            log = write_crash_log(text)
            what = f" during {message.source}" if message.source else ""
            self.push_screen(
                ErrorDialog(
                    "Internal error",
                    f"seqtui hit a bug{what}: {type(error).__name__}: {error}. "
                    "Your data and saved models are untouched; you can go on.",
                    f"Details were saved to {log} — please include them in a bug report.",
                )
            )

    @property
    def crash_report(self) -> str:
        """What Textual printed about an unhandled error on exit (empty after a clean run).

        Textual writes the traceback of an error nothing handled to ``error_console`` as the
        app exits; seqtui sends that console to a buffer, so the user sees one line and the
        traceback goes to a log file (see :func:`seqtui.__main__.open_app`).
        """
        return self._error_buffer.getvalue()

    # -- terminal too small ----------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        """Cover the screen with a clear message when the terminal is too small."""
        width, height = event.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        notice = self.query_one("#too-small", Static)
        notice.update(
            f"The terminal is {width}×{height}; seqtui needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n"
            "Enlarge the window (or reduce the font size) to go on. q quits."
        )
        self.set_class(small, "-too-small")
