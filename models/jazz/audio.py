"""Hear a solo: a small numpy synthesizer, 16-bit WAV files, and playback through simpleaudio.

The synthesizer turns a :class:`~seqtui_models.jazz.notes.Solo` into samples without music21 or any
sound font. Each note is rendered on its own slice of the output, vectorised over its samples,
and added in; no Python loop ever runs per sample.

* Pitch to frequency (equal temperament): ``f = 440 · 2^((p − 69) / 12)``.
* Melody voice (an electric-piano-like additive tone): ``x(t) = Σ_k a_k · e^(−k·t/τ) ·
  sin(k·θ(t))`` for harmonics k = 1…5, so the upper harmonics die faster than the fundamental
  — a bright attack that mellows, as a struck tine does. Harmonics at or above 0.45·sr are
  dropped (no aliasing). The harmonics' sines come from one ``sin`` and one ``cos`` via the
  Chebyshev recurrence ``sin((k+1)θ) = 2·cos θ · sin(kθ) − sin((k−1)θ)``, their decays from
  one ``exp`` via ``e^(−k·t/τ) = (e^(−t/τ))^k``.
* Chord voice (a soft pad): a one-cycle wavetable of three harmonics under one envelope
  ``e^(−t/τ)``, read at each voicing pitch and summed, scaled by ``1/√n`` for an n-note
  voicing so that big chords do not drown the melody.
* Phase: a 32-bit integer accumulator, ``φ[n] = n · round(f/sr · 2³²) mod 2³²`` (a DDS
  oscillator), so the phase stays exact however long a chord is held and float32 suffices for
  everything after it; the wavetable index is the top 13 bits of φ.
* Envelope per note: a raised-cosine attack (5 ms melody, 25 ms chords), the decay above held
  until the note's end, then a raised-cosine release (60 ms / 150 ms) from wherever the
  envelope stands — so no note starts or stops with a click.
* Mix: a fixed master gain; only if the peak would exceed 0.95 is the whole mix scaled down to
  0.95 (peak normalisation without distortion), so the output never clips.

Playback uses simpleaudio (the optional ``audio`` extra: ``pip install 'seqtui[audio]'``).
simpleaudio is imported only inside functions, and whether a device answers is checked once, in
a child process, because simpleaudio can crash the whole interpreter on some systems and ALSA
prints its errors straight onto the terminal. :class:`Player` never raises for a missing
library or device: it records the message in ``player.error`` and ``play`` returns False.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import threading
import time
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import numpy as np
from numpy.typing import NDArray

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.jazz.notes import CHORD, Solo, pitch_frequency
from seqtui_models.core.paths import atomic_write

SAMPLE_RATE = 44100
HEADROOM = 0.95  # the loudest sample after mixing; 0.95 leaves room for resampling overshoot
MASTER_GAIN = 0.30  # one melody note at full velocity peaks near 0.3, so a few overlapping fit

AUDIO_EXTRA_MESSAGE = (
    "Playback needs the audio extra: pip install 'seqtui[audio]' (needs libasound2-dev). "
    "WAV export still works."
)
PROBE_TIMEOUT = 10.0  # seconds for the child process to open the device and play 10 ms


@dataclass(frozen=True)
class Voice:
    """The sound of one part: harmonic amplitudes, envelope times and level.

    Attributes:
        harmonics: Amplitude of harmonics 1, 2, 3 … relative to the fundamental.
        attack: Seconds of the raised-cosine fade-in.
        decay: τ (seconds) of the fundamental's exponential decay; harmonic k decays with τ/k.
        release: Seconds of the raised-cosine fade-out after the note ends.
        level: Gain of the voice before the master gain.
    """

    harmonics: tuple[float, ...]
    attack: float
    decay: float
    release: float
    level: float

    def attack_frames(self, sample_rate: int) -> int:
        """Attack length in frames at ``sample_rate`` (at least 1)."""
        return max(int(round(self.attack * sample_rate)), 1)

    def release_frames(self, sample_rate: int) -> int:
        """Release length in frames at ``sample_rate``."""
        return int(round(self.release * sample_rate))


MELODY_VOICE = Voice(
    harmonics=(1.0, 0.5, 0.25, 0.12, 0.06),  # a bright but round tone, fundamental dominant
    attack=0.005,  # 5 ms: a clear onset without a click
    decay=1.2,  # long enough that held notes still sing, short enough to sound struck
    release=0.06,  # 60 ms: legato lines do not smear
    level=1.0,
)
CHORD_VOICE = Voice(
    harmonics=(1.0, 0.3, 0.1),  # darker than the melody so the solo stands out
    attack=0.025,  # a soft pad-like onset
    decay=3.0,  # chords are held for bars; decay slowly
    release=0.15,  # a gentle tail between chord changes
    level=0.45,  # comping stays behind the melody
)
CHORD_VELOCITY = 72  # chord symbols carry no velocity; mezzo-piano comping
TAIL_SECONDS = max(MELODY_VOICE.release, CHORD_VOICE.release)
"""Seconds of release tail added after the solo's last note."""


def _check_sample_rate(sample_rate: int) -> None:
    """Raise InvalidInput unless the sample rate is a whole number 8,000–192,000."""
    if isinstance(sample_rate, bool) or not isinstance(sample_rate, int) or not 8000 <= sample_rate <= 192000:
        raise InvalidInput(f"Sample rate {sample_rate!r} is not valid — use a whole number of Hz such as 44100.")


def frame_count(solo: Solo, sample_rate: int = SAMPLE_RATE) -> int:
    """Frames of the rendered audio: the solo's seconds plus the release tail."""
    return int(math.ceil((solo.seconds + TAIL_SECONDS) * sample_rate))


TABLE_BITS = 13  # an 8192-entry wavetable: its lookup noise lies about 70 dB below the tone
_TWO_PI_OVER_2_32 = np.float32(2.0 * math.pi / 2.0**32)


def _phase(clock: NDArray[np.uint32], frequency: float, sample_rate: int) -> NDArray[np.uint32]:
    """DDS phase ``φ[n] = n · round(f / sr · 2³²) mod 2³²`` for the frames in ``clock``."""
    increment = np.uint32(int(round(frequency / sample_rate * 2.0**32)) % 2**32)
    return clock * increment  # (n,) uint32 arithmetic wraps modulo 2³², which is the point


def _envelope(n: int, held: int, attack: int, release: int, decay: NDArray[np.float32] | None) -> NDArray[np.float32]:
    """Raised-cosine attack, ``decay`` (if given) while held, raised-cosine release after.

    Args:
        n: Frames of the tone (held plus release, cut at the end of the buffer).
        held: Frames while the note is held.
        attack: Frames of the attack (≥ 1).
        release: Frames of the full release.
        decay: ``e^(−t/τ)`` for the n frames, or None for no decay.
    """
    env = np.ones(n, dtype=np.float32) if decay is None else decay.copy()  # (n,)
    ramp = min(attack, n)
    env[:ramp] *= 0.5 - 0.5 * np.cos(np.float32(math.pi) * np.arange(ramp, dtype=np.float32) / attack)
    held = min(held, n)
    if held < n:
        level_at_end = env[held - 1] if held > 0 else np.float32(0.0)
        fall = np.arange(1, n - held + 1, dtype=np.float32) / np.float32(max(release, 1))  # (n − held,) in (0, 1]
        env[held:] = level_at_end * (0.5 + 0.5 * np.cos(np.float32(math.pi) * np.minimum(fall, np.float32(1.0))))
    return env


class _Renderer:
    """Adds tones into one output buffer, sharing the frame clock and the chord wavetable."""

    def __init__(self, out: NDArray[np.float32], sample_rate: int) -> None:
        self.out = out
        self.sample_rate = sample_rate
        self.clock = np.arange(out.shape[0], dtype=np.uint32)  # (frames,) frame index since an onset
        self.seconds = self.clock.astype(np.float32) / np.float32(sample_rate)  # (frames,) t in seconds
        cycle = np.arange(1 << TABLE_BITS, dtype=np.float64) * (2.0 * math.pi / (1 << TABLE_BITS))  # (N,)
        self.table = sum(  # (N,) one cycle of the chord timbre Σ_k a_k sin(k·θ)
            (a_k * np.sin(k * cycle) for k, a_k in enumerate(CHORD_VOICE.harmonics, start=1)), np.zeros_like(cycle)
        ).astype(np.float32)
        self.decays: dict[float, NDArray[np.float32]] = {}

    def _decay(self, tau: float, n: int) -> NDArray[np.float32]:
        """``e^(−t/τ)`` for the first n frames (the longest one asked for is computed once)."""
        cached = self.decays.get(tau)
        if cached is None or cached.shape[0] < n:
            cached = np.exp(-self.seconds[: max(n, 1)] / np.float32(tau))  # (n,)
            self.decays[tau] = cached
        return cached[:n]

    def melody_tone(self, start: int, held: int, frequency: float, amplitude: float, voice: Voice) -> None:
        """Add one additive tone ``Σ_k a_k e^(−k t/τ) sin(k θ)`` into ``out[start:]``."""
        release = voice.release_frames(self.sample_rate)
        n = min(held + release, self.out.shape[0] - start)
        if n <= 0 or amplitude <= 0:
            return
        theta = _phase(self.clock[:n], frequency, self.sample_rate).astype(np.float32) * _TWO_PI_OVER_2_32  # (n,)
        s_k = np.sin(theta)  # (n,) sin(1·θ)
        two_cos = np.float32(2.0) * np.cos(theta)  # (n,)
        s_prev = np.zeros(n, dtype=np.float32)  # (n,) sin(0·θ)
        damp1 = self._decay(voice.decay, n)  # (n,) e^(−t/τ)
        damp_k = damp1  # (n,) e^(−k·t/τ)
        tone = np.zeros(n, dtype=np.float32)  # (n,)
        for k, a_k in enumerate(voice.harmonics, start=1):
            if k * frequency >= 0.45 * self.sample_rate:
                break  # this and higher harmonics would alias
            tone += np.float32(a_k) * damp_k * s_k
            s_prev, s_k = s_k, two_cos * s_k - s_prev  # Chebyshev: sin((k+1)θ) = 2cosθ sin kθ − sin((k−1)θ)
            damp_k = damp_k * damp1
        tone *= _envelope(n, held, voice.attack_frames(self.sample_rate), release, None)
        self.out[start : start + n] += np.float32(amplitude) * tone

    def chord_tones(self, start: int, held: int, frequencies: list[float], amplitude: float, voice: Voice) -> None:
        """Add a voicing: the wavetable at each frequency, summed, under one decaying envelope."""
        release = voice.release_frames(self.sample_rate)
        n = min(held + release, self.out.shape[0] - start)
        if n <= 0 or amplitude <= 0 or not frequencies:
            return
        shift = np.uint32(32 - TABLE_BITS)
        chord = np.zeros(n, dtype=np.float32)  # (n,)
        for frequency in frequencies:
            if frequency >= 0.45 * self.sample_rate:
                continue  # would alias
            chord += self.table[_phase(self.clock[:n], frequency, self.sample_rate) >> shift]  # (n,)
        chord *= _envelope(n, held, voice.attack_frames(self.sample_rate), release, self._decay(voice.decay, n))
        self.out[start : start + n] += np.float32(amplitude) * chord


def synthesize(solo: Solo, sample_rate: int = SAMPLE_RATE) -> NDArray[np.float32]:
    """Render a solo to mono samples in [−1, 1].

    Melody notes use :data:`MELODY_VOICE`; chord symbols' voicings and notes whose part is
    ``"chord"`` use :data:`CHORD_VOICE`. Times come from ``solo.tempo``.

    Args:
        solo: The notes and chords.
        sample_rate: Frames per second (8,000–192,000).

    Returns:
        float32 samples of shape ``(frame_count(solo, sample_rate),)`` — the solo's seconds plus
        a release tail; silence wherever nothing sounds.
    """
    _check_sample_rate(sample_rate)
    out = np.zeros(frame_count(solo, sample_rate), dtype=np.float32)  # (frames,)
    renderer = _Renderer(out, sample_rate)
    qs = solo.quarter_seconds

    def frames(quarters: float) -> int:
        return int(round(quarters * qs * sample_rate))

    for note in solo.notes:
        start = frames(note.start)
        held = max(frames(note.end) - start, 1)
        frequency = pitch_frequency(note.pitch)
        if note.part == CHORD:
            level = CHORD_VOICE.level * note.velocity / 127.0
            renderer.chord_tones(start, held, [frequency], level, CHORD_VOICE)
        else:
            renderer.melody_tone(start, held, frequency, MELODY_VOICE.level * note.velocity / 127.0, MELODY_VOICE)
    for chord in solo.chords:
        if not chord.pitches:
            continue
        start = frames(chord.start)
        held = max(frames(chord.end) - start, 1)
        level = CHORD_VOICE.level * CHORD_VELOCITY / 127.0 / math.sqrt(len(chord.pitches))  # loudness ∝ 1/√n
        renderer.chord_tones(start, held, [pitch_frequency(p) for p in chord.pitches], level, CHORD_VOICE)
    out *= np.float32(MASTER_GAIN)
    peak = float(np.max(np.abs(out))) if out.size else 0.0
    if peak > HEADROOM:
        out *= np.float32(HEADROOM / peak)  # scale the whole mix down: no clipping, no distortion
    return out


# --------------------------------------------------------------------------------------------
# WAV files


@dataclass(frozen=True)
class WavInfo:
    """What a WAV file holds.

    Attributes:
        path: The file.
        seconds: Duration (frames / sample_rate).
        sample_rate: Frames per second.
        frames: Number of frames (one sample per channel each).
        channels: 1 for mono, 2 for stereo.
        sample_width: Bytes per sample (2 for 16-bit PCM).
    """

    path: Path
    seconds: float
    sample_rate: int
    frames: int
    channels: int = 1
    sample_width: int = 2


def to_pcm16(samples: NDArray[np.floating]) -> bytes:
    """Convert float samples in [−1, 1] to little-endian 16-bit PCM bytes (clipped, rounded)."""
    scaled = np.rint(np.clip(samples, -1.0, 1.0) * 32767.0)  # same shape, in [−32767, 32767]
    return scaled.astype("<i2").tobytes()


def write_wav(samples: NDArray[np.floating], path: str | Path, *, sample_rate: int = SAMPLE_RATE) -> WavInfo:
    """Write float samples (mono ``(n,)`` or ``(n, channels)``) as a 16-bit PCM WAV, atomically.

    Raises:
        InvalidInput: Bad sample rate or array shape.
        DataFileError: The file cannot be written (folder missing or read-only, disk full …).
    """
    _check_sample_rate(sample_rate)
    array = np.asarray(samples)
    if array.ndim == 1:
        array = array[:, None]  # (n, 1)
    if array.ndim != 2 or array.shape[1] not in (1, 2):
        raise InvalidInput(f"Audio of shape {np.shape(samples)} cannot be written — give (frames,) or (frames, 2).")
    channels = int(array.shape[1])
    data = to_pcm16(array)  # interleaved frames

    def write(tmp: Path) -> None:
        with wave.open(str(tmp), "wb") as handle:
            handle.setnchannels(channels)
            handle.setsampwidth(2)
            handle.setframerate(sample_rate)
            handle.writeframes(data)

    target = Path(path)
    try:
        atomic_write(target, write)
    except OSError as exc:
        raise DataFileError(f"Cannot write {target}: {exc.strerror or exc} — choose a folder you can write to.") from exc
    frames = int(array.shape[0])
    return WavInfo(target, frames / sample_rate, sample_rate, frames, channels, 2)


def render_wav(solo: Solo, path: str | Path, *, sample_rate: int = SAMPLE_RATE) -> WavInfo:
    """Synthesize a solo and write it as a mono 16-bit PCM WAV file, atomically.

    Raises:
        InvalidInput: The solo has no notes or chords, or the sample rate is bad.
        DataFileError: The file cannot be written.
    """
    if solo.is_empty:
        raise InvalidInput("There is no solo to render — generate one first.")
    return write_wav(synthesize(solo, sample_rate), path, sample_rate=sample_rate)


def _open_wav(path: str | Path) -> wave.Wave_read:
    """Open a WAV file for reading, turning every failure into a DataFileError."""
    target = Path(path)
    if not target.is_file():
        raise DataFileError(f"No such WAV file: {target} — check the path.")
    try:
        return wave.open(str(target), "rb")
    except (wave.Error, EOFError, ValueError) as exc:
        raise DataFileError(f"{target} is not a valid WAV file ({exc}) — export it again as 16-bit PCM WAV.") from exc
    except OSError as exc:
        raise DataFileError(f"Cannot read {target}: {exc.strerror or exc} — check the file's permissions.") from exc


def read_wav_info(path: str | Path) -> WavInfo:
    """Read a WAV file's header and check that its frames are all there.

    Raises:
        DataFileError: Missing, unreadable, not a PCM WAV, empty, or truncated.
    """
    target = Path(path)
    with _open_wav(target) as handle:
        channels, width, rate, frames = (
            handle.getnchannels(), handle.getsampwidth(), handle.getframerate(), handle.getnframes()
        )
        if rate <= 0 or channels <= 0 or width <= 0:
            raise DataFileError(f"{target} has a broken header ({channels} channels at {rate} Hz) — export it again.")
        try:
            present = len(handle.readframes(frames)) // (channels * width)
        except (wave.Error, EOFError) as exc:
            raise DataFileError(f"{target} is not a valid WAV file ({exc}) — export it again.") from exc
    if frames == 0:
        raise DataFileError(f"{target} holds no audio — export the solo again.")
    if present < frames:
        raise DataFileError(f"{target} is truncated ({present} of {frames} frames) — export it again.")
    return WavInfo(target, frames / rate, rate, frames, channels, width)


def read_wav(path: str | Path) -> tuple[NDArray[np.float32], int]:
    """Read a PCM WAV file (8/16/24/32-bit, any channels) as float samples in [−1, 1].

    Returns:
        ``(samples, sample_rate)`` with samples of shape ``(frames, channels)``.

    Raises:
        DataFileError: As :func:`read_wav_info`.
    """
    info = read_wav_info(path)
    with _open_wav(path) as handle:
        raw = handle.readframes(info.frames)
    width, channels = info.sample_width, info.channels
    if width == 1:  # 8-bit WAV is unsigned
        ints = np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0
        scale = 128.0
    elif width == 2:
        ints = np.frombuffer(raw, dtype="<i2").astype(np.float32)
        scale = 32768.0
    elif width == 3:  # assemble little-endian 24-bit samples into int32, sign-extended
        b = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 3).astype(np.int32)  # (samples, 3)
        value = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(value >= 1 << 23, value - (1 << 24), value).astype(np.float32)
        scale = float(1 << 23)
    elif width == 4:
        ints = np.frombuffer(raw, dtype="<i4").astype(np.float32)
        scale = float(1 << 31)
    else:
        raise DataFileError(f"{path} uses {8 * width}-bit samples — export it as 16-bit PCM WAV.")
    samples = (ints / scale).reshape(-1, channels)  # (frames, channels)
    return samples.astype(np.float32), info.sample_rate


# --------------------------------------------------------------------------------------------
# Playback

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
        _check_sample_rate(sample_rate)
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
