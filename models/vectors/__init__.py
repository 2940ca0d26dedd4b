"""Word vectors: similarity, neighbours, analogies, odd one out, a bias lab and the analogy benchmark.

The door of the vectors task: the tab and the CLI import from here only. Everything takes a
:class:`~seqtui_models.core.word_vectors.WordVectors` first (``load_vectors()`` gives the
default GloVe 6B 50d) and returns plain values or frozen dataclasses; unknown words raise
:class:`~seqtui_models.core.errors.InvalidInput` naming the word and suggesting close spellings.

* ``queries``: what a person types, read one way for the tab and the CLI (case folding,
  word lists, pairs, weighted expressions);
* ``ranking``: gensim's similarity, ``most_similar`` (3CosAdd and 3CosMul), neighbours of an
  expression, ``rank_by_centrality`` / ``doesnt_match``;
* ``analogies``: a : b :: c : ? by 3CosAdd, 3CosMul or the course's ``complete_analogy``,
  restricted (inputs excluded, as in gensim and the course) or not;
* ``bias``: a bias axis, projections, the course's neutralize and equalize;
* ``bench``: the Google analogy test set, scored exactly as gensim does;
* ``projection``: a map of words on a plane (PCA, or a bias axis and PCA), as the Embedding
  Projector draws them.

The loader lives in the core (:mod:`seqtui_models.core.word_vectors`), shared with emojify;
its names are re-exported here.
"""

from __future__ import annotations

from seqtui_models.core.word_vectors import Cancelled, LoadProgress, SkippedLine, WordVectors, load_default, load_vectors
from seqtui_models.vectors.analogies import METHODS, AnalogyResult, analogy, complete_analogy
from seqtui_models.vectors.bench import AnalogyReport, BenchmarkProgress, SectionScore, evaluate_analogies, read_questions
from seqtui_models.vectors.bias import BOLUKBASI_PAIRS, COURSE_NAMES, COURSE_WORDS, PRESETS, BiasAxis, bias_axis
from seqtui_models.vectors.bias import EqualizeResult, NeutralizeResult, Projection, cosine_similarity, equalize
from seqtui_models.vectors.bias import neutralize, project
from seqtui_models.vectors.projection import MAP_DEFAULT_SIZE, MAP_MAX_WORDS, MAP_MIN_WORDS, WordMap
from seqtui_models.vectors.projection import map_axis, map_query, map_words, neighbourhood
from seqtui_models.vectors.queries import ODD_ONE_OUT_MIN_WORDS, odd_one_out_words, parse_expression, parse_pairs
from seqtui_models.vectors.queries import resolve_expression, resolve_pairs
from seqtui_models.vectors.queries import known_words, resolve_word, resolve_words, split_words
from seqtui_models.vectors.ranking import Neighbour, NeighbourSearch, SearchOptions, doesnt_match, most_similar
from seqtui_models.vectors.ranking import most_similar_cosmul, neighbours, rank_by_centrality, search_neighbours
from seqtui_models.vectors.ranking import similarity

__all__ = [
    "AnalogyReport", "AnalogyResult", "BOLUKBASI_PAIRS", "BenchmarkProgress", "BiasAxis", "COURSE_NAMES",
    "COURSE_WORDS", "Cancelled", "EqualizeResult", "LoadProgress", "METHODS", "Neighbour", "NeighbourSearch",
    "NeutralizeResult", "ODD_ONE_OUT_MIN_WORDS", "PRESETS", "Projection", "SearchOptions", "SectionScore",
    "SkippedLine", "WordVectors", "analogy", "bias_axis", "complete_analogy", "cosine_similarity", "doesnt_match",
    "equalize", "evaluate_analogies", "load_default", "load_vectors", "most_similar", "most_similar_cosmul",
    "neighbours", "neutralize", "odd_one_out_words", "parse_expression", "parse_pairs", "project",
    "rank_by_centrality", "read_questions", "resolve_expression", "resolve_pairs", "resolve_word", "resolve_words", "known_words",
    "MAP_DEFAULT_SIZE", "MAP_MAX_WORDS", "MAP_MIN_WORDS", "WordMap", "map_axis", "map_query", "map_words", "neighbourhood", "search_neighbours", "similarity", "split_words",
]
