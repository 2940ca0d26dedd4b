"""The default ragtime corpus and the cache that parses a piece once."""

from __future__ import annotations

from pathlib import Path

import pytest

from seqtui_models.jazz import corpus
from seqtui_models.jazz.corpus import load_piece
from music_files import write_test_band as write_band


def test_pieces_are_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_band(tmp_path / "band.mid")
    first = load_piece(path)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(corpus, "open_music", no_parsing)
    assert load_piece(path) == first
    with pytest.raises(AssertionError):
        load_piece(path, chords=2)  # another choice of tracks is another piece


def test_the_default_corpus() -> None:
    pieces = corpus.corpus_pieces()
    assert [p.name for p in pieces] == list(corpus.CORPUS_TITLES.values())
    maple, alexander = pieces
    assert "accompaniment" in maple.chord_source and maple.beats_per_bar == 2 and len(maple.melody) > 300
    assert alexander.chord_source == "the chord symbols in the file" and len(alexander.melody) > 100
    assert {c.chord.symbol for c in alexander.chords} >= {"F", "C7", "Bb"}
    assert corpus.corpus_pieces() == pieces  # now from the cache
