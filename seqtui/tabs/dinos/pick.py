"""Provides PickView: build a name yourself, choosing each next character from the model's ten likeliest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from seqtui.text import bar

if TYPE_CHECKING:
    from seqtui_models.dinos import Candidate


class PickView(Vertical):
    """The Pick view: the name so far with log P(name so far), and the next-character candidates."""

    DEFAULT_CSS = """
    PickView {
        height: 1fr;
    }
    PickView #pick-prefix, PickView #pick-hint {
        padding: 0 1;
        height: auto;
    }
    PickView #pick-hint {
        color: $text-muted;
    }
    PickView #pick-options {
        height: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="pick-prefix")
        yield OptionList(id="pick-options")
        yield Static("↑/↓ and enter pick the next character · backspace undoes · ⏎ ends the name", id="pick-hint")

    def show(self, picked: str, logprob: float, candidates: tuple[Candidate, ...]) -> None:
        """Show the name so far, its log-probability as a start of a name, and what may come next."""
        self.query_one("#pick-prefix", Static).update(Text.assemble(
            ("so far: ", "dim"), (picked or "(start)", "bold"), ("  ", ""),
            (f"log P(starts with {picked!r}) {logprob:.2f}" if picked else "", "dim"),
        ))
        options = self.query_one("#pick-options", OptionList)
        options.clear_options()
        for cand in candidates:
            label = "⏎ end" if cand.char == "\n" else cand.char
            options.add_option(Option(f"{label:<6} {cand.prob:5.2f} {bar(cand.prob, 20)}", id=cand.char))
        options.highlighted = 0
