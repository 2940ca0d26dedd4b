"""Parsing word-vector files: GloVe text, word2vec text and word2vec binary, with progress and cancelling.

:mod:`seqtui_models.core.vector_files` opens a file and tells its format; the readers here
turn its bytes into a :class:`VectorFile` (the words in file order, their ``(V, n)`` float32
matrix, the lines left out). Malformed lines either stop the reading with their number or are
skipped and listed; a word seen twice keeps its first (most frequent) row, as in gensim.

The formats: GloVe text is ``word v1 … vn`` per line, no header; word2vec text is the same
after a ``V n`` header line; word2vec binary is the header, then ``word`` + space + n
little-endian float32 per entry (+ an optional newline).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal, NamedTuple

import numpy as np

from seqtui_models.core.data_files import SkippedLine
from seqtui_models.core.errors import DataFileError, SeqtuiError

Malformed = Literal["fail", "skip"]

TEXT_CHUNK_LINES = 20_000  # lines parsed per numpy call; progress is reported per chunk
BINARY_READ = 1 << 22  # word2vec binary: bytes read per refill (4 MB)
MAX_WORD_BYTES = 1 << 16  # word2vec binary: a word longer than this means the file is not one


class Cancelled(SeqtuiError):
    """Raised when the user cancelled loading a vector file or a benchmark run."""

    title = "Cancelled"


@dataclass(frozen=True)
class CountedProgress:
    """Progress counted as ``done`` out of ``total`` (bytes of a file, questions of a benchmark).

    Attributes:
        done: How much is done so far.
        total: How much there is; 0 means there is nothing to do.
    """

    done: int
    total: int

    @property
    def fraction(self) -> float:
        """done / total in [0, 1]; nothing to do counts as done (1.0)."""
        return min(1.0, self.done / self.total) if self.total else 1.0


@dataclass(frozen=True)
class LoadProgress(CountedProgress):
    """How far loading a vector file has got.

    Attributes:
        done: Bytes read so far.
        total: Size of the file in bytes (compressed size for ``.gz``).
        words: Words loaded so far.
    """

    words: int


@dataclass(frozen=True)
class VectorFile:
    """What a reader found.

    Attributes:
        words: The words in file order (for GloVe and word2vec: most frequent first).
        vectors: ``(V, n)`` float32, one row per word; possibly a read-only memory map.
        source: The file's name, for titles and reports.
        skipped: Lines left out (malformed, or a duplicate of an earlier word).
    """

    words: list[str]
    vectors: np.ndarray
    source: str
    skipped: tuple[SkippedLine, ...] = ()


# --- the open file -------------------------------------------------------------------------------
class Source:
    """The open file: its bytes and lines, how far into the file they are, progress and cancelling."""

    def __init__(
        self,
        stream: IO[bytes],
        path: Path,
        total: int,
        on_progress: Callable[[LoadProgress], None] | None,
        should_stop: Callable[[], bool] | None,
    ) -> None:
        self._stream = io.BufferedReader(stream) if not isinstance(stream, io.BufferedReader) else stream  # type: ignore[arg-type,type-var]
        self._raw = stream
        self._file_pos = getattr(stream, "fileobj", None)  # gzip: the compressed file object
        self.path = path
        self.total = total
        self._on_progress = on_progress
        self._should_stop = should_stop

    def readline(self, limit: int = -1) -> bytes:
        return self._stream.readline(limit)

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
        return lines

    def peek(self) -> bytes:
        """Up to 4 KB of what comes next, without consuming it."""
        return self._stream.peek(4096)[:4096]

    @property
    def done(self) -> int:
        """Bytes of the file on disk read so far (for ``.gz``: compressed bytes)."""
        source = self._file_pos if self._file_pos is not None else self._raw
        try:
            return int(source.tell())
        except (OSError, ValueError):
            return 0

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self._should_stop is not None and self._should_stop():
            raise Cancelled(f"Stopped loading {self.path.name} — load it again to use it.")

    def progressed(self, words: int, finished: bool = False) -> None:
        """Report ``words`` loaded so far (and the whole file read when ``finished``)."""
        if self._on_progress is not None:
            self._on_progress(LoadProgress(self.total if finished else self.done, self.total, words))


class Skips:
    """The lines left out of a file; a malformed one raises at once when the user asked to fail."""

    def __init__(self, path: Path, malformed: Malformed) -> None:
        self.path = path
        self.malformed = malformed
        self.lines: list[SkippedLine] = []

    def report(self, line_no: int, reason: str) -> None:
        """Record a malformed line, or raise :class:`DataFileError` naming it."""
        if self.malformed == "fail":
            raise DataFileError(
                f"{self.path.name}, line {line_no}: {reason} — fix the file, or load it skipping malformed lines."
            )
        self.lines.append(SkippedLine(line_no, reason))

    def duplicate(self, line_no: int, word: str) -> None:
        """Record a repeated word: never an error (gensim too keeps the first, most frequent, one)."""
        self.lines.append(SkippedLine(line_no, f"duplicate word {word!r} (the first one is kept)"))


def parse_header(first: bytes) -> tuple[int, int] | None:
    """Return (V, n) if ``first`` is a word2vec header line, else None."""
    parts = first.split()
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        count, dim = int(parts[0]), int(parts[1])
        if dim > 0:
            return count, dim
    return None


def looks_binary(rest: bytes, dim: int) -> bool:
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


# --- text: GloVe and word2vec --------------------------------------------------------------------
def read_text(
    source: Source, first: bytes | None, header: tuple[int, int] | None, skips: Skips, limit: int | None
) -> VectorFile:
    """Parse GloVe text (``first`` is its first line) or word2vec text (``header`` is ``(V, n)``)."""
    parser = _TextParser(header[1], skips) if header else None
    words: list[str] = []
    blocks: list[np.ndarray] = []
    seen: set[str] = set()
    line_no = 1 if header else 0  # number of the last line consumed
    pending = [first] if first is not None else []
    wanted = limit if limit is not None else (header[0] if header else None)
    if header is not None and limit is not None:
        wanted = min(limit, header[0])
    while True:
        source.check()
        lines = pending + source.readlines_chunk(TEXT_CHUNK_LINES)
        pending = []
        if not lines:
            break
        if parser is None:
            parser = _TextParser(_glove_dim(lines[0], source.path), skips)
        block = parser.parse(lines, line_no)
        line_no += len(lines)
        keep = []
        for row, word in enumerate(block.words):
            if word in seen:
                skips.duplicate(block.line_numbers[row], word)
                continue
            seen.add(word)
            keep.append(row)
        words.extend(block.words[r] for r in keep)
        blocks.append(block.matrix[keep] if len(keep) != len(block.words) else block.matrix)  # (kept, n)
        source.progressed(len(words))
        if wanted is not None and len(words) >= wanted:
            break
    if wanted is not None:
        words = words[:wanted]
    if not words or parser is None:
        raise DataFileError(f"{source.path.name} has no word vectors — expected lines of 'word v1 v2 …'.")
    matrix = np.concatenate(blocks)[: len(words)]  # (V, n)
    if header is not None and limit is None and len(words) + len(skips.lines) < header[0]:
        skips.report(line_no, f"the header promises {header[0]} words but the file has {len(words)}")
    return VectorFile(words=words, vectors=matrix, source=source.path.name, skipped=tuple(skips.lines))


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


NOT_FINITE = "a value is NaN or infinite"
ALL_ZERO = "its vector is all zeros (no direction, so no cosine)"


class _Block(NamedTuple):
    """Parsed lines: their words, a ``(rows, n)`` float32 matrix and each row's line number."""

    words: list[str]
    matrix: np.ndarray
    line_numbers: list[int]


class _TextParser:
    """Parses chunks of ``word v1 … vn`` lines; malformed lines go to ``skips``.

    Fast path: a chunk is split into words and one long string of numbers that
    ``np.fromstring`` parses in C; only a chunk whose count is off is parsed line by line,
    which finds the malformed line and its number.
    """

    def __init__(self, dim: int, skips: Skips) -> None:
        self.dim = dim
        self.skips = skips

    def parse(self, lines: list[bytes], first_line_no: int) -> _Block:
        """Parse ``lines``, the first of which follows line ``first_line_no`` of the file.

        A row of NaN or infinity, or of zeros only, is malformed too: its cosine with anything is
        NaN or 0/0, and it would rank as a neighbour with "score": null.
        """
        block = self._parse_fast(lines, first_line_no)
        block = block if block is not None else self._parse_slowly(lines, first_line_no)
        finite = np.isfinite(block.matrix).all(axis=1)  # (rows,)
        nonzero = block.matrix.any(axis=1)  # (rows,)
        if finite.all() and nonzero.all():
            return block
        for i in np.flatnonzero(~(finite & nonzero)):
            self.skips.report(block.line_numbers[i], NOT_FINITE if not finite[i] else ALL_ZERO)
        keep = np.flatnonzero(finite & nonzero)
        return _Block([block.words[i] for i in keep], block.matrix[keep], [block.line_numbers[i] for i in keep])

    def _parse_fast(self, lines: list[bytes], first_line_no: int) -> _Block | None:
        """The whole chunk in one C call, or None when some line is not exactly a word and n numbers."""
        dim = self.dim
        try:
            rows = b"".join(lines).decode("utf-8").split("\n")  # not splitlines(): GloVe words may contain \x85 or \u2028
        except UnicodeDecodeError:
            return None
        if rows and rows[-1] == "":
            rows.pop()
        if len(rows) != len(lines):
            return None
        split = [row.rstrip().split(" ", 1) for row in rows]
        # each line: a word, then exactly n numbers separated by single spaces
        if not all(len(p) == 2 and p[0] and p[1].count(" ") == dim - 1 for p in split):
            return None
        joined = " ".join(p[1] for p in split)
        if "\t" in joined or "  " in joined:
            return None
        try:
            numbers = np.fromstring(joined, sep=" ", dtype=np.float32)  # (rows * n,) parsed in C
        except ValueError:  # a value is not a number: find it line by line
            return None
        if numbers.size != len(split) * dim:
            return None
        line_numbers = list(range(first_line_no + 1, first_line_no + 1 + len(split)))
        return _Block([p[0] for p in split], numbers.reshape(len(split), dim), line_numbers)  # (rows, n)

    def _parse_slowly(self, lines: list[bytes], first_line_no: int) -> _Block:
        """Parse line by line, reporting every malformed line with its number."""
        words: list[str] = []
        rows: list[np.ndarray] = []
        line_numbers: list[int] = []
        for offset, raw in enumerate(lines):
            line_no = first_line_no + 1 + offset
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                self.skips.report(line_no, "it is not valid UTF-8")
                continue
            word, _, rest = line.rstrip("\r\n").rstrip(" \t").partition(" ")
            numbers = rest.split()
            if not word:
                self.skips.report(line_no, "it is empty" if not rest else "it starts with a space")
                continue
            if len(numbers) != self.dim:
                self.skips.report(line_no, f"expected a word and {self.dim} numbers, found {len(numbers)} numbers")
                continue
            try:
                row = np.array(numbers, dtype=np.float32)  # (n,)
            except ValueError:
                self.skips.report(line_no, "a value is not a number")
                continue
            words.append(word)
            rows.append(row)
            line_numbers.append(line_no)
        block = np.stack(rows) if rows else np.zeros((0, self.dim), np.float32)  # (rows, n)
        return _Block(words, block, line_numbers)


# --- word2vec binary -----------------------------------------------------------------------------
def _refill(source: Source, buffer: bytes, pos: int) -> tuple[bytes, int, bool]:
    """Keep the unread tail of ``buffer``, append the next 4 MB: (buffer, 0, end of file)."""
    more = source.read(BINARY_READ)
    return buffer[pos:] + more, 0, not more  # never re-copied per entry: only once per 4 MB


GZIP_ROOM = 16
"""How many times its size a gzip file of float32 vectors is taken to hold at most (they barely compress)."""


def read_word2vec_binary(source: Source, header: tuple[int, int], skips: Skips, limit: int | None) -> VectorFile:
    """Parse word2vec binary entries: ``word`` + b' ' + n float32 (+ an optional b'\\n')."""
    count, dim = header
    path = source.path
    wanted = min(count, limit) if limit is not None else count
    # The header's sizes decide the allocation: check them against the file first (a header that
    # lies, "100000000000 300", asked numpy for 120 TB). An entry is at least a one-byte word, a
    # space and 4·n bytes; a gzip file may hold some times its own size.
    room = source.total * (GZIP_ROOM if path.suffix == ".gz" else 1)
    fits = room // (4 * dim + 2)
    if dim > room or wanted > fits:
        raise DataFileError(
            f"{path.name}: its word2vec header promises {count:,} words of {dim:,} numbers, at least "
            f"{count * (4 * dim + 2):,} bytes, but the file has {source.total:,} — it is cut short or not a "
            f"word2vec binary file."
        )
    words: list[str] = []
    matrix = np.empty((wanted, dim), dtype=np.float32)  # (V, n)
    seen: set[str] = set()
    width = 4 * dim  # bytes of one entry's n float32
    buffer = b""
    pos = 0  # start of the next entry in buffer
    entry = 0
    eof = False
    while len(words) < wanted:
        if len(buffer) - pos < MAX_WORD_BYTES and not eof:
            source.check()
            buffer, pos, eof = _refill(source, buffer, pos)
            source.progressed(len(words))
        while pos < len(buffer) and buffer[pos] == 0x0A:  # entries may end with b"\n"
            pos += 1
        space = buffer.find(b" ", pos, pos + MAX_WORD_BYTES)
        if space < 0 or len(buffer) < space + 1 + width:
            if eof:
                if buffer[pos:].strip():
                    skips.report(entry + 1, "the file ends in the middle of an entry")
                break
            if space < 0 and len(buffer) - pos >= MAX_WORD_BYTES:
                raise DataFileError(f"{path.name}, entry {entry + 1}: no word found — is this a word2vec binary file?")
            buffer, pos, eof = _refill(source, buffer, pos)
            continue
        entry += 1
        raw_word = buffer[pos:space]
        values = buffer[space + 1 : space + 1 + width]
        pos = space + 1 + width
        try:
            word = raw_word.decode("utf-8")
        except UnicodeDecodeError:
            skips.report(entry, "the word is not valid UTF-8")
            continue
        if not word:
            skips.report(entry, "the word is empty")
            continue
        if word in seen:
            skips.duplicate(entry, word)
            continue
        vec = np.frombuffer(values, dtype="<f4")  # (n,)
        if not np.isfinite(vec).all():
            skips.report(entry, NOT_FINITE)
            continue
        if not vec.any():
            skips.report(entry, ALL_ZERO)
            continue
        seen.add(word)
        matrix[len(words)] = vec
        words.append(word)
    if len(words) < wanted and limit is None and not skips.lines:
        skips.report(entry, f"the header promises {count} words but the file has {len(words)}")
    if not words:
        raise DataFileError(f"{path.name} has no word vectors after its header — is it a word2vec binary file?")
    source.progressed(len(words), finished=True)
    return VectorFile(words=words, vectors=matrix[: len(words)], source=path.name, skipped=tuple(skips.lines))
