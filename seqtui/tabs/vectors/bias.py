"""Provides the bias lab: words projected on a bias axis, and the course's neutralize and equalize."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Input, Select, Static

from seqtui.tabs.vectors.render import choices, labelled, signed_bar, word_input
from seqtui.tabs.vectors.view import InvalidField, VectorsView, blame

if TYPE_CHECKING:
    from seqtui_models.vectors import BiasAxis, EqualizeResult, NeutralizeResult, Projection, WordVectors


@dataclass(frozen=True, eq=False)
class Projected:
    """Words projected on an axis: cos(e_w, g) for each.

    Attributes:
        axis: The bias axis g.
        projections: One per word, in the order given.
        preset: The preset's name when no words were typed, else empty.
        left_out: Typed words not in the vocabulary, left out of the chart.
    """

    axis: BiasAxis
    projections: list[Projection]
    preset: str = ""
    left_out: tuple[str, ...] = ()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        """The chart, its bars as wide as the space it is drawn in allows."""
        axis, projections = self.axis, self.projections
        scale = max([abs(p.cosine) for p in projections] + [1e-9])  # the longest bar fills its half
        extra = f", first component {axis.explained[0]:.0%} of the variance" if axis.explained else ""
        caption = f"← {axis.pairs[0][1]} · {axis.pairs[0][0]} →   bars to ±{scale:.3f}"
        chart = Table(
            title=f"cos(e_w, g), g = {axis.label}{extra}", title_justify="left", box=None, padding=(0, 1),
            caption=caption + (f"   ({self.preset} preset)" if self.preset else ""), caption_justify="left",
        )
        bar_width = max(4, min(20, (options.max_width - 28) // 2))  # 28: the word and cos columns, paddings
        chart.add_column("word", justify="right", no_wrap=True, max_width=14)
        chart.add_column("cos", justify="right", no_wrap=True)
        chart.add_column("", no_wrap=True)
        for p in projections:
            chart.add_row(p.word[:14], f"{p.cosine:+.3f}", signed_bar(p.cosine, bar_width, scale=scale))
        yield chart


def axis_of(wv: WordVectors, text: str, method: str) -> BiasAxis:
    """The bias axis typed: a pair, pairs separated by commas, an even run of words, or bolukbasi."""
    from seqtui_models.vectors import bias_axis, parse_pairs, resolve_pairs

    with blame("bias-axis"):
        return bias_axis(wv, resolve_pairs(wv, parse_pairs(text)), method=method)  # type: ignore[arg-type]


def project_words(wv: WordVectors, axis_text: str, method: str, words_text: str, preset: str) -> Projected:
    """The typed words (or the preset's) projected on the typed axis."""
    from seqtui_models.vectors import PRESETS, known_words, project, split_words

    axis = axis_of(wv, axis_text, method)
    typed = split_words(words_text)
    left_out: list[str] = []
    with blame("bias-words"):
        words = known_words(wv, typed, left_out) or list(PRESETS[preset])
    return Projected(axis, project(wv, words, axis), "" if typed else preset, tuple(left_out))


def neutralize_word(wv: WordVectors, axis_text: str, method: str, word: str) -> NeutralizeResult:
    """The course's neutralize of the typed word, step by step."""
    from seqtui_models.vectors import neutralize, resolve_word

    axis = axis_of(wv, axis_text, method)
    with blame("bias-neutralize"):
        return neutralize(wv, resolve_word(wv, word), axis)


def equalize_pair(wv: WordVectors, axis_text: str, method: str, pair_text: str) -> EqualizeResult:
    """The course's equalize of the typed pair, step by step."""
    from seqtui_models.vectors import equalize, resolve_words, split_words

    axis = axis_of(wv, axis_text, method)
    words = split_words(pair_text)
    if len(words) != 2:
        raise InvalidField("Equalize needs two words, e.g. man woman.", "bias-equalize")
    with blame("bias-equalize"):
        w1, w2 = resolve_words(wv, words)
        return equalize(wv, (w1, w2), axis)


def steps_text(neutral: NeutralizeResult | None, equal: EqualizeResult | None) -> Text:
    """Neutralize's and equalize's figures, before and after."""
    import numpy as np

    text = Text()
    if neutral is not None:
        text.append(f"neutralize {neutral.word}\n", style="bold")
        text.append(f" {'cos(e, g) before':<18}{neutral.cos_before:+.4f}\n")
        text.append(f" {'‖e_B‖':<18}{float(np.linalg.norm(neutral.bias_component)):7.4f}\n")
        text.append(f" {'‖e − e_B‖':<18}{float(np.linalg.norm(neutral.debiased)):7.4f}\n")
        text.append(f" {'cos(e, g) after':<18}{neutral.cos_after:+.4f}\n")
    if equal is not None:
        w1, w2 = equal.pair
        text.append(f"\nequalize {w1} / {w2}\n", style="bold")
        text.append(f" {'cos(e, g)':<10}{w1[:9]:>10}{w2[:9]:>10}\n", style="dim")
        text.append(f" {'before':<10}{equal.cos_before[0]:>+10.4f}{equal.cos_before[1]:>+10.4f}\n")
        text.append(f" {'after':<10}{equal.cos_after[0]:>+10.4f}{equal.cos_after[1]:>+10.4f}\n", style="bold")
        text.append(f" ‖μ⊥‖ = {float(np.linalg.norm(equal.mu_orth)):.4f}\n", style="dim")
    return text


class BiasView(VectorsView):
    """Bolukbasi et al.'s bias lab as the course teaches it."""

    DEFAULT_CSS = """
    BiasView #bias-body {
        height: 1fr;
    }
    BiasView #bias-chart-scroll {
        width: 1fr;
        height: 1fr;
        border: round $primary 40%;
        &:focus {
            border: round $accent;
        }
    }
    BiasView #bias-debias {
        width: 34;
        height: 1fr;
        padding-left: 1;
    }
    BiasView #bias-debias .vectors-label {
        width: 8;
        margin-right: 0;
    }
    BiasView #bias-debias Input {
        width: 1fr;
    }
    BiasView #bias-steps-scroll {
        height: 1fr;
    }
    """

    TITLE = "Bias lab"
    HINT = "axis: a pair, pairs separated by commas, or bolukbasi · enter"
    METHOD_SELECT = "#bias-method"
    METHODS = ("mean", "pca")

    projected: reactive[Projected | None] = reactive(None, init=False, always_update=True)
    """The words on the axis, as the chart shows them."""
    neutralized: reactive[NeutralizeResult | None] = reactive(None, init=False, always_update=True)
    equalized: reactive[EqualizeResult | None] = reactive(None, init=False, always_update=True)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="vectors-form"):
            yield labelled("axis", word_input("woman man", "bias-axis", "woman man"), "wide")
            yield choices(self.METHODS, "bias-method")
        with Horizontal(classes="vectors-form"):
            yield labelled("words", word_input("", "bias-words", "empty: the preset's words"), "wide")
            yield choices(("occupations", "names"), "bias-preset")
        yield Static(self.HINT, id="bias-hint", classes="vectors-hint")
        with Horizontal(id="bias-body"):
            with VerticalScroll(id="bias-chart-scroll"):
                yield Static("", id="bias-chart")
            with Vertical(id="bias-debias"):
                yield labelled("neutral", word_input("receptionist", "bias-neutralize", "a word to neutralize"))
                yield labelled("equal", word_input("man woman", "bias-equalize", "a pair to equalize"))
                with VerticalScroll(id="bias-steps-scroll"):
                    yield Static("", id="bias-steps")

    # -- queries -----------------------------------------------------------------------------

    def _axis(self) -> tuple[str, str]:
        return self.query_one("#bias-axis", Input).value, str(self.query_one("#bias-method", Select).value)

    def run_query(self) -> None:
        """Project, neutralize and equalize on the axis typed."""
        self.project()
        self.neutralize()
        self.equalize()

    def project(self) -> None:
        """Project the typed words (or the preset's) on the axis."""
        axis, method = self._axis()
        words = self.query_one("#bias-words", Input).value
        preset = str(self.query_one("#bias-preset", Select).value)
        self.ask("project", lambda wv: project_words(wv, axis, method, words, preset), self._projected)

    def neutralize(self) -> None:
        """Neutralize the typed word on the axis."""
        axis, method = self._axis()
        word = self.query_one("#bias-neutralize", Input).value
        self.ask("neutralize", lambda wv: neutralize_word(wv, axis, method, word), self._neutralized)

    def equalize(self) -> None:
        """Equalize the typed pair on the axis."""
        axis, method = self._axis()
        pair = self.query_one("#bias-equalize", Input).value
        self.ask("equalize", lambda wv: equalize_pair(wv, axis, method, pair), self._equalized)

    # -- answers -----------------------------------------------------------------------------

    def _projected(self, result: Any) -> None:
        self.projected = result

    def _neutralized(self, result: Any) -> None:
        self.neutralized = result

    def _equalized(self, result: Any) -> None:
        self.equalized = result

    def watch_projected(self, projected: Projected | None) -> None:
        if projected is not None:
            self.query_one("#bias-chart", Static).update(projected)
            if projected.left_out:  # the chart is drawn without them rather than not at all
                self.notify(f"Not in the vocabulary, left out: {', '.join(projected.left_out)}", severity="warning")

    def watch_neutralized(self) -> None:
        self.query_one("#bias-steps", Static).update(steps_text(self.neutralized, self.equalized))

    def watch_equalized(self) -> None:
        self.watch_neutralized()

    # -- fields ------------------------------------------------------------------------------

    def submitted(self, field_id: str) -> None:
        """Enter in a field: the axis redraws everything; the others their own part."""
        if field_id == "bias-words":
            self.project()
        elif field_id == "bias-neutralize":
            self.neutralize()
        elif field_id == "bias-equalize":
            self.equalize()
        else:
            self.run_query()

    @on(Select.Changed, "#bias-method")
    def _method_changed(self) -> None:
        if self.shown:
            self.run_query()

    @on(Select.Changed, "#bias-preset")
    def _preset_changed(self) -> None:
        if self.shown:
            self.project()
