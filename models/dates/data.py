"""Human-written dates and their ISO form: the seeded data generator of the dates task.

Two kinds of format *families*:

- ``course`` — the assignment's own list: a random date written by babel's ``format_date`` in
  one of 24 patterns ('short', 'medium', 'long', 'full' ×10, 'd MMM y' …), lower-cased, commas
  removed. One fix: the course wrote years as ``YYY``/``YY``, which in CLDR is the *week-numbering*
  year, so 30 December 2018 came out as "30 dec 2019" while its label said 2018-12-30 — about
  0.3% of the course's pairs are wrong. Here the same patterns use the calendar year ``y``.
- ``real`` — what people actually type and the course's list lacks, built from what mail, logs,
  forms and chat contain: ordinals ("21st", even the wrong "21th"), "the 4th of july", capitals
  and commas, extra spaces, ISO input and timestamps ("1976-07-04T09:30:00Z"), RFC 2822 headers
  ("Sun, 04 Jul 1976 09:30:00 +0000"), "4-jul-1976", "jul. 4, 1976", weekday names before and
  after, numeric dates with a weekday ("Sun 04/07/1976"), four-digit numeric years, day-first
  numerics whose day cannot be a month (24/11/1992, 24-11-1992), US dashes (11-20-1979),
  "'76", "04JUL1976", year-first with names (1976 Jul 04), times after the date ("at 5pm",
  "14:05"), and words around it ("on …", "due …", "4 July of 1976").

Ambiguous numeric forms are read as the course reads them: a slash or a dash is month first
('short': 5/9/18 is 9 May), a dot or a space is day first ('dd.MM.yy', 'd MM yy'); the
day-first family writes slashes and dashes only for days above 12, where no other reading
exists. Dates run from 1900 to 2099; a two-digit year is written only for the years the POSIX
pivot reads back (1969–2068: 69–99 → 19xx, 00–68 → 20xx), the rule the checks apply.

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

FIRST_DAY = dt.date(1900, 1, 1)
"""The earliest generated date (the course's Faker started at 1970; birth dates, contracts and
letters reach further back)."""
LAST_DAY = dt.date(2099, 12, 31)
"""The latest generated date (a fixed end keeps runs reproducible whatever the day)."""
PIVOT_FIRST, PIVOT_LAST = 1969, 2068
"""The years a two-digit year stands for (POSIX strptime's %y: 69–99 → 19xx, 00–68 → 20xx).
Dates outside them are written with four digits only."""
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


def two_digit_ok(date: dt.date) -> bool:
    """Whether a two-digit year reads back as ``date``'s year (the POSIX pivot)."""
    return PIVOT_FIRST <= date.year <= PIVOT_LAST


def _year(date: dt.date, rng: np.random.Generator, two_digit: float = 0.2) -> str:
    short = rng.random() < two_digit
    return f"{date.year % 100:02d}" if short and two_digit_ok(date) else str(date.year)


def _yy(date: dt.date) -> str:
    """The year in two digits where the pivot reads it back, else four."""
    return f"{date.year % 100:02d}" if two_digit_ok(date) else str(date.year)


# The course's two-digit-year patterns, with the year in four digits for the dates a two-digit
# year cannot stand for (7/4/1925, not 7/4/25, which reads as 2025).
_FOUR_DIGIT_YEAR = {"short": "M/d/y", "d MM yy": "d MM y", "dd.MM.yy": "dd.MM.y"}


def _course_writer(pattern: str) -> Writer:
    def write(date: dt.date, rng: np.random.Generator) -> str:
        from babel.dates import format_date

        written = pattern if two_digit_ok(date) else _FOUR_DIGIT_YEAR.get(pattern, pattern)
        # The assignment's load_date: format, lower-case, drop the commas.
        return str(format_date(date, format=written, locale=_locale())).lower().replace(",", "")

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
                       f"{wkd} {date.month}/{date.day}/{_yy(date)}"))


def _numeric(date: dt.date, rng: np.random.Generator) -> str:
    y, m, d = date.year, date.month, date.day
    return _pick(rng, (
        f"{m}/{d}/{y}", f"{m:02d}/{d:02d}/{y}", f"{m:02d}/{d:02d}/{_yy(date)}",  # slash: month first
        f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}", f"{d}.{m}.{_yy(date)}",  # dot: day first
        f"{d} {m:02d} {y}", f"{d:02d} {m:02d} {_yy(date)}",  # space: day first
    ))


def _apostrophe(date: dt.date, rng: np.random.Generator) -> str:
    month = _month(date, rng)
    year = f"'{date.year % 100:02d}" if two_digit_ok(date) else str(date.year)
    comma = "," if rng.random() < 0.4 else ""
    return _pick(rng, (f"{month} {date.day}{comma} {year}", f"{date.day} {month} {year}"))


def _compact(date: dt.date, rng: np.random.Generator) -> str:
    names = _names()
    mon = names["mon"][date.month - 1]
    year = _year(date, rng, 0.4)
    return _pick(rng, (f"{date.day:02d}{mon}{year}", f"{date.day}{mon}{year}"))


def _day_first(date: dt.date, rng: np.random.Generator) -> str:
    # Europe's numeric order. A slash or a dash only when the day is above 12 (24/11/1992): with a
    # smaller day the text has two readings, and the checks call it ambiguous whatever is read.
    y, m, d = date.year, date.month, date.day
    if d <= 12:
        return _pick(rng, (f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}", f"{d:02d}.{m:02d}.{_yy(date)}", f"{d:02d} {m:02d} {y}"))
    sep = _pick(rng, ("/", "/", "-", "."))
    year = str(y) if rng.random() < 0.75 else _yy(date)
    return _pick(rng, (f"{d}{sep}{m:02d}{sep}{year}", f"{d}{sep}{m}{sep}{year}"))


def _us_dashes(date: dt.date, rng: np.random.Generator) -> str:
    # Month first with dashes, as US forms write them (11-20-1979, 3-9-20).
    y, m, d = date.year, date.month, date.day
    return _pick(rng, (f"{m:02d}-{d:02d}-{y}", f"{m}-{d}-{y}", f"{m:02d}-{d:02d}-{_yy(date)}", f"{m}-{d}-{_yy(date)}"))


def _clock(rng: np.random.Generator) -> str:
    """A time of day as mail, logs and chat write it."""
    h, mi, sec = int(rng.integers(24)), int(rng.integers(60)), int(rng.integers(60))
    h12 = h % 12 or 12
    ampm = _pick(rng, ("am", "pm", "AM", "PM", "a.m.", "p.m."))
    return _pick(rng, (
        f"{h:02d}:{mi:02d}", f"{h:02d}:{mi:02d}:{sec:02d}", f"{h12}:{mi:02d} {ampm}", f"{h12}{ampm}",
        f"{h12} {ampm}", f"at {h12}{ampm}", f"at {h:02d}:{mi:02d}", f"@ {h12}:{mi:02d}{ampm}",
    ))


def _zone(rng: np.random.Generator) -> str:
    return _pick(rng, ("GMT", "UTC", "+0000", "-0500", "+0100", "+05:30", "EST", "PDT", "CET", "Z"))


def _timestamp(date: dt.date, rng: np.random.Generator) -> str:
    # A date with its time (and zone): RFC 2822 headers, ISO 8601 / RFC 3339, logs, invitations.
    y, m, d = date.year, date.month, date.day
    names = _names()
    wkd, mon = names["wkd"][date.weekday()], names["mon"][m - 1]
    h, mi, sec = int(rng.integers(24)), int(rng.integers(60)), int(rng.integers(60))
    style = int(rng.integers(6))
    if style == 0:  # RFC 2822
        day = f"{d:02d}" if rng.random() < 0.5 else str(d)
        return f"{wkd}, {day} {mon} {y} {h:02d}:{mi:02d}:{sec:02d} {_zone(rng)}"
    if style == 1:  # ISO 8601 / RFC 3339
        zone = _pick(rng, ("Z", "", "+00:00", "-05:00", "+01:00", ".000Z"))
        sep = "T" if rng.random() < 0.8 else " "
        return f"{y}-{m:02d}-{d:02d}{sep}{h:02d}:{mi:02d}:{sec:02d}{zone}"
    if style == 2:  # a numeric date and a clock
        first = _pick(rng, (f"{m}/{d}/{y}", f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}"))
        return f"{first}{_pick(rng, (' ', ', ', ' '))}{_clock(rng)}"
    if style == 3:  # words and a clock: "March 9th, 2020 at 4pm"
        day = ordinal(d) if rng.random() < 0.4 else str(d)
        first = _pick(rng, (f"{_month(date, rng)} {day}, {y}", f"{day} {_month(date, rng)} {y}", f"{_weekday(date, rng)}, {_month(date, rng)} {day}, {y}"))
        return f"{first}{_pick(rng, (' ', ', '))}{_clock(rng)}"
    if style == 4:  # a time before the date: "10:30 on 4 July 1976"
        return f"{_clock(rng).removeprefix('at ').removeprefix('@ ')}{_pick(rng, (' on ', ', ', ' '))}{d} {_month(date, rng)} {y}"
    return f"{d:02d}/{mon}/{y}:{h:02d}:{mi:02d}:{sec:02d} {_pick(rng, ('+0000', '-0700', '+0200'))}"  # access logs


def _weekday_around(date: dt.date, rng: np.random.Generator) -> str:
    # A weekday before or after a numeric or year-first date: "Tue 03/09/2021", "2021-03-09 (Tue)".
    y, m, d = date.year, date.month, date.day
    wkd = _weekday(date, rng, 0.7)
    core = _pick(rng, (f"{m}/{d}/{y}", f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}", f"{d:02d}.{m:02d}.{y}",
                       f"{d} {_month(date, rng)} {y}", f"{_month(date, rng)} {d}, {y}"))
    if rng.random() < 0.6:
        return f"{wkd}{_pick(rng, (' ', ', ', '. '))}{core}"
    sep = _pick(rng, (" ", ", ", " ("))
    return f"{core}{sep}{wkd}" + (")" if sep == " (" else "")


def _year_first(date: dt.date, rng: np.random.Generator) -> str:
    # Year first with a month name or dots, as East Asian and engineering writers do: 1976 Jul 04.
    y, m, d = date.year, date.month, date.day
    mon = _month(date, rng, 0.8)
    return _pick(rng, (f"{y} {mon} {d:02d}", f"{y} {mon} {d}", f"{y}-{mon}-{d:02d}", f"{y}.{m}.{d}",
                       f"{y}. {m}. {d}.", f"{y}/{m}/{d}", f"{y}{m:02d}{d:02d}"))


_BEFORE = ("on", "due", "dated", "by", "from", "until", "since", "as of", "effective", "deadline:",
           "date:", "born", "expires", "valid until", "delivered", "posted", "sent", "updated")
_BETWEEN_DAY_MONTH = ("of", "day of")


def _extra_words(date: dt.date, rng: np.random.Generator) -> str:
    # Words around the date ("due 4 July 1976", "4 July of 1976", "July the 4th, 1976").
    d, y = date.day, _year(date, rng, 0.1)
    month = _month(date, rng, 0.4)
    core = _pick(rng, (f"{d} {month} {y}", f"{month} {d}, {y}", f"{month} the {ordinal(d)}, {y}",
                       f"{ordinal(d)} {_pick(rng, _BETWEEN_DAY_MONTH)} {month} {y}", f"{d} {month} of {y}",
                       f"{month} {ordinal(d)} in {y}", f"{date.month}/{d}/{y}"))
    if rng.random() < 0.8:
        core = f"{_pick(rng, _BEFORE)} {core}"
    return core


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
    "day-first": Family("day-first", "real", "24/11/1992 · 24-11-1992 · 04.07.1976"),
    "us-dashes": Family("us-dashes", "real", "07-04-1976 · 7-4-76"),
    "timestamp": Family("timestamp", "real", "Sun, 04 Jul 1976 09:30:00 GMT · 1976-07-04T09:30:00Z · July 4th, 1976 at 4pm", 1.5),
    "weekday-around": Family("weekday-around", "real", "Sun 07/04/1976 · 1976-07-04 (Sun)"),
    "year-first": Family("year-first", "real", "1976 Jul 04 · 1976.7.4 · 19760704"),
    "extra-words": Family("extra-words", "real", "due 4 July 1976 · July the 4th, 1976 · the 4th day of July 1976"),
}
"""Every format family, course families first (their names are the babel patterns)."""

_REAL_WRITERS: dict[str, Writer] = {
    "ordinal": _ordinal, "the-of": _the_of, "capitals": _capitals, "spaces": _spaces, "iso": _iso,
    "dashed": _dashed, "abbrev-dot": _abbrev_dot, "weekday-abbr": _weekday_abbr, "numeric": _numeric,
    "apostrophe": _apostrophe, "compact": _compact, "day-first": _day_first, "us-dashes": _us_dashes,
    "timestamp": _timestamp, "weekday-around": _weekday_around, "year-first": _year_first, "extra-words": _extra_words,
}
# Families whose text is cased by _with_case (capitals keep babel's case on purpose; iso and
# numeric have no letters).
_RECASED = frozenset({"ordinal", "the-of", "dashed", "abbrev-dot", "weekday-abbr", "apostrophe", "compact",
                      "timestamp", "weekday-around", "year-first", "extra-words"})


NUMERIC_FAMILIES = frozenset({"short", "d MM yy", "dd.MM.yy", "iso", "numeric", "compact", "day-first", "us-dashes"})
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
