"""Human-written dates and their ISO form: the seeded data generator of the dates task.

Two kinds of format *families*:

- ``course`` — the assignment's own list: a random date written by babel's ``format_date`` in
  one of 24 patterns ('short', 'medium', 'long', 'full' ×10, 'd MMM y' …), lower-cased, commas
  removed. One fix: the course wrote years as ``YYY``/``YY``, which in CLDR is the *week-numbering*
  year, so 30 December 2018 came out as "30 dec 2019" while its label said 2018-12-30 — about
  0.3% of the course's pairs are wrong. Here the same patterns use the calendar year ``y``.
- ``real`` — what people actually type and the course's list lacks: ordinals ("21st", even the
  wrong "21th"), "the 4th of july", capitals and commas, extra spaces, ISO input, "4-jul-1976",
  "jul. 4, 1976", weekday abbreviations, four-digit numeric years, "'76", "04JUL1976".

Ambiguous numeric forms are read as the course reads them: a slash is month first ('short':
5/9/18 is 9 May), a dot or a space is day first ('dd.MM.yy', 'd MM yy'). Two-digit years stand
for 1970–2030, the range of every generated date (70–99 → 19xx, 00–30 → 20xx).

Every pair carries its family, so an evaluation can report each one. A fixed tenth of all the
days in the range is *held out*: training data never uses those dates, evaluation data only
uses them, so "held-out" means a date the model has never seen in any format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from seqtui_models.core.errors import InvalidInput

Kind = Literal["course", "real"]
Mix = Literal["course", "real", "mixed"]

FIRST_DAY = dt.date(1970, 1, 1)
"""The earliest generated date (the course's Faker ``date_object`` starts here)."""
LAST_DAY = dt.date(2030, 12, 31)
"""The latest generated date (the course's Faker stops at *today*; a fixed end keeps runs
reproducible whatever the day, and two-digit years unambiguous)."""
HELDOUT_SHARE = 0.1
"""Share of the days that only evaluation data uses."""
_SPLIT_SEED = 20180509  # fixes which days are held out, for every run and every machine

LOCALE = "en_US"

# The assignment's FORMATS, in its order and with its weights ('full' ten times, 'd MMMM YYY'
# twice), with the calendar year y in place of the week-numbering year Y.
COURSE_PATTERNS: tuple[str, ...] = (
    "short", "medium", "long", *(["full"] * 10),
    "d MMM y", "d MMMM y", "dd MMM y", "d MMM, y", "d MMMM, y", "dd, MMM y", "d MM yy",
    "d MMMM y", "MMMM d y", "MMMM d, y", "dd.MM.yy",
)


@dataclass(frozen=True)
class DatePair:
    """One example.

    Attributes:
        human: The date as a person wrote it (the model's input).
        iso: The same date as YYYY-MM-DD (the model's target).
        family: The format family it was written in (see :data:`FAMILIES`).
    """

    human: str
    iso: str
    family: str


@dataclass(frozen=True)
class Family:
    """A format family.

    Attributes:
        name: Its name in reports.
        kind: ``"course"`` (the assignment's list) or ``"real"`` (what people type).
        example: How 4 July 1976 can look in it.
        weight: Relative frequency among the families of its kind.
    """

    name: str
    kind: Kind
    example: str
    weight: float = 1.0


# --------------------------------------------------------------------------------------------
# Names from the locale (babel's CLDR data), looked up once.


@lru_cache(maxsize=1)
def _locale() -> Any:
    """babel's Locale object (parsing the name on every call would double the cost of a date)."""
    from babel import Locale

    return Locale.parse(LOCALE)


@lru_cache(maxsize=1)
def _names() -> dict[str, tuple[str, ...]]:
    locale = _locale()
    months, days = locale.months["format"], locale.days["format"]
    return {
        "month": tuple(str(months["wide"][m]) for m in range(1, 13)),  # January … December
        "mon": tuple(str(months["abbreviated"][m]) for m in range(1, 13)),  # Jan … Dec
        "weekday": tuple(str(days["wide"][d]) for d in range(7)),  # Monday … Sunday
        "wkd": tuple(str(days["abbreviated"][d]) for d in range(7)),  # Mon … Sun
    }


# Abbreviations people write besides the locale's three letters.
_EXTRA_MON = {9: ("Sept",)}
_EXTRA_WKD = {1: ("Tues",), 2: ("Weds",), 3: ("Thurs", "Thu")}


def ordinal(day: int) -> str:
    """1 → "1st", 2 → "2nd", 11 → "11th", 23 → "23rd"."""
    if 10 <= day % 100 <= 20:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


# --------------------------------------------------------------------------------------------
# Writing one date in one family. Each writer gets the date and a Generator and returns the
# string *before* case changes; real-world writers may return title-case words.

Writer = Callable[[dt.date, np.random.Generator], str]


def _pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    return options[int(rng.integers(len(options)))]


def _month(date: dt.date, rng: np.random.Generator, short: float = 0.5) -> str:
    """The month's name, full or abbreviated (sometimes "Sept")."""
    names = _names()
    if rng.random() < short:
        return _pick(rng, (names["mon"][date.month - 1], *_EXTRA_MON.get(date.month, ())))
    return names["month"][date.month - 1]


def _weekday(date: dt.date, rng: np.random.Generator, short: float = 0.5) -> str:
    names = _names()
    if rng.random() < short:
        return _pick(rng, (names["wkd"][date.weekday()], *_EXTRA_WKD.get(date.weekday(), ())))
    return names["weekday"][date.weekday()]


def _year(date: dt.date, rng: np.random.Generator, two_digit: float = 0.2) -> str:
    return f"{date.year % 100:02d}" if rng.random() < two_digit else str(date.year)


def _course_writer(pattern: str) -> Writer:
    def write(date: dt.date, rng: np.random.Generator) -> str:
        from babel.dates import format_date

        # The assignment's load_date: format, lower-case, drop the commas.
        return str(format_date(date, format=pattern, locale=_locale())).lower().replace(",", "")

    return write


def _babel(date: dt.date, pattern: str) -> str:
    from babel.dates import format_date

    return str(format_date(date, format=pattern, locale=_locale()))


def _ordinal(date: dt.date, rng: np.random.Generator) -> str:
    # One in ten writers puts "th" on every number ("21th", "2th"): the model must read past it.
    day = f"{date.day}th" if rng.random() < 0.1 else ordinal(date.day)
    month, year = _month(date, rng), _year(date, rng, 0.1)
    comma = "," if rng.random() < 0.4 else ""
    return _pick(rng, (f"{month} {day}{comma} {year}", f"{day} {month}{comma} {year}"))


def _the_of(date: dt.date, rng: np.random.Generator) -> str:
    day = f"{date.day}th" if rng.random() < 0.1 else ordinal(date.day)
    month, year = _month(date, rng, 0.3), _year(date, rng, 0.1)
    comma = "," if rng.random() < 0.4 else ""
    text = f"{day} of {month}{comma} {year}"
    if rng.random() < 0.6:
        text = "the " + text
    if rng.random() < 0.25:
        text = f"{_weekday(date, rng, 0.6)}{',' if rng.random() < 0.3 else ''} {text}"
    return text


_CAPITAL_PATTERNS = ("medium", "long", "full", "d MMMM y", "d MMM y", "MMMM d, y", "EEE, MMM d, y", "EEEE d MMMM y")


def _capitals(date: dt.date, rng: np.random.Generator) -> str:
    # babel's own output, capitals and commas kept: "Saturday, May 9, 2018", "9 May 2018".
    return _babel(date, _pick(rng, _CAPITAL_PATTERNS))


def _spaces(date: dt.date, rng: np.random.Generator) -> str:
    base = _course_writer(_pick(rng, COURSE_PATTERNS))(date, rng) if rng.random() < 0.6 else _capitals(date, rng)
    words = base.split(" ")
    out = " " * int(rng.integers(0, 3))
    for i, word in enumerate(words):
        out += word + (" " * int(rng.integers(1, 4)) if i < len(words) - 1 else "")
    return out + " " * int(rng.integers(0, 3))


def _iso(date: dt.date, rng: np.random.Generator) -> str:
    y, m, d = date.year, date.month, date.day
    return _pick(rng, (f"{y}-{m:02d}-{d:02d}", f"{y}-{m:02d}-{d:02d}", f"{y}/{m:02d}/{d:02d}",
                       f"{y}.{m:02d}.{d:02d}", f"{y}-{m}-{d}", f"{y}{m:02d}{d:02d}"))


def _dashed(date: dt.date, rng: np.random.Generator) -> str:
    day = f"{date.day:02d}" if rng.random() < 0.4 else str(date.day)
    month, year = _month(date, rng, 0.8), _year(date, rng, 0.3)
    return f"{day}-{month}-{year}" if rng.random() < 0.8 else f"{month}-{day}-{year}"


def _abbrev_dot(date: dt.date, rng: np.random.Generator) -> str:
    names = _names()
    month = _pick(rng, (names["mon"][date.month - 1], *_EXTRA_MON.get(date.month, ()))) + "."
    if date.month == 5:
        month = "May"  # nobody writes "May."
    comma = "," if rng.random() < 0.5 else ""
    year = _year(date, rng, 0.1)
    return _pick(rng, (f"{month} {date.day}{comma} {year}", f"{date.day} {month} {year}"))


def _weekday_abbr(date: dt.date, rng: np.random.Generator) -> str:
    names = _names()
    wkd = _pick(rng, (names["wkd"][date.weekday()], *_EXTRA_WKD.get(date.weekday(), ())))
    wkd += _pick(rng, ("", "", ".", ","))
    month, year = _month(date, rng), _year(date, rng, 0.1)
    comma = "," if rng.random() < 0.4 else ""
    day = ordinal(date.day) if rng.random() < 0.2 else str(date.day)
    return _pick(rng, (f"{wkd} {month} {day}{comma} {year}", f"{wkd} {day} {month} {year}",
                       f"{wkd} {date.month}/{date.day}/{date.year % 100:02d}"))


def _numeric(date: dt.date, rng: np.random.Generator) -> str:
    y, m, d = date.year, date.month, date.day
    return _pick(rng, (
        f"{m}/{d}/{y}", f"{m:02d}/{d:02d}/{y}", f"{m:02d}/{d:02d}/{y % 100:02d}",  # slash: month first
        f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}", f"{d}.{m}.{y % 100:02d}",  # dot: day first
        f"{d} {m:02d} {y}", f"{d:02d} {m:02d} {y % 100:02d}",  # space: day first
    ))


def _apostrophe(date: dt.date, rng: np.random.Generator) -> str:
    month, year = _month(date, rng), f"'{date.year % 100:02d}"
    comma = "," if rng.random() < 0.4 else ""
    return _pick(rng, (f"{month} {date.day}{comma} {year}", f"{date.day} {month} {year}"))


def _compact(date: dt.date, rng: np.random.Generator) -> str:
    names = _names()
    mon = names["mon"][date.month - 1]
    year = _year(date, rng, 0.4)
    return _pick(rng, (f"{date.day:02d}{mon}{year}", f"{date.day}{mon}{year}"))


def _with_case(text: str, rng: np.random.Generator) -> str:
    """Lower case mostly; sometimes as written (Title) or ALL CAPS."""
    u = rng.random()
    if u < 0.55:
        return text.lower()
    if u < 0.85:
        return text
    return text.upper()


FAMILIES: dict[str, Family] = {
    **{p: Family(p, "course", example, float(COURSE_PATTERNS.count(p))) for p, example in (
        ("short", "7/4/76"), ("medium", "jul 4 1976"), ("long", "july 4 1976"),
        ("full", "sunday july 4 1976"), ("d MMM y", "4 jul 1976"), ("d MMMM y", "4 july 1976"),
        ("dd MMM y", "04 jul 1976"), ("d MMM, y", "4 jul 1976"), ("d MMMM, y", "4 july 1976"),
        ("dd, MMM y", "04 jul 1976"), ("d MM yy", "4 07 76"), ("MMMM d y", "july 4 1976"),
        ("MMMM d, y", "july 4 1976"), ("dd.MM.yy", "04.07.76"),
    )},
    "ordinal": Family("ordinal", "real", "July 4th, 1976 · 4th jul 1976"),
    "the-of": Family("the-of", "real", "the 4th of july 1976 · Sunday, 4th of July 1976"),
    "capitals": Family("capitals", "real", "Sunday, July 4, 1976 · 4 Jul 1976"),
    "spaces": Family("spaces", "real", " july  4   1976 "),
    "iso": Family("iso", "real", "1976-07-04 · 1976/07/04 · 19760704"),
    "dashed": Family("dashed", "real", "4-jul-1976 · 04-JUL-76"),
    "abbrev-dot": Family("abbrev-dot", "real", "jul. 4, 1976 · Sept. 21 2016"),
    "weekday-abbr": Family("weekday-abbr", "real", "sun jul 4 1976 · Sun. 7/4/76"),
    "numeric": Family("numeric", "real", "7/4/1976 · 04.07.1976 · 4 07 1976"),
    "apostrophe": Family("apostrophe", "real", "july 4 '76"),
    "compact": Family("compact", "real", "04JUL1976 · 4jul76"),
}
"""Every format family, course families first (their names are the babel patterns)."""

_REAL_WRITERS: dict[str, Writer] = {
    "ordinal": _ordinal, "the-of": _the_of, "capitals": _capitals, "spaces": _spaces, "iso": _iso,
    "dashed": _dashed, "abbrev-dot": _abbrev_dot, "weekday-abbr": _weekday_abbr, "numeric": _numeric,
    "apostrophe": _apostrophe, "compact": _compact,
}
# Families whose text is cased by _with_case (capitals keep babel's case on purpose; iso and
# numeric have no letters).
_RECASED = frozenset({"ordinal", "the-of", "dashed", "abbrev-dot", "weekday-abbr", "apostrophe", "compact"})


NUMERIC_FAMILIES = frozenset({"short", "d MM yy", "dd.MM.yy", "iso", "numeric", "compact"})
"""Families where digits carry the whole date: which number is the day, the month or the year
follows only from separators and counting (and for two-digit years from the century rule). They
are the last a model learns; training can show them more often (``emphasis``)."""


def families(kind: Kind | None = None) -> tuple[str, ...]:
    """The family names of one kind (or all), in report order."""
    return tuple(name for name, fam in FAMILIES.items() if kind is None or fam.kind == kind)


def write_date(date: dt.date, family: str, rng: np.random.Generator) -> str:
    """Write ``date`` in ``family``'s style (random choices within the family from ``rng``)."""
    fam = FAMILIES.get(family)
    if fam is None:
        raise InvalidInput(f"Unknown date format family {family!r}: choose one of {', '.join(FAMILIES)}.")
    if fam.kind == "course":
        return _course_writer(family)(date, rng)
    text = _REAL_WRITERS[family](date, rng)
    return _with_case(text, rng) if family in _RECASED else text


# --------------------------------------------------------------------------------------------
# Days: the whole range, split once into training and held-out days.


@lru_cache(maxsize=1)
def _day_split() -> tuple[np.ndarray, np.ndarray]:
    """(training day ordinals, held-out day ordinals), fixed for every run."""
    days = np.arange(FIRST_DAY.toordinal(), LAST_DAY.toordinal() + 1)  # (n_days,)
    held = np.random.default_rng(_SPLIT_SEED).random(days.size) < HELDOUT_SHARE  # (n_days,)
    return days[~held], days[held]


def is_heldout(date: dt.date) -> bool:
    """Whether ``date`` is one of the days training never uses."""
    held = _day_split()[1]
    index = int(np.searchsorted(held, date.toordinal()))
    return index < held.size and int(held[index]) == date.toordinal()


def generate(
    n: int,
    *,
    seed: int | np.random.Generator | None = 0,
    mix: Mix = "mixed",
    real_share: float = 0.5,
    split: Literal["train", "heldout"] = "train",
    max_length: int | None = None,
    family: str | None = None,
    emphasis: float = 1.0,
) -> list[DatePair]:
    """Generate ``n`` (human, ISO, family) pairs, reproducibly from ``seed``.

    Args:
        n: How many pairs.
        seed: An int or a ``np.random.Generator`` (``None``: fresh randomness).
        mix: ``"course"`` families only, ``"real"`` only, or ``"mixed"``.
        real_share: With ``mix="mixed"``, the share of real-world pairs.
        split: ``"train"`` draws dates from the training days, ``"heldout"`` from the held-out
            days (the two never overlap).
        max_length: Rewrite a date (another family draw) while its text is longer than this;
            ``None`` keeps every length.
        family: Only this family (overrides ``mix``).
        emphasis: Weight multiplier of :data:`NUMERIC_FAMILIES` within their kind (1: the
            course's weights and equal real-world weights).

    Raises:
        InvalidInput: a bad count, share, mix, split, length or family.
    """
    if not 0 <= n <= 10_000_000:
        raise InvalidInput(f"n must be between 0 and 10,000,000 (got {n}).")
    if mix not in ("course", "real", "mixed"):
        raise InvalidInput(f"Unknown mix {mix!r}: choose course, real or mixed.")
    if not 0 <= real_share <= 1:
        raise InvalidInput(f"The real-world share must be between 0 and 1 (got {real_share}).")
    if split not in ("train", "heldout"):
        raise InvalidInput(f"Unknown split {split!r}: choose train or heldout.")
    if max_length is not None and max_length < 10:
        raise InvalidInput(f"max_length must be at least 10 characters (got {max_length}).")
    if family is not None and family not in FAMILIES:
        raise InvalidInput(f"Unknown date format family {family!r}: choose one of {', '.join(FAMILIES)}.")
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    days = _day_split()[0 if split == "train" else 1]
    course, real = families("course"), families("real")
    if not 0 < emphasis <= 100:
        raise InvalidInput(f"emphasis must be in (0, 100] (got {emphasis}).")

    def weights(names: tuple[str, ...]) -> np.ndarray:
        w = np.array([FAMILIES[f].weight * (emphasis if f in NUMERIC_FAMILIES else 1.0) for f in names])
        return w / w.sum()

    p_course, p_real = weights(course), weights(real)
    share = {"course": 0.0, "real": 1.0, "mixed": real_share}[mix]

    # Draw in bulk (one call per array, not per date); a rewrite for length draws afresh.
    day_ix = rng.integers(days.size, size=n)  # (n,)
    is_real = rng.random(n) < share  # (n,)
    cum_course, cum_real = np.cumsum(p_course), np.cumsum(p_real)
    fam_u = rng.random(n)  # (n,)

    def family_of(real_draw: bool, u: float) -> str:
        if family is not None:
            return family
        if real_draw:
            return real[min(int(np.searchsorted(cum_real, u, side="right")), len(real) - 1)]
        return course[min(int(np.searchsorted(cum_course, u, side="right")), len(course) - 1)]

    pairs = []
    for i in range(n):
        date = dt.date.fromordinal(int(days[day_ix[i]]))
        name = family_of(bool(is_real[i]), float(fam_u[i]))
        text = write_date(date, name, rng)
        attempts = 0
        while max_length is not None and len(text) > max_length:
            attempts += 1
            if attempts > 100:  # pragma: no cover - every family has short forms
                raise InvalidInput(f"No format of {family or mix} fits in {max_length} characters.")
            name = family_of(bool(rng.random() < share), float(rng.random()))
            text = write_date(date, name, rng)
        pairs.append(DatePair(text, date.isoformat(), name))
    return pairs


def tricky(seed: int | np.random.Generator | None = None, max_length: int | None = None) -> DatePair:
    """One date for the tab's "fuzz" key: a real-world family (the all-digit ones three times as
    often: they are the hardest), on a held-out day no training run has used."""
    return generate(1, seed=seed, mix="real", split="heldout", max_length=max_length, emphasis=3.0)[0]
