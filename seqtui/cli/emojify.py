"""Provides ``seqtui emojify train|predict|eval|calibrate``: sentence → emoji with two models, headless."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from seqtui.cli.common import finish_training, non_negative_int, positive_float, positive_int, print_json, run_training, seed, share

LABELS_HELP = ("name the classes of your CSV: one 'EMOJI name' per label, in label order, e.g. "
               "'🐶 dog, 🐱 cat, 🐟 fish' (default: the CSV's emoji column, else ❤️ ⚾ 😄 😞 🍴 for five classes)")


def add_parser(tasks: Any) -> None:
    """Add the ``emojify`` task and its verbs to the top-level subparsers."""
    parser = tasks.add_parser(
        "emojify", help="Emojify: give a sentence the right emoji (average of word vectors vs an LSTM)",
        description="Two models give a short sentence an emoji: V1 averages its GloVe vectors and applies a "
                    "softmax layer (numpy); V2 reads the words in order with a 2-layer LSTM (Keras). Both "
                    "explain their answer word by word. Data: CSV rows 'sentence,label'.",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=type(parser))

    train = verbs.add_parser(
        "train", help="train V1 or V2 on the bundled sentences or your own CSV",
        description="Train a model. V1 --preset course is the assignment's loop (one sentence per SGD step, "
                    "400 epochs, lr 0.01); V1 --preset fast trains the same model on all sentences at once with "
                    "Adam. V2 trains 3 LSTM networks on all the training sentences for 40 epochs and averages "
                    "them. The test accuracy is measured on the bundled test file (course classes only).",
    )
    train.add_argument("--model", choices=("v1", "v2"), default="v1", help="which model (default v1)")
    train.add_argument("--preset", choices=("fast", "course"), default="fast", help="V1: fast (Adam, batched) or course")
    train.add_argument("--data", metavar="CSV", action="append",
                       help="a CSV of 'sentence,label' rows (repeat to merge files; default: the bundled sentences)")
    train.add_argument("--labels", metavar="SPEC", help=LABELS_HELP)
    train.add_argument("--skip-bad-rows", action="store_true", help="leave unusable CSV rows out (listed on stderr)")
    train.add_argument("--vectors", metavar="PATH", help="a GloVe or word2vec file (default: GloVe 6B 50d)")
    train.add_argument("--epochs", type=positive_int, help="epochs (V1 course 400, V1 fast 300, V2 40)")
    train.add_argument("--lr", type=positive_float, help="learning rate")
    train.add_argument("--batch", type=non_negative_int, help="sentences per step (V1 fast: 0 = all)")
    train.add_argument("--members", type=positive_int, help="V2: networks averaged (default 3)")
    train.add_argument("--val-fraction", type=share, help="V2: share of the sentences each network holds out to watch "
                       "(default 0: none)")
    train.add_argument("--patience", type=non_negative_int, help="V2: epochs without a better validation loss before "
                       "stopping (needs --val-fraction)")
    train.add_argument("--seed", type=seed, help="seeds the weights, the order of sentences and dropout")
    train.add_argument("--out", metavar="PATH", help="also save the model here (.npz for V1, .keras for V2); every run "
                                                     "keeps one in its run folder")
    train.add_argument("--json", action="store_true", help="print one JSON object")
    train.set_defaults(func=run_train)

    predict = verbs.add_parser(
        "predict", help="the emoji of a sentence, with each word's contribution",
        description="Predict a sentence's emoji. V1 explains exactly: each word's share of each class score. "
                    "V2 explains by occlusion: how much the predicted class's probability drops without each word.",
    )
    predict.add_argument("sentence", nargs="+", help="the sentence (quote it, or give its words)")
    predict.add_argument("--model", default="v1", metavar="v1|v2|PATH|RUN",
                       help="a bundled model, a model file or a run id (default v1)")
    predict.add_argument("--vectors", metavar="PATH", help="the word vectors the model was trained with, if not the default")
    predict.add_argument("--json", action="store_true", help="print one JSON object")
    predict.set_defaults(func=run_predict)

    evaluate = verbs.add_parser(
        "eval", help="accuracy, confusion matrix and mistakes on a CSV",
        description="Score a model on labelled sentences. Labels must be classes the model knows.",
    )
    evaluate.add_argument("--model", default="v1", metavar="v1|v2|PATH|RUN",
                       help="a bundled model, a model file or a run id (default v1)")
    evaluate.add_argument("--csv", metavar="FILE", help="a CSV of 'sentence,label' rows (default: the bundled test sentences)")
    evaluate.add_argument("--skip-bad-rows", action="store_true", help="leave unusable rows out (listed on stderr)")
    evaluate.add_argument("--mistakes", type=non_negative_int, default=10, help="how many mistakes to list (text output)")
    evaluate.add_argument("--vectors", metavar="PATH", help="the word vectors the model was trained with, if not the default")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(func=run_eval)

    calibrate = verbs.add_parser(
        "calibrate", help="fit a model's temperature on labelled sentences it did not learn from",
        description="Temperature scaling: divide the model's log-probabilities by one number T, fitted so that "
                    "its confidence matches how often it is right on the given sentences (which the model must "
                    "not have been trained on). V1's answers do not change; how sure it says it is does. For V2 it also "
                    "fits how much a bag-of-words softmax (trained with it) weighs in its blended answer. Prints "
                    "the negative log-likelihood, the expected calibration error and the share of confident "
                    "(>= 0.9) mistakes before and after, and saves the model with its temperature.",
    )
    calibrate.add_argument("--model", default="v1", metavar="v1|v2|PATH|RUN",
                       help="a bundled model, a model file or a run id (default v1)")
    calibrate.add_argument("--csv", metavar="FILE", action="append", required=True,
                           help="labelled sentences the model did not learn from (repeat to use several files)")
    calibrate.add_argument("--out", metavar="PATH", help="where to save the calibrated model (default: the model file "
                           "itself; required for the bundled models)")
    calibrate.add_argument("--skip-bad-rows", action="store_true", help="leave unusable rows out (listed on stderr)")
    calibrate.add_argument("--vectors", metavar="PATH", help="the word vectors the model was trained with, if not the default")
    calibrate.add_argument("--json", action="store_true", help="print one JSON object")
    calibrate.set_defaults(func=run_calibrate)


def _warn_skipped(skipped: Any, source: str) -> None:
    for bad in skipped:
        print(f"seqtui: skipped {source}, line {bad.line}: {bad.reason}", file=sys.stderr)


def run_train(args: argparse.Namespace) -> int:
    """``seqtui emojify train``: one run with progress on stderr; the summary on stdout."""
    from seqtui_models.emojify import preset_config
    from seqtui_models.core.training import TrainingJob

    from seqtui_models.core.errors import InvalidInput

    preset = args.preset if args.model == "v1" else "fast"
    if args.model == "v2" and args.preset == "course":
        raise InvalidInput("--preset course is V1's per-example loop; V2 trains with the fast preset.")
    v2_only = [flag for flag, value in (("--patience", args.patience), ("--val-fraction", args.val_fraction),
                                        ("--members", args.members)) if value is not None]
    if args.model == "v1" and v2_only:
        one = len(v2_only) == 1
        raise InvalidInput(f"{', '.join(v2_only)} {'is' if one else 'are'} for V2 (--model v2); V1 trains without {'it' if one else 'them'}.")
    config = preset_config(
        args.model, preset, data=tuple(args.data or ()), labels=args.labels, skip_bad_rows=args.skip_bad_rows or None,
        vectors=args.vectors, epochs=args.epochs, lr=args.lr, batch=args.batch, members=args.members,
        patience=args.patience, val_fraction=args.val_fraction, seed=args.seed, out=args.out,
    )
    if config.data:
        from seqtui_models.emojify import load_training_data

        data = load_training_data(config.data, config.labels, config.skip_bad_rows)  # bad files fail here, cheaply
        _warn_skipped(data.skipped, data.source)
        if data.course_assumed:
            print(f"seqtui: {data.source} name no emoji, so labels 0-4 are read as the course's "
                  f"{' '.join(data.labels_set.emoji)} — pass --labels 'EMOJI name, …' (or an emoji column) to name them.",
                  file=sys.stderr)
    # In this process: V1's loop is short and V2's Keras releases the GIL; Ctrl+C still stops and saves.
    job = TrainingJob("seqtui_models.emojify:train", config, isolate=False)
    result = run_training(job, f"emojify {config.model} {config.preset}")
    extra = {"model_kind": config.model, "preset": config.preset, "data": list(config.data) or "built-in"}
    return finish_training(result, args.json, extra)


def _load(which: str, vectors: str | None) -> Any:
    from seqtui_models.core.runs import model_argument
    from seqtui_models.emojify import load_model
    from seqtui_models.emojify import word_vectors

    return load_model(model_argument(which, "emojify"), word_vectors(vectors) if vectors else None)


def _bar(value: float, scale: float, width: int = 12) -> str:
    cells = int(round(min(1.0, abs(value) / scale) * width)) if scale > 0 else 0
    return ("█" * cells).ljust(width)


def run_predict(args: argparse.Namespace) -> int:
    """``seqtui emojify predict``: the emoji, top-3 probabilities and each word's contribution."""
    from seqtui_models.emojify import predict

    model = _load(args.model, args.vectors)
    prediction = predict(model, " ".join(args.sentence))
    if args.json:
        print_json(prediction.to_dict())
        return 0
    if prediction.declined:
        print(f"no emoji  ({prediction.reason})")
        print("seqtui: the model knows none of these words: write a sentence in English words it knows.", file=sys.stderr)
        return 0
    labels = model.labels
    top = "  ".join(f"{labels.emoji[i]} {labels.names[i]} {p:.2f}" for i, p in prediction.top(3))
    unsure = f"   not sure ({prediction.confidence:.0%})" if prediction.unsure else ""
    print(f"{prediction.emoji}  {prediction.name}   ({model.kind}: {top}){unsure}")
    what = "probability lost without it"
    if prediction.method == "linear":
        what = f"pull towards {prediction.emoji} (+) or {labels.emoji[prediction.runner_up]} (-)" if prediction.runner_up >= 0 \
            else "share of the score"
    print(f"\n  {'word':<14} {what}")
    scale = max([abs(w.contribution) for w in prediction.words] + [1e-9])
    for w in prediction.words:
        mark = "  (unknown)" if not w.known else (f"  (read as {w.read_as})" if w.read_as else "")
        print(f"  {w.word:<14} {w.contribution:+8.3f} {'+' if w.contribution >= 0 else '-'}{_bar(w.contribution, scale)}{mark}")
    if prediction.unknown:
        how = "skipped" if model.kind == "v1" else "read as the unknown-word index"
        print(f"seqtui: not in the word vectors ({how}): {', '.join(prediction.unknown)}", file=sys.stderr)
    return 0


def _cells(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal cells (an emoji takes two)."""
    from rich.cells import cell_len

    pad = " " * max(0, width - cell_len(text))
    return pad + text if right else text + pad


def run_eval(args: argparse.Namespace) -> int:
    """``seqtui emojify eval``: accuracy, confusion matrix and the mistakes."""
    from seqtui_models.emojify import evaluate
    from seqtui_models.emojify import TEST_FILE
    from seqtui_models.core.paths import data_file

    model = _load(args.model, args.vectors)
    source = args.csv or str(data_file(TEST_FILE))
    result = evaluate(model, source, skip_bad_rows=args.skip_bad_rows)
    _warn_skipped(result.skipped, result.source)
    if args.json:
        print_json({**result.to_dict(), "model": args.model})
        return 0
    labels = result.labels
    print(f"{model.describe()}\n{result.source}: accuracy {result.accuracy:.1%} ({result.n} sentences)")
    print(f"calibration: ECE {result.ece:.3f}, confident (>= 0.9) mistakes {result.confident_mistakes:.1%} "
          f"(temperature {result.temperature:.2f})\n")
    from rich.cells import cell_len

    width = max([4] + [len(str(x)) + 2 for row in result.confusion for x in row])
    rows = [f"{labels.emoji[i]} {labels.names[i]}" for i in range(len(labels))]
    names = max(cell_len(text) for text in [*rows, "true \\ predicted"]) + 2
    print(_cells("true \\ predicted", names) + "".join(_cells(e, width, right=True) for e in labels.emoji) + "   recall")
    for i, row in enumerate(result.confusion):
        recall = result.per_class[i]
        print(_cells(rows[i], names) + "".join(_cells(str(x), width, right=True) for x in row)
              + "   " + ("–" if recall != recall else f"{recall:.0%}"))
    if result.mistakes and args.mistakes:
        print(f"\nmistakes ({len(result.mistakes)}; most confident first):")
        for m in result.mistakes[: args.mistakes]:
            print(f"  line {m.line:>4}: {labels.emoji[m.label]} → {labels.emoji[m.predicted]} ({m.confidence:.2f})  {m.sentence}")
    if result.unknown:
        words = ", ".join(f"{w} ({c})" if c > 1 else w for w, c in result.unknown[:20])
        print(f"\nnot in the word vectors: {words}")
    return 0


def run_calibrate(args: argparse.Namespace) -> int:
    """``seqtui emojify calibrate``: fit the temperature on labelled files, report before/after, save."""
    import numpy as np

    from seqtui_models.core.errors import InvalidInput
    from seqtui_models.core.paths import check_writable
    from seqtui_models.core.runs import model_argument, run_of
    from seqtui_models.emojify import calibrate_model, model_kind, read_csv, resolve

    if args.model in ("v1", "v2") and not args.out:
        raise InvalidInput(f"The bundled {args.model.upper()} is read-only here: add --out PATH to save the calibrated copy.")
    which = model_argument(args.model, "emojify")
    run = run_of(resolve(which)) if which not in ("v1", "v2") else None
    if run is not None and not args.out:
        raise InvalidInput(f"Run {run.id} keeps its model as it was trained: add --out PATH to save the calibrated copy.")
    out = args.out or str(resolve(which))
    if model_kind(out) != model_kind(resolve(which)):
        raise InvalidInput(f"--out must end like the model ({'.npz' if model_kind(resolve(which)) == 'v1' else '.keras'}).")
    check_writable(out)
    model = _load(which, args.vectors)
    sets = [read_csv(path, labels=model.labels, skip_bad_rows=args.skip_bad_rows) for path in args.csv]
    for data in sets:
        _warn_skipped(data.skipped, data.source)
    sentences = [s for data in sets for s in data.sentences]
    labels = np.concatenate([data.labels for data in sets])
    calibration = calibrate_model(model, sentences, labels, ", ".join(data.source for data in sets), out)
    blend = getattr(model, "blend", None)
    if args.json:
        extra = {} if blend is None else {"blend": {"weight": blend.weight, "lstm_temperature": blend.lstm_temperature}}
        print_json({**calibration.to_dict(), **extra, "model": out})
        return 0
    print(f"temperature {calibration.temperature:.3f} fitted on {calibration.n} sentences (accuracy {calibration.accuracy:.1%})")
    if blend is not None:
        print(f"  the networks' answer (their own T {blend.lstm_temperature:.2f}) is averaged with a bag of words "
              f"({blend.weight:.0%} of the vote): accuracy {calibration.accuracy_before:.1%} alone, {calibration.accuracy:.1%} blended")
        print("  'before' is the networks alone, raw; 'after' the blended, calibrated answers")
    print(f"  {'':<22} {'before':>8} {'after':>8}")
    print(f"  {'log-likelihood (NLL)':<22} {calibration.nll_before:>8.3f} {calibration.nll_after:>8.3f}")
    print(f"  {'calibration error':<22} {calibration.ece_before:>8.3f} {calibration.ece_after:>8.3f}")
    print(f"  {'confident mistakes':<22} {calibration.confident_before:>8.1%} {calibration.confident_after:>8.1%}")
    print(f"saved {out}")
    return 0
