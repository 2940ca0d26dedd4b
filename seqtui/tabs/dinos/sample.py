"""Provides SampleView: the sampling settings, a prefix and the names drawn (or found by beam search)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from seqtui.widgets.form import field

if TYPE_CHECKING:
    from seqtui_models.dinos import SampledName

NOVELTY_STYLE = {"new": "bold green", "val": "bold cyan", "train": "dim"}


def settings_line(temperature: float, top_k: int, new_only: bool, count: int) -> Text:
    """The sampling settings and the keys that change them."""
    return Text.assemble(
        ("temperature ", "dim"), (f"{temperature:.1f}", "bold"), (" (, .)  ", "dim"),
        ("top-k ", "dim"), (str(top_k or "all"), "bold"), (" ([ ])  ", "dim"),
        ("new only ", "dim"), ("on" if new_only else "off", "bold"), (" (o)  ", "dim"),
        ("names ", "dim"), (str(count), "bold"), (" (- +)", "dim"), ("\n", ""),
        ("n", "bold"), (" new samples  ", "dim"), ("b", "bold"), (" beam search  ", "dim"),
        ("i", "bold"), (" look inside  ", "dim"), ("v", "bold"), (" next view", "dim"),
    )


class SampleView(Vertical):
    """The Sample view: settings, an optional prefix, and a table of names with their log p and tag."""

    DEFAULT_CSS = """
    SampleView {
        height: 1fr;
    }
    SampleView #sample-settings {
        padding: 0 1;
        height: auto;
    }
    SampleView #dinos-names-table {
        height: 1fr;
        border: round $primary 40%;
        border-title-color: $text;
    }
    SampleView #dinos-names-table:focus {
        border: round $accent;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="sample-settings")
        yield field("prefix", Input(placeholder="e.g. tyranno", id="dinos-prefix", compact=True))
        yield DataTable(id="dinos-names-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#dinos-names-table", DataTable)
        # Fixed widths: the table never reflows (or flickers) when new names arrive.
        for label, width in (("name", 24), ("log p", 7), ("per char", 8), ("tag", 5)):
            table.add_column(label, width=width)

    @property
    def prefix(self) -> str:
        """The prefix typed (every name starts with it)."""
        return self.query_one("#dinos-prefix", Input).value

    def show_settings(self, temperature: float, top_k: int, new_only: bool, count: int) -> None:
        """Show the sampling settings."""
        self.query_one("#sample-settings", Static).update(settings_line(temperature, top_k, new_only, count))

    def show_names(self, how: str, names: Sequence[SampledName], asked: int) -> None:
        """List names: their log-probability, nats per character and whether they are new."""
        table = self.query_one("#dinos-names-table", DataTable)
        table.clear()
        for item in names:
            per_char = -item.logprob / (len(item.name) + 1)
            tag = Text(item.novelty, style=NOVELTY_STYLE.get(item.novelty, ""))
            table.add_row(item.name, f"{item.logprob:.2f}", f"{per_char:.2f}", tag)
        new = sum(item.novelty == "new" for item in names)
        if how == "beam":
            title = "most probable names (beam search)"
            if len(names) < asked:
                title += f": only {len(names)} found"
        else:
            title = f"{len(names)} samples, {new} new"
        table.border_title = title
