"""Provides the jazz tab: an LSTM improvises over chords; see it on a piano roll, hear it, export it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Input, Label, Select, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from seqtui_models.core.errors import InvalidInput, SeqtuiError
from seqtui.messages import TaskFailed, TrainingFinished
from seqtui.tabs.training_keys import TRAINING_BINDINGS, TrainingKeys
from seqtui.widgets.form import field, read_number
from seqtui.widgets.loading import DeferredImport, importing
from seqtui.widgets.piano_roll import PianoRoll
from seqtui.widgets.training_panel import TrainingPanel

HELP = r"""
# Jazz — an LSTM improvises over chords

The model does not see notes but **musical values** (deepjazz's grammar, as in the course):
each note or rest of a melody becomes `KIND,DURATION,<UPPER,LOWER>`, e.g. `C,0.250,<m2,P-4>`.

| kind | the note, over the chord sounding at its start |
| --- | --- |
| C | a chord tone |
| S | a tone of the chord's scale (maj7: Ionian, m7: Dorian, 7: Mixolydian …) |
| A | an approach tone: a semitone from a chord tone |
| X | anything else |
| R | a rest |

DURATION is in quarter notes; `<UPPER,LOWER>` is the interval from the previous note ± a minor
third (m2 = +1 semitone, P-4 = −5). To play values, each is turned back into the pitch of its
kind, within its bounds, nearest where the interval points — over *any* chords.

## The model (the course's)
    x⟨t⟩ one-hot value,  a⟨t⟩, c⟨t⟩ = LSTM_cell(x⟨t⟩, a⟨t−1⟩, c⟨t−1⟩)      n_a = 64
    ŷ⟨t⟩ = softmax(Wy a⟨t⟩ + by)          the probability of each value next
Training: 60 random windows of Tx = 30 values, the target at t is the value at t + 1;
cross-entropy, Adam (lr 0.01). Preset **course** unrolls the cell 30 times (djmodel, 100
epochs); **fast** runs the same model with Keras' loop for 25 epochs (it copies less).

## Improvising
From a⟨0⟩ = c⟨0⟩ = 0 and x⟨0⟩ = 0, each value is drawn from softmax(z / T) and fed back.
T = 0 is greedy (the course's argmax), T = 1 the model's own odds; top-k keeps the k likeliest.
The statistics compare the solo with the training music: the share of chord, scale and approach
tones, the range, notes per bar, and the **longest run of values copied** from the training
music (long runs mean the model is replaying what it learned).

## Music
Empty *file*: the ragtime in music21's corpus (Maple Leaf Rag, Alexander's Ragtime Band). Type a
MIDI or MusicXML path and press enter: its tracks are listed in the Music view; enter on a track
makes it the melody, c takes the chords from it (else: chord symbols, the other tracks, or the
melody itself). Then train (t). Keras loads when the first training starts (a few seconds);
improvising needs only numpy.

## Keys
| key | does |
| --- | --- |
| g | improvise a new solo (enter in a field does too) |
| space | play / stop (a moving playhead) |
| , / . | temperature down / up |
| - / + | fewer / more bars |
| m / w | export MIDI / WAV |
| v | next view: Solo, Music, Train |
| f | type a MIDI / MusicXML file to learn from (enter lists its tracks) |
| enter / c / a | Music view: melody track / chord track / automatic choice |
| ← / → | scroll the piano roll by a bar |
| t / p / s | train / pause–resume / stop |
| escape | leave a field (then the keys above work) |
"""

VIEWS = ("jazz-view-solo", "jazz-view-music", "jazz-view-train")
TEMPERATURES = (0.0, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, 2.0)
BAR_CHOICES = (2, 4, 8, 12, 16, 24, 32)
PLAYHEAD_HZ = 20


class JazzTab(TrainingKeys):
    """The jazz tab: music in, train, improvise, piano roll, play, export, statistics."""

    HELP = HELP

    BINDINGS = [
        Binding("g", "generate", "Improvise"),
        Binding("space", "play", "Play/Stop"),
        Binding("comma", "temperature(-1)", "Temp −", show=False),
        Binding("full_stop", "temperature(1)", "Temp +", show=False),
        Binding("minus", "bars(-1)", "Fewer bars", show=False),
        Binding("plus,equals_sign", "bars(1)", "More bars", show=False),
        Binding("m", "export('midi')", "MIDI"),
        Binding("w", "export('wav')", "WAV"),
        Binding("v", "next_view", "View"),
        Binding("f", "open_file", "File", show=False),
        Binding("c", "chord_track", "Chord track", show=False),
        Binding("a", "auto_tracks", "Auto tracks", show=False),
        Binding("escape", "leave_field", "Leave field", show=False),
        *TRAINING_BINDINGS,
    ]

    COMMANDS_PALETTE = (
        ("Jazz: improvise", "Generate a new solo with the current settings", "generate"),
        ("Jazz: play / stop", "Play the solo (or stop it)", "play"),
        ("Jazz: export MIDI", "Write the solo and its chords as a MIDI file", "export('midi')"),
        ("Jazz: export WAV", "Write the solo and its chords as a WAV file", "export('wav')"),
        ("Jazz: train", "Train the LSTM on the chosen music", "train"),
    )

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="task-tab")
        self.model: Any = None
        self.improvisation: Any = None
        self.music: Any = None  # the parsed user file (seqtui_models.jazz.music.MusicFile) or None
        self.melody_track: int | None = None
        self.chord_track: int | None = None
        self.player: Any = None
        self.audio_warned = False
        self.draws = 0
        self._playhead_timer: Timer | None = None
        self._ready = asyncio.Event()

    # -- layout ----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # music21 reads and writes the music. Keras is not needed to improvise (the bundled model's
        # weights are read from its archive, the LSTM runs in numpy): importing TensorFlow holds the
        # GIL for seconds and would freeze the app as the tab opens, so it loads when training starts.
        yield Static("Loading music21… (first use only)", id="jazz-wait")

    def on_mount(self) -> None:
        """Paint the tab first, then import music21 in a thread (the import competes for the GIL)."""
        self.call_after_refresh(self._start_import)

    async def _start_import(self) -> None:
        await self.mount(DeferredImport(importing("h5py", "music21"), self._content, "music21", id="jazz-loading"))
        for wait in self.query("#jazz-wait"):
            await wait.remove()

    def _content(self) -> Widget:
        """The tab's real content, built once Keras and music21 are imported."""
        return JazzContent(id="jazz-content")

    @on(DeferredImport.Loaded)
    def _imported(self, event: DeferredImport.Loaded) -> None:
        event.stop()
        table = self.query_one("#jazz-tracks", DataTable)
        for label, width in (("#", 2), ("track", 18), ("instrument", 14), ("notes", 6), ("range", 9),
                             ("at once", 7), ("role", 10)):
            table.add_column(label, width=width)
        self._show_settings()
        self._show_music()
        self._ready.set()
        self.query_one("#jazz-roll", PianoRoll).focus()
        self.refresh_bindings()
        self._load_default()

    def on_resize(self, event: Any) -> None:
        """Below 100 columns the sidebar narrows and the statistics move into the text below the roll."""
        self.set_class(event.size.width < 100, "-narrow")

    async def wait_ready(self) -> None:
        """Wait until the content is mounted, the bundled model loaded and a first solo shown."""
        await self._ready.wait()
        while self.model is None or self.improvisation is None:
            await asyncio.sleep(0.02)

    def focus_default(self) -> None:
        """Focus the piano roll (once it exists), so the tab's keys work at once."""
        for roll in self.query("#jazz-roll"):
            roll.focus()

    # -- helpers ---------------------------------------------------------------------------

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value.strip()

    def _int(self, selector: str, name: str, default: int | None = None) -> int | None:
        return read_number(self._value(selector), name, blank=default)  # type: ignore[no-any-return]

    def _float(self, selector: str, name: str) -> float:
        return float(read_number(self._value(selector), name, float))

    def _fail(self, error: BaseException, source: str) -> None:
        self.post_message(TaskFailed(error, source))

    def _show_settings(self) -> None:
        self.query_one("#jazz-settings", Static).update(Text.assemble(
            ("g", "bold"), (" improvise  ", "dim"), ("space", "bold"), (" play/stop  ", "dim"),
            (", .", "bold"), (" temperature  ", "dim"), ("- +", "bold"), (" bars  ", "dim"),
            ("m w", "bold"), (" MIDI/WAV  ", "dim"), ("v", "bold"), (" view  ", "dim"),
            ("t", "bold"), (" train  ", "dim"), ("esc", "bold"), (" leave a field", "dim"),
        ))

    def _show_view(self, view: str) -> None:
        self.query_one("#jazz-views", TabbedContent).active = view
        target = {"jazz-view-solo": "#jazz-roll", "jazz-view-music": "#jazz-tracks", "jazz-view-train": "#jazz-train"}[view]
        for widget in self.query(target):
            widget.focus()

    # -- the model -------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="jazz-load")
    def _load_default(self) -> Any:
        from seqtui_models import jazz

        return jazz.default_model()

    def _set_model(self, model: Any) -> None:
        self.model = model
        self.query_one("#jazz-model", Static).update(model.describe())
        piece = self.query_one("#jazz-piece", Select)
        piece.set_options([(p.name, i) for i, p in enumerate(model.pieces)])
        if model.pieces:
            piece.value = 0
        self.action_generate()

    # -- improvising -----------------------------------------------------------------------

    def _generate_config(self) -> Any:
        from seqtui_models.jazz import GenerateConfig, check_chords

        chords = self._value("#jazz-chords") or None
        if chords is not None:
            check_chords(chords)
        piece = self.query_one("#jazz-piece", Select).value
        seed = self._int("#jazz-seed", "seed")
        if seed is None:
            self.draws += 1  # each press draws afresh, yet a session replays the same solos
            seed = self.draws
        return GenerateConfig(
            bars=self._int("#jazz-bars", "bars", 8) or 8, temperature=self._float("#jazz-temperature", "temperature"),
            top_k=self._int("#jazz-top-k", "top-k", 0) or 0, seed=seed, chords=chords,
            piece=piece if isinstance(piece, int) else 0,
        )

    def action_generate(self) -> None:
        """Improvise a new solo with the settings in the sidebar."""
        if self.model is None:
            return
        try:
            config = self._generate_config().validated()
        except SeqtuiError as exc:
            self._fail(exc, "improvising")
            return
        self._stop_playing()
        self._generate(config)

    @work(thread=True, exclusive=True, exit_on_error=False, group="jazz-generate")
    def _generate(self, config: Any) -> Any:
        from seqtui_models import jazz

        return jazz.generate(self.model, config)

    def _show_solo(self, improvisation: Any) -> None:
        self.improvisation = improvisation
        self.query_one("#jazz-roll", PianoRoll).show(improvisation.solo)
        self.query_one("#jazz-stats", Static).update(stats_table(improvisation))
        cfg = improvisation.config
        head = Text.assemble(
            (f"{len(improvisation.solo.melody)} notes", "bold"),
            (f", {cfg.bars} bars at T={cfg.temperature:g}", ""), (f", top-k {cfg.top_k or 'all'}", ""),
            (f", seed {cfg.seed}", ""), (f", {improvisation.solo.seconds:.1f} s", ""),
            (f" · made in {improvisation.seconds * 1000:.0f} ms", "dim"), ("\n", ""),
            ("chords: ", "dim"), (improvisation.chords, ""), ("\n", ""),
            ("stats: ", "dim"), (stats_line(improvisation), ""), ("\n", ""),
            ("values: ", "dim"), (" ".join(improvisation.values), ""),
        )
        self.query_one("#jazz-values", Static).update(head)

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
        self.action_generate()

    @on(Input.Submitted, "#jazz-bars, #jazz-temperature, #jazz-top-k, #jazz-seed, #jazz-chords")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_generate()

    @on(Select.Changed, "#jazz-piece")
    def _piece_changed(self, event: Select.Changed) -> None:
        if self.model is not None and self.improvisation is not None and isinstance(event.value, int):
            self.query_one("#jazz-chords", Input).value = ""
            self.action_generate()

    def action_leave_field(self) -> None:
        """Leave a field: the focus goes to the current view, where the tab's keys work."""
        if isinstance(self.app.focused, Input):
            self._show_view(self.query_one("#jazz-views", TabbedContent).active or VIEWS[0])

    # -- playing ---------------------------------------------------------------------------

    def action_play(self) -> None:
        """Play the solo, or stop it if it is playing."""
        if self.improvisation is None:
            return
        if self.player is not None and self.player.playing:
            self._stop_playing()
            return
        self._play(self.improvisation.solo)

    @work(thread=True, exclusive=True, exit_on_error=False, group="jazz-play")
    def _play(self, solo: Any) -> tuple[bool, str | None]:
        from seqtui_models.jazz import Player

        if self.player is None:
            self.player = Player()
        started = self.player.play(solo)
        return started, self.player.error

    def _played(self, started: bool, error: str | None) -> None:
        if started:
            self._stop_timer()
            self._playhead_timer = self.set_interval(1 / PLAYHEAD_HZ, self._tick)
            return
        # No audio here: say so once, and keep the solo as a WAV file instead.
        path = self._export("wav")
        where = f" The solo is saved as {path}." if path else ""
        if not self.audio_warned:
            self.audio_warned = True
            self.notify(f"{error or 'Playback is unavailable.'}{where}", title="No sound", severity="warning", timeout=10)
        elif path:
            self.notify(f"No sound here; saved {path}.", timeout=4)

    def _tick(self) -> None:
        position = self.player.position if self.player is not None else None
        self.query_one("#jazz-roll", PianoRoll).set_playhead(position)
        if position is None:
            self._stop_timer()

    def _stop_timer(self) -> None:
        timer, self._playhead_timer = self._playhead_timer, None
        if timer is not None:
            timer.stop()

    def _stop_playing(self) -> None:
        if self.player is not None:
            self.player.stop()
        self._stop_timer()
        for roll in self.query("#jazz-roll"):
            roll.set_playhead(None)  # type: ignore[attr-defined]

    def on_unmount(self) -> None:
        """Never leave sound playing behind a closed tab."""
        if self.player is not None:
            self.player.stop()

    # -- exporting -------------------------------------------------------------------------

    def _export_path(self, kind: str) -> Path:
        from seqtui_models.core.paths import user_models_dir

        suffix = ".mid" if kind == "midi" else ".wav"
        seed = self.improvisation.config.seed
        text = self._value("#jazz-save")
        if text:
            path = Path(text).expanduser()
            if path.is_dir() or text.endswith("/"):
                return path / f"jazz-solo-{seed}{suffix}"
            return path.with_suffix(suffix)
        return user_models_dir().parent / "solos" / f"jazz-solo-{seed}{suffix}"

    def _export(self, kind: str) -> Path | None:
        from seqtui_models import jazz

        if self.improvisation is None:
            return None
        try:
            path = self._export_path(kind)
            if kind == "midi":
                return jazz.export_midi(self.improvisation, path)
            return Path(jazz.export_wav(self.improvisation, path).path)
        except SeqtuiError as exc:
            self._fail(exc, f"exporting {kind}")
        except OSError as exc:
            self._fail(InvalidInput(f"Cannot write the {kind.upper()} file: {exc.strerror or exc} — choose another "
                                    "place in the 'save' field."), f"exporting {kind}")
        return None

    def action_export(self, kind: str) -> None:
        """Write the solo as a MIDI or WAV file and say where."""
        if self.improvisation is None:
            return
        path = self._export(kind)
        if path is not None:
            self.notify(f"Saved {path}", title=f"{kind.upper()} written", timeout=6)

    # -- music in --------------------------------------------------------------------------

    def action_open_file(self) -> None:
        """Put the cursor in the 'file' field."""
        self.query_one("#jazz-file", Input).focus()

    @on(Input.Submitted, "#jazz-file")
    def _file_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self.music = None
            self.melody_track = self.chord_track = None
            self._show_music()
            return
        self._open(text)

    @work(thread=True, exclusive=True, exit_on_error=False, group="jazz-open")
    def _open(self, path: str) -> Any:
        from seqtui_models.jazz import open_music

        return open_music(Path(path).expanduser())

    def _set_music(self, music: Any) -> None:
        self.music = music
        self.melody_track = music.melody
        self.chord_track = None
        self._show_music()
        if music.melody:
            self.query_one("#jazz-tracks", DataTable).move_cursor(row=music.melody - 1)
        self._show_view("jazz-view-music")

    def _show_music(self) -> None:
        table = self.query_one("#jazz-tracks", DataTable)
        cursor = table.cursor_row
        table.clear()
        info = self.query_one("#jazz-music-info", Static)
        hint = self.query_one("#jazz-music-hint", Static)
        if self.music is None:
            info.update(Text.assemble(
                ("Training music: ", "dim"), ("the ragtime in music21's corpus", "bold"), ("\n", ""),
                ("Maple Leaf Rag (Joplin, 1899): the right hand's top line over chords named from the left hand; "
                 "Alexander's Ragtime Band (Berlin, 1911): a lead sheet, melody and chord symbols.", ""),
            ))
            hint.update("Type a MIDI or MusicXML path in the 'file' field and press enter to list its tracks.")
            return
        for track in self.music.tracks:
            role = ""
            if track.number == self.melody_track:
                role = "melody"
            if track.number == self.chord_track:
                role = "chords" if not role else role + "+chords"
            if track.drums:
                role = role or "drums"
            table.add_row(str(track.number), track.name, track.instrument or "–", str(track.notes), track.range_text,
                          str(track.polyphony), Text(role, style="bold" if role else ""), key=str(track.number))
        table.move_cursor(row=max(0, min(cursor, table.row_count - 1)))  # the choice keeps its place
        chords = f"track {self.chord_track}" if self.chord_track else (
            "the chord symbols in the file" if self.music.has_chord_symbols else "the other tracks (or the melody itself)")
        info.update(Text.assemble(
            (f"{self.music.title}", "bold"), (f" — {len(self.music.tracks)} track(s), {self.music.beats_per_bar} "
                                              f"quarters per bar, {self.music.tempo:g} bpm\n", ""),
            ("melody: ", "dim"), (f"track {self.melody_track}" if self.melody_track else "none", "bold"),
            (f" ({self.music.reason})" if self.melody_track == self.music.melody else " (your choice)", "dim"),
            ("   chords from: ", "dim"), (chords, "bold"),
        ))
        hint.update("↑/↓ choose · enter: melody track · c: chord track · a: automatic · then t trains on it")

    def _selected_track(self) -> int | None:
        table = self.query_one("#jazz-tracks", DataTable)
        if self.music is None or table.row_count == 0 or table.cursor_row < 0:
            return None
        return int(self.music.tracks[min(table.cursor_row, len(self.music.tracks) - 1)].number)

    @on(DataTable.RowSelected, "#jazz-tracks")
    def _track_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        number = self._selected_track()
        if number is None:
            return
        if self.music.track(number).drums:
            self.notify(f"Track {number} is a drum track — pick a pitched track for the melody.", severity="warning")
            return
        self.melody_track = number
        self._show_music()

    def action_chord_track(self) -> None:
        """Music view: take the chords from the highlighted track (press again to undo)."""
        number = self._selected_track()
        if number is None or self.query_one("#jazz-views", TabbedContent).active != "jazz-view-music":
            return
        if self.music.track(number).drums:
            self.notify(f"Track {number} is a drum track — pick a pitched track for the chords.", severity="warning")
            return
        self.chord_track = None if self.chord_track == number else number
        self._show_music()

    def action_auto_tracks(self) -> None:
        """Music view: back to the heuristic's melody and automatic chords."""
        if self.music is None:
            return
        self.melody_track = self.music.melody
        self.chord_track = None
        self._show_music()

    # -- views and training ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the tab's keys until its content is loaded; train/pause/stop as the panel says."""
        if not self._ready.is_set() and action not in ("leave_field",):
            return False
        if action in ("chord_track", "auto_tracks"):
            return self.music is not None
        return super().check_action(action, parameters)

    def action_next_view(self) -> None:
        """Cycle Solo → Music → Train."""
        active = self.query_one("#jazz-views", TabbedContent).active
        view = VIEWS[(VIEWS.index(active) + 1) % len(VIEWS)] if active in VIEWS else VIEWS[0]
        self._show_view(view)

    async def show_training_view(self) -> None:
        """Bring the Train view to the front."""
        await self._ready.wait()
        self._show_view("jazz-view-train")

    @on(TrainingPanel.StartRequested)
    def _start_training(self, message: TrainingPanel.StartRequested) -> None:
        from seqtui_models import jazz
        from seqtui_models.core.training import TrainingJob

        try:
            path = self._value("#jazz-file") or None
            if path is not None and (self.music is None or Path(self.music.path) != Path(path).expanduser()):
                raise InvalidInput(f"Press enter in the 'file' field to read {path} first, then choose its tracks.")
            preset = str(self.query_one("#jazz-preset", Select).value)
            config = jazz.preset_config(
                preset, midi=str(Path(path).expanduser()) if path else None,
                track=self.melody_track if path else None, chord_track=self.chord_track if path else None,
                epochs=self._int("#jazz-epochs", "epochs"), seed=self._int("#jazz-train-seed", "seed"),
            )
        except SeqtuiError as exc:
            self._fail(exc, "training")
            return
        music = Path(path).name if path else "the ragtime corpus"
        message.panel.border_title = f"LSTM n_a={config.n_a} ({config.preset}, {config.epochs} epochs) on {music}"
        # Keras trains in a thread of this process: TensorFlow releases the GIL while it computes.
        message.panel.start(TrainingJob("seqtui_models.jazz:train", config, isolate=False))

    @on(Select.Changed, "#jazz-preset")
    def _preset_changed(self, event: Select.Changed) -> None:
        from seqtui_models.jazz import PRESETS

        if isinstance(event.value, str) and event.value in PRESETS:
            self.query_one("#jazz-epochs", Input).value = str(PRESETS[event.value]["epochs"])

    @on(TrainingFinished)
    def _trained(self, message: TrainingFinished) -> None:
        result = message.result
        model = (result.payload or {}).get("model") if isinstance(result.payload, dict) else None
        if model is not None:
            self._set_model(model)
            self.notify(f"Now improvising with the new model ({model.n_values} values, loss "
                        f"{result.loss:.3f} nats/value).", title="Training " + result.status)

    # -- workers ---------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show results; send failures to the app's one handler."""
        worker = event.worker
        if worker.group not in ("jazz-load", "jazz-generate", "jazz-open", "jazz-play"):
            return
        if event.state == WorkerState.SUCCESS:
            try:
                if worker.group == "jazz-load":
                    self._set_model(worker.result)
                elif worker.group == "jazz-generate":
                    self._show_solo(worker.result)
                elif worker.group == "jazz-open":
                    self._set_music(worker.result)
                else:
                    started, error = worker.result  # type: ignore[misc]
                    self._played(started, error)
            except NoMatches:  # the tab closed meanwhile
                return
        elif event.state == WorkerState.ERROR and worker.error is not None:
            self._fail(worker.error, worker.group.replace("jazz-", ""))


class JazzContent(Horizontal):
    """The jazz tab's content: the sidebar and the Solo, Music and Train views."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="sidebar", id="jazz-form"):
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
        with TabbedContent(id="jazz-views"):
            with TabPane("Solo", id="jazz-view-solo"):
                yield Static("", id="jazz-settings")
                with Horizontal(id="jazz-solo-row"):
                    yield PianoRoll(id="jazz-roll")
                    yield Static("", id="jazz-stats")
                yield Static("", id="jazz-values")
            with TabPane("Music", id="jazz-view-music"):
                yield Static("", id="jazz-music-info")
                yield DataTable(id="jazz-tracks", cursor_type="row", zebra_stripes=True)
                yield Static("", id="jazz-music-hint")
            with TabPane("Train", id="jazz-view-train"):
                yield TrainingPanel(id="jazz-train")


def stats_line(improvisation: Any) -> str:
    """The statistics in one line (for narrow terminals, where the table is hidden)."""
    stats, train = improvisation.stats, improvisation.train_stats
    versus = f" (trained {train.chord_tones:.0%})" if train else ""
    return (f"chord tones {stats.chord_tones:.0%}{versus} · scale {stats.scale_tones:.0%} · approach "
            f"{stats.approach_tones:.0%} · {stats.notes_per_bar:.1f} notes/bar · longest copied run {stats.longest_copy}")


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def stats_table(improvisation: Any) -> Table:
    """The solo's statistics beside the training music's."""
    from seqtui_models.jazz import note_name

    stats, train = improvisation.stats, improvisation.train_stats
    table = Table(box=None, padding=(0, 1), title="statistics", title_justify="left", expand=False)
    table.add_column("", style="dim", no_wrap=True)
    table.add_column("solo", justify="right", no_wrap=True)
    table.add_column("trained", justify="right", style="dim", no_wrap=True)

    def pitch_range(s: Any) -> str:
        return "–" if s is None or s.low is None else f"{note_name(s.low)}–{note_name(s.high)}"

    rows = (
        ("chord tones", _share(stats.chord_tones), _share(train.chord_tones if train else None)),
        ("scale tones", _share(stats.scale_tones), _share(train.scale_tones if train else None)),
        ("approach", _share(stats.approach_tones), _share(train.approach_tones if train else None)),
        ("other", _share(stats.other_tones), _share(train.other_tones if train else None)),
        ("notes/bar", f"{stats.notes_per_bar:.1f}", f"{train.notes_per_bar:.1f}" if train else "–"),
        ("range", pitch_range(stats), pitch_range(train)),
        ("copied run", f"{stats.longest_copy}", ""),
    )
    for row in rows:
        table.add_row(*row)
    return table
