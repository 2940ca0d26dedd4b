"""Provides the vectors tab: word vectors, analogies, a bias lab and the analogy benchmark."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.widgets import Static, TabbedContent

from seqtui.tabs.base import TaskTab, View, handles
from seqtui.tabs.vectors.analogy import AnalogyView
from seqtui.tabs.vectors.benchmark import BenchmarkView
from seqtui.tabs.vectors.bias import BiasView
from seqtui.tabs.vectors.files import FilesView, VectorsLoaded
from seqtui.tabs.vectors.neighbours import NeighboursView
from seqtui.tabs.vectors.odd import OddView
from seqtui.tabs.vectors.projection import ProjectionView
from seqtui.tabs.vectors.similarity import SimilarityView
from seqtui.tabs.vectors.view import VectorsView, WordChosen

if TYPE_CHECKING:
    from seqtui_models.vectors import WordVectors

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
Input words are excluded as for analogies; unrestricted, they are marked when they come up.

## Odd one out
gensim's `doesnt_match`: of three words or more, the one whose unit vector is furthest from the
mean of all of them (with two words, each is as far from their mean as the other).

## Bias lab (Bolukbasi et al. 2016, as the course teaches it)
The axis g = e_woman − e_man (or any pair, or several pairs separated by commas, averaged or
by PCA; `bolukbasi` gives their ten definitional pairs). Each word is drawn at cos(e_w, g).
* **neutralize**: e_B = (e·g / ‖g‖²) g, e_debiased = e − e_B, so cos(e_debiased, g) = 0
  (receptionist: 0.3308 → 0)
* **equalize** a pair: μ = (e_w1 + e_w2)/2, μ⊥ = μ − μ_B, each word keeps μ⊥ plus a bias part
  √|1 − ‖μ⊥‖²| (e_wB − μ_B) / ‖e_w − μ⊥ − μ_B‖ (man/woman: −0.117/+0.357 → ∓0.700)

## Projection (the TensorFlow Embedding Projector's PCA)
One word maps its neighbourhood (it and its nearest words; *size* of them); several words map
those words. The unit vectors u_w of the mapped words are centred, X = U − Ū, and drawn at their
first two principal components (X = S Σ Vᵀ; x = X·v₁, y = X·v₂; each axis gives its share of the
words' variance, σ²/Σσ²). With a pair in **x** (`woman man`, `he she, man woman`, `bolukbasi`),
x is the bias lab's cos(e_w, g) and y the first component of what is left once g is taken out.
The arrows move between points; the selected word's five nearest words *in all 50 dimensions*
are highlighted (a projection can set far words side by side); enter maps its neighbourhood.

## Benchmark
The Google analogy test set (19,544 questions in 14 sections) scored with gensim's rules:
only the first *restrict* words are searched and known (0: all 400,000), case-insensitive,
input words excluded. The accuracy equals gensim's `evaluate_word_analogies`.

## Keys (they work while you type)
| key | does |
| --- | --- |
| enter | run the query of the field you are in |
| ctrl+g | run the current view's query (the benchmark too) |
| enter on a word of a table | its neighbours |
| ctrl+n (or v outside a field) | next view |
| ctrl+r | analogies and neighbours: input words excluded or not |
| ctrl+t | next method (analogy: add, mul, course; bias axis: mean, pca; benchmark: add, mul) |
| escape | cancel the benchmark or a file being loaded; else leave the field (then 1–6 and q work) |
"""

VIEW_CLASSES: dict[str, type[VectorsView]] = {
    "view-similarity": SimilarityView, "view-analogy": AnalogyView, "view-neighbours": NeighboursView,
    "view-odd": OddView, "view-bias": BiasView, "view-map": ProjectionView, "view-bench": BenchmarkView, "view-file": FilesView,
}


class VectorsTab(TaskTab):
    """The vectors tab: similarity, analogies, neighbours, odd one out, the bias lab, the benchmark, files.

    The tab holds the word vectors and the restriction (input words excluded or not) and hands
    them down to its views; the views answer by themselves and post up the words chosen in
    their tables and the files they read.
    """

    DEFAULT_CSS = """
    VectorsTab #vectors-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    VectorsTab #vectors-views {
        height: 1fr;
        & > ContentSwitcher {
            height: 1fr;
        }
    }
    """

    TASK = "vectors"
    HELP = HELP
    VIEWS = (
        View("view-similarity", SimilarityView.TITLE, focus="#sim-a", rest="#sim-table", run="query"),
        View("view-analogy", AnalogyView.TITLE, focus="#analogy-a", rest="#analogy-table", run="query"),
        View("view-neighbours", NeighboursView.TITLE, focus="#nb-query", rest="#nb-table", run="query"),
        View("view-odd", OddView.TITLE, focus="#odd-words", rest="#odd-table", run="query"),
        View("view-bias", BiasView.TITLE, focus="#bias-axis", rest="#bias-chart-scroll", run="query"),
        View("view-map", ProjectionView.TITLE, focus="#map-words", rest="#map-plot", run="query"),
        View("view-bench", BenchmarkView.TITLE, focus="#bench-restrict", rest="#bench-table", run="query"),
        View("view-file", FilesView.TITLE, focus="#file-path", rest="#file-scroll", run="query"),
    )

    BINDINGS = [
        Binding("ctrl+r", "toggle_restricted", "Restricted"),
        Binding("ctrl+t", "cycle_method", "Method"),
        Binding("escape", "cancel", "Cancel"),
        Binding("escape", "escape", "Leave field", show=False),
    ]

    COMMANDS_PALETTE = (
        ("Vectors: run the analogy benchmark", "Google analogies with the restrict and method shown", "benchmark"),
        ("Vectors: restricted or unrestricted analogies", "Let the input words be answers, or not", "toggle_restricted"),
        ("Vectors: load a vector file", "GloVe text, word2vec text or binary", "show_view('view-file')"),
        ("Vectors: projection", "A word's neighbourhood on a plane (PCA), as the Embedding Projector draws it",
         "show_view('view-map')"),
        ("Vectors: bias lab", "Project words on woman − man, neutralize, equalize", "show_view('view-bias')"),
    )

    wv: reactive[WordVectors | None] = reactive(None, init=False)
    """The word vectors every view uses (None while the default ones load)."""
    restricted: reactive[bool] = reactive(True, init=False)
    """Input words are excluded from the answers of analogies and neighbours."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._views_added = False
        self._loaded = False  # the default vectors are loaded, or failed to

    # -- layout ------------------------------------------------------------------------------

    def _new_view(self, view_id: str) -> VectorsView:
        view = VIEW_CLASSES[view_id](id=view_id)
        return view.data_bind(VectorsTab.wv, VectorsTab.restricted, VectorsTab.active_view)

    def compose(self) -> ComposeResult:
        yield Static("Loading GloVe 6B 50d…", id="vectors-status")
        with TabbedContent(id="vectors-views"):
            yield self._new_view(self.VIEWS[0].id)

    def on_mount(self) -> None:
        """Show the loading indicator, load the default vectors, add the other views after the first frame."""
        self.active_view = self.VIEWS[0].id
        self.views.loading = True
        self.call_after_refresh(self._add_views)
        self._load_default()

    async def _add_views(self) -> None:
        if not (self.is_attached and self.app.is_running):  # the app closed in the first instant
            return
        try:
            for view in self.VIEWS[1:]:
                await self.views.add_pane(self._new_view(view.id))
        except NoMatches:  # the app closed while the views were being added
            return
        self._views_added = True
        self._ready_if_loaded()

    def _ready_if_loaded(self) -> None:
        if self._views_added and self._loaded and not self.is_ready:
            self.ready()

    def _current(self) -> VectorsView | None:
        try:
            return self.query_one(f"#{self.views.active}", VectorsView)
        except NoMatches:
            return None

    # -- the vectors -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="default")
    def _load_default(self) -> WordVectors:
        from seqtui_models.vectors import load_vectors

        wv = load_vectors()
        _ = wv.unit  # normalised once, here, rather than in the first query
        return wv

    @handles("default")
    def _default_loaded(self, wv: WordVectors) -> None:
        self.wv = wv
        self._loaded = True
        self._ready_if_loaded()

    @handles("default", "error")
    def _default_failed(self, error: BaseException) -> None:
        self.query_one("#vectors-status", Static).update(
            Text(f"The default vectors could not be loaded: {error}", style="bold red")
        )
        self.views.loading = False
        self._loaded = True
        self._ready_if_loaded()

    @on(VectorsLoaded)
    def _file_loaded(self, message: VectorsLoaded) -> None:
        message.stop()
        self.wv = message.wv

    def watch_wv(self, wv: WordVectors | None) -> None:
        if wv is None:
            return
        self.views.loading = False
        self.query_one("#vectors-status", Static).update(
            Text.assemble((wv.source, "bold"), (f" · {len(wv):,} words × {wv.dim} dimensions", "dim"),
                          ("  F1: the maths", "dim"))
        )
        self.refresh_bindings()

    # -- keys --------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Show only the keys that do something in the view in front."""
        if action in ("toggle_restricted", "cycle_method", "cancel"):
            view = self._current() if self.is_ready else None
            if view is None:
                return False
            if action == "toggle_restricted":
                return view.USES_RESTRICTED
            if action == "cycle_method":
                return bool(view.METHOD_SELECT)
            return any(v.busy for v in self.query(VectorsView))
        return super().check_action(action, parameters)

    def action_query(self) -> None:
        """Ask the current view's question (ctrl+g; the benchmark too)."""
        view = self._current()
        if view is not None:
            view.run_query()

    def action_show_view(self, view_id: str) -> None:
        """Bring a view to the front (for the command palette)."""
        self.show_view(view_id)

    def action_benchmark(self) -> None:
        """Run the analogy benchmark with the restrict and method shown."""
        self.show_view("view-bench")
        self.query_one(BenchmarkView).run_query()

    def action_toggle_restricted(self) -> None:
        """Exclude the input words from the answers, or not; the view in front asks again."""
        self.restricted = not self.restricted
        self.notify("Input words " + ("excluded from the answers." if self.restricted else "may be answers (unrestricted)."),
                    timeout=3)

    def action_cycle_method(self) -> None:
        """Next method of the current view (its Select changes, and the query runs again)."""
        view = self._current()
        if view is not None:
            view.cycle_method()

    def cancel_work(self) -> bool:
        """Cancel the benchmark or the file being read."""
        cancelled = [view.cancel() for view in self.query(VectorsView)]
        return any(cancelled)

    def action_cancel(self) -> None:
        """Escape while the benchmark runs or a file loads: cancel it."""
        self.action_escape()

    @on(WordChosen)
    def _word_chosen(self, message: WordChosen) -> None:
        """Enter on a word of a table: its nearest neighbours."""
        message.stop()
        self.query_one(NeighboursView).search(message.word)
        self.show_view("view-neighbours")
