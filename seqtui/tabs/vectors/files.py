"""Provides the vectors view: which word vectors are in use, and loading another file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, ProgressBar, Select, Static
from textual.worker import get_current_worker

from seqtui.tabs.vectors.render import choices, labelled, word_input
from seqtui.tabs.vectors.view import InvalidField, Progressed, VectorsView
from seqtui.text import plural
from seqtui_models.core.errors import SeqtuiError

if TYPE_CHECKING:
    from seqtui_models.vectors import LoadProgress, WordVectors

SKIPPED_SHOWN = 30
"""Skipped lines listed; the rest are counted."""


@dataclass
class VectorsLoaded(Message):
    """Another vector file was read: the tab uses it from now on."""

    wv: WordVectors


def describe(wv: WordVectors) -> Text:
    """The vectors' source, size, first words and the lines skipped while reading them."""
    lines = Text.assemble(
        ("Now using ", "dim"), (wv.source, "bold"), "\n",
        (f"{plural(len(wv), 'word')} × {wv.dim} dimensions; most frequent first: ", "dim"),
        ", ".join(wv.words[:12]), " …\n",
    )
    if wv.skipped:
        lines.append(f"\n{plural(len(wv.skipped), 'line')} skipped:\n", style="bold")
        for skipped in wv.skipped[:SKIPPED_SHOWN]:
            lines.append(f"  line {skipped.line}: {skipped.reason}\n")
        if len(wv.skipped) > SKIPPED_SHOWN:
            lines.append(f"  … and {len(wv.skipped) - SKIPPED_SHOWN:,} more\n", style="dim")
    return lines


class FilesView(VectorsView):
    """The vectors in use, and a form to read a GloVe or word2vec file (progress; escape cancels)."""

    DEFAULT_CSS = """
    FilesView #file-scroll {
        height: 1fr;
        border: round $primary 40%;
    }
    """

    TITLE = "Vectors"
    HINT = "GloVe or word2vec, text or binary, .gz too · enter loads · empty: GloVe 6B 50d"
    AUTO = False

    def compose(self) -> ComposeResult:
        with Horizontal(classes="vectors-form"):
            yield labelled("file", word_input("", "file-path", "path to a vector file"), "wide")
            yield labelled("bad lines", choices(("fail", "skip"), "file-malformed"))
        yield ProgressBar(id="file-progress", total=100, show_eta=False)
        yield Static("", id="file-status", classes="vectors-status-line")
        yield Static(self.HINT, id="file-hint", classes="vectors-hint")
        with VerticalScroll(id="file-scroll"):
            yield Static("", id="file-info")

    def watch_wv(self, wv: WordVectors | None) -> None:
        super().watch_wv(wv)
        if wv is not None:
            self.query_one("#file-info", Static).update(describe(wv))

    # -- loading -----------------------------------------------------------------------------

    def run_query(self) -> None:
        """Read the file typed (empty: back to the default GloVe)."""
        if self.busy:
            self.notify("A file is already loading: escape cancels it.", severity="warning")
            return
        path = self.query_one("#file-path", Input).value.strip()
        malformed = str(self.query_one("#file-malformed", Select).value)
        self.clear_error()
        self.query_one("#file-progress", ProgressBar).update(total=100, progress=0)
        self.query_one("#file-status", Static).update(f"loading {path or 'GloVe 6B 50d'}…")
        where = str(Path(path).expanduser()) if path else None  # ~/glove.txt, as the jazz file field reads it
        self.start_cancellable("load", lambda: self._read(where, malformed), self._loaded)

    def _read(self, path: str | None, malformed: str) -> WordVectors:
        from seqtui_models.vectors import Cancelled, load_vectors

        worker = get_current_worker()

        def progressed(progress: LoadProgress) -> None:
            self.post_message(Progressed(progress))

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
        _ = wv.unit  # normalised here, in the thread, rather than in the first query
        return wv

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        if not self.busy:
            return
        progress = message.progress
        self.query_one("#file-progress", ProgressBar).update(total=100, progress=round(progress.fraction * 100))
        self.query_one("#file-status", Static).update(f"{progress.words:,} words read · escape cancels")

    def _loaded(self, wv: Any) -> None:
        self.query_one("#file-progress", ProgressBar).update(total=100, progress=100)
        self.query_one("#file-status", Static).update("loaded")
        self.post_message(VectorsLoaded(wv))

    def cancelled(self, group: str) -> None:
        """Say the reading was cancelled (the vectors in use stay)."""
        self.query_one("#file-status", Static).update("cancelled")
        self.query_one("#file-progress", ProgressBar).update(total=100, progress=0)

    def failed(self, error: BaseException) -> None:
        """Say the file could not be read, and why."""
        self.query_one("#file-status", Static).update("failed")
        super().failed(error)

