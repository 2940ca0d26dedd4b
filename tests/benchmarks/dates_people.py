"""Dates as people write them: the bundled model against dateparser, on the same lines.

    python tests/benchmarks/dates_people.py            # a table per evaluation set
    python tests/benchmarks/dates_people.py --json     # one JSON object

The sets are data/eval/dates/*.tsv, written by eight authors who never saw our generator or the
model (data/README.md): ``mail``, ``news-travel-records``, ``everyday-documents`` and
``logs-files-and-apps``, ``personal-writing`` and ``systems-and-posts`` are development sets (checks and thresholds may be chosen on them), ``machines-and-chat`` and ``people`` are test
sets, measured only. Each line is scored the
same way for both contenders:

- a date line is *right* when that date is given, *declined* when none is, else *wrong*;
- a ``none`` line (not a date, or no single day) is *right* when declined, else *wrong*;
- an ``ambiguous:`` line is *right* when flagged ambiguous with its readings, *declined* when
  declined, and *wrong* when one reading is given as the date (dateparser cannot flag one).

Contenders: ``ours`` (the bundled model read through the locator and cross-examined by
seqtui_models.dates.checks), ``dateparser.parse`` (the usual call on the whole line) and
``dateparser search`` (``search_dates``, which finds dates inside text; an answer only when it
finds exactly one), both with ``languages=["en"]`` and ``REQUIRE_PARTS`` day, month and year so
that a missing part is not filled in from today. Their ratio is printed per set.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # run from a checkout

from seqtui_models import dates  # noqa: E402
from seqtui_models.dates import AMBIGUOUS, NOT_A_DATE  # noqa: E402

SETS = Path(__file__).resolve().parents[2] / "data" / "eval" / "dates"
ROLES = {"mail": "development", "news-travel-records": "development", "everyday-documents": "development",
         "logs-files-and-apps": "development", "personal-writing": "development", "systems-and-posts": "development",
         "machines-and-chat": "test", "people": "test"}
SETTINGS = {"REQUIRE_PARTS": ["day", "month", "year"]}


def score(expected: str, answer: str | None, readings: tuple[str, ...] = ()) -> str:
    """right / declined / wrong for one line (see the module docstring)."""
    if expected == NOT_A_DATE:
        return "right" if answer is None and not readings else "wrong"
    if expected.startswith(AMBIGUOUS):
        if readings:
            return "right" if len(readings) > 1 and set(readings) <= set(expected[len(AMBIGUOUS):].split("|")) else "wrong"
        return "declined" if answer is None else "wrong"
    if readings:
        return "declined"
    return "declined" if answer is None else ("right" if answer == expected else "wrong")


def dateparser_contenders() -> dict[str, Callable[[str], str | None]]:
    """The two ways of calling dateparser, each text → ISO or None."""
    import dateparser
    from dateparser.search import search_dates

    def parse(text: str) -> str | None:
        found = dateparser.parse(text, languages=["en"], settings=SETTINGS)
        return found.date().isoformat() if found else None

    def search(text: str) -> str | None:
        found = search_dates(text, languages=["en"], settings=SETTINGS) or []
        days = {d.date().isoformat() for _, d in found}
        return days.pop() if len(days) == 1 else None

    return {"dateparser.parse": parse, "dateparser search": search}


def run_set(path: Path, model: dates.DateModel, baselines: dict[str, Callable[[str], str | None]]) -> dict[str, Any]:
    """Every contender's right / declined / wrong on one set, and their seconds."""
    pairs = dates.read_pairs(path)
    texts = [p.human for p in pairs]
    out: dict[str, Any] = {"set": path.stem, "role": ROLES.get(path.stem, "other"), "n": len(pairs), "contenders": {}}
    start = time.perf_counter()
    told = dates.translate_many(model, texts)
    outcomes = [score(p.iso, t.verdict.iso, t.verdict.readings) for p, t in zip(pairs, told)]
    out["contenders"]["ours"] = {**Counter(outcomes), "seconds": time.perf_counter() - start}
    for name, call in baselines.items():
        start = time.perf_counter()
        outcomes = [score(p.iso, call(p.human)) for p in pairs]
        out["contenders"][name] = {**Counter(outcomes), "seconds": time.perf_counter() - start}
    for result in out["contenders"].values():
        for key in ("right", "declined", "wrong"):
            result.setdefault(key, 0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--role", choices=("development", "test"), help="only the sets of this role")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")  # dateparser's deprecation notices from its dependencies
    model = dates.default_model()
    baselines = dateparser_contenders()
    paths = [p for p in sorted(SETS.glob("*.tsv")) if args.role is None or ROLES.get(p.stem) == args.role]
    results = [run_set(path, model, baselines) for path in paths]
    if args.json:
        print(json.dumps({"sets": results}, indent=2))
        return
    for result in results:
        print(f"\n{result['set']} ({result['role']}, {result['n']} lines)")
        print(f"  {'contender':<18} {'right':>6} {'declined':>9} {'wrong':>6} {'seconds':>8}")
        for name, c in result["contenders"].items():
            n = result["n"]
            print(f"  {name:<18} {c['right'] / n:6.1%} {c['declined'] / n:9.1%} {c['wrong']:6d} {c['seconds']:8.2f}")
        ours = result["contenders"]["ours"]
        for name in baselines:
            theirs = result["contenders"][name]
            ratio = ours["right"] / theirs["right"] if theirs["right"] else float("inf")
            print(f"  ours / {name}: {ratio:.2f}× as many right")


if __name__ == "__main__":
    main()
