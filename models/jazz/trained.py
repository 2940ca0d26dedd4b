"""A trained jazz model as data: its vocabulary, LSTM weights and the pieces it learned from.

A :class:`JazzModel` is everything improvising needs, in numpy: no Keras object is kept, so a
loaded model samples at once (:mod:`seqtui_models.jazz.improvise`). How it is written to and read
from a file: :mod:`seqtui_models.jazz.files`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from seqtui_models.core.errors import InvalidInput
from seqtui_models.jazz.chords import TimedChord, parse_chord
from seqtui_models.jazz.config import TrainConfig
from seqtui_models.jazz.grammar import Value, parse_value
from seqtui_models.jazz.model import CellWeights
from seqtui_models.jazz.stats import SoloStats


@dataclass(frozen=True)
class PieceValues:
    """A training piece as the model remembers it.

    Attributes:
        name: The piece.
        values: Its value indices (the novelty figure looks for copies of these).
        chords: Its chords, shifted so the one sounding when the melody begins starts at 0.
        beats_per_bar: Quarter notes per bar.
        tempo: Quarter notes per minute.
    """

    name: str
    values: tuple[int, ...]
    chords: tuple[TimedChord, ...]
    beats_per_bar: int
    tempo: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "name": self.name, "values": list(self.values),
            "chords": [[c.start, c.duration, c.chord.symbol] for c in self.chords],
            "beats_per_bar": self.beats_per_bar, "tempo": self.tempo,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PieceValues:
        """Rebuild from :meth:`to_dict`."""
        return cls(
            name=str(data["name"]), values=tuple(int(v) for v in data["values"]),
            chords=tuple(TimedChord(float(s), float(d), parse_chord(str(sym))) for s, d, sym in data["chords"]),
            beats_per_bar=int(data["beats_per_bar"]), tempo=float(data["tempo"]),
        )


@dataclass(frozen=True)
class JazzModel:
    """A trained jazz model and everything needed to improvise with it (numpy only).

    Attributes:
        values: The vocabulary of value strings (index = one-hot position).
        weights: The LSTM cell and Dense weights.
        config: How it was trained.
        pieces: The training pieces' values and chords.
        register: Lowest and highest pitch a solo may use.
        anchor: Where a first note is drawn.
        train_stats: Statistics of the training music.
        metrics: Final figures of its run.
        path: The file it was loaded from or saved to, if any.
    """

    values: tuple[str, ...]
    weights: CellWeights
    config: TrainConfig = field(default_factory=TrainConfig)
    pieces: tuple[PieceValues, ...] = ()
    register: tuple[int, int] = (55, 84)
    anchor: int = 67
    train_stats: SoloStats | None = None
    metrics: Mapping[str, Any] = field(default_factory=dict)
    path: str | None = None

    @property
    def n_values(self) -> int:
        """Size of the vocabulary."""
        return len(self.values)

    def index(self, value: str) -> int:
        """The index of a value string (InvalidInput with examples if the model does not know it)."""
        try:
            return self.values.index(str(parse_value(value)))
        except ValueError:
            kind = value.strip()[:1]
            examples = [v for v in self.values if v.startswith(kind)][:3] or list(self.values[:3])
            raise InvalidInput(
                f"The model does not know the value {value!r}; it knows {self.n_values} values such as "
                f"{', '.join(examples)}."
            ) from None

    @property
    def parsed(self) -> tuple[Value, ...]:
        """The vocabulary as :class:`~seqtui_models.jazz.grammar.Value` objects."""
        cached = self.__dict__.get("_parsed")
        if cached is None:
            cached = tuple(parse_value(v) for v in self.values)
            object.__setattr__(self, "_parsed", cached)
        return cached  # type: ignore[no-any-return]

    def describe(self) -> str:
        """One line: size, vocabulary, training music, loss."""
        loss = self.metrics.get("loss")
        loss_text = f", loss {loss:.3f} nats/value" if isinstance(loss, (int, float)) and math.isfinite(loss) else ""
        music = ", ".join(p.name for p in self.pieces) or "?"
        return f"LSTM n_a={self.weights.n_a} ({self.config.preset}), {self.n_values} values from {music}{loss_text}"
