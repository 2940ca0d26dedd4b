"""Emojify sentences: the label set, the tokenizer and the CSV loader.

A dataset is a CSV of ``sentence,label`` rows (labels are whole numbers 0 … C−1). The loader
accepts the layouts such files come in: a header or none, extra (empty) columns, sentences
quoted or not with spaces or tabs around them, CRLF or LF line endings, a UTF-8 byte-order
mark. Rows it cannot use are reported with their line numbers.

The labels: the bundled files use the course's five classes (0 ❤️ love, 1 ⚾ sports, 2 😄 happy,
3 😞 sad, 4 🍴 food). A CSV of your own may have any number of classes; it names them

* with an ``emoji`` column (and optionally a ``name`` column) in a header row: every row then
  carries the emoji (and name) of its label, e.g. ``sentence,label,emoji`` /
  ``i got a puppy,0,🐶``; rows that leave them empty inherit them from other rows;
* or with a label spec given to the loader (``--labels "🐶 dog, 🐱 cat, 🐟 fish"`` on the
  command line: one ``EMOJI [name]`` per label, in label order);
* or not at all: five classes get the course's emoji, any other number the keycaps 0️⃣ 1️⃣ …

Tokens (:func:`tokenize`) follow GloVe's own tokenisation, so the words find their vectors:
lower case, letters and digits, and English contractions split as in GloVe
(``don't`` → ``do`` + ``n't``, ``i'm`` → ``i`` + ``'m``).
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import numpy as np

from seqtui_models.core.data_files import SkippedLine
from seqtui_models.core.errors import DataFileError, InvalidInput
from seqtui_models.core.paths import data_file

COURSE_EMOJI: tuple[str, ...] = ("❤️", "⚾", "😄", "😞", "🍴")
COURSE_NAMES: tuple[str, ...] = ("love", "sports", "happy", "sad", "food")
KEYCAPS: tuple[str, ...] = tuple(f"{d}\ufe0f\u20e3" for d in "0123456789")
MAX_CLASSES = 100  # a softmax over more classes than this is not what emojify is for
TRAIN_FILE = "emojify_train.csv"
TEST_FILE = "emojify_test.csv"
MAX_BAD_ROWS_SHOWN = 4

_TOKEN = re.compile(
    r"</?3|>:\(|[:;=]['’-]?[()dpo/|\]\[](?![^\W_])|\(:|\):"  # emoticons (lower-cased): :) :-( ;) :d <3 </3
    r"|[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?"  # an emoji (with its variation selector)
    r"|[^\W_]+(?:['’][^\W_]+)*"  # a word, with its clitics
)
_CLITICS = ("n't", "'s", "'m", "'re", "'ve", "'ll", "'d")
_TEXTING = {
    "dont": ["do", "n't"], "didnt": ["did", "n't"], "doesnt": ["does", "n't"], "isnt": ["is", "n't"],
    "wasnt": ["was", "n't"], "werent": ["were", "n't"], "arent": ["are", "n't"], "havent": ["have", "n't"],
    "hasnt": ["has", "n't"], "couldnt": ["could", "n't"], "wouldnt": ["would", "n't"],
    "shouldnt": ["should", "n't"], "im": ["i", "'m"], "ive": ["i", "'ve"], "youre": ["you", "'re"],
    "theyre": ["they", "'re"],
}

NEGATIONS = frozenset({"not", "n't", "no", "never", "nothing", "nobody", "none", "nor", "neither", "without", "cannot"})
"""Tokens that turn the meaning of the words after them: an average of vectors cannot see that."""


def has_negation(tokens: Iterable[str]) -> bool:
    """Whether any of ``tokens`` (from :func:`tokenize`) is a negation ("not", "n't", "never" …)."""
    return any(t in NEGATIONS for t in tokens)


def tokenize(sentence: str) -> list[str]:
    """Split a sentence into GloVe-style lower-case tokens.

    GloVe's corpus was tokenised with clitics split off (``don't`` → ``do n't``, ``i'm`` →
    ``i 'm``, ``can't`` → ``ca n't``), so the same is done here, also for the apostrophe-less
    spellings of text messages (``dont`` → ``do n't``, ``im`` → ``i 'm``): "n't" then gets its
    own vector, which is what lets a model see the negation. Emoji and emoticons ("🙂", ":(",
    "<3") are tokens too (:mod:`.words` reads them as words of their meaning).
    """
    tokens: list[str] = []
    for match in _TOKEN.finditer(sentence.lower()):
        word = match.group().replace("’", "'")
        if word in _TEXTING:
            tokens += _TEXTING[word]
            continue
        for clitic in _CLITICS:
            if word.endswith(clitic) and len(word) > len(clitic):
                tokens += [word[: -len(clitic)], clitic]
                break
        else:
            tokens.append(word)
    return tokens


# --------------------------------------------------------------------------------------------
# Labels


@dataclass(frozen=True)
class LabelSet:
    """The classes of a model: label i is shown as ``emoji[i]`` and called ``names[i]``."""

    emoji: tuple[str, ...]
    names: tuple[str, ...]

    def __post_init__(self) -> None:
        if len(self.emoji) != len(self.names) or not self.emoji:
            raise InvalidInput("A label set needs one emoji and one name per class.")

    def __len__(self) -> int:
        return len(self.emoji)

    def describe(self) -> str:
        """``0 ❤️ love, 1 ⚾ sports, …``."""
        return ", ".join(f"{i} {e} {n}" for i, (e, n) in enumerate(zip(self.emoji, self.names)))

    def to_spec(self) -> str:
        """The ``--labels`` text that gives this set back (see :func:`parse_labels`)."""
        return ", ".join(f"{e} {n}" for e, n in zip(self.emoji, self.names))


COURSE_LABELS = LabelSet(COURSE_EMOJI, COURSE_NAMES)


def default_labels(count: int) -> LabelSet:
    """Labels for ``count`` unnamed classes: the course's five, else keycaps (0️⃣ 1️⃣ … then #10)."""
    if count == len(COURSE_LABELS):
        return COURSE_LABELS
    emoji = tuple(KEYCAPS[i] if i < len(KEYCAPS) else f"#{i}" for i in range(count))
    return LabelSet(emoji, tuple(f"class {i}" for i in range(count)))


def parse_labels(spec: str) -> LabelSet:
    """Parse ``"🐶 dog, 🐱 cat, 🐟"`` (one ``EMOJI [name]`` per label, label order) into a set.

    Raises:
        InvalidInput: an empty spec, an empty entry, or a repeated emoji.
    """
    entries = [part.strip() for part in spec.split(",")]
    if not spec.strip() or any(not part for part in entries):
        raise InvalidInput(
            f"Could not read the labels {spec!r}: give one 'EMOJI name' per label, in label order, "
            "separated by commas, e.g. '🐶 dog, 🐱 cat'."
        )
    emoji, names = [], []
    for i, part in enumerate(entries):
        symbol, _, name = part.partition(" ")
        emoji.append(symbol)
        names.append(name.strip() or f"class {i}")
    if len(set(emoji)) != len(emoji):
        raise InvalidInput(f"Each label needs its own emoji (the labels {spec!r} repeat one).")
    if len(emoji) > MAX_CLASSES:
        raise InvalidInput(f"At most {MAX_CLASSES} labels are supported (got {len(emoji)}).")
    return LabelSet(tuple(emoji), tuple(names))


# --------------------------------------------------------------------------------------------
# Datasets


BadRow = SkippedLine
"""A row of a CSV that was not used, and why (``line``, ``reason``)."""


@dataclass(frozen=True)
class SentenceSet:
    """Labelled sentences.

    Attributes:
        sentences: The sentences, whitespace collapsed (as written otherwise).
        labels: ``(m,)`` int64 labels in 0 … C−1.
        labels_set: The emoji and name of every class.
        source: Where they came from (a file name).
        lines: The 1-based line of each sentence in its file (0 for sentences not from a file).
        skipped: Rows that were left out (only when the loader was told to skip bad rows).
        named: The file gave its classes emoji (an ``emoji`` column); else they are numbers, and five
            of them are read as the course's classes (:attr:`course_assumed`).
    """

    sentences: tuple[str, ...]
    labels: np.ndarray
    labels_set: LabelSet = COURSE_LABELS
    source: str = ""
    lines: tuple[int, ...] = ()
    skipped: tuple[BadRow, ...] = field(default=())
    named: bool = False

    @property
    def course_assumed(self) -> bool:
        """Five classes that no file named, read as the course's ❤️ ⚾ 😄 😞 🍴 (say so to the user)."""
        return not self.named and self.labels_set == COURSE_LABELS

    def __len__(self) -> int:
        return len(self.sentences)

    @property
    def num_classes(self) -> int:
        """C, the number of classes."""
        return len(self.labels_set)

    def counts(self) -> list[int]:
        """How many sentences each class has."""
        return [int(c) for c in np.bincount(self.labels, minlength=self.num_classes)]

    def subset(self, rows: Sequence[int] | np.ndarray) -> SentenceSet:
        """The sentences at ``rows`` (same labels and source)."""
        rows = [int(r) for r in rows]
        lines = tuple(self.lines[r] for r in rows) if self.lines else ()
        return SentenceSet(tuple(self.sentences[r] for r in rows), self.labels[rows].copy(), self.labels_set,
                           self.source, lines)

    def with_labels(self, labels_set: LabelSet) -> SentenceSet:
        """The same sentences under another (at least as large) label set."""
        if len(labels_set) < self.num_classes:
            raise InvalidInput(
                f"{self.source or 'These sentences'} use {self.num_classes} classes but the labels "
                f"name only {len(labels_set)}."
            )
        return SentenceSet(self.sentences, self.labels, labels_set, self.source, self.lines, self.skipped, named=True)


def make_set(pairs: Iterable[tuple[str, int]], labels_set: LabelSet = COURSE_LABELS, source: str = "") -> SentenceSet:
    """Build a set from ``(sentence, label)`` pairs (e.g. typed in the app).

    Raises:
        InvalidInput: a sentence without words, or a label outside the label set.
    """
    sentences, labels = [], []
    for sentence, label in pairs:
        text = " ".join(sentence.split())
        if not tokenize(text):
            raise InvalidInput(f"{sentence!r} has no words — type a sentence.")
        if not 0 <= int(label) < len(labels_set):
            raise InvalidInput(f"Label {label} is not one of 0 … {len(labels_set) - 1} ({labels_set.describe()}).")
        sentences.append(text)
        labels.append(int(label))
    return SentenceSet(tuple(sentences), np.array(labels, dtype=np.int64), labels_set, source)


def _parse_label(text: str) -> int | None:
    """A whole-number label ("2", " 2 ", "2.0"), or None if the text is not one."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _header_columns(row: list[str]) -> dict[str, int] | None:
    """Column positions if ``row`` is a header (it names a known column), else None."""
    cells = [c.strip().lower() for c in row]
    aliases = {"sentence": ("sentence", "text"), "label": ("label", "class", "y"), "emoji": ("emoji",), "name": ("name",)}
    if not any(cell in names for cell in cells for names in aliases.values()):
        return None  # a data row (a bad one is reported like any other)
    columns = {"sentence": 0, "label": 1}
    for key, names in aliases.items():
        for i, cell in enumerate(cells):
            if cell in names:
                columns[key] = i
                break
    return columns


MAX_HEADER_CHARS = 65_536
"""How much of a CSV's first line :func:`names_its_classes` reads."""


def names_its_classes(path: str | Path) -> bool:
    """Whether a CSV's header has an ``emoji`` column (read from its first line only; False if unreadable)."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
            first = next(csv.reader([handle.readline(MAX_HEADER_CHARS)]), [])
    except (OSError, csv.Error):
        return False  # read_csv says what is wrong with it
    columns = _header_columns(first)
    return columns is not None and "emoji" in columns


def _read_text(path: Path) -> str:
    if path.is_dir():
        raise DataFileError(f"{path} is a folder — pass a CSV file of 'sentence,label' rows.")
    if not path.exists():
        raise DataFileError(f"No such file: {path} — pass a CSV file of 'sentence,label' rows.")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataFileError(f"{path.name} is empty — it needs 'sentence,label' rows.")
    if b"\0" in raw[:4096]:
        raise DataFileError(f"{path.name} looks binary — pass a CSV text file of 'sentence,label' rows.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataFileError(f"{path.name}, line {line}: not UTF-8 text — save the file as UTF-8 CSV.") from None


def read_csv(
    path: str | Path,
    *,
    labels: LabelSet | None = None,
    skip_bad_rows: bool = False,
    min_classes: int = 1,
) -> SentenceSet:
    """Read a ``sentence,label`` CSV (see the module docstring for the layouts accepted).

    Args:
        path: The file.
        labels: The classes the labels must fall in (e.g. a model's); ``None`` takes them from
            the file: C = the largest label + 1, named by an ``emoji``/``name`` column if any.
        skip_bad_rows: Leave unusable rows out (listed in ``.skipped``) instead of failing.
        min_classes: Fail unless the file has labels of at least this many classes (training
            needs 2).

    Raises:
        DataFileError: the file is missing, not UTF-8 text, has no usable rows, has bad rows
            (unless ``skip_bad_rows``; the message gives their line numbers), or names one
            label with two different emoji.
    """
    path = Path(path)
    text = _read_text(path).replace("\t", " ")  # a tab is whitespace, never a separator here
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    columns: dict[str, int] | None = None
    bad: list[BadRow] = []
    rows: list[tuple[int, str, int, str, str]] = []  # (line, sentence, label, emoji, name)
    first = True
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # a blank line, or only empty columns
            if first:
                first = False
                columns = _header_columns(row)
                if columns is not None:
                    continue
            cols = columns or {"sentence": 0, "label": 1}
            get = lambda key: row[cols[key]].strip() if key in cols and cols[key] < len(row) else ""  # noqa: E731
            sentence = " ".join(get("sentence").split())
            label_text = get("label")
            if not sentence:
                bad.append(BadRow(line, "the sentence is empty"))
                continue
            if not tokenize(sentence):
                bad.append(BadRow(line, f"{sentence!r} has no words"))
                continue
            if not label_text:
                bad.append(BadRow(line, "there is no label (rows are 'sentence,label')"))
                continue
            label = _parse_label(label_text)
            if label is None:
                hint = " (quote a sentence that contains a comma)" if len(row) > 2 else ""
                bad.append(BadRow(line, f"the label {label_text!r} is not a whole number{hint}"))
                continue
            if label < 0 or label >= (len(labels) if labels is not None else MAX_CLASSES):
                allowed = f"0 … {len(labels) - 1}" if labels is not None else f"0 … {MAX_CLASSES - 1}"
                bad.append(BadRow(line, f"the label {label} is not one of {allowed}"))
                continue
            rows.append((line, sentence, label, get("emoji"), get("name")))
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise DataFileError(f"{path.name}, line {reader.line_num}: a field longer than {csv.field_size_limit():,} "
                                "characters — pass a CSV of 'sentence,label' rows (or close the quote left open "
                                "before it).") from None
        raise DataFileError(f"{path.name}, line {reader.line_num}: {exc} — fix the quoting of that row.") from None

    if bad and not skip_bad_rows:
        shown = "; ".join(f"line {b.line}: {b.reason}" for b in bad[:MAX_BAD_ROWS_SHOWN])
        more = f" (and {len(bad) - MAX_BAD_ROWS_SHOWN} more)" if len(bad) > MAX_BAD_ROWS_SHOWN else ""
        raise DataFileError(
            f"{path.name} has {len(bad)} bad row{'s' if len(bad) != 1 else ''} — {shown}{more}. "
            "Fix them (rows are 'sentence,label', quote a sentence that contains a comma), or skip them."
        )
    if not rows:
        raise DataFileError(f"{path.name} has no usable 'sentence,label' rows.")

    labels_set = labels if labels is not None else _labels_from_rows(path, rows)
    present = len({label for _, _, label, _, _ in rows})
    if present < min_classes:
        raise DataFileError(
            f"{path.name} has sentences of {present} class{'es' if present != 1 else ''} only — "
            f"training needs at least {min_classes}."
        )
    return SentenceSet(
        sentences=tuple(r[1] for r in rows),
        labels=np.array([r[2] for r in rows], dtype=np.int64),
        labels_set=labels_set,
        source=path.name,
        lines=tuple(r[0] for r in rows),
        skipped=tuple(bad),
        named=labels is not None or any(r[3] for r in rows),
    )


def _labels_from_rows(path: Path, rows: list[tuple[int, str, int, str, str]]) -> LabelSet:
    """C = the largest label + 1; emoji and names from the rows' columns, else defaults."""
    count = max(r[2] for r in rows) + 1
    base = default_labels(count)
    emoji, names = list(base.emoji), list(base.names)
    seen: dict[int, tuple[str, int]] = {}
    for line, _, label, symbol, name in rows:
        if symbol:
            if label in seen and seen[label][0] != symbol:
                raise DataFileError(
                    f"{path.name}, line {line}: label {label} is {symbol} here but {seen[label][0]} on line "
                    f"{seen[label][1]} — give each label one emoji."
                )
            seen[label] = (symbol, line)
            emoji[label] = symbol
        if name:
            names[label] = name
    if seen and len(set(emoji)) != len(emoji):
        raise DataFileError(f"{path.name}: two labels share an emoji — give each label its own.")
    return LabelSet(tuple(emoji), tuple(names))


def load_train() -> SentenceSet:
    """The bundled training sentences (``data/emojify_train.csv``)."""
    return read_csv(data_file(TRAIN_FILE), labels=COURSE_LABELS)


def load_test() -> SentenceSet:
    """The bundled test sentences (``data/emojify_test.csv``): never used for training or tuning."""
    return read_csv(data_file(TEST_FILE), labels=COURSE_LABELS)


def append_row(path: str | Path, sentence: str, label: int, emoji: str = "") -> Path:
    """Append one ``sentence,label[,emoji]`` row to a user CSV (created with a header if new).

    Raises:
        InvalidInput: the sentence has no words or the label is negative.
    """
    path = Path(path)
    text = " ".join(sentence.split())
    if not tokenize(text):
        raise InvalidInput("Type a sentence with at least one word before adding it.")
    if label < 0:
        raise InvalidInput(f"Labels are 0 or more (got {label}).")
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if new:
        writer.writerow(["sentence", "label", "emoji"])
    elif not path.read_bytes().endswith(b"\n"):
        buffer.write("\n")
    writer.writerow([text, label, emoji])
    with open(path, "a", encoding="utf-8", newline="") as handle:
        handle.write(buffer.getvalue())
    return path


def same_sentence(a: str, b: str) -> bool:
    """Whether two sentences are the same words (case, spacing and punctuation aside)."""
    return tokenize(a) == tokenize(b)


def find_sentence(sets: Sequence[SentenceSet], sentence: str) -> tuple[SentenceSet, int] | None:
    """The first set and row that hold ``sentence`` (by :func:`same_sentence`), or ``None``."""
    tokens = tokenize(sentence)
    for data in sets:
        for i, other in enumerate(data.sentences):
            if tokenize(other) == tokens:
                return data, i
    return None


def remove_row(path: str | Path, sentence: str) -> int:
    """Remove every row of a user CSV whose sentence is ``sentence`` (same words); the file is rewritten
    atomically. Returns how many rows went.

    Raises:
        DataFileError: the file cannot be read.
    """
    from seqtui_models.core.paths import atomic_write

    path = Path(path)
    rows = list(csv.reader(io.StringIO(_read_text(path), newline="")))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    removed = 0
    for i, row in enumerate(rows):
        if i and row and same_sentence(row[0], sentence):  # row 0 is the header
            removed += 1
            continue
        writer.writerow(row)
    if removed:
        def write(tmp: Path) -> None:
            tmp.write_text(buffer.getvalue(), encoding="utf-8", newline="")

        atomic_write(path, write)
    return removed


class Classifier(Protocol):
    """A trained emojify model (V1 or V2): class probabilities of sentences."""

    def probabilities(self, sentences: Sequence[str]) -> np.ndarray: ...


def accuracy(model: Classifier, data: SentenceSet) -> float:
    """The share of ``data`` that ``model`` labels right (NaN for no sentences)."""
    if not len(data):
        return math.nan
    return float(np.mean(model.probabilities(list(data.sentences)).argmax(axis=1) == data.labels))


def validation_split(labels: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A stratified split of row indices into (train, validation): ``fraction`` of each class held out.

    Every class keeps at least one training row; classes with a single row are not held out.
    """
    rng = np.random.default_rng(seed)
    train_rows, val_rows = [], []
    for c in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == c))  # (m_c,)
        k = int(round(fraction * len(rows))) if len(rows) > 1 else 0
        k = min(k, len(rows) - 1)
        val_rows.append(rows[:k])
        train_rows.append(rows[k:])
    return np.sort(np.concatenate(train_rows)), np.sort(np.concatenate(val_rows))


def folds(labels: np.ndarray, k: int, seed: int) -> np.ndarray:
    """A stratified k-fold assignment: ``(m,)`` fold numbers 0…k−1, each class dealt round-robin."""
    rng = np.random.default_rng(seed)
    out = np.zeros(len(labels), dtype=np.int64)  # (m,)
    for c in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == c))  # (m_c,)
        out[rows] = np.arange(len(rows)) % k
    return out


def _is_default(labels_set: LabelSet, i: int) -> bool:
    """Whether class i of a file's label set was left unnamed (keycaps; the course's five count as named)."""
    if labels_set == COURSE_LABELS:
        return False
    return labels_set.emoji[i] == default_labels(len(labels_set)).emoji[i]


def load_training_data(
    paths: Sequence[str | Path] = (), labels: LabelSet | str | None = None, skip_bad_rows: bool = False
) -> SentenceSet:
    """The sentences to train on: the bundled training file, or one or more CSVs merged.

    Args:
        paths: CSV files; empty = ``data/emojify_train.csv``.
        labels: A :class:`LabelSet` or a label spec (``"🐶 dog, 🐱 cat"``) for the classes of
            the files; ``None`` merges the files' own ``emoji``/``name`` columns (the first file
            naming a class wins) and names the rest by default.
        skip_bad_rows: Leave unusable rows out instead of failing.

    Raises:
        DataFileError: a file is unusable, two files give one class different emoji, or
            fewer than two classes have sentences.
        InvalidInput: a malformed label spec.
    """
    labels_set = parse_labels(labels) if isinstance(labels, str) else labels
    if not paths:
        bundled = load_train()
        return bundled if labels_set is None else bundled.with_labels(labels_set)
    sets = [read_csv(p, labels=labels_set, skip_bad_rows=skip_bad_rows) for p in paths]
    if labels_set is None:
        count = max(s.num_classes for s in sets)
        emoji, names = list(default_labels(count).emoji), list(default_labels(count).names)
        named: dict[int, str] = {}
        for s in sets:
            for i in range(s.num_classes):
                if _is_default(s.labels_set, i):
                    continue
                symbol = s.labels_set.emoji[i]
                if i in named and named[i] != symbol:
                    raise DataFileError(
                        f"Label {i} is {named[i]} in one file but {symbol} in {s.source} — give each label one emoji."
                    )
                named[i] = symbol
                emoji[i] = symbol
                if s.labels_set.names[i] != f"class {i}" or names[i] == f"class {i}":
                    names[i] = s.labels_set.names[i]  # a generic "class i" never hides a real name
        if len(set(emoji)) != len(emoji):
            raise DataFileError("Two labels of these files share an emoji — give each label its own.")
        labels_set = LabelSet(tuple(emoji), tuple(names))
    merged = SentenceSet(
        sentences=tuple(x for s in sets for x in s.sentences),
        labels=np.concatenate([s.labels for s in sets]),
        labels_set=labels_set,
        source=" + ".join(s.source for s in sets),
        lines=tuple(x for s in sets for x in s.lines),
        skipped=tuple(b for s in sets for b in s.skipped),
        named=labels is not None or any(s.named for s in sets),
    )
    present = len(np.unique(merged.labels))
    if present < 2:
        raise DataFileError(f"{merged.source} has sentences of {present} class only — training needs at least 2.")
    return merged
