"""Provides the error dialog and the help screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ErrorDialog(ModalScreen[None]):
    """A modal that states what went wrong and what to do next.

    Args:
        title: A short heading.
        message: What went wrong and what to do (one or two sentences).
        details: Optional extra text (e.g. where a crash log was written).
    """

    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close")]

    def __init__(self, title: str, message: str, details: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.message_text = message
        self.details = details

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            yield Label(self.title_text, id="error-title")
            yield Static(self.message_text, id="error-message")
            if self.details:
                yield Static(self.details, id="error-details")
            yield Button("Close", variant="error", id="error-close")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Close on the button."""
        event.stop()
        self.dismiss()

    async def action_dismiss(self, result: None = None) -> None:
        """Close the dialog."""
        self.dismiss(result)


class HelpScreen(ModalScreen[None]):
    """Explains what a tab computes, with its equations and keys.

    Args:
        markdown: The help text.
    """

    BINDINGS = [Binding("escape,f1,question_mark,q", "close", "Close help")]

    def __init__(self, markdown: str) -> None:
        super().__init__()
        self.markdown = markdown

    def compose(self) -> ComposeResult:
        from textual.widgets import Markdown  # markdown-it is slow to import: not at start-up

        with VerticalScroll(id="help-box"):
            yield Markdown(self.markdown)

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
