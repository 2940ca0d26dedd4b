"""Provides the vectors tab: word vectors, analogies, a bias lab and the analogy benchmark."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, ProgressBar, Select, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState, get_current_worker

from seqtui_models.core.errors import InvalidInput, SeqtuiError
from seqtui.messages import TaskFailed
from seqtui.widgets.form import field

if TYPE_CHECKING:
    from seqtui_models.vectors import AnalogyReport, BenchmarkProgress, LoadProgress, WordVectors

HELP = r"""
# Vectors — pre-trained word vectors

Each word is a point in a 50-dimensional space (GloVe 6B 50d: 400,000 lower-case words, trained
on Wikipedia and Gigaword). Words used in similar contexts end up pointing in similar directions.

## Similarity
    cos(u, v) = u·v / (‖u‖ ‖v‖)          1: same direction, 0: unrelated, −1: opposite
The course: cos(father, mother) ≈ 0.8909, cos(ball, crocodile) ≈ 0.2744.

## Analogy  a : b :: c : ?
* **add** (3CosAdd, gensim's `most_similar`): argmax_w cos(e_w, u_b − u_a + u_c)
* **mul** (3CosMul, Levy & Goldberg 2014): argmax_w cos′(w,b)·cos′(w,c) / (cos′(w,a) + 10⁻⁶),
  with cos′ = (1 + cos)/2
* **course** (`complete_analogy`): argmax_w cos(e_b − e_a, e_w − e_c)

The input words are excluded by default, as in gensim and the course. **Unrestricted** (ctrl+r)
shows the answer if they were not: man : king :: woman : ? is *queen* only because *king* is
excluded (Nissim, van Noord & van der Goot 2020, "Fair is better than sensational").

## Neighbours
The words closest to a word or an expression such as `king - man + woman` or `0.5*paris + rome`
(gensim's weighted mean of unit vectors). Enter on a word of any table shows its neighbours.

## Odd one out
gensim's `doesnt_match`: the word whose unit vector is furthest from the mean of all of them.

## Bias lab (Bolukbasi et al. 2016, as the course teaches it)
The axis g = e_woman − e_man (or any pair, or several pairs separated by commas, averaged or
by PCA; `bolukbasi` gives their ten definitional pairs). Each word is drawn at cos(e_w, g).
* **neutralize**: e_B = (e·g / ‖g‖²) g, e_debiased = e − e_B, so cos(e_debiased, g) = 0
  (receptionist: 0.3308 → 0)
* **equalize** a pair: μ = (e_w1 + e_w2)/2, μ⊥ = μ − μ_B, each word keeps μ⊥ plus a bias part
  √|1 − ‖μ⊥‖²| (e_wB − μ_B) / ‖e_w − μ⊥ − μ_B‖ (man/woman: −0.117/+0.357 → ∓0.700)

## Benchmark
The Google analogy test set (19,544 questions in 14 sections) scored with gensim's rules:
only the first *restrict* words are searched and known (0: all 400,000), case-insensitive,
input words excluded. The accuracy equals gensim's `evaluate_word_analogies`.

## Keys (they work while you type)
| key | does |
| --- | --- |
| enter | run the query of the field you are in |
| ctrl+g | run the current view's query (the benchmark too) |
| ctrl+n | next view |
| ctrl+r | analogies and neighbours: input words excluded or not |
| ctrl+t | next method (analogy: add, mul, course; bias axis: mean, pca; benchmark: add, mul) |
| escape | cancel the benchmark or a file being loaded; else leave the field (then 1–6 and q work) |
"""

VIEWS = ("view-similarity", "view-analogy", "view-neighbours", "view-odd", "view-bias", "view-bench", "view-file")
#: The field that gets the focus when a view is shown.
FIRST_INPUT = {
    "view-similarity": "#sim-a", "view-analogy": "#analogy-a", "view-neighbours": "#nb-query",
    "view-odd": "#odd-words", "view-bias": "#bias-axis", "view-bench": "#bench-restrict", "view-file": "#file-path",
}
#: Where a view's results are: escape moves the focus there (so the number keys work again).
RESULTS = {
    "view-similarity": "#sim-table", "view-analogy": "#analogy-table", "view-neighbours": "#nb-table",
    "view-odd": "#odd-table", "view-bias": "#bias-chart-scroll", "view-bench": "#bench-table", "view-file": "#file-scroll",
}
#: The queries each view runs when first shown (the benchmark waits for a key).
VIEW_QUERIES = {
    "view-similarity": ("similarity",), "view-analogy": ("analogy",), "view-neighbours": ("neighbours",),
    "view-odd": ("odd",), "view-bias": ("project", "neutralize", "equalize"), "view-bench": (), "view-file": (),
}
VIEW_OF = {kind: view for view, kinds in VIEW_QUERIES.items() for kind in kinds} | {"bench": "view-bench", "load": "view-file"}
HINTS = {
    "view-similarity": "cos(u, v) = u·v / (‖u‖ ‖v‖): 1 same direction, 0 unrelated · enter compares",
    "view-analogy": "a is to b as c is to ? · enter solves · ctrl+t: add, mul or course",
    "view-neighbours": "a word or an expression (king - man + woman, 0.5*paris + rome) · enter",
    "view-odd": "words separated by spaces: which is furthest from their mean? · enter",
    "view-bias": "axis: a pair, pairs separated by commas, or bolukbasi · enter",
    "view-bench": "restrict 0: all 400,000 words · enter or ctrl+g runs · escape cancels",
    "view-file": "GloVe or word2vec, text or binary, .gz too · enter loads · empty: GloVe 6B 50d",
}
HINT_OF = {
    "view-similarity": "#sim-hint", "view-analogy": "#analogy-hint", "view-neighbours": "#nb-hint",
    "view-odd": "#odd-hint", "view-bias": "#bias-hint", "view-bench": "#bench-hint", "view-file": "#file-hint",
}
METHODS = {"view-analogy": ("add", "mul", "course"), "view-bias": ("mean", "pca"), "view-bench": ("add", "mul")}
METHOD_SELECT = {"view-analogy": "#analogy-method", "view-bias": "#bias-method", "view-bench": "#bench-method"}
BAR = 12
POSITIVE, NEGATIVE = "yellow", "cyan"


class InvalidField(InvalidInput):
    """A value typed in a field is wrong (an unknown word, a malformed expression …).

    Args:
        message: What is wrong and what to do (the backend's "did you mean …").
        field: The id of the Input it came from, to mark it.
        title: The notification's title.
    """

    def __init__(self, message: str, field: str, title: str | None = None) -> None:
        super().__init__(message, title)
        self.field = field


def resolve(wv: WordVectors, word: str, field: str) -> str:
    """The vocabulary's spelling of ``word`` (lower-cased when only that is known), else raise."""
    if word in wv:
        return word
    if word.lower() in wv:
        return word.lower()
    error = wv.unknown(word)
    raise InvalidField(error.message, field, error.title)


def split_words(text: str) -> list[str]:
    """Words typed in a field, separated by spaces or commas."""
    return [w for w in re.split(r"[\s,;]+", text.strip()) if w]


def parse_pairs(text: str, field: str) -> tuple[tuple[str, str], ...]:
    """``"woman man"``, ``"woman man, girl boy"`` or ``"bolukbasi"`` → the axis's word pairs."""
    from seqtui_models.vectors import BOLUKBASI_PAIRS

    if text.strip().lower() == "bolukbasi":
        return BOLUKBASI_PAIRS
    groups = [g.split() for g in re.split(r"[,;]", text) if g.strip()]
    if len(groups) == 1 and len(groups[0]) > 2 and len(groups[0]) % 2 == 0:
        flat = groups[0]
        groups = [flat[i:i + 2] for i in range(0, len(flat), 2)]
    if not groups or any(len(g) != 2 for g in groups):
        raise InvalidField(
            f"An axis is a pair of words such as 'woman man' (got {text!r}); separate several pairs with commas.", field
        )
    return tuple((g[0], g[1]) for g in groups)


def whole_number(text: str, name: str, field: str, low: int, high: int) -> int:
    """A whole number typed in a field, within [low, high]."""
    try:
        value = int(text.strip())
    except ValueError:
        raise InvalidField(f"{name} must be a whole number (got {text!r}).", field) from None
    if not low <= value <= high:
        raise InvalidField(f"{name} must be between {low:,} and {high:,} (got {value:,}).", field)
    return value


def signed_bar(value: float, width: int = BAR) -> Text:
    """A bar for a value in [−1, 1]: left of the centre line when negative, right when positive."""
    cells = min(width, round(abs(value) * width))
    left = " " * (width - cells) + "█" * cells if value < 0 else " " * width
    right = "█" * cells + " " * (width - cells) if value >= 0 else " " * width
    return Text.assemble((left, NEGATIVE), ("│", "dim"), (right, POSITIVE))


def bar(value: float, width: int = BAR) -> Text:
    """A bar for a value in [0, 1], in eighths of a cell."""
    eighths = int(round(max(0.0, min(1.0, value)) * width * 8))
    full, rest = divmod(eighths, 8)
    return Text("█" * full + ("▏▎▍▌▋▊▉"[rest - 1] if rest else ""), style=POSITIVE)


def _input(value: str, id: str, placeholder: str = "", **kwargs: Any) -> Input:
    return Input(value, placeholder=placeholder, id=id, compact=True, **kwargs)


def _select(options: tuple[str, ...], id: str) -> Select[str]:
    return Select([(o, o) for o in options], value=options[0], allow_blank=False, id=id, compact=True)


def _table(id: str, columns: tuple[tuple[str, int], ...]) -> DataTable[Any]:
    table: DataTable[Any] = DataTable(id=id, cursor_type="row", zebra_stripes=True, classes="vectors-table")
    for label, width in columns:
        table.add_column(label, width=width)
    return table


class VectorsTab(Widget):
    """The vectors tab: similarity, analogies, neighbours, odd one out, the bias lab, the benchmark."""

    HELP = HELP

    BINDINGS = [
        Binding("ctrl+g", "run", "Run"),
        Binding("ctrl+n", "next_view", "Next view"),
        Binding("ctrl+r", "toggle_restricted", "Restricted"),
        Binding("ctrl+t", "cycle_method", "Method"),
        Binding("escape", "cancel", "Cancel"),
        Binding("escape", "leave_field", "Leave field", show=False),
    ]

    COMMANDS_PALETTE = (
        ("Vectors: run the analogy benchmark", "Google analogies with the restrict and method shown", "benchmark"),
        ("Vectors: restricted or unrestricted analogies", "Let the input words be answers, or not", "toggle_restricted"),
        ("Vectors: load a vector file", "GloVe text, word2vec text or binary", "show_view('view-file')"),
        ("Vectors: bias lab", "Project words on woman − man, neutralize, equalize", "show_view('view-bias')"),
    )

    class BenchmarkProgressed(Message):
        """The benchmark scored another block of questions (a flood is coalesced)."""

        def __init__(self, progress: BenchmarkProgress) -> None:
            super().__init__()
            self.progress = progress

        def can_replace(self, message: Message) -> bool:
            """A newer progress event supersedes this one."""
            return isinstance(message, VectorsTab.BenchmarkProgressed)

    class LoadProgressed(Message):
        """A vector file is being read (a flood is coalesced)."""

        def __init__(self, progress: LoadProgress) -> None:
            super().__init__()
            self.progress = progress

        def can_replace(self, message: Message) -> bool:
            """A newer progress event supersedes this one."""
            return isinstance(message, VectorsTab.LoadProgressed)

    class BenchmarkFinished(Message):
        """The benchmark finished; its report is shown in the table."""

        def __init__(self, report: AnalogyReport) -> None:
            super().__init__()
            self.report = report

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="task-tab")
        self.wv: WordVectors | None = None
        self.restricted = True
        self.report: AnalogyReport | None = None
        self.results: dict[str, Any] = {}
        self._shown: set[str] = set()
        self._waiting: dict[str, Callable[[WordVectors], Any]] = {}
        self._bench: Worker[Any] | None = None
        self._load: Worker[Any] | None = None
        self._ready = asyncio.Event()
        self._loaded = asyncio.Event()  # set once the default vectors are loaded, or failed to

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("Loading GloVe 6B 50d…", id="vectors-status")
        with TabbedContent(id="vectors-views"):
            with TabPane("Similarity", id="view-similarity"):
                with Horizontal(classes="vectors-form"):
                    yield Label("cos(", classes="op")
                    yield _input("father", "sim-a", "word")
                    yield Label(" , ", classes="op")
                    yield _input("mother", "sim-b", "word")
                    yield Label(")", classes="op")
                yield Static(HINTS["view-similarity"], id="sim-hint", classes="vectors-hint")
                yield Static("", id="sim-result")
                yield _table("sim-table", (("word 1", 14), ("word 2", 14), ("cos", 7), ("", 2 * BAR + 1)))

    def on_mount(self) -> None:
        """Show the loading indicator, load the default vectors and add the other views after the first frame."""
        self.query_one("#vectors-views", TabbedContent).loading = True
        self.call_after_refresh(self._add_views)
        self._load_default()

    async def _add_views(self) -> None:
        views = self.query_one("#vectors-views", TabbedContent)
        if not views.is_attached or self.app._exit_renderables:
            return
        analogy = TabPane(
            "Analogy",
            Horizontal(
                _input("man", "analogy-a", "a"), Label(" : ", classes="op"), _input("woman", "analogy-b", "b"),
                Label(" :: ", classes="op"), _input("boy", "analogy-c", "c"), Label(" : ?", classes="op"),
                field("top", _input("10", "analogy-top", type="integer"), "field short"),
                _select(METHODS["view-analogy"], "analogy-method"),
                classes="vectors-form",
            ),
            Static("", id="analogy-settings", classes="vectors-settings"),
            Static(HINTS["view-analogy"], id="analogy-hint", classes="vectors-hint"),
            _table("analogy-table", (("#", 3), ("word", 16), ("score", 7), ("", BAR), ("", 24))),
            Static("", id="analogy-note"),
            id="view-analogy",
        )
        neighbours = TabPane(
            "Neighbours",
            Horizontal(
                field("query", _input("king - man + woman", "nb-query", "word or expression"), "field wide"),
                field("top", _input("10", "nb-top", type="integer"), "field short"),
                classes="vectors-form",
            ),
            Static("", id="nb-settings", classes="vectors-settings"),
            Static(HINTS["view-neighbours"], id="nb-hint", classes="vectors-hint"),
            _table("nb-table", (("#", 3), ("word", 16), ("cos", 7), ("", BAR))),
            id="view-neighbours",
        )
        odd = TabPane(
            "Odd one out",
            Horizontal(
                field("words", _input("breakfast cereal dinner lunch", "odd-words", "three words or more"), "field wide"),
                classes="vectors-form",
            ),
            Static(HINTS["view-odd"], id="odd-hint", classes="vectors-hint"),
            Static("", id="odd-result"),
            _table("odd-table", (("word", 16), ("cos to mean", 11), ("", BAR), ("", 14))),
            id="view-odd",
        )
        bias = TabPane(
            "Bias lab",
            Horizontal(
                field("axis", _input("woman man", "bias-axis", "woman man"), "field wide"),
                _select(METHODS["view-bias"], "bias-method"),
                classes="vectors-form",
            ),
            Horizontal(
                field("words", _input("", "bias-words", "empty: the preset's words"), "field wide"),
                Select([("occupations", "occupations"), ("names", "names")], value="occupations",
                       allow_blank=False, id="bias-preset", compact=True),
                classes="vectors-form",
            ),
            Static(HINTS["view-bias"], id="bias-hint", classes="vectors-hint"),
            Horizontal(
                VerticalScroll(Static("", id="bias-chart"), id="bias-chart-scroll"),
                Vertical(
                    field("neutral", _input("receptionist", "bias-neutralize", "a word to neutralize")),
                    field("equal", _input("man woman", "bias-equalize", "a pair to equalize")),
                    VerticalScroll(Static("", id="bias-steps"), id="bias-steps-scroll"),
                    id="bias-debias",
                ),
                id="bias-body",
            ),
            id="view-bias",
        )
        bench = TabPane(
            "Benchmark",
            Horizontal(
                field("restrict", _input("30000", "bench-restrict", type="integer"), "field"),
                _select(METHODS["view-bench"], "bench-method"),
                classes="vectors-form",
            ),
            ProgressBar(id="bench-progress", show_eta=False),
            Static("", id="bench-status", classes="vectors-status-line"),
            Static(HINTS["view-bench"], id="bench-hint", classes="vectors-hint"),
            _table("bench-table", (("section", 27), ("correct", 7), ("total", 6), ("accuracy", 8), ("", BAR))),
            id="view-bench",
        )
        files = TabPane(
            "Vectors",
            Horizontal(
                field("file", _input("", "file-path", "path to a vector file"), "field wide"),
                field("bad lines", _select(("fail", "skip"), "file-malformed"), "field"),
                classes="vectors-form",
            ),
            ProgressBar(id="file-progress", show_eta=False),
            Static("", id="file-status", classes="vectors-status-line"),
            Static(HINTS["view-file"], id="file-hint", classes="vectors-hint"),
            VerticalScroll(Static("", id="file-info"), id="file-scroll"),
            id="view-file",
        )
        for pane in (analogy, neighbours, odd, bias, bench, files):
            await views.add_pane(pane)
        for progress in self.query(ProgressBar):
            progress.update(total=100, progress=0)
        self._show_settings()
        self._describe_vectors()
        self._ready.set()

    async def wait_ready(self) -> None:
        """Wait until every view is mounted and the default vectors are loaded."""
        await self._ready.wait()
        await self._loaded.wait()

    def focus_default(self) -> None:
        """Start in the first field of the current view, so typing works at once."""
        self._focus_view(self._active_view())

    def _active_view(self) -> str:
        return self.query_one("#vectors-views", TabbedContent).active or VIEWS[0]

    def _focus_view(self, view: str) -> None:
        for widget in self.query(FIRST_INPUT.get(view, "#sim-a")):
            widget.focus()

    def _show_settings(self) -> None:
        state = (
            Text.assemble(("input words excluded", "bold"), (" (as in gensim and the course)", "dim"))
            if self.restricted
            else Text.assemble(("unrestricted", "bold reverse"), (" input words may be answers (Nissim et al. 2020)", "dim"))
        )
        for selector in ("#analogy-settings", "#nb-settings"):
            for widget in self.query(selector).results(Static):
                widget.update(Text.assemble(state, ("  ctrl+r toggles", "dim")))

    # -- the vectors -----------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="vectors-default")
    def _load_default(self) -> WordVectors:
        from seqtui_models.vectors import load_vectors

        wv = load_vectors()
        _ = wv.unit  # normalised once, here, rather than in the first query
        return wv

    def _set_vectors(self, wv: WordVectors) -> None:
        self.wv = wv
        self._shown.clear()
        self.query_one("#vectors-views", TabbedContent).loading = False
        self.query_one("#vectors-status", Static).update(
            Text.assemble((wv.source, "bold"), (f" · {len(wv):,} words × {wv.dim} dimensions", "dim"),
                          ("  F1: the maths", "dim"))
        )
        self._describe_vectors()
        waiting, self._waiting = self._waiting, {}
        for kind, job in waiting.items():
            self._start(kind, job)
        self._run_view(self._active_view(), only_new=True)
        self._loaded.set()
        self.refresh_bindings()

    def _describe_vectors(self) -> None:
        wv = self.wv
        if wv is None or not self.query("#file-info"):
            return
        lines = Text.assemble(
            ("Now using ", "dim"), (wv.source, "bold"), "\n",
            (f"{len(wv):,} word{'s' if len(wv) != 1 else ''} × {wv.dim} dimensions; most frequent first: ", "dim"),
            ", ".join(wv.words[:12]), " …\n",
        )
        if wv.skipped:
            lines.append(f"\n{len(wv.skipped):,} line{'s' if len(wv.skipped) != 1 else ''} skipped:\n", style="bold")
            for skipped in wv.skipped[:30]:
                lines.append(f"  line {skipped.line}: {skipped.reason}\n")
            if len(wv.skipped) > 30:
                lines.append(f"  … and {len(wv.skipped) - 30:,} more\n", style="dim")
        self.query_one("#file-info", Static).update(lines)

    def action_load_file(self) -> None:
        """Load the file typed in the Vectors view (empty: back to the default GloVe)."""
        path = self.query_one("#file-path", Input).value.strip()
        malformed = str(self.query_one("#file-malformed", Select).value)
        if self._busy(self._load):
            self.notify("A file is already loading: escape cancels it.", severity="warning")
            return
        self._clear_error("view-file")
        self.query_one("#file-progress", ProgressBar).update(total=100, progress=0)
        self.query_one("#file-status", Static).update(f"loading {path or 'GloVe 6B 50d'}…")
        self._load = self._load_file(path or None, malformed)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="vectors-load")
    def _load_file(self, path: str | None, malformed: str) -> WordVectors:
        from seqtui_models.vectors import Cancelled, load_vectors

        worker = get_current_worker()

        def progressed(progress: LoadProgress) -> None:
            self.post_message(self.LoadProgressed(progress))

        try:
            wv = load_vectors(
                path, malformed="skip" if malformed == "skip" else "fail",
                on_progress=progressed,
                should_stop=lambda: worker.is_cancelled,
            )
        except Cancelled:
            raise
        except SeqtuiError as exc:  # no such file, a wrong format, a malformed line: mark the path
            raise InvalidField(exc.message, "file-path", exc.title) from exc
        _ = wv.unit
        return wv

    @on(LoadProgressed)
    def _load_progressed(self, message: LoadProgressed) -> None:
        progress = message.progress
        self.query_one("#file-progress", ProgressBar).update(total=100, progress=round(progress.fraction * 100))
        self.query_one("#file-status", Static).update(f"{progress.words:,} words read · escape cancels")

    # -- queries ---------------------------------------------------------------------------

    def _start(self, kind: str, job: Callable[[WordVectors], Any]) -> None:
        """Run a query in a thread with the current vectors (or once they are loaded)."""
        wv = self.wv
        if wv is None:
            self._waiting[kind] = job
            return
        self.run_worker(lambda: job(wv), name=kind, group=f"vectors-{kind}", thread=True, exclusive=True,
                        exit_on_error=False)

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _run_view(self, view: str, only_new: bool = False) -> None:
        if not self._ready.is_set() and view != "view-similarity":
            return
        if only_new and view in self._shown:
            return
        self._shown.add(view)
        for kind in VIEW_QUERIES.get(view, ()):
            getattr(self, f"query_{kind}")()

    def query_similarity(self) -> None:
        """cos(w1, w2) for the two words typed."""
        w1, w2 = self._value("#sim-a").strip(), self._value("#sim-b").strip()

        def job(wv: WordVectors) -> tuple[str, str, float]:
            from seqtui_models.vectors import similarity

            a, b = resolve(wv, w1, "sim-a"), resolve(wv, w2, "sim-b")
            return a, b, similarity(wv, a, b)

        self._start("similarity", job)

    def query_analogy(self) -> None:
        """Solve a : b :: c : ? with the method and restriction shown."""
        words = [self._value(f"#analogy-{k}").strip() for k in "abc"]
        top_text = self._value("#analogy-top")
        method = str(self.query_one("#analogy-method", Select).value)
        restricted = self.restricted

        def job(wv: WordVectors) -> Any:
            from seqtui_models.vectors import analogy

            a, b, c = (resolve(wv, w, f"analogy-{k}") for w, k in zip(words, "abc"))
            top = whole_number(top_text, "top", "analogy-top", 1, 100)
            return analogy(wv, a, b, c, topn=top, method=method, restricted=restricted)  # type: ignore[arg-type]

        self._start("analogy", job)

    def query_neighbours(self, query: str | None = None) -> None:
        """The nearest words to the word or expression typed."""
        if query is not None:
            self.query_one("#nb-query", Input).value = query
        text = self._value("#nb-query")
        top_text = self._value("#nb-top")
        restricted = self.restricted

        def job(wv: WordVectors) -> Any:
            from seqtui_models.vectors import most_similar, parse_expression

            try:
                positive, negative = parse_expression(text)
            except InvalidInput as exc:
                raise InvalidField(exc.message, "nb-query", exc.title) from exc
            positive = [(resolve(wv, w, "nb-query"), x) for w, x in positive]
            negative = [(resolve(wv, w, "nb-query"), x) for w, x in negative]
            top = whole_number(top_text, "top", "nb-top", 1, 100)
            found = most_similar(wv, positive, negative, topn=top, exclude_inputs=restricted)
            return positive, negative, found

        self._start("neighbours", job)

    def query_odd(self) -> None:
        """The word that does not match the others."""
        words = split_words(self._value("#odd-words"))

        def job(wv: WordVectors) -> Any:
            from seqtui_models.vectors import rank_by_centrality

            if len(words) < 3:
                raise InvalidField("Give three words or more, e.g. breakfast cereal dinner lunch.", "odd-words")
            return rank_by_centrality(wv, [resolve(wv, w, "odd-words") for w in words])

        self._start("odd", job)

    def _axis_job(self) -> Callable[[WordVectors], Any]:
        text = self._value("#bias-axis")
        method = str(self.query_one("#bias-method", Select).value)

        def axis(wv: WordVectors) -> Any:
            from seqtui_models.vectors import bias_axis

            pairs = parse_pairs(text, "bias-axis")
            pairs = tuple((resolve(wv, p, "bias-axis"), resolve(wv, n, "bias-axis")) for p, n in pairs)
            try:
                return bias_axis(wv, pairs, method=method)  # type: ignore[arg-type]
            except InvalidInput as exc:
                raise InvalidField(exc.message, "bias-axis", exc.title) from exc

        return axis

    def query_project(self) -> None:
        """Project the typed words (or the preset) on the bias axis."""
        words = split_words(self._value("#bias-words"))
        preset = str(self.query_one("#bias-preset", Select).value)
        axis_of = self._axis_job()

        def job(wv: WordVectors) -> Any:
            from seqtui_models.vectors import PRESETS, project

            axis = axis_of(wv)
            chosen = [resolve(wv, w, "bias-words") for w in words] or list(PRESETS[preset])
            return axis, project(wv, chosen, axis), "" if words else preset

        self._start("project", job)

    def query_neutralize(self) -> None:
        """Neutralize the typed word on the bias axis, step by step."""
        word = self._value("#bias-neutralize").strip()
        axis_of = self._axis_job()

        def job(wv: WordVectors) -> Any:
            from seqtui_models.vectors import neutralize

            return neutralize(wv, resolve(wv, word, "bias-neutralize"), axis_of(wv))

        self._start("neutralize", job)

    def query_equalize(self) -> None:
        """Equalize the typed pair on the bias axis, step by step."""
        words = split_words(self._value("#bias-equalize"))
        axis_of = self._axis_job()

        def job(wv: WordVectors) -> Any:
            from seqtui_models.vectors import equalize

            if len(words) != 2:
                raise InvalidField("Equalize needs two words, e.g. man woman.", "bias-equalize")
            pair = (resolve(wv, words[0], "bias-equalize"), resolve(wv, words[1], "bias-equalize"))
            try:
                return equalize(wv, pair, axis_of(wv))
            except InvalidField:
                raise
            except InvalidInput as exc:
                raise InvalidField(exc.message, "bias-equalize", exc.title) from exc

        self._start("equalize", job)

    # -- the benchmark ---------------------------------------------------------------------

    def action_benchmark(self) -> None:
        """Run the Google analogy benchmark with the restrict and method shown."""
        if self._active_view() != "view-bench":
            self.show_view("view-bench")
        if self._busy(self._bench):
            self.notify("The benchmark is running: escape cancels it.", severity="warning")
            return
        try:
            restrict = whole_number(self._value("#bench-restrict"), "restrict", "bench-restrict", 0, 10_000_000)
        except InvalidField as exc:
            self._failed("bench", exc)
            return
        method = str(self.query_one("#bench-method", Select).value)
        wv = self.wv
        if wv is None:
            self.notify("The vectors are still loading; try again in a moment.", severity="warning")
            return
        self._clear_error("view-bench")
        self.report = None
        self.query_one("#bench-table", DataTable).clear()
        self.query_one("#bench-progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#bench-status", Static).update("reading the questions… escape cancels")
        self._bench = self._benchmark(wv, restrict, method)
        self.refresh_bindings()

    @work(thread=True, exclusive=True, exit_on_error=False, group="vectors-bench")
    def _benchmark(self, wv: WordVectors, restrict: int, method: str) -> AnalogyReport:
        from seqtui_models.vectors import evaluate_analogies

        worker = get_current_worker()

        def progressed(progress: BenchmarkProgress) -> None:
            self.post_message(self.BenchmarkProgressed(progress))

        report = evaluate_analogies(
            wv, restrict_vocab=restrict or None, method=method,  # type: ignore[arg-type]
            on_progress=progressed,
            should_stop=lambda: worker.is_cancelled,
        )
        self.post_message(self.BenchmarkFinished(report))
        return report

    @on(BenchmarkProgressed)
    def _bench_progressed(self, message: BenchmarkProgressed) -> None:
        if not self._busy(self._bench):
            return
        progress = message.progress
        self.query_one("#bench-progress", ProgressBar).update(total=progress.total, progress=progress.done)
        self.query_one("#bench-status", Static).update(
            f"{progress.done:,}/{progress.total:,} questions · {progress.elapsed:.1f} s · escape cancels"
        )

    def _show_bench(self, report: AnalogyReport) -> None:
        self.report = report
        table = self.query_one("#bench-table", DataTable)
        table.clear()
        for section in report.sections:
            table.add_row(section.name, f"{section.correct:,}", f"{section.total:,}", f"{section.accuracy:.2%}",
                          bar(section.accuracy))
        name = "3CosAdd" if report.method == "add" else "3CosMul"
        table.border_title = f"{name} on the first {report.restrict_vocab:,} words"
        self.query_one("#bench-progress", ProgressBar).update(total=max(report.total, 1), progress=max(report.total, 1))
        self.query_one("#bench-status", Static).update(
            Text.assemble(
                ("accuracy ", "dim"), (f"{report.accuracy:.2%}", "bold"),
                (f" ({report.correct:,}/{report.total:,}) in {report.seconds:.2f} s · ", "dim"),
                (f"{report.skipped:,} of {report.questions:,} skipped (unknown words)", "dim"),
            )
        )

    # -- results ---------------------------------------------------------------------------

    def _show_similarity(self, result: tuple[str, str, float]) -> None:
        a, b, cos = result
        label = Text.assemble(("cos(", "dim"), (a, "bold"), (", ", "dim"), (b, "bold"), (") = ", "dim"),
                              (f"{cos:.4f}", "bold"))
        label.pad_right(max(1, 40 - label.cell_len))
        self.query_one("#sim-result", Static).update(Text.assemble(label, signed_bar(cos, 16)))
        table = self.query_one("#sim-table", DataTable)
        row = (a, b, f"{cos:+.4f}")
        if table.row_count and tuple(str(x) for x in table.get_row_at(table.row_count - 1)[:3]) == row:
            return  # the same question again (e.g. after reloading the vectors)
        table.add_row(*row, signed_bar(cos))
        table.move_cursor(row=table.row_count - 1)

    def _show_analogy(self, result: Any) -> None:
        table = self.query_one("#analogy-table", DataTable)
        table.clear()
        inputs = {result.a, result.b, result.c}
        for rank, n in enumerate(result.answers, 1):
            note = Text("an input word", style="bold red") if n.word in inputs else ""
            table.add_row(str(rank), Text(n.word, style="bold" if rank == 1 else ""), f"{n.score:.4f}", bar(n.score), note)
        names = {"add": "3CosAdd", "mul": "3CosMul", "course": "the course's complete_analogy"}
        table.border_title = f"{result.a} : {result.b} :: {result.c} : ?  ({names.get(result.method, result.method)})"
        hidden = result.hidden_by_restriction
        if hidden:
            words = ", ".join(f"'{n.word}' ({n.score:.4f})" for n in hidden)
            note_text = Text.assemble(
                ("Restricted: ", "bold"), f"unrestricted, {words} would come first — ",
                ("ctrl+r", "bold"), " shows it (Nissim et al. 2020).",
            )
        elif result.restricted:
            note_text = Text("Restricted, yet no input word beats the answer: nothing is hidden.", style="dim")
        else:
            note_text = Text("Unrestricted: input words may be answers.", style="dim")
        self.query_one("#analogy-note", Static).update(note_text)

    def _show_neighbours(self, result: Any) -> None:
        positive, negative, found = result
        table = self.query_one("#nb-table", DataTable)
        table.clear()
        inputs = {w for w, _ in positive + negative}
        for rank, n in enumerate(found, 1):
            table.add_row(str(rank), Text(n.word, style="bold red" if n.word in inputs else ""), f"{n.score:.4f}",
                          bar(n.score))
        table.border_title = "nearest to " + " ".join(self._value("#nb-query").split())

    def _show_odd(self, ranking: Any) -> None:
        table = self.query_one("#odd-table", DataTable)
        table.clear()
        for i, n in enumerate(ranking):
            odd = i == len(ranking) - 1
            table.add_row(Text(n.word, style="bold red" if odd else ""), f"{n.score:.4f}", bar(n.score),
                          Text("odd one out", style="bold red") if odd else "")
        self.query_one("#odd-result", Static).update(
            Text.assemble((ranking[-1].word, "bold"), (" doesn't match the others", ""),
                          ("  (cosine of each unit vector to their mean)", "dim"))
        )

    def _show_project(self, result: Any) -> None:
        self.results["chart"] = result
        # the tab's width is known even while the view is still being laid out
        width = self.size.width - 38  # the debias column, paddings, borders and scrollbar
        axis, projections, preset = result
        scale = max([abs(p.cosine) for p in projections] + [1e-9])  # the longest bar fills its half
        neg, pos = axis.pairs[0][1], axis.pairs[0][0]
        extra = ""
        if axis.explained:
            extra = f", first component {axis.explained[0]:.0%} of the variance"
        chart = Table(
            title=f"cos(e_w, g), g = {axis.label}{extra}", title_justify="left", box=None, padding=(0, 1),
            caption=f"← {neg} · {pos} →   bars to ±{scale:.3f}" + (f"   ({preset} preset)" if preset else ""),
            caption_justify="left",
        )
        bar_width = max(4, min(20, (width - 30) // 2))
        chart.add_column("word", justify="right", no_wrap=True, max_width=14)
        chart.add_column("cos", justify="right", no_wrap=True)
        chart.add_column("", no_wrap=True)
        for p in projections:
            chart.add_row(p.word[:14], f"{p.cosine:+.3f}", signed_bar(p.cosine / scale, bar_width))
        self.results["project"] = projections
        self.query_one("#bias-chart", Static).update(chart)

    def _redraw_chart(self) -> None:
        """Draw the projection chart again to fit its width (after layout or a resize)."""
        chart = self.results.get("chart")
        if chart is not None:
            self._show_project(chart)

    def on_resize(self) -> None:
        """Fit the bias chart's bars to the new width."""
        if self._ready.is_set():
            self.call_after_refresh(self._redraw_chart)

    def _show_neutralize(self, result: Any) -> None:
        self.results["neutralize"] = result
        self._show_steps()

    def _show_equalize(self, result: Any) -> None:
        self.results["equalize"] = result
        self._show_steps()

    def _show_steps(self) -> None:
        import numpy as np

        text = Text()
        neutral = self.results.get("neutralize")
        if neutral is not None:
            text.append(f"neutralize {neutral.word}\n", style="bold")
            rows = (("cos(e, g) before", neutral.cos_before), ("‖e_B‖", float(np.linalg.norm(neutral.bias_component))),
                    ("‖e − e_B‖", float(np.linalg.norm(neutral.debiased))), ("cos(e, g) after", neutral.cos_after))
            for label, value in rows:
                text.append(f" {label:<18}{value:+.4f}\n" if label.startswith("cos") else f" {label:<18}{value:7.4f}\n")
        equal = self.results.get("equalize")
        if equal is not None:
            w1, w2 = equal.pair
            text.append(f"\nequalize {w1} / {w2}\n", style="bold")
            text.append(f" {'cos(e, g)':<10}{w1[:9]:>10}{w2[:9]:>10}\n", style="dim")
            text.append(f" {'before':<10}{equal.cos_before[0]:>+10.4f}{equal.cos_before[1]:>+10.4f}\n")
            text.append(f" {'after':<10}{equal.cos_after[0]:>+10.4f}{equal.cos_after[1]:>+10.4f}\n", style="bold")
            text.append(f" ‖μ⊥‖ = {float(np.linalg.norm(equal.mu_orth)):.4f}\n", style="dim")
        self.query_one("#bias-steps", Static).update(text)

    # -- errors ----------------------------------------------------------------------------

    def _hint(self, view: str) -> Static:
        return self.query_one(HINT_OF[view], Static)

    def _failed(self, kind: str, error: BaseException) -> None:
        """Mark the field at fault, say what is wrong under it, and tell the app's handler."""
        view = VIEW_OF.get(kind, self._active_view())
        if isinstance(error, InvalidField):
            for field in self.query(f"#{error.field}").results(Input):
                field.add_class("-invalid")
        if isinstance(error, SeqtuiError):
            hint = self._hint(view)
            hint.update(error.message)
            hint.add_class("-error")
        self.post_message(TaskFailed(error, f"vectors {kind}"))

    def _clear_error(self, view: str) -> None:
        hint = self._hint(view)
        if hint.has_class("-error"):
            hint.remove_class("-error")
            hint.update(HINTS[view])
        for field in self.query(f"#{view} Input.-invalid").results(Input):
            field.remove_class("-invalid")

    @on(Input.Changed)
    def _edited(self, event: Input.Changed) -> None:
        if event.input.id not in ("analogy-top", "nb-top", "bench-restrict"):
            event.input.remove_class("-invalid")

    # -- workers ---------------------------------------------------------------------------

    def _busy(self, worker: Worker[Any] | None) -> bool:
        return worker is not None and worker.state in (WorkerState.PENDING, WorkerState.RUNNING)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show results; send failures to the app's one handler."""
        worker = event.worker
        group = worker.group or ""
        if not group.startswith("vectors-"):
            return
        kind = group.removeprefix("vectors-")
        if kind in ("bench", "load"):
            self.refresh_bindings()
        if event.state == WorkerState.SUCCESS:
            if kind in ("default", "load"):
                if kind == "load":
                    self._clear_error("view-file")
                    self.query_one("#file-status", Static).update("loaded")
                self._set_vectors(cast("WordVectors", worker.result))
                return
            self._clear_error(VIEW_OF[kind])
            getattr(self, f"_show_{kind}")(worker.result)
        elif event.state == WorkerState.CANCELLED and kind in ("bench", "load"):
            target = "#bench-status" if kind == "bench" else "#file-status"
            self.query_one(target, Static).update("cancelled")
            bar_id = "#bench-progress" if kind == "bench" else "#file-progress"
            self.query_one(bar_id, ProgressBar).update(total=100, progress=0)
        elif event.state == WorkerState.ERROR and worker.error is not None:
            if kind == "default":
                self.query_one("#vectors-status", Static).update(
                    Text(f"The default vectors could not be loaded: {worker.error}", style="bold red")
                )
                self.query_one("#vectors-views", TabbedContent).loading = False
                self._loaded.set()
            elif kind in ("bench", "load"):
                target = "#bench-status" if kind == "bench" else "#file-status"
                self.query_one(target, Static).update("failed")
            self._failed(kind, worker.error)

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something in the current view."""
        if not self._ready.is_set():
            return action not in ("toggle_restricted", "cycle_method", "cancel")
        view = self._active_view()
        if action == "cancel":
            return self._busy(self._bench) or self._busy(self._load)
        if action == "toggle_restricted":
            return view in ("view-analogy", "view-neighbours")
        if action == "cycle_method":
            return view in METHODS
        return True

    @on(TabbedContent.TabActivated, "#vectors-views")
    def _view_shown(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        view = event.pane.id or VIEWS[0]
        self.refresh_bindings()
        if self.wv is not None:
            self._run_view(view, only_new=True)

    def show_view(self, view: str) -> None:
        """Switch to a view and put the focus in its first field."""
        self.query_one("#vectors-views", TabbedContent).active = view
        self._focus_view(view)

    def action_show_view(self, view: str) -> None:
        """Switch to a view (for the command palette)."""
        self.show_view(view)

    def action_next_view(self) -> None:
        """Cycle through the views."""
        active = self._active_view()
        views = [v for v in VIEWS if self.query(f"#{v}")]
        self.show_view(views[(views.index(active) + 1) % len(views)] if active in views else views[0])

    def action_run(self) -> None:
        """Run the current view's query (the benchmark, in the Benchmark view)."""
        view = self._active_view()
        if view == "view-bench":
            self.action_benchmark()
        elif view == "view-file":
            self.action_load_file()
        else:
            self._run_view(view)

    def action_toggle_restricted(self) -> None:
        """Exclude the input words from the answers, or not, and ask again."""
        self.restricted = not self.restricted
        self._show_settings()
        view = self._active_view()
        if view in ("view-analogy", "view-neighbours"):
            self._run_view(view)
        self._shown.discard("view-analogy" if view == "view-neighbours" else "view-neighbours")
        self.notify("Input words " + ("excluded from the answers." if self.restricted else "may be answers (unrestricted)."),
                    timeout=3)

    def action_cycle_method(self) -> None:
        """Next method of the current view (its Select changes, and the query runs again)."""
        view = self._active_view()
        if view not in METHODS:
            return
        select = self.query_one(METHOD_SELECT[view], Select)
        options = METHODS[view]
        select.value = options[(options.index(str(select.value)) + 1) % len(options)]

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        select_id = event.select.id
        if self.wv is None or not self._ready.is_set():
            return
        if select_id == "analogy-method":
            self.query_analogy()
        elif select_id in ("bias-method", "bias-preset"):
            self.query_project()
            if select_id == "bias-method":
                self.query_neutralize()
                self.query_equalize()

    def action_cancel(self) -> None:
        """Cancel the benchmark or the file being loaded."""
        for worker in (self._bench, self._load):
            if worker is not None and self._busy(worker):
                worker.cancel()
        self.refresh_bindings()

    def action_leave_field(self) -> None:
        """Move the focus from a field to the view's results, so single keys (1–6, q) work."""
        for widget in self.query(RESULTS.get(self._active_view(), "#sim-table")):
            widget.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        field = event.input.id or ""
        event.stop()
        if field.startswith("sim-"):
            self.query_similarity()
        elif field.startswith("analogy-"):
            self.query_analogy()
        elif field.startswith("nb-"):
            self.query_neighbours()
        elif field == "odd-words":
            self.query_odd()
        elif field in ("bias-axis", "bias-words"):
            self.query_project()
            if field == "bias-axis":
                self.query_neutralize()
                self.query_equalize()
        elif field == "bias-neutralize":
            self.query_neutralize()
        elif field == "bias-equalize":
            self.query_equalize()
        elif field == "bench-restrict":
            self.action_benchmark()
        elif field == "file-path":
            self.action_load_file()

    @on(DataTable.RowSelected, "#analogy-table, #nb-table, #odd-table")
    def _word_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a word of a table: its nearest neighbours."""
        row = event.data_table.get_row(event.row_key)
        word = str(row[0] if event.data_table.id == "odd-table" else row[1])
        self.show_view("view-neighbours")
        self.query_neighbours(word)
