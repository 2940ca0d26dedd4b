"""Play a solo, a WAV file or samples through simpleaudio, with a playhead that follows the clock.

Playback uses simpleaudio (the optional ``audio`` extra: ``pip install 'seqtui[audio]'``).
simpleaudio is imported only inside functions, and whether a device answers is checked once, in
a child process, because simpleaudio can crash the whole interpreter on some systems and ALSA
prints its errors straight onto the terminal. :class:`Player` never raises for a missing
library or device: it records the message in ``player.error`` and ``play`` returns False.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Union

import numpy as np
from numpy.typing import NDArray

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.audio import synthesize
from seqtui_models.jazz.notes import Solo
from seqtui_models.jazz.wav import SAMPLE_RATE, check_sample_rate, read_wav, to_pcm16

AUDIO_EXTRA_MESSAGE = (
    "Playback needs the audio extra: pip install 'seqtui[audio]' (needs libasound2-dev). "
    "WAV export still works."
)
PROBE_TIMEOUT = 10.0  # seconds for the child process to open the device and play 10 ms

_status_lock = threading.Lock()
_status_checked = False
_status_message: str | None = None

_PROBE_CODE = """
import os, sys
try:
    import simpleaudio
    from simpleaudio._simpleaudio import SimpleaudioError
except ImportError as exc:
    print("import:" + str(exc)); sys.stdout.flush(); os._exit(0)
try:
    play = simpleaudio.play_buffer(bytes(2 * 441), 1, 2, 44100)  # 10 ms of silence
    play.wait_done()
except SimpleaudioError as exc:
    print("device:" + str(exc)); sys.stdout.flush(); os._exit(0)
print("ok"); sys.stdout.flush()
os._exit(0)  # skip interpreter teardown: simpleaudio has crashed there on some systems
"""


def _import_error() -> str | None:
    """Return None if simpleaudio imports in this process, else the audio-extra message."""
    try:
        import simpleaudio  # noqa: F401
        from simpleaudio._simpleaudio import SimpleaudioError  # noqa: F401
    except ImportError:
        return AUDIO_EXTRA_MESSAGE
    return None


def _probe_device() -> str | None:
    """Play 10 ms of silence in a child process; None if it worked, else the message to show.

    A child process keeps a crash in simpleaudio or ALSA's stderr chatter away from the app.
    """
    try:
        done = subprocess.run(
            [sys.executable, "-c", _PROBE_CODE],
            capture_output=True, text=True, timeout=PROBE_TIMEOUT, env=os.environ.copy(),
        )
    except subprocess.TimeoutExpired:
        return f"No audio device answered: it did not respond within {PROBE_TIMEOUT:.0f} s. WAV export still works."
    except OSError as exc:
        return f"No audio device answered: could not start the audio check ({exc}). WAV export still works."
    lines = done.stdout.strip().splitlines()
    answer = lines[-1] if lines else ""
    if answer == "ok":
        return None
    if answer.startswith("import:"):
        return AUDIO_EXTRA_MESSAGE
    if answer.startswith("device:"):
        return f"No audio device answered: {answer[len('device:'):].strip()}. WAV export still works."
    if done.returncode < 0:
        return (
            f"No audio device answered: simpleaudio crashed opening it (signal {-done.returncode}). "
            "WAV export still works."
        )
    return f"No audio device answered: the audio check failed (exit code {done.returncode}). WAV export still works."


def audio_status(refresh: bool = False) -> str | None:
    """Whether playback can work here: None if it can, else the one message to show the user.

    The check (simpleaudio imports here, and a child process can open the default device and
    play 10 ms of silence) runs once per process; later calls return the remembered answer.
    The first call blocks while the child runs (about 0.1 s here, at most ``PROBE_TIMEOUT``),
    so a TUI should make it from a worker; ``Player.play`` makes it too.

    Args:
        refresh: Check again (e.g. after plugging in headphones).
    """
    global _status_checked, _status_message
    with _status_lock:
        if refresh or not _status_checked:
            _status_message = _import_error() or _probe_device()
            _status_checked = True
        return _status_message


Playable = Union[Solo, str, Path, NDArray[np.floating]]


class Player:
    """Plays a solo, a WAV file or an array through simpleaudio, with a clock-based playhead.

    The playhead (``position``) follows the wall clock from the moment the device accepted the
    buffer, because simpleaudio reports only "playing or not". A device plays at its sample
    rate, so the clock is what the listener hears; ALSA's null device, which swallows the
    buffer at once, still gets a playhead that moves in real time.

    Never raises for a missing library or device: ``play`` returns False and ``error`` holds
    the message. Bad input (a broken WAV file, an empty solo) still raises the usual
    ``seqtui_models.core.errors`` exceptions.
    """

    def __init__(self, sample_rate: int = SAMPLE_RATE) -> None:
        """Create a player.

        Args:
            sample_rate: Rate for solos and for raw arrays passed to ``play``.
        """
        check_sample_rate(sample_rate)
        self.sample_rate = sample_rate
        self.error: str | None = None
        self.duration: float = 0.0
        self._play_object: object | None = None
        self._started: float | None = None
        self._lock = threading.Lock()

    def _samples(self, source: Playable) -> tuple[NDArray[np.float32], int]:
        """Turn what ``play`` was given into ``(frames, channels)`` samples and a rate."""
        if isinstance(source, Solo):
            if source.is_empty:
                raise InvalidInput("There is no solo to play — generate one first.")
            return synthesize(source, self.sample_rate)[:, None], self.sample_rate
        if isinstance(source, (str, Path)):
            return read_wav(source)
        array = np.asarray(source, dtype=np.float32)
        if array.ndim == 1:
            array = array[:, None]
        if array.ndim != 2 or array.shape[1] < 1:
            raise InvalidInput(f"Audio of shape {np.shape(source)} cannot be played — give (frames,) or (frames, channels).")
        return array, self.sample_rate

    def play(self, source: Playable) -> bool:
        """Start playing (stopping whatever was playing).

        Args:
            source: A Solo (synthesized), a WAV file path, or float samples in [−1, 1] at
                ``sample_rate`` (mono ``(n,)`` or ``(n, channels)``).

        Returns:
            True if playback started; False if audio is unavailable (see ``error``).

        Raises:
            InvalidInput: An empty solo or a badly shaped array.
            DataFileError: A missing or broken WAV file.
        """
        samples, rate = self._samples(source)
        self.stop()
        if samples.shape[1] > 2:
            samples = samples.mean(axis=1, keepdims=True)  # (n, 1) simpleaudio plays mono or stereo
        if samples.shape[0] == 0:
            raise InvalidInput("There is no audio to play — the input is empty.")  # simpleaudio crashes on it
        message = audio_status()
        if message is not None:
            self.error = message
            return False
        import simpleaudio
        from simpleaudio._simpleaudio import SimpleaudioError

        data = to_pcm16(samples)
        try:
            play_object = simpleaudio.play_buffer(data, int(samples.shape[1]), 2, rate)
        except SimpleaudioError as exc:
            self.error = f"No audio device answered: {exc}. WAV export still works."
            return False
        with self._lock:
            self._play_object = play_object
            self._started = time.monotonic()
            self.duration = samples.shape[0] / rate
        self.error = None
        return True

    def stop(self) -> None:
        """Stop playback (a no-op when nothing plays)."""
        with self._lock:
            play_object, self._play_object, self._started = self._play_object, None, None
        if play_object is not None:
            play_object.stop()  # type: ignore[attr-defined]

    @property
    def position(self) -> float | None:
        """Seconds since playback started, clamped to ``duration``; None when stopped or done."""
        with self._lock:
            started = self._started
        if started is None:
            return None
        elapsed = time.monotonic() - started
        if elapsed >= self.duration:
            return None
        return min(max(elapsed, 0.0), self.duration)

    @property
    def playing(self) -> bool:
        """True from a successful ``play`` until ``stop`` or the end of the audio."""
        return self.position is not None

    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback ends (or ``timeout`` seconds pass); True if it ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.playing:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(0.02)
        return True
