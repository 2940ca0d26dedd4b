"""Provides ``seqtui dates train|translate|eval|generate``: date translation with attention, headless."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from seqtui.cli.common import finish_training, positive_float, positive_int, print_json, run_training, seed, share
from seqtui.text import plural

SHADES = " ░▒▓█"


def add_parser(tasks: Any) -> None:
    """Add the ``dates`` task and its verbs to the top-level subparsers."""
    parser = tasks.add_parser(
        "dates", help="date translation with attention: '3 May 1979' → 1979-05-03",
        description="A sequence-to-sequence model with attention that reads a date as people write it and "
                    "writes it as YYYY-MM-DD, then cross-examines the answer against the text: a date, ambiguous "
                    "(with every reading) or declined (with the reason). The bundled model reads dates from 1900 "
                    "to 2099; slashes and dashes are month first (5/9/18 is 9 May) unless the first number cannot "
                    "be a month (24/11/1992), dots and spaces day first (09.05.18, 9 05 18), as in the course.",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=type(parser))

    train = verbs.add_parser(
        "train", help="train a translator on generated dates",
        description="Generate (human date, ISO date) pairs and train. --preset course is the assignment "
                    "(its 37-character vocabulary, its model of 52,960 parameters, Adam lr 0.005 with decay "
                    "0.01, batch 100, 10,000 dates in its own formats); --preset best is ours (every letter, "
                    "masked padding, all attention steps at once, half the dates in real-world formats). "
                    "Other options override the preset. Prints the held-out exact match.",
    )
    train.add_argument("--preset", choices=("course", "best"), default="best")
    train.add_argument("--examples", type=positive_int, metavar="N", help="training pairs to generate")
    train.add_argument("--epochs", type=positive_int, metavar="E", help="passes over the pairs")
    train.add_argument("--batch", type=positive_int, help="pairs per step")
    train.add_argument("--lr", type=positive_float, help="(peak) learning rate")
    train.add_argument("--decay", type=float, metavar="D",
                       help="the course's per-step learning-rate decay, lr / (1 + D·step) (course 0.01; 0 turns it off)")
    train.add_argument("--real-share", type=share, metavar="S",
                       help="share of real-world formats in the training pairs, 0–1 (course 0, best 0.5)")
    train.add_argument("--max-seconds", type=positive_float, metavar="S",
                       help="stop after this much training time (the learning-rate schedule of best fits into it)")
    train.add_argument("--eval-every", type=int, metavar="B",
                       help="batches between held-out evaluations (0: only at the end)")
    train.add_argument("--data", metavar="TSV",
                       help="train on these input<TAB>iso lines instead of generated pairs (eval's layout)")
    train.add_argument("--seed", type=seed, help="seeds the data, the weights and the batch order")
    train.add_argument("--out", metavar="PATH", help="also save the model here (.keras); every run keeps one in its run folder")
    train.add_argument("--json", action="store_true", help="print one JSON object")
    train.set_defaults(func=run_train)

    translate = verbs.add_parser(
        "translate", help="translate dates to YYYY-MM-DD, or say why not",
        description="Translate one date (several words are joined by spaces, so quotes are optional) or, with "
                    "--file, one per line. The date is found in the text (times and other words are left out), "
                    "translated, and the answer cross-examined against the text: every number and month name "
                    "must be accounted for, a weekday must fit, a numeric date must exist. The result is a date, "
                    "'ambiguous' with every reading (3/4/05: day or month first?), or declined with the reason "
                    "('not a date: …', 'not sure: …').",
    )
    translate.add_argument("text", nargs="*", metavar="DATE")
    translate.add_argument("--file", metavar="FILE", help="translate each line of FILE ('-': standard input)")
    translate.add_argument("--model", metavar="PATH|RUN", help="a model file or a run id (default: the bundled pretrained model)")
    translate.add_argument("--attention", action="store_true", help="also show where each output character looked")
    translate.add_argument("--json", action="store_true",
                           help="print one JSON object (with --file: {\"results\": [...]}); each result has iso "
                                "(null unless a date), valid_date, declined, reason, ambiguous, readings, confidence")
    translate.set_defaults(func=run_translate)

    evaluate = verbs.add_parser(
        "eval", help="exact match on a file of pairs or on generated held-out dates",
        description="Score a model. --file reads lines 'date as written<TAB>expected', where expected is "
                    "YYYY-MM-DD, 'none' (the line must be declined) or 'ambiguous:YYYY-MM-DD|YYYY-MM-DD' (it must be "
                    "flagged with those readings); an optional third column names the format family; a header "
                    "line and '#' lines are skipped. Without --file, N pairs are generated on days no training "
                    "run uses. Prints the network's exact match and what users are told: right, declined, wrong.",
    )
    evaluate.add_argument("--model", metavar="PATH|RUN", help="a model file or a run id (default: the bundled pretrained model)")
    evaluate.add_argument("--file", metavar="TSV", help="input<TAB>iso lines")
    evaluate.add_argument("-n", "--n", type=positive_int, default=2000, help="generated pairs without --file (default 2000)")
    evaluate.add_argument("--mix", choices=("mixed", "course", "real"), default="mixed",
                          help="formats of the generated pairs (default mixed: half and half)")
    evaluate.add_argument("--seed", type=seed, default=1, help="seeds the generated pairs (default 1)")
    evaluate.add_argument("--mistakes", type=int, default=20, metavar="K", help="list up to K mistakes (default 20)")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(func=run_eval)

    generate = verbs.add_parser(
        "generate", help="print generated pairs as input<TAB>iso<TAB>family lines",
        description="Print (date as written, ISO date, format family) lines, the layout 'eval --file' reads.",
    )
    generate.add_argument("-n", "--n", type=positive_int, default=10, help="how many pairs (default 10)")
    generate.add_argument("--mix", choices=("mixed", "course", "real"), default="mixed")
    generate.add_argument("--family", help="only this format family (see the list with --families)")
    generate.add_argument("--families", action="store_true", help="list the format families and exit")
    generate.add_argument("--heldout", action="store_true", help="use the held-out days (as eval does)")
    generate.add_argument("--seed", type=seed, default=0, help="makes the pairs repeatable (default 0)")
    generate.add_argument("--json", action="store_true", help="print one JSON object")
    generate.set_defaults(func=run_generate)


def _load(path: str | None) -> Any:
    from seqtui_models.core.runs import model_argument
    from seqtui_models.dates import default_model, load_model

    return load_model(model_argument(path, "dates")) if path else default_model()


def run_train(args: argparse.Namespace) -> int:
    """``seqtui dates train``: one run with progress on stderr; the summary on stdout."""
    from seqtui_models.dates import preset_config
    from seqtui_models.core.training import TrainingJob

    config = preset_config(
        args.preset, examples=args.examples, epochs=args.epochs, batch=args.batch, lr=args.lr, decay=args.decay,
        real_share=args.real_share, max_seconds=args.max_seconds, eval_every=args.eval_every,
        seed=args.seed, data=args.data, out=args.out,
    )
    # Keras trains in this process: TensorFlow's kernels release the GIL and use both cores.
    result = run_training(TrainingJob("seqtui_models.dates:train", config, isolate=False), f"dates {config.preset}")
    return finish_training(result, args.json)


def attention_lines(translation: Any) -> list[str]:
    """The attention matrix as text: one line per output character, a shade per input character."""
    read = translation.read
    lines = ["      " + "".join(ch if ch.isprintable() and ch != " " else "·" for ch in read)]
    for out_char, row in zip(translation.iso, translation.attention):
        shades = "".join(SHADES[min(len(SHADES) - 1, int(v * len(SHADES)))] for v in row)
        lines.append(f"  {out_char}   {shades}")
    lines.append(f"      shades: {' '.join(f'{s!r}' for s in SHADES)} = attention 0 … 1")
    return lines


MAX_LINES = 100_000
"""The most lines ``translate --file`` reads (a larger file is refused before the model loads)."""


def verdict_line(translation: Any) -> str:
    """One line for a translation: the date, the readings of an ambiguous one, or why not."""
    verdict = translation.verdict
    if verdict.status == "date":
        return f"{verdict.iso}  (a date; confidence {translation.confidence:.1%})"
    if verdict.status == "ambiguous":
        return f"ambiguous: {' or '.join(verdict.readings)}  ({verdict.reason})"
    return f"no date  ({verdict.reason}; the model's output was {translation.iso})"


def _lines(path: str) -> list[str]:
    """The non-empty lines of ``path`` (``-``: standard input), checked before any work."""
    from seqtui_models.core.errors import DataFileError

    if path == "-":
        text = sys.stdin.read()
    else:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read(64 * 1024 * 1024 + 1)
        except FileNotFoundError:
            raise DataFileError(f"No such file: {path} — pass a text file with one date per line, or - for stdin.") from None
        except IsADirectoryError:
            raise DataFileError(f"{path} is a folder — pass a text file with one date per line.") from None
        except UnicodeDecodeError:
            raise DataFileError(f"{path} is not UTF-8 text — pass a text file with one date per line.") from None
        except OSError as exc:
            raise DataFileError(f"{path} cannot be read ({exc.strerror}).") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise DataFileError(f"{path} holds no lines to translate.")
    if len(lines) > MAX_LINES or len(text) > 64 * 1024 * 1024:
        raise DataFileError(f"{path} is too large: translate at most {MAX_LINES:,} lines (64 MB) at a time.")
    return lines


def run_translate(args: argparse.Namespace) -> int:
    """``seqtui dates translate``: the verdict on one date or on each line of a file."""
    from seqtui_models.core.errors import InvalidInput
    from seqtui_models.dates import translate, translate_many

    if args.file and args.text:
        raise InvalidInput("Give either a date or --file, not both.")
    if args.file:
        texts = _lines(args.file)
        results = translate_many(_load(args.model), texts)
        if args.json:
            print_json({"results": [r.to_dict(attention=args.attention) for r in results]})
        else:
            for r in results:
                print(f"{r.input}\t{verdict_line(r)}")
        return 0
    if not args.text:
        raise InvalidInput("Give a date to translate (e.g. seqtui dates translate 3 may 1979) or --file FILE.")
    result = translate(_load(args.model), " ".join(args.text))
    if args.json:
        print_json(result.to_dict(attention=args.attention))
        return 0
    print(verdict_line(result))
    if not result.valid_date:
        print(f"  the output {result.iso} is not a calendar date: {result.problem}")
    if args.attention:
        print("\n".join(attention_lines(result)))
    for note in result.notes:
        print(f"seqtui: {note}", file=sys.stderr)
    return 0


def run_eval(args: argparse.Namespace) -> int:
    """``seqtui dates eval``: exact match overall and per format family."""
    from seqtui_models.dates import evaluate, heldout_pairs, read_pairs
    from seqtui_models.core.errors import InvalidInput

    if args.mistakes < 0:
        raise InvalidInput(f"--mistakes must be 0 or more (got {args.mistakes}).")
    pairs = read_pairs(args.file) if args.file else []  # a bad file is reported before TensorFlow loads
    model = _load(args.model)
    if args.file:
        source = args.file
    else:
        pairs = heldout_pairs(args.n, seed=args.seed, mix=args.mix, max_length=model.vocab.tx)
        source = f"{args.n} generated held-out pairs ({args.mix}, seed {args.seed})"
    result = evaluate(model, pairs, max_mistakes=args.mistakes, source=source)
    report = {**result.to_dict(), "model": args.model or "built-in"}
    if args.json:
        print_json(report)
        return 0
    n = result.n
    print(f"exact match {result.exact_match:.2%} of {n:,} ({source}); model: {args.model or 'built-in'}")
    print(f"told users: right {result.right / n:.2%} · declined {result.declined / n:.2%} · "
          f"wrong {result.told_wrong / n:.2%} ({result.told_wrong:,})")
    print(f"{plural(result.invalid_dates, 'output')} not a date, {plural(result.truncated, 'input')} cut at T_x")
    width = max(len(name) for name in result.by_format)
    print(f"  {'family':<{width}}  {'kind':<6} {'exact':>8}  {'right':>8}  {'declined':>8}")
    for name, score in result.by_format.items():
        print(f"  {name:<{width}}  {score.kind:<6} {score.exact_match:8.2%}  {score.right / score.n:8.2%}  "
              f"{score.declined / score.n:8.2%}  of {score.n:,}")
    if result.mistakes:
        print(f"not right ({len(result.mistakes)} of {n - result.right}; wrong first, most confident first):")
        for m in result.mistakes:
            why = f" — {m.reason}" if m.reason else ""
            print(f"  {m.outcome:<8} {m.input!r:<34} expected {m.expected}  got {m.got}  ({m.family}, {m.confidence:.0%}){why}")
    return 0


def run_generate(args: argparse.Namespace) -> int:
    """``seqtui dates generate``: pairs as TSV lines (or JSON)."""
    from seqtui_models.dates import FAMILIES, generate

    if args.families:
        rows = [{"family": f.name, "kind": f.kind, "example": f.example} for f in FAMILIES.values()]
        if args.json:
            print_json({"families": rows})
        else:
            for r in rows:
                print(f"{r['family']:<14} {r['kind']:<6} {r['example']}")
        return 0
    pairs = generate(args.n, seed=args.seed, mix=args.mix, family=args.family,
                     split="heldout" if args.heldout else "train")
    if args.json:
        print_json({"pairs": [{"input": p.human, "iso": p.iso, "family": p.family} for p in pairs]})
    else:
        for p in pairs:
            print(f"{p.human}\t{p.iso}\t{p.family}")
    return 0
