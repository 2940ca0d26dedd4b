"""Provides AddView: add a sentence with its emoji to your own CSV, and V1 retrains on it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, DataTable, Input, Select, Static

from seqtui.text import cells_safe
from seqtui.widgets.form import field


class AddRequested(Message):
    """The user asked to add the sentence (enter, the button or ctrl+g)."""


class RemoveRequested(Message):
    """The user asked to remove one of their sentences (delete on its row)."""

    def __init__(self, sentence: str) -> None:
        super().__init__()
        self.sentence = sentence


class AddView(Vertical):
    """The Add view: a sentence, its emoji, the button, a status line and the sentences added so far
    (delete on one removes it)."""

    BINDINGS = [Binding("delete,backspace", "remove", "Remove sentence")]

    DEFAULT_CSS = """
    AddView {
        height: 1fr;
    }
    AddView #emojify-add-button {
        margin-bottom: 1;
    }
    AddView #emojify-add-status {
        height: auto;
        color: $text-muted;
        margin-bottom: 1;
    }
    AddView #emojify-add-table {
        height: 1fr;
        border: round $primary 40%;
        border-title-color: $text;
    }
    AddView #emojify-add-table:focus {
        border: round $accent;
    }
    """

    def compose(self) -> ComposeResult:
        yield field("sentence", Input(placeholder="a sentence of your own", id="emojify-add-sentence", compact=True),
                    classes="field emo-wide")
        yield field("emoji", Select([], id="emojify-add-label", compact=True, prompt="choose"), classes="field emo-wide")
        yield Button("Add and retrain V1 (ctrl+g)", id="emojify-add-button", compact=True, variant="primary")
        yield Static("", id="emojify-add-status")
        yield DataTable(id="emojify-add-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        added = self.query_one("#emojify-add-table", DataTable)
        for label, width in (("your sentence", 56), ("emoji", 6)):
            added.add_column(label, width=width)

    @on(Button.Pressed, "#emojify-add-button")
    @on(Input.Submitted, "#emojify-add-sentence")
    def _add(self) -> None:
        self.post_message(AddRequested())

    @property
    def sentence(self) -> str:
        """The sentence typed."""
        return self.query_one("#emojify-add-sentence", Input).value

    @property
    def label(self) -> int | None:
        """The emoji chosen (its class number), if any."""
        value = self.query_one("#emojify-add-label", Select).value
        return value if isinstance(value, int) else None

    def added(self) -> None:
        """Clear the sentence after it was added."""
        self.query_one("#emojify-add-sentence", Input).value = ""

    def fill_labels(self, labels: Any) -> None:
        """Offer the model's classes as the emoji to choose from (keeping the choice if it still exists)."""
        select = self.query_one("#emojify-add-label", Select)
        current = select.value
        select.set_options([(f"{i} {cells_safe(e)} {n}", i) for i, (e, n) in enumerate(zip(labels.emoji, labels.names))])
        if isinstance(current, int) and current < len(labels):
            select.value = current

    def show_rows(self, rows: Sequence[tuple[str, str]], where: str) -> None:
        """List the sentences added so far, newest first."""
        table = self.query_one("#emojify-add-table", DataTable)
        table.clear()
        for sentence, emoji in reversed(rows):
            table.add_row(sentence, cells_safe(emoji))
        table.border_title = f"your sentences ({len(rows)}) in {where} · delete removes one"

    def action_remove(self) -> None:
        """Remove the sentence under the list's cursor (when the list has the focus)."""
        table = self.query_one("#emojify-add-table", DataTable)
        if self.app.focused is not table or not table.row_count:
            return
        sentence = str(table.get_row_at(table.cursor_row)[0])
        self.post_message(RemoveRequested(sentence))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "remove":
            table = self.query_one("#emojify-add-table", DataTable)
            return self.app.focused is table and table.row_count > 0
        return True

    def say(self, text: str) -> None:
        """Set the status line."""
        self.query_one("#emojify-add-status", Static).update(text)
