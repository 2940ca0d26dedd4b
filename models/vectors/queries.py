"""What a person types, read one way for the tab and the CLI: words, word lists, pairs, expressions.

* A word is looked up as typed; when only its lower case is known it is case folded
  (GloVe 6B is lower-case, so ``King`` means ``king``); else the error names it and suggests
  close spellings ("did you mean …").
* A word list is separated by spaces, commas or semicolons: ``breakfast, cereal dinner``.
* An odd-one-out question is such a list of three words or more (with two, each word is as
  far from their mean as the other: the answer would mean nothing).
* Pairs (a bias axis) are ``woman man``, ``he she, man woman`` or ``he she man woman`` (an even
  run of words is read two by two), or ``bolukbasi`` for Bolukbasi et al.'s ten pairs.
* An expression is words joined by ``+`` and ``-`` standing alone (``x-ray`` is one word),
  each optionally weighted: ``0.5*paris``, ``0.5 * paris``, ``- 2*man``.

Parsing needs no vectors; ``resolve_…`` turns parsed words into the vocabulary's spellings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from seqtui_models.core.errors import InvalidInput
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.vectors.bias import BOLUKBASI_PAIRS

Pair = tuple[str, str]
Weighted = tuple[str, float]

_SEPARATORS = re.compile(r"[\s,;]+")
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
# "0.5 * paris", "0.5* paris", "0.5 *paris" → "0.5*paris": a number standing alone, then *
_SPACED_WEIGHT = re.compile(rf"(?<!\S)({_NUMBER})\s*\*\s*")
_WEIGHTED = re.compile(rf"^(?P<w>{_NUMBER})\*(?P<word>.+)$")
_DANGLING_WEIGHT = re.compile(rf"^{_NUMBER}\*$")


# --- words ---------------------------------------------------------------------------------------
def split_words(text: str) -> list[str]:
    """The words of ``text``, separated by spaces, commas or semicolons (empty pieces dropped)."""
    return [w for w in _SEPARATORS.split(text.strip()) if w]


def resolve_word(wv: WordVectors, word: str) -> str:
    """The vocabulary's spelling of a typed ``word``: as typed, else its lower case, else raise.

    Raises:
        InvalidInput: the word is empty, or neither it nor its lower case is known; the message
            names it and suggests close spellings.
    """
    typed = word.strip()
    if not typed:
        raise InvalidInput("Type a word.", title="No word")
    if typed in wv:
        return typed
    lowered = typed.lower()
    if lowered in wv:
        return lowered  # GloVe 6B has only lower-case words: "King" means "king"
    raise wv.unknown(typed)


def resolve_words(wv: WordVectors, words: Iterable[str]) -> list[str]:
    """:func:`resolve_word` for each word; the first unknown one raises."""
    return [resolve_word(wv, w) for w in words]


def known_words(wv: WordVectors, words: Iterable[str], left_out: list[str]) -> list[str]:
    """:func:`resolve_word` for each word, leaving unknown ones out (appended to ``left_out``), as
    gensim's ``doesnt_match`` does; if none is known, the first unknown one raises.

    Raises:
        InvalidInput: not one word is known.
    """
    known: list[str] = []
    unknown: list[str] = []
    for word in words:
        try:
            known.append(resolve_word(wv, word))
        except InvalidInput:
            unknown.append(word.strip())
    if unknown and not known:
        raise wv.unknown(unknown[0])
    left_out.extend(dict.fromkeys(unknown))
    return known


ODD_ONE_OUT_MIN_WORDS = 3
"""Two words are equally far from their mean (cos(u_1, m) = cos(u_2, m)): the odd one out needs three."""


def odd_one_out_words(wv: WordVectors, text: str, left_out: list[str] | None = None) -> list[str]:
    """The words of an odd-one-out question (:func:`split_words`), resolved; three or more.

    The tab and the CLI both read the question here, so both refuse two words the same way.
    With ``left_out`` given, unknown words are left out and listed there (gensim's ``doesnt_match``
    drops them with a warning), as long as three known words remain.

    Raises:
        InvalidInput: fewer than three (known) words, or an unknown word.
    """
    words = split_words(text)
    if left_out is not None:
        skipped: list[str] = []
        known = known_words(wv, words, skipped)
        if len(known) >= ODD_ONE_OUT_MIN_WORDS:
            left_out.extend(skipped)
            return known
    if len(words) < ODD_ONE_OUT_MIN_WORDS:
        got = f"got {len(words)}: {' '.join(words)}" if words else "got none"
        raise InvalidInput(
            f"Give three words or more, e.g. breakfast cereal dinner lunch ({got}): with two, "
            "each is as far from their mean as the other, so neither is the odd one out.",
            title="Too few words",
        )
    return resolve_words(wv, words)


# --- pairs ---------------------------------------------------------------------------------------
def parse_pairs(text: str) -> tuple[Pair, ...]:
    """``"woman man"``, ``"he she, man woman"``, ``"he she man woman"`` or ``"bolukbasi"`` → word pairs.

    Raises:
        InvalidInput: a group separated by commas does not have two words.
    """
    if text.strip().lower() == "bolukbasi":
        return BOLUKBASI_PAIRS
    groups = [g.split() for g in re.split(r"[,;]", text) if g.strip()]
    if len(groups) == 1 and len(groups[0]) > 2 and len(groups[0]) % 2 == 0:
        flat = groups[0]
        groups = [flat[i : i + 2] for i in range(0, len(flat), 2)]  # an even run of words, two by two
    if not groups or any(len(g) != 2 for g in groups):
        raise InvalidInput(
            f"An axis is a pair of words such as 'woman man' (got {text!r}); separate several pairs with commas."
        )
    return tuple((g[0], g[1]) for g in groups)


def resolve_pairs(wv: WordVectors, pairs: Iterable[Pair]) -> tuple[Pair, ...]:
    """:func:`resolve_word` for both words of each pair."""
    return tuple((resolve_word(wv, p), resolve_word(wv, n)) for p, n in pairs)


# --- expressions ---------------------------------------------------------------------------------
def parse_expression(text: str) -> tuple[list[Weighted], list[Weighted]]:
    """Split ``"king - man + woman"`` (or ``"0.5*paris + rome"``) into positive and negative terms.

    ``+`` and ``-`` must stand alone between spaces (words such as ``x-ray`` contain hyphens);
    a weight is a number before ``*``, with or without spaces around it. A term's weight is its
    sign (from the ``-`` before it) times its number; a weight of 0 is refused (it would drop
    the word without a word of warning).

    Returns:
        ``(positive, negative)`` lists of ``(word, weight)``; negative weights are negative.
    """
    tokens = _SPACED_WEIGHT.sub(r"\1*", text).split()
    if not tokens:
        raise InvalidInput("Type a word or an expression such as 'king - man + woman'.")
    positive: list[Weighted] = []
    negative: list[Weighted] = []
    sign = 1.0
    expect_word = True
    for token in tokens:
        if token in ("+", "-"):
            if token == "-":
                sign = -sign
            expect_word = True
            continue
        if not expect_word:
            raise InvalidInput(f"Put + or - between the words of {text!r} (before {token!r}).")
        if _DANGLING_WEIGHT.match(token):
            raise InvalidInput(f"The weight {token[:-1]} in {text!r} needs a word after it, e.g. 0.5*paris.")
        weight = 1.0
        match = _WEIGHTED.match(token)
        if match:
            weight, token = float(match["w"]), match["word"]
        if weight == 0:
            raise InvalidInput(f"A weight of 0 leaves {token!r} out of {text!r} — remove the word or give it a weight.")
        weight *= sign
        (positive if weight > 0 else negative).append((token, weight))
        sign, expect_word = 1.0, False
    if expect_word:
        raise InvalidInput(f"{text!r} ends with an operator — add a word after it.")
    return positive, negative


def resolve_expression(wv: WordVectors, text: str) -> tuple[list[Weighted], list[Weighted]]:
    """:func:`parse_expression`, then :func:`resolve_word` for every word (weights kept)."""
    positive, negative = parse_expression(text)
    return [(resolve_word(wv, w), x) for w, x in positive], [(resolve_word(wv, w), x) for w, x in negative]
