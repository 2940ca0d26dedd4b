"""Provides the text helpers the tabs and the CLI share: bars, plurals, numbers, durations, parsing.

Nothing here imports Textual or Rich, so the CLI uses exactly what the tabs use: a number typed
in a form field and the same number passed as an option get the same message.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path
from typing import Any, Final

EIGHTHS: Final = "▏▎▍▌▋▊▉"
"""The partial blocks of a bar, one to seven eighths of a cell."""

BLOCK: Final = "█"

BRAILLE_BITS: Final = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))
"""The bit of each dot of a braille cell, ``BRAILLE_BITS[dot row][dot column]`` (rows 0–3, columns
0–1); the cell's character is ``chr(0x2800 + sum of its dots' bits)``."""

REQUIRED: Final = object()
"""``blank=REQUIRED``: an empty field is an error, not a default."""


# -- bars ----------------------------------------------------------------------------------


def bar(fraction: float, width: int = 12) -> str:
    """A horizontal bar for ``fraction`` in [0, 1], ``width`` cells at most, in eighths of a cell.

    The bar is not padded: it is as long as the value (``bar(0.5, 4) == "██"``).
    """
    if not math.isfinite(fraction):
        return ""
    eighths = int(round(max(0.0, min(1.0, fraction)) * width * 8))
    full, rest = divmod(eighths, 8)
    return BLOCK * full + (EIGHTHS[rest - 1] if rest else "")


def signed_bar(value: float, scale: float = 1.0, width: int = 8, axis: str = "") -> tuple[str, str]:
    """A bar for a signed value: the left half grows leftwards when negative, the right half rightwards.

    Args:
        value: The value.
        scale: The magnitude that fills a half (values beyond it are clipped).
        width: Cells in each half.
        axis: A character drawn between the halves (e.g. ``"│"``); nothing by default.

    Returns:
        ``(left, right)``, each exactly ``width`` cells (plus ``axis`` on the right's start), so
        callers can colour the halves differently.
    """
    if not (math.isfinite(value) and scale > 0):
        return " " * width, axis + " " * width
    cells = min(width, int(round(abs(value) / scale * width)))
    left = (BLOCK * cells).rjust(width) if value < 0 else " " * width
    right = (BLOCK * cells).ljust(width) if value >= 0 else " " * width
    return left, axis + right


# -- words and numbers ---------------------------------------------------------------------


def plural_noun(noun: str) -> str:
    """English plural of a unit name: "batch" → "batches", "step" → "steps", "epoch" → "epochs",
    "try" → "tries"."""
    if len(noun) > 1 and noun.endswith("y") and noun[-2] not in "aeiou":
        return noun[:-1] + "ies"
    hard_ch = noun.endswith("och")  # "epoch" ends in a /k/ sound: "epochs"
    return noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) and not hard_ch else "s")


def plural(count: int, noun: str) -> str:
    """A count and its noun: "1 sample", "3 samples", "1,200 names"."""
    return f"{count:,} {noun if count == 1 else plural_noun(noun)}"


def format_number(value: float, digits: int = 4) -> str:
    """A loss or metric, compactly: ``2.31``, ``0.0012``, ``1.2e+03`` (``digits`` significant digits)."""
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    return f"{value:.{digits}g}"


def format_duration(seconds: float | None) -> str:
    """Seconds as m:ss (or h:mm:ss); ``None`` or not finite as a dash."""
    if seconds is None or not math.isfinite(seconds):
        return "–"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def short_path(path: str | Path) -> str:
    """A path under the home folder as ``~/…``."""
    text, home = str(path), str(Path.home())
    return "~" + text[len(home):] if text.startswith(home + "/") else text


def shorten(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis, for echoing user input in messages."""
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters and the separators str.splitlines breaks on: echoed, they would break the one line."""


def shorten_runs(message: str, limit: int = 60) -> str:
    """``message`` as one printable line: control characters a user typed or pasted are shown escaped
    (\\x1e), and every run of more than ``limit`` non-space characters is cut in the middle (a
    4,000-letter "word" is echoed as its start, "…", and its end)."""
    message = _UNPRINTABLE.sub(lambda m: _escaped(m.group()), message)
    keep = max(1, (limit - 1) // 2)
    return re.sub(rf"\S{{{limit + 1},}}", lambda m: m.group()[:keep] + "…" + m.group()[-keep:], message)


# -- parsing -------------------------------------------------------------------------------


class NumberError(ValueError):
    """What was typed is not an acceptable number; the message says what is expected."""


def parse_number(
    text: str,
    name: str,
    kind: type[int] | type[float] = int,
    *,
    low: float | None = None,
    high: float | None = None,
    blank: Any = REQUIRED,
) -> Any:
    """The number in ``text``, checked: what a form field holds or a command-line option says.

    Args:
        text: The text.
        name: What the user calls it, for the message ("steps"); empty for argparse, which
            names the option itself ("argument --steps: expected a whole number ≥ 1 (got 0)").
        kind: ``int`` (a whole number) or ``float`` (any finite number).
        low: The smallest acceptable value, if any.
        high: The largest acceptable value, if any.
        blank: What an empty text means; by default it is an error.

    Raises:
        NumberError: not a number of that kind, not finite, or out of range; the message names
            ``name`` and the range.
    """
    text = text.strip()
    if not text and blank is not REQUIRED:
        return blank
    expected = f"{name} must be" if name else "expected"
    what = ("a whole number" if kind is int else "a number") + _range(low, high)
    try:
        value = kind(text)
    except ValueError:
        raise NumberError(f"{expected} {what} (got {shorten(text)!r})") from None
    if not math.isfinite(value):
        raise NumberError(f"{expected} a finite number (got {shorten(text)!r})")
    if (low is not None and value < low) or (high is not None and value > high):
        raise NumberError(f"{expected} {what} (got {text})")
    return value


def _range(low: float | None, high: float | None) -> str:
    def show(bound: float) -> str:
        return f"{bound:,}" if float(bound).is_integer() and abs(bound) < 1e15 else f"{bound:g}"

    if low is not None and high is not None:
        return f" from {show(low)} to {show(high)}"
    if low is not None:
        return f" ≥ {show(low)}"
    if high is not None:
        return f" ≤ {show(high)}"
    return ""


_VS16 = "\ufe0f"


def cells_safe(text: str) -> str:
    """``text`` with every narrow character + VS16 emoji ("❤️" = U+2764 U+FE0F) as the character and a space.

    Terminals disagree on how wide such a pair is: Rich (and kitty, iTerm) count two cells, tmux and
    many others one, so a row holding "❤️" pushes a border one cell off and leaves stray pieces of
    it behind. "❤" plus a space is two cells everywhere. Wide emoji (😄, ⚾) are left as they are.
    """
    if _VS16 not in text:
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == _VS16 and i and unicodedata.east_asian_width(text[i - 1]) not in ("W", "F"):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)
