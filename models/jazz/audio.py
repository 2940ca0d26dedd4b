"""Hear a solo: a small numpy synthesizer that renders a :class:`~seqtui_models.jazz.notes.Solo`.

The synthesizer turns a solo into samples without music21 or any sound font. Each note is
rendered on its own slice of the output, vectorised over its samples, and added in; no Python
loop ever runs per sample. :func:`render_wav` writes the samples as a WAV file
(:mod:`seqtui_models.jazz.wav`); :mod:`seqtui_models.jazz.playback` plays them.

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
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.notes import CHORD, Solo, pitch_frequency
from seqtui_models.jazz.wav import SAMPLE_RATE, WavInfo, check_sample_rate, write_wav

__all__ = [
    "SAMPLE_RATE", "HEADROOM", "MASTER_GAIN", "Voice", "MELODY_VOICE", "CHORD_VOICE", "CHORD_VELOCITY",
    "TAIL_SECONDS", "frame_count", "synthesize", "render_wav",
]

HEADROOM = 0.95  # the loudest sample after mixing; 0.95 leaves room for resampling overshoot
MASTER_GAIN = 0.30  # one melody note at full velocity peaks near 0.3, so a few overlapping fit


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
    check_sample_rate(sample_rate)
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


def render_wav(solo: Solo, path: str | Path, *, sample_rate: int = SAMPLE_RATE) -> WavInfo:
    """Synthesize a solo and write it as a mono 16-bit PCM WAV file, atomically.

    Raises:
        InvalidInput: The solo has no notes or chords, or the sample rate is bad.
        DataFileError: The file cannot be written.
    """
    if solo.is_empty:
        raise InvalidInput("There is no solo to render — generate one first.")
    return write_wav(synthesize(solo, sample_rate), path, sample_rate=sample_rate)
