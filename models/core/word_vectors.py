"""Word vectors in memory: a vocabulary, its embedding matrix and the look-ups every task needs.

One class, :class:`WordVectors`, is what every task gets back (the vectors tab, the emojify
task): ``words[i]`` is the word of row ``i`` of ``vectors``, ``index(word)`` goes the other
way, and an unknown word raises :class:`~seqtui_models.core.errors.InvalidInput` naming it and
suggesting close spellings. :func:`load_vectors` gives the bundled GloVe 6B 50d (memory-mapped,
loaded once per process) or a GloVe / word2vec file the user has; the readers and writers live
in :mod:`seqtui_models.core.vector_files` and are re-exported here.

Notation: ``V`` words, ``n`` dimensions; ``e_w = vectors[i]`` is the embedding of word ``w``
(the course's ``word_to_vec_map[w]``) and ``u_w = e_w / ‖e_w‖`` its unit vector.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal, Unpack

import numpy as np

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.vector_files import DEFAULT_NAME, ReadOptions, default_paths, read_default, read_vectors
from seqtui_models.core.vector_files import save_glove, save_word2vec
from seqtui_models.core.vector_readers import Cancelled, CountedProgress, LoadProgress, Malformed, SkippedLine, VectorFile

__all__ = [
    "DEFAULT_NAME", "Cancelled", "CountedProgress", "LoadProgress", "Malformed", "OovPolicy", "ReadOptions", "SkippedLine",
    "WordVectors", "default_paths", "load_default", "load_vectors", "save_glove", "save_word2vec",
]

OovPolicy = Literal["error", "skip", "zero"]

SUGGESTION_POOL = 50_000  # close spellings are looked for among the most frequent words only


@dataclass(eq=False)
class WordVectors:
    """A vocabulary and its embedding matrix.

    Attributes:
        words: ``words[i]`` is the word of row ``i`` (the course's ``index_to_word``), in file
            order, which for GloVe and word2vec is most frequent first.
        vectors: ``(V, n)`` float32, possibly a read-only memory map: never write into it.
        source: Where the vectors came from, for titles and reports.
        skipped: Lines that were skipped while loading (malformed or duplicate words).
    """

    words: list[str]
    vectors: np.ndarray
    source: str = ""
    skipped: tuple[SkippedLine, ...] = ()
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.vectors.ndim != 2 or self.vectors.shape[0] != len(self.words):
            raise DataFileError(
                f"{self.source or 'Vectors'}: {len(self.words)} words but a matrix of shape "
                f"{self.vectors.shape} — the vocabulary and the matrix must have one row per word."
            )
        if not self._index:
            # the first occurrence wins, as in gensim: rows are most frequent first
            self._index = {}
            for i, word in enumerate(self.words):
                self._index.setdefault(word, i)

    # --- sizes -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.words)

    @property
    def dim(self) -> int:
        """n, the number of dimensions."""
        return int(self.vectors.shape[1])

    # --- word → index → vector ---------------------------------------------------------------
    def __contains__(self, word: object) -> bool:
        return word in self._index

    @property
    def word_to_index(self) -> dict[str, int]:
        """The course's ``word_to_index`` (0-based rows of ``vectors``); do not modify."""
        return self._index

    def get_index(self, word: str, default: int | None = None) -> int | None:
        """Return the row of ``word``, or ``default`` if it is not in the vocabulary."""
        return self._index.get(word, default)

    def index(self, word: str) -> int:
        """Return the row of ``word``, or raise :class:`InvalidInput` naming it with suggestions."""
        i = self._index.get(word)
        if i is None:
            raise self.unknown(word)
        return i

    def vector(self, word: str) -> np.ndarray:
        """e_w: the raw (not normalised) vector of ``word``, float32 ``(n,)``."""
        return np.array(self.vectors[self.index(word)], dtype=np.float32)

    def unit_vector(self, word: str) -> np.ndarray:
        """u_w = e_w / ‖e_w‖, float32 ``(n,)``."""
        return np.array(self.unit[self.index(word)])

    def indices(self, words: Iterable[str], oov: OovPolicy = "error") -> list[int]:
        """Rows of several words; ``oov`` says what an unknown word does.

        Args:
            words: The words to look up.
            oov: ``"error"`` raises :class:`InvalidInput` for the first unknown word;
                ``"skip"`` leaves unknown words out; ``"zero"`` is not valid here (there is no
                row for it) and is treated as ``"skip"``.
        """
        rows: list[int] = []
        for word in words:
            i = self._index.get(word)
            if i is not None:
                rows.append(i)
            elif oov == "error":
                raise self.unknown(word)
        return rows

    def lookup(self, words: Sequence[str], oov: OovPolicy = "error") -> np.ndarray:
        """Stack the raw vectors of ``words`` into ``(len(words), n)`` float32.

        ``oov="zero"`` gives unknown words a zero row (the emojify task averages such rows
        away); ``"skip"`` drops them; ``"error"`` raises for the first one.
        """
        if oov == "zero":
            out = np.zeros((len(words), self.dim), dtype=np.float32)  # (len(words), n)
            for row, word in enumerate(words):
                i = self._index.get(word)
                if i is not None:
                    out[row] = self.vectors[i]
            return out
        return np.array(self.vectors[self.indices(words, oov)], dtype=np.float32)

    # --- for Embedding layers (emojify) -------------------------------------------------------
    def embedding_matrix(self, padding: bool = True) -> np.ndarray:
        """The matrix for a Keras ``Embedding``: ``(V + 1, n)`` float32 with a zero row 0 for
        padding when ``padding`` (then word row i is index i + 1, as in the course), else a copy
        of ``vectors``."""
        offset = 1 if padding else 0
        out = np.zeros((len(self) + offset, self.dim), dtype=np.float32)  # (V + 1, n)
        out[offset:] = self.vectors
        return out

    def padded_indices(
        self, sentences: Sequence[Sequence[str]], max_len: int, oov: OovPolicy = "zero", padding: bool = True
    ) -> np.ndarray:
        """The course's ``sentences_to_indices``: ``(m, max_len)`` int64 rows of word indices.

        With ``padding`` (the default) word row i becomes index i + 1 and 0 pads short sentences,
        matching :meth:`embedding_matrix`. Words past ``max_len`` are dropped. ``oov`` says what an
        unknown word does: ``"zero"`` maps it to index 0 (the zero vector; needs ``padding``),
        ``"skip"`` leaves it out, ``"error"`` raises :class:`InvalidInput` naming it.
        """
        if max_len < 1:
            raise InvalidInput(f"max_len must be at least 1 (got {max_len}).")
        if oov == "zero" and not padding:
            raise InvalidInput("Unknown words can map to index 0 only when index 0 is the padding row.")
        offset = 1 if padding else 0
        out = np.zeros((len(sentences), max_len), dtype=np.int64)  # (m, max_len)
        for row, sentence in enumerate(sentences):
            indices: list[int] = []
            for word in sentence:
                i = self._index.get(word)
                if i is not None:
                    indices.append(i + offset)
                elif oov == "error":
                    raise self.unknown(word)
                elif oov == "zero":
                    indices.append(0)
            out[row, : min(len(indices), max_len)] = indices[:max_len]
        return out

    # --- unknown words -----------------------------------------------------------------------
    def suggest(self, word: str, n: int = 3) -> list[str]:
        """Close spellings of ``word`` among the most frequent words (difflib ratio ≥ 0.75)."""
        lowered = word.lower()
        if lowered != word and lowered in self._index:
            return [lowered]
        return difflib.get_close_matches(lowered, self._suggestion_pool, n=n, cutoff=0.75)

    @cached_property
    def _suggestion_pool(self) -> list[str]:
        return self.words[:SUGGESTION_POOL]

    def unknown(self, word: str) -> InvalidInput:
        """Build the error for an out-of-vocabulary ``word`` (raise it)."""
        hints = self.suggest(word)
        where = f" of {self.source}" if self.source else ""
        advice = f" Did you mean {' or '.join(repr(h) for h in hints)}?" if hints else " Try another word."
        return InvalidInput(f"{word!r} is not in the vocabulary{where}.{advice}", title="Unknown word")

    # --- normalised matrix -------------------------------------------------------------------
    @cached_property
    def norms(self) -> np.ndarray:
        """‖e_w‖ for every word, float32 ``(V,)``; computed once, on first use."""
        return np.linalg.norm(self.vectors, axis=1).astype(np.float32)  # (V,)

    @cached_property
    def unit(self) -> np.ndarray:
        """U: every row scaled to unit length, C-ordered float32 ``(V, n)``; computed once.

        Zero rows stay zero. C order matters: the matrix products of the verbs and the
        benchmark read it row-block by row-block.
        """
        norms = self.norms.copy()
        norms[norms == 0] = 1.0  # a zero vector stays zero instead of becoming NaN
        unit = np.empty(self.vectors.shape, dtype=np.float32, order="C")  # (V, n)
        np.divide(self.vectors, norms[:, None], out=unit)
        return unit

    def clip(self, restrict_vocab: int | None) -> int:
        """How many leading rows a search over ``restrict_vocab`` words covers (None: all)."""
        if restrict_vocab is None or restrict_vocab <= 0:
            return len(self)
        return min(int(restrict_vocab), len(self))


def _from_file(found: VectorFile) -> WordVectors:
    """The :class:`WordVectors` of what a reader found."""
    return WordVectors(words=found.words, vectors=found.vectors, source=found.source, skipped=found.skipped)


@lru_cache(maxsize=1)
def load_default() -> WordVectors:
    """Return GloVe 6B 50d (400,000 lower-case words), memory-mapped; loaded once per process."""
    return _from_file(read_default())


def load_vectors(path: str | Path | None = None, **options: Unpack[ReadOptions]) -> WordVectors:
    """Load word vectors: the default GloVe 6B 50d when ``path`` is None, else a file.

    The format is detected from the content: a word2vec header ``V n`` on the first line
    (then text or binary), otherwise the GloVe text format.

    Args:
        path: A GloVe text, word2vec text or word2vec binary file (``.gz`` allowed).
        **options: For a file only (:class:`~seqtui_models.core.vector_files.ReadOptions`):
            ``malformed="fail"`` raises :class:`DataFileError` at the first malformed line (with
            its number), ``"skip"`` leaves such lines out and lists them in ``.skipped``;
            ``limit`` loads only the first words (like gensim's ``limit``); ``on_progress`` is
            called every few thousand lines with a :class:`LoadProgress`; ``should_stop`` is
            polled as often, and returning True raises :class:`Cancelled`.
    """
    if path is None:
        return load_default()
    return _from_file(read_vectors(path, **options))
