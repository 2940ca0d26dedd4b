"""Names files for Dinosaur Island: reading, normalising, the vocabulary and the fixed split.

Any text file with one name per line works (makemore's idea). Reading is forgiving and always
says what it dropped:

- Encoding: UTF-8 with or without a BOM, UTF-16 with a BOM (Windows "Unicode" text), else
  Latin-1. A file with NUL bytes or mostly control bytes is binary and refused.
- Lines: LF, CRLF or CR endings; surrounding blanks are stripped; blank lines are skipped.
- Characters: lowercased (``casefold``), accents removed (NFKD, combining marks dropped, so
  "Ñandú" becomes "nandu"), then only letters are kept, plus a hyphen, an apostrophe or a single
  space *between* letters ("Mary-Jane", "o'brien", "van dyke"). Digits and other punctuation
  are dropped. The bundled dinosaur names are plain a–z already.
- Duplicates (after normalisation) are kept once, so a name cannot sit in both halves of the
  split; names longer than :data:`MAX_NAME_LENGTH` are skipped (a file of prose is not a file of
  names).

The vocabulary is built from the data: '\\n' (the end token, index 0, as in the course) followed
by the sorted characters seen. The train/validation split is a seeded permutation that depends
only on the names and ``split_seed`` (not on the training seed), so held-out losses of
different runs on the same file are comparable.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

import numpy as np

from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.paths import data_file

END = "\n"
"""The end-of-name token: index 0 of every vocabulary, as in the course."""

DEFAULT_NAMES = "dinos.txt"
"""The bundled names file (in the data folder)."""

MAX_NAME_LENGTH = 48
"""Longer lines are skipped: they are sentences, not names."""

MAX_FILE_BYTES = 50_000_000
"""Bigger files are refused before reading (a names file is kilobytes)."""

Novelty = Literal["train", "val", "new"]


def normalise_name(text: str) -> str:
    """Return the name in ``text`` lowercased, without accents, letters and inner ``-`` ``'`` `` `` only.

    >>> normalise_name("  Ñandú-Guazú  ")
    'nandu-guazu'
    >>> normalise_name("T. rex 2")
    't rex'
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept: list[str] = []
    pending = ""  # a separator waiting for the next letter
    for ch in decomposed:
        if unicodedata.combining(ch):
            continue  # an accent split off by NFKD
        if ch.isalpha():
            if pending and kept:
                kept.append(pending)
            pending = ""
            kept.append(ch)
        elif ch in "-'’ \t":
            # keep one separator, and only between letters; a hyphen or apostrophe wins over a space
            sep = "'" if ch == "’" else (" " if ch == "\t" else ch)
            if sep != " " or not pending:
                pending = sep
        else:
            # digits, dots and the like separate words but are not kept
            if kept and not pending:
                pending = " "
    return "".join(kept)


def _decode(raw: bytes, where: str) -> str:
    """Decode a names file's bytes, refusing binary data."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            pass  # a BOM followed by garbage: judged below like any other bytes
    head = raw[:8192]
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 13))
    if b"\x00" in head or (head and control / len(head) > 0.1):
        raise DataFileError(
            f"{where} looks like a binary file, not text — pass a text file with one name per line."
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")  # every byte decodes: old Windows and Mac files


@dataclass(frozen=True)
class ReadReport:
    """What reading a names file kept and dropped.

    Attributes:
        names: The normalised names, in file order (duplicates kept once unless reading for eval).
        blank: Lines that were empty, or had no letters.
        too_long: Lines longer than :data:`MAX_NAME_LENGTH` after normalisation.
        duplicates: Repeated names dropped.
    """

    names: tuple[str, ...]
    blank: int = 0
    too_long: int = 0
    duplicates: int = 0


def read_names(path: str | Path, *, unique: bool = True) -> ReadReport:
    """Read and normalise a names file (see the module docstring).

    Args:
        path: A text file, one name per line.
        unique: Keep each name once (training); ``False`` keeps every line (evaluation).

    Raises:
        DataFileError: the file is missing, unreadable, binary, too big, or has no names.
    """
    path = Path(path)
    where = str(path)
    if not path.exists():
        raise DataFileError(f"No such file: {where} — pass a text file with one name per line.")
    if path.is_dir():
        raise DataFileError(f"{where} is a folder — pass a text file with one name per line.")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataFileError(
                f"{where} is {size / 1e6:.0f} MB — too big for a names file; pass a text file "
                f"with one name per line (at most {MAX_FILE_BYTES // 1_000_000} MB)."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(f"Cannot read {where} ({exc.strerror or exc}) — check the path and permissions.") from None
    text = _decode(raw, where)
    names: list[str] = []
    seen: set[str] = set()
    blank = too_long = duplicates = 0
    for line in text.splitlines():
        name = normalise_name(line)
        if not name:
            blank += 1
        elif len(name) > MAX_NAME_LENGTH:
            too_long += 1
        elif unique and name in seen:
            duplicates += 1
        else:
            seen.add(name)
            names.append(name)
    if not names:
        if too_long:
            reason = (f"its one line is longer than {MAX_NAME_LENGTH} characters" if too_long == 1 else
                      f"all its {too_long:,} lines are longer than {MAX_NAME_LENGTH} characters")
        else:
            reason = "it is empty" if not text.strip() else "no line has a letter in it"
        raise DataFileError(f"No names in {where}: {reason} — pass a text file with one name per line.")
    return ReadReport(tuple(names), blank, too_long, duplicates)


@dataclass(frozen=True)
class Vocab:
    """The characters a model knows: '\\n' (index 0) then the sorted characters of the data.

    Attributes:
        chars: Every character, in index order; ``chars[0]`` is always '\\n'.
    """

    chars: str

    def __post_init__(self) -> None:
        if not self.chars or self.chars[0] != END or len(set(self.chars)) != len(self.chars):
            raise InvalidInput("A vocabulary starts with '\\n' and lists each character once.")

    @classmethod
    def from_names(cls, names: Iterable[str]) -> Vocab:
        """Build the vocabulary of a list of names (the course: ``sorted(set(data))``)."""
        return cls(END + "".join(sorted(set("".join(names)) - {END})))

    @property
    def size(self) -> int:
        """n_x = n_y, the number of characters including '\\n'."""
        return len(self.chars)

    @cached_property
    def char_to_ix(self) -> dict[str, int]:
        """The course's ``char_to_ix``."""
        return {ch: i for i, ch in enumerate(self.chars)}

    @cached_property
    def ix_to_char(self) -> dict[int, str]:
        """The course's ``ix_to_char``."""
        return dict(enumerate(self.chars))

    def unknown(self, name: str) -> str:
        """The characters of ``name`` this vocabulary lacks (sorted, each once)."""
        return "".join(sorted(set(name) - set(self.chars)))

    def encode(self, name: str) -> np.ndarray:
        """Indices of the name's characters (no end token).

        Raises:
            InvalidInput: the name has characters outside the vocabulary.
        """
        missing = self.unknown(name)
        if missing:
            raise InvalidInput(
                f"{name!r} has characters the model does not know ({missing!r}); it knows {self.describe()}."
            )
        lookup = self.char_to_ix
        return np.array([lookup[ch] for ch in name], dtype=np.intp)

    def decode(self, indices: Iterable[int]) -> str:
        """Characters of the indices, stopping at the first end token."""
        out: list[str] = []
        for ix in indices:
            if ix == 0:
                break
            out.append(self.chars[int(ix)])
        return "".join(out)

    def describe(self) -> str:
        """A short human description, e.g. "a–z" or "a–z, '-' and ' '"."""
        letters = [c for c in self.chars[1:] if c.isalpha()]
        others = [c for c in self.chars[1:] if not c.isalpha()]
        if letters and "".join(letters) == "".join(chr(c) for c in range(ord(letters[0]), ord(letters[-1]) + 1)):
            text = f"{letters[0]}–{letters[-1]}"
        else:
            text = "".join(letters)
        if others:
            text += ", " + ", ".join(repr(c) for c in others)
        return text


@dataclass(frozen=True)
class Novelties:
    """Tags names by where a model met them: call it with a name.

    Attributes:
        train: The names it learned from ("train").
        val: The names held out while it trained ("val"); any other name is "new".
    """

    train: frozenset[str]
    val: frozenset[str]

    def __call__(self, name: str) -> Novelty:
        """"train", "val" or "new"."""
        if name in self.train:
            return "train"
        return "val" if name in self.val else "new"


@dataclass(frozen=True)
class NameSet:
    """A names file, normalised and split.

    Attributes:
        source: Where the names came from (a path, or "built-in dinosaur names").
        train: Names the model learns from.
        val: Held-out names for the validation loss (a fixed share, see :func:`split_names`).
        vocab: The vocabulary of all the names.
        report: What reading kept and dropped.
    """

    source: str
    train: tuple[str, ...]
    val: tuple[str, ...]
    vocab: Vocab
    report: ReadReport = field(repr=False)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name, train then validation."""
        return self.train + self.val

    @cached_property
    def novelty(self) -> Novelties:
        """Tags a name "train" if the model saw it, "val" if it was held out, else "new"."""
        return Novelties(frozenset(self.train), frozenset(self.val))


def split_names(names: tuple[str, ...], val_fraction: float = 0.1, seed: int = 0) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Split names into (train, val) by a permutation seeded with ``seed``.

    The validation share is ``round(val_fraction · n)``, at least one name and at most n − 1.
    """
    n = len(names)
    if n < 2:
        raise DataFileError("A names file needs at least 2 different names (one to learn from, one to hold out).")
    n_val = min(n - 1, max(1, round(val_fraction * n)))
    order = np.random.default_rng(seed).permutation(n)
    val = tuple(names[i] for i in sorted(order[:n_val]))
    train = tuple(names[i] for i in sorted(order[n_val:]))
    return train, val


def load_names(path: str | Path | None = None, *, val_fraction: float = 0.1, split_seed: int = 0) -> NameSet:
    """Read a names file (the bundled dinosaur names if ``path`` is None), normalise and split it.

    Raises:
        DataFileError: see :func:`read_names`; also when fewer than 2 names remain.
    """
    if not 0 < val_fraction < 1:
        raise InvalidInput(f"val_fraction must be between 0 and 1 (got {val_fraction}).")
    source = str(path) if path is not None else "built-in dinosaur names"
    report = read_names(path if path is not None else data_file(DEFAULT_NAMES))
    train, val = split_names(report.names, val_fraction, split_seed)
    return NameSet(source, train, val, Vocab.from_names(report.names), report)
