"""Provides ``seqtui vectors …``: word-vector verbs, the bias lab and the analogy benchmark, headless."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from seqtui.cli.common import non_negative_int, positive_int, print_json
from seqtui.text import signed_bar

if TYPE_CHECKING:
    from seqtui_models.vectors import BiasAxis, LoadProgress, Neighbour, WordVectors

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

    similarity = verb("similarity", "cosine similarity of two words",
                      "Cosine similarity of two words. A word is looked up as typed, else in lower case "
                      "(King means king in GloVe).")
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
    neighbors.add_argument("query", nargs="+", metavar="WORD",
                           help="a word, or words joined by + and - with optional weights: king - man + 0.5 * woman")
    neighbors.add_argument("--top", type=positive_int, default=10, help="how many neighbours (default 10)")
    neighbors.add_argument("--unrestricted", action="store_true", help="let the input words be answers too")
    neighbors.add_argument("--restrict", type=non_negative_int, default=0, metavar="N",
                           help="search only the N most frequent words (default 0: all)")
    neighbors.set_defaults(func=run_neighbors)

    odd = verb("doesnt-match", "the word that does not go with the others (three words or more)")
    odd.add_argument("words", nargs="+", metavar="WORD", help="three words or more, separated by spaces or commas")
    odd.set_defaults(func=run_doesnt_match)

    def axis_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--axis", nargs="+", metavar="WORD",
                         help="the bias axis e_A − e_B as 'A B' (default: woman man, the course's g); several "
                              "pairs as 'A B, C D' or 'A B C D'; or bolukbasi")
        sub.add_argument("--bolukbasi", action="store_true",
                         help="use Bolukbasi et al.'s ten definitional gender pairs instead of --axis")
        sub.add_argument("--axis-method", choices=("mean", "pca"), default="mean",
                         help="how several pairs make one axis (default mean)")

    project = verb("project", "cosine of each word with a bias axis, as a signed bar chart")
    project.add_argument("words", nargs="*", metavar="WORD", help="words separated by spaces or commas")
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

    word_map = verb("map", "a word's neighbourhood or a list of words on a plane (PCA), as a labelled scatter plot",
                    "Project words on their first two principal components (the Embedding Projector's PCA) and "
                    "draw them: one word maps its neighbourhood, several words map those words. With --axis, x is "
                    "cos(e_w, g) for that bias axis and y the first component orthogonal to it.")
    word_map.add_argument("words", nargs="+", metavar="WORD", help="one word, or several separated by spaces or commas")
    word_map.add_argument("--size", type=positive_int, default=30,
                          help="how many words a neighbourhood has, the word included (default 30)")
    word_map.add_argument("--axis", nargs="+", metavar="WORD",
                          help="x is this bias axis: 'A B', 'A B, C D' or bolukbasi (default: principal components)")
    word_map.add_argument("--width", type=positive_int, default=0, help="the plot's width (default: the terminal's)")
    word_map.add_argument("--height", type=positive_int, default=20, help="the plot's height in lines (default 20)")
    word_map.set_defaults(func=run_map)

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
    from seqtui_models.vectors import load_vectors

    if args.vectors is None:
        return load_vectors()
    wv = load_vectors(args.vectors, malformed="skip" if args.skip_malformed else "fail",
                      on_progress=_LoadReport(args.vectors))
    for skipped in wv.skipped[:20]:
        print(f"seqtui: {wv.source}, line {skipped.line} skipped: {skipped.reason}", file=sys.stderr)
    if len(wv.skipped) > 20:
        print(f"seqtui: … and {len(wv.skipped) - 20} more lines skipped", file=sys.stderr)
    return wv


def _ranking(items: Sequence[Neighbour]) -> list[dict[str, Any]]:
    return [{"word": n.word, "score": n.score} for n in items]


def _print_ranking(items: Sequence[Neighbour], inputs: frozenset[str] = frozenset()) -> None:
    for n in items:
        print(f"{n.word:>20}  {n.score:.4f}" + ("  (an input word)" if n.word in inputs else ""))


def _print_hidden(hidden: Sequence[Neighbour]) -> None:
    """Say which input words a restricted search left out although they scored best."""
    if hidden:
        names = ", ".join(f"{n.word} ({n.score:.4f})" for n in hidden)
        print(f"(input words excluded; an unrestricted search would rank first: {names})")


def run_similarity(args: argparse.Namespace) -> int:
    """``seqtui vectors similarity W1 W2``."""
    from seqtui_models.vectors import resolve_words, similarity

    wv = load(args)
    w1, w2 = resolve_words(wv, args.words)
    value = similarity(wv, w1, w2)
    if args.json:
        print_json({"words": [w1, w2], "similarity": value})
    else:
        print(f"cos({w1}, {w2}) = {value:.4f}")
    return 0


def run_analogy(args: argparse.Namespace) -> int:
    """``seqtui vectors analogy A B C``."""
    from seqtui_models.vectors import analogy, resolve_words

    wv = load(args)
    a, b, c = resolve_words(wv, args.words)
    result = analogy(wv, a, b, c, topn=args.top, method=args.method, restricted=not args.unrestricted,
                     restrict_vocab=args.restrict or None)
    hidden = result.hidden_by_restriction
    if args.json:
        print_json({"question": [a, b, c], "method": result.method, "restricted": result.restricted,
                    "answers": _ranking(result.answers), "hidden_by_restriction": _ranking(hidden)})
        return 0
    print(f"{a} : {b} :: {c} : ?")
    _print_ranking(result.answers, frozenset((a, b, c)))
    _print_hidden(hidden)
    return 0


def run_neighbors(args: argparse.Namespace) -> int:
    """``seqtui vectors neighbors W`` (or an expression such as ``King - man + woman``)."""
    from seqtui_models.vectors import search_neighbours

    query = " ".join(args.query)
    found = search_neighbours(load(args), query, topn=args.top, restrict_vocab=args.restrict or None,
                              exclude_inputs=not args.unrestricted)
    hidden = found.hidden_by_restriction
    if args.json:
        print_json({"query": query, "positive": [list(t) for t in found.positive],
                    "negative": [list(t) for t in found.negative], "restricted": found.restricted,
                    "neighbors": _ranking(found.neighbours), "hidden_by_restriction": _ranking(hidden)})
        return 0
    _print_ranking(found.neighbours, found.input_words)
    _print_hidden(hidden)
    return 0


def _warn_left_out(words: Sequence[str], wv: WordVectors) -> None:
    if words:
        print(f"seqtui: warning: not in the vocabulary of {wv.source}, left out: {', '.join(words)}", file=sys.stderr)


def run_doesnt_match(args: argparse.Namespace) -> int:
    """``seqtui vectors doesnt-match W...``."""
    from seqtui_models.vectors import odd_one_out_words, rank_by_centrality

    wv = load(args)
    left_out: list[str] = []
    ranking = rank_by_centrality(wv, odd_one_out_words(wv, " ".join(args.words), left_out))
    _warn_left_out(left_out, wv)
    if args.json:
        print_json({"odd_one_out": ranking[-1].word, "ranking": _ranking(ranking)})
    else:
        print(ranking[-1].word)
    return 0


def _axis(args: argparse.Namespace, wv: WordVectors) -> BiasAxis:
    from seqtui_models.core.errors import InvalidInput
    from seqtui_models.vectors import BOLUKBASI_PAIRS, bias_axis, parse_pairs, resolve_pairs

    if args.bolukbasi and args.axis:
        raise InvalidInput("--bolukbasi and --axis both name the bias axis: give one of them.")
    pairs = BOLUKBASI_PAIRS if args.bolukbasi else resolve_pairs(wv, parse_pairs(" ".join(args.axis or ["woman", "man"])))
    return bias_axis(wv, pairs, method=args.axis_method)


def run_project(args: argparse.Namespace) -> int:
    """``seqtui vectors project WORDS... [--axis A B]``."""
    from seqtui_models.core.errors import InvalidInput
    from seqtui_models.vectors import PRESETS, known_words, project, split_words

    typed = split_words(" ".join(args.words))
    if not typed and not args.preset:
        raise InvalidInput("Give words to project, or --preset names / --preset occupations.")
    wv = load(args)
    left_out: list[str] = []
    words = known_words(wv, typed, left_out) if typed else []
    _warn_left_out(left_out, wv)
    for preset in args.preset:
        words += [w for w in PRESETS[preset] if w not in words]
    axis = _axis(args, wv)
    projections = project(wv, words, axis)
    if args.json:
        print_json({"axis": axis.label, "projections": [{"word": p.word, "cosine": p.cosine} for p in projections]})
        return 0
    print(f"cosine with the axis {axis.label} (right: towards {axis.pairs[0][0]})")
    for p in projections:
        left, right = signed_bar(p.cosine, width=BAR_WIDTH, axis="│")  # a half for each direction
        print(f"{p.word:>16} {p.cosine:+.3f} {left}{right}".rstrip())
    return 0


def _print_steps(axis: BiasAxis, steps: Sequence[tuple[str, float]]) -> None:
    print(f"axis g = {axis.label}")
    for label, value in steps:
        print(f"{label:>36}  {value:.6g}")


def run_neutralize(args: argparse.Namespace) -> int:
    """``seqtui vectors neutralize W``."""
    from seqtui_models.vectors import neutralize, resolve_word

    wv = load(args)
    axis = _axis(args, wv)
    result = neutralize(wv, resolve_word(wv, args.word), axis)
    if args.json:
        print_json({"word": result.word, "axis": axis.label, "cos_before": result.cos_before,
                    "cos_after": result.cos_after})
    else:
        _print_steps(axis, result.steps())
    return 0


def run_equalize(args: argparse.Namespace) -> int:
    """``seqtui vectors equalize W1 W2``."""
    from seqtui_models.vectors import equalize, resolve_words

    wv = load(args)
    axis = _axis(args, wv)
    w1, w2 = resolve_words(wv, args.words)
    result = equalize(wv, (w1, w2), axis)
    if args.json:
        print_json({"pair": list(result.pair), "axis": axis.label, "cos_before": list(result.cos_before),
                    "cos_after": list(result.cos_after)})
    else:
        _print_steps(axis, result.steps())
    return 0


def run_map(args: argparse.Namespace) -> int:
    """``seqtui vectors map WORDS... [--axis A B]``: the scatter plot and each word's place, or JSON."""
    import shutil

    from seqtui.scatter import layout
    from seqtui_models.vectors import map_axis, map_query

    if args.width > 1000 or args.height > 1000:
        from seqtui_models.core.errors import InvalidInput

        raise InvalidInput("A plot of more than 1,000 cells across or down does not fit a terminal: lower --width or --height.")
    wv = load(args)
    axis = map_axis(wv, " ".join(args.axis or ["pca"]))
    found = map_query(wv, " ".join(args.words), args.size, axis)
    _warn_left_out(list(found.left_out), wv)
    if args.json:
        print_json({
            "axes": list(found.axes), "explained": list(found.explained), "centre": found.centre or None,
            "points": [{"word": w, "x": float(x), "y": float(y), "nearest": [found.words[j] for j in found.nearest(i)]}
                       for i, (w, (x, y)) in enumerate(zip(found.words, found.xy))],
        })
        return 0
    width = args.width or max(20, shutil.get_terminal_size((80, 24)).columns - 2)
    plot = layout([(float(x), float(y)) for x, y in found.xy], found.words, width, args.height)
    title = f"neighbourhood of {found.centre}" if found.centre else f"{len(found.words)} words"
    (x_name, y_name), (x_share, y_share) = found.axes, found.explained
    print(f"{title}: x {x_name} ({x_share:.0%} of the variance), y {y_name} ({y_share:.0%})")
    print("┌" + "─" * width + "┐")
    for line in plot.lines():
        print("│" + line.ljust(width) + "│")
    print("└" + "─" * width + "┘")
    if plot.hidden:
        print(f"{plot.hidden} labels did not fit; --json lists every word's place")
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
