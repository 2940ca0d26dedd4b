"""Cross-examining a translation: what part of a text the model reads, and whether its answer holds.

The translator always answers ten characters, even for "banana". Two steps keep it honest:

- :func:`locate` finds the date in a text and what the model should read: the stretch from the
  first to the last date word (a number, a month or a weekday name), without the times and time
  zones in it ("On Tue, Mar 2, 2021 at 9:14 AM John wrote:" → "Tue, Mar 2, 2021").
- :func:`examine` checks the model's answer against that text, the way a careful reader would:
  every number and month name in it must be accounted for by the answer (a day, a month, a year),
  a weekday must be the date's, a numeric date must have a reading that exists at all (no 31/09),
  and when both day-first and month-first readings exist it is *ambiguous*, with both readings.
  An answer that passes everything and is confident enough is a date; otherwise it is declined
  with the reason ("not a date: …", "not sure: …").

The readings come from the text alone (numbers, month and weekday names), so a check never
trusts the model to check itself.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Kind = Literal["number", "month", "weekday", "word", "time", "other"]
Status = Literal["date", "ambiguous", "declined"]

MIN_CONFIDENCE = 0.5
"""Below this probability of its ten characters, an answer is "not sure". A guard: on the
development set (data/eval/dates/mail.tsv) no threshold from 0 to 0.9 changed a verdict, since
the cross-examination had already declined every answer the text did not support."""

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_MONTHS |= {"sept": 9}
# Month names of the languages whose dates English text quotes most (letters and addresses);
# the model learned English names only, so these only confirm what it read.
_MONTHS |= {name: i for i, names in enumerate((
    "", "janvier januar enero gennaio jän", "février fevrier februar febrero febbraio",
    "mars märz maerz marzo", "avril abril aprile", "mai mayo maggio", "juin juni junio giugno",
    "juillet juli julio luglio", "août aout agosto", "septembre septiembre settembre",
    "octobre oktober octubre ottobre okt", "novembre noviembre", "décembre decembre dezember diciembre dicembre dez",
)) for name in names.split()}
# Dutch and Portuguese, where they differ from the above
_MONTHS |= {name: i for i, names in enumerate((
    "", "januari janeiro", "februari fevereiro", "maart março marco", "", "mei maio", "junho", "julho",
    "augustus", "setembro", "outubro", "", "dezembro",
)) for name in names.split()}
# Abbreviations people write in those languages, and Polish (nominative and the genitive of dates)
_MONTHS |= {name: i for i, names in enumerate((
    "", "janv ene stycznia styczeń styczen", "févr fév fevr feb lutego luty", "mrz marca marzec",
    "avr abr kwietnia kwiecień kwiecien", "maja maj", "czerwca czerwiec", "juil lipca lipiec",
    "sierpnia sierpień sierpien", "września wrzesień wrzesnia wrzesien", "października październik pazdziernika",
    "listopada listopad", "déc dic grudnia grudzień grudzien",
)) for name in names.split()}
_ENGLISH_MONTHS = frozenset(name.lower() for name in (*calendar.month_name, *calendar.month_abbr, "sept") if name)
_NOT_MISSPELT = frozenset({"match", "marches", "maybe", "junior", "julia", "julie", "number", "member"})
"""Words one letter from a month name that are words of their own."""
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAYS |= {name.lower(): i for i, name in enumerate(calendar.day_abbr)}
_WEEKDAYS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
_ZONES = frozenset({
    "z", "utc", "gmt", "cet", "cest", "eet", "eest", "wet", "west", "bst", "ist", "jst", "kst", "msk",
    "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt", "akst", "akdt", "hst", "aest", "aedt",
})
_IDENTIFIERS = frozenset({"id", "no", "nr", "num", "number", "ref", "code", "phone", "tel", "fax",
                          "iban", "account", "acct", "ticket", "pnr", "isbn", "version", "v",
                          "build", "batch", "lot", "serial", "sku", "invoice", "item", "part", "rev", "ver",
                          "firmware", "fw", "kernel", "driver"})
"""Words that say the number after them names something (``Employee ID 19850317``)."""

_TOKEN = re.compile(
    r"""
    (?P<time>
        (?<=\d{4}:)\d{2}:\d{2}:\d{2}(?:[.,]\d+)?                        # Apache's 12/Mar/2023:14:02:55
        | (?<!\d{4}:)(?<!\d{4}:\d)t?\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]\.?m\.?)?  # 9:14, 14:05:00.123, 9:14 am (not EXIF's 2019:08:17)
        | (?<=\bat\s)\d{1,2}\.\d{2}(?:\.\d{2})?(?!\.?\d)                 # "at 10.14.52" (a file name's time)
        | \d{1,2}[.]\d{2}\s*[ap]\.?m\.?(?![a-z])                     # 4.30pm (a dotted time says am/pm)
        | \d{1,2}\s*[ap]\.?m\.?(?![a-z])                              # 4pm, 11 a.m.
        | (?<=[\d\s(])[+-]\d{2}:?\d{2}(?!\d)                           # +0100, -07:00 after a time
    )
    | (?P<decimal>(?<![.\d])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![.,]?\d)         # 1,250 or 1,203.12, an amount
        | (?<![.,\d])\d+\.\d{2}(?![.,/-]*\d)                              # 9.99, a price
        | (?<=\d,)\d+\.\d{2}(?![.,/-]*\d)                              # 12,9.99: a price after a comma
    )
    | (?P<code>(?<=\*)\d+|(?<!\d)(?:\d{5,7}|\d{9,})(?!\d))                     # ****4821, #000417, 183355: not date words
    | (?P<number>\d+)(?P<suffix>st|nd|rd|th)?
    | (?P<word>[^\W\d_]+)
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True)
class Token:
    """A piece of a text: a number, a month or weekday name, a time, or another word.

    Attributes:
        text: As written.
        kind: What it is.
        start: Where it starts in the text.
        end: Where it ends.
        value: A number's value, a month's number (1–12) or a weekday's (0 = Monday).
    """

    text: str
    kind: Kind
    start: int
    end: int
    value: int = 0

    @property
    def digits(self) -> int:
        """How many digits a number has (0 for other tokens)."""
        return sum(ch.isdigit() for ch in self.text) if self.kind == "number" else 0


def scan(text: str) -> list[Token]:
    """The numbers, names, times and words of ``text``, in order."""
    tokens: list[Token] = []
    after_time = seen_time = False
    for match in _TOKEN.finditer(text):
        piece, start, end = match.group(), match.start(), match.end()
        if match.group("decimal") or match.group("code"):
            tokens.append(Token(piece, "other", start, end))
            after_time = False
            continue
        if match.group("time"):
            sign = piece[0] in "+-"
            # "-0400" is a number with a dash unless a time came before it (the zone of
            # "Mon Feb 6 14:22:10 2023 +0100" follows the year)
            zone = seen_time and piece[1:].isdigit() and len(piece) == 5 and start > 0 and text[start - 1].isspace()
            if sign and not after_time and not zone:
                number = re.search(r"\d+", piece)
                assert number is not None
                tokens.append(Token(number.group(), "number", start + number.start(), end, int(number.group())))
                continue
            tokens.append(Token(piece, "time", start, end))
            after_time = seen_time = True
            continue
        if match.group("number"):
            digits = match.group("number")
            if not match.group("suffix") and _hour_after_at(text, start, end):
                tokens.append(Token(piece, "time", start, end))  # "sat 25th nov 2023 at 7"
                after_time = seen_time = True
                continue
            if tokens and tokens[-1].end == start and tokens[-1].kind in ("word", "other") and not _CJK.match(text[start - 1]):
                # digits glued to a word are part of a code ("Q2", "BA0117", "k3si812")
                tokens[-1] = Token(text[tokens[-1].start:end], tokens[-1].kind, tokens[-1].start, end)
                continue
            tokens.append(Token(piece, "number", start, end, int(digits)))
            after_time = False
            continue
        word = piece.lower()
        if tokens and tokens[-1].end == start and tokens[-1].kind == "word" and not _CJK.match(piece[0]):
            tokens[-1] = Token(text[tokens[-1].start:end], "word", tokens[-1].start, end)
            continue
        if (tokens and tokens[-1].end == start and tokens[-1].kind == "number" and tokens[-1].digits == 8
                and word != "t"):
            # "sha256:20210312e4b7…": eight digits glued to letters are a hash or a code, not YYYYMMDD
            tokens[-1] = Token(text[tokens[-1].start:end], "other", tokens[-1].start, end)
            continue
        if tokens and tokens[-1].kind == "other" and tokens[-1].end == start:
            tokens[-1] = Token(text[tokens[-1].start:end], "other", tokens[-1].start, end)
            continue
        month = _MONTHS.get(word) or _misspelt_month(word)
        if month and re.match(r"['’]s\b", text[end:]):
            month = 0  # "Jan's bday": a name, not January
        if month:
            tokens.append(Token(piece, "month", start, end, month))
        elif word in _WEEKDAYS:

            tokens.append(Token(piece, "weekday", start, end, _WEEKDAYS[word]))
        elif word in _ZONES or (word == "t" and tokens and tokens[-1].kind == "number"):
            tokens.append(Token(piece, "time", start, end))
            continue
        else:
            tokens.append(Token(piece, "word", start, end))
        after_time = after_time and word in _ZONES
    return tokens


_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")
"""Chinese, Japanese and Korean characters (and full-width forms): their words are not spaced
apart, so digits next to them are not glued into a code ("1949年10月1日")."""


def _hour_after_at(text: str, start: int, end: int) -> bool:
    """Whether the number ``text[start:end]`` is an hour after "at" or "@" ("… nov 2023 at 7")."""
    if end - start > 2 or int(text[start:end]) > 24:
        return False
    if re.match(r"\s*[/.-]\s*\d", text[end:]):
        return False  # "at 05/03/2021" is a date
    return re.search(r"(?:\bat|@)\s*$", text[:start], re.IGNORECASE) is not None


def _misspelt_month(word: str) -> int:
    """The month a word of five letters or more misspells (one letter off; two from eight letters on;
    never the first letter, and not a word of its own such as "match"), or 0."""
    if len(word) < 5 or not word.isalpha() or word in _NOT_MISSPELT:
        return 0
    close = {month for name, month in _FULL_MONTHS.items()
             if name[0] == word[0] and _distance(word, name) <= (1 if len(word) < 8 else 2)}
    return close.pop() if len(close) == 1 else 0


_FULL_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}


def _distance(a: str, b: str) -> int:
    """Levenshtein distance between two short words."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


DATE_KINDS = frozenset({"number", "month", "weekday"})

# Japanese era names and the year before each era's first (令和元年 = 2019, 平成31年 = 2019)
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
_ERA_YEAR = re.compile(r"(令和|平成|昭和|大正|明治)\s*(元|\d{1,2})\s*年")
_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_ROMAN_DATE = re.compile(r"\b(\d{1,2})\s*[./·-]?\s*(XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\s*[./·-]?\s*(\d{4}|\d{2})\b")
_PLACES = re.compile(r"\bRio de Janeiro\b", re.IGNORECASE)
"""Place names with a month in them."""


def normalise(text: str) -> str:
    """Rewrite what the checks and the model read the same way: a Japanese era year as its
    Gregorian year (令和3年 → 2021年), a Roman-numeral month as its name (20.IX.2003 → 20 September
    2003, as Polish and Italian hands write), and a place name holding a month ("Rio de Janeiro")
    without it. Idempotent."""
    text = _ERA_YEAR.sub(lambda m: f"{_ERAS[m[1]] + (1 if m[2] == '元' else int(m[2]))}年", text)
    text = _ROMAN_DATE.sub(lambda m: f"{m[1]} {calendar.month_name[_ROMAN_MONTHS.index(m[2]) + 1]} {m[3]}", text)
    return _PLACES.sub("Rio", text)


@dataclass(frozen=True)
class Located:
    """Where the date is in a text.

    Attributes:
        text: What the model should read: the date's stretch with times and zones cut out
            (the whole text, stripped, when it has no date word at all).
        tokens: The date words in it (numbers, month and weekday names), in order.
        found: Whether any date word was found.
    """

    text: str
    tokens: tuple[Token, ...]
    found: bool


_JOINERS = frozenset({"the", "of", "in", "day", "year", "on", "at", "de", "del", "le", "der", "den", "am",
                      "a", "st", "nd", "rd", "th", "t", "年", "月", "日", "号", "년", "월", "일"})
"""Words that sit inside one date ("the 4th day of July in the year 1976"); any other word or a
time between two date words may separate two groups of them."""


_BREAK = re.compile(r"[|;()\[\]<>{}]|\s[-–—]+\s|[–—]|:\s|\s{3,}")
"""Punctuation between two words that ends a group: a bar, a semicolon, a bracket, a dash set off by
spaces, an en or em dash ("Dose 2 — 19 July 2021"), a colon and a space ("Row 14: Tuesday, 5 March"),
three spaces or more (columns).
Commas, slashes and plain hyphens stay inside dates (but see :func:`_groups` for CSV commas)."""


def _groups(tokens: Sequence[Token], text: str = "") -> list[list[int]]:
    """The indices of the date words, in groups separated by a time, a word that is no joiner, or
    breaking punctuation (:data:`_BREAK`) between them."""
    groups: list[list[int]] = []
    broken = True
    for i, tok in enumerate(tokens):
        gap = text[tokens[i - 1].end:tok.start] if i and text else ""
        if gap and (_BREAK.search(gap) or (gap == "," and tok.kind == tokens[i - 1].kind == "number")):
            broken = True  # "3,09/10/2021": a comma with no space between numbers is a CSV field's end
        if tok.kind in DATE_KINDS:
            if broken:
                groups.append([])
            groups[-1].append(i)
            broken = False
        elif tok.kind == "time" and groups and _year_after(tokens, i, text) and _lacks_year(tokens, groups[-1]):
            continue  # ctime's "Wed Feb 14 09:00:00 2024": the year comes after the time
        elif tok.kind in ("time", "other") or (tok.kind == "word" and tok.text.lower() not in _JOINERS):
            broken = True
    return [part for group in groups for part in _iso_apart(tokens, group, text)]


def _is_iso(a: Token, b: Token, c: Token, *, text: str) -> bool:
    """Whether three tokens are an ISO date as written: YYYY-MM-DD."""
    return (a.kind == b.kind == c.kind == "number" and a.digits == 4 and b.digits == c.digits == 2
            and text[a.end:b.start] == "-" == text[b.end:c.start])


def _iso_apart(tokens: Sequence[Token], group: list[int], text: str) -> list[list[int]]:
    """A group with an ISO date (YYYY-MM-DD) and other numbers, split into what comes before it,
    the ISO date and what comes after ("VALUES (8812, '1999-12-31')", "backup-2023-08-15_0300")."""
    for k in range(len(group) - 2):
        if _is_iso(*(tokens[i] for i in group[k:k + 3]), text=text):
            if len(group) == 3:
                return [group]
            parts = [group[:k], group[k:k + 3], group[k + 3:]]
            return [part for part in parts if part]
    return [group]


def _as_english(token: Token, text: str) -> str:
    """A token as the model should read it: a month name in another language or misspelt becomes
    the English name the model learned ("mai" → "May", "Febuary" → "February")."""
    written = text[token.start:token.end]
    if token.kind == "month" and written.lower() not in _ENGLISH_MONTHS:
        return calendar.month_name[token.value]
    return written


def _lacks_year(tokens: Sequence[Token], group: Sequence[int]) -> bool:
    """Whether a group has a month name but no four-digit number yet ("Wed Feb 14")."""
    kinds = [tokens[i] for i in group]
    return any(t.kind == "month" for t in kinds) and not any(t.kind == "number" and t.digits == 4 for t in kinds)


def _year_after(tokens: Sequence[Token], i: int, text: str) -> bool:
    """Whether the time at ``tokens[i]`` is followed (past any more time tokens) by a four-digit year
    with only spaces between."""
    j = i + 1
    while j < len(tokens) and tokens[j].kind == "time":
        j += 1
    if j >= len(tokens) or tokens[j].kind != "number" or tokens[j].digits != 4:
        return False
    return not text[tokens[j - 1].end:tokens[j].start].strip()


def locate(text: str) -> Located:
    """The stretch of ``text`` that holds its date (see the module's docstring).

    When the date words fall into groups apart ("Dep: 1 Sept 2021 23:55 Arr: 09:40 +1", "BA0117
    18JUN23 LHR JFK 0825 1105") and exactly one group reads as a date, that group is the date;
    otherwise (no group, or several: "from 3 May to 5 June 2021") the stretch runs from the first
    date word to the last, and the checks say what is wrong with it.
    """
    text = normalise(text)
    tokens = scan(text)
    dated = [i for i, t in enumerate(tokens) if t.kind in DATE_KINDS]
    if not dated:
        return Located(text.strip(), (), False)
    first, last = dated[0], dated[-1]
    groups = _groups(tokens, text)
    if len(groups) > 1:
        # a group labelled as an identifier ("Firmware 2.1.12", "ID 19850317") is no date
        read = [(g, () if _identifier_before(text, [tokens[i] for i in g]) else readings([tokens[i] for i in g]).dates)
                for g in groups]
        whole = [(g, dates) for g, dates in read if dates]
        # one group that reads as a date, or several that read as the same one
        # ("2012-03-27 15:44:10 +0200 (Tue, 27 Mar 2012)")
        if whole and all(set(dates) == set(whole[0][1]) for _, dates in whole):
            first, last = whole[0][0][0], whole[0][0][-1]
    cut = "".join(
        _as_english(tok, text) + ("" if i == last else text[tok.end:tokens[i + 1].start])
        if tok.kind != "time" else " "
        for i, tok in enumerate(tokens[first:last + 1], first)
    )
    # "2023年4月18日" → "2023-4-18": the model learned Latin letters only
    cut = re.sub(r"(\d)\s*[年년月월]\s*(?=\d)", r"\1-", cut)
    cut = re.sub(r"\b(\d{4}):(\d{2}):(\d{2})\b", r"\1-\2-\3", cut)  # EXIF's 2019:08:17
    cut = re.sub(r"(?<=\d)\s*/\s*(?=\d)", "/", cut)  # "12 / 25 / 2019"
    cut = re.sub(r"\s+", " ", cut).strip(" ,;@-")
    return Located(cut, tuple(t for t in tokens[first:last + 1] if t.kind in DATE_KINDS), True)


# --------------------------------------------------------------------------------------------
# Readings: the dates a text can mean, from its numbers and names alone.


def year_of(token: Token) -> int | None:
    """The year a number can be: four digits as written, two digits by the POSIX pivot
    (69–99 → 19xx, 00–68 → 20xx); else ``None``."""
    if token.digits == 4:
        return token.value
    if token.digits == 2:
        return (1900 if token.value >= 69 else 2000) + token.value
    return None


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class Readings:
    """What a text's numbers and names can mean.

    Attributes:
        dates: Every calendar date the text can be read as, in order of preference (for an
            all-number date: day first, then month first, then year first).
        problem: Why there is none ("" when there is one).
        ambiguous: Several readings differ in day and month order (or century).
    """

    dates: tuple[dt.date, ...]
    problem: str
    ambiguous: bool


def _compact(token: Token) -> list[tuple[int, int, int]]:
    """(year, month, day) splits of an eight-digit number: YYYYMMDD."""
    s = token.text[:8]
    return [(int(s[:4]), int(s[4:6]), int(s[6:8]))]


def readings(tokens: Sequence[Token]) -> Readings:
    """The dates the date words of a text can mean (see :class:`Readings`)."""
    numbers = [t for t in tokens if t.kind == "number"]
    months = [t for t in tokens if t.kind == "month"]
    short = [i for i, n in enumerate(numbers) if n.digits <= 2]
    if months and len(numbers) == 3 and len(short) == 2 and numbers[short[0]].value == numbers[short[1]].value:
        del numbers[short[0]]  # a day said twice is one day ("Friday the 13th!! 13 October 2023")
    if not numbers and not months:
        return Readings((), "no day, month or year in it", False)
    if len({m.value for m in months}) > 1:
        return Readings((), f"two months in it ({', '.join(m.text for m in months)})", False)
    odd = next((n for n in numbers if n.digits not in (1, 2, 4, 8)), None)
    if odd is not None:
        return Readings((), f"{odd.text} is not a day, a month or a year", False)
    candidates: list[tuple[int, int, int]] = []
    if months:
        month = months[0].value
        if not numbers:
            return Readings((), "a month without a day or a year", False)
        if len(numbers) == 1:
            return Readings((), "no day" if numbers[0].digits == 4 else "no year", False)
        if len(numbers) > 2:
            return Readings((), f"{len(numbers)} numbers besides the month: more than a date", False)
        for day_tok, year_tok in itertools.permutations(numbers):
            year = year_of(year_tok)
            if year is not None and day_tok.digits <= 2:
                candidates.append((year, month, day_tok.value))
        # the day is written next to the month; a two-digit year comes last
        candidates.sort(key=lambda c: 0 if c[2] == numbers[0].value else 1)
    elif len(numbers) == 1 and numbers[0].digits == 8:
        candidates = _compact(numbers[0])
    elif len(numbers) == 3:
        a, b, c = numbers
        if a.digits == 4:
            candidates = [(a.value, b.value, c.value)]
        elif (year := year_of(c)) is not None:
            candidates = [(year, b.value, a.value), (year, a.value, b.value)]
    elif len(numbers) < 3:
        return Readings((), "not a whole date (a day, a month and a year)" if numbers else "no day or year", False)
    else:
        return Readings((), f"{len(numbers)} numbers: more than a date", False)
    if not candidates:
        return Readings((), "no number in it can be the year", False)
    dates = list(dict.fromkeys(d for d in (_day(*c) for c in candidates) if d is not None))
    if not dates:
        year, month, day = candidates[0]
        if 1 <= month <= 12:
            return Readings((), f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days, not {day}", False)
        return Readings((), f"there is no month {month}", False)
    return Readings(tuple(dates), "", not months and len(dates) > 1)


# --------------------------------------------------------------------------------------------
# The verdict on one answer.


@dataclass(frozen=True)
class Verdict:
    """What the user is told about a translation.

    Attributes:
        status: ``"date"`` (every check passed), ``"ambiguous"`` (several readings; see
            ``readings``) or ``"declined"`` (see ``reason``).
        iso: The date, when ``status`` is ``"date"``; else ``None``.
        readings: The ISO readings of an ambiguous text (the model's first).
        reason: Why it was declined or is ambiguous, as a phrase ("" for a date).
    """

    status: Status
    iso: str | None
    readings: tuple[str, ...]
    reason: str

    @property
    def declined(self) -> bool:
        """Whether no date is given."""
        return self.status == "declined"


def _declined(kind: str, reason: str) -> Verdict:
    return Verdict("declined", None, (), f"{kind}: {reason}")


def _unlearned(dates: Sequence[dt.date], years: tuple[int, int]) -> Verdict | None:
    """"Not sure" when a reading's year is outside the years the model learned, else None."""
    outside = [d.year for d in dates if not years[0] <= d.year <= years[1]]
    return _declined("not sure", f"the model learned the years {years[0]}–{years[1]}, not {outside[0]}") if outside else None


def _identifier_before(text: str, tokens: Sequence[Token]) -> str:
    """The word that labels the first number as an identifier, if one does ("ID", "No.", "#")."""
    first = next((t for t in tokens if t.kind == "number"), None)
    if first is None:
        return ""
    if len(tokens) == 3 and _is_iso(*tokens, text=text):
        return ""  # "build 2021-04-30": a written-out ISO date is a date whatever labels it
    before = re.split(r"\d", text[:first.start])[-1].rstrip()  # only what follows the number before it
    if before.endswith("#"):
        return "#"
    words = re.findall(r"[^\W\d_]+", before)[-2:]
    if words and words[-1].lower() in _IDENTIFIERS:
        return words[-1]
    if (len(words) == 2 and len(words[1]) <= 3 and words[1].isupper() and words[1].lower() not in _MONTHS
            and words[0].lower() in _IDENTIFIERS):
        return words[0]  # a code's letters after the label ("Ref: JM/04/11/22")
    return ""


_RANGE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:-|–|to|until|till|thru|through|and|&)\s*(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b",
    re.IGNORECASE,
)


def _range_of_days(text: str) -> str:
    """"12 to 15 August", "19–21 May", "May 3-5": two days joined by a hyphen, an en dash or "to" next
    to a month's name (so never the numbers of "2021-04-30"; an em dash sets off a clause: "Dose 2 —
    19 July"); the range as written, or ""."""
    tokens = scan(text)
    for match in _RANGE.finditer(text):
        first, second = int(match[1]), int(match[2])
        if not 1 <= first < second <= 31:
            continue
        after = next((t for t in tokens if t.start >= match.end() and t.text.lower() not in ("of", "the")), None)
        before = next((t for t in reversed(tokens) if t.end <= match.start()), None)
        joined_after = after is not None and after.kind == "month" and not re.sub(
            r"\b(?:of|the)\b", "", text[match.end():after.start]).strip(" ,.")
        joined_before = before is not None and before.kind == "month" and not text[before.end:match.start()].strip(" .")
        if joined_after or joined_before:
            return match.group().strip()
    return ""


_FORMAT_HINT = re.compile(r"\b(?P<first>dd|mm)\s*[/.-]\s*(?P<second>mm|dd)\b", re.IGNORECASE)
"""A format written next to a date on forms: "(DD/MM/YYYY)", "MM-DD-YY"."""


def _numbers(tokens: Sequence[Token]) -> list[int]:
    return [t.value for t in tokens if t.kind == "number"]


_MONTH_FIRST = re.compile(r"\b(?:US|U\.S\.A?\.?|USA|American)\b")
"""Words that say a numeric date is American (month first); case-sensitive, so "us" is no cue."""
_DAY_FIRST = re.compile(
    r"\b(?:\w*datum|geburt\w*|geboren|abfahrt|ankunft|schrieb|rechnung\w*|fällig|zugestellt|uhr|fecha|nacimiento"
    r"|naissance|née|geboortedatum|nascita|nascimento|urodzenia|data\s+de|"
    r"australia|india|uk|united\s+kingdom|britain|england|scotland|wales|ireland|new\s+zealand|germany|deutschland"
    r"|france|spain|españa|italy|italia|netherlands|nederland|belgium|brazil|brasil|portugal|poland|polska"
    r"|mexico|méxico|argentina|austria|österreich|switzerland|schweiz|south\s+africa|singapore|pakistan|nigeria)\b"
    r"|[äöüßéèêçñãõłśżźćń]",
    re.IGNORECASE,
)
"""Words (and letters) of languages and countries that write numeric dates day first."""


def _settled_by_context(text: str, tokens: Sequence[Token], dates: Sequence[dt.date]) -> tuple[dt.date, str] | None:
    """The reading the text picks among an all-number date's readings, and how: a written format
    (:data:`_FORMAT_HINT`: "(DD/MM/YYYY)"), else the country or language of the text ("US dates",
    "Geburtsdatum", "Pune (India)", "Köln": :data:`_MONTH_FIRST`, :data:`_DAY_FIRST`)."""
    numbers = _numbers(tokens)
    if not numbers:
        return None
    hint = _FORMAT_HINT.search(text)
    if hint is not None and hint.group("first").lower() != hint.group("second").lower():
        day_first, how = hint.group("first").lower() == "dd", f"the format {hint.group()!r}"
    else:
        american, european = _MONTH_FIRST.search(text), _DAY_FIRST.search(text)
        if bool(american) == bool(european):
            return None  # no cue, or cues both ways
        cue = american or european
        assert cue is not None
        day_first, how = european is not None, f"{cue.group()!r}"
    picked = [d for d in dates if (d.day if day_first else d.month) == numbers[0]]
    if len(picked) != 1:
        return None
    return picked[0], f"{'day' if day_first else 'month'} first, as {how} says"


def examine(text: str, answer: str, confidence: float, *, years: tuple[int, int]) -> Verdict:
    """Cross-examine the model's ``answer`` (YYYY-MM-DD, maybe not a real date) for ``text``.

    Args:
        text: What the user typed (the whole text).
        answer: The model's ten characters.
        confidence: Their probability.
        years: The first and last year the model learned.
    """
    text = normalise(text)
    located = locate(text)
    if not located.found:
        words = scan(text)
        if any(t.kind == "time" for t in words):
            return _declined("not a date", "a time only")
        return _declined("not a date", "no day, month or year in it")
    label = _identifier_before(text, located.tokens)
    if label:
        return _declined("not a date", f"the number is labelled as an identifier ({label!r})")
    days = _range_of_days(text)
    if days:
        return _declined("not a date", f"a range of days ({days}), not one day")
    found = readings(located.tokens)
    if not found.dates:
        return _declined("not a date", found.problem)
    dates, wrong_weekday = on_weekday(located.tokens, found.dates)
    if wrong_weekday:
        return _declined("not a date", wrong_weekday)
    settled: dt.date | None = None
    how = ""
    if found.ambiguous and len(found.dates) > 1 and len(dates) == 1:  # "Mon 03/06/2024": only one reading is a Monday
        settled, how = dates[0], f"the weekday gives the order ({calendar.day_name[dates[0].weekday()]})"
    elif found.ambiguous and len(dates) > 1:  # "09/12/1992 (DD/MM/YYYY)": the text says which number is the day
        context = _settled_by_context(text, located.tokens, dates)
        if context is not None:
            settled, how = context
    if settled is not None:
        return _unlearned([settled], years) or Verdict("date", settled.isoformat(), (), how)
    isos = tuple(d.isoformat() for d in dates)
    if answer not in isos:
        told = ", ".join(isos[:3])
        return _declined("not sure", f"the model read {answer}, but the text says {told}")
    unlearned = _unlearned(dates, years)
    if unlearned is not None:
        return unlearned
    if confidence < MIN_CONFIDENCE:
        return _declined("not sure", f"the model is only {confidence:.0%} sure")
    if found.ambiguous and len(dates) > 1:
        ordered = (answer, *(iso for iso in isos if iso != answer))
        return Verdict("ambiguous", None, ordered, "day and month could be either way round")
    return Verdict("date", answer, (), "")


def on_weekday(tokens: Iterable[Token], dates: Sequence[dt.date]) -> tuple[list[dt.date], str]:
    """The readings that fall on the text's weekday (all, if it names none), and why none does."""
    days = {t.value for t in tokens if t.kind == "weekday"}
    if not days:
        return list(dates), ""
    if len(days) > 1:
        return [], "two different weekdays in it"
    (weekday,) = days
    matching = [d for d in dates if d.weekday() == weekday]
    if matching:
        return matching, ""
    date = dates[0]
    return [], (f"{date.day} {calendar.month_name[date.month]} {date.year} was a "
                f"{calendar.day_name[date.weekday()]}, not a {calendar.day_name[weekday]}")
