"""Provides EvaluateView: both models' accuracy, confusion matrices and the sentences they get wrong."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static

from seqtui.tabs.emojify.render import render_confusion
from seqtui.text import cells_safe
from seqtui.widgets.form import field

HINT = "ctrl+g evaluates both models (V2 once TensorFlow is loaded)"


def summary(results: dict[str, Any], wrong: dict[int, dict[str, Any]]) -> str:
    """One line: the file, how many sentences, bad rows skipped, how many wrong in one model or both."""
    scored = [results[kind] for kind in ("v1", "v2") if results.get(kind) is not None]
    first = scored[0]
    parts = [f"{Path(results['source']).name}: {first.n:,} sentences"]
    if first.skipped:
        lines = ", ".join(str(b.line) for b in first.skipped[:5])
        parts.append(f"{len(first.skipped)} bad rows skipped (line {lines})")
    if len(scored) == 2:
        both = sum(1 for r in wrong.values() if "v1" in r and "v2" in r)
        parts.append(f"{len(wrong):,} sentences wrong in at least one model, {both:,} in both")
    else:
        parts.append(f"{len(wrong):,} sentences wrong")
    return " · ".join(parts)


class EvaluateView(Vertical):
    """The Evaluate view; :attr:`results` holds what the tab's evaluation returned (empty: none)."""

    DEFAULT_CSS = """
    EvaluateView {
        height: 1fr;
    }
    EvaluateView #emojify-eval-status {
        height: auto;
        color: $text-muted;
        margin-bottom: 1;
    }
    EvaluateView #emojify-confusions {
        height: auto;
        max-height: 12;
    }
    EvaluateView .emo-confusion {
        width: 1fr;
        height: auto;
    }
    EvaluateView #emojify-mistakes {
        height: 1fr;
        border: round $primary 40%;
        border-title-color: $text;
    }
    EvaluateView #emojify-mistakes:focus {
        border: round $accent;
    }
    """

    results: reactive[dict[str, Any]] = reactive(dict, init=False, always_update=True)
    status: reactive[str] = reactive("", init=False)
    """A line shown instead of the summary ("Evaluating…")."""

    def compose(self) -> ComposeResult:
        yield field("csv", Input(placeholder="the bundled test sentences", id="emojify-eval-csv", compact=True),
                    classes="field emo-wide")
        yield Static(HINT, id="emojify-eval-status")
        with Horizontal(id="emojify-confusions"):
            yield Static("", id="emojify-confusion-v1", classes="emo-confusion")
            yield Static("", id="emojify-confusion-v2", classes="emo-confusion")
        yield DataTable(id="emojify-mistakes", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        mistakes = self.query_one("#emojify-mistakes", DataTable)
        for label, width in (("line", 5), ("true", 4), ("V1", 4), ("V2", 4), ("sentence", 60)):
            mistakes.add_column(label, width=width)

    @property
    def source(self) -> str | None:
        """The CSV typed (None: the bundled test sentences)."""
        return self.query_one("#emojify-eval-csv", Input).value.strip() or None

    def watch_status(self, status: str) -> None:
        if status:
            self.query_one("#emojify-eval-status", Static).update(status)

    def _draw_confusions(self, results: dict[str, Any]) -> None:
        v1, v2 = results.get("v1"), results.get("v2")
        width = max(20, self.size.width // 2 - 1) if self.size.width else 60
        self.query_one("#emojify-confusion-v1", Static).update(render_confusion(v1, "V1", width) if v1 else "")
        v2_box = self.query_one("#emojify-confusion-v2", Static)
        if v2 is not None:
            v2_box.update(render_confusion(v2, "V2", width))
        else:
            v2_box.update(Text(results.get("v2_error", "V2 is still loading: evaluate again in a moment.") if v1 else "",
                               style="dim"))

    def on_resize(self) -> None:
        self._draw_confusions(self.results)

    def watch_results(self, results: dict[str, Any]) -> None:
        v1, v2 = results.get("v1"), results.get("v2")
        self._draw_confusions(results)
        table = self.query_one("#emojify-mistakes", DataTable)
        table.clear()
        scored = [(kind, result) for kind, result in (("v1", v1), ("v2", v2)) if result is not None]
        if not scored:  # nothing (or a failed evaluation): no earlier figures stay behind
            table.border_title = ""
            self.query_one("#emojify-eval-status", Static).update(self.status or HINT)
            return
        first = scored[0][1]
        wrong: dict[int, dict[str, Any]] = {}
        for kind, result in scored:
            for m in result.mistakes:
                wrong.setdefault(m.line, {"sentence": m.sentence, "label": m.label})[kind] = m.predicted

        def shown(row: dict[str, Any], kind: str, result: Any) -> Text:
            if result is None:
                return Text("–", style="dim")
            return Text(cells_safe(result.labels.emoji[row[kind]]), style="red") if kind in row else Text("✓", style="green")

        for line in sorted(wrong):
            row = wrong[line]
            table.add_row(str(line), cells_safe(first.labels.emoji[row["label"]]), shown(row, "v1", v1), shown(row, "v2", v2),
                          row["sentence"])
        table.border_title = "mistakes (✓ = that model got it right)"
        self.status = ""
        self.query_one("#emojify-eval-status", Static).update(summary(results, wrong))
