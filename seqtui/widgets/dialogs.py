"""Provides the error dialog, the yes/no question and the help screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ErrorDialog(ModalScreen[None]):
    """A modal that states what went wrong and what to do next.

    Args:
        title: A short heading.
        message: What went wrong and what to do (one or two sentences).
        details: Optional extra text (e.g. where a crash log was written).
    """

    DEFAULT_CSS = """
    ErrorDialog {
        align: center middle;
    }
    ErrorDialog > #error-box {
        width: 70;
        max-width: 90%;
        height: auto;
        border: thick $error;
        background: $panel;
        padding: 1 2;
    }
    ErrorDialog #error-title {
        text-style: bold;
        color: $error;
        margin-bottom: 1;
    }
    ErrorDialog #error-details {
        color: $text-muted;
        margin-top: 1;
    }
    ErrorDialog #error-close {
        margin-top: 1;
    }
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


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; dismissed with ``True`` (yes) or ``False`` (no, escape).

    Args:
        title: A short heading.
        question: What is asked, with what each answer does.
        yes: The label of the yes button (``y``).
        no: The label of the no button (``n``, escape).
    """

    DEFAULT_CSS = """
    ConfirmDialog {
        align: center middle;
    }
    ConfirmDialog > #confirm-box {
        width: 72;
        max-width: 90%;
        height: auto;
        border: thick $warning;
        background: $panel;
        padding: 1 2;
    }
    ConfirmDialog #confirm-title {
        text-style: bold;
        margin-bottom: 1;
    }
    ConfirmDialog #confirm-buttons {
        height: auto;
        margin-top: 1;
    }
    ConfirmDialog #confirm-buttons Button {
        margin-right: 2;
    }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text = title
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Label(self.title_text, id="confirm-title")
            yield Static(self.question, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(f"{self.yes} (y)", variant="primary", id="confirm-yes")
                yield Button(f"{self.no} (n)", id="confirm-no")

    def on_mount(self) -> None:
        """Start on the safe answer."""
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer with the button pressed."""
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, answer: bool) -> None:
        """Answer by key."""
        self.dismiss(answer)


class HelpScreen(ModalScreen[None]):
    """Explains what a tab computes, with its equations and keys.

    Args:
        markdown: The help text.
    """

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > #help-box {
        width: 90%;
        height: 90%;
        border: thick $accent;
        background: $panel;
        padding: 0 1;
    }
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
