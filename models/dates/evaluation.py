"""Scoring a date translator: :func:`evaluate` → :class:`EvalResult`, and the pairs to score it on.

Two scores. *Exact match* is the network's alone: all 10 output characters right. *Right /
declined / wrong* scores what the user is told after the answer was cross-examined
(:mod:`seqtui_models.dates.checks`): a date line is right when that date is given, a ``none``
line (not a date) when it is declined, an ``ambiguous:`` line when it is flagged ambiguous with
its readings; a line declined when it had an answer is *declined*; everything else is *wrong*.
:func:`heldout_pairs` draws pairs from the days no training run uses; :func:`read_pairs` reads
``input<TAB>expected`` files (the layout ``seqtui dates generate`` prints and ``train --data``
reads too).
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
from seqtui_models.dates.translation import Translation, translate_many
from seqtui_models.dates.vocab import check_iso

NOT_A_DATE = "none"
"""The expected value of a line that must be declined."""
AMBIGUOUS = "ambiguous:"
"""The prefix of the expected value of an ambiguous line: ``ambiguous:ISO|ISO``."""


@dataclass(frozen=True)
class FamilyScore:
    """Exact match within one format family."""

    exact_match: float
    n: int
    kind: str
    right: int = 0
    declined: int = 0


@dataclass(frozen=True)
class Mistake:
    """A pair the model got wrong."""

    input: str
    expected: str
    got: str
    family: str
    confidence: float
    valid_date: bool
    outcome: str = "wrong"
    reason: str = ""


@dataclass(frozen=True)
class EvalResult:
    """A model's exact match on a set of pairs.

    Attributes:
        exact_match: Share of pairs whose 10 output characters are all right (the network's
            score; lines expecting ``none`` or ``ambiguous:`` never match).
        n: Pairs scored.
        by_format: Exact match per format family (families in report order).
        invalid_dates: Outputs that are not real calendar dates.
        truncated: Inputs longer than T_x (only their start was read).
        mistakes: Up to ``max_mistakes`` of the pairs not right after the checks (wrong ones
            first, then declined ones), most confident first.
        wrong: How many pairs' 10 output characters were not all right.
        source: Where the pairs came from.
        right: Pairs the user is told right after the checks (see the module docstring).
        declined: Pairs with an answer that were declined (not a date, not sure, ambiguous).
        told_wrong: Pairs the user is told wrongly: a wrong date, a date for a non-date, or one
            reading of an ambiguous date.
    """

    exact_match: float
    n: int
    by_format: Mapping[str, FamilyScore]
    invalid_dates: int
    truncated: int
    mistakes: tuple[Mistake, ...]
    wrong: int
    source: str
    right: int = 0
    declined: int = 0
    told_wrong: int = 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "exact_match": self.exact_match, "n": self.n,
            "by_format": {k: asdict(v) for k, v in self.by_format.items()},
            "invalid_dates": self.invalid_dates, "truncated": self.truncated, "wrong": self.wrong,
            "mistakes": [asdict(m) for m in self.mistakes], "source": self.source,
            "right": self.right, "declined": self.declined, "told_wrong": self.told_wrong,
        }


def outcome(expected: str, told: Translation) -> str:
    """``"right"``, ``"declined"`` or ``"wrong"``: what the user was told about a line (see the
    module docstring)."""
    verdict = told.verdict
    if expected == NOT_A_DATE:
        return "right" if verdict.declined else "wrong"
    if expected.startswith(AMBIGUOUS):
        readings = set(expected[len(AMBIGUOUS):].split("|"))
        if verdict.status == "ambiguous":
            return "right" if len(verdict.readings) > 1 and set(verdict.readings) <= readings else "wrong"
        return "declined" if verdict.declined else "wrong"
    if verdict.status == "date":
        return "right" if verdict.iso == expected else "wrong"
    return "declined"


def evaluate(model: DateModel, pairs: Sequence[DatePair], *, max_mistakes: int = 50, source: str = "pairs") -> EvalResult:
    """Translate every pair and count exact matches, overall and per family.

    Raises:
        DataFileError: there are no pairs.
    """
    if not pairs:
        raise DataFileError(f"No pairs to evaluate in {source}.")
    results = translate_many(model, [p.human for p in pairs])
    right = np.array([r.iso == p.iso for r, p in zip(results, pairs)])  # (n,) the network's exact match
    told = [outcome(p.iso, r) for r, p in zip(results, pairs)]
    order = [f for f in families() if any(p.family == f for p in pairs)]
    order += sorted({p.family for p in pairs} - set(order))
    by_format = {}
    for fam in order:
        mask = np.array([p.family == fam for p in pairs])
        kind = dates_data.FAMILIES[fam].kind if fam in dates_data.FAMILIES else "file"
        outcomes = [o for o, p in zip(told, pairs) if p.family == fam]
        by_format[fam] = FamilyScore(float(right[mask].mean()), int(mask.sum()), kind,
                                     outcomes.count("right"), outcomes.count("declined"))
    missed = [Mistake(p.human, p.iso, r.verdict.iso or r.iso, p.family, r.confidence, r.valid_date, o, r.verdict.reason)
              for r, p, o in zip(results, pairs, told) if o != "right"]
    missed.sort(key=lambda m: (m.outcome != "wrong", -m.confidence))
    return EvalResult(
        exact_match=float(right.mean()), n=len(pairs), by_format=by_format,
        invalid_dates=sum(not r.valid_date for r in results), truncated=sum(r.truncated for r in results),
        mistakes=tuple(missed[:max_mistakes]), wrong=int((~right).sum()), source=source,
        right=told.count("right"), declined=told.count("declined"), told_wrong=told.count("wrong"),
    )


def heldout_pairs(n: int, *, seed: int = 1, mix: dates_data.Mix = "mixed", real_share: float = 0.5,
                  max_length: int | None = None) -> list[DatePair]:
    """``n`` pairs on days no training run uses (see :mod:`seqtui_models.dates.data`)."""
    return dates_data.generate(n, seed=seed, mix=mix, real_share=real_share, split="heldout", max_length=max_length)


def read_pairs(path: str | Path) -> list[DatePair]:
    """Read ``input<TAB>expected`` lines (an optional third column names the family).

    ``expected`` is a date ``YYYY-MM-DD``, ``none`` (the line must be declined) or
    ``ambiguous:YYYY-MM-DD|YYYY-MM-DD…`` (its readings). A first line that looks like a header
    (its second column has no digit, e.g. ``input<TAB>iso``) is skipped, as are blank lines and
    lines starting with ``#``. Rows without a family column get the family "file".

    Raises:
        DataFileError: the file is missing, not UTF-8 text, has a malformed line (the message
            gives its number) or has no pairs.
    """
    path = Path(path)
    layout = ("each line is: the date as written, a tab, the date as YYYY-MM-DD, 'none' or 'ambiguous:YYYY-MM-DD|YYYY-MM-DD' "
              "(and optionally a tab and a family name)")
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
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        first = not seen_content
        seen_content = True
        if len(parts) == 1:
            raise DataFileError(f"{path}, line {number}: no tab found — {layout}.")
        if len(parts) > 3:
            raise DataFileError(f"{path}, line {number}: {len(parts)} tab-separated fields, expected 2 or 3 — {layout}.")
        human, iso = parts[0], parts[1].strip()
        if first and not any(ch.isdigit() for ch in iso) and iso.lower() != NOT_A_DATE:
            continue  # a header line such as "input<TAB>iso"
        problem = _expected_problem(iso)
        if problem:
            raise DataFileError(f"{path}, line {number}: {problem} (second column) — {layout}.")
        if not human.strip():
            raise DataFileError(f"{path}, line {number}: the first column (the date as written) is empty.")
        family = parts[2].strip() if len(parts) == 3 and parts[2].strip() else "file"
        pairs.append(DatePair(human, iso, family))
    if not pairs:
        raise DataFileError(f"{path} holds no pairs — {layout}.")
    return pairs


def _expected_problem(expected: str) -> str:
    """Why ``expected`` is not a valid second column ("" when it is)."""
    if expected == NOT_A_DATE:
        return ""
    if expected.startswith(AMBIGUOUS):
        readings = expected[len(AMBIGUOUS):].split("|")
        if len(readings) < 2:
            return f"{expected!r} names fewer than two readings"
        return next((problem for valid, problem in map(check_iso, readings) if not valid), "")
    return check_iso(expected)[1]
