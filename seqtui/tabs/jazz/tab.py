"""Provides the jazz tab: an LSTM improvises over chords; see it on a piano roll, hear it, export it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Select, Static

from seqtui.messages import TrainingFinished
from seqtui.tabs.base import TaskTab, View, handles
from seqtui.tabs.jazz.body import JazzBody
from seqtui.tabs.jazz.help import HELP
from seqtui.tabs.jazz.music import MusicReadProgressed, MusicView, TracksChosen
from seqtui.tabs.jazz.solo import PlaybackUnavailable, SoloView, export_solo
from seqtui.tabs.jazz.train import TrainView
from seqtui.widgets.loading import DeferredImport, importing
from seqtui.widgets.training_panel import TrainingPanel
from seqtui_models.core.errors import InvalidInput, SeqtuiError
from seqtui_models.core.training import RunResult
from seqtui_models.jazz import GenerateConfig, Improvisation, JazzModel, ReadProgress

TEMPERATURES = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 2.0)
NARROW = 100
"""Below this many columns the sidebar narrows and the statistics table leaves the roll's side."""
SHORT = 26
"""Below this many lines (an 80×24 terminal gives the tab 20) the roll takes the text's lines."""
BAR_CHOICES = (2, 4, 8, 12, 16, 24, 32)
IMPROVISE_FIELDS = "#jazz-bars, #jazz-temperature, #jazz-top-k, #jazz-seed, #jazz-chords"


def learned_same_music(a: JazzModel, b: JazzModel) -> bool:
    """Whether two models learned the very same values (then their losses compare)."""
    return a.values == b.values and [(p.name, p.values) for p in a.pieces] == [(p.name, p.values) for p in b.pieces]


class JazzTab(TaskTab):
    """The jazz tab: music in, train, improvise, piano roll, play, export, statistics.

    The tab holds the model, the solo and the music to learn from (with its melody and chord
    tracks) and hands them down to its views; the views post up the tracks chosen and a solo
    that could not be played.
    """

    DEFAULT_CSS = """
    JazzTab.-narrow JazzSidebar {
        width: 24;
    }
    JazzTab.-narrow SoloView #jazz-stats {
        display: none;  /* the statistics' line stays in the text under the roll */
    }
    """

    TASK = "jazz"
    HELP = HELP
    VIEWS = (
        View("jazz-view-solo", "Solo", focus="#jazz-roll", run="generate"),
        View("jazz-view-music", "Music", focus="#jazz-tracks", run="read_file"),
        View("jazz-view-train", "Train", focus="#jazz-train", run="train"),
    )

    BINDINGS = [
        Binding("g", "generate", "Improvise"),
        Binding("space", "play", "Play/Stop"),
        Binding("comma", "temperature(-1)", "Temp −", show=False),
        Binding("full_stop", "temperature(1)", "Temp +", show=False),
        Binding("minus", "bars(-1)", "Fewer bars", show=False),
        Binding("plus,equals_sign", "bars(1)", "More bars", show=False),
        Binding("m", "export('midi')", "MIDI"),
        Binding("w", "export('wav')", "WAV"),
        Binding("f", "open_file", "File", show=False),
    ]

    COMMANDS_PALETTE = (
        ("Jazz: improvise", "Generate a new solo with the current settings", "generate"),
        ("Jazz: play / stop", "Play the solo (or stop it)", "play"),
        ("Jazz: export MIDI", "Write the solo and its chords as a MIDI file", "export('midi')"),
        ("Jazz: export WAV", "Write the solo and its chords as a WAV file", "export('wav')"),
        ("Jazz: train", "Train the LSTM on the chosen music", "train"),
    )

    RUNS = True

    model: reactive[JazzModel | None] = reactive(None, init=False, always_update=True)
    """The model improvising (the bundled one until a trained one is adopted)."""
    improvisation: reactive[Improvisation | None] = reactive(None, init=False, always_update=True)
    """The solo shown."""
    music: reactive[Any] = reactive(None, init=False, always_update=True)
    """The music file read (a MusicFile from ``open_music``), or ``None`` for the default corpus."""
    melody_track: reactive[int | None] = reactive(None, init=False)
    """The melody's track number in :attr:`music`."""
    chord_track: reactive[int | None] = reactive(None, init=False)
    """The track the chords come from, ``None`` for automatic chords."""
    reading: reactive[ReadProgress | None] = reactive(None, init=False)
    """How far the music file being read has got (``None`` when none is)."""
    compact: reactive[bool] = reactive(False, init=False)
    """Whether the tab is too short for the text under the piano roll (see :data:`SHORT`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.draws = 0
        self.audio_warned = False
        self._loaded = False  # music21 is imported and the content mounted

    # -- layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # music21 reads and writes the music. Keras is not needed to improvise (the bundled model's
        # weights are read from its file, the LSTM runs in numpy): importing TensorFlow holds the
        # GIL for seconds and would freeze the app as the tab opens, so it loads when training starts.
        yield DeferredImport(importing("h5py", "music21"), JazzBody, "music21", id="jazz-loading")

    @on(DeferredImport.Loaded)
    def _imported(self, event: DeferredImport.Loaded) -> None:
        event.stop()
        self.query_one(SoloView).data_bind(JazzTab.improvisation, JazzTab.compact)
        for view in (self.query_one(MusicView), self.query_one(TrainView)):
            view.data_bind(JazzTab.music, JazzTab.melody_track, JazzTab.chord_track)
        self.query_one(MusicView).data_bind(JazzTab.reading)
        self._loaded = True
        if all(node.display for node in self.ancestors_with_self if isinstance(node, Widget)):
            self.focus_default()  # not if the user went to another tab while music21 loaded
        self.refresh_bindings()
        self._load_default()

    def on_resize(self, event: Resize) -> None:
        """Below 100 columns the sidebar narrows and the statistics move into the text below the roll;
        below 26 lines that text gives its lines to the roll and its figures go on the roll's frame."""
        self.set_class(event.size.width < NARROW, "-narrow")
        self.compact = event.size.height < SHORT

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No keys of the tab until its content is loaded; improvising needs a model, playing a solo."""
        if not self._loaded:
            return action == "escape"
        if action in ("generate", "temperature", "bars"):
            return self.model is not None
        if action in ("play", "export"):
            return self.improvisation is not None
        return super().check_action(action, parameters)

    def _settle(self) -> None:
        """The first solo is shown, or could not be made: the tab is ready."""
        if not self.is_ready:
            self.ready()

    # -- the model ---------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load_default(self) -> tuple[JazzModel, str, str]:
        """The model the tab used last time (a trained run's, or a file), else the bundled one."""
        from seqtui_models.jazz import default_model, load_model

        return self.remembered_or_bundled(load_model, default_model)

    @handles("load")
    def _loaded_default(self, loaded: tuple[JazzModel, str, str]) -> None:
        model, source, problem = loaded
        self.say_where_the_model_is_from(source, problem)
        self.model = model

    def read_model_file(self, path: str) -> JazzModel:
        """A jazz model file (in a worker thread)."""
        from seqtui_models.jazz import load_model

        return load_model(path)

    def use_model(self, model: Any) -> None:
        """Improvise with ``model`` from now on."""
        self.model = model

    def watch_model_source(self) -> None:
        if self.model is not None:
            self.query_one("#jazz-model", Static).update(self.model.describe() + self.model_origin())

    @handles("load", "error")
    def _load_failed(self, error: BaseException) -> None:
        self.query_one("#jazz-model", Static).update("The bundled model could not be loaded: train one (t).")
        self._settle()

    def watch_model(self, model: JazzModel | None) -> None:
        if model is None:
            return
        self.query_one("#jazz-model", Static).update(model.describe() + self.model_origin())
        piece: Select[int] = self.query_one("#jazz-piece", Select)
        with piece.prevent(Select.Changed):  # one new solo below, not one more per option change
            piece.set_options([(p.name, i) for i, p in enumerate(model.pieces)])
            if model.pieces:
                piece.value = 0
        self.refresh_bindings()
        self.action_generate()

    # -- improvising -------------------------------------------------------------------------

    def _generate_config(self, new_seed: bool = True) -> GenerateConfig:
        from seqtui_models.jazz import check_chords

        chords = self.text("#jazz-chords") or None
        box = self.query_one("#jazz-chords", Input)
        try:
            if chords is not None:
                check_chords(chords)
        except InvalidInput:
            box.add_class("-invalid")
            raise
        box.remove_class("-invalid")
        piece = self.query_one("#jazz-piece", Select).value
        config = GenerateConfig(
            bars=self.number("#jazz-bars", "bars", low=1, high=256, blank=8),
            temperature=self.number("#jazz-temperature", "temperature", float, low=0, high=10),
            top_k=self.number("#jazz-top-k", "top-k", low=0, blank=0),
            chords=chords, piece=piece if isinstance(piece, int) else 0,
        )
        seed = self.number("#jazz-seed", "seed", blank=None)
        if seed is None:
            if new_seed or not self.draws:
                self.draws += 1  # each g draws afresh, yet a session replays the same solos
            seed = self.draws
        return replace(config, seed=seed).validated()

    def action_generate(self, new_seed: bool = True) -> None:
        """Improvise with the settings in the sidebar: a new solo, or (``new_seed=False``, after a
        setting changed) the same seed again, so the change is all that differs."""
        if self.model is None:
            return
        try:
            config = self._generate_config(new_seed)
        except SeqtuiError as exc:
            self.fail(exc, "improvising")
            return
        self._generate(self.model, config)

    @work(thread=True, exclusive=True, exit_on_error=False, group="generate")
    def _generate(self, model: JazzModel, config: GenerateConfig) -> Improvisation:
        from seqtui_models.jazz import generate

        return generate(model, config)

    @handles("generate")
    def _generated(self, improvisation: Improvisation) -> None:
        self.improvisation = improvisation
        self._settle()

    @handles("generate", "error")
    def _generate_failed(self, error: BaseException) -> None:
        self._settle()

    def watch_improvisation(self) -> None:
        self.refresh_bindings()

    def action_temperature(self, delta: int) -> None:
        """Move the temperature to the next step and improvise again."""
        self._step("#jazz-temperature", TEMPERATURES, delta, 0.7)

    def action_bars(self, delta: int) -> None:
        """Fewer or more bars, and improvise again."""
        self._step("#jazz-bars", BAR_CHOICES, delta, 8)

    def _step(self, selector: str, choices: Sequence[float], delta: int, fallback: float) -> None:
        """Put the field on the choice ``delta`` steps from the one nearest its value; improvise."""
        box = self.query_one(selector, Input)
        try:
            current = float(box.value)
        except ValueError:
            current = fallback
        index = min(range(len(choices)), key=lambda i: abs(choices[i] - current))
        index = max(0, min(len(choices) - 1, index + delta))
        box.value = f"{choices[index]:g}"
        self.action_generate(new_seed=False)

    @on(Input.Submitted, IMPROVISE_FIELDS)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_generate(new_seed=False)

    @on(Select.Changed, "#jazz-piece")
    def _piece_changed(self, event: Select.Changed) -> None:
        if self.improvisation is not None and isinstance(event.value, int):
            self.query_one("#jazz-chords", Input).value = ""
            self.action_generate()

    # -- playing and exporting ---------------------------------------------------------------

    def action_play(self) -> None:
        """Play the solo, or stop it if it is playing."""
        self.query_one(SoloView).toggle_play()

    @on(PlaybackUnavailable)
    def _no_sound(self, message: PlaybackUnavailable) -> None:
        """No audio here: say so once, and keep the solo as a WAV file instead."""
        message.stop()
        path = self._export("wav")
        where = f" The solo is saved as {path}." if path else ""
        if not self.audio_warned:
            self.audio_warned = True
            self.notify(f"{message.error or 'Playback is unavailable.'}{where}", title="No sound", severity="warning",
                        timeout=10)
        elif path:
            self.notify(f"No sound here; saved {path}.", timeout=4)

    def _export(self, kind: str) -> Path | None:
        """Write the solo as ``kind`` ("midi" or "wav") where the 'save' field says; None if it cannot."""
        if self.improvisation is None:
            return None
        try:
            return export_solo(self.improvisation, kind, self.text("#jazz-save"))
        except SeqtuiError as exc:
            self.fail(exc, f"exporting {kind}")
            return None

    def action_export(self, kind: str) -> None:
        """Write the solo as a MIDI or WAV file and say where."""
        path = self._export(kind)
        if path is not None:
            self.notify(f"Saved {path}", title=f"{kind.upper()} written", timeout=6)

    # -- the music to learn from -------------------------------------------------------------

    def action_open_file(self) -> None:
        """Put the cursor in the 'file' field."""
        self.query_one("#jazz-file", Input).focus()

    def action_read_file(self) -> None:
        """Read the file in the 'file' field and list its tracks (empty: back to the ragtime corpus)."""
        text = self.text("#jazz-file")
        if text:
            self.reading = ReadProgress(Path(text).name, 0, 0)  # the Music view says so at once, track by track
            self.show_view("jazz-view-music")
            self._open(text)
        else:
            self.music = None
            self.melody_track = self.chord_track = None

    @on(Input.Submitted, "#jazz-file")
    def _file_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_read_file()

    @work(thread=True, exclusive=True, exit_on_error=False, group="open")
    def _open(self, path: str) -> Any:
        from seqtui_models.jazz import open_music

        def progressed(progress: ReadProgress) -> None:
            self.post_message(MusicReadProgressed(progress))

        return open_music(Path(path).expanduser(), on_progress=progressed)

    @on(MusicReadProgressed)
    def _read_progressed(self, message: MusicReadProgressed) -> None:
        message.stop()
        if self.reading is not None and message.progress.file == self.reading.file:  # not a file read before
            self.reading = message.progress

    @handles("open", "error")
    @handles("open", "cancelled")
    def _open_ended(self, error: BaseException | None = None) -> None:
        self.reading = None

    @handles("open")
    def _opened(self, music: Any) -> None:
        self.reading = None
        self.music = music
        self.melody_track = music.melody
        self.chord_track = None
        self.show_view("jazz-view-music")

    @on(TracksChosen)
    def _tracks_chosen(self, message: TracksChosen) -> None:
        message.stop()
        self.melody_track = message.melody
        self.chord_track = message.chords

    # -- training ----------------------------------------------------------------------------

    @on(TrainingPanel.StartRequested)
    def _start_training(self, message: TrainingPanel.StartRequested) -> None:
        from seqtui_models.core.training import TrainingJob
        from seqtui_models.jazz import preset_config

        try:
            path = self.text("#jazz-file") or None
            if path is not None and (self.music is None or Path(self.music.path) != Path(path).expanduser()):
                raise InvalidInput(f"Press enter in the 'file' field to read {path} first, then choose its tracks.")
            config = preset_config(
                self.choice("#jazz-preset"), midi=str(Path(path).expanduser()) if path else None,
                track=self.melody_track if path else None, chord_track=self.chord_track if path else None,
                epochs=self.number("#jazz-epochs", "epochs", low=1, blank=None),
                seed=self.number("#jazz-train-seed", "seed", blank=None),
            )
        except SeqtuiError as exc:
            self.fail(exc, "training")
            return
        if path is None and self.music is not None:
            self.music = None  # an emptied 'file' field: the corpus, as the views will say
            self.melody_track = self.chord_track = None
        music = Path(path).name if path else "the ragtime corpus"
        message.panel.border_title = f"LSTM n_a={config.n_a} ({config.preset}, {config.epochs} epochs) on {music}"
        # Keras trains in a thread of this process: TensorFlow releases the GIL while it computes.
        message.panel.start(TrainingJob("seqtui_models.jazz:train", config, isolate=False))

    @on(Select.Changed, "#jazz-preset")
    def _preset_changed(self, event: Select.Changed) -> None:
        from seqtui_models.jazz import PRESETS

        if isinstance(event.value, str) and event.value in PRESETS:
            self.fill_fields(PRESETS[event.value], epochs="#jazz-epochs")

    @on(TrainingFinished)
    def _trained(self, message: TrainingFinished) -> None:
        """Adopt the trained model if it learned other music, or the same music at least as well; else ask."""
        result = message.result
        model = self.trained_model(result)
        if not isinstance(model, JazzModel):
            return
        current = self.model
        loss = current.metrics.get("loss") if current is not None and learned_same_music(current, model) else None
        scored = replace(result, metrics={**result.metrics, "loss": model.metrics.get("loss", result.loss)})
        self.offer_model(
            scored, adopt=lambda: self._adopt(model, scored), metric="loss",
            current=float(loss) if isinstance(loss, (int, float)) else None, higher_is_better=False,
            label="loss", show=lambda value: f"{value:.3f} nats/value",
        )

    def _adopt(self, model: JazzModel, result: RunResult) -> None:
        self.adopted_from(result)
        self.model = model
        self.notify(f"Now improvising with the new model ({model.n_values} values, loss "
                    f"{result.metrics['loss']:.3f} nats/value).", title="Training " + result.status)
