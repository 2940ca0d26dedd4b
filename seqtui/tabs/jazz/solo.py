"""Provides the jazz tab's Solo view: the piano roll, the solo's statistics and values, and playback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Static, TabPane
from textual.worker import Worker, WorkerState

from seqtui.messages import TaskFailed
from seqtui.tabs.jazz.stats import stats_frame, stats_line, stats_table
from seqtui.text import plural
from seqtui.widgets.piano_roll import PianoRoll
from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz import Improvisation, Player, Solo

PLAYHEAD_HZ = 20
"""How often the playhead moves while a solo plays."""

KEYS = Text.assemble(
    ("g", "bold"), (" improvise  ", "dim"), ("space", "bold"), (" play/stop  ", "dim"),
    (", .", "bold"), (" temperature  ", "dim"), ("- +", "bold"), (" bars  ", "dim"),
    ("m w", "bold"), (" MIDI/WAV  ", "dim"), ("v", "bold"), (" view  ", "dim"),
    ("t", "bold"), (" train  ", "dim"), ("esc", "bold"), (" leave a field", "dim"),
)
"""The line above the roll: the view's keys."""


@dataclass
class PlaybackUnavailable(Message):
    """A solo could not be played here (no audio library or device); the tab keeps it as a WAV file.

    Attributes:
        error: Why, in words (``None`` if the player did not say).
    """

    error: str | None


def solo_stem(improvisation: Improvisation) -> str:
    """The default file name of a solo, without suffix: its seed, temperature and bars, and six hex
    digits of a hash of its notes and chords. Another solo never takes an earlier one's name (the
    same seed at another temperature is another solo), and its MIDI and WAV share one stem."""
    import hashlib

    cfg, solo = improvisation.config, improvisation.solo
    digest = hashlib.sha256(repr((solo.notes, solo.chords, solo.tempo)).encode()).hexdigest()[:6]
    return f"jazz-solo-s{cfg.seed}-T{cfg.temperature:g}-{solo.bars}bars-{digest}"


def export_solo(improvisation: Improvisation, kind: str, save: str) -> Path:
    """Write a solo as a MIDI (``kind`` "midi") or WAV file and return where.

    Args:
        improvisation: The solo.
        kind: "midi" or "wav".
        save: What the 'save' field says: a file (its suffix is replaced), a folder (ending in
            ``/`` or existing), or empty for the ``solos`` folder of the seqtui home.

    Raises:
        SeqtuiError: the solo cannot be written (an unwritable place, as InvalidInput).
    """
    from seqtui_models.core.paths import user_models_dir
    from seqtui_models.jazz import export_midi, export_wav

    suffix = ".mid" if kind == "midi" else ".wav"
    name = solo_stem(improvisation) + suffix
    path = Path(save).expanduser() if save else user_models_dir().parent / "solos" / name
    if save and (path.is_dir() or save.endswith("/")):
        path = path / name
    elif save:
        path = path.with_suffix(suffix)
    try:
        if kind == "midi":
            return export_midi(improvisation, path)
        return Path(export_wav(improvisation, path).path)
    except OSError as exc:
        raise InvalidInput(f"Cannot write the {kind.upper()} file: {exc.strerror or exc} — choose another place "
                           "in the 'save' field.") from exc


def solo_summary(improvisation: Improvisation) -> Text:
    """The lines under the roll: the solo's size and settings, its chords, statistics and values."""
    cfg, solo = improvisation.config, improvisation.solo
    return Text.assemble(
        (plural(len(solo.melody), "note"), "bold"),
        (f", {cfg.bars} bars at T={cfg.temperature:g}", ""), (f", top-k {cfg.top_k or 'all'}", ""),
        (f", seed {cfg.seed}", ""), (f", {solo.seconds:.1f} s", ""),
        (f" · made in {improvisation.seconds * 1000:.0f} ms", "dim"), ("\n", ""),
        ("chords: ", "dim"), (improvisation.chords, ""), ("\n", ""),
        ("stats: ", "dim"), (stats_line(improvisation), ""), ("\n", ""),
        ("values: ", "dim"), (" ".join(improvisation.values), ""),
    )


class SoloView(TabPane):
    """The solo on a piano roll with its statistics; plays it with a moving playhead.

    The tab hands down :attr:`improvisation`; a new one stops the playing one. When the solo
    cannot be played here, the view posts :class:`PlaybackUnavailable`.
    """

    DEFAULT_CSS = """
    SoloView #jazz-settings {
        height: 1;
        padding: 0 1;
    }
    SoloView #jazz-solo-row {
        height: 1fr;
    }
    SoloView #jazz-roll {
        width: 1fr;
        border: round $primary 40%;
        &:focus {
            border: round $accent;
        }
    }
    SoloView #jazz-stats {
        width: 34;
        height: auto;
        padding: 0 1;
    }
    SoloView #jazz-values {
        height: 6;
        padding: 0 1;
        color: $text-muted;
        border-top: hkey $primary 30%;
    }
    SoloView.-compact #jazz-values {
        display: none;  /* its figures ride on the roll's frame */
    }
    SoloView.-compact #jazz-roll {
        border-title-color: $text;
        border-subtitle-color: $text;
    }
    """

    improvisation: reactive[Improvisation | None] = reactive(None, init=False, always_update=True)
    """The solo shown (the tab's)."""
    compact: reactive[bool] = reactive(False, init=False)
    """Too short for the text under the roll (an 80×24 terminal): the roll takes its lines, and the
    solo's figures go on the roll's frame (the tab's)."""

    def __init__(self, *, id: str) -> None:
        super().__init__("Solo", id=id)
        self.player: Player | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(KEYS, id="jazz-settings")
        with Horizontal(id="jazz-solo-row"):
            yield PianoRoll(id="jazz-roll")
            yield Static("", id="jazz-stats")
        yield Static("", id="jazz-values")

    def watch_improvisation(self, improvisation: Improvisation | None) -> None:
        self.stop()
        self.query_one(PianoRoll).show(improvisation.solo if improvisation else None)
        self.query_one("#jazz-stats", Static).update(stats_table(improvisation) if improvisation else "")
        self.query_one("#jazz-values", Static).update(solo_summary(improvisation) if improvisation else "")
        self._frame()

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
        self._frame()

    def _frame(self) -> None:
        """The solo's figures on the roll's frame when compact, else a bare frame."""
        roll = self.query_one(PianoRoll)
        if self.compact and self.improvisation is not None:
            roll.border_title, roll.border_subtitle = stats_frame(self.improvisation)
        else:
            roll.border_title = roll.border_subtitle = None

    # -- playing -----------------------------------------------------------------------------

    @property
    def playing(self) -> bool:
        """Whether a solo is playing."""
        return self.player is not None and self.player.playing

    def toggle_play(self) -> None:
        """Play the solo, or stop it if it is playing."""
        if self.playing:
            self.stop()
        elif self.improvisation is not None:
            self._play(self.improvisation.solo)

    @work(thread=True, exclusive=True, exit_on_error=False, group="play")
    def _play(self, solo: Solo) -> tuple[bool, str | None]:
        if self.player is None:
            self.player = Player()
        started = self.player.play(solo)
        return started, self.player.error

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Move the playhead once the sound started; else say why it cannot."""
        worker = event.worker
        if worker.group != "play":
            return
        if event.state == WorkerState.SUCCESS:
            started, error = worker.result  # type: ignore[misc]
            if started:
                self._stop_timer()
                self._timer = self.set_interval(1 / PLAYHEAD_HZ, self._tick)
            else:
                self.post_message(PlaybackUnavailable(error))
        elif event.state == WorkerState.ERROR and worker.error is not None:
            self.post_message(TaskFailed(worker.error, "playing"))

    def _tick(self) -> None:
        position = self.player.position if self.player is not None else None
        self.query_one(PianoRoll).set_playhead(position)
        if position is None:
            self._stop_timer()

    def _stop_timer(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.stop()

    def stop(self) -> None:
        """Stop the sound and hide the playhead."""
        if self.player is not None:
            self.player.stop()
        self._stop_timer()
        for roll in self.query(PianoRoll):
            roll.set_playhead(None)

    def on_unmount(self) -> None:
        """Never leave sound playing behind a closed tab."""
        if self.player is not None:
            self.player.stop()
