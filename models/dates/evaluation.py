"""Scoring a date translator: :func:`evaluate` → :class:`EvalResult`, and the pairs to score it on.

Exact match counts a date right only if all 10 output characters are. :func:`heldout_pairs`
draws pairs from the days no training run uses; :func:`read_pairs` reads ``input<TAB>iso``
files (the layout ``seqtui dates generate`` prints and ``train --data`` reads too).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from seqtui_models.core.errors import DataFileError
from seqtui_models.dates import data as dates_data
from seqtui_models.dates.data import DatePair, families
from seqtui_models.dates.model import DateModel
from seqtui_models.dates.translation import translate_many
from seqtui_models.dates.vocab import check_iso


@dataclass(frozen=True)
class FamilyScore:
    """Exact match within one format family."""

    exact_match: float
    n: int
    kind: str


@dataclass(frozen=True)
class Mistake:
    """A pair the model got wrong."""

    input: str
    expected: str
    got: str
    family: str
    confidence: float
    valid_date: bool


@dataclass(frozen=True)
class EvalResult:
    """A model's exact match on a set of pairs.

    Attributes:
        exact_match: Share of pairs whose 10 output characters are all right.
        n: Pairs scored.
        by_format: Exact match per format family (families in report order).
        invalid_dates: Outputs that are not real calendar dates.
        truncated: Inputs longer than T_x (only their start was read).
        mistakes: Up to ``max_mistakes`` of the wrong pairs, least confident first.
        wrong: How many pairs were wrong in all.
        source: Where the pairs came from.
    """

    exact_match: float
    n: int
    by_format: Mapping[str, FamilyScore]
    invalid_dates: int
    truncated: int
    mistakes: tuple[Mistake, ...]
    wrong: int
    source: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "exact_match": self.exact_match, "n": self.n,
            "by_format": {k: asdict(v) for k, v in self.by_format.items()},
            "invalid_dates": self.invalid_dates, "truncated": self.truncated, "wrong": self.wrong,
            "mistakes": [asdict(m) for m in self.mistakes], "source": self.source,
        }


def evaluate(model: DateModel, pairs: Sequence[DatePair], *, max_mistakes: int = 50, source: str = "pairs") -> EvalResult:
    """Translate every pair and count exact matches, overall and per family.

    Raises:
        DataFileError: there are no pairs.
    """
    if not pairs:
        raise DataFileError(f"No pairs to evaluate in {source}.")
    results = translate_many(model, [p.human for p in pairs])
    right = np.array([r.iso == p.iso for r, p in zip(results, pairs)])  # (n,)
    order = [f for f in families() if any(p.family == f for p in pairs)]
    order += sorted({p.family for p in pairs} - set(order))
    by_format = {}
    for fam in order:
        mask = np.array([p.family == fam for p in pairs])
        kind = dates_data.FAMILIES[fam].kind if fam in dates_data.FAMILIES else "file"
        by_format[fam] = FamilyScore(float(right[mask].mean()), int(mask.sum()), kind)
    wrong = [Mistake(p.human, p.iso, r.iso, p.family, r.confidence, r.valid_date)
             for r, p, ok in zip(results, pairs, right) if not ok]
    wrong.sort(key=lambda m: m.confidence)
    return EvalResult(
        exact_match=float(right.mean()), n=len(pairs), by_format=by_format,
        invalid_dates=sum(not r.valid_date for r in results), truncated=sum(r.truncated for r in results),
        mistakes=tuple(wrong[:max_mistakes]), wrong=len(wrong), source=source,
    )


def heldout_pairs(n: int, *, seed: int = 1, mix: dates_data.Mix = "mixed", real_share: float = 0.5,
                  max_length: int | None = None) -> list[DatePair]:
    """``n`` pairs on days no training run uses (see :mod:`seqtui_models.dates.data`)."""
    return dates_data.generate(n, seed=seed, mix=mix, real_share=real_share, split="heldout", max_length=max_length)


def read_pairs(path: str | Path) -> list[DatePair]:
    """Read ``input<TAB>YYYY-MM-DD`` lines (an optional third column names the family).

    A first line whose second column is not a date is a header and skipped; blank lines are
    skipped. Rows without a family column get the family "file".

    Raises:
        DataFileError: the file is missing, not UTF-8 text, has a malformed line (the message
            gives its number) or has no pairs.
    """
    path = Path(path)
    layout = "each line is: the date as written, a tab, the date as YYYY-MM-DD (and optionally a tab and a family name)"
    if not path.is_file():
        raise DataFileError(f"No such file: {path} — pass a text file where {layout}.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataFileError(f"{path} is not UTF-8 text — pass a text file where {layout}.") from None
    except OSError as exc:
        raise DataFileError(f"{path} cannot be read ({exc.strerror}).") from None
    pairs: list[DatePair] = []
    seen_content = False
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        first = not seen_content
        seen_content = True
        if len(parts) == 1:
            raise DataFileError(f"{path}, line {number}: no tab found — {layout}.")
        if len(parts) > 3:
            raise DataFileError(f"{path}, line {number}: {len(parts)} tab-separated fields, expected 2 or 3 — {layout}.")
        human, iso = parts[0], parts[1].strip()
        valid, problem = check_iso(iso)
        if not valid:
            if first:
                continue  # a header line such as "input<TAB>iso"
            raise DataFileError(f"{path}, line {number}: {problem} (second column) — {layout}.")
        if not human.strip():
            raise DataFileError(f"{path}, line {number}: the first column (the date as written) is empty.")
        family = parts[2].strip() if len(parts) == 3 and parts[2].strip() else "file"
        pairs.append(DatePair(human, iso, family))
    if not pairs:
        raise DataFileError(f"{path} holds no pairs — {layout}.")
    return pairs
