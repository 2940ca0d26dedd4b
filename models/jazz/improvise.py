"""Improvising: sample values from a trained model's LSTM and decode them into notes over chords.

:func:`generate` takes a :class:`GenerateConfig` (bars, temperature, top-k, seed, typed chords or
a training piece's, a primer) and returns an :class:`Improvisation`: the solo, its values and its
statistics next to the training music's. :func:`export_midi` and :func:`export_wav` write it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.audio import render_wav
from seqtui_models.jazz.chords import TimedChord, loop_progression, parse_progression, progression_text
from seqtui_models.jazz.grammar import Value, decode
from seqtui_models.jazz.midi_out import write_midi
from seqtui_models.jazz.model import NumpyCell, choose
from seqtui_models.jazz.music import make_solo
from seqtui_models.jazz.notes import Solo
from seqtui_models.jazz.stats import SoloStats, longest_copied_run, solo_stats
from seqtui_models.jazz.trained import JazzModel
from seqtui_models.jazz.wav import WavInfo


@dataclass(frozen=True)
class GenerateConfig:
    """How to improvise.

    Attributes:
        bars: Length of the solo in bars.
        temperature: Sampling temperature: 0 is greedy (always the likeliest value), 1 the
            model's own distribution, above 1 wilder.
        top_k: Draw only among the k likeliest values (0: all).
        seed: Makes the draw repeatable (``None``: fresh randomness).
        chords: A typed progression ("Dm7 G7 Cmaj7 A7", one chord per bar, or with bar lines
            "Dm7 G7 | Cmaj7"); ``None`` uses the chords of a training piece.
        piece: Which training piece's chords (its index) when ``chords`` is ``None``.
        primer: Values to start from (strings separated by spaces), fed to the LSTM first and
            kept as the start of the solo.
        tempo: Quarter notes per minute (default: the piece's, 120 for typed chords).
    """

    bars: int = 8
    temperature: float = 0.7
    top_k: int = 0
    seed: int | None = None
    chords: str | None = None
    piece: int = 0
    primer: str | None = None
    tempo: float | None = None

    def validated(self) -> GenerateConfig:
        """Return this config after checking it, or raise :class:`InvalidInput`."""
        if not 1 <= self.bars <= 256:
            raise InvalidInput(f"bars must be between 1 and 256 (got {self.bars}).")
        if not (0 <= self.temperature <= 10 and math.isfinite(self.temperature)):
            raise InvalidInput(f"The temperature must be between 0 (greedy) and 10 (got {self.temperature}).")
        if self.top_k < 0:
            raise InvalidInput(f"top-k must be 0 (every value) or more (got {self.top_k}).")
        if self.tempo is not None and not (20 <= self.tempo <= 400):
            raise InvalidInput(f"The tempo must be between 20 and 400 quarter notes per minute (got {self.tempo}).")
        return self


@dataclass(frozen=True)
class Improvisation:
    """A generated solo.

    Attributes:
        solo: The notes and the voiced chords (for the piano roll, MIDI and WAV).
        values: The value strings it was decoded from (primer included; the last one may be
            shortened to end on the last bar line).
        primer: How many of ``values`` came from the primer.
        stats: Its statistics (novelty measured on the generated values only).
        train_stats: The training music's, to compare.
        chords: The progression as text, bar lines included.
        config: The settings it was made with (the seed actually used filled in).
        seconds: Time the sampling and decoding took.
    """

    solo: Solo
    values: tuple[str, ...]
    primer: int
    stats: SoloStats
    train_stats: SoloStats | None
    chords: str
    config: GenerateConfig
    seconds: float

    def summary(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {
            "notes": len(self.solo.melody), "bars": self.config.bars, "seconds": round(self.solo.seconds, 3),
            "tempo": self.solo.tempo, "chords": self.chords, "temperature": self.config.temperature,
            "top_k": self.config.top_k, "seed": self.config.seed, "values": list(self.values),
            "stats": self.stats.to_dict(),
            "train_stats": self.train_stats.to_dict() if self.train_stats else None,
        }


def _progression(model: JazzModel, config: GenerateConfig) -> tuple[list[TimedChord], int, float]:
    """The chords to play over, bars' length and tempo."""
    if config.chords is not None and config.chords.strip():
        # typed chords take the metre of the music the model learned (a rag in 2/4, a waltz in 3/4)
        beats = model.pieces[config.piece].beats_per_bar if 0 <= config.piece < len(model.pieces) else 4
        chords = parse_progression(config.chords, beats)
        return chords, beats, config.tempo or 120.0
    if not model.pieces:
        raise InvalidInput("This model remembers no piece to take chords from: type a progression, e.g. Dm7 G7 Cmaj7 A7.")
    if not 0 <= config.piece < len(model.pieces):
        raise InvalidInput(f"Pick a piece from 0 to {len(model.pieces) - 1} for the chords (got {config.piece}).")
    piece = model.pieces[config.piece]
    if not piece.chords:
        raise InvalidInput(f"{piece.name} has no chords: type a progression, e.g. Dm7 G7 Cmaj7 A7.")
    return list(piece.chords), piece.beats_per_bar, config.tempo or piece.tempo


def generate(model: JazzModel, config: GenerateConfig | None = None) -> Improvisation:
    """Improvise a solo: sample values from the LSTM, then decode them over the chords.

    The cell starts from a⟨0⟩ = c⟨0⟩ = 0 and x⟨0⟩ = 0 (the course's initializers); the primer's
    values are fed first; then each step draws a value from softmax(z / T) (top-k applied) and
    feeds it back, until the values fill ``bars`` bars. The last value is shortened to end on
    the bar line. Decoding follows :func:`seqtui_models.jazz.grammar.decode` with the model's register.

    Raises:
        InvalidInput: a bad setting, an unknown chord symbol or primer value.
    """
    config = (config or GenerateConfig()).validated()
    started = time.perf_counter()
    seed = config.seed if config.seed is not None else int(np.random.default_rng().integers(2**31))
    config = replace(config, seed=seed)
    rng = np.random.default_rng(seed)
    progression, beats_per_bar, tempo = _progression(model, config)
    length = float(config.bars * beats_per_bar)
    chords = loop_progression(progression, length)
    parsed = model.parsed
    primer = [model.index(v) for v in (config.primer or "").split()]

    cell = NumpyCell(model.weights)
    logits = cell.step(None)  # x⟨0⟩ = 0: the distribution of a first value
    indices: list[int] = []
    clock = 0.0
    for index in primer:
        indices.append(index)
        clock += parsed[index].duration
        logits = cell.step(index)
    generated: list[int] = []
    limit = int(length * 48) + 1  # a value lasts at least 1/48 quarter
    while clock < length - 1e-9 and len(generated) < limit:
        index = choose(logits, config.temperature, config.top_k, rng)
        generated.append(index)
        indices.append(index)
        clock += parsed[index].duration
        logits = cell.step(index)

    # Keep what fits in the bars; shorten the value that crosses the last bar line.
    values: list[Value] = []
    used = 0.0
    for index in indices:
        value = parsed[index]
        if used >= length - 1e-9:
            break
        if used + value.duration > length + 1e-9:
            value = Value(value.kind, round((length - used) * 48) / 48, value.upper, value.lower)
        values.append(value)
        used += value.duration
    notes = decode(values, chords, anchor=model.anchor, register=model.register, rng=rng)
    novelty = longest_copied_run(generated, [p.values for p in model.pieces])
    stats = solo_stats([(notes, chords, float(config.bars))], longest_copy=novelty)
    solo = make_solo(notes, chords, tempo, beats_per_bar, shift=0.0)
    return Improvisation(
        solo=solo, values=tuple(str(v) for v in values), primer=min(len(primer), len(values)), stats=stats,
        train_stats=model.train_stats, chords=progression_text(chords, beats_per_bar, config.bars), config=config,
        seconds=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------------------------
# Music out


def export_midi(improvisation: Improvisation | Solo, path: str | Path) -> Path:
    """Write the solo and its chords to a MIDI file (see :func:`seqtui_models.jazz.midi_out.write_midi`)."""
    solo = improvisation.solo if isinstance(improvisation, Improvisation) else improvisation
    return write_midi(solo, path)


def export_wav(improvisation: Improvisation | Solo, path: str | Path) -> WavInfo:
    """Render the solo and its chords to a WAV file with seqtui's synthesizer (:mod:`seqtui_models.jazz.audio`)."""
    solo = improvisation.solo if isinstance(improvisation, Improvisation) else improvisation
    path = Path(path)
    if path.suffix.lower() != ".wav":
        raise InvalidInput(f"WAV files end in .wav (got {path.name}); pass a path like solo.wav.")
    return render_wav(solo, path)


def chord_symbols_at(model: JazzModel, piece: int = 0) -> str:
    """A training piece's progression as text (for showing it in the tab)."""
    if not 0 <= piece < len(model.pieces):
        return ""
    p = model.pieces[piece]
    return progression_text(list(p.chords), p.beats_per_bar)


def check_chords(text: str) -> str:
    """Validate a typed progression; return it normalised (raises InvalidInput with the bad symbol)."""
    return progression_text(parse_progression(text, 4), 4)

