"""Reading tokens the word vectors lack: emoji and emoticons by their meaning, typos as the word meant."""

from __future__ import annotations

import numpy as np
import pytest
from emojify_helpers import glove, toy_vectors  # noqa: F401 - fixtures
from hypothesis import given, settings
from hypothesis import strategies as st

from seqtui_models import emojify
from seqtui_models.core.word_vectors import WordVectors
from seqtui_models.emojify.words import SYMBOLS, nearest_known, read_as


def test_emoji_and_emoticons_are_tokens() -> None:
    assert emojify.tokenize("lvoe u <3 :( 🙂🙂 so hapy :D") == ["lvoe", "u", "<3", ":(", "🙂", "🙂", "so", "hapy", ":d"]
    assert emojify.tokenize("❤️ you") == ["❤️", "you"]
    assert emojify.tokenize("at 10:30 today") == ["at", "10", "30", "today"]  # a time is no emoticon


def test_every_symbol_means_a_word_glove_has(glove: WordVectors) -> None:  # noqa: F811
    missing = {symbol: word for symbol, word in SYMBOLS.items() if word not in glove}
    assert not missing


def test_symbols_are_read_by_meaning_even_where_glove_has_a_row(glove: WordVectors) -> None:  # noqa: F811
    assert ":(" in glove  # GloVe has a row for it, learned from text where it means little
    assert read_as(glove, ":(") == (glove.get_index("sad"), "sad")
    assert read_as(glove, "❤️") == (glove.get_index("love"), "love")
    assert read_as(glove, "love") == (glove.get_index("love"), "")  # a known word as written


@pytest.mark.parametrize("typo,meant", [
    ("lvoe", "love"), ("hapy", "happy"), ("gaem", "game"), ("restaurnat", "restaurant"),
    ("chocolte", "chocolate"), ("delicous", "delicious"), ("birthdy", "birthday"), ("wedidng", "wedding"),
])
def test_a_typo_is_read_as_the_frequent_word_one_edit_away(glove: WordVectors, typo: str, meant: str) -> None:  # noqa: F811
    assert typo not in glove and read_as(glove, typo) == (glove.get_index(meant), meant)


@pytest.mark.parametrize("word", ["xzqwv", "plmoknb", "skibidi", "rizz", "zzqqx"])
def test_no_reading_for_nonsense_or_a_short_word_one_letter_from_a_rare_one(glove: WordVectors, word: str) -> None:  # noqa: F811
    assert read_as(glove, word) == (None, "")


def test_the_most_frequent_candidate_wins(toy_vectors: WordVectors) -> None:  # noqa: F811
    # "gaol" is one swap from "goal" (toy row 10) — and from nothing else in the toy list
    assert nearest_known(toy_vectors, "gaol") == "goal"
    assert nearest_known(toy_vectors, "g0al") is None  # digits: not a word to correct


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_tokenizes_and_every_token_reads_or_not(text: str) -> None:
    rng = np.random.default_rng(0)
    words = ["love", "sad", "smile", "game", "happy"]
    wv = WordVectors(words=words, vectors=rng.standard_normal((5, 4)).astype(np.float32), source="toy")
    for token in emojify.tokenize(text):
        row, word = read_as(wv, token)
        assert row is None or 0 <= row < 5
        assert (word == "") or (row is not None and wv.words[row] == word)


def test_typos_and_emoji_reach_both_explanations_and_a_sentence_of_unknown_words_is_declined(glove: WordVectors) -> None:  # noqa: F811
    v1 = emojify.load_model("v1", glove)
    p = emojify.predict(v1, "lvoe u <3")
    assert p.emoji == "❤️" and not p.declined and not p.unknown
    assert [(w.word, w.read_as) for w in p.words] == [("lvoe", "love"), ("u", ""), ("<3", "love")]
    assert p.to_dict()["words"][0]["read_as"] == "love"
    skipped = emojify.predict(v1, "skibidi xzqwv")
    assert skipped.declined and skipped.reason.startswith("not sure: no word the model knows")
