"""Provides ``seqtui vectors …``: word-vector verbs, the bias lab and the analogy benchmark, headless."""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING, Any

from seqtui.cli.common import non_negative_int, positive_int, print_json

if TYPE_CHECKING:
    from seqtui_models.core.word_vectors import LoadProgress, WordVectors

BAR_WIDTH = 30


def add_parser(tasks: Any) -> None:
    """Add the ``vectors`` task and its verbs to the top-level subparsers."""
    parser = tasks.add_parser("vectors", help="word vectors: similarity, analogies, a bias lab, the analogy benchmark",
                              description="Pre-trained word vectors (GloVe 6B 50d unless --vectors is given).")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=type(parser))

    def verb(name: str, help: str, description: str | None = None) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = verbs.add_parser(name, help=help, description=description or help)
        sub.add_argument("--vectors", metavar="PATH",
                         help="a GloVe text, word2vec text or word2vec binary file (default: GloVe 6B 50d)")
        sub.add_argument("--skip-malformed", action="store_true",
                         help="skip malformed lines of --vectors (they are listed on stderr) instead of failing")
        sub.add_argument("--json", action="store_true", help="print one JSON object")
        return sub

    similarity = verb("similarity", "cosine similarity of two words")
    similarity.add_argument("words", nargs=2, metavar="WORD")
    similarity.set_defaults(func=run_similarity)

    analogy = verb("analogy", "a : b :: c : ? (e.g. man woman king)",
                   "Solve A is to B as C is to ?. By default A, B and C are never answers (as in gensim and "
                   "the course); --unrestricted shows what the search really prefers.")
    analogy.add_argument("words", nargs=3, metavar="WORD")
    analogy.add_argument("--top", type=positive_int, default=1, help="how many answers (default 1)")
    analogy.add_argument("--unrestricted", action="store_true", help="let the input words be answers too")
    analogy.add_argument("--method", choices=("add", "mul", "course"), default="add",
                         help="3CosAdd (gensim's default), 3CosMul, or the course's complete_analogy")
    analogy.add_argument("--restrict", type=non_negative_int, default=0, metavar="N",
                         help="search only the N most frequent words (default 0: all)")
    analogy.set_defaults(func=run_analogy)

    neighbors = verb("neighbors", "nearest neighbours of a word or of an expression like 'king - man + woman'")
    neighbors.add_argument("query", nargs="+", metavar="WORD", help="a word, or words joined by + and -")
    neighbors.add_argument("--top", type=positive_int, default=10, help="how many neighbours (default 10)")
    neighbors.add_argument("--restrict", type=non_negative_int, default=0, metavar="N",
                           help="search only the N most frequent words (default 0: all)")
    neighbors.set_defaults(func=run_neighbors)

    odd = verb("doesnt-match", "the word that does not go with the others")
    odd.add_argument("words", nargs="+", metavar="WORD")
    odd.set_defaults(func=run_doesnt_match)

    def axis_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--axis", nargs=2, metavar=("A", "B"), default=("woman", "man"),
                         help="the bias axis e_A − e_B (default: woman man, the course's g)")
        sub.add_argument("--bolukbasi", action="store_true",
                         help="use Bolukbasi et al.'s ten definitional gender pairs instead of --axis")
        sub.add_argument("--axis-method", choices=("mean", "pca"), default="mean",
                         help="how several pairs make one axis (default mean)")

    project = verb("project", "cosine of each word with a bias axis, as a signed bar chart")
    project.add_argument("words", nargs="*", metavar="WORD")
    project.add_argument("--preset", choices=("names", "occupations"), action="append", default=[],
                         help="add the course's list of names or of occupations (repeatable)")
    axis_options(project)
    project.set_defaults(func=run_project)

    neutralize = verb("neutralize", "remove a word's component along the bias axis (the course's neutralize)")
    neutralize.add_argument("word", metavar="WORD")
    axis_options(neutralize)
    neutralize.set_defaults(func=run_neutralize)

    equalize = verb("equalize", "make a pair differ only along the bias axis (the course's equalize)")
    equalize.add_argument("words", nargs=2, metavar="WORD")
    axis_options(equalize)
    equalize.set_defaults(func=run_equalize)

    bench = verb("benchmark", "accuracy on the Google analogy test set, exactly as gensim scores it",
                 "Score the vectors on questions-words.txt (or FILE): overall and per section, with "
                 "gensim's rules (restricted vocabulary, case-insensitive, input words excluded).")
    bench.add_argument("file", nargs="?", metavar="FILE", help="an analogy file (default: the bundled questions-words.txt)")
    bench.add_argument("--restrict", type=non_negative_int, default=300_000, metavar="N",
                       help="search and know only the N most frequent words (default 300000 as gensim; 0: all)")
    bench.add_argument("--method", choices=("add", "mul"), default="add", help="3CosAdd (default) or 3CosMul")
    bench.add_argument("--case-sensitive", action="store_true", help="compare words as written")
    bench.set_defaults(func=run_benchmark)


class _LoadReport:
    """Reports a text file's loading on stderr: a line every two seconds."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._last = time.monotonic()

    def __call__(self, progress: LoadProgress) -> None:
        if time.monotonic() - self._last >= 2.0:
            self._last = time.monotonic()
            print(f"loading {self.name}: {progress.fraction:.0%} ({progress.words:,} words)", file=sys.stderr, flush=True)


def load(args: argparse.Namespace) -> WordVectors:
    """The vectors of ``--vectors`` (default GloVe 6B 50d); skipped lines are listed on stderr."""
    from seqtui_models.core.word_vectors import load_vectors

    if args.vectors is None:
        return load_vectors()
    wv = load_vectors(args.vectors, malformed="skip" if args.skip_malformed else "fail",
                      on_progress=_LoadReport(args.vectors))
    for skipped in wv.skipped[:20]:
        print(f"seqtui: {wv.source}, line {skipped.line} skipped: {skipped.reason}", file=sys.stderr)
    if len(wv.skipped) > 20:
        print(f"seqtui: … and {len(wv.skipped) - 20} more lines skipped", file=sys.stderr)
    return wv


def _ranking(items: Any) -> list[dict[str, Any]]:
    return [{"word": n.word, "score": n.score} for n in items]


def _print_ranking(items: Any) -> None:
    for n in items:
        print(f"{n.word:>20}  {n.score:.4f}")


def run_similarity(args: argparse.Namespace) -> int:
    """``seqtui vectors similarity W1 W2``."""
    from seqtui_models.vectors import similarity

    value = similarity(load(args), *args.words)
    if args.json:
        print_json({"words": args.words, "similarity": value})
    else:
        print(f"cos({args.words[0]}, {args.words[1]}) = {value:.4f}")
    return 0


def run_analogy(args: argparse.Namespace) -> int:
    """``seqtui vectors analogy A B C``."""
    from seqtui_models.vectors import analogy

    a, b, c = args.words
    result = analogy(load(args), a, b, c, topn=args.top, method=args.method, restricted=not args.unrestricted,
                     restrict_vocab=args.restrict or None)
    hidden = result.hidden_by_restriction
    if args.json:
        print_json({"question": [a, b, c], "method": result.method, "restricted": result.restricted,
                    "answers": _ranking(result.answers), "hidden_by_restriction": _ranking(hidden)})
        return 0
    print(f"{a} : {b} :: {c} : ?")
    _print_ranking(result.answers)
    if hidden:
        names = ", ".join(f"{n.word} ({n.score:.4f})" for n in hidden)
        print(f"(input words excluded; an unrestricted search would rank first: {names})")
    return 0


def run_neighbors(args: argparse.Namespace) -> int:
    """``seqtui vectors neighbors W`` (or an expression)."""
    from seqtui_models.vectors import neighbours

    query = " ".join(args.query)
    found = neighbours(load(args), query, topn=args.top, restrict_vocab=args.restrict or None)
    if args.json:
        print_json({"query": query, "neighbors": _ranking(found)})
    else:
        _print_ranking(found)
    return 0


def run_doesnt_match(args: argparse.Namespace) -> int:
    """``seqtui vectors doesnt-match W...``."""
    from seqtui_models.vectors import rank_by_centrality

    ranking = rank_by_centrality(load(args), args.words)
    if args.json:
        print_json({"odd_one_out": ranking[-1].word, "ranking": _ranking(ranking)})
    else:
        print(ranking[-1].word)
    return 0


def _axis(args: argparse.Namespace, wv: WordVectors) -> Any:
    from seqtui_models.vectors import BOLUKBASI_PAIRS, bias_axis

    pairs = BOLUKBASI_PAIRS if args.bolukbasi else (tuple(args.axis),)
    return bias_axis(wv, pairs, method=args.axis_method)


def bar(value: float, width: int = BAR_WIDTH) -> str:
    """A signed text bar for a value in [−1, 1]: left of the centre line when negative."""
    cells = min(width, round(abs(value) * width))
    if value < 0:
        return " " * (width - cells) + "█" * cells + "│" + " " * width
    return " " * width + "│" + "█" * cells + " " * (width - cells)


def run_project(args: argparse.Namespace) -> int:
    """``seqtui vectors project WORDS... [--axis A B]``."""
    from seqtui_models.core.errors import InvalidInput
    from seqtui_models.vectors import PRESETS, project

    words = list(args.words)
    for preset in args.preset:
        words += [w for w in PRESETS[preset] if w not in words]
    if not words:
        raise InvalidInput("Give words to project, or --preset names / --preset occupations.")
    wv = load(args)
    axis = _axis(args, wv)
    projections = project(wv, words, axis)
    if args.json:
        print_json({"axis": axis.label, "projections": [{"word": p.word, "cosine": p.cosine} for p in projections]})
        return 0
    print(f"cosine with the axis {axis.label} (right: towards {axis.pairs[0][0]})")
    for p in projections:
        print(f"{p.word:>16} {p.cosine:+.3f} {bar(p.cosine)}".rstrip())
    return 0


def run_neutralize(args: argparse.Namespace) -> int:
    """``seqtui vectors neutralize W``."""
    from seqtui_models.vectors import neutralize

    wv = load(args)
    axis = _axis(args, wv)
    result = neutralize(wv, args.word, axis)
    if args.json:
        print_json({"word": result.word, "axis": axis.label, "cos_before": result.cos_before,
                    "cos_after": result.cos_after})
    else:
        print(f"axis g = {axis.label}")
        for label, value in result.steps():
            print(f"{label:>36}  {value:.6g}")
    return 0


def run_equalize(args: argparse.Namespace) -> int:
    """``seqtui vectors equalize W1 W2``."""
    from seqtui_models.vectors import equalize

    wv = load(args)
    axis = _axis(args, wv)
    result = equalize(wv, (args.words[0], args.words[1]), axis)
    if args.json:
        print_json({"pair": list(result.pair), "axis": axis.label, "cos_before": list(result.cos_before),
                    "cos_after": list(result.cos_after)})
    else:
        print(f"axis g = {axis.label}")
        for label, value in result.steps():
            print(f"{label:>36}  {value:.6g}")
    return 0


def run_benchmark(args: argparse.Namespace) -> int:
    """``seqtui vectors benchmark [FILE]``: progress on stderr, then a table or one JSON object."""
    from seqtui_models.vectors import evaluate_analogies

    wv = load(args)
    last = [time.monotonic()]

    def show(progress: Any) -> None:
        if time.monotonic() - last[0] >= 2.0:
            last[0] = time.monotonic()
            print(f"benchmark: {progress.done}/{progress.total} questions", file=sys.stderr, flush=True)

    report = evaluate_analogies(wv, args.file, restrict_vocab=args.restrict or None, method=args.method,
                                case_insensitive=not args.case_sensitive, on_progress=show)
    if args.json:
        print_json(report.to_dict())
        return 0
    print(f"{report.source}: 3Cos{args.method.capitalize()}, first {report.restrict_vocab:,} words, "
          f"{report.skipped:,} of {report.questions:,} questions skipped (out of vocabulary)")
    for s in report.sections:
        print(f"{s.name:>28}  {s.correct:>6}/{s.total:<6} {s.accuracy:7.2%}")
    print(f"{'total':>28}  {report.correct:>6}/{report.total:<6} {report.accuracy:7.2%}   ({report.seconds:.1f} s)")
    return 0
