"""How a token becomes a word vector: as written, as the word an emoji or emoticon means, or as the
known word a typo was meant to be.

GloVe has no vectors for "🙂", ":(" or "<3", nor for "lvoe" or "hapy". Without help, both models
skip such tokens (V1) or read them as "unknown" (V2), and a sentence like "lvoe u <3" loses every
word that carried its meaning. :func:`read_as` gives each token a row of the word vectors:

1. the token itself, when the vectors have it;
2. for an emoji or emoticon, a word of its meaning (:data:`SYMBOLS`: "🙂" → smile, "<3" → love);
3. for a word of five letters or more, the most frequent known word one edit away (a letter
   dropped, added, changed, or two neighbours swapped — Norvig's edits1), among the
   :data:`FREQUENT` most frequent words (GloVe's rows are in frequency order); for a word of
   three or four letters only two neighbours swapped ("lvoe" → love) or a letter left out
   ("hapy" → happy), since one changed letter turns most short words into another ("rizz" would
   be read as ritz). "hapy" → happy, "gaem" →
   game, while a rare word is not "corrected" into another rare word.

Emoji and emoticons are read by their meaning even where GloVe has a row for them: its ":(" was
learned from Wikipedia and news text, where it means little.

The explanation shows what a token was read as ("lvoe → love").
"""

from __future__ import annotations

import string

from seqtui_models.core.word_vectors import WordVectors

FREQUENT = 50_000
"""Only the most frequent words (GloVe rows are sorted by frequency) are typo targets."""
FREQUENT_SHORT = 20_000
"""For a word of three or four letters, only these (a short typo's neighbours are mostly rare
names: "rizz" is one letter from rizzo, row 34,254)."""

SYMBOLS: dict[str, str] = {
    # emoticons (the tokenizer lower-cases, so ":D" arrives as ":d")
    ":)": "smile", ":-)": "smile", "(:": "smile", "=)": "smile", ":]": "smile", ":d": "laugh", ":-d": "laugh",
    "xd": "laugh", ";)": "wink", ";-)": "wink", ":p": "joking", ":-p": "joking", ":(": "sad", ":-(": "sad",
    "):": "sad", "=(": "sad", ":'(": "crying", ":/": "unsure", ":-/": "unsure", ":|": "unimpressed",
    ":o": "surprised", "<3": "love", "</3": "heartbroken", ">:(": "angry",
    # emoji
    "❤": "love", "❤️": "love", "♥": "love", "💕": "love", "💖": "love", "💗": "love", "💘": "love", "💞": "love",
    "😍": "love", "🥰": "love", "😘": "kiss", "💋": "kiss", "🤗": "hug", "💔": "heartbroken",
    "🙂": "smile", "😊": "smile", "😀": "happy", "😃": "happy", "😄": "happy", "😁": "grin", "😆": "laugh",
    "😂": "laughing", "🤣": "laughing", "🥳": "celebrate", "🎉": "celebrate", "🎊": "celebrate", "🙌": "hooray",
    "👍": "good", "👏": "applause", "💪": "strong", "🔥": "awesome", "✨": "wonderful", "😎": "cool",
    "😢": "sad", "😞": "disappointed", "😔": "sad", "😟": "worried", "🙁": "sad", "☹": "sad", "😭": "crying",
    "😩": "exhausted", "😫": "exhausted", "😤": "frustrated", "😠": "angry", "😡": "angry", "👎": "bad",
    "😒": "annoyed", "🙄": "annoyed", "😐": "unimpressed", "😬": "awkward",
    "⚽": "soccer", "⚾": "baseball", "🏀": "basketball", "🏈": "football", "🎾": "tennis", "🏐": "volleyball",
    "🏒": "hockey", "🏏": "cricket", "⛳": "golf", "🏊": "swimming", "🏃": "running", "🚴": "cycling",
    "🏆": "trophy", "🥇": "medal", "🏅": "medal",
    "🍴": "food", "🍽": "dinner", "🍕": "pizza", "🍔": "burger", "🍟": "fries", "🌮": "taco", "🍣": "sushi",
    "🍝": "pasta", "🍜": "noodles", "🍰": "cake", "🎂": "cake", "🍪": "cookie", "🍩": "donut", "🍦": "icecream",
    "🍫": "chocolate", "🥗": "salad", "🍎": "apple", "🍳": "breakfast", "🥞": "pancakes", "☕": "coffee",
    "🍷": "wine", "🍺": "beer", "😋": "delicious", "🤤": "hungry",
    "🐶": "dog", "🐱": "cat", "🌧": "rain", "☀": "sunny",
}
"""Emoji and emoticons, each read as a word of its meaning (one the GloVe vocabulary has)."""

_LETTERS = string.ascii_lowercase


def _edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from ``word``
    (only transpositions and insertions for a word shorter than five letters)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    if len(word) < 5:
        return set(swaps + inserts)
    deletes = [a + b[1:] for a, b in splits if b]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    return set(deletes + swaps + replaces + inserts)


def nearest_known(wv: WordVectors, word: str) -> str | None:
    """The most frequent known word one edit from ``word`` (see the module docstring), or None."""
    if len(word) < 3 or not word.isalpha() or not word.isascii():
        return None
    best: tuple[int, str] | None = None
    limit = FREQUENT if len(word) >= 5 else FREQUENT_SHORT
    for candidate in _edits1(word):
        row = wv.get_index(candidate)
        if row is not None and row < limit and (best is None or row < best[0]):
            best = (row, candidate)
    return best[1] if best else None


def read_as(wv: WordVectors, token: str) -> tuple[int | None, str]:
    """The row of the word vectors a token is read with, and the word it was read as ("" when
    read as written; the row is None when the token has no reading)."""
    meaning = SYMBOLS.get(token) or SYMBOLS.get(token.rstrip("\ufe0f"))
    if meaning is not None:
        row = wv.get_index(meaning)
        return (row, meaning) if row is not None else (None, "")
    row = wv.get_index(token)
    if row is not None:
        return row, ""
    near = nearest_known(wv, token)
    if near is not None:
        return wv.get_index(near), near
    return None, ""


def rows_of(wv: WordVectors, tokens: list[str]) -> list[int | None]:
    """:func:`read_as`'s row for every token."""
    return [read_as(wv, t)[0] for t in tokens]
