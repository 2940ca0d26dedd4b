"""Translating dates: :func:`translate` one text (checked), :func:`translate_many` a batch.

A :class:`Translation` holds the ISO string (greedy: the most probable character at each of the
T_y steps), each character's probability, the confidence, the attention matrix (T_y × the
characters read), whether the output is a real calendar date, whether the input was cut at
T_x, and notes for the user (years the model never saw, truncation, unknown characters).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from seqtui_models.core.errors import InvalidInput
from seqtui_models.dates import data as dates_data
from seqtui_models.dates.checks import Verdict, examine, locate, readings
from seqtui_models.dates.data import DatePair
from seqtui_models.dates.model import DateModel
from seqtui_models.dates.vocab import TY, Vocab, check_iso, decode


@dataclass(frozen=True)
class Translation:
    """One date, translated.

    Attributes:
        input: The text as given.
        read: The characters the model read (the course's preprocessing lower-cases and drops
            commas; both cut at T_x). The attention's columns are these characters.
        iso: The model's output, always 10 characters (most probable character at each step).
        valid_date: Whether ``iso`` is a real calendar date.
        problem: Why it is not ("" when it is).
        confidence: P(this output | input) = Π of the character probabilities (the 10 outputs
            are independent given the input in both models).
        char_probs: The probability of each output character, (T_y,).
        attention: α, (T_y, len(read)): row t is where output character t looked.
        pad_attention: Per output step, the attention that went to padding (the course model
            attends over all 30 positions; ours gives padding exactly 0).
        truncated: The input was longer than T_x and only its start was read.
        unknown: Characters the vocabulary lacks (read as <unk>).
        notes: What the user should know (truncation, unknown characters), as sentences.
        verdict: The answer after cross-examining ``iso`` against the input
            (:func:`seqtui_models.dates.checks.examine`): a date, ambiguous with its readings,
            or declined with the reason. Only ``verdict.iso`` is an answer to show as a date.
    """

    input: str
    read: str
    iso: str
    valid_date: bool
    problem: str
    confidence: float
    char_probs: tuple[float, ...]
    attention: np.ndarray
    pad_attention: tuple[float, ...]
    truncated: bool
    unknown: str
    notes: tuple[str, ...] = ()
    verdict: Verdict = Verdict("declined", None, (), "not checked")

    @property
    def declined(self) -> bool:
        """Whether no date is given (see ``verdict.reason``)."""
        return self.verdict.declined

    @property
    def ambiguous(self) -> bool:
        """Whether the input can mean several dates (see ``verdict.readings``)."""
        return self.verdict.status == "ambiguous"

    def to_dict(self, attention: bool = False) -> dict[str, Any]:
        """A JSON-ready dict (the attention matrix only if asked)."""
        out: dict[str, Any] = {
            "input": self.input, "iso": self.verdict.iso, "valid_date": self.verdict.status == "date",
            "declined": self.declined, "reason": self.verdict.reason or None, "ambiguous": self.ambiguous,
            "readings": list(self.verdict.readings), "confidence": self.confidence,
            "output": self.iso, "output_is_date": self.valid_date, "problem": self.problem or None, "char_probs": list(self.char_probs), "read": self.read,
            "truncated": self.truncated, "unknown": self.unknown, "notes": list(self.notes),
        }
        if attention:
            out["attention"] = [[round(float(v), 5) for v in row] for row in self.attention]
            out["attention_columns"] = list(self.read)
        return out


_FOUR_DIGITS = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def years_outside_training(text: str, years: tuple[int, int] = (dates_data.FIRST_DAY.year, dates_data.LAST_DAY.year)) -> list[int]:
    """The four-digit years in ``text`` outside ``years``, the range a model was trained on.

    The models only ever saw those years, so for any other year they answer with one they know
    (a plausible-looking but wrong date); the translation says so instead of staying silent.
    """
    found = (int(m) for m in _FOUR_DIGITS.findall(text))
    return [y for y in found if not years[0] <= y <= years[1]]


def _notes(model: DateModel, text: str, read: str, truncated: bool, unknown: str) -> tuple[str, ...]:
    """What the user should know about a translation of ``text``, as sentences (none: nothing)."""
    vocab = model.vocab
    notes = []
    outside = years_outside_training(text, model.years)
    if outside:
        notes.append(
            f"The model learned only the years {model.years[0]}–{model.years[1]}; "
            f"{outside[0]} is outside them, so the year it gives is a guess."
        )
    if truncated:
        notes.append(
            f"Only the first {vocab.tx} of {len(vocab.prepare(text))} characters were read (the model's T_x): "
            f"{read!r}. Shorten the date."
        )
    if unknown:
        notes.append(f"The model does not know {', '.join(repr(c) for c in unknown)} and read it as <unk>.")
    return tuple(notes)


def check_readable(vocab: Vocab, text: str) -> None:
    """Raise :class:`InvalidInput` if ``text`` is empty or what the model would read of it (its date's
    stretch, when it holds a date: "令和3年5月1日 入籍しました" reads "2021-5-1"; else all of it) is
    mostly characters it lacks."""
    if not text.strip():
        raise InvalidInput("Type a date, e.g. '3 May 1979' or 'the 4th of july 76'.", "Nothing to translate")
    located = locate(text)
    dated = located.found and bool(readings(located.tokens).dates)
    read, _ = vocab.reads(located.text if dated else text)
    visible = [ch for ch in read if not ch.isspace()]
    unknown = [ch for ch in visible if vocab.unknown(ch)]
    if len(unknown) * 2 > len(visible):
        raise InvalidInput(
            f"{len(unknown)} of the {len(visible)} characters of {text!r} are unknown to the model "
            f"({vocab.unknown(read)!r}); it reads {vocab.describe()}.",
            "Not a date the model can read",
        )


def translate_many(model: DateModel, texts: Sequence[str]) -> list[Translation]:
    """Translate a batch of texts (no input checks: see :func:`translate` for one text)."""
    spans = [locate(text).text or text for text in texts]  # the date's stretch, times cut out
    probs, attention = model.predict(spans)  # (m, T_y, 11), (m, T_y, T_x)
    out = []
    for i, (text, span) in enumerate(zip(texts, spans)):
        read, truncated = model.vocab.reads(span)
        best = probs[i].argmax(axis=-1)  # (T_y,) greedy: each step's most probable character
        char_probs = probs[i][np.arange(TY), best]  # (T_y,)
        iso = decode(best)
        valid, problem = check_iso(iso)
        unknown = model.vocab.unknown(read)
        confidence = float(np.prod(char_probs.astype(np.float64)))
        out.append(Translation(
            input=text, read=read, iso=iso, valid_date=valid, problem=problem,
            confidence=confidence,
            char_probs=tuple(float(p) for p in char_probs),
            attention=np.asarray(attention[i][:, : len(read)], dtype=np.float64),  # (T_y, len(read))
            pad_attention=tuple(float(v) for v in attention[i][:, len(read):].sum(axis=-1)),
            truncated=truncated, unknown=unknown, notes=_notes(model, span, read, truncated, unknown),
            verdict=examine(text, iso, confidence, years=model.years),
        ))
    return out


def translate(model: DateModel, text: str) -> Translation:
    """Translate one human-written date.

    Raises:
        InvalidInput: the text is empty or mostly characters the model does not know. A text
            longer than T_x is not an error: its start is read and ``truncated`` says so.
    """
    check_readable(model.vocab, text)
    return translate_many(model, [text])[0]
