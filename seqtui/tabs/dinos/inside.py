"""Provides InsideView: one name, character by character — each probability, its rank, the alternatives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from seqtui.text import bar
from seqtui.widgets.form import field

if TYPE_CHECKING:
    from seqtui_models.dinos import NameInspection


def inspection_table(view: NameInspection) -> Table:
    """A row per character: its probability (with a bar), its rank and the top four there."""
    table = Table(
        title=f"{view.name}: log p = {view.logprob:.2f}, {view.nll_per_char:.2f} nats/char, {view.novelty}",
        title_justify="left", expand=False, box=None, padding=(0, 1),
    )
    for column, width in {"#": 2, "char": 4, "p": 4, "": 8, "rank": 4}.items():
        table.add_column(column, no_wrap=True, min_width=width)
    table.add_column("top 4 here", no_wrap=True, overflow="ellipsis")
    for position, step in enumerate(view.steps, 1):
        label = "⏎" if step.char == "\n" else step.char
        style = "green" if step.rank == 1 else ("yellow" if step.rank <= 3 else "red")
        alternatives = " ".join(f"{alt.label}{alt.prob * 100:3.0f}%" for alt in step.alternatives)
        if step.rank > len(step.alternatives):
            alternatives += " …"
        table.add_row(str(position), Text(label, style="bold"), f"{step.prob:.2f}",
                      Text(bar(step.prob, 8), style=style), str(step.rank), alternatives)
    return table


class InsideView(Vertical):
    """The Inside view: type a name (or press i on one) to see how likely the model finds each character."""

    DEFAULT_CSS = """
    InsideView {
        height: 1fr;
    }
    InsideView #inside-scroll {
        height: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield field("name", Input(placeholder="type a name and press enter", id="dinos-inspect", compact=True))
        yield VerticalScroll(Static("Select a name and press i, or type one above.", id="inside-view"), id="inside-scroll")

    @property
    def name_typed(self) -> str:
        """The name in the field."""
        return self.query_one("#dinos-inspect", Input).value

    def show(self, view: NameInspection) -> Table:
        """Show one inspection (and put its name in the field); return the table drawn."""
        self.query_one("#dinos-inspect", Input).value = view.name
        table = inspection_table(view)
        self.query_one("#inside-view", Static).update(table)
        return table
