"""Provides ``seqtui cells check|train|shapes``: the numpy RNN and LSTM cells, headless."""

from __future__ import annotations

import argparse
from typing import Any, Literal

from seqtui.cli.common import finish_training, positive_int, print_json, run_training, seed


def add_parser(tasks: Any) -> None:
    """Add the ``cells`` task and its verbs to the top-level subparsers."""
    parser = tasks.add_parser("cells", help="RNN and LSTM cells in numpy: gradient checks, shapes, toy training",
                              description="RNN and LSTM cells built step by step in numpy.")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=type(parser))

    check = verbs.add_parser("check", help="gradient-check every parameter against centred differences",
                             description="Compare our backward passes with centred differences (float64). "
                                         "Exits 0 only when every relative error is below 1e-7.")
    check.add_argument("--cell", choices=("rnn", "lstm", "both"), default="both")
    check.add_argument("--seed", type=seed, default=0)
    check.add_argument("--json", action="store_true", help="print one JSON object")
    check.set_defaults(func=run_check)

    shapes = verbs.add_parser("shapes", help="run forward and backward once and list every array's shape")
    shapes.add_argument("--cell", choices=("rnn", "lstm"), default="lstm")
    for flag, default in (("--n-x", 3), ("--n-a", 5), ("--n-y", 2), ("--m", 10), ("--t-x", 7)):
        shapes.add_argument(flag, type=positive_int, default=default)
    shapes.add_argument("--seed", type=seed, default=0)
    shapes.add_argument("--json", action="store_true", help="print one JSON object")
    shapes.set_defaults(func=run_shapes)

    train = verbs.add_parser("train", help="train a cell on a toy sequence task with our own backward pass",
                             description="Train the numpy RNN or LSTM on a toy task. Raise --k on the recall "
                                         "task to watch the RNN's gradient vanish while the LSTM learns.")
    train.add_argument("--task", choices=("recall", "parity", "sine"), default="recall")
    train.add_argument("--cell", choices=("rnn", "lstm"), default="lstm")
    train.add_argument("--k", type=positive_int, default=5, help="recall delay in steps (default 5)")
    train.add_argument("--length", type=positive_int, default=20, help="time steps per sequence")
    train.add_argument("--hidden", type=positive_int, default=32, help="hidden size n_a")
    train.add_argument("--batch", type=positive_int, default=32)
    train.add_argument("--steps", type=positive_int, default=1500)
    train.add_argument("--lr", type=float, default=0.01)
    train.add_argument("--optimizer", choices=("adam", "sgd"), default="adam")
    train.add_argument("--clip", type=float, default=5.0, help="global gradient-norm clip")
    train.add_argument("--seed", type=seed, default=0)
    train.add_argument("--out", help="where to save the model (.npz)")
    train.add_argument("--json", action="store_true", help="print one JSON object")
    train.set_defaults(func=run_train)


def run_check(args: argparse.Namespace) -> int:
    """``seqtui cells check``: relative error per parameter per cell; exit 1 if any fails."""
    from seqtui_models.cells import GRADCHECK_THRESHOLD, gradient_check

    chosen: tuple[Literal["rnn", "lstm"], ...] = ("rnn", "lstm") if args.cell == "both" else (args.cell,)
    report: dict[str, dict[str, float]] = {cell: gradient_check(cell, seed=args.seed) for cell in chosen}
    passed = all(err < GRADCHECK_THRESHOLD for errors in report.values() for err in errors.values())
    if args.json:
        print_json(report)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"Gradient check (float64, centred differences, pass < {GRADCHECK_THRESHOLD:g})")
        for column in ("cell", "parameter", "relative error", ""):
            table.add_column(column)
        for cell, errors in report.items():
            for name, err in errors.items():
                ok = err < GRADCHECK_THRESHOLD
                table.add_row(cell, name, f"{err:.3e}", "[green]pass[/]" if ok else "[red]FAIL[/]")
        Console().print(table)
    return 0 if passed else 1


def run_shapes(args: argparse.Namespace) -> int:
    """``seqtui cells shapes``: every array of one forward and backward pass, with its shape."""
    from seqtui_models.cells import explore

    run = explore(args.cell, n_x=args.n_x, n_a=args.n_a, n_y=args.n_y, m=args.m, T_x=args.t_x, seed=args.seed)
    shapes = {name: list(shape) for name, shape in run.shapes().items()}
    if args.json:
        print_json({"cell": args.cell, "shapes": shapes})
    else:
        for name, shape in shapes.items():
            print(f"{name:>10}  {tuple(shape)}")
    return 0


def run_train(args: argparse.Namespace) -> int:
    """``seqtui cells train``: a toy-task run with progress on stderr."""
    from seqtui_models.cells import TrainConfig
    from seqtui_models.core.training import TrainingJob

    config = TrainConfig(
        task=args.task, cell=args.cell, k=args.k, length=args.length, hidden=args.hidden,
        batch=args.batch, steps=args.steps, lr=args.lr, optimizer=args.optimizer, clip=args.clip,
        seed=args.seed, out=args.out,
    ).validated()
    job = TrainingJob("seqtui_models.cells:train", config, isolate=False)
    result = run_training(job, f"{config.cell} on {config.task}")
    return finish_training(result, args.json, {"task": config.task, "cell": config.cell, "k": config.k})
