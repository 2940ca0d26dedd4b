"""Provides the jazz tab's content: the sidebar (the model, how to improvise, what to train on) beside the views."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Select, Static, TabbedContent

from seqtui.tabs.jazz.music import MusicView
from seqtui.tabs.jazz.solo import SoloView
from seqtui.tabs.jazz.train import TrainView
from seqtui.widgets.form import field


class JazzSidebar(VerticalScroll):
    """The fields the jazz tab reads: improvising settings, the music file, training settings.

    The tab reads them (``TaskTab.number`` …) and reacts to enter and changes; the sidebar
    itself only lays them out.
    """

    DEFAULT_CSS = """
    JazzSidebar {
        width: 30;
        height: 1fr;
        border-right: vkey $primary 30%;
        padding: 0 1;
    }
    JazzSidebar Select {
        width: 1fr;
    }
    JazzSidebar #jazz-model {
        color: $text-muted;
        height: auto;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label("Model", classes="section")
        yield Static("loading…", id="jazz-model")
        yield Label("Improvise", classes="section")
        yield field("bars", Input("8", type="integer", id="jazz-bars", compact=True))
        yield field("temp", Input("0.7", type="number", id="jazz-temperature", compact=True))
        yield field("top-k", Input("0", type="integer", id="jazz-top-k", compact=True))
        yield field("seed", Input(placeholder="new each time", type="integer", id="jazz-seed", compact=True))
        yield field("over", Select([], prompt="chords of…", id="jazz-piece", compact=True))
        yield field("chords", Input(placeholder="e.g. Dm7 G7 Cmaj7 A7", id="jazz-chords", compact=True))
        yield field("save", Input(placeholder="seqtui home/solos", id="jazz-save", compact=True))
        yield Label("Training", classes="section")
        yield field("file", Input(placeholder="ragtime corpus", id="jazz-file", compact=True))
        yield field("preset", Select([("fast", "fast"), ("course", "course")], value="fast", allow_blank=False,
                                     id="jazz-preset", compact=True))
        yield field("epochs", Input("25", type="integer", id="jazz-epochs", compact=True))
        yield field("seed", Input("0", type="integer", id="jazz-train-seed", compact=True))


class JazzBody(Horizontal):
    """The jazz tab's content once music21 is imported: the sidebar and the Solo, Music and Train views."""

    DEFAULT_CSS = """
    JazzBody {
        height: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield JazzSidebar(id="jazz-form")
        with TabbedContent(id="jazz-views", classes="views"):
            yield SoloView(id="jazz-view-solo")
            yield MusicView(id="jazz-view-music")
            yield TrainView(id="jazz-view-train")
