"""Provides ``seqtui dinos train|sample|eval``: the character-level name model, headless."""

from __future__ import annotations

import argparse
from typing import Any

from seqtui.cli.common import finish_training, positive_float, positive_int, print_json, run_training, seed


def add_parser(tasks: Any) -> None:
    """Add the ``dinos`` task and its verbs to the top-level subparsers."""
    parser = tasks.add_parser(
        "dinos", help="Dinosaur Island: a character-level model that learns names and invents new ones",
        description="Train a character-level language model on names (the bundled dinosaur genera or any "
                    "file with one name per line), sample new names, and measure nats per character.",
    )
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=type(parser))

    train = verbs.add_parser(
        "train", help="train a model on a names file",
        description="Train on a names file. --preset course is the assignment's loop (tanh RNN, 50 units, "
                    "one name per SGD step, clip 5, lr 0.01); --preset fast trains batches of names with "
                    "Adam and stops early on the validation loss. Other options override the preset.",
    )
    train.add_argument("--names", metavar="FILE", help="one name per line (default: the bundled dinosaur names)")
    train.add_argument("--preset", choices=("course", "fast"), help="the assignment's loop or the batched fast path (default fast)")
    train.add_argument("--steps", type=positive_int, help="optimiser steps (names for course, batches for fast)")
    train.add_argument("--hidden", type=positive_int, help="hidden size n_a")
    train.add_argument("--cell", choices=("rnn", "lstm", "gru"))
    train.add_argument("--optimizer", choices=("sgd", "adam"))
    train.add_argument("--batch", type=positive_int, help="names per step (fast)")
    train.add_argument("--lr", type=positive_float, help="learning rate")
    train.add_argument("--dropout", type=float, help="dropout before the output layer, in [0, 1) (fast)")
    train.add_argument("--weight-decay", type=float, help="decoupled weight decay (fast)")
    train.add_argument("--patience", type=int, help="evaluations without improvement before stopping early (0: never)")
    train.add_argument("--max-seconds", type=positive_float, help="stop after this much training time")
    train.add_argument("--seed", type=seed, help="seeds the weights, the order of names and dropout")
    train.add_argument("--out", metavar="PATH", help="also save the model here (.npz); every run keeps one in its run folder")
    train.add_argument("--resume", metavar="RUN", help="continue a run (see 'seqtui runs list'): its weights, optimiser "
                                                       "state and settings, with any option given here changed; "
                                                       "--steps more steps")
    train.add_argument("--json", action="store_true", help="print one JSON object")
    train.set_defaults(func=run_train)

    sample = verbs.add_parser(
        "sample", help="invent names (sampling or beam search)",
        description="Sample names from a model, or with --beam find the most probable ones. Every name "
                    "comes with its log-probability and whether it is in the training names (train), the "
                    "held-out names (val) or new.",
    )
    sample.add_argument("--model", metavar="PATH|RUN", help="a model file or a run id (default: the bundled pretrained model)")
    sample.add_argument("-n", type=positive_int, default=10, help="how many names (default 10)")
    sample.add_argument("--temperature", type=positive_float, help="below 1: safer names; above 1: wilder (default 1)")
    sample.add_argument("--top-k", type=int, help="draw only among the k likeliest characters (default: all)")
    sample.add_argument("--prefix", default="", help="the start of every name, e.g. tyranno")
    sample.add_argument("--beam", type=positive_int, metavar="W", help="beam search of width W instead of sampling")
    sample.add_argument("--max-length", type=positive_int, default=30, help="longest name (default 30)")
    sample.add_argument("--min-length", type=positive_int, default=3, help="shortest name beam search returns (default 3)")
    sample.add_argument("--new-only", action="store_true", help="only names in neither the training nor the held-out names")
    sample.add_argument("--seed", type=seed, help="makes sampling repeatable")
    sample.add_argument("--json", action="store_true", help="print one JSON object")
    sample.set_defaults(func=run_sample)

    evaluate = verbs.add_parser(
        "eval", help="nats per character of a model on any names file",
        description="Score every name of a file. Names with characters the model does not know are skipped "
                    "and counted.",
    )
    evaluate.add_argument("--model", metavar="PATH|RUN", help="a model file or a run id (default: the bundled pretrained model)")
    evaluate.add_argument("--names", metavar="FILE", required=True, help="one name per line")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(func=run_eval)


def run_train(args: argparse.Namespace) -> int:
    """``seqtui dinos train``: one run with progress on stderr; the summary on stdout."""
    from seqtui_models.dinos import preset_config, resumed_config
    from seqtui_models.core.training import TrainingJob

    given = dict(
        names=args.names, steps=args.steps, hidden=args.hidden, cell=args.cell,
        optimizer=args.optimizer, batch=args.batch, lr=args.lr, dropout=args.dropout,
        weight_decay=args.weight_decay, patience=args.patience, max_seconds=args.max_seconds,
        seed=args.seed, out=args.out,
    )
    if args.resume:
        config = resumed_config(args.resume, preset=args.preset, **given)
    else:
        config = preset_config(args.preset or "fast", **given)
    # A spawned process trains with one BLAS thread: 2.7x faster than two on these small matrices.
    job = TrainingJob("seqtui_models.dinos:train", config, isolate=True)
    result = run_training(job, f"dinos {config.preset} {config.cell}")
    model = result.payload["model"]
    extra = {
        "preset": config.preset, "cell": config.cell, "hidden": config.hidden,
        "names": model.config.names or "built-in", "train_names": len(model.train_names),
        "val_names": len(model.val_names), "vocab": model.vocab.chars,
    }
    return finish_training(result, args.json, extra)


def _load(path: str | None) -> Any:
    from seqtui_models.core.runs import model_argument
    from seqtui_models.dinos import default_model, load_model

    return load_model(model_argument(path, "dinos")) if path else default_model()


def run_sample(args: argparse.Namespace) -> int:
    """``seqtui dinos sample``: names with log-probability and novelty."""
    from seqtui_models.dinos import beam_search, sample_names
    from seqtui_models.core.errors import InvalidInput

    model = _load(args.model)
    if args.beam:
        given = [flag for flag, value in (("--temperature", args.temperature), ("--top-k", args.top_k)) if value is not None]
        if given:
            verb = "applies" if len(given) == 1 else "apply"
            raise InvalidInput(f"--beam finds the most probable names; {' and '.join(given)} only {verb} to sampling.")
        names = beam_search(model, args.beam, n=args.n, prefix=args.prefix, max_length=args.max_length,
                            min_length=args.min_length, new_only=args.new_only)
    else:
        names = sample_names(
            model, args.n, temperature=args.temperature or 1.0, top_k=args.top_k or 0, prefix=args.prefix,
            max_length=args.max_length, seed=args.seed, new_only=args.new_only,
        )
    rows: list[dict[str, Any]] = [{"name": s.name, "logprob": s.logprob, "novelty": s.novelty} for s in names]
    if args.json:
        print_json({"names": rows})
    else:
        width = max([len(r["name"]) for r in rows] + [4])
        for r in rows:
            print(f"{r['name']:<{width}}  {r['logprob']:8.3f}  {r['novelty']}")
    return 0


def run_eval(args: argparse.Namespace) -> int:
    """``seqtui dinos eval``: nats per character on a names file."""
    from seqtui_models.dinos import evaluate

    result = evaluate(_load(args.model), args.names)
    report = {
        "nll_per_char": result.nll_per_char, "perplexity": result.perplexity, "names": result.names,
        "chars": result.chars, "skipped": result.skipped, "unknown_chars": result.unknown_chars,
        "model": args.model or "built-in",
    }
    if args.json:
        print_json(report)
    else:
        for key, value in report.items():
            print(f"{key:>14}: {value}")
    return 0
