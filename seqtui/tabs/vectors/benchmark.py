"""Provides the benchmark view: the Google analogy test set scored as gensim scores it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import DataTable, Input, ProgressBar, Select, Static
from textual.worker import get_current_worker

from seqtui.tabs.vectors.render import BAR, bar, choices, labelled, results_table, word_input
from seqtui.tabs.vectors.view import InvalidField, Progressed, VectorsView, blame
from seqtui.widgets.form import read_number

BENCH_RESTRICT = 300_000
"""The benchmark's default restrict: gensim's evaluate_word_analogies default, as in the CLI."""

if TYPE_CHECKING:
    from seqtui_models.vectors import AnalogyReport, BenchmarkProgress, WordVectors

MAX_RESTRICT = 10_000_000


class BenchmarkView(VectorsView):
    """Accuracy on questions-words.txt, per section, with progress; escape cancels."""

    TITLE = "Benchmark"
    HINT = "restrict 0: all 400,000 words · enter or ctrl+g runs · escape cancels"
    AUTO = False
    METHOD_SELECT = "#bench-method"
    METHODS = ("add", "mul")

    report: reactive[AnalogyReport | None] = reactive(None, init=False, always_update=True)
    """The last run's scores (None while running, or after a cancelled run)."""
    progress: reactive[BenchmarkProgress | None] = reactive(None, init=False, always_update=True)
    """How far the run in progress has got."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="vectors-form"):
            yield labelled("restrict", word_input(str(BENCH_RESTRICT), "bench-restrict", type="integer"))
            yield choices(self.METHODS, "bench-method")
        yield ProgressBar(id="bench-progress", total=100, show_eta=False)
        yield Static("", id="bench-status", classes="vectors-status-line")
        yield Static(self.HINT, id="bench-hint", classes="vectors-hint")
        yield results_table("bench-table", (("section", 27), ("correct", 7), ("total", 6), ("accuracy", 8), ("", BAR)))

    # -- running -----------------------------------------------------------------------------

    def run_query(self) -> None:
        """Run the benchmark with the restrict and method shown."""
        if self.busy:
            self.notify("The benchmark is running: escape cancels it.", severity="warning")
            return
        wv = self.wv
        if wv is None:
            self.notify("The vectors are still loading; try again in a moment.", severity="warning")
            return
        try:
            with blame("bench-restrict"):
                restrict = read_number(self.query_one("#bench-restrict", Input).value, "restrict",
                                       low=0, high=MAX_RESTRICT)
        except InvalidField as exc:
            self.failed(exc)
            return
        method = str(self.query_one("#bench-method", Select).value)
        self.clear_error()
        self.report = None
        self.query_one("#bench-table", DataTable).clear()
        self.query_one("#bench-progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#bench-status", Static).update("reading the questions… escape cancels")
        self.start_cancellable("bench", lambda: self._benchmark(wv, restrict, method), self._scored)

    def _benchmark(self, wv: WordVectors, restrict: int, method: str) -> AnalogyReport:
        from seqtui_models.vectors import evaluate_analogies

        worker = get_current_worker()

        def progressed(progress: BenchmarkProgress) -> None:
            self.post_message(Progressed(progress))

        return evaluate_analogies(
            wv, restrict_vocab=restrict or None, method=method,  # type: ignore[arg-type]
            on_progress=progressed,
            should_stop=lambda: worker.is_cancelled,
        )

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        if self.busy:
            self.progress = message.progress

    def _scored(self, report: Any) -> None:
        self.report = report

    def cancelled(self, group: str) -> None:
        """Say the run was cancelled."""
        self.query_one("#bench-status", Static).update("cancelled")
        self.query_one("#bench-progress", ProgressBar).update(total=100, progress=0)

    def failed(self, error: BaseException) -> None:
        """Say the run failed (and where, if a field is at fault)."""
        self.query_one("#bench-status", Static).update("failed")
        super().failed(error)

    # -- showing -----------------------------------------------------------------------------

    def watch_wv(self, wv: WordVectors | None) -> None:
        """Other vectors: the last scores were theirs, not these vectors' (and a run on the old ones stops)."""
        super().watch_wv(wv)
        if self.report is None and not self.busy:
            return
        self.cancel()
        self.report = None
        self.query_one("#bench-table", DataTable).clear()
        self.query_one("#bench-table", DataTable).border_title = ""
        self.query_one("#bench-progress", ProgressBar).update(total=100, progress=0)
        source = wv.source if wv is not None else "the new vectors"
        self.query_one("#bench-status", Static).update(f"new vectors ({source}): enter scores them")

    def watch_progress(self, progress: BenchmarkProgress | None) -> None:
        if progress is None:
            return
        self.query_one("#bench-progress", ProgressBar).update(total=progress.total, progress=progress.done)
        self.query_one("#bench-status", Static).update(
            f"{progress.done:,}/{progress.total:,} questions · {progress.elapsed:.1f} s · escape cancels"
        )

    def watch_report(self, report: AnalogyReport | None) -> None:
        if report is None:
            return
        table = self.query_one("#bench-table", DataTable)
        table.clear()
        for section in report.sections:
            table.add_row(section.name, f"{section.correct:,}", f"{section.total:,}", f"{section.accuracy:.2%}",
                          bar(section.accuracy))
        name = "3CosAdd" if report.method == "add" else "3CosMul"
        table.border_title = f"{name} on the first {report.restrict_vocab:,} words"
        done = max(report.total, 1)
        self.query_one("#bench-progress", ProgressBar).update(total=done, progress=done)
        self.query_one("#bench-status", Static).update(
            Text.assemble(
                ("accuracy ", "dim"), (f"{report.accuracy:.2%}", "bold"),
                (f" ({report.correct:,}/{report.total:,}) in {report.seconds:.2f} s · ", "dim"),
                (f"{report.skipped:,} of {report.questions:,} skipped (unknown words)", "dim"),
            )
        )

