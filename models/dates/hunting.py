"""Fuzz that hunts: perturb dates people could write until the model is told wrong (or declines).

A random held-out date is almost always right, so showing one teaches little. :func:`hunt`
writes held-out dates in the real-world families, then perturbs each the way people vary a date
without changing it — casing, spacing, commas, the month written in full, short or with a dot,
ordinals, a weekday in front, words before it, a time after it — and translates them in batches
until one is *told wrong* (a wrong date given as a date), or failing that *declined*; it says
how many tries it took.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from seqtui_models.dates import data as dates_data
from seqtui_models.dates.checks import locate, on_weekday, readings, scan
from seqtui_models.dates.data import DatePair, ordinal
from seqtui_models.dates.evaluation import AMBIGUOUS, outcome
from seqtui_models.dates.model import DateModel
from seqtui_models.dates.translation import Translation, translate_many

BATCH = 32
"""Candidates translated at once."""


@dataclass(frozen=True)
class Hunt:
    """What a hunt found.

    Attributes:
        pair: The input and what it means (``expected`` holds an ``ambiguous:`` value when the
            text is a numeric date with two readings).
        translation: The model's translation, with its verdict.
        outcome: ``"wrong"``, ``"declined"`` (no wrong one in ``tries``) or ``"right"``
            (nothing missed in ``tries``).
        tries: Inputs translated in all.
        expected: The right verdict: an ISO date or ``ambiguous:ISO|ISO``.
        found_at: Which try this one was (1-based).
    """

    pair: DatePair
    translation: Translation
    outcome: str
    tries: int
    expected: str
    found_at: int


Perturbation = Callable[[str, dt.date, np.random.Generator], str]


def _case(text: str, date: dt.date, rng: np.random.Generator) -> str:
    form = int(rng.integers(4))
    if form == 0:
        return text.upper()
    if form == 1:
        return text.lower()
    if form == 2:
        return text.title()
    return "".join(ch.upper() if rng.random() < 0.5 else ch.lower() for ch in text)


def _spacing(text: str, date: dt.date, rng: np.random.Generator) -> str:
    words = text.split(" ")
    glue = [" " * int(rng.integers(1, 4)) for _ in words[1:]]
    out = words[0] + "".join(g + w for g, w in zip(glue, words[1:]))
    return " " * int(rng.integers(0, 3)) + out.replace(",", " ," if rng.random() < 0.3 else ",") + " " * int(rng.integers(0, 3))


def _commas(text: str, date: dt.date, rng: np.random.Generator) -> str:
    if "," in text:
        return text.replace(",", "")
    tokens = [t for t in scan(text) if t.kind in ("number", "weekday", "month")]
    if len(tokens) < 2:
        return text
    cut = tokens[int(rng.integers(len(tokens) - 1))].end
    return text[:cut] + "," + text[cut:]


def _month_form(text: str, date: dt.date, rng: np.random.Generator) -> str:
    month = next((t for t in scan(text) if t.kind == "month"), None)
    if month is None:
        return text
    forms = [calendar.month_name[date.month], calendar.month_abbr[date.month], calendar.month_abbr[date.month] + "."]
    if date.month == 9:
        forms.append("Sept.")
    return text[:month.start] + forms[int(rng.integers(len(forms)))] + text[month.end:]


def _ordinal(text: str, date: dt.date, rng: np.random.Generator) -> str:
    tokens = scan(text)
    if not any(t.kind == "month" for t in tokens):
        return text
    day = next((t for t in tokens if t.kind == "number" and t.digits <= 2 and t.value == date.day), None)
    if day is None:
        return text
    written = ordinal(date.day) if day.text.isdigit() else str(date.day)
    return text[:day.start] + written + text[day.end:]


def _weekday(text: str, date: dt.date, rng: np.random.Generator) -> str:
    if any(t.kind == "weekday" for t in scan(text)):
        return text
    name = (calendar.day_name if rng.random() < 0.5 else calendar.day_abbr)[date.weekday()]
    return f"{name}{',' if rng.random() < 0.5 else ''} {text}"


def _before(text: str, date: dt.date, rng: np.random.Generator) -> str:
    words = ("on ", "due ", "Date: ", "dated ", "by ", "Sent: ", "from ")
    return words[int(rng.integers(len(words)))] + text


def _after(text: str, date: dt.date, rng: np.random.Generator) -> str:
    times = (" at 5pm", " 10:30", " 09:15:00 GMT", " 3:47 PM", " @ 9am", " 23:59:59 +0100", "T08:30:00Z")
    return text + times[int(rng.integers(len(times)))]


PERTURBATIONS: tuple[Perturbation, ...] = (_case, _spacing, _commas, _month_form, _ordinal, _weekday, _before, _after)


def expected_for(text: str, date: dt.date) -> str:
    """What a right verdict on ``text`` is: the date, or ``ambiguous:…`` when its numbers allow
    both day and month first (a property of the text alone)."""
    tokens = locate(text).tokens
    found = readings(tokens)
    dates, _ = on_weekday(tokens, found.dates)  # a weekday can settle the order
    if found.ambiguous and len(dates) > 1 and date in dates:
        return AMBIGUOUS + "|".join(d.isoformat() for d in dates)
    return date.isoformat()


def candidate(rng: np.random.Generator, max_length: int) -> tuple[DatePair, str]:
    """A held-out real-world date, perturbed one to three times, and its expected verdict."""
    pair = dates_data.tricky(rng, max_length=max_length)
    date = dt.date.fromisoformat(pair.iso)
    text = pair.human
    for index in rng.choice(len(PERTURBATIONS), size=int(rng.integers(1, 4)), replace=False):
        changed = PERTURBATIONS[int(index)](text, date, rng)
        if len(changed) <= max_length:
            text = changed
    return DatePair(text, pair.iso, pair.family), expected_for(text, date)


def hunt(model: DateModel, seed: int | np.random.Generator | None = None, *, tries: int = 256) -> Hunt:
    """Translate perturbed held-out dates until the model is told wrong (see the module docstring)."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    first_declined: Hunt | None = None
    last: Hunt | None = None
    done = 0
    while done < tries:
        batch = [candidate(rng, model.vocab.tx) for _ in range(min(BATCH, tries - done))]
        told = translate_many(model, [pair.human for pair, _ in batch])
        for offset, ((pair, expected), translation) in enumerate(zip(batch, told), 1):
            result = outcome(expected, translation)
            found = Hunt(pair, translation, result, done + offset, expected, done + offset)
            if result == "wrong":
                return found
            if result == "declined" and first_declined is None:
                first_declined = found
            last = found
        done += len(batch)
    shown = first_declined or last
    assert shown is not None
    return Hunt(shown.pair, shown.translation, shown.outcome, done, shown.expected, shown.found_at)
