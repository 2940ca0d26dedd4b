"""Provides the dates tab's Evaluate view: exact match per format family, and the mistakes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static

from seqtui.tabs.dates.render import render_evaluation, score_style
from seqtui.widgets.form import field

if TYPE_CHECKING:
    from seqtui_models.dates import EvalResult

HINT = ("ctrl+g evaluates the model on 2,000 held-out dates (half course formats, half real-world) "
        "or on the file above")


class EvaluateView(Vertical):
    """A file field, the exact match per format family, and the mistakes, least confident first.

    The tab runs the evaluation; it sets :attr:`status` while it runs (or when it failed) and
    :attr:`evaluation` with the result.
    """

    DEFAULT_CSS = """
    EvaluateView {
        height: 1fr;
        padding: 1 1 0 1;
    }
    EvaluateView .dates-field {
        height: 1;
        margin-bottom: 1;
        & Input {
            width: 1fr;
        }
    }
    EvaluateView #dates-eval-status {
        height: auto;
        color: $text-muted;
        margin-bottom: 1;
    }
    EvaluateView #dates-eval-tables {
        height: 1fr;
    }
    EvaluateView DataTable {
        height: 1fr;
        border: round $primary 40%;
        border-title-color: $text;
        &:focus {
            border: round $accent;
        }
    }
    EvaluateView #dates-families {
        width: 44;
    }
    EvaluateView #dates-mistakes {
        width: 1fr;
    }
    """

    evaluation: reactive[EvalResult | None] = reactive(None, init=False, always_update=True)
    """The latest evaluation."""
    status: reactive[str] = reactive("", init=False)
    """What is going on ("Evaluating…", "Evaluation failed."); "" shows the evaluation's summary."""

    def compose(self) -> ComposeResult:
        yield field("file", Input(placeholder="TSV of input<TAB>iso (empty: generated held-out dates)",
                                  id="dates-eval-file", compact=True), classes="dates-field")
        yield Static(HINT, id="dates-eval-status")
        with Horizontal(id="dates-eval-tables"):
            yield DataTable(id="dates-families", cursor_type="row", zebra_stripes=True)
            yield DataTable(id="dates-mistakes", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        families = self.query_one("#dates-families", DataTable)
        for label, width in (("format", 12), ("kind", 6), ("exact", 7), ("right", 7), ("n", 5)):
            families.add_column(label, width=width)
        mistakes = self.query_one("#dates-mistakes", DataTable)
        for label, width in (("input", 20), ("expected", 10), ("told", 8), ("answer", 10), ("p", 4)):
            mistakes.add_column(label, width=width)

    @property
    def source(self) -> str | None:
        """The file typed in the field, or None for the generated held-out dates."""
        return self.query_one("#dates-eval-file", Input).value.strip() or None

    def watch_status(self, status: str) -> None:
        line = self.query_one("#dates-eval-status", Static)
        if status:
            line.update(status)
        elif self.evaluation is not None:
            line.update(render_evaluation(self.evaluation))
        else:
            line.update(HINT)

    def watch_evaluation(self, result: EvalResult | None) -> None:
        families = self.query_one("#dates-families", DataTable)
        mistakes = self.query_one("#dates-mistakes", DataTable)
        families.clear()
        mistakes.clear()
        if result is None:  # a failed evaluation leaves no earlier figures behind
            families.border_title = mistakes.border_title = ""
            return
        for name, score in result.by_format.items():
            families.add_row(name, score.kind, Text(f"{score.exact_match:.1%}", style=score_style(score.exact_match)),
                             f"{score.right / score.n:.1%}", f"{score.n:,}")
        families.border_title = "per format family: the network's exact match, right after the checks"
        for m in result.mistakes:
            mistakes.add_row(repr(m.input), m.expected, Text(m.outcome, style="bold red" if m.outcome == "wrong" else "yellow"),
                             Text(m.got, style="red" if not m.valid_date else ""), f"{m.confidence:.0%}")
        missed = result.n - result.right
        mistakes.border_title = f"not right: {missed:,} (wrong first)" if missed else "all right"
        if not self.status:
            self.query_one("#dates-eval-status", Static).update(render_evaluation(result))
